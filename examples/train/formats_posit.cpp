// softnum_train: posit formats (the library registry's list).
#include "format_impl.hpp"

namespace train {

void register_posit_formats(std::vector<Format>& out) {
  softnum::for_each_standard_posit_format(impl::registrar(out));
}

}  // namespace train
