// softnum/ops/block_quantize.hpp - fake quantization of float arrays into block-scaled formats:
// quantize<B>(x, y, rule, mode, seed) for a Block type B, and quantize_nvfp4(x, y, mode, seed).
// SPDX-License-Identifier: MIT
//
// quantize<B>: y = B::encode then decode, block after block over consecutive BlockSize values of
// x; element i of the array takes the stochastic word random_word(seed, i, 0), so the result is
// B::encode(x + j*BlockSize, rule, mode, seed, j*BlockSize).decode(y + j*BlockSize) for every
// block j, bit for bit (tests/block_test.cpp checks it).
//
// Speed: for Float elements whose quantum is at least 2^-22 (every MX float element) the blocks
// take vectorisable passes (ops/block_kernels.inc, compiled per instruction set): the block
// maxima (integer max over the float bits), then x * 2^-k, the branch-free rounding of
// quantize<Element> with saturation (round_bits of ops/quantize_kernels.inc), and * 2^k. x * 2^-k
// is exact down to 2^-126; below that only its sign and that it is nonzero reach the element
// rounding (the element's half quantum is >= 2^-23, and a stochastic fraction below 2^-126 / 2^-22
// rounds to 0 of 32 bits), so a product that underflows to zero is replaced by the smallest float
// subnormal of its sign. The product with 2^k is exact (quantum * 2^-127
// >= 2^-149). MXINT8 (Fixed<2, 6>) rounds as the float with the same values (kernel_element).
//
// quantize_nvfp4: NVIDIA's NVFP4 recipe (TransformerEngine's reference quantizer; FORMATS.md
// §2.3), in float arithmetic exactly as written there:
//   S_enc = min(448 * 6 / amax_tensor, FLT_MAX), 1 if that is 0;  S_dec = 1 / S_enc
//   per 16 values: s = E4M3_RNE(min(amax_block * (S_enc / 6), 448))     (the unsigned E4M3 scale)
//                  enc = min(1 / (s * S_dec), FLT_MAX)
//                  q_i = E2M1_mode(clamp(x_i * enc, -6, 6))              (word random_word(seed, i,
//                  0)) y_i = q_i * s * S_dec, rounded once to float (q_i * s is exact).
// A NaN anywhere makes amax_tensor and so every output NaN (as torch.amax propagates NaN); an
// infinity makes S_enc = 1 and saturates its block. NaN outputs are the positive quiet NaN.
#pragma once

#include <softnum/ops/quantize.hpp>
#include <softnum/types/block.hpp>

#include <cassert>  // assert: sizes are preconditions
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t, std::uint64_t
#include <span>     // std::span

namespace softnum {
namespace detail::block {

/// 2^k as a float, k in [-149, 127].
inline float pow2f(int k) noexcept {
  return k >= -126 ? bit_cast<float>(static_cast<std::uint32_t>(k + 127) << 23)
                   : bit_cast<float>(std::uint32_t{1} << (k + 149));
}

inline constexpr std::uint32_t quiet_nan_bits = 0x7FC00000u;

/// The format whose rounding the float kernel applies to a block's scaled elements: the element
/// itself with saturation, or for Fixed<I, F> (n * 2^-F, |n| < 2^(I+F-1)) the sign-magnitude
/// float with the same values: E = 1, M = I + F - 2, bias 3 - I (subnormals n * 2^-F below
/// 2^(I-2), one binade above), saturating at the same largest magnitude. Its only other value,
/// -0, is mapped to +0 after rounding; two's complement's -2^(I-1) is never produced by Block
/// (the symmetric clamp), and directed, odd and stochastic rounding act on the magnitude in both.
template <class E>
struct kernel_element {
  using type = typename element_traits<E>::saturating;
};
template <int I, int F, Round R, FixedOverflow O>
struct kernel_element<Fixed<I, F, R, O>> {
  using type = Float<1, (I + F >= 3 ? I + F - 2 : 1), Specials::finite, Overflow::saturate,
                     Round::nearest_even, true, FloatSpec{3 - I}>;
};

/// Whether quantize<Block<E, ...>> may take the float-kernel path (see the top of this file): the
/// conditions of quant::float_kernel_ok, which the Fixed twins meet except that their bias is not
/// the standard one (the kernel reads only emin, M and the largest value; block_test compares this
/// path with the scalar one bit for bit, MXINT8 included).
template <class E>
struct fast_path_ok {
  using S = typename kernel_element<E>::type;
  using C = typename S::codec;
  static constexpr bool value =
      (element_traits<E>::is_float
           ? quant::float_kernel_ok<S>::value
           : element_traits<E>::width >= 3 && C::is_signed && C::has_zero &&
                 S::mantissa_bits <= 22 && C::emin >= -126 && C::emax <= 127) &&
      C::emin - S::mantissa_bits >= -22;
};

}  // namespace detail::block
}  // namespace softnum

// ----- the kernel of quantize<Block>, once per instruction set ------------------------------
#define SOFTNUM_PER_ISA_KERNELS <softnum/ops/block_kernels.inc>
#include <softnum/ops/per_isa.inc>
#undef SOFTNUM_PER_ISA_KERNELS

namespace softnum {
namespace detail::block {

template <class B>
void quantize_blocks_fast(const float* x, float* y, std::size_t nblocks, ScaleRule rule, Round mode,
                          std::uint64_t seed) noexcept {
  using S = typename kernel_element<typename B::element_type>::type;
  const quant::Specials32 sp = quant::specials32<S>(mode);
  const quant::SpecialsFlat s{sp.zero[0], sp.zero[1], sp.inf[0],      sp.inf[1],
                              sp.nan[0],  sp.nan[1],  sp.overflow[0], sp.overflow[1]};
  SOFTNUM_PER_ISA_RETURN(block_quantize<B, S>(x, y, nblocks, rule, mode, s, seed));
}

}  // namespace detail::block

/// Fake quantization into the block format B: y = decode(encode(x)) block by block (see the top
/// of this file). x and y may be the same array. Sizes must match and be a multiple of
/// B::block_size (preconditions, checked by assert; a trailing partial block is set to NaN).
template <BlockFormat B>
void quantize(std::span<const float> x, std::span<float> y, ScaleRule rule = ScaleRule::floor,
              Round mode = Round::nearest_even, std::uint64_t seed = 0) noexcept {
  assert(x.size() == y.size() && "softnum::quantize: x and y must have the same size");
  constexpr std::size_t bs = static_cast<std::size_t>(B::block_size);
  assert(x.size() % bs == 0 && "softnum::quantize: the size must be a multiple of the block size");
  const std::size_t n = x.size() < y.size() ? x.size() : y.size();
  const std::size_t nblocks = n / bs;
  if constexpr (detail::block::fast_path_ok<typename B::element_type>::value) {
    detail::block::quantize_blocks_fast<B>(x.data(), y.data(), nblocks, rule, mode, seed);
  } else {
    for (std::size_t j = 0; j < nblocks; ++j) {
      B::encode(x.data() + j * bs, rule, mode, seed, j * bs).decode(y.data() + j * bs);
    }
  }
  for (std::size_t i = nblocks * bs; i < n; ++i)
    y[i] = detail::bit_cast<float>(detail::block::quiet_nan_bits);
}

/// NVFP4 fake quantization (see the top of this file): E2M1 elements in mode `mode`, an unsigned
/// E4M3 scale per 16 values, one float scale for the whole of x. Sizes must match and be a
/// multiple of 16 (preconditions, checked by assert; a trailing partial block is set to NaN).
inline void quantize_nvfp4(std::span<const float> x, std::span<float> y,
                           Round mode = Round::nearest_even, std::uint64_t seed = 0) noexcept {
  assert(x.size() == y.size() && "softnum::quantize_nvfp4: x and y must have the same size");
  assert(x.size() % 16 == 0 && "softnum::quantize_nvfp4: the size must be a multiple of 16");
  constexpr std::size_t bs = 16, per_chunk = 64;
  constexpr float flt_max = 3.40282346638528859811704183484516925e+38f;
  const std::size_t n = x.size() < y.size() ? x.size() : y.size();
  const std::size_t nblocks = n / bs;
  const float* xp = x.data();
  float* yp = y.data();
  std::uint32_t amax_t = 0;
  for (std::size_t i = 0; i < nblocks * bs; ++i) {
    std::uint32_t u;
    __builtin_memcpy(&u, xp + i, sizeof u);
    u &= 0x7FFFFFFFu;
    amax_t = u > amax_t ? u : amax_t;
  }
  // Comparisons written so that NaN passes through, as torch.clamp / torch.min do.
  float s_enc = 2688.0f / detail::bit_cast<float>(amax_t);
  s_enc = s_enc > flt_max ? flt_max : s_enc;
  s_enc = s_enc == 0.0f ? 1.0f : s_enc;
  const float s_dec = 1.0f / s_enc;
  const float s_enc6 = s_enc / 6.0f;
  float v[per_chunk * bs];
  float q[per_chunk * bs];
  float scale[per_chunk];
  for (std::size_t b0 = 0; b0 < nblocks; b0 += per_chunk) {
    const std::size_t nb = nblocks - b0 < per_chunk ? nblocks - b0 : per_chunk;
    float s[per_chunk];
    for (std::size_t j = 0; j < nb; ++j) {
      const float* xb = xp + (b0 + j) * bs;
      std::uint32_t m = 0;
      for (std::size_t i = 0; i < bs; ++i) {
        std::uint32_t u;
        __builtin_memcpy(&u, xb + i, sizeof u);
        u &= 0x7FFFFFFFu;
        m = u > m ? u : m;
      }
      const float t = detail::bit_cast<float>(m) * s_enc6;
      s[j] = t > 448.0f ? 448.0f : t;
    }
    // The block scales to E4M3, nearest even (s >= 0 or NaN: E4M3fn's kernel rounds them as
    // float8_ue4m3 would).
    detail::quant::quantize_f32<float8_e4m3fn>(s, scale, nb, Round::nearest_even, 0, 0);
    for (std::size_t j = 0; j < nb; ++j) {
      const float* xb = xp + (b0 + j) * bs;
      float enc = 1.0f / (scale[j] * s_dec);
      enc = enc > flt_max ? flt_max : enc;
      float* vb = v + j * bs;
      for (std::size_t i = 0; i < bs; ++i) {
        float t = xb[i] * enc;
        t = t > 6.0f ? 6.0f : (t < -6.0f ? -6.0f : t);
        vb[i] = t;
      }
    }
    detail::quant::quantize_f32<float4_e2m1fn>(v, q, nb * bs, mode, seed, b0 * bs);
    for (std::size_t j = 0; j < nb; ++j) {
      const float sf = scale[j];
      float* yb = yp + (b0 + j) * bs;
      const float* qb = q + j * bs;
      const float* vb = v + j * bs;
      for (std::size_t i = 0; i < bs; ++i) {
        const float r = (qb[i] * sf) * s_dec;  // q * s is exact: one rounding
        const bool nan = !(r == r) || !(vb[i] == vb[i]);
        yb[i] = nan ? detail::bit_cast<float>(detail::block::quiet_nan_bits) : r;
      }
    }
  }
  for (std::size_t i = nblocks * bs; i < n; ++i)
    yp[i] = detail::bit_cast<float>(detail::block::quiet_nan_bits);
}

}  // namespace softnum
