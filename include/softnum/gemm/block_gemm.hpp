// softnum/gemm/block_gemm.hpp - products of block-scaled operands: block_dot(a, b) and
// gemm_block (the reference model; scalar, one thread).
// SPDX-License-Identifier: MIT
//
// The model (OCP MX v1.0 §6.1: C = X_A * X_B * sum_i P_A,i * P_B,i, internal precision
// implementation-defined; here stated exactly):
//   1. each block pair's element products are summed exactly (an integer of at most 126 bits);
//   2. the two scales are applied exactly (2^(kA + kB)) and the block result is rounded once to
//      float, nearest even (NaN if either scale is NaN; a zero sum is -0 only when every product
//      is -0, as an exact IEEE sum would be). Infinite and NaN elements (E5M2's inf and NaN,
//      E4M3's NaN) act as in that exact IEEE sum of the products X_A * a_i * X_B * b_i: a NaN
//      element, inf * 0, or infinite products of both signs give NaN, otherwise an infinite
//      product gives the infinity of its sign;
//   3. the block results along K are summed in float, nearest even, one addition at a time in
//      increasing block index, starting from the first block's result (as a tensor core's FP32
//      accumulator, without its internal truncations). A NaN result is the positive quiet NaN
//      0x7FC00000 (as on the GPU, whose NaNs carry no payload), whatever NaN the float additions
//      produced.
// gemm_block: C (M x N, row-major floats) = A (M rows of kb blocks along K) times B^T (N rows of
// kb blocks along K, i.e. the columns of B); c[i*N + j] = sum over t of block_dot(a[i*kb + t],
// b[j*kb + t]). Both operands quantize along K, as MX GEMMs require. gemm_block is the
// definition (scalar, one thread); gemm_block_parallel computes the same bits with SIMD kernels
// on several threads (gemm/block_gemm_kernels.hpp), and cuda/block_gemm.cuh on a GPU.
#pragma once

#include <softnum/core/bits.hpp>
#include <softnum/core/convert.hpp>
#include <softnum/core/round.hpp>
#include <softnum/types/block.hpp>
#include <softnum/types/float.hpp>

#include <cstddef>    // std::size_t
#include <cstdint>    // std::uint8_t
#include <limits>     // std::numeric_limits
#include <stdexcept>  // std::invalid_argument

namespace softnum {
namespace detail::block {

/// The exponent of the quantum (smallest nonzero magnitude) of element type E.
template <class E>
struct element_quantum {
  static constexpr Unpacked u = std::numeric_limits<E>::denorm_min().unpack();
  static constexpr int exp = u.exp + bit_width(u.sig) - 1;
};

}  // namespace detail::block

/// X_a * X_b * sum_i a_i * b_i for two blocks of the same size, the sum exact and the result
/// rounded once to float (nearest even); NaN if either scale is NaN (see the top of this file).
template <class EA, class EB, int N, class S>
SOFTNUM_HOST_DEVICE constexpr float block_dot(const Block<EA, N, S>& a,
                                              const Block<EB, N, S>& b) noexcept {
  using detail::block::element_max;
  using detail::block::element_quantum;
  // Products are multiples of 2^base below 2^(top + 2): their sum fits an i128.
  constexpr int base = element_quantum<EA>::exp + element_quantum<EB>::exp;
  constexpr int top = element_max<EA>::emax + element_max<EB>::emax;
  static_assert(top + 2 - base + detail::bit_width(static_cast<std::uint64_t>(N)) <= 126,
                "softnum::block_dot: the exact block sum would not fit 126 bits");
  const std::uint8_t ca = a.scale().bits(), cb = b.scale().bits();
  if (ca == detail::block::scale_nan_code || cb == detail::block::scale_nan_code) {
    return detail::bit_cast<float>(0x7FC00000u);
  }
  detail::i128 sum = 0;
  bool all_negative_zero = true;
  bool nan = false;         // a NaN element, inf * 0, or +inf and -inf products
  unsigned infinities = 0;  // bit 0: a +inf product, bit 1: a -inf product
  for (int i = 0; i < N; ++i) {
    const detail::Unpacked x = detail::number_traits<EA>::unpack(a.element(i));
    const detail::Unpacked y = detail::number_traits<EB>::unpack(b.element(i));
    const bool negative = x.sign != y.sign;
    if (x.kind == detail::Kind::nan || y.kind == detail::Kind::nan) {
      nan = true;
    } else if (x.kind == detail::Kind::inf || y.kind == detail::Kind::inf) {
      if (x.kind == detail::Kind::zero || y.kind == detail::Kind::zero) nan = true;
      infinities |= negative ? 2u : 1u;
    } else if (x.kind != detail::Kind::finite || y.kind != detail::Kind::finite) {
      all_negative_zero = all_negative_zero && negative;  // a zero product
      continue;
    } else {
      const auto p = static_cast<detail::i128>(static_cast<detail::u128>(x.sig * y.sig)
                                               << (x.exp + y.exp - base));
      sum = negative ? sum - p : sum + p;
    }
    all_negative_zero = false;
  }
  if (nan || infinities == 3u) return detail::bit_cast<float>(0x7FC00000u);
  if (infinities != 0u)
    return detail::bit_cast<float>(infinities == 1u ? 0x7F800000u : 0xFF800000u);
  detail::Unpacked r;
  if (sum == 0) {
    r = detail::make_special(detail::Kind::zero, all_negative_zero);
  } else {
    const bool negative = sum < 0;
    r = detail::Unpacked{
        detail::Kind::finite, negative,
        base + (static_cast<int>(ca) - 127) + (static_cast<int>(cb) - 127),
        negative ? static_cast<detail::u128>(-sum) : static_cast<detail::u128>(sum)};
  }
  return detail::number_traits<float>::pack(r, Round::nearest_even, 0u);
}

/// c[i*n + j] = the float sum, in increasing t, of block_dot(a[i*kb + t], b[j*kb + t]) for t < kb
/// (kb >= 1; see the top of this file). c may not overlap a or b.
template <class BA, class BB>
void gemm_block(std::size_t m, std::size_t n, std::size_t kb, const BA* a, const BB* b,
                float* c) noexcept {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const BA* ar = a + i * kb;
      const BB* br = b + j * kb;
      float acc = block_dot(ar[0], br[0]);
      for (std::size_t t = 1; t < kb; ++t) acc = acc + block_dot(ar[t], br[t]);
      c[i * n + j] = acc != acc ? detail::bit_cast<float>(0x7FC00000u) : acc;
    }
  }
}

}  // namespace softnum

#include <softnum/gemm/block_gemm_kernels.hpp>  // gemm_block_parallel's kernels (need block_dot)

namespace softnum {

/// gemm_block's result, bit for bit, computed by the SIMD kernels of gemm/block_gemm_kernels.hpp
/// on options.threads threads (0: all; small products run on one): the same model for every
/// thread count, instruction set and compiler. kb must be >= 1. Only options.threads applies;
/// the other GemmOptions (rounding modes, chunks, accumulation) are not part of this model and
/// must keep their defaults. c may not overlap a or b.
template <BlockFormat BA, BlockFormat BB>
void gemm_block_parallel(std::size_t m, std::size_t n, std::size_t kb, const BA* a, const BB* b,
                         float* c, const GemmOptions& options = {}) {
  static_assert(BA::block_size == BB::block_size,
                "softnum::gemm_block_parallel: both operands need the same block size");
  if (kb == 0) throw std::invalid_argument("softnum::gemm_block_parallel: kb must be >= 1");
  if (options.round != Round::nearest_even || options.output_round != Round::nearest_even ||
      options.chunk != 0 || options.accumulate) {
    throw std::invalid_argument(
        "softnum::gemm_block_parallel: only GemmOptions::threads applies (the block model rounds "
        "to nearest even, without chunks or accumulation into C)");
  }
  if (m == 0 || n == 0) return;
  const auto work =
      static_cast<std::ptrdiff_t>(m * n * kb * static_cast<std::size_t>(BA::block_size));
  const unsigned threads = detail::gemm_threads(options, static_cast<std::ptrdiff_t>(m), work);
  detail::block_gemm::run(m, n, kb, a, b, c, threads);
}

}  // namespace softnum
