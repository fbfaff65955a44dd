// softnum_train: e7m<M> formats (one translation unit per exponent width keeps rebuilds and
// parallel builds small).
#include "formats_small.hpp"

namespace train {

void register_e7_formats(std::vector<Format>& out) {
  impl::register_e<7>(out, std::make_integer_sequence<int, kMaxM + 1>{});
}

}  // namespace train
