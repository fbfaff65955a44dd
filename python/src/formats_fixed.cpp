// softnum Python module: fixed-point formats, Fixed<I, F> (I integer bits including the sign,
// F fraction bits, two's complement, saturating).
#include "formats_impl.hpp"

namespace softnum_py {

void register_fixed_formats(std::vector<Format>& out) {
  using impl::make_format;
  using softnum::Fixed;
  out.push_back(make_format<Fixed<2, 6>>("fixed2_6", "Fixed<2, 6>", "fixed", 8));
  out.push_back(make_format<Fixed<4, 4>>("fixed4_4", "Fixed<4, 4>", "fixed", 8));
  out.push_back(make_format<Fixed<4, 8>>("fixed4_8", "Fixed<4, 8>", "fixed", 12));
  out.push_back(make_format<Fixed<4, 10>>("fixed4_10", "Fixed<4, 10>", "fixed", 14));
  out.push_back(make_format<Fixed<4, 12>>("fixed4_12", "Fixed<4, 12>", "fixed", 16));
  out.push_back(make_format<Fixed<8, 8>>("fixed8_8", "Fixed<8, 8>", "fixed", 16));
  out.push_back(make_format<Fixed<4, 16>>("fixed4_16", "Fixed<4, 16>", "fixed", 20));
  out.push_back(make_format<Fixed<16, 16>>("fixed16_16", "Fixed<16, 16>", "fixed", 32));
}

}  // namespace softnum_py
