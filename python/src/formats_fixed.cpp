// softnum Python module: fixed-point formats, Fixed<I, F> (the library registry's list).
#include "formats_impl.hpp"

namespace softnum_py {

void register_fixed_formats(std::vector<Format>& out) {
  softnum::for_each_standard_fixed_format(impl::registrar(out));
}

}  // namespace softnum_py
