// Tests for softnum/expansion.hpp against MPFR (exact sums and products, quotients and roots
// rounded at >= 300 bits, far below any bound checked here): error-free transformations,
// relative error bounds of every operation on >= 10^6 random inputs per op and base, adversarial
// cases (cancellation, components at the edge of non-overlap, near overflow, underflow), the
// exact conversions, comparisons and numeric_limits. The oracle reads components by decoding
// their bits here (never through the library), and sums them exactly in MPFR.
//
// The maximum relative error observed per op and base is printed (in units of u^N), e.g.
//   expansion_test "[bounds]"
// prints "max error  double x2  add  2.0312 u^2 (bound 3.0000)".
#include <softnum/softnum.hpp>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <mpfr.h>

using namespace softnum;

namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#  define SOFTNUM_EXP_SANITIZED 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#    define SOFTNUM_EXP_SANITIZED 1
#  endif
#endif
#if defined(__OPTIMIZE__) && !defined(SOFTNUM_EXP_SANITIZED)
constexpr long kScale = 1;
#else
constexpr long kScale = 50;  // -O0 / sanitizer builds: fewer random samples, same cases
#endif
/// n / kScale, or n * SOFTNUM_EXPANSION_SCALE (a factor, e.g. 0.01 for a quick run) when set.
long samples(long n) {
  if (const char* f = std::getenv("SOFTNUM_EXPANSION_SCALE"))
    return std::max(1L, static_cast<long>(static_cast<double>(n) * std::atof(f)));
  return std::max(1L, n / kScale);
}

// ---------------------------------------------------------------------------------------------
// Independent decoding of base values to double (exact for every base used here).
template <class T>
double to_double_exact(T v) {
  if constexpr (std::is_same_v<T, double>) {
    return v;
  } else if constexpr (std::is_same_v<T, float>) {
    return static_cast<double>(v);
  } else {
    // IEEE-style Float<E, M>: sign, biased exponent field, fraction; decoded by hand.
    constexpr int E = T::exponent_bits, M = T::mantissa_bits;
    static_assert(E <= 11 && M <= 52, "test decoder: format must fit in double");
    const auto b = static_cast<std::uint64_t>(v.bits());
    const bool neg = ((b >> (E + M)) & 1) != 0;
    const int field = static_cast<int>((b >> M) & ((std::uint64_t{1} << E) - 1));
    const std::uint64_t frac = b & ((std::uint64_t{1} << M) - 1);
    const int bias = (1 << (E - 1)) - 1;
    double r;
    if (field == (1 << E) - 1) {
      r = frac != 0 ? std::numeric_limits<double>::quiet_NaN()
                    : std::numeric_limits<double>::infinity();
    } else if (field == 0) {
      r = std::ldexp(static_cast<double>(frac), 1 - bias - M);
    } else {
      r = std::ldexp(static_cast<double>(frac | (std::uint64_t{1} << M)), field - bias - M);
    }
    return neg ? -r : r;
  }
}

template <class T>
struct BaseInfo {
  static constexpr int p = std::numeric_limits<T>::digits;
  static constexpr int emax = std::numeric_limits<T>::max_exponent - 1;
  static constexpr int emin = std::numeric_limits<T>::min_exponent - 1;  // smallest normal
  static constexpr int qmin = emin - p + 1;                              // smallest subnormal
};

template <class T>
std::string base_name() {
  if constexpr (std::is_same_v<T, double>) return "double";
  if constexpr (std::is_same_v<T, float>) return "float";
  if constexpr (std::is_same_v<T, binary16>) return "binary16";
  if constexpr (std::is_same_v<T, bfloat16>) return "bfloat16";
  return "T";
}
template <class E>
std::string name() {
  return base_name<typename E::value_type>() + " x" + std::to_string(E::components);
}

/// Builds the T value (-1)^neg * sig * 2^exp (rounded to nearest where it does not fit).
template <class T>
T make(bool neg, std::uint64_t sig, int exp) {
  if (sig == 0) return T{};
  const double d = std::ldexp(static_cast<double>(sig), exp);  // callers keep sig <= 2^53
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, float>) {
    return static_cast<T>(neg ? -d : d);
  } else {
    return T(neg ? -d : d);
  }
}

// ---------------------------------------------------------------------------------------------
// MPFR oracle.
struct Mp {
  mpfr_t v;
  explicit Mp(mpfr_prec_t prec) { mpfr_init2(v, prec); }
  ~Mp() { mpfr_clear(v); }
  Mp(const Mp&) = delete;
  Mp& operator=(const Mp&) = delete;
};

template <class E>
constexpr mpfr_prec_t oracle_prec() {
  return std::max<mpfr_prec_t>(320, 4 * E::digits + 64);
}

/// out = exact sum of the components (exact while they span fewer bits than out's precision;
/// otherwise rounded at that precision, far below the bounds).
template <class E>
void to_mp(mpfr_t out, const E& e, mpfr_t tmp) {
  mpfr_set_zero(out, 1);
  for (int i = 0; i < E::components; ++i) {
    mpfr_set_d(tmp, to_double_exact(e.x[i]), MPFR_RNDN);
    mpfr_add(out, out, tmp, MPFR_RNDN);
  }
}

/// |got - exact| / |exact|, and whether the result is finite.
struct Err {
  double rel;      // relative error (inf when exact == 0 and got != 0)
  double abs_err;  // absolute error
  double exact;    // exact value, rounded to double
  bool finite;
};

template <class E>
Err error_of(const E& got, mpfr_t exact, mpfr_t g, mpfr_t d, mpfr_t tmp) {
  Err r{};
  r.finite = std::isfinite(to_double_exact(got.x[0]));
  for (int i = 1; i < E::components; ++i)
    r.finite = r.finite && std::isfinite(to_double_exact(got.x[i]));
  r.exact = mpfr_get_d(exact, MPFR_RNDN);
  if (!r.finite) {
    r.rel = r.abs_err = std::numeric_limits<double>::infinity();
    return r;
  }
  to_mp(g, got, tmp);
  mpfr_sub(d, g, exact, MPFR_RNDN);
  mpfr_abs(d, d, MPFR_RNDN);
  r.abs_err = mpfr_get_d(d, MPFR_RNDU);
  if (mpfr_zero_p(exact)) {
    r.rel = mpfr_zero_p(d) ? 0.0 : std::numeric_limits<double>::infinity();
  } else {
    mpfr_div(d, d, exact, MPFR_RNDN);
    mpfr_abs(d, d, MPFR_RNDN);
    r.rel = mpfr_get_d(d, MPFR_RNDU);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Random expansions.
template <class E>
struct Gen {
  using T = typename E::value_type;
  static constexpr int p = BaseInfo<T>::p;
  std::mt19937_64 rng;
  explicit Gen(std::uint64_t seed) : rng(seed) {}

  std::uint64_t bits(int n) { return n >= 64 ? rng() : (rng() & ((std::uint64_t{1} << n) - 1)); }
  int uniform(int lo, int hi) {
    return lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool coin(int one_in) { return rng() % static_cast<std::uint64_t>(one_in) == 0; }

  /// A random p-bit significand (sometimes with trailing zeros, sometimes all ones).
  std::uint64_t sig() {
    const int kind = uniform(0, 9);
    std::uint64_t s = bits(p - 1) | (std::uint64_t{1} << (p - 1));
    if (kind == 0) s &= ~((std::uint64_t{1} << uniform(0, p - 1)) - 1);  // trailing zeros
    if (kind == 1) s = (std::uint64_t{1} << p) - 1;                      // all ones
    if (kind == 2) s = std::uint64_t{1} << (p - 1);                      // power of two
    return s;
  }

  /// A random expansion whose leading component has its leading bit at 2^e.
  E value(int e, bool neg) {
    T c[E::components] = {};
    c[0] = make<T>(neg, sig(), e - p + 1);
    int top = e;
    for (int i = 1; i < E::components; ++i) {
      int gap = 0;
      const int g = uniform(0, 15);
      if (g >= 12) gap = uniform(1, 3);
      if (g == 11) gap = uniform(1, 3 * p);
      top = top - p - gap;
      if (coin(10)) {
        c[i] = T{};
        continue;
      }
      c[i] = make<T>(coin(2), sig(), top - p + 1);
    }
    E r;
    if constexpr (E::components == 2) {
      r = E(c[0], c[1]);
    } else if constexpr (E::components == 3) {
      r = E(c[0], c[1], c[2]);
    } else {
      r = E(c[0], c[1], c[2], c[3]);
    }
    return r;
  }
  E value(int e) { return value(e, coin(2)); }
};

// ---------------------------------------------------------------------------------------------
// Operations under test and their exact counterparts.
enum class Op { add, sub, add_fp, mul, mul_fp, div, div_fp, sqrt };
const char* op_name(Op op) {
  switch (op) {
    case Op::add:
      return "add";
    case Op::sub:
      return "sub";
    case Op::add_fp:
      return "add_fp";
    case Op::mul:
      return "mul";
    case Op::mul_fp:
      return "mul_fp";
    case Op::div:
      return "div";
    case Op::div_fp:
      return "div_fp";
    case Op::sqrt:
      return "sqrt";
  }
  return "?";
}
constexpr Op kOps[] = {Op::add,    Op::sub, Op::add_fp, Op::mul,
                       Op::mul_fp, Op::div, Op::div_fp, Op::sqrt};

template <class E>
double bound(Op op) {
  switch (op) {
    case Op::add:
    case Op::sub:
      return E::add_error_bound;
    case Op::add_fp:
      return E::add_fp_error_bound;
    case Op::mul:
      return E::mul_error_bound;
    case Op::mul_fp:
      return E::mul_fp_error_bound;
    case Op::div:
      return E::div_error_bound;
    case Op::div_fp:
      return E::div_fp_error_bound;
    case Op::sqrt:
      return E::sqrt_error_bound;
  }
  return 0;
}

template <class E>
E compute(Op op, const E& a, const E& b) {
  using T = typename E::value_type;
  const T b0 = b.x[0];
  switch (op) {
    case Op::add:
      return a + b;
    case Op::sub:
      return a - b;
    case Op::add_fp:
      return a + b0;
    case Op::mul:
      return a * b;
    case Op::mul_fp:
      return a * b0;
    case Op::div:
      return a / b;
    case Op::div_fp:
      return a / b0;
    case Op::sqrt:
      return sqrt(a);
  }
  return E{};
}

bool single_operand_fp(Op op) { return op == Op::add_fp || op == Op::mul_fp || op == Op::div_fp; }

/// exact = op(a, b) at the oracle's precision (b: its leading component only for the _fp ops).
template <class E>
void exact_of(Op op, const E& a, const E& b, mpfr_t out, mpfr_t ma, mpfr_t mb, mpfr_t tmp) {
  to_mp(ma, a, tmp);
  if (single_operand_fp(op)) {
    mpfr_set_d(mb, to_double_exact(b.x[0]), MPFR_RNDN);
  } else {
    to_mp(mb, b, tmp);
  }
  switch (op) {
    case Op::add:
    case Op::add_fp:
      mpfr_add(out, ma, mb, MPFR_RNDN);
      break;
    case Op::sub:
      mpfr_sub(out, ma, mb, MPFR_RNDN);
      break;
    case Op::mul:
    case Op::mul_fp:
      mpfr_mul(out, ma, mb, MPFR_RNDN);
      break;
    case Op::div:
    case Op::div_fp:
      mpfr_div(out, ma, mb, MPFR_RNDN);
      break;
    case Op::sqrt:
      mpfr_sqrt(out, ma, MPFR_RNDN);
      break;
  }
}

/// Operands whose result lies in the full-precision range (format card), per op.
template <class E>
bool draw_in_range(Gen<E>& g, Op op, E& a, E& b) {
  using I = BaseInfo<typename E::value_type>;
  const int fm = E::full_range_min_exponent, em = I::emax;
  switch (op) {
    case Op::add:
    case Op::sub:
    case Op::add_fp: {
      // Any magnitude (additions keep their bound through underflow); often close exponents
      // and opposite signs, for cancellation.
      const int ea = g.uniform(I::emin, em - 2);
      const int eb = g.coin(3) ? ea - g.uniform(0, 2) : g.uniform(I::emin, em - 2);
      a = g.value(ea);
      b = g.value(eb);
      if (g.coin(4)) {  // b close to -a (op add) or a (op sub): massive cancellation
        b = g.value(ea, !(a.x[0] < typename E::value_type{}) == (op != Op::sub));
        if (g.coin(2)) b.x[0] = op == Op::sub ? a.x[0] : -a.x[0];
      }
      return true;
    }
    case Op::mul:
    case Op::mul_fp: {
      const int ep = g.uniform(fm + 1, em - 2);
      const int lo = std::max(fm + 1 - em, ep - em + 2), hi = std::min(em - 2, ep - fm - 1);
      if (lo > hi) return false;
      const int ea = g.uniform(std::max(lo, ep - hi), std::min(hi, ep - lo));
      a = g.value(ea);
      b = g.value(ep - ea);
      return true;
    }
    case Op::div:
    case Op::div_fp: {
      const int ea = g.uniform(fm + 1, em - 2);
      const int eq = g.uniform(fm + 2, em - 2);
      const int eb = ea - eq;
      if (eb < I::emin + 1 || eb > em - 2) return false;
      a = g.value(ea);
      b = g.value(eb);
      return true;
    }
    case Op::sqrt: {
      a = g.value(g.uniform(fm + 1, em - 2), false);
      b = a;
      return true;
    }
  }
  return false;
}

struct Stats {
  double max_rel = 0;
  long failures = 0;
  long count = 0;
  std::string first;
};

template <class E>
std::string describe(const E& a, const E& b) {
  std::ostringstream s;
  s.precision(17);
  s << "a = (";
  for (int i = 0; i < E::components; ++i) s << (i ? ", " : "") << to_double_exact(a.x[i]);
  s << ") b = (";
  for (int i = 0; i < E::components; ++i) s << (i ? ", " : "") << to_double_exact(b.x[i]);
  s << ")";
  return s.str();
}

/// n random in-range samples of op, split over the hardware threads; every relative error must
/// be within the documented bound.
template <class E>
Stats run_bounds(Op op, long n, std::uint64_t seed) {
  const unsigned threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  std::vector<Stats> part(threads);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      Gen<E> g(seed * 1000003 + t);
      constexpr mpfr_prec_t P = oracle_prec<E>();
      Mp ex(P), ma(P), mb(P), tmp(P), gg(P), d(P);
      Stats& s = part[t];
      const double bnd = bound<E>(op);
      const long mine =
          n / static_cast<long>(threads) + (t == 0 ? n % static_cast<long>(threads) : 0);
      while (s.count < mine) {
        E a, b;
        if (!draw_in_range(g, op, a, b)) continue;
        ++s.count;
        const E r = compute(op, a, b);
        exact_of(op, a, b, ex.v, ma.v, mb.v, tmp.v);
        const Err e = error_of(r, ex.v, gg.v, d.v, tmp.v);
        if (mpfr_zero_p(ex.v) && e.rel == 0) continue;
        s.max_rel = std::max(s.max_rel, e.rel);
        if (!(e.rel <= bnd)) {
          if (s.failures++ == 0) {
            std::ostringstream m;
            m.precision(6);
            m << op_name(op) << ": " << describe(a, b) << " rel error " << e.rel / E::bound_unit
              << " u^N > bound " << bnd / E::bound_unit;
            s.first = m.str();
          }
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  Stats all;
  for (const Stats& s : part) {
    all.max_rel = std::max(all.max_rel, s.max_rel);
    all.count += s.count;
    if (s.failures > 0 && all.failures == 0) all.first = s.first;
    all.failures += s.failures;
  }
  return all;
}

std::mutex g_print;
template <class E>
void report(const char* what, Op op, const Stats& s) {
  const std::lock_guard<std::mutex> lock(g_print);
  std::printf("max error  %-12s %-7s %-9s %9.4f u^%d (bound %8.4f)  [%ld samples]\n",
              name<E>().c_str(), what, op_name(op), s.max_rel / E::bound_unit, E::components,
              bound<E>(op) / E::bound_unit, s.count);
  std::fflush(stdout);
}

}  // namespace

// =============================================================================================
TEMPLATE_TEST_CASE("error-free transformations are exact", "[expansion][eft]", double, float,
                   binary16, bfloat16) {
  using T = TestType;
  using E = Expansion<T, 2>;
  Gen<E> g(11);
  Mp a(400), b(400), s(400), t(400);
  long bad_sum = 0, bad_fast = 0, bad_prod = 0;
  using I = BaseInfo<T>;
  for (long i = 0; i < samples(200000); ++i) {
    const T x = make<T>(g.coin(2), g.sig(), g.uniform(I::emin - I::p + 1, I::emax - I::p - 1));
    const T y = make<T>(g.coin(2), g.sig(), g.uniform(I::emin - I::p + 1, I::emax - I::p - 1));
    const auto check = [&](Eft<T> r, bool product) {
      mpfr_set_d(a.v, to_double_exact(x), MPFR_RNDN);
      mpfr_set_d(b.v, to_double_exact(y), MPFR_RNDN);
      if (product) {
        mpfr_mul(s.v, a.v, b.v, MPFR_RNDN);
      } else {
        mpfr_add(s.v, a.v, b.v, MPFR_RNDN);
      }
      mpfr_set_d(a.v, to_double_exact(r.value), MPFR_RNDN);
      mpfr_set_d(b.v, to_double_exact(r.error), MPFR_RNDN);
      mpfr_add(t.v, a.v, b.v, MPFR_RNDN);
      return mpfr_equal_p(s.v, t.v) != 0;
    };
    if (!check(two_sum(x, y), false)) ++bad_sum;
    const bool ordered = std::fabs(to_double_exact(x)) >= std::fabs(to_double_exact(y));
    if (!check(ordered ? fast_two_sum(x, y) : fast_two_sum(y, x), false)) ++bad_fast;
    // TwoProd is exact when the product's error is representable: e_x + e_y >= emin + p - 1.
    const double px = std::fabs(to_double_exact(x) * to_double_exact(y));
    const double ax = std::fabs(to_double_exact(x)), ay = std::fabs(to_double_exact(y));
    if (px < to_double_exact(std::numeric_limits<T>::max()) &&
        std::ilogb(ax) + std::ilogb(ay) >= I::emin + I::p - 1 && !check(two_prod(x, y), true)) {
      ++bad_prod;
    }
  }
  CHECK(bad_sum == 0);
  CHECK(bad_fast == 0);
  CHECK(bad_prod == 0);
}

TEST_CASE("error-free transformations in constant evaluation", "[expansion][eft][constexpr]") {
  constexpr Eft<double> s = two_sum(1.0, 0x1p-60);
  static_assert(s.value == 1.0 && s.error == 0x1p-60);
  constexpr Eft<double> f = fast_two_sum(1.0, -0x1p-60);
  static_assert(f.value == 1.0 && f.error == -0x1p-60);
  constexpr Eft<double> p = two_prod(1.0 + 0x1p-30, 1.0 + 0x1p-30);
  static_assert(p.value == 1.0 + 0x1p-29 && p.error == 0x1p-60);
  constexpr double_double third = double_double(1.0) / double_double(3.0);
  static_assert(third.x[0] == 1.0 / 3.0);
  constexpr quad_double root2 = sqrt(quad_double(2.0));
  static_assert(root2.x[0] == 1.4142135623730951);
  constexpr Expansion<binary16, 2> h = Expansion<binary16, 2>(binary16(1.0)) / binary16(3.0);
  static_assert(h.x[0] == binary16(1.0 / 3.0));
  STATIC_REQUIRE(std::is_trivially_copyable_v<double_double>);
  STATIC_REQUIRE(sizeof(quad_double) == 4 * sizeof(double));
}

// ---------------------------------------------------------------------------------------------
TEMPLATE_TEST_CASE("every operation within its documented relative error bound",
                   "[expansion][bounds]", (Expansion<double, 2>), (Expansion<float, 2>),
                   (Expansion<binary16, 2>), (Expansion<bfloat16, 2>), (Expansion<double, 3>),
                   (Expansion<double, 4>)) {
  using E = TestType;
  const long n = samples(1000000);
  std::uint64_t seed = 1;
  for (Op op : kOps) {
    const Stats s = run_bounds<E>(op, n, seed++);
    report<E>("random", op, s);
    INFO(name<E>() << " " << op_name(op) << ": " << s.first);
    CHECK(s.failures == 0);
  }
}

TEMPLATE_TEST_CASE("larger random samples", "[.exhaustive][expansion][bounds]",
                   (Expansion<double, 2>), (Expansion<float, 2>), (Expansion<binary16, 2>),
                   (Expansion<bfloat16, 2>), (Expansion<double, 3>), (Expansion<double, 4>)) {
  using E = TestType;
  std::uint64_t seed = 1000;
  for (Op op : kOps) {
    const Stats s = run_bounds<E>(op, samples(30000000), seed++);
    report<E>("large", op, s);
    INFO(name<E>() << " " << op_name(op) << ": " << s.first);
    CHECK(s.failures == 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Adversarial cases: cancellation, components at the edge of non-overlap, powers of two with a
// negative tail, near overflow. Every result within its bound, or, for results that overflow,
// an infinity (never a NaN from finite operands).
namespace {

template <class E>
std::vector<E> edge_values() {
  using T = typename E::value_type;
  using I = BaseInfo<T>;
  std::vector<E> v;
  const int p = I::p;
  for (int e : {0, 1, -1, 7, I::emax / 2, E::full_range_min_exponent + p, I::emax - 1, I::emax}) {
    const T one = make<T>(false, 1, e);                  // 2^e
    const T half_ulp = make<T>(false, 1, e - p);         // ulp(2^e) / 2
    const T quarter_ulp = make<T>(false, 1, e - p - 1);  // ulp(2^e) / 4, = ulp below 2^e / 2
    const T odd = make<T>(false, (std::uint64_t{1} << p) - 1, e - p + 1);  // 2^(e+1) - ulp
    for (T lo : {T{}, half_ulp, -half_ulp, quarter_ulp, -quarter_ulp, make<T>(false, 3, e - p - 2),
                 make<T>(true, (std::uint64_t{1} << p) - 1, e - 2 * p)}) {
      for (T hi : {one, odd}) {
        if constexpr (E::components == 2) {
          v.push_back(E(hi, lo));
          v.push_back(E(-hi, -lo));
        } else {
          v.push_back(E(hi, lo, make<T>(true, 1, e - 2 * p - 1)));
          v.push_back(E(-hi, -lo));
        }
      }
    }
  }
  return v;
}

template <class E>
void check_pairs(const std::vector<E>& xs, const std::vector<E>& ys, long& checked, long& failures,
                 std::string& first, double& worst) {
  constexpr mpfr_prec_t P = oracle_prec<E>();
  Mp ex(P), ma(P), mb(P), tmp(P), gg(P), d(P);
  const double big = to_double_exact(std::numeric_limits<typename E::value_type>::max());
  for (const E& a : xs) {
    if (!std::isfinite(to_double_exact(a.x[0]))) continue;
    for (const E& b : ys) {
      if (!std::isfinite(to_double_exact(b.x[0]))) continue;
      for (Op op : kOps) {
        if (op == Op::sqrt && !(to_double_exact(a.x[0]) > 0)) continue;
        if ((op == Op::div || op == Op::div_fp) && to_double_exact(b.x[0]) == 0) continue;
        const E r = compute(op, a, b);
        exact_of(op, a, b, ex.v, ma.v, mb.v, tmp.v);
        const double mag = std::fabs(mpfr_get_d(ex.v, MPFR_RNDN));
        const long ex2 =
            mpfr_zero_p(ex.v) ? 0 : static_cast<long>(mpfr_get_exp(ex.v)) - 1;  // leading bit
        const bool in_range =
            mpfr_zero_p(ex.v) ||
            (ex2 >= E::full_range_min_exponent + 1 &&
             mag <= big * (1 - std::ldexp(1.0, -BaseInfo<typename E::value_type>::p + 2)));
        const bool overflows =
            !mpfr_zero_p(ex.v) &&
            mag >= big * (1 + std::ldexp(1.0, 1 - BaseInfo<typename E::value_type>::p));
        const Err e = error_of(r, ex.v, gg.v, d.v, tmp.v);
        ++checked;
        const double x0 = to_double_exact(r.x[0]);
        bool ok = true;
        if (std::isnan(x0)) ok = false;  // finite operands never give NaN
        if (in_range && !(e.rel <= bound<E>(op))) ok = false;
        if (overflows && !std::isinf(x0)) ok = false;  // overflow gives an infinity
        if (!ok && failures++ == 0) {
          std::ostringstream m;
          m << op_name(op) << ": " << describe(a, b) << " rel " << e.rel / E::bound_unit
            << " u^N, result " << x0;
          first = m.str();
        }
        if (in_range && !mpfr_zero_p(ex.v)) worst = std::max(worst, e.rel / bound<E>(op));
      }
    }
  }
}

}  // namespace

TEMPLATE_TEST_CASE("adversarial operands", "[expansion][adversarial]", (Expansion<double, 2>),
                   (Expansion<float, 2>), (Expansion<binary16, 2>), (Expansion<bfloat16, 2>),
                   (Expansion<double, 3>), (Expansion<double, 4>)) {
  using E = TestType;
  const std::vector<E> v = edge_values<E>();
  long checked = 0, failures = 0;
  double worst = 0;
  std::string first;
  check_pairs(v, v, checked, failures, first, worst);
  // Near-cancelling pairs: a and -(a + tiny perturbation of each component).
  Gen<E> g(77);
  std::vector<E> xs, ys;
  for (int i = 0; i < 300; ++i) {
    const E a = g.value(g.uniform(-3, 3));
    E b = -a;
    b.x[E::components - 1] =
        b.x[E::components - 1] +
        make<typename E::value_type>(
            g.coin(2), 1,
            -2 * BaseInfo<typename E::value_type>::p * (E::components - 1) - g.uniform(0, 5));
    xs.push_back(a);
    ys.push_back(E(b.x[0]) + b);  // renormalised
  }
  check_pairs(xs, ys, checked, failures, first, worst);
  std::printf("adversarial %-12s %ld checks, worst error %.3f of the bound\n", name<E>().c_str(),
              checked, worst);
  INFO(first);
  CHECK(failures == 0);
}

// ---------------------------------------------------------------------------------------------
// Outside the full-precision range: graceful degradation. Operands anywhere in T's range
// (subnormal components included), results that do not overflow: never NaN, and the absolute
// error within the relative bound plus a few units of T's smallest subnormal (scaled by the
// divisor or root for / and sqrt, whose corrections divide by it).
TEMPLATE_TEST_CASE("underflow range degrades gracefully", "[expansion][range]",
                   (Expansion<double, 2>), (Expansion<float, 2>), (Expansion<binary16, 2>),
                   (Expansion<bfloat16, 2>), (Expansion<double, 4>)) {
  using E = TestType;
  using T = typename E::value_type;
  using I = BaseInfo<T>;
  Gen<E> g(5);
  constexpr mpfr_prec_t P = oracle_prec<E>();
  Mp ex(P), ma(P), mb(P), tmp(P), gg(P), d(P);
  const double qmin = std::ldexp(1.0, I::qmin);
  const double big = to_double_exact(std::numeric_limits<T>::max());
  long failures = 0, checked = 0;
  double worst_units = 0;  // excess error over the relative bound, in units of 2^qmin
  std::string first;
  for (long i = 0; i < samples(200000); ++i) {
    const Op op = kOps[static_cast<std::size_t>(g.uniform(0, 7))];
    const int lo = I::emin - I::p + 1;
    E a = g.value(g.uniform(lo, E::full_range_min_exponent + 2 * I::p),
                  op == Op::sqrt ? false : g.coin(2));
    E b = g.value(g.uniform(lo, std::min(I::emax - 2, E::full_range_min_exponent + 2 * I::p)));
    if (g.coin(4)) b = g.value(g.uniform(lo, I::emax - 2));
    if ((op == Op::div || op == Op::div_fp) && to_double_exact(b.x[0]) == 0) continue;
    const E r = compute(op, a, b);
    exact_of(op, a, b, ex.v, ma.v, mb.v, tmp.v);
    const double mag = std::fabs(mpfr_get_d(ex.v, MPFR_RNDN));
    if (mag > big / 2) continue;
    const Err e = error_of(r, ex.v, gg.v, d.v, tmp.v);
    ++checked;
    double scale = 1;
    if (op == Op::div || op == Op::div_fp) scale += 1 / std::fabs(to_double_exact(b.x[0]));
    const double allowed = bound<E>(op) * mag + 4 * qmin * scale;
    const bool ok = e.finite && e.abs_err <= allowed;
    if (e.finite) worst_units = std::max(worst_units, (e.abs_err - bound<E>(op) * mag) / qmin);
    if (!ok && failures++ == 0) {
      std::ostringstream m;
      m << op_name(op) << ": " << describe(a, b) << " abs error " << e.abs_err << " > " << allowed;
      first = m.str();
    }
  }
  std::printf("underflow   %-12s %ld checks, worst excess %.3f x 2^qmin\n", name<E>().c_str(),
              checked, worst_units);
  INFO(first);
  CHECK(failures == 0);
}

// ---------------------------------------------------------------------------------------------
// Special values and overflow.
TEMPLATE_TEST_CASE("special values and overflow", "[expansion][special]", (Expansion<double, 2>),
                   (Expansion<binary16, 2>), (Expansion<double, 4>)) {
  using E = TestType;
  using T = typename E::value_type;
  const E inf = std::numeric_limits<E>::infinity(), nan = std::numeric_limits<E>::quiet_NaN();
  const E one(T(1.0)), zero{}, mzero(-T{});
  const E big = std::numeric_limits<E>::max();
  CHECK(isinf(one / zero));
  CHECK(isnan(zero / zero));
  CHECK(isnan(inf - inf));
  CHECK(isinf(inf + one));
  CHECK(isnan(nan * one));
  CHECK(isnan(sqrt(-one)));
  CHECK(signbit(sqrt(mzero)));
  CHECK(signbit(mzero * one));
  CHECK(signbit(mzero + mzero));
  CHECK(!signbit(one - one));
  CHECK(isinf(big + big));
  CHECK(isinf(big * T(2.0)));
  CHECK(isinf(big * big));
  CHECK(isinf(-big - big));
  CHECK(signbit(-big - big));
  CHECK(isinf(big / T(0.5)));
  CHECK(isfinite(big * T(0.5)));
  CHECK(isfinite(big - one));
  CHECK(isfinite(sqrt(big)));
  CHECK((big > one));
  CHECK((-big < one));
  CHECK(!(nan == nan));
  CHECK(!(nan < one));
  CHECK(!(nan > one));
  CHECK((one == E(T(1.0))));
}

// ---------------------------------------------------------------------------------------------
// Conversions: the exact sum rounded once (checked with directed modes, which expose a wrong
// sticky bit), and the nearest expansion to a wider value.
TEMPLATE_TEST_CASE("conversions round the exact sum once", "[expansion][conversion]",
                   (Expansion<double, 2>), (Expansion<float, 2>), (Expansion<binary16, 2>),
                   (Expansion<double, 4>)) {
  using E = TestType;
  using T = typename E::value_type;
  Gen<E> g(9);
  Mp ex(4000), tmp(4000), r(53);
  long bad = 0;
  std::string first;
  for (long i = 0; i < samples(100000); ++i) {
    E a = g.value(g.uniform(-200, 200 < BaseInfo<T>::emax - 2 ? 200 : BaseInfo<T>::emax - 2));
    // Components far apart (beyond 128 bits), unnormalised on purpose for some.
    if (g.coin(3))
      a.x[E::components - 1] =
          make<T>(g.coin(2), g.sig(), BaseInfo<T>::emin - BaseInfo<T>::p + 1 + g.uniform(0, 20));
    if (g.coin(5)) a.x[1] = make<T>(g.coin(2), g.sig(), g.uniform(-40, 40));
    mpfr_set_zero(ex.v, 1);
    for (int k = 0; k < E::components; ++k) {
      mpfr_set_d(tmp.v, to_double_exact(a.x[k]), MPFR_RNDN);
      mpfr_add(ex.v, ex.v, tmp.v, MPFR_RNDN);  // exact at 4000 bits
    }
    const struct {
      mpfr_rnd_t m;
      double got;
    } cases[] = {{MPFR_RNDN, convert<double>(a)},
                 {MPFR_RNDZ, convert<double, Round::toward_zero>(a)},
                 {MPFR_RNDU, convert<double, Round::up>(a)},
                 {MPFR_RNDD, convert<double, Round::down>(a)}};
    for (const auto& c : cases) {
      mpfr_set(r.v, ex.v, c.m);
      const double want = mpfr_get_d(r.v, MPFR_RNDN);
      if (!(want == c.got) && !(want == 0 && c.got == 0)) {
        if (bad++ == 0) {
          std::ostringstream m;
          m.precision(17);
          m << describe(a, a) << " mode " << static_cast<int>(c.m) << " got " << c.got << " want "
            << want;
          first = m.str();
        }
      }
    }
    // Round trip through the nearest expansion: converting the exact double back is exact.
    const double dv = convert<double>(a);
    if (convert<double>(E(dv)) != dv) ++bad;
  }
  INFO(first);
  CHECK(bad == 0);
  // Nearest expansion of a wider value: 1/3 in binary128 -> double_double is (RN(1/3), RN(rest)).
  const binary128 third = binary128(1) / binary128(3);
  const double_double dd(third);
  CHECK(dd.x[0] == 1.0 / 3.0);
  CHECK(dd.x[1] == static_cast<double>(third - binary128(dd.x[0])));
  // Integers and other formats.
  CHECK(convert<int>(double_double(2.5) + 0x1p-80) == 3);
  CHECK(double_double(std::int64_t{9007199254740993}).x[1] == 1.0);
  CHECK(convert<binary16>(Expansion<binary16, 2>(binary16(1.0), binary16(0x1p-12))) ==
        binary16(1.0));
  CHECK(convert<binary16, Round::up>(Expansion<binary16, 2>(binary16(1.0), binary16(0x1p-20))) ==
        nextafter(binary16(1.0), binary16(2.0)));
}

TEST_CASE("comparisons follow the exact values", "[expansion][compare]") {
  Gen<quad_double> g(3);
  Gen<double_double> h(4);
  for (int i = 0; i < 20000; ++i) {
    const quad_double a = g.value(g.uniform(-3, 3));
    quad_double b = g.coin(2) ? a : g.value(g.uniform(-3, 3));
    if (g.coin(3)) b = a + quad_double(0x1p-200) * a;
    const double_double c = h.value(h.uniform(-3, 3));
    const double_double d = h.coin(3) ? c + double_double(0x1p-100) * c : h.value(h.uniform(-3, 3));
    Mp ma(2000), mb(2000), t(2000);
    to_mp(ma.v, a, t.v);
    to_mp(mb.v, b, t.v);
    const int want = mpfr_cmp(ma.v, mb.v);
    REQUIRE((a < b) == (want < 0));
    REQUIRE((a == b) == (want == 0));
    REQUIRE((a > b) == (want > 0));
    to_mp(ma.v, c, t.v);
    to_mp(mb.v, d, t.v);
    const int want2 = mpfr_cmp(ma.v, mb.v);
    REQUIRE((c < d) == (want2 < 0));
    REQUIRE((c == d) == (want2 == 0));
    REQUIRE((c >= d) == (want2 >= 0));
  }
}

TEST_CASE("numeric_limits", "[expansion][limits]") {
  using L = std::numeric_limits<double_double>;
  STATIC_REQUIRE(L::digits == 106);
  STATIC_REQUIRE(std::numeric_limits<quad_double>::digits == 212);
  STATIC_REQUIRE(std::numeric_limits<Expansion<binary16, 2>>::digits == 22);
  // As QD's dd_real: max = (DBL_MAX, 2^970 - 2^917), min (full precision) = 2^-968.
  CHECK(L::max().x[0] == std::numeric_limits<double>::max());
  CHECK(L::max().x[1] == 0x1p970 - 0x1p917);
  CHECK(L::min().x[0] == 0x1p-968);
  CHECK(L::epsilon().x[0] == 0x1p-105);
  CHECK(std::numeric_limits<Expansion<binary16, 2>>::min().x[0] == binary16(0.25));
  CHECK(std::numeric_limits<Expansion<binary16, 2>>::max().x[0] == binary16(65504.0));
  CHECK(std::numeric_limits<Expansion<binary16, 2>>::max().x[1] == binary16(16.0 - 0x1p-7));
  CHECK(convert<double>(L::max()) == std::numeric_limits<double>::max());
  CHECK(std::isinf(static_cast<double>((L::max() + L::max()).x[0])));
}

TEST_CASE("GEMM-style accumulation in Expansion<binary16, 2>", "[expansion][accumulate]") {
  // Summing binary16 products into Expansion<binary16,2> keeps ~22 bits while the sum stays in
  // [2^-2, 65504]; plain binary16 accumulation loses most of them.
  using A = Expansion<binary16, 2>;
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> dist(0.5, 1.0);
  A acc{};
  binary16 plain{};
  double exact = 0;
  for (int i = 0; i < 1000; ++i) {
    const binary16 a(dist(rng)), b(dist(rng));
    const A prod = A(a) * b;  // exact: 22 bits
    acc = acc + prod;
    plain = plain + a * b;
    exact += static_cast<double>(a) * static_cast<double>(b);
  }
  const double got = static_cast<double>(acc);
  INFO("exact " << exact << " expansion " << got << " binary16 " << static_cast<double>(plain));
  CHECK(std::fabs(got - exact) <= exact * 0x1p-19);
  CHECK(std::fabs(static_cast<double>(plain) - exact) > exact * 0x1p-10);
}

// ---------------------------------------------------------------------------------------------
// Printing: the exact sum's digits, checked against MPFR's correctly rounded digits.
TEMPLATE_TEST_CASE("printing gives the exact sum's digits", "[expansion][io]",
                   (Expansion<double, 2>), (Expansion<double, 4>), (Expansion<binary16, 2>)) {
  using E = TestType;
  Gen<E> g(21);
  Mp v(4000), t(4000);
  long bad = 0;
  std::string first;
  for (long i = 0; i < samples(20000); ++i) {
    E a = g.value(g.uniform(std::max(-60, BaseInfo<typename E::value_type>::emin),
                            std::min(60, BaseInfo<typename E::value_type>::emax - 1)));
    if (to_double_exact(a.x[0]) == 0) continue;
    const int n = g.uniform(1, 80);
    to_mp(v.v, a, t.v);
    mpfr_exp_t e10 = 0;
    char* ds = mpfr_get_str(nullptr, &e10, 10, static_cast<std::size_t>(n), v.v, MPFR_RNDN);
    std::string want(ds);
    mpfr_free_str(ds);
    const bool neg = want[0] == '-';
    if (neg) want.erase(0, 1);
    // Our string: strip sign, point, exponent; compare digits and decimal exponent.
    const std::string got_s = to_string(a, n);
    std::string got_digits;
    long got_exp = 0;
    const std::size_t epos = got_s.find('e');
    const std::string mant = got_s.substr(0, epos);
    if (epos != std::string::npos) got_exp = std::stol(got_s.substr(epos + 1));
    long point = -1, lead_zeros = 0;
    bool seen = false;
    for (char ch : mant) {
      if (ch == '-') continue;
      if (ch == '.') {
        point = static_cast<long>(got_digits.size()) + lead_zeros;
        continue;
      }
      if (!seen && ch == '0' && epos == std::string::npos) {
        ++lead_zeros;
        continue;
      }
      seen = true;
      got_digits.push_back(ch);
    }
    if (point < 0) point = static_cast<long>(got_digits.size()) + lead_zeros;
    const long got_e10 = epos != std::string::npos ? got_exp + 1 : point - lead_zeros;
    if (got_digits != want || got_e10 != static_cast<long>(e10) || (got_s[0] == '-') != neg) {
      if (bad++ == 0) first = got_s + " vs 0." + want + "e" + std::to_string(e10);
    }
  }
  INFO(first);
  CHECK(bad == 0);
  std::ostringstream os;
  os << double_double(1.0) / 3.0;
  CHECK(os.str() == "0.333333333333333333333333333333332");
  CHECK(to_string(double_double(0.1)) == "0.100000000000000005551115123125783");
  CHECK(to_string(-quad_double(0.0)) == "-0");
  CHECK(to_string(std::numeric_limits<double_double>::infinity()) == "inf");
  const auto r = from_string<double_double>("0.1");
  REQUIRE(r.ok());
  CHECK(r.value.x[0] == 0.1);
  CHECK(r.value.x[1] == -5.551115123125783e-18);
  CHECK(!from_string<quad_double>("0.1x").ok());
}
