// Independent reference ("oracle") for softnum's custom float formats.
//
// Written the slow, obvious way on boost::multiprecision::cpp_int, from the definitions in
// shared/notes/ROUNDING.md §2.2-2.5 and the format contract (decoding per Specials, overflow policies, signed zeros,
// NaN rules). It must never include a softnum header nor share code with the library: tests compare the library
// against it. Checked itself against MPFR and hardware float/double in tests/oracle_test.cpp.
//
// Model: every operation returns an `Exact`, the exact result (or, for div/sqrt, a truncation with a sticky bit far
// below any format's rounding position); `round` then rounds it once to a Format.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>

#if defined(SOFTNUM_TEST_PORTABLE_INT128)
#include <softnum/core/int128.hpp>
#endif

namespace oracle {

enum class Mode { nearest_even, nearest_away, toward_zero, up, down, odd, stochastic };
enum class Specials { ieee, fn, fnuz, finite };
enum class Overflow { infinity, saturate, nan };

using Int = boost::multiprecision::cpp_int;
#if defined(SOFTNUM_TEST_PORTABLE_INT128)
// The second build of the number tests: encodings travel in the library's portable 128-bit
// struct, as on 32-bit targets (tests/bits_test.cpp checks it against the native type).
using Bits = softnum::detail::u128;
#else
__extension__ typedef unsigned __int128 Bits;  // encodings of up to 128 bits
#endif

struct Format {
  int E, M;  // 1 <= E <= 15, 0 <= M <= 112, 1+E+M <= 128
  Specials specials = Specials::ieee;
  Overflow overflow = Overflow::infinity;
  bool subnormals = true;
  // Layout variants (shared/DESIGN.md "Scale types, P3109 and other variants"):
  bool custom_bias = false;  // use `bias_value` instead of the bias Specials implies
  int bias_value = 0;
  bool is_unsigned = false;  // no sign bit; negative results that do not round to 0 are NaN
  bool has_zero = true;      // false: no zero code, field 0 is the binade 2^-bias (OCP E8M0)
  int bias() const {
    if (custom_bias) return bias_value;
    return specials == Specials::fnuz ? (1 << (E - 1)) : (1 << (E - 1)) - 1;
  }
  int width() const { return (is_unsigned ? 0 : 1) + E + M; }
  int emin() const { return (has_zero ? 1 : 0) - bias(); }  // exponent of the smallest normal
};

// value = (-1)^sign * (sig + t) * 2^exp, with t in (0,1) if sticky, t = 0 otherwise.
struct Exact {
  enum Kind { zero, finite, inf, nan } kind;
  bool sign = false;
  Int sig = 0;
  long exp = 0;
  bool sticky = false;
};

// Number of significant bits kept by div and sqrt (sticky = remainder != 0 below them). Far more than the
// 2*113+2 needed for any format, and than the 113+33 needed for stochastic rounding with 32 random bits.
inline constexpr long kQuotientBits = 320;

namespace detail {

inline void check_format(const Format& f) {
  if (f.E < 1 || f.E > 15 || f.M < 0 || f.M > 112 || f.width() > 128)
    throw std::invalid_argument("oracle: bad Format E/M");
  if (f.specials == Specials::ieee && f.M < 1) throw std::invalid_argument("oracle: ieee needs M >= 1");
  if (f.overflow == Overflow::infinity && f.specials != Specials::ieee)
    throw std::invalid_argument("oracle: Overflow::infinity needs Specials::ieee");
  if (f.specials == Specials::finite && f.overflow != Overflow::saturate)
    throw std::invalid_argument("oracle: Specials::finite needs Overflow::saturate");
  if (f.is_unsigned && f.specials != Specials::fn && f.specials != Specials::ieee)
    throw std::invalid_argument("oracle: an unsigned format needs Specials::fn or ieee");
  if (!f.has_zero && (f.subnormals || (f.specials != Specials::fn && f.specials != Specials::ieee)))
    throw std::invalid_argument("oracle: a format without zero needs no subnormals and Specials::fn or ieee");
}

inline Bits one_bit(int n) { return Bits(1) << n; }
inline Bits low_mask(int n) { return n >= 128 ? ~Bits(0) : one_bit(n) - 1; }

inline Int to_int(Bits b) {
  Int r = static_cast<std::uint64_t>(b >> 64);
  r <<= 64;
  r += static_cast<std::uint64_t>(b);
  return r;
}

inline Bits to_bits(const Int& v) {  // v must be in [0, 2^128)
  const Int lo = v & Int(~std::uint64_t(0));
  const Int hi = v >> 64;
  return (Bits(static_cast<std::uint64_t>(hi)) << 64) | Bits(static_cast<std::uint64_t>(lo));
}

inline long msb(const Int& v) { return static_cast<long>(boost::multiprecision::msb(v)); }

inline Bits sign_bit(const Format& f) { return f.is_unsigned ? Bits(0) : one_bit(f.E + f.M); }
inline Bits field_ones(const Format& f) { return low_mask(f.E); }

// Largest finite magnitude code (sign clear).
inline Bits max_code(const Format& f) {
  switch (f.specials) {
    case Specials::ieee: return ((field_ones(f) - 1) << f.M) | low_mask(f.M);
    case Specials::fn:
      if (f.M == 0) return (field_ones(f) - 1) << f.M;
      return ((field_ones(f)) << f.M) | (low_mask(f.M) - 1);
    case Specials::fnuz:
    case Specials::finite: return low_mask(f.E + f.M);
  }
  return 0;
}

inline Bits with_sign(Bits mag, bool neg, const Format& f) { return neg ? (mag | sign_bit(f)) : mag; }

inline Bits zero_code(bool neg, const Format& f) {
  return f.specials == Specials::fnuz ? Bits(0) : with_sign(0, neg, f);
}

inline Bits inf_code(bool neg, const Format& f) { return with_sign(field_ones(f) << f.M, neg, f); }

inline Bits largest(bool neg, const Format& f) { return with_sign(max_code(f), neg, f); }

// The canonical NaN with the given sign (Specials::finite has none: +-largest finite).
inline Bits nan_code(bool neg, const Format& f) {
  switch (f.specials) {
    case Specials::ieee: return with_sign((field_ones(f) << f.M) | one_bit(f.M - 1), neg, f);
    case Specials::fn: return with_sign(low_mask(f.E + f.M), neg, f);
    case Specials::fnuz: return sign_bit(f);
    case Specials::finite: return largest(neg, f);
  }
  return 0;
}

// sig * 2^-sh split at the binary point, sh >= 1: quotient n, and how the discarded part (including the sticky t)
// compares with one half of the last place: cmp = -1 / 0 / +1; inexact = discarded part != 0.
struct Split {
  Int n;
  int cmp;
  bool inexact;
};

inline Split split(const Int& sig, bool sticky, long sh) {
  if (sig == 0) return {Int(0), -1, sticky};
  if (sh > msb(sig) + 1) return {Int(0), -1, true};  // sig + t < 2^(msb+1) <= 2^(sh-1)
  Split s{sig >> sh, 0, false};
  const Int r = sig - (s.n << sh);
  const Int half = Int(1) << (sh - 1);
  if (r < half) s.cmp = -1;
  else if (r > half) s.cmp = 1;
  else s.cmp = sticky ? 1 : 0;
  s.inexact = r != 0 || sticky;
  return s;
}

// floor(sqrt(n)) and rem = n - floor(sqrt(n))^2, for n >= 0. Newton's method with precision doubling: the root of
// the top half of n, scaled, is within a few units of floor(sqrt(n)); one Newton step from above squares that error
// away, and the last unit is fixed with the remainder. (boost::multiprecision::sqrt(n, r) is bit-by-bit and several
// times slower at 640 bits; the tests compare the two.)
inline Int isqrt(const Int& n, Int& rem) {
  if (n < 0) throw std::invalid_argument("oracle: isqrt of a negative number");
  Int x;
  if (n < (Int(1) << 100)) {
    x = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));  // within a unit or two of the root
  } else {
    const long s = (msb(n) + 1) / 4 - 2;       // n >> 2s keeps a bit more than half of n
    Int r0;
    x = (isqrt(n >> (2 * s), r0) + 1) << s;    // > sqrt(n)
    x = (x + n / x) >> 1;                      // still >= floor(sqrt(n)), now within a unit or two
  }
  rem = n - x * x;
  while (rem < 0) {  // (x-1)^2 = x^2 - 2x + 1
    rem += 2 * x - 1;
    --x;
  }
  while (rem > 2 * x) {  // (x+1)^2 <= n
    rem -= 2 * x + 1;
    ++x;
  }
  return x;
}

inline Exact nan_result() { return Exact{Exact::nan, false, 0, 0, false}; }
inline Exact inf_result(bool neg) { return Exact{Exact::inf, neg, 0, 0, false}; }
inline Exact zero_result(bool neg) { return Exact{Exact::zero, neg, 0, 0, false}; }

inline void require_exact(const Exact& x) {
  if (x.kind == Exact::finite && (x.sticky || x.sig == 0))
    throw std::invalid_argument("oracle: arithmetic operands must be exact (no sticky, sig != 0)");
}

}  // namespace detail

inline bool is_nan(Bits b, const Format& f) {
  detail::check_format(f);
  const Bits field = (b >> f.M) & detail::field_ones(f);
  const Bits frac = b & detail::low_mask(f.M);
  switch (f.specials) {
    case Specials::ieee: return field == detail::field_ones(f) && frac != 0;
    case Specials::fn: return field == detail::field_ones(f) && frac == detail::low_mask(f.M);
    case Specials::fnuz: return b == detail::sign_bit(f);
    case Specials::finite: return false;
  }
  return false;
}

inline Exact decode(Bits b, const Format& f) {
  detail::check_format(f);
  if (f.width() < 128 && (b >> f.width()) != 0) throw std::invalid_argument("oracle: code wider than the format");
  const bool neg = (b & detail::sign_bit(f)) != 0;
  const Bits field = (b >> f.M) & detail::field_ones(f);
  const Bits frac = b & detail::low_mask(f.M);
  if (is_nan(b, f)) return Exact{Exact::nan, neg, 0, 0, false};
  if (f.specials == Specials::ieee && field == detail::field_ones(f)) return detail::inf_result(neg);
  const bool zneg = f.specials == Specials::fnuz ? false : neg;
  if (field == 0 && f.has_zero) {
    if (frac == 0 || !f.subnormals) return detail::zero_result(zneg);
    return Exact{Exact::finite, neg, detail::to_int(frac), static_cast<long>(f.emin()) - f.M, false};
  }
  const Int sig = detail::to_int(detail::one_bit(f.M) | frac);
  return Exact{Exact::finite, neg, sig, static_cast<long>(field) - f.bias() - f.M, false};
}

inline Exact from_double(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return decode(Bits(u), Format{11, 52});
}

inline Exact from_float(float x) {
  std::uint32_t u;
  std::memcpy(&u, &x, sizeof u);
  return decode(Bits(u), Format{8, 23});
}

inline Exact from_integer(const Int& v) {
  if (v == 0) return detail::zero_result(false);
  return Exact{Exact::finite, v < 0, boost::multiprecision::abs(v), 0, false};
}

inline Exact neg(Exact x) {
  x.sign = !x.sign;
  return x;
}

// Exact sum. The sign of an exact zero result depends on the mode (IEEE 754 §6.3).
inline Exact add(const Exact& a, const Exact& b, Mode mode) {
  detail::require_exact(a);
  detail::require_exact(b);
  using K = Exact::Kind;
  if (a.kind == K::nan || b.kind == K::nan) return detail::nan_result();
  if (a.kind == K::inf && b.kind == K::inf)
    return a.sign == b.sign ? detail::inf_result(a.sign) : detail::nan_result();
  if (a.kind == K::inf) return a;
  if (b.kind == K::inf) return b;
  const bool zero_neg = mode == Mode::down;  // sign of an exact zero from operands of opposite signs
  if (a.kind == K::zero && b.kind == K::zero)
    return detail::zero_result(a.sign == b.sign ? a.sign : zero_neg);
  if (a.kind == K::zero) return b;
  if (b.kind == K::zero) return a;
  const long e = a.exp < b.exp ? a.exp : b.exp;
  Int sa = a.sig << (a.exp - e);
  Int sb = b.sig << (b.exp - e);
  if (a.sign) sa = -sa;
  if (b.sign) sb = -sb;
  const Int s = sa + sb;
  if (s == 0) return detail::zero_result(zero_neg);
  return Exact{K::finite, s < 0, boost::multiprecision::abs(s), e, false};
}

inline Exact sub(const Exact& a, const Exact& b, Mode mode) { return add(a, neg(b), mode); }

inline Exact mul(const Exact& a, const Exact& b) {
  detail::require_exact(a);
  detail::require_exact(b);
  using K = Exact::Kind;
  const bool s = a.sign != b.sign;
  if (a.kind == K::nan || b.kind == K::nan) return detail::nan_result();
  if ((a.kind == K::inf && b.kind == K::zero) || (a.kind == K::zero && b.kind == K::inf))
    return detail::nan_result();
  if (a.kind == K::inf || b.kind == K::inf) return detail::inf_result(s);
  if (a.kind == K::zero || b.kind == K::zero) return detail::zero_result(s);
  return Exact{K::finite, s, a.sig * b.sig, a.exp + b.exp, false};
}

// Quotient truncated to >= kQuotientBits significant bits; sticky = (remainder != 0).
inline Exact div(const Exact& a, const Exact& b) {
  detail::require_exact(a);
  detail::require_exact(b);
  using K = Exact::Kind;
  const bool s = a.sign != b.sign;
  if (a.kind == K::nan || b.kind == K::nan) return detail::nan_result();
  if (a.kind == K::inf) return b.kind == K::inf ? detail::nan_result() : detail::inf_result(s);
  if (b.kind == K::inf) return detail::zero_result(s);
  if (b.kind == K::zero) return a.kind == K::zero ? detail::nan_result() : detail::inf_result(s);
  if (a.kind == K::zero) return detail::zero_result(s);
  // q = floor(a.sig * 2^k / b.sig) has at least msb(a)+k-msb(b) >= kQuotientBits bits.
  long k = kQuotientBits + detail::msb(b.sig) - detail::msb(a.sig);
  if (k < 0) k = 0;
  const Int num = a.sig << k;
  Int q, r;
  boost::multiprecision::divide_qr(num, b.sig, q, r);
  return Exact{K::finite, s, q, a.exp - b.exp - k, r != 0};
}

// Square root truncated to >= kQuotientBits significant bits; sticky = (remainder != 0).
inline Exact sqrt(const Exact& a) {
  detail::require_exact(a);
  using K = Exact::Kind;
  if (a.kind == K::nan) return detail::nan_result();
  if (a.kind == K::zero) return a;  // sqrt(+-0) = +-0
  if (a.sign) return detail::nan_result();
  if (a.kind == K::inf) return a;
  // sqrt(sig * 2^exp) = sqrt(sig * 2^k) * 2^((exp-k)/2) with exp-k even and sig*2^k of >= 2*kQuotientBits bits.
  long k = 2 * kQuotientBits - detail::msb(a.sig);
  if (k < 0) k = 0;
  if (((a.exp - k) % 2) != 0) ++k;
  const Int v = a.sig << k;
  Int r;
  Int root = detail::isqrt(v, r);
  return Exact{K::finite, false, root, (a.exp - k) / 2, r != 0};
}

// Exact a*b + c (the product's sign is the xor; zero-sign rules of add apply to product + c).
inline Exact fma(const Exact& a, const Exact& b, const Exact& c, Mode mode) {
  detail::require_exact(c);
  const Exact p = mul(a, b);
  if (c.kind == Exact::nan) return detail::nan_result();
  return add(p, c, mode);  // NaN product, inf - inf handled there
}

// Rounds x once to the format. `random`/`sr_bits` are used by Mode::stochastic only.
inline Bits round(const Exact& x, const Format& f, Mode mode, std::uint32_t random = 0, int sr_bits = 32) {
  using namespace detail;
  check_format(f);
  switch (x.kind) {
    case Exact::nan: return nan_code(x.sign, f);
    case Exact::zero: return f.has_zero ? zero_code(x.sign, f) : nan_code(false, f);
    case Exact::inf:
      if (f.is_unsigned && x.sign) return nan_code(false, f);
      if (f.specials == Specials::ieee) return inf_code(x.sign, f);
      return f.overflow == Overflow::nan ? nan_code(x.sign, f) : largest(x.sign, f);
    case Exact::finite: break;
  }
  if (x.sig == 0) {
    if (!x.sticky) return zero_code(x.sign, f);
    throw std::invalid_argument("oracle::round: sticky value with sig == 0 has no known magnitude");
  }
  if (mode == Mode::stochastic && (sr_bits < 1 || sr_bits > 32))
    throw std::invalid_argument("oracle::round: sr_bits must be in 1..32");
  const bool neg = x.sign;
  if (!f.has_zero && neg) return nan_code(false, f);  // nothing to round a negative value to
  const long emin = f.emin();
  const long e = msb(x.sig) + x.exp;  // floor(log2|x|); t < 1 does not change it
  if (!f.has_zero && e < emin) return Bits(0);  // no zero: everything below 2^emin is 2^emin, code 0
  long q;                             // log2 of the quantum at |x|
  if (e >= emin) q = e - f.M;
  else q = f.subnormals ? emin - f.M : emin;

  // |x| / 2^q = n + tail, tail in [0, 1).
  const long sh = q - x.exp;
  Split s;
  if (sh >= 1) {
    s = split(x.sig, x.sticky, sh);
  } else {
    if (x.sticky) throw std::invalid_argument("oracle::round: not enough bits below the sticky position");
    s = Split{x.sig << -sh, -1, false};
  }
  // Whether the code of n * 2^q (the lower neighbour) is odd. With M >= 1 that is n's last bit. With
  // M == 0 every significand is 1 and the code is the exponent field: its parity decides.
  const auto odd_code = [&](const Int& n) {
    if (f.M > 0 || n == 0) return bit_test(n, 0);
    return ((msb(n) + q + f.bias()) & 1) != 0;
  };
  bool up = false;  // round up in magnitude, to n + 1
  switch (mode) {
    case Mode::nearest_even: up = s.cmp > 0 || (s.cmp == 0 && odd_code(s.n)); break;
    case Mode::nearest_away: up = s.cmp >= 0; break;
    case Mode::toward_zero: up = false; break;
    case Mode::up: up = s.inexact && !neg; break;
    case Mode::down: up = s.inexact && neg; break;
    case Mode::odd: up = s.inexact && !odd_code(s.n); break;
    case Mode::stochastic: {
      if (!s.inexact) break;
      // tail = (r + t) / 2^sh; F = RNE(tail * 2^k).
      const long k = sr_bits;
      Int r = x.sig - (s.n << sh);
      Int F;
      if (sh <= k) {
        if (x.sticky) throw std::invalid_argument("oracle::round: not enough bits below the sticky position");
        F = r << (k - sh);
      } else {
        const Split t = split(r, x.sticky, sh - k);
        F = t.n;
        if (t.cmp > 0 || (t.cmp == 0 && bit_test(F, 0))) F += 1;
      }
      const std::uint32_t rr = k == 32 ? random : (random >> (32 - k));
      up = F + rr >= (Int(1) << k);
      break;
    }
  }
  Int N = s.n;
  if (up) N += 1;
  if (N == 0) return zero_code(neg, f);
  if (f.is_unsigned && neg) return nan_code(false, f);  // a negative number below the range

  // Encode N * 2^q (its exponent may exceed the format's range: unbounded grid).
  const long en = msb(N) + q;
  bool overflow = false;
  Bits mag = 0;
  if (en < emin) {  // subnormal (only reachable with subnormals)
    mag = to_bits(N << (q - (emin - f.M)));
  } else {
    const long field = en + f.bias();
    if (field > static_cast<long>(field_ones(f))) {
      overflow = true;
    } else {
      const long fsh = q - (en - f.M);  // >= -1
      const Int sig = fsh >= 0 ? Int(N << fsh) : Int(N >> -fsh);
      const Int frac = sig - (Int(1) << f.M);
      mag = (Bits(static_cast<unsigned long>(field)) << f.M) | to_bits(frac);
      overflow = mag > max_code(f);
    }
  }
  if (!overflow) return with_sign(mag, neg, f);
  if (mode == Mode::toward_zero || mode == Mode::odd || (mode == Mode::up && neg) || (mode == Mode::down && !neg))
    return largest(neg, f);
  switch (f.overflow) {
    case Overflow::infinity: return inf_code(neg, f);
    case Overflow::saturate: return largest(neg, f);
    case Overflow::nan: return nan_code(neg, f);
  }
  return 0;
}

// Nearest double (RNE), for diagnostics.
inline double to_double(const Exact& x) {
  const Bits b = round(x, Format{11, 52}, Mode::nearest_even);
  const std::uint64_t u = static_cast<std::uint64_t>(b);
  double d;
  std::memcpy(&d, &u, sizeof d);
  return d;
}

namespace detail {
inline std::string hex(Bits b, int width) {
  const int digits = (width + 3) / 4;
  std::string s(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, b >>= 4) s[static_cast<std::size_t>(i)] = "0123456789abcdef"[static_cast<unsigned>(b & 15)];
  return "0x" + s;
}

// Exact decimal expansion of sig / 2^frac_bits (a dyadic rational has a finite one).
inline std::string dyadic_decimal(const Int& sig, int frac_bits) {
  Int ip = sig >> frac_bits;
  Int rest = sig - (ip << frac_bits);
  std::string s = ip.str();
  if (rest != 0) {
    s += '.';
    while (rest != 0) {
      rest *= 10;
      const Int d = rest >> frac_bits;
      s += static_cast<char>('0' + static_cast<int>(d));
      rest -= d << frac_bits;
    }
  }
  return s;
}
}  // namespace detail

// e.g. "0x7e (+1.75*2^8 = 448)".
inline std::string describe(Bits b, const Format& f) {
  std::string out = detail::hex(b, f.width()) + " (";
  if (f.width() < 128 && (b >> f.width()) != 0) return out + "out of range)";
  const Exact x = decode(b, f);
  const char sgn = x.sign ? '-' : '+';
  switch (x.kind) {
    case Exact::nan: return out + sgn + "NaN)";
    case Exact::inf: return out + sgn + "inf)";
    case Exact::zero: return out + sgn + "0)";
    case Exact::finite: break;
  }
  // x.sig * 2^x.exp = (x.sig / 2^M) * 2^(x.exp + M): the significand 1.f (normal) or 0.f (subnormal).
  out += sgn + detail::dyadic_decimal(x.sig, f.M) + "*2^" + std::to_string(x.exp + f.M);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", to_double(x));
  return out + " = " + buf + ")";
}

}  // namespace oracle
