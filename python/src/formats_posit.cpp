// softnum Python module: posit formats (2022 Posit Standard) (the library registry's list).
#include "formats_impl.hpp"

namespace softnum_py {

void register_posit_formats(std::vector<Format>& out) {
  softnum::for_each_standard_posit_format(impl::registrar(out));
}

}  // namespace softnum_py
