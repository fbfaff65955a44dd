// softnum Python module: posit formats (2022 Posit Standard).
#include "formats_impl.hpp"

namespace softnum_py {

void register_posit_formats(std::vector<Format>& out) {
  using impl::make_format;
  using softnum::Posit;
  out.push_back(make_format<Posit<8, 0>>("posit8_0", "Posit<8, 0>", "posit", 8));
  out.push_back(make_format<Posit<8, 1>>("posit8_1", "Posit<8, 1>", "posit", 8));
  out.push_back(make_format<Posit<8, 2>>("posit8", "Posit<8, 2>", "posit", 8));
  out.push_back(make_format<Posit<10, 2>>("posit10", "Posit<10, 2>", "posit", 10));
  out.push_back(make_format<Posit<12, 2>>("posit12", "Posit<12, 2>", "posit", 12));
  out.push_back(make_format<Posit<16, 1>>("posit16_1", "Posit<16, 1>", "posit", 16));
  out.push_back(make_format<Posit<16, 2>>("posit16", "Posit<16, 2>", "posit", 16));
  out.push_back(make_format<Posit<32, 2>>("posit32", "Posit<32, 2>", "posit", 32));
}

}  // namespace softnum_py
