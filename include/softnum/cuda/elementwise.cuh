// softnum/cuda/elementwise.cuh - elementwise kernels on device arrays: conversion and rounding
// (nearest-even or stochastic), a*x + b*z rounded once, ReLU, the SGD-momentum update, and a
// generic for_each_index for anything else. Every element runs the same SOFTNUM_HOST_DEVICE
// scalar code as the host, so results are bit-identical to the host loops documented below.
// SPDX-License-Identifier: MIT
//
// Stochastic rounding: element i uses word i of the stream Philox(seed, stream) (random.hpp),
// i.e. what `softnum::Philox gen(seed, stream); for (i = 0; i < n; ++i) ... gen() ...` gives on
// the host; the words of other modes are 0.
#pragma once

#ifndef __CUDACC__
#  error "softnum/cuda/elementwise.cuh must be compiled by nvcc (include it from a .cu file)"
#endif

#include <softnum/core/convert.hpp>
#include <softnum/core/random.hpp>
#include <softnum/gemm/gemm.hpp>  // detail::exact_mul, detail::exact_add

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint64_t

#include <cuda_runtime.h>

namespace softnum::cuda {

namespace detail {

template <class F>
__global__ void for_each_kernel(std::size_t n, F f) {
  const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += stride)
    f(i);
}

/// Word i of Philox(seed, stream): block i / 4 of the stream, word i % 4.
__device__ inline std::uint32_t stream_word(std::uint64_t seed, std::uint64_t stream,
                                            std::uint64_t i) {
  const PhiloxBlock b = philox4x32_10(
      PhiloxBlock{{static_cast<std::uint32_t>(i >> 2), static_cast<std::uint32_t>(i >> 34),
                   static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)}},
      static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32));
  return b.w[i & 3];
}

template <class To, class From>
struct ConvertOp {
  const From* in;
  To* out;
  Round mode;
  std::uint64_t seed, stream;
  __device__ void operator()(std::size_t i) const {
    const std::uint32_t r = mode == Round::stochastic ? stream_word(seed, stream, i) : 0u;
    out[i] = softnum::detail::number_traits<To>::pack(
        softnum::detail::number_traits<From>::unpack(in[i]), mode, r);
  }
};

template <class T, class S>
struct AxpbyOp {
  softnum::detail::Unpacked a, b;
  const S* x;
  const S* z;
  T* y;
  Round mode;
  std::uint64_t seed, stream;
  __device__ void operator()(std::size_t i) const {
    namespace sd = softnum::detail;
    sd::Unpacked s = sd::exact_mul(a, sd::number_traits<S>::unpack(x[i]));
    if (z != nullptr)
      s = sd::exact_add(s, sd::exact_mul(b, sd::number_traits<S>::unpack(z[i])), mode);
    const std::uint32_t r = mode == Round::stochastic ? stream_word(seed, stream, i) : 0u;
    y[i] = sd::number_traits<T>::pack(s, mode, r);
  }
};

template <class T>
struct ReluOp {
  const T* x;
  T* y;
  __device__ void operator()(std::size_t i) const {
    const softnum::detail::Unpacked u = softnum::detail::number_traits<T>::unpack(x[i]);
    y[i] =
        (u.kind == softnum::detail::Kind::nan || (u.kind != softnum::detail::Kind::zero && !u.sign))
            ? x[i]
            : softnum::detail::number_traits<T>::pack(
                  softnum::detail::make_special(softnum::detail::Kind::zero, false),
                  Round::nearest_even, 0u);
  }
};

template <class T>
struct ReluBackwardOp {
  const T* x;   // the forward input
  const T* dy;  // gradient of the output
  T* dx;
  __device__ void operator()(std::size_t i) const {
    const softnum::detail::Unpacked u = softnum::detail::number_traits<T>::unpack(x[i]);
    dx[i] =
        (u.kind == softnum::detail::Kind::finite || u.kind == softnum::detail::Kind::inf) && !u.sign
            ? dy[i]
            : softnum::detail::number_traits<T>::pack(
                  softnum::detail::make_special(softnum::detail::Kind::zero, false),
                  Round::nearest_even, 0u);
  }
};

template <class W, class V, class G>
struct SgdOp {
  softnum::detail::Unpacked mu, minus_lr;
  W* w;
  V* v;
  const G* g;
  Round mode;
  std::uint64_t seed, stream;
  __device__ void operator()(std::size_t i) const {
    namespace sd = softnum::detail;
    const sd::Unpacked one = sd::unpack_double(1.0);
    const sd::Unpacked vs = sd::exact_add(sd::exact_mul(mu, sd::number_traits<V>::unpack(v[i])),
                                          sd::number_traits<G>::unpack(g[i]), mode);
    const V vn = sd::number_traits<V>::pack(
        vs, mode, mode == Round::stochastic ? stream_word(seed, stream, i) : 0u);
    v[i] = vn;
    const sd::Unpacked ws =
        sd::exact_add(sd::exact_mul(one, sd::number_traits<W>::unpack(w[i])),
                      sd::exact_mul(minus_lr, sd::number_traits<V>::unpack(vn)), mode);
    w[i] = sd::number_traits<W>::pack(
        ws, mode, mode == Round::stochastic ? stream_word(seed, stream + 1, i) : 0u);
  }
};

}  // namespace detail

/// f(i) for i = 0 .. n-1 on the device (f: a trivially copyable functor with a __device__
/// operator()(std::size_t)). Asynchronous on stream.
template <class F>
cudaError_t for_each_index(std::size_t n, F f, cudaStream_t stream = nullptr) {
  if (n == 0) return cudaSuccess;
  constexpr unsigned threads = 256;
  const std::size_t blocks = (n + threads - 1) / threads;
  const unsigned grid = blocks > 65535u * 16u ? 65535u * 16u : static_cast<unsigned>(blocks);
  detail::for_each_kernel<<<grid, threads, 0, stream>>>(n, f);
  return cudaGetLastError();
}

/// out[i] = in[i] rounded once to To in mode (word i of Philox(seed, stream) when stochastic).
/// Host equivalent: out[i] = convert<To, mode>(in[i], word i).
template <class To, class From>
cudaError_t convert(const From* in, To* out, std::size_t n, Round mode = Round::nearest_even,
                    std::uint64_t seed = 0, std::uint64_t stream = 0,
                    cudaStream_t cuda_stream = nullptr) {
  return for_each_index(n, detail::ConvertOp<To, From>{in, out, mode, seed, stream}, cuda_stream);
}

/// y[i] = round_T(a * x[i] + b * z[i]) from the exact value (z may be null: round_T(a * x[i])).
/// a and b are doubles; x, z any softnum or native type S; one rounding per element.
template <class T, class S>
cudaError_t axpby(double a, const S* x, double b, const S* z, T* y, std::size_t n,
                  Round mode = Round::nearest_even, std::uint64_t seed = 0,
                  std::uint64_t stream = 0, cudaStream_t cuda_stream = nullptr) {
  return for_each_index(
      n,
      detail::AxpbyOp<T, S>{softnum::detail::unpack_double(a), softnum::detail::unpack_double(b), x,
                            z, y, mode, seed, stream},
      cuda_stream);
}

/// y[i] = max(x[i], +0) (NaN passes through; -0 and negatives give +0). Exact.
template <class T>
cudaError_t relu(const T* x, T* y, std::size_t n, cudaStream_t stream = nullptr) {
  return for_each_index(n, detail::ReluOp<T>{x, y}, stream);
}

/// dx[i] = x[i] > 0 ? dy[i] : +0. Exact.
template <class T>
cudaError_t relu_backward(const T* x, const T* dy, T* dx, std::size_t n,
                          cudaStream_t stream = nullptr) {
  return for_each_index(n, detail::ReluBackwardOp<T>{x, dy, dx}, stream);
}

/// SGD with momentum, two roundings per element, each from the exact value:
///   v[i] = round_V(momentum * v[i] + g[i])       (word i of Philox(seed, stream))
///   w[i] = round_W(w[i] - lr * v[i])             (word i of Philox(seed, stream + 1))
template <class W, class V, class G>
cudaError_t sgd_momentum(W* w, V* v, const G* g, std::size_t n, double lr, double momentum,
                         Round mode = Round::nearest_even, std::uint64_t seed = 0,
                         std::uint64_t stream = 0, cudaStream_t cuda_stream = nullptr) {
  return for_each_index(
      n,
      detail::SgdOp<W, V, G>{softnum::detail::unpack_double(momentum),
                             softnum::detail::unpack_double(-lr), w, v, g, mode, seed, stream},
      cuda_stream);
}

}  // namespace softnum::cuda
