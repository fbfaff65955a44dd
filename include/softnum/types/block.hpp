// softnum/types/block.hpp - block-scaled formats: Block<Element, BlockSize, Scale>, the OCP MX
// v1.0 formats (MXFP8, MXFP6, MXFP4, MXINT8) and the scale rules.
// SPDX-License-Identifier: MIT
//
// Format card: Block<Element, BlockSize, Scale>
//   layout:   one shared scale X (Scale = float8_e8m0fnu, a power of two) and BlockSize elements
//   P_i, stored
//             packed: element i occupies bits [i*W, (i+1)*W) of a little-endian byte string (W the
//             element's width), so two FP4 elements share a byte, low nibble first (PTX e2m1x2,
//             TransformerEngine's cast_to_fp4x2), four FP6 elements share three bytes.
//   value:    v_i = X * P_i, exact (OCP MX v1.0 §5.1). A NaN scale makes every value NaN.
//   encode:   (OCP MX §6.3, with the scale rule as a parameter)
//             amax = max |x_i|. A NaN or infinite x_i gives the NaN scale (every value NaN; the
//             elements are stored as zeros, which the standard leaves unspecified). An all-zero
//             block gets the smallest scale 2^-127 and zero elements.
//             ScaleRule::floor (the OCP rule): X = 2^(floor(log2 amax) - emax_elem), emax_elem =
//               the exponent of the element's largest value; the block maximum may clip (FP4:
//               amax/X in [4, 8) against a largest element of 6; 960 in MXFP8 E4M3 gives X = 2,
//               and 957/2 = 478.5 saturates to 448: "957 becomes 896").
//             ScaleRule::ceil (TransformerEngine, CUTLASS, P3109 §5 NOTE 5): the smallest X with
//               amax / X <= the largest element, so the block maximum never clips.
//             Both are clamped to the scale's range [2^-127, 2^127]. floor above 2^127 gives the
//             NaN scale (microxcaling), ceil above it the largest scale 2^127 (satfinite), which
//             only MXINT8 reaches from float input (amax > (127/64) * 2^127).
//             P_i = x_i / X, exact, then rounded once to the element in `mode`, saturating at the
//             element's largest magnitude with the sign kept (MX §6.3: clamp, not NaN or inf).
//             The clamp is symmetric: MXINT8 never produces -2 (code 0x80, which OCP MX §5.4.1
//             allows to be left unused), as microxcaling clamps to +-127/64.
//             Round::stochastic uses the word random_word(seed, offset + i, 0) for element i, the
//             convention of quantize() (ops/quantize.hpp).
//   decode:   y_i = X * P_i rounded to float (nearest even; exact for the MX formats).
#pragma once

#include <softnum/core/convert.hpp>
#include <softnum/core/random.hpp>
#include <softnum/core/round.hpp>
#include <softnum/types/fixed.hpp>
#include <softnum/types/float.hpp>

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint32_t, std::uint64_t
#include <limits>       // std::numeric_limits
#include <type_traits>  // std::is_same_v

namespace softnum {

/// How a block's shared power-of-two scale is chosen from its largest magnitude (see above).
enum class ScaleRule { floor, ceil };

namespace detail::block {

/// A scale type whose codes are the E8M0 codes: 2^(code - 127), 0xFF = NaN.
template <class S>
inline constexpr bool is_e8m0 = std::is_same_v<S, float8_e8m0fnu>;

inline constexpr int scale_min_exp = -127, scale_max_exp = 127;
inline constexpr std::uint8_t scale_nan_code = 0xFF;

/// What Block needs to know about its element type E.
template <class E>
struct element_traits;

template <FloatFormat E>
struct element_traits<E> {
  static constexpr int width = E::codec::width;
  /// Rounding into E with saturation at the largest magnitude (MX §6.3), same codes as E.
  using saturating = with_overflow_t<E, Overflow::saturate>;
  static constexpr bool is_float = true;
};

template <int I, int F, Round R, FixedOverflow O>
struct element_traits<Fixed<I, F, R, O>> {
  static constexpr int width = I + F;
  using saturating = Fixed<I, F, R, FixedOverflow::saturate>;
  static constexpr bool is_float = false;
};

/// The largest element value m * 2^emax with m in [1, 2) as emax and m * 2^23 (a 24-bit integer):
/// emax_elem of OCP MX §6.3 and the significand the ceil rule compares with.
template <class E>
struct element_max {
  static constexpr Unpacked u = std::numeric_limits<E>::max().unpack();
  static constexpr int top = bit_width(u.sig) - 1;  // u.sig < 2^64 for every element type
  static constexpr int emax = u.exp + top;
  static_assert(top <= 23,
                "softnum::Block: element significands wider than 24 bits are not supported");
  static constexpr std::uint32_t sig24 = static_cast<std::uint32_t>(u.sig) << (23 - top);
};

/// The scale code (E8M0: 0..254 for 2^(code-127), 0xFF NaN) chosen by `rule` for a block whose
/// largest |x| has the float bits amax_bits (sign cleared; above 0x7F800000 is NaN).
template <class E>
SOFTNUM_HOST_DEVICE constexpr std::uint8_t scale_code(std::uint32_t amax_bits,
                                                      ScaleRule rule) noexcept {
  if (amax_bits >= 0x7F800000u) return scale_nan_code;  // inf or NaN in the block (MX §5.1)
  if (amax_bits == 0) return 0;                         // all zeros: the smallest scale
  const std::uint32_t field = amax_bits >> 23;
  std::uint32_t sig = amax_bits & 0x7FFFFFu;
  int e;  // amax = (sig / 2^23) * 2^e, sig normalised to [2^23, 2^24)
  if (field != 0) {
    sig |= 0x800000u;
    e = static_cast<int>(field) - 127;
  } else {
    const int lead = bit_width(sig) - 1;
    e = lead - 149;
    sig <<= 23 - lead;
  }
  int k = e - element_max<E>::emax;  // floor(log2 amax) - emax_elem
  if (rule == ScaleRule::ceil) {
    if (sig > element_max<E>::sig24) ++k;  // amax / 2^k above the largest element: next binade
    if (k > scale_max_exp) k = scale_max_exp;
  } else if (k > scale_max_exp) {
    return scale_nan_code;
  }
  if (k < scale_min_exp) k = scale_min_exp;
  return static_cast<std::uint8_t>(k + 127);
}

/// |x| as float bits with the sign cleared, the max over n values (NaN codes order above inf).
SOFTNUM_HOST_DEVICE constexpr std::uint32_t amax_bits(const float* x, int n) noexcept {
  std::uint32_t m = 0;
  for (int i = 0; i < n; ++i) {
    const std::uint32_t a = bit_cast<std::uint32_t>(x[i]) & 0x7FFFFFFFu;
    m = a > m ? a : m;
  }
  return m;
}

/// x / 2^k rounded once to E (saturating) in `mode`: the element code.
template <class E>
SOFTNUM_HOST_DEVICE constexpr typename E::storage_type encode_element(float x, int k, Round mode,
                                                                      std::uint32_t word) noexcept {
  using S = typename element_traits<E>::saturating;
  Unpacked u = number_traits<float>::unpack(x);
  if (u.kind == Kind::finite) u.exp -= k;
  const S e = number_traits<S>::pack(u, mode, word);
  if constexpr (!element_traits<E>::is_float) {
    // Symmetric clamp: two's complement's extra negative value is not used.
    constexpr auto max_raw = S::core::max_raw;
    if (e.raw() < -max_raw) return S::from_raw(static_cast<typename S::raw_type>(-max_raw)).bits();
  }
  return e.bits();
}

/// 2^k * (the value of e), rounded to float (nearest even).
template <class E>
SOFTNUM_HOST_DEVICE constexpr float decode_element(E e, int k) noexcept {
  Unpacked u = number_traits<E>::unpack(e);
  if (u.kind == Kind::finite) u.exp += k;
  return number_traits<float>::pack(u, Round::nearest_even, 0u);
}

}  // namespace detail::block

template <class Element, int BlockSize, class Scale = float8_e8m0fnu>
class Block {
  using traits = detail::block::element_traits<Element>;
  static_assert(BlockSize >= 1 && BlockSize <= 4096,
                "softnum::Block: BlockSize must be in [1, 4096]");
  static_assert(
      detail::block::is_e8m0<Scale>,
      "softnum::Block: the scale type must be float8_e8m0fnu (OCP MX E8M0); for NVFP4's E4M3 "
      "scales use quantize_nvfp4");
  static_assert(traits::width <= 16, "softnum::Block: elements must be at most 16 bits wide");

 public:
  using element_type = Element;
  using scale_type = Scale;
  using element_storage = typename Element::storage_type;
  static constexpr int block_size = BlockSize;
  static constexpr int element_bits = traits::width;
  /// Bytes of packed elements: element i in bits [i*W, (i+1)*W), little-endian.
  static constexpr std::size_t packed_bytes =
      (static_cast<std::size_t>(BlockSize) * element_bits + 7) / 8;

  constexpr Block() noexcept = default;

  /// Encodes x[0..BlockSize) (see the format card at the top of this file).
  SOFTNUM_HOST_DEVICE static constexpr Block encode(const float* x,
                                                    ScaleRule rule = ScaleRule::floor,
                                                    Round mode = Round::nearest_even,
                                                    std::uint64_t seed = 0,
                                                    std::uint64_t offset = 0) noexcept {
    Block b;
    const std::uint8_t code =
        detail::block::scale_code<Element>(detail::block::amax_bits(x, BlockSize), rule);
    b.scale_ = Scale::from_bits(code);
    if (code == detail::block::scale_nan_code) return b;  // elements stay zero codes
    const int k = static_cast<int>(code) - 127;
    for (int i = 0; i < BlockSize; ++i) {
      const std::uint32_t word = mode == Round::stochastic
                                     ? random_word(seed, offset + static_cast<std::uint64_t>(i), 0)
                                     : 0u;
      b.set_bits(i, detail::block::encode_element<Element>(x[i], k, mode, word));
    }
    return b;
  }

  /// y[i] = scale() * element(i) for i < BlockSize, rounded to float; all NaN under a NaN scale.
  SOFTNUM_HOST_DEVICE constexpr void decode(float* y) const noexcept {
    const std::uint8_t code = scale_.bits();
    if (code == detail::block::scale_nan_code) {
      for (int i = 0; i < BlockSize; ++i) y[i] = detail::bit_cast<float>(0x7FC00000u);
      return;
    }
    const int k = static_cast<int>(code) - 127;
    for (int i = 0; i < BlockSize; ++i) y[i] = detail::block::decode_element(element(i), k);
  }

  SOFTNUM_HOST_DEVICE constexpr Scale scale() const noexcept { return scale_; }
  SOFTNUM_HOST_DEVICE constexpr Element element(int i) const noexcept {
    return Element::from_bits(get_bits(i));
  }

  /// The packed element bytes (packed_bytes of them).
  SOFTNUM_HOST_DEVICE constexpr const std::uint8_t* packed() const noexcept { return packed_; }
  /// A block from a scale and packed element bytes (packed_bytes of them, layout as packed()).
  SOFTNUM_HOST_DEVICE static constexpr Block from_packed(Scale s,
                                                         const std::uint8_t* bytes) noexcept {
    Block b;
    b.scale_ = s;
    for (std::size_t j = 0; j < packed_bytes; ++j) b.packed_[j] = bytes[j];
    return b;
  }
  /// A block from a scale and elements.
  SOFTNUM_HOST_DEVICE static constexpr Block from_elements(Scale s, const Element* e) noexcept {
    Block b;
    b.scale_ = s;
    for (int i = 0; i < BlockSize; ++i) b.set_bits(i, e[i].bits());
    return b;
  }

 private:
  static constexpr std::uint32_t mask = (std::uint32_t{1} << element_bits) - 1u;

  SOFTNUM_HOST_DEVICE constexpr element_storage get_bits(int i) const noexcept {
    const std::size_t bit = static_cast<std::size_t>(i) * element_bits;
    std::uint32_t w = 0;  // up to three bytes hold a W <= 16 bit field
    for (std::size_t j = 0; j < 3 && bit / 8 + j < packed_bytes; ++j) {
      w |= static_cast<std::uint32_t>(packed_[bit / 8 + j]) << (8 * j);
    }
    return static_cast<element_storage>((w >> (bit % 8)) & mask);
  }
  SOFTNUM_HOST_DEVICE constexpr void set_bits(int i, element_storage v) noexcept {
    const std::size_t bit = static_cast<std::size_t>(i) * element_bits;
    const std::uint32_t field = (static_cast<std::uint32_t>(v) & mask) << (bit % 8);
    const std::uint32_t clear = ~(mask << (bit % 8));
    for (std::size_t j = 0; j < 3 && bit / 8 + j < packed_bytes; ++j) {
      const std::size_t at = bit / 8 + j;
      const auto keep = static_cast<std::uint32_t>(packed_[at]) & (clear >> (8 * j));
      packed_[at] = static_cast<std::uint8_t>(keep | (field >> (8 * j)));
    }
  }

  Scale scale_ = Scale::from_bits(0);
  std::uint8_t packed_[packed_bytes] = {};
};

namespace detail {
template <class T>
struct is_block : std::false_type {};
template <class E, int N, class S>
struct is_block<Block<E, N, S>> : std::true_type {};
}  // namespace detail

/// Any Block<...> type.
template <class T>
concept BlockFormat = detail::is_block<T>::value;

// OCP MX v1.0 concrete formats (§5.2-§5.4): 32 elements, E8M0 scale.
using mxfp8_e4m3 = Block<float8_e4m3fn, 32>;
using mxfp8_e5m2 = Block<float8_e5m2, 32>;
using mxfp6_e3m2 = Block<float6_e3m2fn, 32>;
using mxfp6_e2m3 = Block<float6_e2m3fn, 32>;
using mxfp4 = Block<float4_e2m1fn, 32>;
using mxint8 =
    Block<Fixed<2, 6>, 32>;  // 1.6 two's complement, used in [-127/64, 127/64] (2^-6 steps)

}  // namespace softnum
