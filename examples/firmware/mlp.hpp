// examples/firmware/mlp.hpp - inference of the MLP exported by softnum_train --export-weights,
// in any softnum format, with the same code on the host and on a Cortex-M.
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/numbers.hpp>

#include <array>
#include <cstddef>
#include <cstdint>

#include "model.hpp"

namespace firmware {

namespace model = softnum_model;

/// How a format accumulates a dot product. Posits use the quire (exact, one rounding per dot
/// product); the others a fused multiply-add chain in an accumulator format, one rounding per
/// term (float8 accumulates in binary16, as fp8 inference kernels do).
template <class T>
struct Accumulate {
  using type = T;
};
template <>
struct Accumulate<softnum::float8_e4m3fn> {
  using type = softnum::binary16;
};

template <class T>
inline constexpr bool is_posit = false;
template <int N, int ES>
inline constexpr bool is_posit<softnum::Posit<N, ES>> = true;

/// The master weights rounded once to T, at compile time: only T's bytes are in flash.
template <class T, std::size_t N>
constexpr std::array<T, N> to_format(const model::master_type (&w)[N]) {
  std::array<T, N> r{};
  for (std::size_t i = 0; i < N; ++i) r[i] = softnum::convert<T>(w[i]);
  return r;
}
template <class T>
inline constexpr auto kW0 = to_format<T>(model::kLayer0);
template <class T>
inline constexpr auto kW1 = to_format<T>(model::kLayer1);

/// Input pixel v -> T: fl32((v / 255 - mean) / std) rounded once to T (as softnum_train does).
template <class T>
constexpr std::array<T, 256> make_input_table() {
  std::array<T, 256> t{};
  for (int v = 0; v < 256; ++v) {
    const auto x = static_cast<float>((v / 255.0 - model::kMean) / model::kStd);
    t[static_cast<std::size_t>(v)] = softnum::convert<T>(softnum::binary32(x));
  }
  return t;
}
template <class T>
inline constexpr auto kInput = make_input_table<T>();

/// sum_i w[i] x[i] + w[n] (the bias is the last term, as in training), rounded to T.
template <class T>
T dot(const T* w, const T* x, int n) {
  if constexpr (is_posit<T>) {
    softnum::Quire<T::nbits, T::es> q;
    for (int i = 0; i < n; ++i) q.fma(w[i], x[i]);
    q += w[n];
    return q.round();
  } else {
    using A = typename Accumulate<T>::type;
    A acc = softnum::convert<A>(w[n] - w[n]);  // +0
    for (int i = 0; i < n; ++i)
      acc = fma(softnum::convert<A>(w[i]), softnum::convert<A>(x[i]), acc);
    acc = acc + softnum::convert<A>(w[n]);
    return softnum::convert<T>(acc);
  }
}

/// The 10 outputs (logits) of the network for one image.
template <class T>
void infer(const std::uint8_t* image, T (&out)[model::kOutputs]) {
  static_assert(model::kLayers == 2, "examples/firmware runs the one-hidden-layer MLP");
  T x[model::kLayer0In];
  T h[model::kLayer0Out];
  for (int i = 0; i < model::kLayer0In; ++i) x[i] = kInput<T>[image[i]];
  const T zero = x[0] - x[0];
  for (int j = 0; j < model::kLayer0Out; ++j) {
    const T y = dot(kW0<T>.data() + j * (model::kLayer0In + 1), x, model::kLayer0In);
    h[j] = y > zero ? y : zero;  // ReLU
  }
  for (int j = 0; j < model::kLayer1Out; ++j) {
    out[j] = dot(kW1<T>.data() + j * (model::kLayer1In + 1), h, model::kLayer1In);
  }
}

}  // namespace firmware
