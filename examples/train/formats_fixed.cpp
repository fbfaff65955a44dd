// softnum_train: fixed-point formats, Fixed<I, F> (the library registry's list).
#include "format_impl.hpp"

namespace train {

void register_fixed_formats(std::vector<Format>& out) {
  softnum::for_each_standard_fixed_format(impl::registrar(out));
}

}  // namespace train
