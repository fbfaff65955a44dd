// softnum/core/arithmetic.hpp - the per-call API and the <cmath>-named functions, written once
// for every NumberFormat (Float, Posit, Fixed) and found by ADL.
// SPDX-License-Identifier: MIT
//
// A type is a NumberFormat when its detail::number_traits<T> (core/convert.hpp) adds, to the
// exact unpack/pack that convert<> needs:
//   kernels               static add/mul/div/sqrt/fma (and sub, if not add of -b) on the type's
//                         word, in any Round, with a random word (Float: FloatArith, Posit:
//                         PositArith, Fixed: FixedCore)
//   word(x), from_word(w) the word the kernels work on (Float, Posit: the bits; Fixed: the raw
//                         integer)
//   exact_add             add and sub are exact (Fixed): the type's operators; no word is drawn
//   exact_frexp           frexp's fraction is always representable (Float): rounded to nearest
//   ldexp_limit           |n| beyond which ldexp's result no longer changes (keeps exp in range)
// and the type provides isnan, isinf and abs (found by ADL). A new type gets add<R> ... fmax by
// specialising number_traits; its header keeps what is its own: the format card, the codec, the
// fast paths, classification and nextafter.
#pragma once

#include <softnum/core/bits.hpp>
#include <softnum/core/convert.hpp>
#include <softnum/core/random.hpp>
#include <softnum/core/round.hpp>

#include <concepts>  // std::same_as
#include <cstdint>   // std::uint32_t
#include <limits>    // std::float_round_style

namespace softnum {

/// A type with correctly rounded arithmetic in every Round, per call.
template <class T>
concept NumberFormat = Convertible<T> && requires(T x) {
  typename detail::number_traits<T>::kernels;
  { detail::number_traits<T>::from_word(detail::number_traits<T>::word(x)) } -> std::same_as<T>;
};

namespace detail {
/// The random word a per-call add/sub uses by default: none where they are exact.
template <NumberFormat T, Round R>
SOFTNUM_HOST_DEVICE constexpr std::uint32_t add_random_c() noexcept {
  if constexpr (number_traits<T>::exact_add) {
    return 0;
  } else {
    return operator_random_c<R>();
  }
}
/// A word from gen for add/sub; exact add/sub leave gen untouched.
template <NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr std::uint32_t add_random(Philox& gen) noexcept {
  if constexpr (number_traits<T>::exact_add) {
    return 0;
  } else {
    return gen();
  }
}

/// numeric_limits<T>::round_style of a type whose operators round in mode R.
constexpr std::float_round_style round_style_of(Round r) noexcept {
  return r == Round::nearest_even  ? std::round_to_nearest
         : r == Round::toward_zero ? std::round_toward_zero
         : r == Round::up          ? std::round_toward_infinity
         : r == Round::down        ? std::round_toward_neg_infinity
                                   : std::round_indeterminate;
}

/// What Float, Posit and Fixed derive alike (T is the derived type): unary + and the compound
/// assignments from T's binary operators, as hidden friends found by ADL.
template <class T>
struct number_operators {
  SOFTNUM_HOST_DEVICE friend constexpr T operator+(T a) noexcept { return a; }
  SOFTNUM_HOST_DEVICE friend constexpr T& operator+=(T& a, T b) noexcept { return a = a + b; }
  SOFTNUM_HOST_DEVICE friend constexpr T& operator-=(T& a, T b) noexcept { return a = a - b; }
  SOFTNUM_HOST_DEVICE friend constexpr T& operator*=(T& a, T b) noexcept { return a = a * b; }
  SOFTNUM_HOST_DEVICE friend constexpr T& operator/=(T& a, T b) noexcept { return a = a / b; }
};
}  // namespace detail

// Per-call rounding: add<Round::up>(a, b), ..., with an explicit random word or generator for
// Round::stochastic. Where add and sub are exact (Fixed, before its overflow policy), R does not
// matter; they exist so that generic code can call them for every type.
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T add(T a, T b,
                                    std::uint32_t random = detail::add_random_c<T, R>()) noexcept {
  using N = detail::number_traits<T>;
  if constexpr (N::exact_add) {
    return a + b;
  } else {
    return N::from_word(N::kernels::add(N::word(a), N::word(b), R, random));
  }
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T sub(T a, T b,
                                    std::uint32_t random = detail::add_random_c<T, R>()) noexcept {
  using N = detail::number_traits<T>;
  if constexpr (N::exact_add) {
    return a - b;
  } else if constexpr (requires { N::kernels::sub(N::word(a), N::word(b), R, random); }) {
    // Float: its own subtraction (-b need not exist in an unsigned format).
    return N::from_word(N::kernels::sub(N::word(a), N::word(b), R, random));
  } else {
    return N::from_word(N::kernels::add(N::word(a), N::word(-b), R, random));
  }
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T mul(
    T a, T b, std::uint32_t random = detail::operator_random_c<R>()) noexcept {
  using N = detail::number_traits<T>;
  return N::from_word(N::kernels::mul(N::word(a), N::word(b), R, random));
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T div(
    T a, T b, std::uint32_t random = detail::operator_random_c<R>()) noexcept {
  using N = detail::number_traits<T>;
  return N::from_word(N::kernels::div(N::word(a), N::word(b), R, random));
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T sqrt(
    T a, std::uint32_t random = detail::operator_random_c<R>()) noexcept {
  using N = detail::number_traits<T>;
  return N::from_word(N::kernels::sqrt(N::word(a), R, random));
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T fma(
    T a, T b, T c, std::uint32_t random = detail::operator_random_c<R>()) noexcept {
  using N = detail::number_traits<T>;
  return N::from_word(N::kernels::fma(N::word(a), N::word(b), N::word(c), R, random));
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T add(T a, T b, Philox& gen) noexcept {
  return add<R>(a, b, detail::add_random<T>(gen));
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T sub(T a, T b, Philox& gen) noexcept {
  return sub<R>(a, b, detail::add_random<T>(gen));
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T mul(T a, T b, Philox& gen) noexcept {
  return mul<R>(a, b, gen());
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T div(T a, T b, Philox& gen) noexcept {
  return div<R>(a, b, gen());
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T sqrt(T a, Philox& gen) noexcept {
  return sqrt<R>(a, gen());
}
template <Round R, NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T fma(T a, T b, T c, Philox& gen) noexcept {
  return fma<R>(a, b, c, gen());
}

/// Square root (NaN, a posit's NaR, for negative arguments) and fused multiply-add a*b + c,
/// in the type's rounding mode.
template <NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T sqrt(T a) noexcept {
  return sqrt<detail::number_traits<T>::default_round>(a);
}
template <NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T fma(T a, T b, T c) noexcept {
  return fma<detail::number_traits<T>::default_round>(a, b, c);
}

namespace detail {
/// What Float and Posit derive alike (T is the derived type), as hidden friends found by ADL:
/// + - * / in T's default rounding mode, which are the per-call add/sub/mul/div above with the
/// operators' random word.
template <class T>
struct rounded_operators : number_operators<T> {
  SOFTNUM_HOST_DEVICE friend constexpr T operator+(T a, T b) noexcept {
    return softnum::add<number_traits<T>::default_round>(a, b);
  }
  SOFTNUM_HOST_DEVICE friend constexpr T operator-(T a, T b) noexcept {
    return softnum::sub<number_traits<T>::default_round>(a, b);
  }
  SOFTNUM_HOST_DEVICE friend constexpr T operator*(T a, T b) noexcept {
    return softnum::mul<number_traits<T>::default_round>(a, b);
  }
  SOFTNUM_HOST_DEVICE friend constexpr T operator/(T a, T b) noexcept {
    return softnum::div<number_traits<T>::default_round>(a, b);
  }
};

/// The members of std::numeric_limits that are the same for every softnum type (each
/// specialisation derives this and states the rest).
struct numeric_limits_common {
  static constexpr bool is_specialized = true;
  static constexpr bool is_integer = false;
  static constexpr bool has_signaling_NaN = false;
  static constexpr bool has_denorm_loss = false;
  static constexpr bool is_bounded = true;
  static constexpr int radix = 2;
  static constexpr bool traps = false;
  static constexpr bool tinyness_before = false;
};

/// floor(n * log10(2)), exact for |n| < 2^20 (the 15-digit constant is within 5e-16 of log10 2;
/// n * log10 2 is never that close to an integer for 0 < |n| < 2^20): the decimal members of
/// numeric_limits and the decimal conversions (ops/decimal.hpp).
constexpr int floor_log10_pow2(int n) noexcept {
  const i128 v = static_cast<i128>(n) * 301029995663981;
  const i128 d = 1000000000000000;
  return static_cast<int>(v >= 0 ? v / d : -((-v + d - 1) / d));
}
}  // namespace detail

/// x * 2^n, rounded once in the type's mode, then its overflow policy (a posit saturates and
/// never becomes 0 for x != 0).
template <NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T ldexp(T x, int n) noexcept {
  using N = detail::number_traits<T>;
  detail::Unpacked u = N::unpack(x);
  if (u.kind != detail::Kind::finite) return x;
  n = n > N::ldexp_limit ? N::ldexp_limit : (n < -N::ldexp_limit ? -N::ldexp_limit : n);
  u.exp += n;
  return N::pack(u, N::default_round, detail::operator_random_c<N::default_round>());
}
template <NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T scalbn(T x, int n) noexcept {
  return ldexp(x, n);
}

/// x = m * 2^e with |m| in [0.5, 1); m carries x's sign. Zero, inf and NaN (NaR) give e = 0 and
/// x. m is exact for Float; a posit rounds it to its grid near 1 (exact whenever m has at most
/// N-3-ES fraction bits, always for x's own fraction); a Fixed in its mode (exact when F is at
/// least the number of significant bits of x; m = 0.5 needs F >= 1).
template <NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T frexp(T x, int* e) noexcept {
  using N = detail::number_traits<T>;
  detail::Unpacked u = N::unpack(x);
  if (u.kind != detail::Kind::finite) {
    *e = 0;
    return x;
  }
  const int lead = u.exp + detail::bit_width(u.sig) - 1;
  *e = lead + 1;
  u.exp -= lead + 1;
  if constexpr (N::exact_frexp) {
    return N::pack(u, Round::nearest_even, 0);
  } else {
    return N::pack(u, N::default_round, detail::operator_random_c<N::default_round>());
  }
}

/// Minimum and maximum; NaN (a posit's NaR) is treated as missing data, as in std::fmin.
template <NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T fmin(T a, T b) noexcept {
  return isnan(a) ? b : (isnan(b) ? a : (b < a ? b : a));
}
template <NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T fmax(T a, T b) noexcept {
  return isnan(a) ? b : (isnan(b) ? a : (a < b ? b : a));
}

template <NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr T fabs(T x) noexcept {
  return abs(x);
}
template <NumberFormat T>
SOFTNUM_HOST_DEVICE constexpr bool isfinite(T x) noexcept {
  return !isnan(x) && !isinf(x);
}

}  // namespace softnum
