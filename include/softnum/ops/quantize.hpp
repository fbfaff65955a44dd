// softnum/ops/quantize.hpp - rounding arrays into a format ("fake quantization") and array
// conversion: quantize<T>(x, y, mode, seed, offset) and convert<To>(span<const From>, span<To>).
// SPDX-License-Identifier: MIT
//
// The definition, element by element: y[i] = the value of T nearest x[i] in `mode` (one
// rounding: convert<T> of the exact value), then stored in float/double (exactly when it fits,
// otherwise rounded to nearest even, the way convert<float> would). Stochastic rounding uses the
// word random_word(seed, offset + i, 0) for element i, so the result is a pure function of
// (x[i], seed, offset + i): it never depends on how the array is split or on threads.
//
// Speed: Float formats with E <= 8, 1 <= M <= 22, subnormals, float range (binary16, bfloat16,
// every fp8/fp6/fp4) rounded from float take a branch-free integer kernel
// (ops/quantize_kernels.inc) compiled once per instruction set (AVX-512, AVX2 + F16C, generic) and
// chosen at run time; the compiler vectorises it. binary16 nearest-even uses the F16C conversion
// instructions, which are IEEE conversions and therefore the correctly rounded answer. Posits
// (every mode but odd) and saturating Fixed (<= 24 bits from float, <= 53 from double) take
// kernels of the same kind from float and double: a posit rounds as a float significand on the
// scales where it keeps a fraction bit, its other lanes (tapered ends, specials) take the
// definition. Every other case runs the scalar definition (Float formats from double via the
// library's double-based rounding). The tests compare every path with the definition bit for bit
// (tests/quantize_test.cpp).
#pragma once

#include <softnum/core/convert.hpp>
#include <softnum/core/cpu_features.hpp>  // detail::isa(), SOFTNUM_X86_DISPATCH
#include <softnum/core/random.hpp>
#include <softnum/core/round.hpp>
#include <softnum/types/expansion.hpp>
#include <softnum/types/fixed.hpp>
#include <softnum/types/float.hpp>
#include <softnum/types/posit.hpp>

#include <cassert>      // assert: size mismatch is a precondition failure
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint32_t, std::uint64_t
#include <limits>       // std::numeric_limits (the kernels)
#include <span>         // std::span
#include <type_traits>  // std::is_same_v, std::conditional_t

// Not in CUDA translation units (SOFTNUM_X86_DISPATCH, as gemm_kernels.hpp): nvcc's front end
// rejects the x86 kernels in its host pass; host code there gets the scalar definition, which
// gives the same bits.
#if !defined(SOFTNUM_QUANTIZE_X86) && SOFTNUM_X86_DISPATCH
#  define SOFTNUM_QUANTIZE_X86 1
#  include <immintrin.h>
#endif
#ifndef SOFTNUM_QUANTIZE_X86
#  define SOFTNUM_QUANTIZE_X86 0
#endif

namespace softnum {

/// A scalar number type quantize<> and array convert<> accept: a softnum scalar type (Float,
/// Posit, Fixed, Expansion) or a native arithmetic type. Block-scaled formats are not scalar
/// numbers; their quantize overloads are constrained separately, so the two never compete.
template <class T>
concept ScalarNumber = Convertible<T>;

namespace detail::quant {

/// One element, the definition: x rounded once to T in `mode`, stored back in S.
template <class T, class S>
SOFTNUM_HOST_DEVICE constexpr S round_one(S x, Round mode, std::uint32_t word) noexcept {
  const T t = number_traits<T>::pack(number_traits<S>::unpack(x), mode, word);
  return number_traits<S>::pack(number_traits<T>::unpack(t), Round::nearest_even, 0u);
}

/// The word element i uses under stochastic rounding.
SOFTNUM_HOST_DEVICE constexpr std::uint32_t word_at(std::uint64_t seed,
                                                    std::uint64_t index) noexcept {
  return random_word(seed, index, 0);
}

/// The scalar definition over an array (also the reference the tests compare the kernels with).
template <class T, class S>
void reference(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
               std::uint64_t offset) noexcept {
  if (mode == Round::stochastic) {
    for (std::size_t i = 0; i < n; ++i) y[i] = round_one<T>(x[i], mode, word_at(seed, offset + i));
  } else {
    for (std::size_t i = 0; i < n; ++i) y[i] = round_one<T>(x[i], mode, 0u);
  }
}

/// Float formats the float kernel handles: every value and every rounding of a float lands on a
/// normal or subnormal float (emin >= -126, emax <= 127, quantum >= 2^-149), and the format has
/// subnormals (E <= 8 and 1 <= M <= 22).
template <class T>
struct float_kernel_ok {
  static constexpr bool value = false;
};
template <FloatFormat T>
struct float_kernel_ok<T> {
  using C = typename T::codec;
  static constexpr bool value = T::exponent_bits <= 8 && T::mantissa_bits >= 1 &&
                                T::mantissa_bits <= 22 && C::subnormals && C::emin >= -126 &&
                                C::emax <= 127 && C::standard_layout;
};

/// Posits the posit kernel handles from float: every N and ES (its lanes outside the scales with
/// a fraction bit go to the definition).
template <class T>
inline constexpr bool posit_kernel_ok = PositFormat<T>;

/// Fixed formats the fixed-point kernel handles: saturating, at most 24 bits from float and 53
/// from double, so that every value is a float (double).
template <class T>
struct fixed_kernel_ok {
  static constexpr bool value = false, value_f64 = false;
};
template <int I, int F, Round R>
struct fixed_kernel_ok<Fixed<I, F, R, FixedOverflow::saturate>> {
  static constexpr bool value = I + F <= 24, value_f64 = I + F <= 53;
};

/// Results that do not depend on the value's digits: what the definition gives for zeros,
/// infinities, NaNs and overflow, per sign (index 0 positive, 1 negative), as float bits.
struct Specials32 {
  std::uint32_t zero[2], inf[2], nan[2], overflow[2];
};

/// The same in scalars (by value: the kernels keep them in registers).
struct SpecialsFlat {
  std::uint32_t z0, z1, i0, i1, n0, n1, o0, o1;
};

template <class T>
Specials32 specials32(Round mode) noexcept {
  using C = typename T::codec;
  const auto out = [](typename C::storage b) {
    return bit_cast<std::uint32_t>(
        number_traits<float>::pack(C::decode(b), Round::nearest_even, 0u));
  };
  const auto in = [mode](std::uint32_t f) {
    return bit_cast<std::uint32_t>(round_one<T>(bit_cast<float>(f), mode, 0u));
  };
  Specials32 s{};
  for (int neg = 0; neg < 2; ++neg) {
    const std::uint32_t sign = static_cast<std::uint32_t>(neg) << 31;
    s.zero[neg] = out(C::zero_bits(neg != 0));
    s.inf[neg] = in(sign | 0x7F800000u);
    s.nan[neg] = in(sign | 0x7FC00000u);
    s.overflow[neg] = out(C::overflow_bits(neg != 0, mode));
  }
  return s;
}

}  // namespace detail::quant
}  // namespace softnum

// ----- the kernels, once per instruction set -------------------------------------------------
#define SOFTNUM_PER_ISA_KERNELS <softnum/ops/quantize_kernels.inc>
#include <softnum/ops/per_isa.inc>
#undef SOFTNUM_PER_ISA_KERNELS

namespace softnum {
namespace detail::quant {

// The instruction set: one detection and one limit for every kernel family (tests lower
// detail::quant::isa_limit() to run each copy).
using detail::detected_isa;
using detail::isa;
using detail::isa_limit;

template <class T>
void quantize_f32(const float* x, float* y, std::size_t n, Round mode, std::uint64_t seed,
                  std::uint64_t offset) noexcept {
  if constexpr (float_kernel_ok<T>::value) {
    SOFTNUM_PER_ISA_RETURN(quantize_float<T>(x, y, n, mode, seed, offset));
  } else if constexpr (posit_kernel_ok<T>) {
    SOFTNUM_PER_ISA_RETURN(quantize_posit<T>(x, y, n, mode, seed, offset));
  } else if constexpr (fixed_kernel_ok<T>::value) {
    SOFTNUM_PER_ISA_RETURN(quantize_fixed<T>(x, y, n, mode, seed, offset));
  } else {
    reference<T>(x, y, n, mode, seed, offset);
  }
}

template <class T>
void quantize_f64(const double* x, double* y, std::size_t n, Round mode, std::uint64_t seed,
                  std::uint64_t offset) noexcept {
  if constexpr (FloatFormat<T>) {
    using A = typename T::arith;
    if constexpr (A::via_double) {
      if (A::use_double(mode)) {
        // The library's double-based rounding (what Float's arithmetic uses), exact for E <= 8,
        // M <= 23; NaN results take the definition's NaN (the sign kept), which to_double does not.
        using C = typename T::codec;
        const double nan_out[2] = {
            number_traits<double>::pack(C::decode(C::nan_bits(false)), Round::nearest_even, 0u),
            number_traits<double>::pack(C::decode(C::nan_bits(true)), Round::nearest_even, 0u)};
        for (std::size_t i = 0; i < n; ++i) {
          const std::uint32_t word = mode == Round::stochastic ? word_at(seed, offset + i) : 0u;
          const typename C::storage b = A::from_double(x[i], mode, word, true);
          y[i] = C::is_nan(b) ? nan_out[(b & C::sign_mask) != 0 ? 1 : 0] : A::to_double(b);
        }
        return;
      }
    }
  } else if constexpr (posit_kernel_ok<T>) {
    SOFTNUM_PER_ISA_RETURN(quantize_posit<T>(x, y, n, mode, seed, offset));
  } else if constexpr (fixed_kernel_ok<T>::value_f64) {
    SOFTNUM_PER_ISA_RETURN(quantize_fixed<T>(x, y, n, mode, seed, offset));
  }
  reference<T>(x, y, n, mode, seed, offset);
}

}  // namespace detail::quant

/// y[i] = x[i] rounded once to T in `mode`, stored back in float (see the top of this file).
/// x and y may be the same array; their sizes must match.
template <ScalarNumber T>
void quantize(std::span<const float> x, std::span<float> y, Round mode = Round::nearest_even,
              std::uint64_t seed = 0, std::uint64_t offset = 0) noexcept {
  assert(x.size() == y.size() && "softnum::quantize: x and y must have the same size");
  detail::quant::quantize_f32<T>(x.data(), y.data(), x.size() < y.size() ? x.size() : y.size(),
                                 mode, seed, offset);
}

/// The same for double arrays.
template <ScalarNumber T>
void quantize(std::span<const double> x, std::span<double> y, Round mode = Round::nearest_even,
              std::uint64_t seed = 0, std::uint64_t offset = 0) noexcept {
  assert(x.size() == y.size() && "softnum::quantize: x and y must have the same size");
  detail::quant::quantize_f64<T>(x.data(), y.data(), x.size() < y.size() ? x.size() : y.size(),
                                 mode, seed, offset);
}

/// y[i] = convert<To>(x[i]) (To's default rounding mode). Decoding a Float format of at most 16
/// bits to float takes a vectorised kernel. Sizes must match.
template <ScalarNumber To, ScalarNumber From>
void convert(std::span<const From> x, std::span<To> y) noexcept {
  assert(x.size() == y.size() && "softnum::convert: x and y must have the same size");
  const std::size_t n = x.size() < y.size() ? x.size() : y.size();
  if constexpr (std::is_same_v<To, float> && detail::quant::float_kernel_ok<From>::value) {
    SOFTNUM_PER_ISA_RETURN(decode_float<From>(x.data(), y.data(), n));
  } else {
    for (std::size_t i = 0; i < n; ++i) y[i] = softnum::convert<To>(x[i]);
  }
}

}  // namespace softnum
