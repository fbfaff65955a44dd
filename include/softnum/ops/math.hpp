// softnum/ops/math.hpp - the elementary functions: exp, log, tanh, sigmoid for Posit<N,ES>
// (faithfully rounded). sqrt, fma, ldexp, frexp, fmin, fmax, fabs are in core/arithmetic.hpp,
// abs, copysign, nextafter and the classification with each type (entry header: math.hpp).
// SPDX-License-Identifier: MIT
//
// Accuracy: each function evaluates the exact posit argument in long double (x86-64: 64-bit
// significand) with the C library's expl/logl/tanhl, then rounds that once to the posit. With
// the library's error below 8 units in the last place of long double (2^-61 relative), the
// result is faithful (one of the two posits around the true value) whenever the posit has at most
// 60 significand bits, i.e. every posit with N - ES <= 62 (posit8/16/32/64 included): a posit
// between the true value and the long double one would be within 2^-61 relative of the true
// value, less than half a posit step, so nothing past it can be chosen. Far from breakpoints
// (all but a ~2^(p-63) fraction of arguments) it is the correctly rounded result: the tests find
// every posit8, posit16 and Posit<16,1> argument correctly rounded, and measure posit32/64.
// Saturation follows the posit rules: exp(-large) and sigmoid(-large) give minpos, never 0;
// results above maxpos give maxpos. log(x <= 0) and any NaR argument give NaR.
// These functions are host only (long double; not constexpr). Where long double is no wider than
// double (e.g. MSVC, CUDA device code), the same code is faithful only for p <= 49.
#pragma once

#include <softnum/types/posit.hpp>

#include <cmath>    // std::expl, std::logl, std::tanhl, std::frexp, std::ldexp
#include <cstdint>  // std::uint64_t
#include <limits>   // std::numeric_limits

namespace softnum {
namespace detail {

/// The exact value of a finite posit as a long double (exact for p <= 64 and the long double
/// exponent range, which holds every posit on x86-64).
template <PositFormat P>
inline long double posit_to_long_double(P x) noexcept {
  const Unpacked u = x.unpack();
  if (u.kind != Kind::finite) return 0.0L;
  const long double v =
      std::ldexp(static_cast<long double>(static_cast<std::uint64_t>(u.sig)), u.exp);
  return u.sign ? -v : v;
}

/// Rounds a long double once to P. 0 is taken as "positive, below every posit" (the callers only
/// produce 0 for a positive true value that underflowed), infinities as beyond maxpos.
template <PositFormat P>
inline P posit_from_long_double(long double y) noexcept {
  if (y != y) return P::nar();
  if (y == 0) return P::minpos();
  if (y == std::numeric_limits<long double>::infinity()) return P::maxpos();
  if (y == -std::numeric_limits<long double>::infinity()) return -P::maxpos();
  int e = 0;
  const long double m = std::frexp(y < 0 ? -y : y, &e);  // [0.5, 1)
  constexpr int digits =
      std::numeric_limits<long double>::digits < 64 ? std::numeric_limits<long double>::digits : 64;
  const auto sig = static_cast<std::uint64_t>(std::ldexp(m, digits));  // exact
  return P::from_unpacked(Unpacked{Kind::finite, y < 0, e - digits, sig}, Round::nearest_even);
}

}  // namespace detail

/// e^x, faithfully rounded (see the header comment); exp(0) = 1 exactly.
template <PositFormat P>
inline P exp(P x) noexcept {
  if (isnar(x)) return x;
  if (iszero(x)) return P::one();
  return detail::posit_from_long_double<P>(std::exp(detail::posit_to_long_double(x)));
}

/// Natural logarithm, faithfully rounded; NaR for x <= 0; log(1) = 0 exactly.
template <PositFormat P>
inline P log(P x) noexcept {
  if (isnar(x) || iszero(x) || signbit(x)) return P::nar();
  if (x == P::one()) return P::zero();
  return detail::posit_from_long_double<P>(std::log(detail::posit_to_long_double(x)));
}

/// Hyperbolic tangent, faithfully rounded; tanh(0) = 0.
template <PositFormat P>
inline P tanh(P x) noexcept {
  if (isnar(x) || iszero(x)) return x;
  const long double y = std::tanh(detail::posit_to_long_double(x));
  if (y == 0) return signbit(x) ? -P::minpos() : P::minpos();  // cannot happen in practice
  return detail::posit_from_long_double<P>(y);
}

/// The logistic function 1 / (1 + e^-x), faithfully rounded; sigmoid(0) = 1/2. Evaluated as
/// t / (1 + t) with t = e^x for x < 0 so that tiny results keep their relative accuracy.
template <PositFormat P>
inline P sigmoid(P x) noexcept {
  if (isnar(x)) return x;
  if (iszero(x)) return P(0.5);
  const long double v = detail::posit_to_long_double(x);
  long double y;
  if (v < 0) {
    const long double t = std::exp(v);
    y = t / (1.0L + t);
  } else {
    y = 1.0L / (1.0L + std::exp(-v));
  }
  return detail::posit_from_long_double<P>(y);
}

}  // namespace softnum
