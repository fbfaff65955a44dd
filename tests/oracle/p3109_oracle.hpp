// Independent reference for IEEE P3109 formats (Interim Report v4.0, 26 June 2026, §3-§4), written
// from the report's definitions, not from softnum: decoding per §4.7.2 (sign-magnitude codes, one
// NaN, one zero, infinities in the extended domain), the projection Encode(Saturate(
// RoundToPrecision(X))) of §4.7.3-§4.7.6 with its saturation table, and the arithmetic specials of
// §4.10 (x / 0 = NaN). The exact operations are oracle.hpp's (add, mul, div, sqrt, fma on Exact).
// It must never include a softnum header.
#pragma once

#include <stdexcept>

#include "oracle/oracle.hpp"

namespace oracle::p3109 {

enum class Domain { finite, extended };
enum class Saturation { finite, propagate, none };
/// §4.7.4 stochastic rounding, N random bits R, nu the discarded fraction: round up iff
/// A: floor(nu 2^N) + R >= 2^N;  B: floor(nu 2^(N+1)) + 2R + 1 >= 2^(N+1);  C: RNITE(nu 2^N) + R >= 2^N.
enum class SRVariant { A, B, C };

struct Format {
  int K, P;
  bool is_signed;
  Domain domain;
  long bias() const { return is_signed ? (1L << (K - P - 1)) : (1L << (K - P)); }
  long codes() const { return 1L << K; }
  long nan() const { return is_signed ? (1L << (K - 1)) : codes() - 1; }
  bool extended() const { return domain == Domain::extended; }
  long pos_inf() const { return is_signed ? (1L << (K - 1)) - 1 : codes() - 2; }  // extended only
  long neg_inf() const { return codes() - 1; }                       // signed extended only
  long max_code() const {                                            // M_hi
    const long top = is_signed ? (1L << (K - 1)) - 1 : codes() - 2;  // the largest code below NaN
    return extended() ? top - 1 : top;
  }
};

inline void check(const Format& f) {
  if (f.K < 3 || f.K > 16 || f.P < 1 || (f.is_signed ? f.P >= f.K : f.P > f.K))
    throw std::invalid_argument("oracle::p3109: bad K, P");
}

/// §4.7.2: the value of a code.
inline Exact decode(long x, const Format& f) {
  check(f);
  if (x < 0 || x >= f.codes()) throw std::invalid_argument("oracle::p3109: code out of range");
  if (x == f.nan()) return Exact{Exact::nan, false, 0, 0, false};
  if (f.extended() && x == f.pos_inf()) return Exact{Exact::inf, false, 0, 0, false};
  if (f.extended() && f.is_signed && x == f.neg_inf()) return Exact{Exact::inf, true, 0, 0, false};
  if (x == 0) return Exact{Exact::zero, false, 0, 0, false};
  if (f.is_signed && x > (1L << (f.K - 1))) {
    Exact v = decode(x - (1L << (f.K - 1)), f);
    v.sign = true;
    return v;
  }
  const long t_bits = f.P - 1;
  const long T = x % (1L << t_bits), E = x / (1L << t_bits);
  if (E == 0)
    return Exact{Exact::finite, false, Int(T), (1 - f.P) + (1 - f.bias()), false};  // subnormal
  return Exact{Exact::finite, false, Int((1L << t_bits) + T), E - f.bias() - t_bits, false};
}

/// The code of a value of the format (zero, a finite number in range, or an infinity it has).
inline long encode(const Exact& v, const Format& f) {
  if (v.kind == Exact::nan) return f.nan();
  if (v.kind == Exact::zero) return 0;
  if (v.kind == Exact::inf) {
    if (!f.extended() || (v.sign && !f.is_signed))
      throw std::logic_error("oracle::p3109: no such infinity");
    return v.sign ? f.neg_inf() : f.pos_inf();
  }
  if (v.sign) {
    if (!f.is_signed) throw std::logic_error("oracle::p3109: negative value in an unsigned format");
    Exact m = v;
    m.sign = false;
    return encode(m, f) + (1L << (f.K - 1));
  }
  // v = sig * 2^exp with sig != 0; scale to the quantum 2^(1 - P + 1 - B) of the subnormals.
  const long t_bits = f.P - 1;
  const long q_sub = (1 - f.P) + (1 - f.bias());
  const long e = detail::msb(v.sig) + v.exp;
  if (e < 1 - f.bias()) {  // subnormal: T * 2^q_sub
    const Int T = v.sig << (v.exp - q_sub);
    return static_cast<long>(T);
  }
  const long E = e + f.bias();
  const Int sig = v.exp >= e - t_bits ? Int(v.sig << (v.exp - (e - t_bits)))
                                      : Int(v.sig >> ((e - t_bits) - v.exp));
  const long T = static_cast<long>(sig - (Int(1) << t_bits));
  return E * (1L << t_bits) + T;
}

/// RoundToPrecision (§4.7.3): X rounded to P significant bits at the format's exponent floor, with
/// no upper exponent bound. Ties to even: the even code, i.e. the even last significand bit, or,
/// for P = 1, the even exponent field. Stochastic: variant C with sr_bits random bits.
inline Exact round_to_precision(const Exact& x, const Format& f, Mode mode, std::uint32_t random,
                                int sr_bits, SRVariant variant = SRVariant::C) {
  if (x.kind != Exact::finite) return x;
  const long emin = 1 - f.bias();
  const long e = detail::msb(x.sig) + x.exp;
  const long q = (e > emin ? e : emin) - (f.P - 1);
  const long sh = q - x.exp;
  Int n;
  Int r;     // discarded part, in units of 2^x.exp
  Int half;  // half a quantum in the same units
  bool inexact, above_half, at_half;
  if (sh <= 0) {
    if (x.sticky) throw std::invalid_argument("oracle::p3109: not enough bits");
    n = x.sig << -sh;
    inexact = above_half = at_half = false;
  } else {
    n = x.sig >> sh;
    r = x.sig - (n << sh);
    half = Int(1) << (sh - 1);
    inexact = r != 0 || x.sticky;
    above_half = r > half || (r == half && x.sticky);
    at_half = r == half && !x.sticky;
  }
  const auto odd = [&](const Int& m) {  // is the code of m * 2^q odd?
    if (m == 0) return false;
    if (f.P > 1) return boost::multiprecision::bit_test(m, 0);
    return ((q + f.bias()) & 1) != 0;  // P = 1: m = 1, the code is the exponent field q + B
  };
  bool up = false;
  switch (mode) {
    case Mode::nearest_even:
      up = above_half || (at_half && odd(n));
      break;
    case Mode::nearest_away:
      up = above_half || at_half;
      break;
    case Mode::toward_zero:
      up = false;
      break;
    case Mode::up:
      up = inexact && !x.sign;
      break;
    case Mode::down:
      up = inexact && x.sign;
      break;
    case Mode::odd:
      up = inexact && !odd(n);
      break;
    case Mode::stochastic: {
      if (!inexact) break;
      if (variant != SRVariant::C) {
        // floor(nu * 2^kk) = floor(r * 2^kk / 2^sh); the sticky part lies below 2^-sh and never carries.
        const long kk = variant == SRVariant::A ? sr_bits : sr_bits + 1;
        const Int t = sh <= kk ? Int(r << (kk - sh)) : Int(r >> (sh - kk));
        const Int R = Int(sr_bits == 32 ? random : (random >> (32 - sr_bits)));
        up = variant == SRVariant::A ? t + R >= (Int(1) << sr_bits) : t + 2 * R + 1 >= (Int(1) << (sr_bits + 1));
        break;
      }
      // C: RNITE(nu * 2^N) + R >= 2^N, nu = the discarded fraction of the quantum.
      const long k = sr_bits;
      Int F;
      if (sh <= k) {
        if (x.sticky) throw std::invalid_argument("oracle::p3109: not enough bits");
        F = r << (k - sh);
      } else {
        const long d = sh - k;
        F = r >> d;
        const Int rest = r - (F << d), h = Int(1) << (d - 1);
        if (rest > h || (rest == h && (x.sticky || boost::multiprecision::bit_test(F, 0)))) F += 1;
      }
      const std::uint32_t rr = k == 32 ? random : (random >> (32 - k));
      up = F + rr >= (Int(1) << k);
      break;
    }
  }
  if (up) n += 1;
  if (n == 0) return Exact{Exact::zero, x.sign, 0, 0, false};
  return Exact{Exact::finite, x.sign, n, q, false};
}

/// a < b for finite nonzero exact values of the same sign... compared as magnitudes.
inline bool mag_less(const Exact& a, const Exact& b) {
  const long s = a.exp < b.exp ? a.exp : b.exp;
  return (a.sig << (a.exp - s)) < (b.sig << (b.exp - s));
}

/// Saturate (§4.7.5) then Encode (§4.7.6).
inline long saturate_encode(const Exact& x, const Format& f, Mode mode, Saturation sat) {
  if (x.kind == Exact::nan) return f.nan();
  if (x.kind == Exact::zero) return 0;
  const Exact m_hi = decode(f.max_code(), f);
  const long hi = f.max_code();
  const long lo = f.is_signed ? f.max_code() + (1L << (f.K - 1)) : 0;  // M_lo = -M_hi, or 0
  const bool ext = f.extended();
  const bool pos = !x.sign;
  // Classify: +inf, -inf, above M_hi, below M_lo, in range.
  const bool is_inf = x.kind == Exact::inf;
  const bool beyond = !is_inf && (x.sign ? (!f.is_signed || mag_less(m_hi, x)) : mag_less(m_hi, x));
  if (!is_inf && !beyond) return encode(x, f);
  switch (sat) {
    case Saturation::finite:
      return pos ? hi : lo;
    case Saturation::propagate:
      if (!is_inf) return pos ? hi : lo;
      if (pos) return ext ? f.pos_inf() : hi;
      return ext && f.is_signed ? f.neg_inf() : lo;
    case Saturation::none:
      if (is_inf) {
        if (pos) return ext ? f.pos_inf() : hi;
        if (!f.is_signed) return f.nan();
        return ext ? f.neg_inf() : lo;
      }
      if (pos) {
        if (mode == Mode::toward_zero || mode == Mode::down) return hi;
        if (mode == Mode::odd && !f.is_signed && ext) return hi;
        return ext ? f.pos_inf() : hi;
      }
      if (mode == Mode::toward_zero || mode == Mode::up) return lo;
      if (!f.is_signed) return f.nan();
      return ext ? f.neg_inf() : lo;
  }
  return f.nan();
}

inline long project(const Exact& x, const Format& f, Mode mode, Saturation sat, std::uint32_t random = 0,
                    int sr_bits = 32, SRVariant variant = SRVariant::C) {
  check(f);
  return saturate_encode(round_to_precision(x, f, mode, random, sr_bits, variant), f, mode, sat);
}

/// §4.10: division by zero is NaN (there is no signed zero); otherwise the exact quotient.
inline Exact div(const Exact& a, const Exact& b) {
  if (b.kind == Exact::zero) return Exact{Exact::nan, false, 0, 0, false};
  return oracle::div(a, b);
}

}  // namespace oracle::p3109
