// softnum/types/float.hpp - Float<E,M,...>: binary floating point with any exponent and fraction
// width.
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/core/arithmetic.hpp>  // bits, round, random, convert, the per-call API
#include <softnum/types/float_codec.hpp>

#include <cmath>        // std::fma, std::sqrt for the hardware paths
#include <compare>      // std::partial_ordering
#include <concepts>     // std::integral, std::floating_point
#include <cstddef>      // std::size_t
#include <cstdint>      // fixed-width integers
#include <string_view>  // declares std::hash ([string.view.synop]); <functional> would pull <typeinfo>
#include <limits>       // std::numeric_limits
#include <type_traits>  // std::false_type, std::true_type

namespace softnum {

// Format card --------------------------------------------------------------------------------
// Float<E, M, S, O, R, Sub, X>
//   layout:   [sign:1][exponent:E][fraction:M], stored in the smallest unsigned integer that holds
//             1+E+M bits (bits above are zero); unsigned formats (X.signedness) have no sign bit.
//   bias:     2^(E-1) - 1 (IEEE 754); 2^(E-1) for Specials::fnuz (as ml_dtypes' *fnuz types);
//             or any X.bias (FloatSpec).
//   values:   exponent field f > 0: (1 + fraction/2^M) * 2^(f - bias);
//             f == 0: (fraction/2^M) * 2^(1 - bias) (subnormal), or zero when Sub == false (the
//             codes are read as zero and never produced; values below 2^(1-bias) round to 0 or to
//             the smallest normal).
//   specials: S = ieee: f all ones is +-inf (fraction 0) or NaN. S = fn: no inf, NaN = all-ones
//             codes (OCP E4M3: max 448). S = fnuz: no inf, no -0, NaN = sign bit only.
//             S = finite: no inf, no NaN (OCP MX FP6/FP4).
//             X.has_zero == false: no zero code, f == 0 is the binade 2^(-bias) (OCP E8M0).
//   rounding: every operation is correctly rounded (one rounding of the exact result) in mode R
//             (operators) or a per-call mode (add<R>...). Overflow per O (IEEE 754 §7.4 for
//             directed modes). NaN results are canonical (ieee: quiet, fraction MSB set; sign +,
//             except that conversions keep a NaN's sign). With no fraction bits (M == 0) the
//             ties of nearest_even and the results of odd go to the even / odd code (ml_dtypes,
//             P3109), as every significand is 1.
//   standard: IEEE 754-2019 for ieee; OCP 8-bit Floating Point Specification (OFP8) rev 1.0 for
//             float8_e4m3fn / float8_e5m2; OCP Microscaling Formats (MX) v1.0 for FP6/FP4.
template <int E, int M, Specials S = Specials::ieee, Overflow O = detail::default_overflow(S),
          Round R = Round::nearest_even, bool Sub = true, FloatSpec X = FloatSpec{}>
class Float;

namespace detail {
template <class T>
struct is_float_format : std::false_type {};
template <int E, int M, Specials S, Overflow O, Round R, bool Sub, FloatSpec X>
struct is_float_format<Float<E, M, S, O, R, Sub, X>> : std::true_type {};
}  // namespace detail

/// Any Float<...> type.
template <class T>
concept FloatFormat = detail::is_float_format<T>::value;

namespace detail {

// The platform's fma and sqrt are used only where they are known to be correctly rounded: CUDA
// device code, glibc/musl (Linux), Apple, MSVC, FreeBSD, or a hardware fma (FP_FAST_FMA). Elsewhere
// (bare-metal newlib, whose fma is x*y + z unfused, and double sqrt on an FPU without double
// precision) softnum's own exact binary32/binary64 codec is used: same bits, slower.
// The single-precision square root of an FPU (__ARM_FP bit 2: Cortex-M4F/M7) is IEEE exact.
#if !defined(SOFTNUM_EXACT_LIBM)
#  if defined(__CUDA_ARCH__) || defined(__linux__) || defined(__GLIBC__) || defined(__APPLE__) || \
      defined(_MSC_VER) || defined(__FreeBSD__) || defined(FP_FAST_FMA)
#    define SOFTNUM_EXACT_LIBM 1
#  else
#    define SOFTNUM_EXACT_LIBM 0
#  endif
#endif

using soft_binary64 = FloatCodec<11, 52, Specials::ieee, Overflow::infinity, true>;
using soft_binary32 = FloatCodec<8, 23, Specials::ieee, Overflow::infinity, true>;

SOFTNUM_HOST_DEVICE inline double fma_hw(double a, double b, double c) noexcept {
#if defined(__CUDA_ARCH__)
  return ::fma(a, b, c);
#elif SOFTNUM_EXACT_LIBM
  return std::fma(a, b, c);
#else
  return bit_cast<double>(soft_binary64::fma(bit_cast<std::uint64_t>(a), bit_cast<std::uint64_t>(b),
                                             bit_cast<std::uint64_t>(c), Round::nearest_even, 0));
#endif
}
SOFTNUM_HOST_DEVICE inline float fma_hw(float a, float b, float c) noexcept {
#if defined(__CUDA_ARCH__)
  return ::fmaf(a, b, c);
#elif SOFTNUM_EXACT_LIBM || defined(FP_FAST_FMAF)
  return std::fma(a, b, c);
#else
  return bit_cast<float>(static_cast<std::uint32_t>(
      soft_binary32::fma(bit_cast<std::uint32_t>(a), bit_cast<std::uint32_t>(b),
                         bit_cast<std::uint32_t>(c), Round::nearest_even, 0)));
#endif
}
SOFTNUM_HOST_DEVICE inline double sqrt_hw(double a) noexcept {
#if defined(__CUDA_ARCH__)
  return ::sqrt(a);
#elif SOFTNUM_EXACT_LIBM || (defined(__ARM_FP) && (__ARM_FP & 8))
  return std::sqrt(a);
#else
  return bit_cast<double>(soft_binary64::sqrt(bit_cast<std::uint64_t>(a), Round::nearest_even, 0));
#endif
}
SOFTNUM_HOST_DEVICE inline float sqrt_hw(float a) noexcept {
#if defined(__CUDA_ARCH__)
  return ::sqrtf(a);
#elif SOFTNUM_EXACT_LIBM
  return std::sqrt(a);
#elif defined(__ARM_FP) && (__ARM_FP & 4) && !defined(__aarch64__)
  // The FPU instruction itself (std::sqrt would also link libm's sqrtf for errno).
  float r;
  __asm__("vsqrt.f32 %0, %1" : "=t"(r) : "t"(a));
  return r;
#else
  return bit_cast<float>(static_cast<std::uint32_t>(
      soft_binary32::sqrt(bit_cast<std::uint32_t>(a), Round::nearest_even, 0)));
#endif
}

SOFTNUM_HOST_DEVICE constexpr bool is_nearest(Round mode) noexcept {
  return mode == Round::nearest_even || mode == Round::nearest_away;
}

/// Unpacks a double exactly.
SOFTNUM_HOST_DEVICE constexpr Unpacked unpack_double(double x) noexcept {
  const auto b = bit_cast<std::uint64_t>(x);
  const bool negative = (b >> 63) != 0;
  const int field = static_cast<int>((b >> 52) & 0x7FF);
  const std::uint64_t frac = b & ((std::uint64_t{1} << 52) - 1);
  if (field == 0x7FF) return make_special(frac != 0 ? Kind::nan : Kind::inf, negative);
  if (field == 0) {
    if (frac == 0) return make_special(Kind::zero, negative);
    return Unpacked{Kind::finite, negative, -1074, frac};
  }
  return Unpacked{Kind::finite, negative, field - 1075, frac | (std::uint64_t{1} << 52)};
}

/// Makes the round-to-nearest double s, whose exact value lies on the side given by `away`
/// (|exact| > |s|), the round-to-odd image of the exact value (ROUNDING.md §1.5a).
SOFTNUM_HOST_DEVICE constexpr double round_to_odd_fix(double s, bool inexact, bool away) noexcept {
  auto b = bit_cast<std::uint64_t>(s);
  if (inexact && (b & 1) == 0) b = away ? b + 1 : b - 1;
  return bit_cast<double>(b);
}

SOFTNUM_HOST_DEVICE constexpr bool sign_bit(double x) noexcept {
  return (bit_cast<std::uint64_t>(x) >> 63) != 0;
}

// FloatLanes decodes 8-bit formats by a 256-entry table where that is faster than computing:
// GCC on x86 without AVX2 (no gather there, and the computation vectorises poorly on SSE2). With
// AVX2/AVX-512 a gather is slower than the computation, and clang leaves a loop with the lookup
// scalar. Both give the same bits (tests/float_lanes_test.cpp).
#if !defined(SOFTNUM_LANES_DECODE_TABLE)
#  if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__) && \
      (defined(__x86_64__) || defined(__i386__)) && !defined(__AVX2__)
#    define SOFTNUM_LANES_DECODE_TABLE 1
#  else
#    define SOFTNUM_LANES_DECODE_TABLE 0
#  endif
#endif

/// Branch-free float <-> Float<E,M> conversions for the round-to-nearest-even path of small
/// formats (E <= 8, p <= 11): straight-line 32-bit integer code that compilers vectorise, so
/// that loops over arrays of binary16, bfloat16 or fp8 run at SIMD speed. Every choice is a
/// mask select (`pick`), never a conditional expression over a float operation: GCC does not
/// if-convert a branch that holds a float add (it might raise a flag the branch would not), so
/// without AVX-512's masked operations such a loop stayed scalar.
template <class C>
struct FloatLanes {
  using storage = typename C::storage;
  static constexpr int E = C::exponent_bits, M = C::mantissa_bits;
  static constexpr int shift = 23 - M;
  static constexpr std::uint32_t rebias = static_cast<std::uint32_t>(127 - C::bias) << M;
  static constexpr int quantum_exp = C::subnormals ? C::emin - M : C::emin;  // below 2^emin
  static constexpr std::uint32_t min_normal_f32 = static_cast<std::uint32_t>(127 + C::emin) << 23;
  static constexpr std::uint32_t magic_f32 = static_cast<std::uint32_t>(127 + quantum_exp + 23) << 23;
  static constexpr std::uint32_t max_bits = C::max_bits;
  static constexpr std::uint32_t sign_mask = C::sign_mask;
  static constexpr int sign_shift = 31 - (E + M);  // from the format's sign bit to the float's

  // E = 8 ieee formats are truncated binary32 (bfloat16): decoding is a shift, and encoding one
  // rounding add on the float's bits (subnormals and overflow to inf included, no carry into the
  // sign because |x| <= 0x7F800000).
  static constexpr bool truncated_f32 = E == 8 && C::specials == Specials::ieee && C::subnormals &&
                                        C::overflow == Overflow::infinity;

  // Overflow in one unsigned min: where every rounded magnitude above max_bits, and +-inf, give
  // the same code ovf_pos with the operand's sign (ieee -> inf, fn -> NaN, saturate -> max; for
  // fnuz the overflow NaN is the sign bit itself, so the sign's OR leaves it alone).
  static constexpr std::uint32_t ovf_pos = C::overflow_bits(false, Round::nearest_even);
  static constexpr std::uint32_t ovf_neg = C::overflow_bits(true, Round::nearest_even);
  static constexpr bool overflow_by_min =
      ovf_pos >= max_bits && (ovf_pos | sign_mask) == ovf_neg && C::inf_bits(false) == ovf_pos &&
      C::inf_bits(true) == ovf_neg;

  /// c ? a : b as mask arithmetic (compilers turn it into a blend).
  SOFTNUM_HOST_DEVICE static constexpr std::uint32_t pick(bool c, std::uint32_t a, std::uint32_t b) noexcept {
    const std::uint32_t m = 0u - static_cast<std::uint32_t>(c);
    return (a & m) | (b & ~m);
  }
  /// a < b for a, b < 2^31 (or a wrapped value where the result is not used), as a signed
  /// compare: SSE2 has no unsigned one.
  SOFTNUM_HOST_DEVICE static constexpr bool lt(std::uint32_t a, std::uint32_t b) noexcept {
    return static_cast<std::int32_t>(a) < static_cast<std::int32_t>(b);
  }

  /// The exact value of a code as a float, computed (NaN codes give a NaN, its sign that of the
  /// code for ieee formats, positive otherwise).
  SOFTNUM_HOST_DEVICE static constexpr float decode_arith(storage b) noexcept {
    if constexpr (truncated_f32) return bit_cast<float>(static_cast<std::uint32_t>(b) << shift);
    const std::uint32_t u = b;
    const std::uint32_t mag = u & static_cast<std::uint32_t>(C::mag_mask);
    const std::uint32_t sign = (u & sign_mask) << sign_shift;
    const std::uint32_t normal = (mag + rebias) << shift;
    std::uint32_t r;
    if constexpr (C::subnormals && C::specials == Specials::ieee) {
      // Masked adds instead of selects (SSE2 has no blend): a subnormal's exponent goes up one
      // binade, to 2^emin, and 2^emin is subtracted again (exact: frac * 2^(emin - M)); other
      // codes subtract 0. Then inf/NaN codes get the exponent 255 (the float operation never
      // sees a NaN: constant evaluation rejects one).
      const std::uint32_t is_sub = 0u - static_cast<std::uint32_t>(lt(mag, 1u << M));
      const std::uint32_t is_special =
          0u - static_cast<std::uint32_t>(!lt(mag, static_cast<std::uint32_t>(C::max_field) << M));
      constexpr std::uint32_t special_adj = (255u - static_cast<std::uint32_t>(C::max_field + 127 - C::bias)) << 23;
      const float f = bit_cast<float>(normal + (is_sub & (1u << 23))) - bit_cast<float>(is_sub & min_normal_f32);
      r = (bit_cast<std::uint32_t>(f) + (is_special & special_adj)) | sign;
    } else {
      std::uint32_t sub = 0;
      if constexpr (C::subnormals) {
        sub = bit_cast<std::uint32_t>(bit_cast<float>(magic_f32 + mag) - bit_cast<float>(magic_f32));
      }
      r = pick(lt(mag, 1u << M), sub, normal) | sign;
      if constexpr (C::specials == Specials::ieee) {
        r = pick(!lt(mag, static_cast<std::uint32_t>(C::max_field) << M), sign | 0x7F800000u | (mag << shift), r);
      } else if constexpr (C::specials == Specials::fn) {
        r = pick(mag == static_cast<std::uint32_t>(C::mag_mask), 0x7FC00000u, r);
      } else if constexpr (C::specials == Specials::fnuz) {
        r = pick(u == sign_mask, 0x7FC00000u, r);
      }
    }
    return bit_cast<float>(r);
  }

#if !defined(__CUDA_ARCH__)
  // 8-bit formats: the 256 decoded codes (bits above a narrower format's width index entries
  // that decode_arith also gives). Host only.
  struct Table {
    std::uint32_t f32[256];
  };
  static constexpr Table make_table() noexcept {
    Table t{};
    for (unsigned i = 0; i < 256; ++i) t.f32[i] = bit_cast<std::uint32_t>(decode_arith(static_cast<storage>(i)));
    return t;
  }
  static constexpr Table table = make_table();
  static constexpr bool use_table = SOFTNUM_LANES_DECODE_TABLE && C::width <= 8;
#else
  static constexpr bool use_table = false;
#endif

  /// The exact value of a code as a float (see decode_arith).
  SOFTNUM_HOST_DEVICE static constexpr float decode(storage b) noexcept {
#if !defined(__CUDA_ARCH__)
    if constexpr (use_table) {
      if (!SOFTNUM_IS_CONSTANT_EVALUATED()) return bit_cast<float>(table.f32[static_cast<std::uint8_t>(b)]);
    }
#endif
    return decode_arith(b);
  }

  /// Rounds a float to nearest even. NaN gives the canonical NaN (an arithmetic result).
  SOFTNUM_HOST_DEVICE static constexpr storage encode(float x) noexcept {
    if constexpr (truncated_f32) {
      const std::uint32_t v = bit_cast<std::uint32_t>(x);
      const auto r = static_cast<storage>((v + ((1u << (shift - 1)) - 1u) + ((v >> shift) & 1u)) >> shift);
      return x == x ? r : static_cast<storage>(C::nan_bits(false));
    }
    const std::uint32_t u = bit_cast<std::uint32_t>(x);
    const std::uint32_t abs = u & 0x7FFFFFFFu;
    const std::uint32_t sign = (u >> sign_shift) & sign_mask;
    // Normal range: round the float's own fraction to M bits (ties to even) and re-bias in the
    // same add (rebias << shift is a multiple of 2^shift; below 2^emin the sum may wrap, unused).
    const std::uint32_t normal =
        (abs + (((1u << (shift - 1)) - 1u) - (rebias << shift)) + ((abs >> shift) & 1u)) >> shift;
    // Below 2^emin: adding 2^(quantum + 23) makes the float adder round to the target quantum.
    std::uint32_t sub = bit_cast<std::uint32_t>(bit_cast<float>(abs) + bit_cast<float>(magic_f32)) - magic_f32;
    if constexpr (!C::subnormals) sub <<= M;
    std::uint32_t r;
    if constexpr (overflow_by_min) {
      const std::uint32_t code = pick(lt(abs, min_normal_f32), sub, lt(normal, ovf_pos) ? normal : ovf_pos);
      r = code | sign;
      if constexpr (C::specials == Specials::fnuz) r = pick(code == 0, 0u, r);  // no -0
    } else {
      const bool negative = (u >> 31) != 0;
      const std::uint32_t code = pick(abs < min_normal_f32, sub, normal);
      r = code == 0 ? static_cast<std::uint32_t>(C::zero_bits(negative)) : (code | sign);
      r = pick(abs >= min_normal_f32 && normal > max_bits, pick(negative, ovf_neg, ovf_pos), r);
      r = pick(abs == 0x7F800000u, pick(negative, C::inf_bits(true), C::inf_bits(false)), r);
    }
    r = pick(lt(0x7F800000u, abs), static_cast<std::uint32_t>(C::nan_bits(false)), r);
    return static_cast<storage>(r);
  }
};

/// The arithmetic of one Float format: picks, at compile time, the cheapest path that is
/// provably (and exhaustively tested to be) correctly rounded. See ROUNDING.md §0:
///  - formats identical to binary32/binary64 with nearest-even: the hardware operation;
///  - E <= 8, p = M+1 <= 24: operate in double and round once with integer code. Products are
///    exact in double; + and / and sqrt are innocuous double roundings for nearest modes
///    (Figueroa 1995: 53 >= 2p+2); for the other modes the double result is made round-to-odd
///    from its exact error (TwoSum, or the fma remainder), which every mode rounds correctly;
///    fma always goes through round-to-odd (double rounding of fma is never innocuous);
///  - everything else, and constant evaluation: the integer soft-float in FloatCodec.
template <class C>
struct FloatArith {
  using storage = typename C::storage;
  static constexpr int E = C::exponent_bits, M = C::mantissa_bits;
  // Other layouts (free bias, unsigned, no zero) take the shortcuts only where they were checked:
  // a signed format with a zero whose values and quanta lie in double's (float's) normal range.
  static constexpr bool plain = C::is_signed && C::has_zero && !C::p3109;
  static constexpr bool via_double =
      E <= 8 && M <= 23 && (C::standard_layout || (plain && C::emin - M >= -1022 && C::emax <= 1023));
  // Round-to-nearest-even in float lanes (FloatLanes): + / sqrt are innocuous double roundings
  // for p <= 11 (24 >= 2p + 2), products of p <= 11 significands are exact in float except in
  // bfloat16's underflow range, where RN-of-RN is still innocuous (ROUNDING.md §1.2; the tests
  // check it). An E = 8 ieee format must overflow to inf, because a float inf is ambiguous there.
  static constexpr bool via_float =
      E <= 8 && M >= 1 && M <= 10 && (E <= 7 || C::specials != Specials::ieee || C::overflow == Overflow::infinity) &&
      (C::standard_layout || (plain && C::bias <= 127 && C::emin >= -126 && C::emax <= 127));
  using lanes = FloatLanes<C>;
  // Stochastic rounding of a round-to-odd double needs 53 >= (M+1) + 32 + 2 bits (round.hpp).
  static constexpr bool stochastic_via_double = via_double && M + 35 <= 53;
  static constexpr bool hw32 =
      E == 8 && M == 23 && C::specials == Specials::ieee && C::overflow == Overflow::infinity && C::subnormals &&
      C::standard_layout;
  static constexpr bool hw64 =
      E == 11 && M == 52 && C::specials == Specials::ieee && C::overflow == Overflow::infinity && C::subnormals &&
      C::standard_layout;

  SOFTNUM_HOST_DEVICE static constexpr bool use_double(Round mode) noexcept {
    return via_double && (mode != Round::stochastic || stochastic_via_double);
  }
  template <class H>
  SOFTNUM_HOST_DEVICE static constexpr storage canonical(H r) noexcept {
    return r == r ? bit_cast<storage>(r) : C::nan_bits(false);
  }
  SOFTNUM_HOST_DEVICE static constexpr float f32(storage b) noexcept {
    if constexpr (hw32) return bit_cast<float>(b); else return 0.0f;
  }
  SOFTNUM_HOST_DEVICE static constexpr double f64(storage b) noexcept {
    if constexpr (hw64) return bit_cast<double>(b); else return 0.0;
  }

  /// Exact value as a double (E <= 8, M <= 23 only).
  SOFTNUM_HOST_DEVICE static constexpr double to_double(storage b) noexcept {
    if constexpr (!via_double) {
      return static_cast<double>(b);  // unused: only the E <= 8, M <= 23 paths call this
    } else {
    const bool negative = (b & C::sign_mask) != 0;
    // Bit patterns, not std::numeric_limits (host-only constexpr for nvcc, warning 20013).
    if (C::is_nan(b)) return bit_cast<double>(std::uint64_t{0x7FF8000000000000});
    if (C::is_inf(b)) {
      return bit_cast<double>((static_cast<std::uint64_t>(negative) << 63) | std::uint64_t{0x7FF0000000000000});
    }
    const auto mag = static_cast<std::uint64_t>(b & C::mag_mask);
    const int field = static_cast<int>(mag >> M);
    const std::uint64_t frac = mag & static_cast<std::uint64_t>(C::frac_mask);
    const std::uint64_t sign = static_cast<std::uint64_t>(negative) << 63;
    if (field == 0) {
      if (frac == 0 || !C::subnormals) return (negative && C::specials != Specials::fnuz) ? -0.0 : 0.0;
      // frac * 2^(emin - M): exact, the result is a normal double for E <= 8.
      const double scaled =
          static_cast<double>(frac) * bit_cast<double>(static_cast<std::uint64_t>(C::emin - M + 1023) << 52);
      return negative ? -scaled : scaled;
    }
    return bit_cast<double>(sign | (static_cast<std::uint64_t>(field - C::bias + 1023) << 52) |
                            (frac << (52 - M)));
    }
  }

  /// Rounds a double once. NaN becomes the canonical NaN (sign kept only if keep_nan_sign).
  SOFTNUM_HOST_DEVICE static constexpr storage from_double(double x, Round mode, std::uint32_t random,
                                                           bool keep_nan_sign) noexcept {
    const auto b = bit_cast<std::uint64_t>(x);
    const bool negative = (b >> 63) != 0;
    const int field = static_cast<int>((b >> 52) & 0x7FF);
    const std::uint64_t frac = b & ((std::uint64_t{1} << 52) - 1);
    if (field == 0x7FF) return frac != 0 ? C::nan_bits(keep_nan_sign && negative) : C::inf_bits(negative);
    if (field == 0) {
      if (frac == 0) return C::zero_bits(negative);
      return C::template encode_finite<std::uint64_t>(negative, -1074, frac, mode, random);
    }
    return C::template encode_finite<std::uint64_t>(negative, field - 1075, frac | (std::uint64_t{1} << 52),
                                                    mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage add(storage a, storage b, Round mode,
                                                   std::uint32_t random) noexcept {
    if (SOFTNUM_IS_CONSTANT_EVALUATED()) return C::add(a, b, mode, random);
    if constexpr (via_float) {
      if (mode == Round::nearest_even) return lanes::encode(lanes::decode(a) + lanes::decode(b));
    }
    if constexpr (hw32) {
      if (mode == Round::nearest_even) return canonical(f32(a) + f32(b));
    }
    if constexpr (hw64) {
      if (mode == Round::nearest_even) return canonical(f64(a) + f64(b));
    }
    if constexpr (via_double) if (use_double(mode)) {
      const double x = to_double(a), y = to_double(b);
      const double s = x + y;
      if (is_nearest(mode)) return from_double(s, mode, random, false);
      if (s == 0) return C::zero_sum(sign_bit(x), sign_bit(y), mode);
      if (!(s - s == 0)) return from_double(s, mode, random, false);  // inf or NaN
      const double bb = s - x;
      const double err = (x - (s - bb)) + (y - bb);  // TwoSum: the exact error
      return from_double(round_to_odd_fix(s, err != 0, (err > 0) == (s > 0)), mode, random, false);
    }
    return C::add(a, b, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage sub(storage a, storage b, Round mode,
                                                   std::uint32_t random) noexcept {
    if constexpr (C::is_signed) {
      return add(a, C::negate(b), mode, random);
    } else {
      return C::sub(a, b, mode, random);
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr storage mul(storage a, storage b, Round mode,
                                                   std::uint32_t random) noexcept {
    if (SOFTNUM_IS_CONSTANT_EVALUATED()) return C::mul(a, b, mode, random);
    if constexpr (via_float) {
      if (mode == Round::nearest_even) return lanes::encode(lanes::decode(a) * lanes::decode(b));
    }
    if constexpr (hw32) {
      if (mode == Round::nearest_even) return canonical(f32(a) * f32(b));
    }
    if constexpr (hw64) {
      if (mode == Round::nearest_even) return canonical(f64(a) * f64(b));
    }
    if constexpr (via_double) {
      // Exact: 2p <= 48 bits, and nonzero |products| lie in [2^-298, 2^256].
      return from_double(to_double(a) * to_double(b), mode, random, false);
    }
    return C::mul(a, b, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage div(storage a, storage b, Round mode,
                                                   std::uint32_t random) noexcept {
    if (SOFTNUM_IS_CONSTANT_EVALUATED()) return C::div(a, b, mode, random);
    if constexpr (via_float) {
      if (mode == Round::nearest_even) return lanes::encode(lanes::decode(a) / lanes::decode(b));
    }
    if constexpr (hw32) {
      if (mode == Round::nearest_even) return canonical(f32(a) / f32(b));
    }
    if constexpr (hw64) {
      if (mode == Round::nearest_even) return canonical(f64(a) / f64(b));
    }
    if constexpr (via_double) if (use_double(mode)) {
      const double x = to_double(a), y = to_double(b);
      const double s = x / y;
      if (is_nearest(mode) || s == 0 || !(s - s == 0)) return from_double(s, mode, random, false);
      const double r = fma_hw(-s, y, x);  // exact remainder: x = s*y + r (Boldo & Daumas 2003)
      return from_double(round_to_odd_fix(s, r != 0, ((r > 0) == (y > 0)) == (s > 0)), mode, random, false);
    }
    return C::div(a, b, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage sqrt(storage a, Round mode, std::uint32_t random) noexcept {
    if (SOFTNUM_IS_CONSTANT_EVALUATED()) return C::sqrt(a, mode, random);
    if constexpr (via_float) {
      if (mode == Round::nearest_even) return lanes::encode(sqrt_hw(lanes::decode(a)));
    }
    if constexpr (hw32) {
      if (mode == Round::nearest_even) return canonical(sqrt_hw(f32(a)));
    }
    if constexpr (hw64) {
      if (mode == Round::nearest_even) return canonical(sqrt_hw(f64(a)));
    }
    if constexpr (via_double) if (use_double(mode)) {
      const double x = to_double(a);
      const double s = sqrt_hw(x);
      if (is_nearest(mode) || s == 0 || !(s - s == 0)) return from_double(s, mode, random, false);
      const double r = fma_hw(-s, s, x);
      return from_double(round_to_odd_fix(s, r != 0, r > 0), mode, random, false);
    }
    return C::sqrt(a, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage fma(storage a, storage b, storage c, Round mode,
                                                   std::uint32_t random) noexcept {
    if (SOFTNUM_IS_CONSTANT_EVALUATED()) return C::fma(a, b, c, mode, random);
    if constexpr (via_double) if (use_double(mode)) {
      const double t = to_double(a) * to_double(b);  // exact
      const double z = to_double(c);
      const double s = t + z;
      if (s == 0) return C::zero_sum(sign_bit(t), sign_bit(z), mode);
      if (!(s - s == 0)) return from_double(s, mode, random, false);
      const double bb = s - t;
      const double err = (t - (s - bb)) + (z - bb);
      return from_double(round_to_odd_fix(s, err != 0, (err > 0) == (s > 0)), mode, random, false);
    }
    return C::fma(a, b, c, mode, random);
  }
};

}  // namespace detail
}  // namespace softnum

namespace softnum {

namespace detail {
/// What Float and Posit derive (T is the derived type): the operators (rounded_operators) and
/// the conversions out through the exact value: to float, rounded to nearest even; to integers,
/// truncated toward zero like a C++ cast, saturating at the integer's range, NaN gives 0; and,
/// from a type other than Float (which has converting constructors), to every Float format,
/// rounded once in that format's own mode. (All conversion templates are here: one declared in
/// the derived class would hide these.)
template <class T>
struct number_base : rounded_operators<T> {
  SOFTNUM_HOST_DEVICE explicit constexpr operator float() const noexcept {
    return unpacked_to_float(static_cast<const T&>(*this).unpack());
  }
  template <std::integral I>
  SOFTNUM_HOST_DEVICE explicit constexpr operator I() const noexcept {
    return to_integer<I>(static_cast<const T&>(*this).unpack(), Round::toward_zero);
  }
  template <class F>
    requires(is_float_format<F>::value && !is_float_format<T>::value)
  SOFTNUM_HOST_DEVICE explicit constexpr operator F() const noexcept {
    return F::from_unpacked(static_cast<const T&>(*this).unpack(), F::rounding,
                            operator_random_c<F::rounding>());
  }
};
}  // namespace detail

template <int E, int M, Specials S, Overflow O, Round R, bool Sub, FloatSpec X>
class Float : public detail::number_base<Float<E, M, S, O, R, Sub, X>> {
  static_assert(E >= 1 && E <= 15, "softnum::Float: E (exponent bits) must be in [1, 15]");
  static_assert(M >= 0 && M <= 112, "softnum::Float: M (fraction bits) must be in [0, 112]");
  static_assert(1 + E + M <= 128, "softnum::Float: 1 + E + M must be at most 128 bits");
  static_assert(S != Specials::ieee || E >= 2,
                "softnum::Float: Specials::ieee needs E >= 2 (the top exponent code is inf/NaN)");
  static_assert(S != Specials::ieee || M >= 1,
                "softnum::Float: Specials::ieee needs M >= 1 to encode NaN; use Specials::fn/fnuz");
  static_assert(O != Overflow::infinity || S == Specials::ieee,
                "softnum::Float: Overflow::infinity needs Specials::ieee (the format has no inf)");
  static_assert(O != Overflow::nan || S != Specials::finite,
                "softnum::Float: Overflow::nan needs a format with NaN (Specials::finite has none)");
  static_assert(X.bias == FloatSpec::standard_bias || (X.bias >= -32768 && X.bias <= 32768),
                "softnum::Float: FloatSpec::bias must be in [-32768, 32768]");
  static_assert(X.signedness == Signedness::signed_ || S == Specials::fn || S == Specials::ieee,
                "softnum::Float: an unsigned format needs a NaN code for negative results: Specials::fn "
                "(NaN = all ones) or Specials::ieee");
  static_assert(!X.p3109 || (Sub && X.has_zero && (X.signedness == Signedness::signed_ ? S == Specials::fnuz
                                                                                       : S == Specials::fn)),
                "softnum::Float: FloatSpec::p3109 needs subnormals, a zero, and Specials::fnuz (signed) or "
                "Specials::fn (unsigned) codes; use the P3109<K, P, ...> alias");
  static_assert(X.p3109 || (X.domain == Domain::finite && X.saturation == Saturation::none),
                "softnum::Float: FloatSpec::domain and ::saturation apply to P3109 formats only (p3109 = true)");
  static_assert(X.has_zero || (!Sub && (S == Specials::fn || S == Specials::ieee)),
                "softnum::Float: a format without zero (FloatSpec::has_zero = false) has no subnormals "
                "(Sub = false) and needs a NaN for zero results: Specials::fn or Specials::ieee");

 public:
  using codec = detail::FloatCodec<E, M, S, O, Sub, X>;
  using arith = detail::FloatArith<codec>;
  using storage_type = typename codec::storage;

  static constexpr int exponent_bits = E;
  static constexpr int mantissa_bits = M;
  static constexpr int digits = M + 1;  // precision p, hidden bit included
  static constexpr int bias = codec::bias;
  static constexpr Specials specials = S;
  static constexpr FloatSpec spec = X;
  static constexpr Overflow overflow = O;
  static constexpr Round rounding = R;
  static constexpr bool has_subnormals = Sub;

  constexpr Float() noexcept = default;

  SOFTNUM_HOST_DEVICE static constexpr Float from_bits(storage_type b) noexcept {
    Float r;
    r.bits_ = b;
    return r;
  }
  SOFTNUM_HOST_DEVICE constexpr storage_type bits() const noexcept { return bits_; }

  // Conversions in: correctly rounded, in one step, in the type's rounding mode.
  SOFTNUM_HOST_DEVICE explicit constexpr Float(double x) noexcept
      : bits_(from_unpacked(detail::unpack_double(x), R, detail::operator_random_c<R>()).bits_) {}
  SOFTNUM_HOST_DEVICE explicit constexpr Float(float x) noexcept : bits_(from_float(x)) {}
  template <std::integral I>
  SOFTNUM_HOST_DEVICE explicit constexpr Float(I x) noexcept
      : bits_(from_unpacked(detail::unpack_integer(x), R, detail::operator_random_c<R>()).bits_) {}
  template <int E2, int M2, Specials S2, Overflow O2, Round R2, bool Sub2, FloatSpec X2>
  SOFTNUM_HOST_DEVICE explicit constexpr Float(const Float<E2, M2, S2, O2, R2, Sub2, X2>& x) noexcept
      : bits_(from_unpacked(x.unpack(), R, detail::operator_random_c<R>()).bits_) {}

  /// The exact value as (sign, integer significand, exponent).
  SOFTNUM_HOST_DEVICE constexpr detail::Unpacked unpack() const noexcept { return codec::decode(bits_); }
  /// Rounds an exact (or round-to-odd) value once.
  /// float -> this format in R: the branch-free float-lanes encode (the operators' rounding) for
  /// nearest even where FloatArith takes that path, so that loops of conversions vectorise; other
  /// modes and constant evaluation take the exact path.
  SOFTNUM_HOST_DEVICE static constexpr storage_type from_float(float x) noexcept {
    if constexpr (arith::via_float && R == Round::nearest_even) {
      if (!SOFTNUM_IS_CONSTANT_EVALUATED()) {
        // A NaN keeps its sign, as on the exact path; a select, not a branch, so loops vectorise.
        constexpr std::uint32_t nan_pos =
            from_unpacked(detail::make_special(detail::Kind::nan, false), R, 0u).bits_;
        constexpr std::uint32_t nan_neg =
            from_unpacked(detail::make_special(detail::Kind::nan, true), R, 0u).bits_;
        using lanes = typename arith::lanes;
        const std::uint32_t nan = lanes::pick(detail::bit_cast<std::uint32_t>(x) >> 31 != 0, nan_neg, nan_pos);
        return static_cast<storage_type>(lanes::pick(x == x, lanes::encode(x), nan));
      }
    }
    return from_unpacked(detail::unpack_double(static_cast<double>(x)), R, detail::operator_random_c<R>())
        .bits_;
  }

  SOFTNUM_HOST_DEVICE static constexpr Float from_unpacked(const detail::Unpacked& u, Round mode,
                                                           std::uint32_t random = 0) noexcept {
    return from_bits(codec::encode(u, mode, random));
  }
  /// Rounds an exact (or round-to-odd, with >= M + N + 3 bits) value once by a per-call stochastic
  /// rounding: variant A, B or C with N random bits, the top N bits of `random`.
  SOFTNUM_HOST_DEVICE static constexpr Float from_unpacked(const detail::Unpacked& u, Stochastic sr,
                                                           std::uint32_t random) noexcept {
    return from_bits(codec::encode(u, Round::stochastic, random, sr.variant, sr.bits));
  }

  // Conversions out (to integers: detail::number_base). To float: the branch-free float-lanes
  // decode where FloatArith has it (exact: every value of those formats is a float), so that
  // loops of conversions vectorise; a NaN code gives the quiet NaN with the code's sign, as the
  // exact path (unpacked_to_float) does.
  SOFTNUM_HOST_DEVICE explicit constexpr operator float() const noexcept {
    if constexpr (arith::via_float) {
      if (!SOFTNUM_IS_CONSTANT_EVALUATED()) {
        constexpr std::uint32_t nan_pos = detail::bit_cast<std::uint32_t>(
            detail::unpacked_to_float(detail::make_special(detail::Kind::nan, false)));
        constexpr std::uint32_t nan_neg = detail::bit_cast<std::uint32_t>(
            detail::unpacked_to_float(detail::make_special(detail::Kind::nan, true)));
        using lanes = typename arith::lanes;
        const std::uint32_t nan = lanes::pick((bits_ & codec::sign_mask) != 0, nan_neg, nan_pos);
        return detail::bit_cast<float>(
            lanes::pick(codec::is_nan(bits_), nan, detail::bit_cast<std::uint32_t>(lanes::decode(bits_))));
      }
    }
    return detail::unpacked_to_float(unpack());
  }
  // To double: correctly rounded to nearest even (exact whenever the value fits).
  SOFTNUM_HOST_DEVICE explicit constexpr operator double() const noexcept {
    if constexpr (arith::via_double) {
      if (!SOFTNUM_IS_CONSTANT_EVALUATED()) return arith::to_double(bits_);
    }
    return detail::unpacked_to_double(unpack());
  }

  // + - * / in the type's rounding mode R: detail::rounded_operators.
  SOFTNUM_HOST_DEVICE constexpr Float operator-() const noexcept { return from_bits(codec::negate(bits_)); }

  // IEEE comparisons: NaN is unordered, -0 == +0.
  SOFTNUM_HOST_DEVICE friend constexpr bool operator==(Float a, Float b) noexcept {
    if (codec::is_nan(a.bits_) || codec::is_nan(b.bits_)) return false;
    return a.key() == b.key();
  }
  SOFTNUM_HOST_DEVICE friend constexpr std::partial_ordering operator<=>(Float a, Float b) noexcept {
    if (codec::is_nan(a.bits_) || codec::is_nan(b.bits_)) return std::partial_ordering::unordered;
    const auto ka = a.key(), kb = b.key();
    return ka < kb ? std::partial_ordering::less
                   : (ka > kb ? std::partial_ordering::greater : std::partial_ordering::equivalent);
  }

  /// An integer that orders the non-NaN values like the reals (all zeros map to 0).
  SOFTNUM_HOST_DEVICE constexpr detail::i128 key() const noexcept {
    if (codec::is_zero(bits_)) return 0;
    const auto mag = static_cast<detail::i128>(bits_ & codec::mag_mask);
    return (bits_ & codec::sign_mask) != 0 ? -mag : mag;
  }

 private:
  storage_type bits_ = 0;
};

// Aliases (ml_dtypes / OCP names) --------------------------------------------------------------
using binary16 = Float<5, 10>;
using bfloat16 = Float<8, 7>;
using binary32 = Float<8, 23>;
using binary64 = Float<11, 52>;
using binary128 = Float<15, 112>;
using float8_e4m3fn = Float<4, 3, Specials::fn>;        // OCP E4M3: max 448, no inf, overflow -> NaN
using float8_e4m3 = Float<4, 3>;                        // IEEE-style E4M3: max 240, with inf
using float8_e5m2 = Float<5, 2>;                        // OCP E5M2 (IEEE-style): max 57344
using float8_e4m3fnuz = Float<4, 3, Specials::fnuz>;    // bias 8, max 240, NaN = 0x80
using float8_e5m2fnuz = Float<5, 2, Specials::fnuz>;    // bias 16, max 57344, NaN = 0x80
using float6_e2m3fn = Float<2, 3, Specials::finite>;    // OCP MX FP6: max 7.5
using float6_e3m2fn = Float<3, 2, Specials::finite>;    // OCP MX FP6: max 28
using float4_e2m1fn = Float<2, 1, Specials::finite>;    // OCP MX FP4: max 6
using float8_e3m4 = Float<3, 4>;                        // IEEE-style E3M4: bias 3, max 15.5, inf, NaN (ml_dtypes)
using float8_e4m3b11fnuz =                              // fnuz E4M3 with bias 11: max 30, NaN = 0x80 (ml_dtypes)
    Float<4, 3, Specials::fnuz, Overflow::nan, Round::nearest_even, true, FloatSpec{11}>;
/// OCP MX E8M0 scale (ml_dtypes float8_e8m0fnu): unsigned, 2^(code - 127) for codes 0..254, 0xFF = NaN;
/// no zero, no inf. Rounding is on the value grid (the midpoint of 2^k and 2^(k+1) is 1.5 * 2^k; ties
/// to the even code); positive values below 2^-127 become 2^-127; zero, negatives, infinities,
/// NaN and overflow become NaN.
using float8_e8m0fnu = Float<8, 0, Specials::fn, Overflow::nan, Round::nearest_even, false,
                             FloatSpec{127, Signedness::unsigned_, false}>;
/// Unsigned OCP E4M3 (CUTLASS float_ue4m3_t, NVFP4's per-block scale): E4M3fn without the sign bit,
/// 7 bits in a byte: bias 7, max 448, NaN = 0x7F, subnormals down to 2^-9, no inf; negative
/// results that do not round to zero are NaN.
using float8_ue4m3 = Float<4, 3, Specials::fn, Overflow::nan, Round::nearest_even, true,
                           FloatSpec{FloatSpec::standard_bias, Signedness::unsigned_}>;

// IEEE P3109 formats (Interim Report v4.0, 26 June 2026, §3-§4) --------------------------------
//   K bits, precision P (P - 1 fraction bits), bias 2^(K-P-1) signed / 2^(K-P) unsigned; exactly
//   one zero (code 0) and one NaN (2^(K-1), the -0 position, signed; 2^K - 1 unsigned); extended
//   formats add +inf at 2^(K-1) - 1 (signed; -inf at 2^K - 1) or 2^K - 2 (unsigned). Every
//   operation is Encode(Saturate(RoundToPrecision(exact))) with the type's Saturation; x / 0 is
//   NaN, and there is no -0 (a negative result that rounds to zero is 0). A signed finite format
//   has the codes of ml_dtypes' fnuz types (binary8p4sf = float8_e4m3fnuz), but saturates.
namespace detail {
template <int K, int P, Signedness Sg, Domain D, Saturation Sat, Round R>
struct p3109_format {
  static_assert(K > 2, "softnum::P3109: the bit width K must be at least 3");
  static_assert(P >= 1 && (Sg == Signedness::signed_ ? P < K : P <= K),
                "softnum::P3109: the precision P must satisfy 0 < P < K (signed) or 0 < P <= K (unsigned)");
  static constexpr int E = Sg == Signedness::signed_ ? K - P : K - P + 1;  // exponent field width
  static_assert(E <= 15 && K <= 128, "softnum::P3109: at most 15 exponent bits and 128 bits");
  static constexpr int bias = 1 << (E - 1);  // 2^(K-P-1) signed, 2^(K-P) unsigned
  using type = Float<E, P - 1, Sg == Signedness::signed_ ? Specials::fnuz : Specials::fn, Overflow::nan, R, true,
                     FloatSpec{bias, Sg, true, true, D, Sat}>;
};
}  // namespace detail

/// P3109 format Binary<K>p<P><s|u><e|f> with a saturation mode and a default rounding mode.
template <int K, int P, Signedness Sg, Domain D, Saturation Sat = Saturation::none, Round R = Round::nearest_even>
using P3109 = typename detail::p3109_format<K, P, Sg, D, Sat, R>::type;

using binary8p3se = P3109<8, 3, Signedness::signed_, Domain::extended>;   // max 49152, +-inf
using binary8p4se = P3109<8, 4, Signedness::signed_, Domain::extended>;   // max 224, +-inf
using binary8p5se = P3109<8, 5, Signedness::signed_, Domain::extended>;   // max 15, +-inf
using binary8p3sf = P3109<8, 3, Signedness::signed_, Domain::finite>;     // max 57344
using binary8p4sf = P3109<8, 4, Signedness::signed_, Domain::finite>;     // max 240
using binary4p2sf = P3109<4, 2, Signedness::signed_, Domain::finite>;     // max 3
using binary8p1uf = P3109<8, 1, Signedness::unsigned_, Domain::finite>;   // 0, 2^-127 .. 2^126
using binary8p4ue = P3109<8, 4, Signedness::unsigned_, Domain::extended>; // max 53248, +inf

namespace detail {
template <class T, Round R2>
struct with_round;
template <int E, int M, Specials S, Overflow O, Round R, bool Sub, FloatSpec X, Round R2>
struct with_round<Float<E, M, S, O, R, Sub, X>, R2> {
  using type = Float<E, M, S, O, R2, Sub, X>;
};
template <class T, Overflow O2>
struct with_overflow;
template <int E, int M, Specials S, Overflow O, Round R, bool Sub, FloatSpec X, Overflow O2>
struct with_overflow<Float<E, M, S, O, R, Sub, X>, O2> {
  using type = Float<E, M, S, O2, R, Sub, X>;
};
template <class T, bool Sub2>
struct with_subnormals;
template <int E, int M, Specials S, Overflow O, Round R, bool Sub, FloatSpec X, bool Sub2>
struct with_subnormals<Float<E, M, S, O, R, Sub, X>, Sub2> {
  using type = Float<E, M, S, O, R, Sub2, X>;
};
}  // namespace detail

/// The same format with another default rounding mode, e.g. with_round_t<binary16, Round::up>.
template <class T, Round R2>
using with_round_t = typename detail::with_round<T, R2>::type;
/// The same format with another overflow policy.
template <class T, Overflow O2>
using with_overflow_t = typename detail::with_overflow<T, O2>::type;
/// The same format with subnormals on or off.
template <class T, bool Sub2>
using with_subnormals_t = typename detail::with_subnormals<T, Sub2>::type;

namespace detail {
template <class T, Saturation Sat2>
struct with_saturation;
template <int E, int M, Specials S, Overflow O, Round R, bool Sub, FloatSpec X, Saturation Sat2>
struct with_saturation<Float<E, M, S, O, R, Sub, X>, Sat2> {
  static_assert(X.p3109, "softnum::with_saturation_t: saturation modes belong to P3109 formats");
  using type = Float<E, M, S, O, R, Sub, FloatSpec{X.bias, X.signedness, X.has_zero, X.p3109, X.domain, Sat2}>;
};
}  // namespace detail

/// The same P3109 format with another saturation mode, e.g. with_saturation_t<binary8p4se, Saturation::finite>.
template <class T, Saturation Sat2>
using with_saturation_t = typename detail::with_saturation<T, Sat2>::type;

// Classification and sign functions (found by ADL) --------------------------------------------
template <FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr bool isnan(T x) noexcept { return T::codec::is_nan(x.bits()); }
template <FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr bool isinf(T x) noexcept { return T::codec::is_inf(x.bits()); }
template <FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr bool iszero(T x) noexcept { return T::codec::is_zero(x.bits()); }
template <FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr bool signbit(T x) noexcept { return (x.bits() & T::codec::sign_mask) != 0; }
template <FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr bool isnormal(T x) noexcept {
  return isfinite(x) && !iszero(x) && ((x.bits() & T::codec::mag_mask) >> T::mantissa_bits) != 0;
}
template <FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr T abs(T x) noexcept {
  if (isnan(x) || iszero(x)) return isnan(x) ? x : T::from_bits(T::codec::zero_bits(false));
  return T::from_bits(static_cast<typename T::storage_type>(x.bits() & T::codec::mag_mask));
}
template <FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr T copysign(T x, T y) noexcept {
  if (isnan(x) && T::specials == Specials::fnuz) return x;
  const T m = abs(x);
  return signbit(y) && !(T::specials == Specials::fnuz && iszero(m)) ? -m : m;
}

// Per-call stochastic rounding with a chosen variant and number of random bits (IEEE P3109
// §4.7.4): add<Stochastic{SRVariant::A, 8}>(a, b, random_word). The operation is computed in
// binary128 rounded to odd (exact for + - *, and 113 >= M + N + 3 bits otherwise, which keeps
// floor(nu * 2^N) and RNE(nu * 2^N)), then rounded once into T.
namespace detail {
template <Stochastic SR, class T>
struct stochastic_ok {
  static_assert(SR.bits >= 1 && SR.bits <= 32, "softnum: Stochastic::bits must be in [1, 32]");
  static_assert(T::mantissa_bits + SR.bits + 3 <= 113 && T::codec::emax <= 16383 &&
                    T::codec::emin - T::mantissa_bits - SR.bits - 2 >= -16494,
                "softnum: per-call stochastic rounding computes in binary128 rounded to odd, which "
                "needs M + N + 3 <= 113 and the format's range inside binary128's; use "
                "Round::stochastic for wider formats");
  using wide = Float<15, 112>;
  static constexpr bool value = true;
};
}  // namespace detail

template <Stochastic SR, FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr T add(T a, T b, std::uint32_t random) noexcept {
  using W = typename detail::stochastic_ok<SR, T>::wide;
  return T::from_unpacked(add<Round::odd>(W(a), W(b), 0u).unpack(), SR, random);
}
template <Stochastic SR, FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr T sub(T a, T b, std::uint32_t random) noexcept {
  using W = typename detail::stochastic_ok<SR, T>::wide;
  return T::from_unpacked(sub<Round::odd>(W(a), W(b), 0u).unpack(), SR, random);
}
template <Stochastic SR, FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr T mul(T a, T b, std::uint32_t random) noexcept {
  using W = typename detail::stochastic_ok<SR, T>::wide;
  return T::from_unpacked(mul<Round::odd>(W(a), W(b), 0u).unpack(), SR, random);
}
template <Stochastic SR, FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr T div(T a, T b, std::uint32_t random) noexcept {
  using W = typename detail::stochastic_ok<SR, T>::wide;
  if (T::codec::p3109 && iszero(b)) return T::from_bits(T::codec::nan_bits(false));  // x / 0
  return T::from_unpacked(div<Round::odd>(W(a), W(b), 0u).unpack(), SR, random);
}
template <Stochastic SR, FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr T sqrt(T a, std::uint32_t random) noexcept {
  using W = typename detail::stochastic_ok<SR, T>::wide;
  return T::from_unpacked(sqrt<Round::odd>(W(a), 0u).unpack(), SR, random);
}
template <Stochastic SR, FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr T fma(T a, T b, T c, std::uint32_t random) noexcept {
  using W = typename detail::stochastic_ok<SR, T>::wide;
  return T::from_unpacked(fma<Round::odd>(W(a), W(b), W(c), 0u).unpack(), SR, random);
}
/// from (any Convertible value), rounded once to the Float format To by a per-call stochastic rounding.
template <FloatFormat To, Stochastic SR, Convertible From>
SOFTNUM_HOST_DEVICE constexpr To convert(From from, std::uint32_t random) noexcept {
  static_assert(detail::stochastic_ok<SR, To>::value);
  return To::from_unpacked(detail::number_traits<From>::unpack(from), SR, random);
}

/// The next representable value after x in the direction of y (IEEE nextUp/nextDown). Past the
/// largest finite value: the format's infinity, or what its overflow policy gives instead.
template <FloatFormat T>
SOFTNUM_HOST_DEVICE constexpr T nextafter(T x, T y) noexcept {
  using C = typename T::codec;
  using st = typename T::storage_type;
  if (isnan(x) || isnan(y)) return T::from_bits(C::nan_bits(false));
  if (x == y) return y;
  const bool up = x < y;
  if (iszero(x)) {
    if (!up && !C::is_signed) return T::from_bits(C::nan_bits(false));  // no negative numbers
    const st smallest = T::has_subnormals ? st{1} : C::min_normal_bits();
    return T::from_bits(static_cast<st>(smallest | C::sign_of(!up)));
  }
  if (isinf(x)) return T::from_bits(static_cast<st>(C::max_bits | C::sign_of(!up)));
  const bool away = up != signbit(x);  // magnitude grows
  const st mag = static_cast<st>(x.bits() & C::mag_mask);
  if (away && mag == C::max_bits) return T::from_bits(C::overflow_bits(signbit(x), Round::nearest_even));
  if (!away && !T::has_subnormals && mag == C::min_normal_bits()) {
    return T::from_bits(C::zero_bits(signbit(x)));  // NaN where there is no zero
  }
  const st next = static_cast<st>(away ? mag + 1 : mag - 1);
  if (next == 0) return T::from_bits(C::zero_bits(signbit(x)));
  return T::from_bits(static_cast<st>(next | C::sign_of(signbit(x))));
}

namespace detail {
template <FloatFormat T>
struct number_traits<T> {
  static constexpr Round default_round = T::rounding;
  // NumberFormat (core/arithmetic.hpp): the kernels work on the bits.
  using kernels = typename T::arith;
  static constexpr bool exact_add = false;
  static constexpr bool exact_frexp = true;  // 0.5 <= |m| < 1 is representable
  static constexpr int ldexp_limit = 40000;  // beyond it the result is 0 or overflow anyway
  SOFTNUM_HOST_DEVICE static constexpr auto word(T x) noexcept { return x.bits(); }
  SOFTNUM_HOST_DEVICE static constexpr T from_word(typename T::storage_type w) noexcept {
    return T::from_bits(w);
  }
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(T x) noexcept { return x.unpack(); }
  SOFTNUM_HOST_DEVICE static constexpr T pack(const Unpacked& u, Round mode, std::uint32_t r) noexcept {
    return T::from_unpacked(u, mode, r);
  }
};

template <>
struct number_traits<double> {
  static constexpr Round default_round = Round::nearest_even;
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(double x) noexcept { return unpack_double(x); }
  SOFTNUM_HOST_DEVICE static constexpr double pack(const Unpacked& u, Round mode, std::uint32_t r) noexcept {
    return bit_cast<double>(binary64::from_unpacked(u, mode, r).bits());
  }
};

template <>
struct number_traits<float> {
  static constexpr Round default_round = Round::nearest_even;
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(float x) noexcept {
    return binary32::from_bits(bit_cast<std::uint32_t>(x)).unpack();
  }
  SOFTNUM_HOST_DEVICE static constexpr float pack(const Unpacked& u, Round mode, std::uint32_t r) noexcept {
    return bit_cast<float>(binary32::from_unpacked(u, mode, r).bits());
  }
};
}  // namespace detail

}  // namespace softnum

// numeric_limits ---------------------------------------------------------------------------------
template <int E, int M, softnum::Specials S, softnum::Overflow O, softnum::Round R, bool Sub,
          softnum::FloatSpec X>
class std::numeric_limits<softnum::Float<E, M, S, O, R, Sub, X>>
    : public softnum::detail::numeric_limits_common {
  using T = softnum::Float<E, M, S, O, R, Sub, X>;
  using C = typename T::codec;
  using st = typename T::storage_type;
  static constexpr int floor_log10_pow2(int n) noexcept {
    return softnum::detail::floor_log10_pow2(n);
  }

 public:
  // is_specialized, is_integer, radix, ...: softnum::detail::numeric_limits_common.
  static constexpr bool is_signed = C::is_signed;
  static constexpr bool is_exact = false;
  static constexpr bool has_infinity = C::has_inf;
  static constexpr bool has_quiet_NaN = C::has_nan;
  static constexpr std::float_denorm_style has_denorm =
      Sub ? std::denorm_present : std::denorm_absent;
  static constexpr std::float_round_style round_style = softnum::detail::round_style_of(R);
  static constexpr bool is_iec559 = S == softnum::Specials::ieee && Sub &&
                                    O == softnum::Overflow::infinity &&
                                    R == softnum::Round::nearest_even;
  static constexpr bool is_modulo = false;
  static constexpr int digits = M + 1;
  static constexpr int digits10 = floor_log10_pow2(M);
  static constexpr int max_digits10 = floor_log10_pow2(M + 1) + 2;
  static constexpr int min_exponent = C::emin + 1;
  static constexpr int min_exponent10 = -floor_log10_pow2(-C::emin);  // ceil(emin*log10 2)
  static constexpr int max_exponent = C::emax + 1;
  // floor(log10(max)); max = (2 - 2^-M') 2^emax lies below 2^(emax+1) and never within reach of
  // a power of ten that lies between 2^emax and 2^(emax+1) for these widths, except when a power
  // of ten falls in [max, 2^(emax+1)), which floor_log10_pow2(emax+1) would overcount. Checked
  // against the aliases in the tests.
  static constexpr int max_exponent10 = floor_log10_pow2(C::emax + 1);

  static constexpr T min() noexcept { return T::from_bits(C::min_normal_bits()); }
  static constexpr T max() noexcept { return T::from_bits(C::max_bits); }
  // Unsigned formats: zero, or the smallest positive value where there is no zero.
  static constexpr T lowest() noexcept {
    if constexpr (C::is_signed) return T::from_bits(C::max_signed(true));
    return T::from_bits(C::has_zero ? st{0} : C::min_normal_bits());
  }
  static constexpr T epsilon() noexcept {
    // 2^-M = 1 + ulp(1) - 1; its field is bias - M (>= 1 for all the named formats).
    softnum::detail::Unpacked u{softnum::detail::Kind::finite, false, -M, 1};
    return T::from_unpacked(u, softnum::Round::nearest_even);
  }
  static constexpr T round_error() noexcept {
    softnum::detail::Unpacked u{softnum::detail::Kind::finite, false, -1, 1};
    return T::from_unpacked(u, softnum::Round::nearest_even);  // 0.5
  }
  static constexpr T infinity() noexcept { return T::from_bits(C::inf_code(false)); }
  static constexpr T quiet_NaN() noexcept { return T::from_bits(C::nan_bits(false)); }
  static constexpr T signaling_NaN() noexcept { return quiet_NaN(); }
  static constexpr T denorm_min() noexcept { return Sub ? T::from_bits(st{1}) : min(); }
};

template <int E, int M, softnum::Specials S, softnum::Overflow O, softnum::Round R, bool Sub, softnum::FloatSpec X>
struct std::hash<softnum::Float<E, M, S, O, R, Sub, X>> {
  std::size_t operator()(const softnum::Float<E, M, S, O, R, Sub, X>& x) const noexcept {
    // Equal values hash equally: all zeros (and, under no subnormals, zero-coded values) alike.
    if (softnum::iszero(x)) return 0;
    const auto b = static_cast<softnum::detail::u128>(x.bits());
    return std::hash<std::uint64_t>{}(static_cast<std::uint64_t>(b) ^ static_cast<std::uint64_t>(b >> 64) * 31);
  }
};
