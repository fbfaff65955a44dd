// Independent reference ("oracle") for softnum's Fixed<I,F,R,O>.
//
// Written the slow, obvious way on boost::multiprecision cpp_int / cpp_rational from the format
// contract (the card at the top of include/softnum/types/fixed.hpp) and shared/notes/ROUNDING.md
// §4 and §2.5. It must never include a softnum header nor share code with the library: the library
// rounds sign-magnitude integers with bit tricks; this file rounds exact rationals (and, for
// sqrt, exact comparisons of squares) with floor/compare on the two's complement value.
//
// Model: an operation produces a `Scaled` describing y = exact result * 2^F (the result in units
// of the last place); `round_to_int` rounds y to an integer in a mode; `fit` applies the overflow
// policy.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <boost/multiprecision/cpp_int.hpp>

namespace fixed_oracle {

using Int = boost::multiprecision::cpp_int;
using Rat = boost::multiprecision::cpp_rational;

// Same order as softnum::Round and softnum::FixedOverflow (the tests map them by value).
enum class Mode { nearest_even, nearest_away, toward_zero, up, down, odd, stochastic };
enum class Overflow { saturate, wrap };

struct Format {
  int I, F;  // I >= 1 integer bits including the sign, F >= 0 fraction bits, I + F <= 64
  Overflow overflow = Overflow::saturate;
  int width() const { return I + F; }
  Int max_raw() const { return (Int(1) << (width() - 1)) - 1; }
  Int min_raw() const { return -(Int(1) << (width() - 1)); }
};

inline void check_format(const Format& f) {
  if (f.I < 1 || f.F < 0 || f.I + f.F > 64)
    throw std::invalid_argument("fixed_oracle: bad Format I/F");
}

// y, a real number, described by exactly what rounding to an integer needs.
struct Scaled {
  Int floor;          // floor(y)
  int cmp_half = 0;   // sign of (y - floor(y)) - 1/2
  bool exact = true;  // y is an integer
  bool negative = false;
  Int frac32;  // the fraction of |y| (|y| - floor|y|) times 2^32, rounded to nearest even
};

namespace detail {

inline Int floor_div(const Int& n, const Int& d) {  // d > 0
  Int q = n / d;                                    // truncates toward zero
  if (n < 0 && q * d != n) q -= 1;
  return q;
}

// RNE(p / q) for p >= 0, q > 0.
inline Int round_half_even(const Int& p, const Int& q) {
  Int n = p / q;
  const Int r2 = 2 * (p - n * q);
  if (r2 > q || (r2 == q && bit_test(n, 0))) n += 1;
  return n;
}

inline int sign(const Int& x) { return x > 0 ? 1 : (x < 0 ? -1 : 0); }

inline Int isqrt(const Int& n, Int& rem) {  // n >= 0
  Int r = boost::multiprecision::sqrt(n, rem);
  if (r * r + rem != n || rem > 2 * r) throw std::logic_error("fixed_oracle: isqrt");
  return r;
}

}  // namespace detail

// y = num / den exactly (den != 0).
inline Scaled scaled_rational(Int num, Int den) {
  if (den == 0) throw std::invalid_argument("fixed_oracle: zero denominator");
  if (den < 0) {
    num = -num;
    den = -den;
  }
  Scaled s;
  s.negative = num < 0;
  s.floor = detail::floor_div(num, den);
  const Int rem = num - s.floor * den;  // y - floor(y) = rem / den, 0 <= rem < den
  s.exact = rem == 0;
  s.cmp_half = detail::sign(2 * rem - den);
  // Fraction of |y|: rem/den for y >= 0, 1 - rem/den for y < 0 (when inexact).
  const Int mrem = s.exact ? Int(0) : (s.negative ? den - rem : rem);
  s.frac32 = detail::round_half_even(mrem << 32, den);
  return s;
}

inline Scaled scaled_rational(const Rat& y) {
  return scaled_rational(boost::multiprecision::numerator(y),
                         boost::multiprecision::denominator(y));
}

// y = sqrt(n), n >= 0 an integer.
inline Scaled scaled_sqrt(const Int& n) {
  if (n < 0) throw std::invalid_argument("fixed_oracle: sqrt of a negative integer");
  Scaled s;
  Int rem;
  s.floor = detail::isqrt(n, rem);
  s.exact = rem == 0;
  // sqrt(n) - s vs 1/2  <=>  4n vs (2s + 1)^2 (never equal: one side is even, the other odd).
  const Int t = 2 * s.floor + 1;
  s.cmp_half = s.exact ? -1 : detail::sign(4 * n - t * t);
  // The fraction times 2^32, rounded to nearest: nearest integer to sqrt(n 2^64) minus s 2^32.
  if (!s.exact) {
    const Int m = n << 64;
    Int rem2;
    Int u = detail::isqrt(m, rem2);
    const Int v = 2 * u + 1;
    if (4 * m > v * v) u += 1;  // never a tie, as above
    s.frac32 = u - (s.floor << 32);
  }
  return s;
}

// Rounds y to an integer. `random` is the 32-bit word of stochastic rounding: the result moves
// away from zero iff frac32 + random >= 2^32 (the fraction quantised to 32 bits, ties to even).
inline Int round_to_int(const Scaled& y, Mode mode, std::uint32_t random = 0) {
  const Int& fl = y.floor;
  if (y.exact) return fl;
  const Int up = fl + 1;  // y lies strictly between fl and up
  switch (mode) {
    case Mode::nearest_even:
      if (y.cmp_half != 0) return y.cmp_half > 0 ? up : fl;
      return bit_test(fl, 0) ? up : fl;
    case Mode::nearest_away:
      if (y.cmp_half != 0) return y.cmp_half > 0 ? up : fl;
      return y.negative ? fl : up;
    case Mode::toward_zero:
      return y.negative ? up : fl;
    case Mode::up:
      return up;
    case Mode::down:
      return fl;
    case Mode::odd:
      return bit_test(fl, 0) ? fl : up;
    case Mode::stochastic: {
      const bool away = y.frac32 + Int(random) >= (Int(1) << 32);
      return away == y.negative ? fl : up;
    }
  }
  throw std::logic_error("fixed_oracle: bad mode");
}

// The overflow policy: clamp, or reduce modulo 2^W into [-2^(W-1), 2^(W-1)).
inline Int fit(const Int& v, const Format& f) {
  check_format(f);
  if (f.overflow == Overflow::saturate) {
    if (v > f.max_raw()) return f.max_raw();
    if (v < f.min_raw()) return f.min_raw();
    return v;
  }
  const Int m = Int(1) << f.width();
  Int r = v % m;  // sign of v
  if (r < 0) r += m;
  if (r > f.max_raw()) r -= m;
  return r;
}

inline Int round_fit(const Scaled& y, const Format& f, Mode mode, std::uint32_t random = 0) {
  return fit(round_to_int(y, mode, random), f);
}

// ----- operations on raw values (value = raw * 2^-F), all of one format -------------------------

inline Int add(const Int& a, const Int& b, const Format& f) { return fit(a + b, f); }
inline Int sub(const Int& a, const Int& b, const Format& f) { return fit(a - b, f); }
inline Int neg(const Int& a, const Format& f) { return fit(-a, f); }

// (a 2^-F)(b 2^-F) = (a b 2^-F) 2^-F.
inline Int mul(const Int& a, const Int& b, const Format& f, Mode mode, std::uint32_t random = 0) {
  return round_fit(scaled_rational(a * b, Int(1) << f.F), f, mode, random);
}

// a b + c = (a b + c 2^F) 2^-F, one rounding.
inline Int fma(const Int& a, const Int& b, const Int& c, const Format& f, Mode mode,
               std::uint32_t random = 0) {
  return round_fit(scaled_rational(a * b + (c << f.F), Int(1) << f.F), f, mode, random);
}

// a / b = (a 2^F / b) 2^-F. Division by zero (no value exists): the end of the range with a's
// sign under both policies; 0 / 0 = 0.
inline Int div(const Int& a, const Int& b, const Format& f, Mode mode, std::uint32_t random = 0) {
  if (b == 0) return a == 0 ? Int(0) : (a < 0 ? f.min_raw() : f.max_raw());
  return round_fit(scaled_rational(a << f.F, b), f, mode, random);
}

// sqrt(a 2^-F) = sqrt(a 2^F) 2^-F; a negative operand gives 0.
inline Int sqrt(const Int& a, const Format& f, Mode mode, std::uint32_t random = 0) {
  if (a <= 0) return 0;
  return round_fit(scaled_sqrt(a << f.F), f, mode, random);
}

// A real value v converted to the format: raw = round(v 2^F).
inline Int from_rational(const Rat& v, const Format& f, Mode mode, std::uint32_t random = 0) {
  return round_fit(scaled_rational(v * Rat(Int(1) << f.F)), f, mode, random);
}

inline Rat value(const Int& raw, const Format& f) { return Rat(raw) / Rat(Int(1) << f.F); }

// Raw value from a W-bit pattern (two's complement).
inline Int from_bits(std::uint64_t bits, const Format& f) {
  check_format(f);
  const int w = f.width();
  const std::uint64_t mask = w == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << w) - 1;
  const Int u = Int(bits & mask);
  return u > f.max_raw() ? u - (Int(1) << w) : u;
}

inline std::string describe(const Int& raw, const Format& f) {
  return raw.str() + " * 2^-" + std::to_string(f.F);
}

}  // namespace fixed_oracle
