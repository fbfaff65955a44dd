// Tests of the test oracle (tests/oracle/oracle.hpp) itself: against MPFR, against hardware float/double under all
// four IEEE rounding modes, self-consistency (round-to-odd, bracketing, stochastic rounding) and hand-checked values.
#include "oracle/oracle.hpp"

#include <catch2/catch.hpp>
#include <gmp.h>
#include <mpfr.h>

#include <cfenv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace Catch {
template <>
struct StringMaker<oracle::Bits> {
  static std::string convert(oracle::Bits b) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "0x%llx%016llx", static_cast<unsigned long long>(b >> 64),
                  static_cast<unsigned long long>(b));
    return buf;
  }
};
}  // namespace Catch

namespace {

using oracle::Bits;
using oracle::Exact;
using oracle::Format;
using oracle::Mode;
using oracle::Overflow;
using oracle::Specials;

std::uint64_t seed() {
  const auto s = Catch::rngSeed();
  return s != 0 ? s : 0x5eed1234u;
}

Bits mask(int n) { return n >= 128 ? ~Bits(0) : (Bits(1) << n) - 1; }

// ---------------------------------------------------------------------------------------------------------------------
// Operand generation for IEEE-style formats
struct Gen {
  Format f;
  std::mt19937_64 rng;
  Gen(Format fmt, std::uint64_t s) : f(fmt), rng(s) {}

  Bits uniform() {
    const Bits hi = rng(), lo = rng();
    return ((hi << 64) | lo) & mask(f.width());
  }
  int below(int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); }
  Bits sign() const { return Bits(1) << (f.E + f.M); }
  Bits field(long fld) const { return Bits(static_cast<unsigned long>(fld)) << f.M; }

  std::vector<Bits> edges() const {
    const Bits ones = mask(f.E);
    const Bits fr = mask(f.M);
    const long bias = f.bias();
    std::vector<Bits> v = {0,
                           1,
                           2,
                           fr,
                           fr - 1,
                           Bits(1) << f.M,
                           (Bits(1) << f.M) | 1,
                           ((ones - 1) << f.M) | fr,
                           ((ones - 1) << f.M) | (fr - 1),
                           (ones - 1) << f.M,
                           ones << f.M,
                           (ones << f.M) | (Bits(1) << (f.M - 1)),
                           field(bias),
                           field(bias) | 1,
                           field(bias - 1) | fr,
                           field(bias + 1),
                           field(bias - 1),
                           field(bias) | (Bits(1) << (f.M - 1))};
    const std::size_t n = v.size();
    for (std::size_t i = 0; i < n; ++i) v.push_back(v[i] | sign());
    return v;
  }

  // A random operand; `other` (if any) lets it be close to another operand.
  Bits operand(const Bits* other = nullptr) {
    const int r = below(16);
    if (r < 2) {
      const auto e = edges();
      return e[static_cast<std::size_t>(below(static_cast<int>(e.size())))];
    }
    if (other && r < 5) {  // same or neighbouring code, maybe opposite sign
      Bits b = *other;
      const Bits mag = b & ~sign();
      const Bits d = Bits(static_cast<unsigned>(below(5)));
      b = (b & sign()) | (below(2) ? mag + d : (mag >= d ? mag - d : mag));
      if (below(2)) b ^= sign();
      return b & mask(f.width());
    }
    if (other && r < 8) {  // exponent field within +-(M+3) of the other's, random fraction
      const long fo = static_cast<long>((*other >> f.M) & mask(f.E));
      long fl = fo + below(2 * f.M + 7) - (f.M + 3);
      if (fl < 0) fl = 0;
      if (fl > static_cast<long>(mask(f.E))) fl = static_cast<long>(mask(f.E));
      return (uniform() & (sign() | mask(f.M))) | field(fl);
    }
    if (r < 10) {  // few significant bits (products and quotients near ties)
      const int keep = below(f.M + 1);
      Bits b = uniform();
      return b & ~(mask(f.M - keep));
    }
    return uniform();
  }
};

// ---------------------------------------------------------------------------------------------------------------------
// MPFR emulation of an IEEE-style Format (subnormals, overflow to infinity)
void mpz_from_bits(mpz_t z, Bits b) {
  mpz_set_ui(z, static_cast<unsigned long>(b >> 64));
  mpz_mul_2exp(z, z, 64);
  mpz_add_ui(z, z, static_cast<unsigned long>(b & mask(64)));
}

Bits bits_from_mpz(const mpz_t z) {
  mpz_t t;
  mpz_init(t);
  mpz_fdiv_q_2exp(t, z, 64);
  const Bits hi = mpz_get_ui(t);
  mpz_fdiv_r_2exp(t, z, 64);
  const Bits lo = mpz_get_ui(t);
  mpz_clear(t);
  return (hi << 64) | lo;
}

void to_mpfr(mpfr_t x, Bits b, const Format& f) {  // x has precision >= M+1
  const bool neg = ((b >> (f.E + f.M)) & 1) != 0;
  const long field = static_cast<long>((b >> f.M) & mask(f.E));
  const Bits frac = b & mask(f.M);
  if (field == static_cast<long>(mask(f.E))) {
    if (frac != 0) mpfr_set_nan(x);
    else mpfr_set_inf(x, neg ? -1 : 1);
    return;
  }
  if (field == 0 && frac == 0) {
    mpfr_set_zero(x, neg ? -1 : 1);
    return;
  }
  mpz_t z;
  mpz_init(z);
  mpz_from_bits(z, field != 0 ? ((Bits(1) << f.M) | frac) : frac);
  const long e = (field != 0 ? field : 1) - f.bias() - f.M;
  if (mpfr_set_z_2exp(x, z, e, MPFR_RNDN) != 0) throw std::logic_error("to_mpfr inexact");
  mpz_clear(z);
  if (neg) mpfr_neg(x, x, MPFR_RNDN);
}

// Maps an MPFR value (in the default exponent range) to the format's code; values above the largest finite give inf.
Bits from_mpfr(const mpfr_t x, const Format& f) {
  const Bits sgn = mpfr_signbit(x) ? Bits(1) << (f.E + f.M) : 0;
  const Bits inf = sgn | (mask(f.E) << f.M);
  if (mpfr_nan_p(x)) return (mask(f.E) << f.M) | (Bits(1) << (f.M - 1));
  if (mpfr_inf_p(x)) return inf;
  if (mpfr_zero_p(x)) return sgn;
  const long emin = f.emin();
  const long e = mpfr_get_exp(x) - 1;  // |x| in [2^e, 2^(e+1))
  if (e > f.bias()) return inf;
  mpfr_t t;
  mpfr_init2(t, mpfr_get_prec(x));
  mpfr_abs(t, x, MPFR_RNDN);
  const long sh = e < emin ? f.M - emin : f.M - e;
  mpfr_mul_2si(t, t, sh, MPFR_RNDN);
  if (!mpfr_integer_p(t)) throw std::logic_error("from_mpfr: value not on the format's grid");
  mpz_t z;
  mpz_init(z);
  mpfr_get_z(z, t, MPFR_RNDN);
  const Bits sig = bits_from_mpz(z);
  mpz_clear(z);
  mpfr_clear(t);
  if (e < emin) return sgn | sig;
  return sgn | (Bits(static_cast<unsigned long>(e + f.bias())) << f.M) | (sig - (Bits(1) << f.M));
}

struct ExpRange {
  mpfr_exp_t lo, hi;
  ExpRange(long emin, long emax) : lo(mpfr_get_emin()), hi(mpfr_get_emax()) {
    mpfr_set_emin(emin);
    mpfr_set_emax(emax);
  }
  ~ExpRange() {
    mpfr_set_emin(lo);
    mpfr_set_emax(hi);
  }
};

using MpfrOp = std::function<int(mpfr_ptr, mpfr_rnd_t)>;

// ROUNDING.md §6: emulate Float<E,M> with subnormals in MPFR.
Bits mpfr_emulate(const Format& f, mpfr_rnd_t rnd, const MpfrOp& op) {
  mpfr_t r;
  mpfr_init2(r, f.M + 1);
  {
    ExpRange range(2 - f.bias() - f.M, 1L << (f.E - 1));
    int t = op(r, rnd);
    t = mpfr_check_range(r, t, rnd);
    mpfr_subnormalize(r, t, rnd);
  }
  const Bits b = from_mpfr(r, f);
  mpfr_clear(r);
  return b;
}

// Round-to-nearest-away with MPFR: find the binade with RZ, then round to the number of bits the format has there.
Bits mpfr_rna(const Format& f, const MpfrOp& op) {
  mpfr_t r;
  mpfr_init2(r, f.M + 1);
  op(r, MPFR_RNDZ);
  Bits out;
  if (!mpfr_regular_p(r)) {
    out = from_mpfr(r, f);
  } else {
    const long e = mpfr_get_exp(r) - 1, emin = f.emin();
    const long prec = e >= emin ? f.M + 1 : f.M + 1 - (emin - e);
    if (prec >= 1) {
      mpfr_set_prec(r, prec);
      mpfr_round_nearest_away_begin(r);
      const int t = op(r, MPFR_RNDN);
      mpfr_round_nearest_away_end(r, t);
      out = from_mpfr(r, f);
    } else {  // |x| < smallest subnormal q0: q0 if |x| >= q0/2, else 0
      const Bits sgn = mpfr_signbit(r) ? Bits(1) << (f.E + f.M) : 0;
      out = sgn | (prec == 0 ? 1 : 0);
    }
  }
  mpfr_clear(r);
  return out;
}

bool ieee_is_nan(Bits b, const Format& f) {
  return ((b >> f.M) & mask(f.E)) == mask(f.E) && (b & mask(f.M)) != 0;
}

bool same(Bits a, Bits b, const Format& f) {
  if (ieee_is_nan(a, f) || ieee_is_nan(b, f)) return ieee_is_nan(a, f) && ieee_is_nan(b, f);
  return a == b;
}

enum class Op { add, sub, mul, div, sqrt, fma };
const char* op_name(Op op) {
  switch (op) {
    case Op::add: return "add";
    case Op::sub: return "sub";
    case Op::mul: return "mul";
    case Op::div: return "div";
    case Op::sqrt: return "sqrt";
    case Op::fma: return "fma";
  }
  return "?";
}

Exact oracle_op(Op op, Mode m, Bits a, Bits b, Bits c, const Format& f) {
  const Exact x = oracle::decode(a, f), y = oracle::decode(b, f), z = oracle::decode(c, f);
  switch (op) {
    case Op::add: return oracle::add(x, y, m);
    case Op::sub: return oracle::sub(x, y, m);
    case Op::mul: return oracle::mul(x, y);
    case Op::div: return oracle::div(x, y);
    case Op::sqrt: return oracle::sqrt(x);
    case Op::fma: return oracle::fma(x, y, z, m);
  }
  return x;
}

// fma operands: c near -(a*b) a third of the time (cancellation), else random.
Bits fma_addend(Gen& g, Bits a, Bits b) {
  if (g.below(3) != 0) return g.operand(&a);
  const Exact p = oracle::mul(oracle::decode(a, g.f), oracle::decode(b, g.f));
  Bits c = oracle::round(p, g.f, Mode::toward_zero) ^ g.sign();
  if (ieee_is_nan(c, g.f)) return g.operand();
  return g.operand(&c);
}

}  // namespace

namespace {

struct MpfrMode {
  Mode m;
  mpfr_rnd_t r;
};
const MpfrMode mpfr_modes[] = {{Mode::nearest_even, MPFR_RNDN},
                               {Mode::toward_zero, MPFR_RNDZ},
                               {Mode::up, MPFR_RNDU},
                               {Mode::down, MPFR_RNDD},
                               {Mode::nearest_away, MPFR_RNDNA}};

// One case: oracle::round(oracle op) against the MPFR emulation; returns false (after a CHECK) on a mismatch.
struct MpfrCase {
  Format f;
  mpfr_t a, b, c;
  explicit MpfrCase(const Format& fmt) : f(fmt) { mpfr_inits2(fmt.M + 1, a, b, c, static_cast<mpfr_ptr>(nullptr)); }
  ~MpfrCase() { mpfr_clears(a, b, c, static_cast<mpfr_ptr>(nullptr)); }
  MpfrCase(const MpfrCase&) = delete;
  MpfrCase& operator=(const MpfrCase&) = delete;

  bool check(Op op, const MpfrMode& md, Bits x, Bits y, Bits z) {
    to_mpfr(a, x, f);
    to_mpfr(b, y, f);
    to_mpfr(c, z, f);
    MpfrOp mop;
    switch (op) {
      case Op::add: mop = [&](mpfr_ptr r, mpfr_rnd_t rnd) { return mpfr_add(r, a, b, rnd); }; break;
      case Op::sub: mop = [&](mpfr_ptr r, mpfr_rnd_t rnd) { return mpfr_sub(r, a, b, rnd); }; break;
      case Op::mul: mop = [&](mpfr_ptr r, mpfr_rnd_t rnd) { return mpfr_mul(r, a, b, rnd); }; break;
      case Op::div: mop = [&](mpfr_ptr r, mpfr_rnd_t rnd) { return mpfr_div(r, a, b, rnd); }; break;
      case Op::sqrt: mop = [&](mpfr_ptr r, mpfr_rnd_t rnd) { return mpfr_sqrt(r, a, rnd); }; break;
      case Op::fma: mop = [&](mpfr_ptr r, mpfr_rnd_t rnd) { return mpfr_fma(r, a, b, c, rnd); }; break;
    }
    const Bits want = md.m == Mode::nearest_away ? mpfr_rna(f, mop) : mpfr_emulate(f, md.r, mop);
    const Bits got = oracle::round(oracle_op(op, md.m, x, y, z, f), f, md.m);
    if (same(got, want, f)) return true;
    INFO("E" << f.E << "M" << f.M << " " << op_name(op) << " mode " << static_cast<int>(md.m));
    INFO("a " << oracle::describe(x, f) << " b " << oracle::describe(y, f) << " c " << oracle::describe(z, f));
    INFO("oracle " << oracle::describe(got, f) << " mpfr " << oracle::describe(want, f));
    CHECK(same(got, want, f));
    return false;
  }
};

}  // namespace

TEST_CASE("oracle agrees with MPFR on IEEE-style formats", "[oracle][mpfr]") {
  const std::vector<Format> formats = {{5, 10}, {8, 7}, {4, 3}, {5, 2}, {8, 23}, {11, 52}, {15, 112}, {2, 1}, {6, 30}};
  const Op ops[] = {Op::add, Op::sub, Op::mul, Op::div, Op::sqrt, Op::fma};
  INFO("seed " << seed());
  long checked = 0, failed = 0;
  for (const Format& f : formats) {
    Gen g(f, seed() + static_cast<std::uint64_t>(f.E * 1000 + f.M));
    const int n = f.width() <= 16 ? 6000 : 3000;
    MpfrCase t(f);
    for (Op op : ops) {
      for (const MpfrMode& md : mpfr_modes) {
        for (int i = 0; i < n && failed < 20; ++i) {
          Bits x = g.operand();
          Bits y = g.operand(&x);
          const Bits z = op == Op::fma ? fma_addend(g, x, y) : 0;
          if (op == Op::sqrt && g.below(4) != 0) x &= ~g.sign();
          failed += t.check(op, md, x, y, z) ? 0 : 1;
          ++checked;
        }
      }
    }
  }
  CHECK(checked > 500000);
}

TEST_CASE("oracle agrees with MPFR on all pairs of 8-bit IEEE codes", "[oracle][mpfr]") {
  for (const Format& f : {Format{4, 3}, Format{5, 2}}) {
    MpfrCase t(f);
    long failed = 0;
    for (const MpfrMode& md : mpfr_modes) {
      for (Bits x = 0; x < 256 && failed < 20; ++x) {
        failed += t.check(Op::sqrt, md, x, 0, 0) ? 0 : 1;
        for (Bits y = 0; y < 256; ++y)
          for (Op op : {Op::add, Op::sub, Op::mul, Op::div}) failed += t.check(op, md, x, y, 0) ? 0 : 1;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Hardware float/double. The ops live in functions the compiler can neither inline nor analyse (noipa), with volatile
// results, so they run after fesetround and are never constant-folded or merged across rounding modes.
namespace {

template <class T>
[[gnu::noipa]] T hw(Op op, T a, T b, T c) {
  volatile T r;
  switch (op) {
    case Op::add: r = a + b; break;
    case Op::sub: r = a - b; break;
    case Op::mul: r = a * b; break;
    case Op::div: r = a / b; break;
    case Op::sqrt: r = std::sqrt(a); break;
    case Op::fma: r = std::fma(a, b, c); break;
  }
  return r;
}
[[gnu::noipa]] float hw_narrow(double d) {
  volatile float r = static_cast<float>(d);
  return r;
}
[[gnu::noipa]] double hw_int_to_double(std::int64_t i) {
  volatile double r = static_cast<double>(i);
  return r;
}

template <class T, class U>
T from_bits(Bits b) {
  const U u = static_cast<U>(b);
  T t;
  std::memcpy(&t, &u, sizeof t);
  return t;
}
template <class T, class U>
Bits to_bits(T t) {
  U u;
  std::memcpy(&u, &t, sizeof u);
  return u;
}

struct HwMode {
  int fe;
  Mode m;
};
const HwMode hw_modes[] = {{FE_TONEAREST, Mode::nearest_even},
                           {FE_TOWARDZERO, Mode::toward_zero},
                           {FE_UPWARD, Mode::up},
                           {FE_DOWNWARD, Mode::down}};

template <class T, class U>
void check_hardware(const Format& f, int n) {
  const Op ops[] = {Op::add, Op::sub, Op::mul, Op::div, Op::sqrt, Op::fma};
  Gen g(f, seed() + 77u + static_cast<std::uint64_t>(f.M));
  for (Op op : ops) {
    for (const HwMode& md : hw_modes) {
      std::vector<Bits> x(static_cast<std::size_t>(n)), y(x), z(x), r(x);
      for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = g.operand();
        y[i] = g.operand(&x[i]);
        z[i] = op == Op::fma ? fma_addend(g, x[i], y[i]) : 0;
        if (op == Op::sqrt && g.below(4) != 0) x[i] &= ~g.sign();
      }
      std::fesetround(md.fe);
      for (std::size_t i = 0; i < x.size(); ++i)
        r[i] = to_bits<T, U>(hw<T>(op, from_bits<T, U>(x[i]), from_bits<T, U>(y[i]), from_bits<T, U>(z[i])));
      std::fesetround(FE_TONEAREST);
      for (std::size_t i = 0; i < x.size(); ++i) {
        const Bits got = oracle::round(oracle_op(op, md.m, x[i], y[i], z[i], f), f, md.m);
        if (!same(got, r[i], f)) {
          INFO(op_name(op) << " mode " << static_cast<int>(md.m) << " a " << oracle::describe(x[i], f) << " b "
                           << oracle::describe(y[i], f) << " c " << oracle::describe(z[i], f));
          INFO("oracle " << oracle::describe(got, f) << " hardware " << oracle::describe(r[i], f));
          CHECK(same(got, r[i], f));
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("oracle agrees with hardware binary32 and binary64 in all four IEEE modes", "[oracle][hardware]") {
  INFO("seed " << seed());
  check_hardware<float, std::uint32_t>(Format{8, 23}, 50000);
  check_hardware<double, std::uint64_t>(Format{11, 52}, 50000);
}

TEST_CASE("oracle agrees with hardware double->float and int64->double conversions", "[oracle][hardware]") {
  INFO("seed " << seed());
  const Format f32{8, 23}, f64{11, 52};
  Gen g(f64, seed() + 5u);
  std::mt19937_64& rng = g.rng;
  const int n = 50000;
  for (const HwMode& md : hw_modes) {
    std::vector<Bits> d(static_cast<std::size_t>(n)), fr(d), dr(d);
    std::vector<std::int64_t> iv(d.size());
    for (std::size_t i = 0; i < d.size(); ++i) {
      // Doubles: uniform codes, and codes near the binary32 range and grid.
      const int r = g.below(4);
      if (r == 0) d[i] = g.uniform();
      else {
        const Bits sgn = g.below(2) ? Bits(1) << 63 : 0;
        const long field = 1023 - 160 + g.below(320);  // 2^-160 .. 2^160: float subnormals and overflow
        Bits frac = g.uniform() & mask(52);
        if (r == 1) frac &= ~mask(28);  // on or next to the float grid / a midpoint
        if (r == 2) {  // a binary32 midpoint, or one double ulp either side
          frac = (frac & ~mask(29)) | (Bits(1) << 28);
          const int dl = g.below(3);
          frac = dl == 0 ? frac - 1 : frac + Bits(static_cast<unsigned>(dl - 1));
        }
        d[i] = (sgn | (Bits(static_cast<unsigned long>(field)) << 52) | frac) & mask(64);
      }
      const int k = 1 + g.below(63);
      iv[i] = static_cast<std::int64_t>(rng() >> k);
      if (g.below(2)) iv[i] = -iv[i];
    }
    std::fesetround(md.fe);
    for (std::size_t i = 0; i < d.size(); ++i) {
      fr[i] = to_bits<float, std::uint32_t>(hw_narrow(from_bits<double, std::uint64_t>(d[i])));
      dr[i] = to_bits<double, std::uint64_t>(hw_int_to_double(iv[i]));
    }
    std::fesetround(FE_TONEAREST);
    for (std::size_t i = 0; i < d.size(); ++i) {
      const Bits got = oracle::round(oracle::from_double(from_bits<double, std::uint64_t>(d[i])), f32, md.m);
      if (!same(got, fr[i], f32)) {
        INFO("mode " << static_cast<int>(md.m) << " double " << oracle::describe(d[i], f64));
        CHECK(oracle::describe(got, f32) == oracle::describe(fr[i], f32));
      }
      const Bits gi = oracle::round(oracle::from_integer(oracle::Int(iv[i])), f64, md.m);
      if (gi != dr[i]) {
        INFO("mode " << static_cast<int>(md.m) << " int " << iv[i]);
        CHECK(oracle::describe(gi, f64) == oracle::describe(dr[i], f64));
      }
    }
  }
  // float -> double is exact.
  for (int i = 0; i < 10000; ++i) {
    const float x = from_bits<float, std::uint32_t>(g.uniform() & mask(32));
    if (std::isnan(x)) continue;
    CHECK(oracle::round(oracle::from_float(x), f64, Mode::nearest_even) ==
          to_bits<double, std::uint64_t>(static_cast<double>(x)));
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Self-consistency
namespace {

// Three-way comparison of a finite or zero Exact `a` (maybe sticky) with an exact finite or zero `b`: sign of a - b.
int cmp_exact(const Exact& a, const Exact& b) {
  if (b.sticky) throw std::logic_error("cmp_exact: b must be exact");
  const bool af = a.kind == Exact::finite, bf = b.kind == Exact::finite;
  const long e = af && bf ? std::min(a.exp, b.exp) : (af ? a.exp : (bf ? b.exp : 0));
  oracle::Int A = af ? oracle::Int(a.sig << (a.exp - e)) : oracle::Int(0);
  oracle::Int B = bf ? oracle::Int(b.sig << (b.exp - e)) : oracle::Int(0);
  if (a.sign) A = -A;
  if (b.sign) B = -B;
  if (!a.sticky) return A < B ? -1 : (A > B ? 1 : 0);
  // a lies strictly between A and A +- 2^d (away from zero)
  const oracle::Int w = oracle::Int(1) << (a.exp - e);
  const oracle::Int lo = a.sign ? oracle::Int(A - w) : A, hi = a.sign ? A : oracle::Int(A + w);
  if (B <= lo) return 1;
  if (B >= hi) return -1;
  throw std::logic_error("cmp_exact: sticky value too coarse to compare");
}

// Random finite exact (or sticky) values around a format's range: results of ops on random codes of a wider format.
Exact random_value(Gen& g, const Format& f) {
  const Format w{f.E + 1, f.M + 8};
  Gen gw(w, g.rng());
  for (;;) {
    const Bits a = gw.operand(), b = gw.operand(&a);
    const Exact x = oracle::decode(a, w), y = oracle::decode(b, w);
    if (x.kind != Exact::finite || y.kind != Exact::finite) continue;
    Exact r;
    switch (g.below(4)) {
      case 0: r = oracle::add(x, y, Mode::nearest_even); break;
      case 1: r = oracle::mul(x, y); break;
      case 2: r = oracle::div(x, y); break;
      default: r = oracle::sqrt(oracle::Exact{Exact::finite, false, x.sig, x.exp, false}); break;
    }
    if (r.kind == Exact::finite) return r;
  }
}

}  // namespace

TEST_CASE("round-to-odd with 2 extra bits then any mode equals a single rounding", "[oracle][consistency]") {
  // Boldo & Melquiond 2008; the wide format has the same emin, so its quantum is <= 1/4 of the narrow one's.
  const std::vector<Format> formats = {{5, 10}, {8, 7}, {4, 3}, {5, 2}, {8, 23}, {3, 0, Specials::fn, Overflow::nan},
                                       {4, 3, Specials::fn, Overflow::nan}, {5, 2, Specials::fnuz, Overflow::saturate},
                                       {2, 1, Specials::finite, Overflow::saturate}};
  const Mode modes[] = {Mode::nearest_even, Mode::nearest_away, Mode::toward_zero, Mode::up, Mode::down, Mode::odd};
  Gen g(Format{5, 10}, seed() + 9u);
  for (const Format& f : formats) {
    const Format w{f.E, f.M + 2, f.specials, f.overflow, f.subnormals};
    for (int i = 0; i < 10000; ++i) {
      const Exact x = random_value(g, f);
      const Bits ro = oracle::round(x, w, Mode::odd);
      const Exact xo = oracle::decode(ro, w);
      for (Mode m : modes) {
        const Bits direct = oracle::round(x, f, m);
        const Bits twice = oracle::round(xo, f, m);
        if (direct != twice) {
          INFO("E" << f.E << "M" << f.M << " mode " << static_cast<int>(m) << " x ~ " << oracle::to_double(x));
          CHECK(oracle::describe(direct, f) == oracle::describe(twice, f));
        }
      }
      // Stochastic rounding with k bits is exact from RO with M + k + 2 bits.
      const Format wk{f.E, f.M + 10, f.specials, f.overflow, f.subnormals};
      const Exact xk = oracle::decode(oracle::round(x, wk, Mode::odd), wk);
      const std::uint32_t rnd = static_cast<std::uint32_t>(g.rng());
      CHECK(oracle::round(x, f, Mode::stochastic, rnd, 8) == oracle::round(xk, f, Mode::stochastic, rnd, 8));
    }
  }
}

TEST_CASE("directed modes bracket the exact value; nearest and odd pick a neighbour", "[oracle][consistency]") {
  const std::vector<Format> formats = {{5, 10}, {8, 7}, {4, 3}, {11, 52}, {4, 3, Specials::fn, Overflow::nan},
                                       {5, 2, Specials::fnuz, Overflow::nan}};
  Gen g(Format{5, 10}, seed() + 11u);
  for (const Format& f : formats) {
    const Bits maxc = f.specials == Specials::fnuz ? mask(f.E + f.M)
                      : f.specials == Specials::fn ? mask(f.E + f.M) - 1
                                                   : ((mask(f.E) - 1) << f.M) | mask(f.M);
    const Exact maxv = oracle::decode(maxc, f);
    for (int i = 0; i < 10000; ++i) {
      const Exact x = random_value(g, f);
      Exact ax = x;
      ax.sign = false;
      if (cmp_exact(ax, maxv) > 0) continue;  // inside the finite range only
      const Bits d = oracle::round(x, f, Mode::down), u = oracle::round(x, f, Mode::up);
      const Exact dv = oracle::decode(d, f), uv = oracle::decode(u, f);
      INFO("E" << f.E << "M" << f.M << " x ~ " << oracle::to_double(x) << " down " << oracle::describe(d, f) << " up "
               << oracle::describe(u, f));
      REQUIRE(dv.kind != Exact::nan);
      REQUIRE(uv.kind != Exact::nan);
      CHECK(cmp_exact(x, dv) >= 0);
      CHECK(cmp_exact(x, uv) <= 0);
      const bool exact = cmp_exact(x, dv) == 0;
      CHECK(exact == (cmp_exact(x, uv) == 0));
      // adjacent: magnitude codes differ by at most one (zeros of both signs are adjacent to +-min subnormal)
      const Bits dm = d & mask(f.E + f.M), um = u & mask(f.E + f.M);
      const Bits lo = dm < um ? dm : um, hi = dm < um ? um : dm;
      if (!exact && dv.kind != Exact::zero && uv.kind != Exact::zero) CHECK(hi - lo == 1);
      if (exact) CHECK(d == u);
      const Bits z = oracle::round(x, f, Mode::toward_zero);
      CHECK(z == (x.sign ? u : d));
      const Bits away = x.sign ? d : u;
      for (Mode m : {Mode::nearest_even, Mode::nearest_away, Mode::odd}) {
        const Bits r = oracle::round(x, f, m);
        CHECK((r == z || r == away));
      }
      if (!exact) CHECK((oracle::round(x, f, Mode::odd) & 1) == 1);
      for (int k = 0; k < 4; ++k) {
        const Bits s = oracle::round(x, f, Mode::stochastic, static_cast<std::uint32_t>(g.rng()), 1 + g.below(32));
        CHECK((s == z || s == away));
      }
    }
  }
}

namespace {
double truncate_bits(double x, int bits) {  // keep the leading `bits` significant bits of x
  int e;
  const double m = std::frexp(x, &e);
  return std::ldexp(std::trunc(std::ldexp(m, bits)), e - bits);
}
}  // namespace

TEST_CASE("stochastic rounding: exactly F of the 2^k random words round up", "[oracle][stochastic]") {
  const std::vector<Format> formats = {{5, 10}, {4, 3}, {8, 7}, {4, 3, Specials::fn, Overflow::nan}};
  std::mt19937_64 rng(seed() + 13u);
  for (const Format& f : formats) {
    for (int i = 0; i < 300; ++i) {
      // x a random double within the format's range: [2^(emin-M-3), max)
      const double lo = std::ldexp(1.0, f.emin() - f.M - 3);
      const double x =
          (rng() & 1 ? -1.0 : 1.0) * lo * std::exp2(std::uniform_real_distribution<double>(0, 1)(rng) *
                                                    (std::log2(std::ldexp(1.0, f.bias())) - std::log2(lo)));
      const Exact ex = oracle::from_double(i % 2 == 0 ? x : truncate_bits(x, f.M + 1 + static_cast<int>(rng() % 10)));
      const double d0 = oracle::to_double(oracle::decode(oracle::round(ex, f, Mode::toward_zero), f));
      const double d1 = oracle::to_double(oracle::decode(oracle::round(ex, f, x < 0 ? Mode::down : Mode::up), f));
      if (d0 == d1) continue;
      const double xv = oracle::to_double(ex);
      const double frac = (std::fabs(xv) - std::fabs(d0)) / (std::fabs(d1) - std::fabs(d0));  // exact
      for (int k : {1, 3, 8}) {
        const double F = std::nearbyint(std::ldexp(frac, k));  // RNE (default mode)
        int ups = 0;
        for (std::uint32_t r = 0; r < (1u << k); ++r) {
          const Bits b = oracle::round(ex, f, Mode::stochastic, r << (32 - k), k);
          const double v = oracle::to_double(oracle::decode(b, f));
          REQUIRE((v == d0 || v == d1));
          ups += v == d1 ? 1 : 0;
        }
        INFO("x " << xv << " k " << k << " frac " << frac);
        CHECK(ups == static_cast<int>(F));
      }
      // k = 32: one random word, up iff F32 + r >= 2^32.
      const double F32 = std::nearbyint(std::ldexp(frac, 32));
      const std::uint32_t r = static_cast<std::uint32_t>(rng());
      const bool up = oracle::to_double(oracle::decode(oracle::round(ex, f, Mode::stochastic, r), f)) == d1;
      INFO("x " << xv << " frac " << frac << " r " << r);
      CHECK(up == (F32 + static_cast<double>(r) >= 4294967296.0));
    }
  }
}

TEST_CASE("sticky values round as the exact value they stand for", "[oracle][sticky]") {
  const Format f = Format{5, 10};
  const auto st = [](long sig, long exp, bool sticky, bool neg = false) {
    return Exact{Exact::finite, neg, oracle::Int(sig), exp, sticky};
  };
  // (2^11 + 1) * 2^-11 = 1 + 2^-11: the tie between 1 (0x3c00) and 1 + 2^-10 (0x3c01); sticky puts it above.
  const Exact tie = st((1 << 11) | 1, -11, false), above = st((1 << 11) | 1, -11, true);
  CHECK(oracle::round(tie, f, Mode::nearest_even) == 0x3c00);
  CHECK(oracle::round(above, f, Mode::nearest_even) == 0x3c01);
  CHECK(oracle::round(tie, f, Mode::nearest_away) == 0x3c01);
  CHECK(oracle::round(above, f, Mode::toward_zero) == 0x3c00);
  CHECK(oracle::round(st((1 << 11) | 1, -11, true, true), f, Mode::nearest_even) == 0xbc01);
  // 1 + t*2^-11, t in (0,1): just above 1.
  const Exact just = st(1 << 11, -11, true);
  CHECK(oracle::round(just, f, Mode::nearest_even) == 0x3c00);
  CHECK(oracle::round(just, f, Mode::nearest_away) == 0x3c00);
  CHECK(oracle::round(just, f, Mode::up) == 0x3c01);
  CHECK(oracle::round(just, f, Mode::down) == 0x3c00);
  CHECK(oracle::round(just, f, Mode::odd) == 0x3c01);
  CHECK(oracle::round(st(1 << 11, -11, false), f, Mode::odd) == 0x3c00);
  // Stochastic: (2^13 + 1 + t) * 2^-13: tail (1 + t)/8, times 2^2 = (1 + t)/2 in (1/2, 1): F = 1 (0 without t).
  CHECK(oracle::round(st((1 << 13) | 1, -13, true), f, Mode::stochastic, 3u << 30, 2) == 0x3c01);
  CHECK(oracle::round(st((1 << 13) | 1, -13, false), f, Mode::stochastic, 3u << 30, 2) == 0x3c00);
  CHECK(oracle::round(st((1 << 13) | 3, -13, false), f, Mode::stochastic, 2u << 30, 2) == 0x3c01);  // 1.5 -> F=2
  CHECK(oracle::round(st((1 << 13) | 3, -13, false), f, Mode::stochastic, 1u << 30, 2) == 0x3c00);
  // Not enough bits below the rounding position to decide: refuse rather than guess.
  CHECK_THROWS(oracle::round(st(1 << 10, -10, true), f, Mode::nearest_even));
  CHECK_THROWS(oracle::round(st(1 << 11, -11, true), f, Mode::stochastic, 0, 2));
  CHECK_THROWS(oracle::mul(just, just));
  // Division and square root carry at least kQuotientBits bits, so any format and 32-bit SR can use them.
  const Exact q = oracle::div(oracle::from_integer(1), oracle::from_integer(3));
  CHECK(q.sticky);
  CHECK(boost::multiprecision::msb(q.sig) + 1 >= oracle::kQuotientBits);
  const Exact r = oracle::sqrt(oracle::from_integer(2));
  CHECK(r.sticky);
  CHECK(boost::multiprecision::msb(r.sig) + 1 >= oracle::kQuotientBits);
  CHECK(!oracle::div(oracle::from_integer(1), oracle::from_integer(4)).sticky);
  CHECK(!oracle::sqrt(oracle::from_integer(9)).sticky);
}

// ---------------------------------------------------------------------------------------------------------------------
// A second, table-driven reference for formats of at most 8 bits, with every Specials / Overflow / subnormal variant:
// the sorted list of all finite values, neighbours by search, the mode rules applied to values (MPFR only covers IEEE).
namespace {

struct Table {
  Format f;
  std::vector<double> v;      // v[c] = value of positive code c (NaN for NaN, inf for inf)
  std::vector<Bits> finite;   // positive finite codes, increasing value (one code per value)
  Bits sign;
  explicit Table(const Format& fmt) : f(fmt), sign(Bits(1) << (fmt.E + fmt.M)) {
    const long bias = fmt.specials == Specials::fnuz ? 1L << (fmt.E - 1) : (1L << (fmt.E - 1)) - 1;
    const Bits ones = mask(fmt.E), fr = mask(fmt.M);
    for (Bits c = 0; c < sign; ++c) {
      const Bits field = c >> fmt.M, frac = c & fr;
      double x;
      if (fmt.specials == Specials::ieee && field == ones) x = frac ? std::nan("") : std::numeric_limits<double>::infinity();
      else if (fmt.specials == Specials::fn && field == ones && frac == fr) x = std::nan("");
      else if (field == 0) x = fmt.subnormals ? std::ldexp(static_cast<double>(frac), static_cast<int>(1 - bias - fmt.M)) : 0.0;
      else x = std::ldexp(static_cast<double>(frac + (Bits(1) << fmt.M)), static_cast<int>(field) - static_cast<int>(bias) - fmt.M);
      v.push_back(x);
      if (std::isfinite(x) && (finite.empty() || x > v[static_cast<std::size_t>(finite.back())])) finite.push_back(c);
    }
  }
  double value(Bits c) const { return v[static_cast<std::size_t>(c)]; }
  Bits nan(bool neg) const {
    switch (f.specials) {
      case Specials::ieee: return (neg ? sign : 0) | (mask(f.E) << f.M) | (Bits(1) << (f.M - 1));
      case Specials::fn: return (neg ? sign : 0) | mask(f.E + f.M);
      case Specials::fnuz: return sign;
      case Specials::finite: return (neg ? sign : 0) | finite.back();
    }
    return 0;
  }
  Bits overflow(bool neg) const {
    switch (f.overflow) {
      case Overflow::infinity: return (neg ? sign : 0) | (mask(f.E) << f.M);
      case Overflow::saturate: return (neg ? sign : 0) | finite.back();
      case Overflow::nan: return nan(neg);
    }
    return 0;
  }
  // x: a double; r, k: stochastic rounding word and bits.
  Bits round(double x, Mode m, std::uint32_t r, int k) const {
    const bool neg = std::signbit(x);
    if (std::isnan(x)) return nan(neg);
    if (std::isinf(x)) return f.specials == Specials::ieee ? ((neg ? sign : 0) | (mask(f.E) << f.M))
                              : f.overflow == Overflow::nan ? nan(neg) : ((neg ? sign : 0) | finite.back());
    const Bits zero = f.specials == Specials::fnuz ? 0 : (neg ? sign : 0);
    if (x == 0) return zero;
    const double a = std::fabs(x);
    // Neighbours lo <= a < hi; "codes" finite.size() stands for the first grid point above the largest value.
    // Ties go to the even code: the integer significand's parity for M > 0; for M = 0 (every nonzero value is
    // 1 * 2^e) the exponent field's parity, as ml_dtypes and P3109 define it (docs/float.md).
    const auto odd = [&](Bits c) { return (c & 1) != 0; };
    const double top = value(finite.back());
    int te;
    std::frexp(top, &te);
    const double next = top + std::ldexp(1.0, te - 1 - f.M);  // + the quantum of top's binade
    const bool top_odd = odd(finite.back());
    std::size_t i = 0;
    while (i + 1 < finite.size() && value(finite[i + 1]) <= a) ++i;
    double lo = value(finite[i]), hi;
    bool lo_odd = odd(finite[i]);
    if (i + 1 < finite.size()) hi = value(finite[i + 1]);
    else if (a < next) hi = next;
    else {  // at or beyond the first grid point above the largest: every mode gives a value > largest
      hi = lo = next;
      lo_odd = !top_odd;
    }
    const bool saturating_mode =
        m == Mode::toward_zero || m == Mode::odd || (m == Mode::up && neg) || (m == Mode::down && !neg);
    auto result = [&](bool up) -> Bits {
      const double y = up ? hi : lo;
      if (y > top) return saturating_mode ? ((neg ? sign : 0) | finite.back()) : overflow(neg);
      if (y == 0) return zero;
      std::size_t j = 0;
      while (value(finite[j]) != y) ++j;
      return (neg ? sign : 0) | finite[j];
    };
    if (a == lo) return result(false);
    const double frac = (a - lo) / (hi - lo);  // exact: hi - lo is a power of two, a - lo exact (Sterbenz)
    switch (m) {
      case Mode::nearest_even: return result(frac > 0.5 || (frac == 0.5 && lo_odd));
      case Mode::nearest_away: return result(frac >= 0.5);
      case Mode::toward_zero: return result(false);
      case Mode::up: return result(!neg);
      case Mode::down: return result(neg);
      case Mode::odd: return result(!lo_odd);
      case Mode::stochastic: {
        const double F = std::nearbyint(std::ldexp(frac, k));
        const double rr = static_cast<double>(k == 32 ? r : r >> (32 - k));
        return result(F + rr >= std::ldexp(1.0, k));
      }
    }
    return 0;
  }
};

}  // namespace

TEST_CASE("oracle agrees with a table-driven reference on all 8-bit format variants", "[oracle][table]") {
  const std::vector<Format> formats = {
      {4, 3, Specials::fn, Overflow::nan},        {4, 3, Specials::fn, Overflow::saturate},
      {5, 2, Specials::ieee, Overflow::infinity}, {5, 2, Specials::ieee, Overflow::saturate},
      {5, 2, Specials::ieee, Overflow::nan},      {4, 3, Specials::ieee, Overflow::infinity},
      {4, 3, Specials::fnuz, Overflow::nan},      {5, 2, Specials::fnuz, Overflow::saturate},
      {2, 1, Specials::finite, Overflow::saturate}, {3, 2, Specials::finite, Overflow::saturate},
      {2, 3, Specials::finite, Overflow::saturate}, {4, 3, Specials::fn, Overflow::nan, false},
      {5, 2, Specials::ieee, Overflow::infinity, false}, {4, 3, Specials::fnuz, Overflow::nan, false},
      {3, 0, Specials::fn, Overflow::nan},        {4, 0, Specials::fn, Overflow::saturate},
      {5, 0, Specials::finite, Overflow::saturate}, {2, 1, Specials::fn, Overflow::nan},
      {3, 4, Specials::ieee, Overflow::infinity}, {1, 6, Specials::finite, Overflow::saturate}};
  const Mode modes[] = {Mode::nearest_even, Mode::nearest_away, Mode::toward_zero, Mode::up,
                        Mode::down,         Mode::odd,          Mode::stochastic};
  std::mt19937_64 rng(seed() + 19u);
  long n = 0;
  for (const Format& f : formats) {
    const Table t(f);
    std::vector<double> xs = {0.0, -0.0, std::numeric_limits<double>::infinity(), std::nan("")};
    for (std::size_t i = 0; i < t.finite.size(); ++i) {  // values, midpoints, and one double ulp either side
      const double a = t.value(t.finite[i]);
      const double b = i + 1 < t.finite.size() ? t.value(t.finite[i + 1]) : 2 * a + 1;
      for (double y : {a, (a + b) / 2, (3 * a + b) / 4}) {
        xs.push_back(y);
        xs.push_back(std::nextafter(y, 0.0));
        xs.push_back(std::nextafter(y, 1e300));
      }
    }
    const double top = t.value(t.finite.back());
    for (double y : {top * 1.0625, top * 1.125, top * 1.25, top * 1.5, top * 1.75, top * 2, top * 3, 1e300})
      for (double z : {y, std::nextafter(y, 0.0), std::nextafter(y, 1e300)}) xs.push_back(z);
    const double tiny = t.value(t.finite[1]);
    for (int i = 0; i < 300; ++i)
      xs.push_back(tiny * std::exp2(std::uniform_real_distribution<double>(-4, std::log2(top / tiny) + 2)(rng)));
    const std::size_t nx = xs.size();
    for (std::size_t i = 0; i < nx; ++i) xs.push_back(-xs[i]);
    for (double x : xs) {
      for (Mode m : modes) {
        for (int rep = 0; rep < (m == Mode::stochastic ? 6 : 1); ++rep) {
          const int k = 1 + static_cast<int>(rng() % 32);
          const std::uint32_t r = static_cast<std::uint32_t>(rng());
          const Bits want = t.round(x, m, r, k);
          const Bits got = oracle::round(oracle::from_double(x), f, m, r, k);
          if (got != want) {
            INFO("E" << f.E << "M" << f.M << " specials " << static_cast<int>(f.specials) << " overflow "
                     << static_cast<int>(f.overflow) << " subnormals " << f.subnormals << " mode "
                     << static_cast<int>(m) << " x " << x << " r " << r << " k " << k);
            CHECK(oracle::describe(got, f) == oracle::describe(want, f));
          }
          ++n;
        }
      }
    }
    // Decoding agrees with the table, NaN-ness included.
    for (Bits c = 0; c < (Bits(1) << f.width()); ++c) {
      const double tv = t.value(c & (t.sign - 1));
      const bool neg = (c & t.sign) != 0;
      const Exact e = oracle::decode(c, f);
      if (std::isnan(tv) || (f.specials == Specials::fnuz && c == t.sign)) {
        CHECK(oracle::is_nan(c, f));
        CHECK(e.kind == Exact::nan);
      } else {
        CHECK(!oracle::is_nan(c, f));
        CHECK(oracle::to_double(e) == (neg ? -tv : tv));
        if (tv == 0) CHECK(e.sign == (neg && f.specials != Specials::fnuz));
      }
    }
  }
  CHECK(n > 50000);
}

// ---------------------------------------------------------------------------------------------------------------------
// Hand-checked values
namespace {
const Format e4m3fn{4, 3, Specials::fn, Overflow::nan};
const Format e4m3fn_sat{4, 3, Specials::fn, Overflow::saturate};
const Format e5m2{5, 2};
const Format e4m3{4, 3};
const Format e4m3fnuz{4, 3, Specials::fnuz, Overflow::nan};
const Format e5m2fnuz{5, 2, Specials::fnuz, Overflow::nan};
const Format f16{5, 10};
const Format bf16{8, 7};
const Format e2m1{2, 1, Specials::finite, Overflow::saturate};

const double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();
double val(Bits b, const Format& f) { return oracle::to_double(oracle::decode(b, f)); }
Bits rne(double x, const Format& f) { return oracle::round(oracle::from_double(x), f, Mode::nearest_even); }
}  // namespace

TEST_CASE("hand-checked values of small formats", "[oracle][values]") {
  // E4M3FN (OCP): max 448 = 0x7e, 0x7f/0xff NaN, min subnormal 2^-9, RN overflow threshold 464.
  CHECK(val(0x7e, e4m3fn) == 448.0);
  CHECK(oracle::describe(0x7e, e4m3fn) == "0x7e (+1.75*2^8 = 448)");
  CHECK(oracle::is_nan(0x7f, e4m3fn));
  CHECK(oracle::is_nan(0xff, e4m3fn));
  CHECK(!oracle::is_nan(0x7e, e4m3fn));
  CHECK(val(0x78, e4m3fn) == 256.0);
  CHECK(val(0x01, e4m3fn) == std::ldexp(1.0, -9));
  // 464 is the tie between 448 = 14*32 and 480 = 15*32 (the unbounded grid): even -> 448, as ml_dtypes does.
  // Anything above 464 rounds to 480 > max: NaN (with the sign of x).
  CHECK(rne(464.0, e4m3fn) == 0x7e);
  CHECK(rne(-464.0, e4m3fn) == 0xfe);
  CHECK(rne(std::nextafter(464.0, 1e3), e4m3fn) == 0x7f);
  CHECK(rne(-std::nextafter(464.0, 1e3), e4m3fn) == 0xff);
  CHECK(oracle::round(oracle::from_double(464.0), e4m3fn, Mode::nearest_away) == 0x7f);
  CHECK(rne(463.99, e4m3fn) == 0x7e);
  CHECK(rne(464.0, e4m3fn_sat) == 0x7e);
  CHECK(oracle::round(oracle::from_double(1e9), e4m3fn, Mode::toward_zero) == 0x7e);
  CHECK(oracle::round(oracle::from_double(1e9), e4m3fn, Mode::up) == 0x7f);
  CHECK(oracle::round(oracle::from_double(-1e9), e4m3fn, Mode::up) == 0xfe);
  CHECK(oracle::round(oracle::from_double(kInf), e4m3fn, Mode::nearest_even) == 0x7f);
  CHECK(oracle::round(oracle::from_double(-kInf), e4m3fn_sat, Mode::nearest_even) == 0xfe);
  CHECK(oracle::round(oracle::from_double(-kNaN), e4m3fn, Mode::nearest_even) == 0xff);
  CHECK(oracle::round(oracle::from_double(kNaN), e4m3fn, Mode::nearest_even) == 0x7f);
  // E5M2 (ieee): max 57344 = 0x7b, inf 0x7c, NaN 0x7d..0x7f.
  CHECK(val(0x7b, e5m2) == 57344.0);
  CHECK(std::isinf(val(0x7c, e5m2)));
  CHECK(oracle::is_nan(0x7d, e5m2));
  CHECK(rne(61440.0, e5m2) == 0x7c);  // midpoint 57344..65536 -> even (inf)
  CHECK(rne(61439.0, e5m2) == 0x7b);
  CHECK(oracle::round(oracle::from_double(kNaN), e5m2, Mode::nearest_even) == 0x7e);  // canonical quiet NaN
  // E4M3 (ieee): max 240 = 0x77.
  CHECK(val(0x77, e4m3) == 240.0);
  CHECK(std::isinf(val(0x78, e4m3)));
  // fnuz: bias 8 (E4M3) / 16 (E5M2), no -0, 0x80 the only NaN.
  CHECK(e4m3fnuz.bias() == 8);
  CHECK(val(0x7f, e4m3fnuz) == 240.0);
  CHECK(val(0x01, e4m3fnuz) == std::ldexp(1.0, -10));
  CHECK(val(0x7f, e5m2fnuz) == 57344.0);
  CHECK(val(0x01, e5m2fnuz) == std::ldexp(1.0, -17));
  CHECK(oracle::is_nan(0x80, e4m3fnuz));
  CHECK(oracle::is_nan(0x80, e5m2fnuz));
  int nans = 0;
  for (Bits b = 0; b < 256; ++b) nans += oracle::is_nan(b, e4m3fnuz) ? 1 : 0;
  CHECK(nans == 1);
  CHECK(rne(-0.0, e4m3fnuz) == 0x00);
  CHECK(rne(-1e-30, e4m3fnuz) == 0x00);
  CHECK(rne(-1e30, e4m3fnuz) == 0x80);
  CHECK(oracle::round(oracle::mul(oracle::from_double(-1.0), oracle::from_double(0.0)), e4m3fnuz,
                      Mode::nearest_even) == 0x00);
  // binary16: max 65504; 65520 (the midpoint to 2^16) -> inf; just below -> max.
  CHECK(rne(65520.0, f16) == 0x7c00);
  CHECK(rne(65519.99, f16) == 0x7bff);
  CHECK(val(0x7bff, f16) == 65504.0);
  CHECK(rne(std::ldexp(1.0, -25), f16) == 0x0000);                                // tie to even: 0
  CHECK(rne(std::nextafter(std::ldexp(1.0, -25), 1.0), f16) == 0x0001);           // 2^-24
  CHECK(rne(-std::ldexp(1.0, -26), f16) == 0x8000);                               // -0
  CHECK(oracle::round(oracle::from_double(std::ldexp(1.0, -40)), f16, Mode::up) == 0x0001);
  CHECK(oracle::round(oracle::from_double(std::ldexp(1.0, -40)), f16, Mode::odd) == 0x0001);
  CHECK(oracle::round(oracle::from_double(std::ldexp(1.0, -25)), f16, Mode::nearest_away) == 0x0001);
  CHECK(rne(3.0 * std::ldexp(1.0, -25), f16) == 0x0002);                          // 1.5 q0 -> 2 q0 (even)
  CHECK(rne(1.0, f16) == 0x3c00);
  CHECK(rne(1.0 + std::ldexp(1.0, -11), f16) == 0x3c00);                          // tie -> even
  CHECK(oracle::round(oracle::from_double(1.0 + std::ldexp(1.0, -11)), f16, Mode::nearest_away) == 0x3c01);
  CHECK(rne(std::ldexp(1.0, -14) * (1 - std::ldexp(1.0, -12)), f16) == 0x0400);   // rounds up to min normal
  // bf16
  CHECK(rne(3.3895313892515355e38, bf16) == 0x7f7f);
  CHECK(rne(1.0 / 3.0, bf16) == 0x3eab);
  // fp4 E2M1 (finite, saturating): {0, 0.5, 1, 1.5, 2, 3, 4, 6}.
  const double e2m1_vals[] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
  for (Bits b = 0; b < 8; ++b) {
    CHECK(val(b, e2m1) == e2m1_vals[static_cast<std::size_t>(b)]);
    CHECK(val(b | 8, e2m1) == -e2m1_vals[static_cast<std::size_t>(b)]);
    CHECK(!oracle::is_nan(b, e2m1));
  }
  CHECK(rne(100.0, e2m1) == 0x7);
  CHECK(rne(5.0, e2m1) == 0x6);   // tie between 4 (0x6) and 6 (0x7): even significand -> 4
  CHECK(oracle::round(oracle::from_double(5.0), e2m1, Mode::nearest_away) == 0x7);
  CHECK(oracle::round(oracle::from_double(kInf), e2m1, Mode::nearest_even) == 0x7);
  CHECK(oracle::round(oracle::from_double(-kNaN), e2m1, Mode::nearest_even) == 0xf);
  CHECK(oracle::round(oracle::from_double(0.25), e2m1, Mode::nearest_even) == 0x0);
  CHECK(oracle::round(oracle::from_double(0.2), e2m1, Mode::odd) == 0x1);
  // Without subnormals: field 0 is zero; below 2^emin the grid is {0, 2^emin}.
  const Format f16ns{5, 10, Specials::ieee, Overflow::infinity, false};
  CHECK(oracle::decode(0x0001, f16ns).kind == Exact::zero);
  CHECK(oracle::decode(0x8001, f16ns).sign);
  CHECK(rne(std::ldexp(1.0, -15), f16ns) == 0x0000);                        // tie -> 0 (even)
  CHECK(rne(std::ldexp(1.0, -15) * 1.001, f16ns) == 0x0400);
  CHECK(oracle::round(oracle::from_double(std::ldexp(1.0, -20)), f16ns, Mode::up) == 0x0400);
  CHECK(oracle::round(oracle::from_double(-std::ldexp(1.0, -20)), f16ns, Mode::up) == 0x8000);
  // fn with M = 0 (E3M0): the whole top field is NaN; max = 2^(6-3) = 8.
  const Format e3m0{3, 0, Specials::fn, Overflow::nan};
  CHECK(oracle::is_nan(0x7, e3m0));
  CHECK(val(0x6, e3m0) == 8.0);
  CHECK(val(0x1, e3m0) == 0.25);
}

TEST_CASE("zero signs, NaN and infinity rules of the operations", "[oracle][specials]") {
  const Format f = f16;
  const auto d = [](double x) { return oracle::from_double(x); };
  const auto r = [&](const Exact& x, Mode m = Mode::nearest_even) { return oracle::round(x, f, m); };
  CHECK(r(oracle::add(d(1.5), d(-1.5), Mode::nearest_even)) == 0x0000);
  CHECK(r(oracle::add(d(1.5), d(-1.5), Mode::down), Mode::down) == 0x8000);
  CHECK(r(oracle::add(d(-0.0), d(-0.0), Mode::nearest_even)) == 0x8000);
  CHECK(r(oracle::add(d(0.0), d(-0.0), Mode::up), Mode::up) == 0x0000);
  CHECK(r(oracle::add(d(0.0), d(-0.0), Mode::down), Mode::down) == 0x8000);
  CHECK(r(oracle::sub(d(-0.0), d(0.0), Mode::nearest_even)) == 0x8000);
  CHECK(oracle::is_nan(r(oracle::add(d(kInf), d(-kInf), Mode::nearest_even)), f));
  CHECK(oracle::is_nan(r(oracle::mul(d(0.0), d(-kInf))), f));
  CHECK(r(oracle::mul(d(-0.0), d(3.0))) == 0x8000);
  CHECK(r(oracle::div(d(1.0), d(-0.0))) == 0xfc00);
  CHECK(oracle::is_nan(r(oracle::div(d(0.0), d(0.0))), f));
  CHECK(oracle::is_nan(r(oracle::div(d(kInf), d(kInf))), f));
  CHECK(r(oracle::div(d(-1.0), d(kInf))) == 0x8000);
  CHECK(r(oracle::sqrt(d(-0.0))) == 0x8000);
  CHECK(oracle::is_nan(r(oracle::sqrt(d(-1e-300))), f));
  CHECK(r(oracle::sqrt(d(kInf))) == 0x7c00);
  CHECK(oracle::is_nan(r(oracle::fma(d(0.0), d(kInf), d(1.0), Mode::nearest_even)), f));
  CHECK(oracle::is_nan(r(oracle::fma(d(2.0), d(kInf), d(-kInf), Mode::nearest_even)), f));
  CHECK(r(oracle::fma(d(2.0), d(-kInf), d(-kInf), Mode::nearest_even)) == 0xfc00);
  CHECK(r(oracle::fma(d(-0.0), d(2.0), d(0.0), Mode::nearest_even)) == 0x0000);
  CHECK(r(oracle::fma(d(-0.0), d(2.0), d(0.0), Mode::down), Mode::down) == 0x8000);
  CHECK(r(oracle::fma(d(-0.0), d(2.0), d(-0.0), Mode::nearest_even)) == 0x8000);
  CHECK(r(oracle::fma(d(2.0), d(3.0), d(-6.0), Mode::down), Mode::down) == 0x8000);
  CHECK(r(oracle::fma(d(1e-30), d(1e-30), d(-0.0), Mode::nearest_even)) == 0x0000);  // tiny > 0 rounds to +0
  // Operations make positive NaNs; conversions keep the sign.
  CHECK(r(oracle::add(d(-kNaN), d(1.0), Mode::nearest_even)) == 0x7e00);
  CHECK(r(d(-kNaN)) == 0xfe00);
  CHECK(oracle::decode(0xfe01, f).kind == Exact::nan);
  CHECK(oracle::decode(0xfe01, f).sign);
  // Huge exponent differences are exact (E = 15).
  const Format q{15, 112};
  const Exact big = oracle::decode((Bits(0x7ffe) << 112), q), tiny = oracle::decode(1, q);
  const Exact s = oracle::sub(big, tiny, Mode::nearest_even);
  CHECK(oracle::round(s, q, Mode::toward_zero) == ((Bits(0x7ffe) << 112) - 1));
  CHECK(oracle::round(s, q, Mode::nearest_even) == (Bits(0x7ffe) << 112));
  CHECK(oracle::round(oracle::add(big, tiny, Mode::up), q, Mode::up) == ((Bits(0x7ffe) << 112) + 1));
}

TEST_CASE("decoding every code of the 8-bit formats is ordered and symmetric", "[oracle][values]") {
  for (const Format& f : {e4m3fn, e5m2, e4m3, e4m3fnuz, e5m2fnuz, Format{3, 4, Specials::fn, Overflow::saturate}}) {
    double prev = -1;
    for (Bits b = 0; b < (Bits(1) << (f.width() - 1)); ++b) {
      if (oracle::is_nan(b, f)) continue;
      const double v = val(b, f);
      CHECK(v > prev);
      prev = v;
      if (b != 0 && !oracle::is_nan(b | (Bits(1) << (f.width() - 1)), f))
        CHECK(val(b | (Bits(1) << (f.width() - 1)), f) == -v);
      // round(decode(b)) == b in every mode
      for (Mode m : {Mode::nearest_even, Mode::toward_zero, Mode::up, Mode::odd, Mode::stochastic})
        CHECK(oracle::round(oracle::decode(b, f), f, m, 0xffffffffu) == b);
    }
  }
}

TEST_CASE("integer square root agrees with Boost's", "[oracle][sqrt]") {
  std::mt19937_64 rng(seed() + 17u);
  for (int i = 0; i < 3000; ++i) {
    oracle::Int n = 0;
    const int limbs = 1 + static_cast<int>(rng() % 12);
    for (int j = 0; j < limbs; ++j) n = (n << 64) + rng();
    n >>= static_cast<unsigned>(rng() % 64);
    if (i % 3 == 0) {  // perfect squares and neighbours
      n = n >> (limbs * 32);
      n = n * n + static_cast<int>(rng() % 3) - 1;
    }
    if (n < 0) n = 0;
    if (i < 1000) n = i;  // small values
    if (i >= 1000 && i < 1100) {  // around the double-estimate boundary 2^100 and squares of ~2^50
      const oracle::Int m = (oracle::Int(1) << 50) - 50 + (i - 1000);
      n = m * m + (i % 3) - 1;
    }
    oracle::Int r1, r2;
    const oracle::Int s1 = oracle::detail::isqrt(n, r1);
    const oracle::Int s2 = boost::multiprecision::sqrt(n, r2);
    CHECK(s1 == s2);
    CHECK(r1 == r2);
  }
}

TEST_CASE("oracle speed on 16-bit formats", "[.][oracle][bench]") {
  Gen g(f16, 1);
  std::vector<Bits> a(20000), b(a.size()), c(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = g.operand();
    b[i] = g.operand(&a[i]);
    c[i] = g.operand(&b[i]);
  }
  for (const Format& f : {f16, bf16}) {
    for (Op op : {Op::add, Op::mul, Op::div, Op::sqrt, Op::fma}) {
      for (Mode m : {Mode::nearest_even, Mode::stochastic}) {
        const auto t0 = std::chrono::steady_clock::now();
        Bits acc = 0;
        for (int rep = 0; rep < 5; ++rep)
          for (std::size_t i = 0; i < a.size(); ++i)
            acc ^= oracle::round(oracle_op(op, m, a[i], b[i], c[i], f), f, m, static_cast<std::uint32_t>(i));
        const double ns =
            std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() /
            (5.0 * static_cast<double>(a.size()));
        WARN("E" << f.E << "M" << f.M << " " << op_name(op) << " mode " << static_cast<int>(m) << ": " << ns
                 << " ns/op (decode + op + round) " << static_cast<unsigned>(acc & 1));
      }
    }
  }
}
