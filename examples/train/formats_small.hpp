// softnum_train: the e<E>m<M> family, Float<E, M> with IEEE semantics (subnormals, inf, NaN),
// for kMinE <= E <= kMaxE, 1 <= M <= kMaxM and E + M <= kMaxEM (at most 16 bits). They cannot be
// the destination of a quire accumulation (no instantiation of that GEMM; the named formats can).
#pragma once

#include <string>
#include <utility>

#include "format_impl.hpp"

namespace train {

inline constexpr int kMinE = 2, kMaxE = 8, kMaxM = 10, kMaxEM = 15;

namespace impl {

template <int E, int... Ms>
void register_e(std::vector<Format>& out, std::integer_sequence<int, Ms...>) {
  auto one = [&out]<int M>() {
    if constexpr (M >= 1 && E + M <= kMaxEM) {
      const std::string name = "e" + std::to_string(E) + "m" + std::to_string(M);
      const std::string type = "Float<" + std::to_string(E) + ", " + std::to_string(M) + ">";
      out.push_back(make_format<softnum::Float<E, M>, false>(name.c_str(), type.c_str(), ""));
    }
  };
  (one.template operator()<Ms>(), ...);
}

}  // namespace impl
}  // namespace train
