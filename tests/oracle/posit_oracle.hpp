// Independent reference ("oracle") for softnum's Posit<N,ES> (Posit Standard 2022 semantics).
//
// Written the slow, obvious way on boost::multiprecision::cpp_int from the definitions: the
// decoder walks the pattern bit by bit; values are exact rationals (or square roots of them);
// rounding is done in two unrelated ways:
//   * round_direct: the standard's recipe. Find the scale of x, write regime, exponent and
//     fraction bits of the infinite bit string, round its first N-1 body bits to nearest with
//     ties to the even pattern; saturate at maxpos/minpos, never 0 or NaR. Any N <= 64.
//   * Table (N <= 16): every positive posit value and the (N+1)-bit breakpoints between them,
//     decoded and checked to be strictly increasing; x is rounded by binary search and compared
//     with the breakpoint (ties to the even pattern).
// The tests cross-check the two on every input they can afford. A fast checker for N <= 16
// (TableD) holds the same table in doubles (exact for N <= 16) and verifies a candidate pattern
// with two comparisons, the comparisons being exact (error-free transforms): this is what makes
// the 2^32-pair exhaustive runs possible.
// It must never include a softnum header nor share code with the library.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/multiprecision/cpp_int.hpp>

#if defined(SOFTNUM_TEST_PORTABLE_INT128)
#include <softnum/core/int128.hpp>
#endif

namespace posit_oracle {

using Int = boost::multiprecision::cpp_int;
#if defined(SOFTNUM_TEST_PORTABLE_INT128)
// The second build of the number tests: encodings travel in the library's portable 128-bit
// struct, as on 32-bit targets (tests/bits_test.cpp checks it against the native type).
using Bits = softnum::detail::u128;
#else
__extension__ typedef unsigned __int128 Bits;  // patterns of up to 65 bits (breakpoints of N = 64)
#endif

/// Round on the bit string: the standard's mode and the directed ones the library offers.
enum class Mode { nearest_even, nearest_away, toward_zero, up, down };

struct Format {
  int n;   // 2..64 (65 for breakpoint patterns)
  int es;  // 0..5
};

inline Bits one_bit(int i) { return Bits(1) << i; }
inline Bits mask(int n) { return n >= 128 ? ~Bits(0) : one_bit(n) - 1; }
inline Bits nar_bits(const Format& f) { return one_bit(f.n - 1); }
inline Bits maxpos_bits(const Format& f) { return one_bit(f.n - 1) - 1; }
inline Bits negate(Bits b, const Format& f) { return (Bits(0) - b) & mask(f.n); }
inline long max_scale(const Format& f) { return static_cast<long>(f.n - 2) << f.es; }

inline Int to_int(Bits b) {
  Int r = static_cast<std::uint64_t>(b >> 64);
  r <<= 64;
  r += static_cast<std::uint64_t>(b);
  return r;
}
inline long msb(const Int& v) { return static_cast<long>(boost::multiprecision::msb(v)); }

/// A positive dyadic number m * 2^e (m > 0).
struct Dyadic {
  Int m;
  long e = 0;
};

/// An exact real: zero, NaR, or (-1)^neg * num/den * 2^exp, or the square root of such a
/// positive number (is_sqrt).
struct Real {
  enum Kind { zero, finite, nar } kind = zero;
  bool neg = false;
  Int num = 0;
  Int den = 1;
  long exp = 0;
  bool is_sqrt = false;
};

inline Real make_zero() { return Real{}; }
inline Real make_nar() {
  Real r;
  r.kind = Real::nar;
  return r;
}
inline Real make_dyadic(bool neg, Int m, long e) {
  if (m == 0) return make_zero();
  Real r;
  r.kind = Real::finite;
  r.neg = neg;
  r.num = std::move(m);
  r.exp = e;
  return r;
}

/// Decodes an n-bit pattern bit by bit, exactly as the standard describes the fields.
inline Real decode(Bits b, const Format& f) {
  if (f.n < 2 || f.n > 65 || f.es < 0 || f.es > 5)
    throw std::invalid_argument("posit_oracle: bad format");
  b &= mask(f.n);
  if (b == 0) return make_zero();
  if (b == nar_bits(f)) return make_nar();
  const bool neg = ((b >> (f.n - 1)) & 1) != 0;
  if (neg) b = negate(b, f);
  auto bit = [&](int i) { return static_cast<int>((b >> i) & 1); };
  int i = f.n - 2;  // first regime bit
  const int first = bit(i);
  int run = 0;
  while (i >= 0 && bit(i) == first) {
    ++run;
    --i;
  }
  if (i >= 0) --i;  // the terminating bit
  const long k = first ? run - 1 : -run;
  long e = 0;
  for (int j = 0; j < f.es; ++j) {  // bits beyond the end of the word read as 0
    e <<= 1;
    if (i >= 0) {
      e |= bit(i);
      --i;
    }
  }
  const int fb = i + 1;  // remaining bits are the fraction
  const Bits frac = b & mask(fb);
  const Int m = (Int(1) << fb) + to_int(frac);
  return make_dyadic(neg, m, k * (1L << f.es) + e - fb);
}

/// The value as a positive Dyadic (x finite, not a square root, den == 1).
inline Dyadic as_dyadic(const Real& x) {
  if (x.kind != Real::finite || x.is_sqrt || x.den != 1)
    throw std::invalid_argument("posit_oracle: not dyadic");
  return Dyadic{x.num, x.exp};
}

// ---- exact arithmetic ---------------------------------------------------------------------

inline Real neg(Real x) {
  if (x.kind == Real::finite) x.neg = !x.neg;
  return x;
}

inline Real add(const Real& a, const Real& b) {
  if (a.kind == Real::nar || b.kind == Real::nar) return make_nar();
  if (a.kind == Real::zero) return b;
  if (b.kind == Real::zero) return a;
  if (a.is_sqrt || b.is_sqrt) throw std::invalid_argument("posit_oracle: add of a square root");
  const long e = std::min(a.exp, b.exp);
  Int x = (a.num * b.den) << (a.exp - e);
  Int y = (b.num * a.den) << (b.exp - e);
  if (a.neg) x = -x;
  if (b.neg) y = -y;
  Int s = x + y;
  if (s == 0) return make_zero();
  Real r;
  r.kind = Real::finite;
  r.neg = s < 0;
  r.num = boost::multiprecision::abs(s);
  r.den = a.den * b.den;
  r.exp = e;
  return r;
}
inline Real sub(const Real& a, const Real& b) { return add(a, neg(b)); }

inline Real mul(const Real& a, const Real& b) {
  if (a.kind == Real::nar || b.kind == Real::nar) return make_nar();
  if (a.kind == Real::zero || b.kind == Real::zero) return make_zero();
  if (a.is_sqrt || b.is_sqrt) throw std::invalid_argument("posit_oracle: mul of a square root");
  Real r;
  r.kind = Real::finite;
  r.neg = a.neg != b.neg;
  r.num = a.num * b.num;
  r.den = a.den * b.den;
  r.exp = a.exp + b.exp;
  return r;
}

inline Real div(const Real& a, const Real& b) {
  if (a.kind == Real::nar || b.kind == Real::nar || b.kind == Real::zero) return make_nar();
  if (a.kind == Real::zero) return make_zero();
  if (a.is_sqrt || b.is_sqrt) throw std::invalid_argument("posit_oracle: div of a square root");
  Real r;
  r.kind = Real::finite;
  r.neg = a.neg != b.neg;
  r.num = a.num * b.den;
  r.den = a.den * b.num;
  r.exp = a.exp - b.exp;
  return r;
}

inline Real sqrt(const Real& a) {
  if (a.kind == Real::nar || (a.kind == Real::finite && a.neg)) return make_nar();
  if (a.kind == Real::zero) return a;
  Real r = a;
  r.is_sqrt = true;
  return r;
}

inline Real fma(const Real& a, const Real& b, const Real& c) { return add(mul(a, b), c); }

inline Real from_int(const Int& v) { return make_dyadic(v < 0, boost::multiprecision::abs(v), 0); }

/// Exact value of a double; NaN and infinities are NaR (the standard's conversion rule).
inline Real from_double(double d) {
  if (std::isnan(d) || std::isinf(d)) return make_nar();
  if (d == 0) return make_zero();
  int e = 0;
  const double m = std::frexp(std::fabs(d), &e);  // exact: m * 2^53 is an integer
  return make_dyadic(d < 0, Int(static_cast<std::uint64_t>(std::ldexp(m, 53))), e - 53L);
}

// ---- comparisons and scaled floors -----------------------------------------------------------

/// Sign of (u * 2^ue) - (v * 2^ve) for nonnegative integers.
inline int cmp_scaled(const Int& u, long ue, const Int& v, long ve) {
  const long e = std::min(ue, ve);
  const Int x = u << (ue - e), y = v << (ve - e);
  return x < y ? -1 : (x > y ? 1 : 0);
}

/// Sign of |x| - t.
inline int cmp(const Real& x, const Dyadic& t) {
  if (x.kind != Real::finite)
    throw std::invalid_argument("posit_oracle: cmp of a non-finite value");
  if (!x.is_sqrt) return cmp_scaled(x.num, x.exp, t.m * x.den, t.e);  // num/den 2^exp vs m 2^e
  return cmp_scaled(x.num, x.exp, (t.m * t.m) * x.den, 2 * t.e);      // squares
}

/// floor(|x| * 2^j) and whether it is exact.
inline Int floor_scaled(const Real& x, long j, bool& exact) {
  const long s = x.is_sqrt ? x.exp + 2 * j : x.exp + j;
  Int num = x.num, den = x.den;
  if (s >= 0)
    num <<= s;
  else
    den <<= -s;
  Int q = num / den;
  exact = q * den == num;
  if (!x.is_sqrt) return q;
  Int r = boost::multiprecision::sqrt(q);
  exact = exact && r * r == q;
  return r;
}

/// floor(log2 |x|) for a finite x.
inline long floor_log2(const Real& x) {
  // v = num/den 2^exp (the radicand for a square root): 2^L0 <= v < 2^(L0+1) or one below.
  long l = msb(x.num) - msb(x.den) + x.exp;
  if (cmp_scaled(x.num, x.exp, x.den, l) < 0) --l;
  if (!x.is_sqrt) return l;
  return l >= 0 ? l / 2 : -((-l + 1) / 2);  // floor(l / 2)
}

// ---- rounding, method 1: the standard's recipe on the bit string ---------------------------

/// Rounds x once to an f.n-bit posit pattern.
inline Bits round_direct(const Real& x, const Format& f, Mode mode = Mode::nearest_even) {
  if (x.kind == Real::zero) return 0;
  if (x.kind == Real::nar) return nar_bits(f);
  const long ms = max_scale(f);
  const long s = floor_log2(x);
  Bits t;  // magnitude pattern
  if (s >= ms) {
    t = maxpos_bits(f);
  } else if (s < -ms) {
    t = 1;
  } else {
    const long useed_log = 1L << f.es;
    const long k = s >= 0 ? s / useed_log : -((-s + useed_log - 1) / useed_log);  // floor
    const long e = s - k * useed_log;
    // The body string: regime, exponent (es bits), then fraction bits, as a big integer with
    // `len` bits; we need the first n-1 bits, the next one and whether anything follows.
    std::string body;
    if (k >= 0) {
      body.append(static_cast<std::size_t>(k + 1), '1');
      body.push_back('0');
    } else {
      body.append(static_cast<std::size_t>(-k), '0');
      body.push_back('1');
    }
    for (int i = f.es - 1; i >= 0; --i) body.push_back(((e >> i) & 1) ? '1' : '0');
    const long need = f.n;  // n-1 kept bits + guard
    const long frac_bits = std::max(0L, need - static_cast<long>(body.size()));
    // floor(|x| 2^(frac_bits - s)) = 1 fff...f (frac_bits fraction bits), exact or not.
    bool fexact = false;
    const Int fr = floor_scaled(x, frac_bits - s, fexact);
    for (long i = frac_bits - 1; i >= 0; --i)
      body.push_back(bit_test(fr, static_cast<unsigned>(i)) ? '1' : '0');
    bool sticky = !fexact;
    for (std::size_t i = static_cast<std::size_t>(need); i < body.size(); ++i)
      sticky = sticky || body[i] == '1';
    Bits kept = 0;
    for (long i = 0; i < f.n - 1; ++i)
      kept = (kept << 1) | Bits(body[static_cast<std::size_t>(i)] == '1');
    const bool guard = body.size() > static_cast<std::size_t>(f.n - 1) &&
                       body[static_cast<std::size_t>(f.n - 1)] == '1';
    const bool inexact = guard || sticky;
    bool up = false;
    switch (mode) {
      case Mode::nearest_even:
        up = guard && (sticky || (kept & 1) != 0);
        break;
      case Mode::nearest_away:
        up = guard;
        break;
      case Mode::toward_zero:
        up = false;
        break;
      case Mode::up:
        up = inexact && !x.neg;
        break;
      case Mode::down:
        up = inexact && x.neg;
        break;
    }
    t = kept + Bits(up);
    if (t == 0) t = 1;  // cannot happen (the regime of minpos leaves a 1); kept as the rule says
    if (t > maxpos_bits(f)) t = maxpos_bits(f);
  }
  return x.neg ? negate(t, f) : t;
}

// ---- rounding, method 2: sorted table and breakpoints (N <= 16) -----------------------------

class Table {
 public:
  explicit Table(Format f) : f_(f) {
    if (f.n > 16) throw std::invalid_argument("posit_oracle::Table: N <= 16 only");
    const Bits count = maxpos_bits(f);  // positive patterns 1..count
    values_.reserve(static_cast<std::size_t>(count) + 1);
    values_.push_back(Dyadic{0, 0});  // index 0 unused
    for (Bits t = 1; t <= count; ++t) values_.push_back(as_dyadic(decode(t, f)));
    // breaks_[t]: between t and t+1, the (n+1)-bit posit 2t+1.
    breaks_.resize(static_cast<std::size_t>(count) + 1);
    for (Bits t = 1; t < count; ++t)
      breaks_[static_cast<std::size_t>(t)] = as_dyadic(decode(2 * t + 1, Format{f.n + 1, f.es}));
    for (Bits t = 1; t < count; ++t) {
      const auto i = static_cast<std::size_t>(t);
      if (!(less(values_[i], breaks_[i]) && less(breaks_[i], values_[i + 1])))
        throw std::logic_error("posit_oracle::Table: values and breakpoints are not increasing");
    }
  }
  const Format& format() const { return f_; }
  Bits count() const { return maxpos_bits(f_); }
  const Dyadic& value(Bits t) const { return values_[static_cast<std::size_t>(t)]; }
  const Dyadic& breakpoint(Bits t) const { return breaks_[static_cast<std::size_t>(t)]; }

  Bits round(const Real& x, Mode mode = Mode::nearest_even) const {
    if (x.kind == Real::zero) return 0;
    if (x.kind == Real::nar) return nar_bits(f_);
    // Largest t with value(t) <= |x| (0 if |x| < minpos).
    Bits lo = 0, hi = count();
    while (lo < hi) {
      const Bits mid = lo + (hi - lo + 1) / 2;
      if (cmp(x, value(mid)) >= 0)
        lo = mid;
      else
        hi = mid - 1;
    }
    Bits t = 0;
    if (lo == 0) {
      t = 1;  // below minpos: minpos in every mode
    } else if (lo == count()) {
      t = count();  // at or above maxpos
    } else if (cmp(x, value(lo)) == 0) {
      t = lo;
    } else {
      const int c = cmp(x, breakpoint(lo));
      switch (mode) {
        case Mode::nearest_even:
          t = c < 0 ? lo : (c > 0 ? lo + 1 : ((lo & 1) == 0 ? lo : lo + 1));
          break;
        case Mode::nearest_away:
          t = c < 0 ? lo : lo + 1;
          break;
        case Mode::toward_zero:
          t = lo;
          break;
        case Mode::up:
          t = x.neg ? lo : lo + 1;
          break;
        case Mode::down:
          t = x.neg ? lo + 1 : lo;
          break;
      }
    }
    return x.neg ? negate(t, f_) : t;
  }

 private:
  static bool less(const Dyadic& a, const Dyadic& b) { return cmp_scaled(a.m, a.e, b.m, b.e) < 0; }
  Format f_;
  std::vector<Dyadic> values_, breaks_;
};

// ---- a fast exact checker for N <= 16 -------------------------------------------------------

/// The values and breakpoints of an N <= 16 posit as doubles (checked exact against the Table),
/// and a verifier: is pattern r the nearest-even rounding of x? x is given by an exact sign
/// comparator `c(t)` = sign(|x| - t) for doubles t > 0.
class TableD {
 public:
  explicit TableD(const Table& t) : f_(t.format()) {
    const Bits count = t.count();
    values_.assign(static_cast<std::size_t>(count) + 1, 0.0);
    breaks_.assign(static_cast<std::size_t>(count) + 1, 0.0);
    for (Bits i = 1; i <= count; ++i)
      values_[static_cast<std::size_t>(i)] = exact_double(t.value(i));
    for (Bits i = 1; i < count; ++i)
      breaks_[static_cast<std::size_t>(i)] = exact_double(t.breakpoint(i));
  }
  const Format& format() const { return f_; }
  std::uint32_t count() const { return static_cast<std::uint32_t>(maxpos_bits(f_)); }
  double value(std::uint32_t t) const { return values_[t]; }
  double breakpoint(std::uint32_t t) const { return breaks_[t]; }
  /// Signed value of a pattern (NaN for NaR).
  double signed_value(std::uint32_t b) const {
    b &= static_cast<std::uint32_t>(mask(f_.n));
    if (b == 0) return 0.0;
    if (b == static_cast<std::uint32_t>(nar_bits(f_))) return std::nan("");
    if ((b >> (f_.n - 1)) & 1) return -values_[static_cast<std::uint32_t>(negate(b, f_))];
    return values_[b];
  }

  /// Whether r is the correct nearest-even rounding of a nonzero real x with sign `neg`.
  template <class Cmp>
  bool check(std::uint32_t r, bool neg, Cmp c) const {
    r &= static_cast<std::uint32_t>(mask(f_.n));
    if (r == 0 || r == static_cast<std::uint32_t>(nar_bits(f_))) return false;
    const bool rneg = ((r >> (f_.n - 1)) & 1) != 0;
    if (rneg != neg) return false;
    const std::uint32_t t = rneg ? static_cast<std::uint32_t>(negate(r, f_)) : r;
    const bool even = (t & 1) == 0;
    if (t > 1) {  // |x| must be at or above the breakpoint below t (ties: t even)
      const int lo = c(breaks_[t - 1]);
      if (lo < 0 || (lo == 0 && !even)) return false;
    }
    if (t < count()) {
      const int hi = c(breaks_[t]);
      if (hi > 0 || (hi == 0 && !even)) return false;
    }
    return true;
  }

 private:
  static double exact_double(const Dyadic& d) {
    if (msb(d.m) > 52) throw std::logic_error("posit_oracle::TableD: value not exact in double");
    const double v =
        std::ldexp(static_cast<double>(static_cast<std::uint64_t>(d.m)), static_cast<int>(d.e));
    int e = 0;
    (void)std::frexp(v, &e);
    if (e < -1021 || e > 1023)
      throw std::logic_error("posit_oracle::TableD: value outside the double range");
    return v;
  }
  Format f_;
  std::vector<double> values_, breaks_;
};

/// Exact comparators for TableD::check (x = a op b with a, b values of an N <= 16 posit; every
/// product of two such numbers and of a breakpoint is exact in double).
namespace exact {
inline int sgn(double v) { return v > 0 ? 1 : (v < 0 ? -1 : 0); }
/// sign(|s + e| - t) for the exact pair s + e (|e| <= ulp(s)/2), t > 0.
inline int cmp_pair(double s, double e, double t) {
  const double as = std::fabs(s), ae = s < 0 ? -e : e;  // |s + e| = as + ae when s != 0
  if (as != t) return as < t ? -1 : 1;
  return sgn(ae);
}
/// The exact sum a + b as (s, e).
inline void two_sum(double a, double b, double& s, double& e) {
  s = a + b;
  const double bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}
}  // namespace exact

inline std::string hex(Bits b, int n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  const int nd = (n + 3) / 4;
  for (int i = nd - 1; i >= 0; --i) s.push_back(digits[static_cast<int>((b >> (4 * i)) & 15)]);
  return "0x" + s;
}

}  // namespace posit_oracle
