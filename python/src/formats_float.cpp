// softnum Python module: native and named floating-point formats (the library registry's list).
#include "formats_impl.hpp"

namespace softnum_py {

void register_float_formats(std::vector<Format>& out) {
  softnum::for_each_standard_float_format(impl::registrar(out));
}

}  // namespace softnum_py
