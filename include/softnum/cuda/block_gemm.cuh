// softnum/cuda/block_gemm.cuh - GEMM with block-scaled operands on a CUDA device, bit-identical
// to softnum::gemm_block and gemm_block_parallel (gemm/block_gemm.hpp).
// SPDX-License-Identifier: MIT
//
// softnum::cuda::gemm_block(m, n, kb, a, b, c, stream) takes device pointers laid out as the CPU
// functions take them (A: m rows of kb blocks, B: n rows of kb blocks, i.e. the columns of B; C:
// m x n row-major floats) and computes the model stated at the top of gemm/block_gemm.hpp: one
// thread owns each output and runs the CPU's own SOFTNUM_HOST_DEVICE block_dot for t = 0 .. kb-1
// (exact i128 block sums, both scales applied exactly, one rounding to float), adding the block
// results with __fadd_rn in increasing t (no contraction, no reassociation, no split-K). A NaN
// output is 0x7FC00000, as on the CPU. Compile with -fmad=false and without --use_fast_math
// (which would flush float subnormals).
#pragma once

#ifndef __CUDACC__
#  error "softnum/cuda/block_gemm.cuh must be compiled by nvcc (include it from a .cu file)"
#endif

#include <softnum/gemm/block_gemm.hpp>

#include <cstddef>  // std::size_t

#include <cuda_runtime.h>

namespace softnum::cuda {

namespace detail {

inline constexpr unsigned block_gemm_dim = 16;  // 16 x 16 threads, one output each

template <class BA, class BB>
__global__ void gemm_block_kernel(std::size_t m, std::size_t n, std::size_t kb, const BA* a,
                                  const BB* b, float* c) {
  const std::size_t i = static_cast<std::size_t>(blockIdx.y) * blockDim.y + threadIdx.y;
  const std::size_t j = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= m || j >= n) return;
  const BA* ar = a + i * kb;
  const BB* br = b + j * kb;
  float acc = block_dot(ar[0], br[0]);
  for (std::size_t t = 1; t < kb; ++t) acc = __fadd_rn(acc, block_dot(ar[t], br[t]));
  c[i * n + j] = acc != acc ? softnum::detail::bit_cast<float>(0x7FC00000u) : acc;
}

}  // namespace detail

/// c[i*n + j] = the model's sum over t of block_dot(a[i*kb + t], b[j*kb + t]), as gemm_block;
/// a, b, c device pointers, c not overlapping a or b. Asynchronous on `stream`; returns the
/// launch error (cudaErrorInvalidValue for kb = 0, cudaErrorInvalidConfiguration for m above
/// 65535 * 16). m = 0 or n = 0 launches nothing.
template <BlockFormat BA, BlockFormat BB>
cudaError_t gemm_block(std::size_t m, std::size_t n, std::size_t kb, const BA* a, const BB* b,
                       float* c, cudaStream_t stream = nullptr) {
  static_assert(BA::block_size == BB::block_size,
                "softnum::cuda::gemm_block: both operands need the same block size");
  if (kb == 0) return cudaErrorInvalidValue;
  if (m == 0 || n == 0) return cudaSuccess;
  constexpr unsigned d = detail::block_gemm_dim;
  const std::size_t gx = (n + d - 1) / d, gy = (m + d - 1) / d;
  if (gy > 65535 || gx > 0x7FFFFFFF) return cudaErrorInvalidConfiguration;
  const dim3 grid(static_cast<unsigned>(gx), static_cast<unsigned>(gy));
  const dim3 block(d, d);
  detail::gemm_block_kernel<BA, BB><<<grid, block, 0, stream>>>(m, n, kb, a, b, c);
  return cudaGetLastError();
}

}  // namespace softnum::cuda
