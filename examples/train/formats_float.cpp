// softnum_train: native and named floating-point formats (the library registry's list).
#include "format_impl.hpp"

namespace train {

void register_float_formats(std::vector<Format>& out) {
  softnum::for_each_standard_float_format(impl::registrar(out));
}

}  // namespace train
