// Tests of softnum::Fixed against the independent oracle in tests/oracle/fixed_oracle.hpp:
// exhaustive over every format of at most 8 bits (every split, every op, every rounding mode, both
// overflow policies), random and edge cases for 16- to 64-bit formats, stochastic rounding
// (injected words at the exact threshold, a binomial 5-sigma test, reproducibility by seed),
// conversions, numeric_limits and constexpr evaluation.
#include <softnum/fixed.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "support/test_scale.hpp"
#include "oracle/fixed_oracle.hpp"
#include "oracle/oracle.hpp"

namespace {

using fixed_oracle::Int;
using fixed_oracle::Rat;
using softnum::Fixed;
using softnum::FixedOverflow;
using softnum::Round;

constexpr std::array<Round, 7> all_modes = {
    Round::nearest_even, Round::nearest_away, Round::toward_zero, Round::up,
    Round::down,         Round::odd,          Round::stochastic};

fixed_oracle::Mode omode(Round r) { return static_cast<fixed_oracle::Mode>(static_cast<int>(r)); }

const char* mode_name(Round r) {
  constexpr const char* names[] = {"nearest_even", "nearest_away", "toward_zero", "up",
                                   "down",         "odd",          "stochastic"};
  return names[static_cast<int>(r)];
}

template <class T>
fixed_oracle::Format oformat() {
  return fixed_oracle::Format{T::integer_bits, T::fraction_bits,
                              T::overflow == FixedOverflow::saturate
                                  ? fixed_oracle::Overflow::saturate
                                  : fixed_oracle::Overflow::wrap};
}

template <class T>
std::string fmt_name() {
  return "Fixed<" + std::to_string(T::integer_bits) + "," + std::to_string(T::fraction_bits) + "," +
         (T::overflow == FixedOverflow::saturate ? "saturate" : "wrap") + ">";
}

std::uint64_t test_seed() {
  const auto s = Catch::rngSeed();
  return s != 0 ? s : 0x5eed1234u;
}

// splitmix64: random words derived from operand indices (deterministic, no shared state).
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Calls fn(std::integral_constant<Round, R>) for the runtime mode r.
template <class Fn>
decltype(auto) with_mode(Round r, Fn&& fn) {
  switch (r) {
    case Round::nearest_even:
      return fn(std::integral_constant<Round, Round::nearest_even>{});
    case Round::nearest_away:
      return fn(std::integral_constant<Round, Round::nearest_away>{});
    case Round::toward_zero:
      return fn(std::integral_constant<Round, Round::toward_zero>{});
    case Round::up:
      return fn(std::integral_constant<Round, Round::up>{});
    case Round::down:
      return fn(std::integral_constant<Round, Round::down>{});
    case Round::odd:
      return fn(std::integral_constant<Round, Round::odd>{});
    case Round::stochastic:
      break;
  }
  return fn(std::integral_constant<Round, Round::stochastic>{});
}

// Collects mismatches cheaply in hot loops and reports the first few through Catch.
struct Failures {
  long count = 0;
  long checks = 0;
  std::vector<std::string> first;
  template <class D>
  void expect(std::int64_t got, const Int& want, D&& describe) {
    ++checks;
    if (Int(got) == want) return;
    if (++count <= 8)
      first.push_back(describe() + ": got " + std::to_string(got) + ", want " + want.str());
  }
  void report() const {
    for (const auto& s : first) UNSCOPED_INFO(s);
    CHECK(count == 0);
  }
};

template <class T>
std::int64_t raw_of(T x) {
  return static_cast<std::int64_t>(x.raw());
}

template <class T>
T from_raw(std::int64_t r) {
  return T::from_raw(static_cast<typename T::raw_type>(r));
}

// The random words a stochastic check uses for a value whose fraction (x 2^32) is frac32: the
// exact threshold 2^32 - frac32 and the word just below it (both decide the direction), plus an
// arbitrary word.
std::array<std::uint32_t, 3> sr_words(const fixed_oracle::Scaled& y, std::uint64_t salt) {
  std::array<std::uint32_t, 3> w{};
  w[2] = static_cast<std::uint32_t>(mix(salt));
  if (y.exact || y.frac32 == 0) {
    w[0] = 0xFFFFFFFFu;
    w[1] = 0;
    return w;
  }
  const Int t = (Int(1) << 32) - y.frac32;  // smallest word that moves away from zero
  if (t == 0) {                             // frac32 = 2^32: every word moves away
    w[0] = 0;
    w[1] = 0xFFFFFFFFu;
  } else {
    w[0] = static_cast<std::uint32_t>(t);
    w[1] = static_cast<std::uint32_t>(t - 1);
  }
  return w;
}

// ---------------------------------------------------------------------------------------------
// The checks of one binary operation result against the oracle, for both overflow policies.

template <class TS, class TW>
struct PairChecker {
  using fo = fixed_oracle::Format;
  fo fs = oformat<TS>(), fw = oformat<TW>();
  Failures fail;

  std::string ctx(const char* op, std::int64_t a, std::int64_t b, Round r, std::uint32_t w,
                  bool wrap) const {
    return std::string(op) + " " + (wrap ? fmt_name<TW>() : fmt_name<TS>()) +
           " a=" + std::to_string(a) + " b=" + std::to_string(b) + " mode=" + mode_name(r) +
           " word=" + std::to_string(w);
  }

  void add_sub(std::int64_t a, std::int64_t b) {
    const Int A(a), B(b);
    fail.expect(raw_of(from_raw<TS>(a) + from_raw<TS>(b)), fixed_oracle::add(A, B, fs),
                [&] { return ctx("add", a, b, Round::nearest_even, 0, false); });
    fail.expect(raw_of(from_raw<TW>(a) + from_raw<TW>(b)), fixed_oracle::add(A, B, fw),
                [&] { return ctx("add", a, b, Round::nearest_even, 0, true); });
    fail.expect(raw_of(from_raw<TS>(a) - from_raw<TS>(b)), fixed_oracle::sub(A, B, fs),
                [&] { return ctx("sub", a, b, Round::nearest_even, 0, false); });
    fail.expect(raw_of(from_raw<TW>(a) - from_raw<TW>(b)), fixed_oracle::sub(A, B, fw),
                [&] { return ctx("sub", a, b, Round::nearest_even, 0, true); });
    // The per-call forms ignore the mode: + and - are exact before the overflow policy.
    fail.expect(raw_of(softnum::sub<Round::up>(from_raw<TS>(a), from_raw<TS>(b), 7u)),
                fixed_oracle::sub(A, B, fs),
                [&] { return ctx("sub<up>", a, b, Round::up, 7, false); });
  }

  // y: the oracle's exact scaled result (nullptr: no value, expected_special used instead).
  template <class Op>
  void rounded(const char* name, std::int64_t a, std::int64_t b, const fixed_oracle::Scaled* y,
               const Int* special, std::uint64_t salt, Op&& op) {
    for (const Round r : all_modes) {
      std::array<std::uint32_t, 3> words{0, 0, 0};
      int nwords = 1;
      if (r == Round::stochastic) {
        nwords = 3;
        if (y != nullptr) words = sr_words(*y, salt);
      }
      for (int i = 0; i < nwords; ++i) {
        const std::uint32_t w = words[static_cast<std::size_t>(i)];
        Int want_s, want_w;
        if (y != nullptr) {
          const Int v = fixed_oracle::round_to_int(*y, omode(r), w);
          want_s = fixed_oracle::fit(v, fs);
          want_w = fixed_oracle::fit(v, fw);
        } else {
          want_s = want_w = *special;
        }
        fail.expect(op(TS{}, r, w), want_s, [&] { return ctx(name, a, b, r, w, false); });
        fail.expect(op(TW{}, r, w), want_w, [&] { return ctx(name, a, b, r, w, true); });
      }
    }
  }

  void mul(std::int64_t a, std::int64_t b) {
    const auto y = fixed_oracle::scaled_rational(Int(a) * Int(b), Int(1) << TS::fraction_bits);
    rounded("mul", a, b, &y, nullptr,
            mix(static_cast<std::uint64_t>(a) * 31 + static_cast<std::uint64_t>(b)),
            [&](auto t, Round r, std::uint32_t w) {
              using T = decltype(t);
              return with_mode(r, [&](auto m) {
                return raw_of(softnum::mul<decltype(m)::value>(from_raw<T>(a), from_raw<T>(b), w));
              });
            });
  }

  void div(std::int64_t a, std::int64_t b) {
    const Int A(a), B(b);
    if (b == 0) {
      const Int want = a == 0 ? Int(0) : (a < 0 ? fs.min_raw() : fs.max_raw());
      rounded("div", a, b, nullptr, &want, 0, [&](auto t, Round r, std::uint32_t w) {
        using T = decltype(t);
        return with_mode(r, [&](auto m) {
          return raw_of(softnum::div<decltype(m)::value>(from_raw<T>(a), from_raw<T>(b), w));
        });
      });
      return;
    }
    const auto y = fixed_oracle::scaled_rational(A << TS::fraction_bits, B);
    rounded("div", a, b, &y, nullptr,
            mix(static_cast<std::uint64_t>(a) * 37 + static_cast<std::uint64_t>(b)),
            [&](auto t, Round r, std::uint32_t w) {
              using T = decltype(t);
              return with_mode(r, [&](auto m) {
                return raw_of(softnum::div<decltype(m)::value>(from_raw<T>(a), from_raw<T>(b), w));
              });
            });
  }

  void sqrt(std::int64_t a) {
    const Int zero(0);
    if (a <= 0) {
      rounded("sqrt", a, 0, nullptr, &zero, 0, [&](auto t, Round r, std::uint32_t w) {
        using T = decltype(t);
        return with_mode(r, [&](auto m) {
          return raw_of(softnum::sqrt<decltype(m)::value>(from_raw<T>(a), w));
        });
      });
      return;
    }
    const auto y = fixed_oracle::scaled_sqrt(Int(a) << TS::fraction_bits);
    rounded("sqrt", a, 0, &y, nullptr, mix(static_cast<std::uint64_t>(a)),
            [&](auto t, Round r, std::uint32_t w) {
              using T = decltype(t);
              return with_mode(r, [&](auto m) {
                return raw_of(softnum::sqrt<decltype(m)::value>(from_raw<T>(a), w));
              });
            });
  }

  void fma(std::int64_t a, std::int64_t b, std::int64_t c) {
    const auto y = fixed_oracle::scaled_rational(Int(a) * Int(b) + (Int(c) << TS::fraction_bits),
                                                 Int(1) << TS::fraction_bits);
    rounded("fma", a, b, &y, nullptr,
            mix(static_cast<std::uint64_t>(a) * 1000003 + static_cast<std::uint64_t>(b) * 1009 +
                static_cast<std::uint64_t>(c)),
            [&](auto t, Round r, std::uint32_t w) {
              using T = decltype(t);
              return with_mode(r, [&](auto m) {
                return raw_of(softnum::fma<decltype(m)::value>(from_raw<T>(a), from_raw<T>(b),
                                                               from_raw<T>(c), w));
              });
            });
  }

  void neg_abs(std::int64_t a) {
    const Int A(a);
    fail.expect(raw_of(-from_raw<TS>(a)), fixed_oracle::neg(A, fs),
                [&] { return ctx("neg", a, 0, Round::nearest_even, 0, false); });
    fail.expect(raw_of(-from_raw<TW>(a)), fixed_oracle::neg(A, fw),
                [&] { return ctx("neg", a, 0, Round::nearest_even, 0, true); });
    const Int absa = A < 0 ? -A : A;
    fail.expect(raw_of(abs(from_raw<TS>(a))), fixed_oracle::fit(absa, fs),
                [&] { return ctx("abs", a, 0, Round::nearest_even, 0, false); });
    fail.expect(raw_of(abs(from_raw<TW>(a))), fixed_oracle::fit(absa, fw),
                [&] { return ctx("abs", a, 0, Round::nearest_even, 0, true); });
  }
};

template <int I, int F>
using FS = Fixed<I, F, Round::nearest_even, FixedOverflow::saturate>;
template <int I, int F>
using FW = Fixed<I, F, Round::nearest_even, FixedOverflow::wrap>;

// Every pair of W-bit codes through + - * / and every code through sqrt, neg, abs.
template <int I, int F>
long exhaustive_format(bool with_fma_triples) {
  constexpr int W = I + F;
  using TS = FS<I, F>;
  using TW = FW<I, F>;
  PairChecker<TS, TW> pc;
  const std::int64_t lo = -(std::int64_t{1} << (W - 1)), hi = (std::int64_t{1} << (W - 1)) - 1;
  for (std::int64_t a = lo; a <= hi; ++a) {
    pc.sqrt(a);
    pc.neg_abs(a);
    for (std::int64_t b = lo + test_scale::first(a - lo); b <= hi; b += test_scale::divisor()) {
      pc.add_sub(a, b);
      pc.mul(a, b);
      pc.div(a, b);
      if (with_fma_triples) {
        for (std::int64_t c = lo; c <= hi; ++c) pc.fma(a, b, c);
      }
    }
  }
  if (!with_fma_triples) {  // a sample of fma triples
    std::mt19937_64 rng(test_seed() + W * 64 + I);
    std::uniform_int_distribution<std::int64_t> d(lo, hi);
    for (long i = 0; i < test_scale::samples(4000L); ++i) pc.fma(d(rng), d(rng), d(rng));
  }
  INFO(fmt_name<TS>() << " and wrap: " << pc.fail.checks << " checks");
  pc.fail.report();
  return pc.fail.checks;
}

template <int W, int... Is>
long exhaustive_width(std::integer_sequence<int, Is...>, bool fma_triples) {
  return (exhaustive_format<Is + 1, W - Is - 1>(fma_triples) + ...);
}

template <int W>
long exhaustive_width(bool fma_triples) {
  return exhaustive_width<W>(std::make_integer_sequence<int, W>{}, fma_triples);
}

}  // namespace

TEST_CASE("Fixed: exhaustive + - * / sqrt neg abs, every format of at most 8 bits",
          "[fixed][exhaustive8]") {
  long checks = 0;
  checks += exhaustive_width<1>(true);
  checks += exhaustive_width<2>(true);
  checks += exhaustive_width<3>(true);
  checks += exhaustive_width<4>(true);
  checks += exhaustive_width<5>(true);
  checks += exhaustive_width<6>(false);
  checks += exhaustive_width<7>(false);
  checks += exhaustive_width<8>(false);
  WARN("exhaustive <= 8-bit formats: " << checks << " checks");
}

TEST_CASE("Fixed: exhaustive fma triples, every format of 6 to 8 bits", "[fixed][.exhaustive]") {
  long checks = 0;
  checks += exhaustive_width<6>(true);
  checks += exhaustive_width<7>(true);
  checks += exhaustive_width<8>(true);
  WARN("exhaustive fma triples, 6..8 bits: " << checks << " checks");
}

// ---------------------------------------------------------------------------------------------
// 16- to 64-bit formats: edge cases (full cross product) and random operands.

namespace {

__extension__ typedef __int128 wide_int;

template <class T>
std::vector<std::int64_t> edge_raws() {
  constexpr int W = T::width, F = T::fraction_bits;
  const std::int64_t lo = static_cast<std::int64_t>(T::core::min_raw);
  const std::int64_t hi = static_cast<std::int64_t>(T::core::max_raw);
  std::vector<std::int64_t> v = {0,      1,  2,      3,      lo,         lo + 1,
                                 lo + 2, hi, hi - 1, hi / 2, hi / 2 + 1, lo / 2};
  auto add_pm = [&](wide_int x) {  // x and -x when in range
    if (x >= 0 && x <= hi) {
      v.push_back(static_cast<std::int64_t>(x));
      v.push_back(-static_cast<std::int64_t>(x));
    }
  };
  if constexpr (W - 1 > F) {  // 1.0 is representable
    const wide_int one = wide_int{1} << F;
    for (const wide_int x : {one, one + 1, one - 1, 3 * one, 2 * one + 1}) add_pm(x);
  }
  if constexpr (F >= 1) {
    const wide_int half = wide_int{1} << (F - 1);
    for (const wide_int x : {half, half + 1, 3 * half}) add_pm(x);
  }
  add_pm(std::int64_t{1} << (W / 2));
  add_pm((std::int64_t{1} << (W / 2)) - 1);
  add_pm((std::int64_t{1} << (W / 2)) + 1);
  add_pm(static_cast<std::int64_t>(std::sqrt(static_cast<double>(hi))));
  return v;
}

template <class T>
struct OperandGen {
  std::mt19937_64 rng;
  std::vector<std::int64_t> edges = edge_raws<T>();
  explicit OperandGen(std::uint64_t s) : rng(s) {}
  std::int64_t wrap(std::uint64_t u, int bits) const {  // sign-extend the low `bits` bits
    return static_cast<std::int64_t>(u << (64 - bits)) >> (64 - bits);
  }
  std::int64_t operator()() {
    constexpr int W = T::width, F = T::fraction_bits;
    switch (rng() % 8) {
      case 0:
        return edges[rng() % edges.size()];
      case 1:
      case 2:
        return wrap(rng(), W);
      case 3:
      case 4:
      case 5:
        return wrap(rng(), 1 + static_cast<int>(rng() % static_cast<std::uint64_t>(W)));
      case 6: {  // a small integer or half-integer value
        const int sh = F >= 1 ? F - static_cast<int>(rng() % 2) : 0;
        const std::int64_t k = wrap(rng(), 6);
        return W > sh + 6 ? static_cast<std::int64_t>(static_cast<std::uint64_t>(k) << sh) : k;
      }
      default: {  // few significant bits at a random position (ties in products and quotients)
        const int top =
            1 + static_cast<int>(rng() % static_cast<std::uint64_t>(W - 1 > 0 ? W - 1 : 1));
        const std::int64_t k = wrap(rng(), 4);
        const int sh = top > 4 ? top - 4 : 0;
        return W > sh + 4 ? static_cast<std::int64_t>(static_cast<std::uint64_t>(k) << sh) : k;
      }
    }
  }
};

template <int I, int F>
long wide_format(int random_pairs) {
  using TS = FS<I, F>;
  using TW = FW<I, F>;
  PairChecker<TS, TW> pc;
  const auto edges = edge_raws<TS>();
  for (const auto a : edges) {
    pc.sqrt(a);
    pc.neg_abs(a);
    for (const auto b : edges) {
      pc.add_sub(a, b);
      pc.mul(a, b);
      pc.div(a, b);
      pc.fma(
          a, b,
          edges[static_cast<std::size_t>(mix(static_cast<std::uint64_t>(a ^ b))) % edges.size()]);
    }
  }
  OperandGen<TS> gen(test_seed() * 1000003 + I * 67 + F);
  for (int i = 0; i < random_pairs; ++i) {
    const std::int64_t a = gen(), b = gen(), c = gen();
    pc.add_sub(a, b);
    pc.mul(a, b);
    pc.div(a, b);
    pc.fma(a, b, c);
    pc.sqrt(a < 0 ? -(a + 1) : a);
  }
  INFO(fmt_name<TS>() << " and wrap: " << pc.fail.checks << " checks, seed " << test_seed());
  pc.fail.report();
  return pc.fail.checks;
}

}  // namespace

TEST_CASE("Fixed: 16- to 64-bit formats, edge cross product and random operands", "[fixed][wide]") {
  const int n = test_scale::samples(30000);
  long checks = 0;
  checks += wide_format<16, 16>(n);
  checks += wide_format<32, 32>(n);
  checks += wide_format<1, 63>(n);
  checks += wide_format<64, 0>(n);
  checks += wide_format<2, 62>(n);
  checks += wide_format<63, 1>(n);
  checks += wide_format<8, 8>(n);
  checks += wide_format<4, 12>(n);
  checks += wide_format<1, 15>(n);
  checks += wide_format<16, 0>(n);
  checks += wide_format<9, 8>(n);  // 17 bits: the first int32 storage
  checks += wide_format<1, 31>(n);
  checks += wide_format<32, 0>(n);
  checks += wide_format<20, 13>(n);  // 33 bits: the first int64 storage
  checks += wide_format<24, 8>(n);
  checks += wide_format<48, 16>(n);
  checks += wide_format<12, 40>(n);
  checks += wide_format<40, 24>(n);
  WARN("16- to 64-bit formats: " << checks << " checks");
}

TEST_CASE("Fixed: 16- to 64-bit formats, many random operands", "[fixed][.exhaustive]") {
  constexpr int n = 300000;
  long checks = 0;
  checks += wide_format<16, 16>(n);
  checks += wide_format<32, 32>(n);
  checks += wide_format<1, 63>(n);
  checks += wide_format<64, 0>(n);
  checks += wide_format<2, 62>(n);
  checks += wide_format<20, 13>(n);
  checks += wide_format<48, 16>(n);
  WARN("16- to 64-bit formats (long run): " << checks << " checks");
}

// ---------------------------------------------------------------------------------------------
// Operators use the type's own mode; the stochastic operators draw from the seeded per-thread
// generator.

namespace {

template <class T0, Round R>
void operators_match_per_call() {
  using T = softnum::with_round_t<T0, R>;
  static_assert(T::rounding == R && T::width == T0::width);
  constexpr int W = T::width;
  long bad = 0;
  const std::int64_t lo = -(std::int64_t{1} << (W - 1)), hi = -lo - 1;
  for (std::int64_t a = lo; a <= hi; ++a) {
    const T x = from_raw<T>(a);
    if (sqrt(x) != softnum::sqrt<R>(x, 0u)) ++bad;
    for (std::int64_t b = lo; b <= hi; ++b) {
      const T y = from_raw<T>(b);
      if (x * y != softnum::mul<R>(x, y, 0u)) ++bad;
      if (x / y != softnum::div<R>(x, y, 0u)) ++bad;
      if (fma(x, y, x) != softnum::fma<R>(x, y, x, 0u)) ++bad;
      T z = x;
      z *= y;
      if (z != x * y) ++bad;
      z = x;
      z /= y;
      if (z != x / y) ++bad;
      z = x;
      z += y;
      if (z != x + y) ++bad;
      z = x;
      z -= y;
      if (z != x - y) ++bad;
    }
  }
  INFO(fmt_name<T>() << " mode " << mode_name(R));
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("Fixed: operators round in the type's mode", "[fixed][operators]") {
  operators_match_per_call<Fixed<4, 4>, Round::nearest_even>();
  operators_match_per_call<Fixed<4, 4>, Round::nearest_away>();
  operators_match_per_call<Fixed<4, 4>, Round::toward_zero>();
  operators_match_per_call<Fixed<4, 4>, Round::up>();
  operators_match_per_call<Fixed<4, 4>, Round::down>();
  operators_match_per_call<Fixed<2, 6, Round::odd, FixedOverflow::wrap>, Round::odd>();
  operators_match_per_call<Fixed<8, 0>, Round::up>();
  operators_match_per_call<Fixed<1, 7>, Round::down>();
}

TEST_CASE("Fixed: stochastic operators are reproducible by seed", "[fixed][stochastic]") {
  using T = Fixed<8, 8, Round::stochastic>;
  std::mt19937_64 rng(test_seed());
  std::vector<T> xs, ys;
  for (int i = 0; i < 2000; ++i) {
    xs.push_back(T::from_bits(static_cast<std::uint16_t>(rng())));
    ys.push_back(T::from_bits(static_cast<std::uint16_t>(rng() | 1)));
  }
  auto run = [&] {
    std::vector<T> out;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      out.push_back(xs[i] * ys[i]);
      out.push_back(xs[i] / ys[i]);
      out.push_back(sqrt(xs[i]));
      out.push_back(T(static_cast<double>(i) * 0.001953125 + 1e-5));
    }
    return out;
  };
  softnum::seed(1234);
  const auto first = run();
  softnum::seed(1234);
  const auto second = run();
  softnum::seed(999);
  const auto other = run();
  CHECK(first == second);
  CHECK(first != other);
  // The operators consume the thread's Philox stream in order: the per-call form with the same
  // stream gives the same results.
  softnum::Philox gen(1234, 0);
  std::vector<T> percall;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    percall.push_back(softnum::mul<Round::stochastic>(xs[i], ys[i], gen));
    percall.push_back(softnum::div<Round::stochastic>(xs[i], ys[i], gen));
    percall.push_back(softnum::sqrt<Round::stochastic>(xs[i], gen));
    percall.push_back(
        softnum::convert<T, Round::stochastic>(static_cast<double>(i) * 0.001953125 + 1e-5, gen()));
  }
  CHECK(first == percall);
}

namespace {

// Runs n stochastic roundings of one exact value y (in ulps) and checks the count of results
// that moved away from zero against Binomial(n, p) within 5 sigma, p the exact fraction of |y|.
template <class Draw>
void check_unbiased(const char* what, const fixed_oracle::Scaled& y, const Rat& p, Draw&& draw) {
  constexpr int n = 200000;
  softnum::Philox gen(test_seed(), 77);
  const std::int64_t toward =
      y.negative ? static_cast<std::int64_t>(y.floor + 1) : static_cast<std::int64_t>(y.floor);
  const std::int64_t away = y.negative ? toward - 1 : toward + 1;
  long n_away = 0, n_other = 0;
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const std::int64_t r = draw(gen());
    if (r == away)
      ++n_away;
    else if (r != toward)
      ++n_other;
    sum += static_cast<double>(r);
  }
  const double pd = static_cast<double>(p);
  const double mean = n * pd, sigma = std::sqrt(n * pd * (1 - pd));
  INFO(what << ": p = " << pd << ", " << n_away << " of " << n << " away from zero, expected "
            << mean << " +- " << sigma);
  CHECK(n_other == 0);
  CHECK(std::fabs(static_cast<double>(n_away) - mean) <= 5 * sigma + 1);
  // E[SR(y)] = y: the same bound on the average result.
  const double exact = static_cast<double>(y.negative ? Rat(y.floor + 1) - p : Rat(y.floor) + p);
  CHECK(std::fabs(sum / n - exact) <= 5 * sigma / n + 1e-9);
}

Rat frac_of(const fixed_oracle::Scaled& y, const Rat& exact_abs) {
  return exact_abs - Rat(y.negative ? -(y.floor + 1) : y.floor);
}

}  // namespace

TEST_CASE("Fixed: stochastic rounding is unbiased (binomial 5 sigma)", "[fixed][stochastic]") {
  SECTION("Fixed<8,8> products, both signs") {
    using T = Fixed<8, 8>;
    for (const std::int64_t a : {3, -3}) {
      const std::int64_t b = 25;  // a b 2^-8 = +-75/256 ulps
      const auto y = fixed_oracle::scaled_rational(Int(a * b), Int(256));
      check_unbiased("Fixed<8,8> mul", y, Rat(75, 256), [&](std::uint32_t w) {
        return raw_of(softnum::mul<Round::stochastic>(from_raw<T>(a), from_raw<T>(b), w));
      });
    }
  }
  SECTION("Fixed<1,63> product discarding 63 bits") {
    using T = Fixed<1, 63>;
    const std::int64_t a = 0x5555555555555555, b = -0x3000000000000007;
    const Int num = Int(a) * Int(b), den = Int(1) << 63;
    const auto y = fixed_oracle::scaled_rational(num, den);
    const Rat exact_abs = Rat(num < 0 ? Int(-num) : num, den);
    check_unbiased("Fixed<1,63> mul", y, frac_of(y, exact_abs), [&](std::uint32_t w) {
      return raw_of(softnum::mul<Round::stochastic>(from_raw<T>(a), from_raw<T>(b), w));
    });
  }
  SECTION("Fixed<16,16> quotient 1/3 and -2/7") {
    using T = Fixed<16, 16>;
    for (const auto& ab : {std::pair<std::int64_t, std::int64_t>{65536, 3 * 65536},
                           std::pair<std::int64_t, std::int64_t>{-2 * 65536, 7 * 65536}}) {
      const std::int64_t a = ab.first, b = ab.second;  // (clang 14 cannot capture bindings)
      const auto y = fixed_oracle::scaled_rational(Int(a) << 16, Int(b));
      const Rat exact_abs = Rat(Int(a < 0 ? -a : a) << 16, Int(b));
      check_unbiased("Fixed<16,16> div", y, frac_of(y, exact_abs), [&](std::uint32_t w) {
        return raw_of(softnum::div<Round::stochastic>(from_raw<T>(a), from_raw<T>(b), w));
      });
    }
  }
  SECTION("Fixed<16,16> sqrt(2)") {
    using T = Fixed<16, 16>;
    const std::int64_t a = 2 * 65536;
    const auto y = fixed_oracle::scaled_sqrt(Int(a) << 16);
    const Rat p = Rat(y.frac32, Int(1) << 32);  // the irrational fraction, to 2^-33
    check_unbiased("Fixed<16,16> sqrt", y, p, [&](std::uint32_t w) {
      return raw_of(softnum::sqrt<Round::stochastic>(from_raw<T>(a), w));
    });
  }
  SECTION("Fixed<8,8> from double 0.1 and -0.1") {
    using T = Fixed<8, 8>;
    for (const double d : {0.1, -0.1}) {
      const Rat v = Rat(d);
      const auto y = fixed_oracle::scaled_rational(v * 256);
      const Rat exact_abs = (v < 0 ? Rat(-v) : v) * 256;
      check_unbiased("Fixed<8,8> from double", y, frac_of(y, exact_abs), [&](std::uint32_t w) {
        return raw_of(softnum::convert<T, Round::stochastic>(d, w));
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Conversions in (double, float, integers) in every mode, and out (double, float, integers).

namespace {

template <class T>
struct ConversionChecker {
  fixed_oracle::Format f = oformat<T>();
  Failures fail;

  // Rounds the exact value v in every mode (stochastic: threshold words and one arbitrary word).
  template <class Src>
  void check_in(Src x, const Rat& v, const std::string& what) {
    const auto y = fixed_oracle::scaled_rational(v * Rat(Int(1) << T::fraction_bits));
    for (const Round r : all_modes) {
      std::array<std::uint32_t, 3> words{0, 0, 0};
      const int nwords = r == Round::stochastic ? 3 : 1;
      if (r == Round::stochastic) words = sr_words(y, mix(static_cast<std::uint64_t>(fail.checks)));
      for (int i = 0; i < nwords; ++i) {
        const std::uint32_t w = words[static_cast<std::size_t>(i)];
        const std::int64_t got = with_mode(
            r, [&](auto m) { return raw_of(softnum::convert<T, decltype(m)::value>(x, w)); });
        fail.expect(got, fixed_oracle::round_fit(y, f, omode(r), w), [&] {
          return fmt_name<T>() + " from " + what + " mode " + mode_name(r) + " word " +
                 std::to_string(w);
        });
      }
    }
    fail.expect(raw_of(T(x)), fixed_oracle::round_fit(y, f, fixed_oracle::Mode::nearest_even),
                [&] { return fmt_name<T>() + " constructor from " + what; });
  }
  // A value with no exact rational (NaN, inf): every mode gives `want`.
  template <class Src>
  void check_special(Src x, std::int64_t want, const std::string& what) {
    for (const Round r : all_modes) {
      const std::int64_t got = with_mode(r, [&](auto m) {
        return raw_of(softnum::convert<T, decltype(m)::value>(x, 0x80000000u));
      });
      fail.expect(got, Int(want),
                  [&] { return fmt_name<T>() + " from " + what + " mode " + mode_name(r); });
    }
  }

  void from_double(double d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "double %.17g", d);
    if (std::isnan(d)) return check_special(d, 0, buf);
    if (std::isinf(d)) return check_special(d, d < 0 ? T::core::min_raw : T::core::max_raw, buf);
    check_in(d, Rat(d), buf);
    const auto fl = static_cast<float>(d);
    if (std::isfinite(fl)) {
      std::snprintf(buf, sizeof buf, "float %.9g", static_cast<double>(fl));
      check_in(fl, Rat(static_cast<double>(fl)), buf);
    }
  }

  template <class Int_t>
  void from_integer(Int_t v) {
    check_in(v, Rat(Int(v)), std::string("integer ") + std::to_string(v));
  }

  // Out: double and float correctly rounded to nearest even (the Float oracle rounds), integers
  // truncated and saturated.
  void out(std::int64_t raw) {
    const T x = from_raw<T>(raw);
    const std::uint64_t mag = raw < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(raw)
                                      : static_cast<std::uint64_t>(raw);
    const oracle::Exact ex = raw == 0 ? oracle::Exact{oracle::Exact::zero, false, 0, 0, false}
                                      : oracle::Exact{oracle::Exact::finite, raw < 0, Int(mag),
                                                      -T::fraction_bits, false};
    const auto b64 = static_cast<std::uint64_t>(
        oracle::round(ex, oracle::Format{11, 52}, oracle::Mode::nearest_even));
    const auto b32 = static_cast<std::uint32_t>(
        oracle::round(ex, oracle::Format{8, 23}, oracle::Mode::nearest_even));
    const auto d = static_cast<double>(x);
    const auto fl = static_cast<float>(x);
    std::uint64_t gd;
    std::uint32_t gf;
    std::memcpy(&gd, &d, sizeof gd);
    std::memcpy(&gf, &fl, sizeof gf);
    auto name = [&](const char* to) {
      return fmt_name<T>() + " raw " + std::to_string(raw) + " to " + to;
    };
    fail.expect(static_cast<std::int64_t>(gd), Int(static_cast<std::int64_t>(b64)),
                [&] { return name("double"); });
    fail.expect(static_cast<std::int64_t>(gf), Int(b32), [&] { return name("float"); });
    fail.expect(static_cast<std::int64_t>(softnum::convert<double>(x) == d), Int(1),
                [&] { return name("convert<double>"); });
    // Truncation toward zero, then saturation at the integer's range.
    const Int t = fixed_oracle::round_to_int(
        fixed_oracle::scaled_rational(Int(raw), Int(1) << T::fraction_bits),
        fixed_oracle::Mode::toward_zero);
    auto clamp = [&](Int lo, Int hi) { return t < lo ? lo : (t > hi ? hi : t); };
    fail.expect(static_cast<std::int64_t>(x), clamp(Int(INT64_MIN), Int(INT64_MAX)),
                [&] { return name("int64"); });
    fail.expect(static_cast<std::int32_t>(x), clamp(Int(INT32_MIN), Int(INT32_MAX)),
                [&] { return name("int32"); });
    fail.expect(static_cast<std::int8_t>(x), clamp(Int(-128), Int(127)),
                [&] { return name("int8"); });
    fail.expect(static_cast<std::uint8_t>(x), clamp(Int(0), Int(255)),
                [&] { return name("uint8"); });
    const auto u64 = static_cast<std::uint64_t>(x);
    const Int want_u64 = clamp(Int(0), Int(UINT64_MAX));
    fail.expect(Int(u64) == want_u64 ? 1 : 0, Int(1), [&] { return name("uint64"); });
  }
};

template <int I, int F>
long conversions(int random_values) {
  using T = Fixed<I, F>;
  ConversionChecker<T> cc;
  std::mt19937_64 rng(test_seed() * 7919 + I * 131 + F);
  const double scale = std::ldexp(1.0, -F);
  for (const double d :
       {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1e-300, -1e-300, 5e-324, 1e300, -1e300,
        std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(),
        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
        std::numeric_limits<double>::quiet_NaN(), 9.2233720368547758e18, -9.2233720368547758e18}) {
    cc.from_double(d);
  }
  // Around every edge value: the value itself, midpoints, quarter points, and near-ties.
  std::vector<std::int64_t> raws = edge_raws<T>();
  OperandGen<T> gen(rng());
  for (int i = 0; i < random_values; ++i) raws.push_back(gen());
  for (const std::int64_t raw : raws) {
    cc.out(raw);
    for (const double off :
         {0.0, 0.5, -0.5, 0.25, 0.75, 0.5 + 0x1p-20, 0.5 - 0x1p-20, 0x1p-40, -0x1p-40}) {
      cc.from_double((static_cast<double>(raw) + off) * scale);
    }
    const double u = static_cast<double>(rng() >> 11) * 0x1p-53;
    cc.from_double((static_cast<double>(raw) + u) * scale);
    // Just outside the range.
    cc.from_double((static_cast<double>(T::core::max_raw) + 1 + u) * scale);
    cc.from_double((static_cast<double>(T::core::min_raw) - 1 - u) * scale);
  }
  for (int i = 0; i < random_values; ++i) {  // arbitrary doubles (any exponent)
    const std::uint64_t b = rng();
    double d;
    std::memcpy(&d, &b, sizeof d);
    cc.from_double(d);
  }
  for (const std::int64_t v :
       {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, INT64_MAX, INT64_MIN, INT64_MAX - 1,
        std::int64_t{1} << 40, -(std::int64_t{1} << 31), std::int64_t{127}, std::int64_t{-128},
        std::int64_t{128}, std::int64_t{-129}}) {
    cc.from_integer(v);
    cc.from_integer(static_cast<std::int32_t>(v));
  }
  for (int i = 0; i < random_values / 4; ++i) {
    cc.from_integer(static_cast<std::int64_t>(rng()) >> (rng() % 64));
    cc.from_integer(rng());
    cc.from_integer(static_cast<std::int8_t>(rng()));
    cc.from_integer(static_cast<std::uint16_t>(rng()));
  }
  INFO(fmt_name<T>() << ": " << cc.fail.checks << " checks, seed " << test_seed());
  cc.fail.report();
  return cc.fail.checks;
}

}  // namespace

TEST_CASE("Fixed: conversions from double, float and integers, and back", "[fixed][conversion]") {
  long checks = 0;
  checks += conversions<8, 8>(test_scale::samples(4000));
  checks += conversions<1, 7>(test_scale::samples(4000));
  checks += conversions<8, 0>(test_scale::samples(4000));
  checks += conversions<4, 4>(test_scale::samples(4000));
  checks += conversions<16, 16>(test_scale::samples(4000));
  checks += conversions<32, 32>(test_scale::samples(4000));
  checks += conversions<1, 63>(test_scale::samples(4000));
  checks += conversions<64, 0>(test_scale::samples(4000));
  checks += conversions<1, 31>(test_scale::samples(4000));
  checks += conversions<20, 13>(test_scale::samples(4000));
  checks += conversions<40, 24>(test_scale::samples(4000));
  checks += conversions<10, 50>(test_scale::samples(4000));
  WARN("conversions: " << checks << " checks");
}

TEST_CASE("Fixed: conversions in every 8-bit format, every code and its neighbourhood",
          "[fixed][conversion]") {
  // Every raw value with offsets: all 256 codes of each split, through every mode.
  long checks = 0;
  auto run = [&](auto t) {
    using T = decltype(t);
    ConversionChecker<T> cc;
    const double scale = std::ldexp(1.0, -T::fraction_bits);
    for (std::int64_t raw = -128; raw <= 127; ++raw) {
      cc.out(raw);
      for (const double off : {0.0, 0.5, -0.5, 0.25, 0.75, 0.5 + 0x1p-30, 0.5 - 0x1p-30}) {
        cc.from_double((static_cast<double>(raw) + off) * scale);
      }
    }
    cc.fail.report();
    checks += cc.fail.checks;
  };
  run(Fixed<1, 7>{});
  run(Fixed<2, 6>{});
  run(Fixed<3, 5>{});
  run(Fixed<4, 4>{});
  run(Fixed<5, 3>{});
  run(Fixed<6, 2>{});
  run(Fixed<7, 1>{});
  run(Fixed<8, 0>{});
  run(Fixed<4, 4, Round::nearest_even, FixedOverflow::wrap>{});
  run(Fixed<1, 7, Round::nearest_even, FixedOverflow::wrap>{});
  WARN("8-bit conversions: " << checks << " checks");
}

// ---------------------------------------------------------------------------------------------
// Limits, classification, helpers, constexpr.

TEST_CASE("Fixed: numeric_limits", "[fixed][limits]") {
  using L = std::numeric_limits<Fixed<16, 16>>;
  STATIC_REQUIRE(L::is_specialized);
  STATIC_REQUIRE(L::is_signed);
  STATIC_REQUIRE(!L::is_integer);
  STATIC_REQUIRE(L::is_exact);
  STATIC_REQUIRE(!L::has_infinity);
  STATIC_REQUIRE(!L::has_quiet_NaN);
  STATIC_REQUIRE(!L::is_modulo);
  STATIC_REQUIRE(L::is_bounded);
  STATIC_REQUIRE(L::digits == 31);
  STATIC_REQUIRE(L::digits10 == 9);
  STATIC_REQUIRE(L::radix == 2);
  STATIC_REQUIRE(L::round_style == std::round_to_nearest);
  STATIC_REQUIRE(L::max().raw() == 0x7FFFFFFF);
  STATIC_REQUIRE(L::lowest().raw() == -0x7FFFFFFF - 1);
  STATIC_REQUIRE(L::min().raw() == 1);
  STATIC_REQUIRE(L::epsilon().raw() == 1);
  STATIC_REQUIRE(L::denorm_min().raw() == 1);
  STATIC_REQUIRE(L::round_error().raw() == 0x8000);
  CHECK(static_cast<double>(L::max()) == 32768.0 - 0x1p-16);
  CHECK(static_cast<double>(L::lowest()) == -32768.0);

  using LW = std::numeric_limits<Fixed<8, 0, Round::toward_zero, FixedOverflow::wrap>>;
  STATIC_REQUIRE(LW::is_modulo);
  STATIC_REQUIRE(LW::digits == 7);
  STATIC_REQUIRE(LW::digits10 == 2);
  STATIC_REQUIRE(LW::round_style == std::round_toward_zero);
  STATIC_REQUIRE(LW::max().raw() == 127);
  STATIC_REQUIRE(LW::lowest().raw() == -128);
  STATIC_REQUIRE(LW::round_error().raw() == 0);

  using L64 = std::numeric_limits<Fixed<1, 63, Round::stochastic>>;
  STATIC_REQUIRE(L64::digits == 63);
  STATIC_REQUIRE(L64::digits10 == 18);
  STATIC_REQUIRE(L64::round_style == std::round_indeterminate);
  STATIC_REQUIRE(L64::max().raw() == INT64_MAX);
  STATIC_REQUIRE(L64::lowest().raw() == INT64_MIN);
  STATIC_REQUIRE(static_cast<double>(L64::lowest()) == -1.0);
}

TEST_CASE("Fixed: storage, bits, classification and helpers", "[fixed][api]") {
  STATIC_REQUIRE(std::is_same_v<Fixed<4, 4>::storage_type, std::uint8_t>);
  STATIC_REQUIRE(std::is_same_v<Fixed<4, 4>::raw_type, std::int8_t>);
  STATIC_REQUIRE(std::is_same_v<Fixed<3, 2>::storage_type, std::uint8_t>);
  STATIC_REQUIRE(std::is_same_v<Fixed<9, 8>::storage_type, std::uint32_t>);
  STATIC_REQUIRE(std::is_same_v<Fixed<16, 16>::raw_type, std::int32_t>);
  STATIC_REQUIRE(std::is_same_v<Fixed<20, 13>::raw_type, std::int64_t>);
  STATIC_REQUIRE(sizeof(Fixed<8, 8>) == 2);
  STATIC_REQUIRE(sizeof(Fixed<32, 32>) == 8);
  STATIC_REQUIRE(std::is_trivially_copyable_v<Fixed<8, 8>>);
  STATIC_REQUIRE(softnum::FixedFormat<Fixed<8, 8>>);
  STATIC_REQUIRE(!softnum::FixedFormat<softnum::binary16>);
  STATIC_REQUIRE(softnum::Convertible<Fixed<8, 8>>);
  STATIC_REQUIRE(std::is_same_v<softnum::with_fixed_overflow_t<Fixed<8, 8>, FixedOverflow::wrap>,
                                Fixed<8, 8, Round::nearest_even, FixedOverflow::wrap>>);
  STATIC_REQUIRE(
      std::is_same_v<softnum::with_round_t<Fixed<8, 8>, Round::up>, Fixed<8, 8, Round::up>>);
  // 5-bit codes: the pattern is the low 5 bits, the raw value sign-extended.
  using T5 = Fixed<3, 2>;
  for (unsigned b = 0; b < 32; ++b) {
    const T5 x = T5::from_bits(static_cast<std::uint8_t>(b));
    CHECK(x.bits() == b);
    CHECK(x.raw() == static_cast<int>(b >= 16 ? static_cast<int>(b) - 32 : static_cast<int>(b)));
    CHECK(T5::from_bits(static_cast<std::uint8_t>(b | 0xE0)) == x);  // bits above W ignored
    CHECK(signbit(x) == (b >= 16));
    CHECK(!isnan(x));
    CHECK(!isinf(x));
    CHECK(isfinite(x));
    CHECK(iszero(x) == (b == 0));
  }
  // Comparisons follow the values, for every pair of 6-bit codes.
  using T6 = Fixed<2, 4>;
  for (int a = -32; a < 32; ++a) {
    for (int b = -32; b < 32; ++b) {
      const T6 x = from_raw<T6>(a), y = from_raw<T6>(b);
      CHECK(((x < y) == (a < b) && (x <= y) == (a <= b) && (x > y) == (a > b) &&
             (x >= y) == (a >= b) && (x == y) == (a == b) && (x != y) == (a != b)));
      CHECK((fmin(x, y).raw() == std::min(a, b) && fmax(x, y).raw() == std::max(a, b)));
    }
    CHECK(std::hash<T6>{}(from_raw<T6>(a)) ==
          std::hash<T6>{}(T6::from_bits(static_cast<std::uint8_t>(a & 63))));
  }
  // nextafter steps one ulp and stops at the ends.
  using T8 = Fixed<4, 4>;
  CHECK(nextafter(T8(1.0), T8(2.0)).raw() == 17);
  CHECK(nextafter(T8(1.0), T8(-2.0)).raw() == 15);
  CHECK(nextafter(T8(1.0), T8(1.0)).raw() == 16);
  CHECK(nextafter(std::numeric_limits<T8>::max(), T8(1.0)).raw() == 126);
  // ldexp and frexp round once in the type's mode.
  CHECK(ldexp(T8(1.5), 2) == T8(6.0));
  CHECK(ldexp(T8(1.5), 3).raw() == 127);  // 12 overflows: saturates
  CHECK(ldexp(softnum::with_fixed_overflow_t<T8, FixedOverflow::wrap>(1.5), 3).raw() == -64);
  CHECK(ldexp(T8(0.1875), -2).raw() == 1);  // 3/64 -> 0.75 ulp -> 1 ulp (nearest)
  CHECK(ldexp(Fixed<4, 4, Round::toward_zero>(0.1875), -2).raw() == 0);
  CHECK(ldexp(T8(0.1875), -1000).raw() == 0);
  int e = 0;
  CHECK(frexp(T8(6.0), &e) == T8(0.75));
  CHECK(e == 3);
  CHECK(frexp(T8(-0.0625), &e) == T8(-0.5));
  CHECK(e == -3);
  CHECK(frexp(T8(0.0), &e) == T8(0.0));
  CHECK(e == 0);
  // Fixed <-> Float, and between Fixed formats, in the target's mode.
  CHECK(static_cast<double>(Fixed<8, 8>(softnum::binary16(0.333251953125))) == 85.0 / 256);
  CHECK(static_cast<double>(Fixed<8, 8, Round::up>(softnum::binary16(0.333251953125))) ==
        86.0 / 256);
  CHECK(Fixed<4, 2>(Fixed<8, 8>(1.375)) == Fixed<4, 2>(1.5));  // tie to even
  CHECK(Fixed<4, 2, Round::nearest_away>(Fixed<8, 8>(1.125)).raw() == 5);
  CHECK(Fixed<4, 2>(Fixed<8, 8>(100.0)) == std::numeric_limits<Fixed<4, 2>>::max());
  CHECK(static_cast<double>(softnum::convert<softnum::binary16>(Fixed<1, 15>::from_raw(-32768))) ==
        -1.0);
}

namespace {
// Everything here is evaluated at compile time (the constexpr paths: no hardware sqrt, no
// thread-local generator).
using C = Fixed<8, 8>;
static_assert((C(1.5) + C(2.25)).raw() == 960);
static_assert((C(1.5) - C(2.25)).raw() == -192);
static_assert((C(1.5) * C(2.25)).raw() == 864);
static_assert((C(1.0) / C(3.0)).raw() == 85);
static_assert(softnum::div<Round::up>(C(1.0), C(3.0)).raw() == 86);
static_assert(sqrt(C(2.0)).raw() == 362);  // 1.41421 * 256 = 362.04
static_assert(softnum::sqrt<Round::up>(C(2.0)).raw() == 363);
static_assert(fma(C(1.5), C(2.0), C(-3.0)) == C(0.0));
static_assert((C(127.0) + C(1.0)) == std::numeric_limits<C>::max());
static_assert((-std::numeric_limits<C>::lowest()) == std::numeric_limits<C>::max());
static_assert(C(1000) == std::numeric_limits<C>::max());
static_assert(C(-1e30) == std::numeric_limits<C>::lowest());
static_assert(static_cast<double>(C(0.1)) == 26.0 / 256);
static_assert(static_cast<int>(C(-2.75)) == -2);
static_assert(softnum::convert<float>(C(0.1)) == 26.0f / 256);
static_assert(softnum::convert<C, Round::stochastic>(0.1, 0u).raw() == 25);
static_assert(softnum::convert<C, Round::stochastic>(0.1, 0xFFFFFFFFu).raw() == 26);
static_assert(sqrt(Fixed<32, 32>(2.0)).raw() == 6074001000);  // floor(sqrt(2) 2^32 + 1/2)
static_assert((Fixed<1, 63>(0.5) * Fixed<1, 63>(-0.5)).raw() == -(std::int64_t{1} << 61));
static_assert((Fixed<64, 0>(INT64_MAX) + Fixed<64, 0>(1)).raw() == INT64_MAX);
static_assert((Fixed<64, 0, Round::nearest_even, FixedOverflow::wrap>(INT64_MAX) +
               Fixed<64, 0, Round::nearest_even, FixedOverflow::wrap>(1))
                  .raw() == INT64_MIN);
static_assert(softnum::convert<softnum::binary32>(
                  Fixed<32, 32>::from_raw((std::int64_t{1} << 60) + (std::int64_t{1} << 36) + 1))
                  .bits() == 0x4D800001u);  // single rounding: see convert_test
}  // namespace

// ---------------------------------------------------------------------------------------------
// Exact wider results: every pair of codes of small formats, samples of wide ones.

namespace {

template <class A, class B>
void check_exact_ops(long samples) {
  std::mt19937_64 rng(test_seed() + static_cast<std::uint64_t>(A::width * 100 + B::width));
  const fixed_oracle::Format fa = oformat<A>(), fb = oformat<B>();
  long bad = 0, checks = 0;
  auto one = [&](std::uint64_t ca, std::uint64_t cb) {
    const A a = A::from_bits(static_cast<typename A::storage_type>(ca));
    const B b = B::from_bits(static_cast<typename B::storage_type>(cb));
    const Rat va = fixed_oracle::value(Int(a.raw()), fa),
              vb = fixed_oracle::value(Int(b.raw()), fb);
    const auto p = softnum::mul_exact(a, b);
    const auto s = softnum::add_exact(a, b);
    const auto d = softnum::sub_exact(a, b);
    bad += fixed_oracle::value(Int(p.raw()), oformat<decltype(p)>()) != va * vb;
    bad += fixed_oracle::value(Int(s.raw()), oformat<decltype(s)>()) != va + vb;
    bad += fixed_oracle::value(Int(d.raw()), oformat<decltype(d)>()) != va - vb;
    checks += 3;
  };
  if (samples == 0) {
    for (std::uint64_t ca = 0; ca < (std::uint64_t{1} << A::width); ++ca) {
      for (std::uint64_t cb = 0; cb < (std::uint64_t{1} << B::width); ++cb) one(ca, cb);
    }
  } else {
    OperandGen<A> ga(rng());
    OperandGen<B> gb(rng());
    for (long i = 0; i < samples; ++i) {
      one(static_cast<std::uint64_t>(ga()), static_cast<std::uint64_t>(gb()));
    }
  }
  INFO(fmt_name<A>() << " with " << fmt_name<B>() << ": " << checks << " checks");
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("Fixed: exact products, sums and differences in the wider format", "[fixed][exact]") {
  STATIC_REQUIRE(
      std::is_same_v<decltype(softnum::mul_exact(Fixed<4, 4>{}, Fixed<1, 7>{})), Fixed<5, 11>>);
  STATIC_REQUIRE(
      std::is_same_v<decltype(softnum::add_exact(Fixed<4, 4>{}, Fixed<1, 7>{})), Fixed<5, 7>>);
  STATIC_REQUIRE(
      std::is_same_v<decltype(softnum::mul_exact(Fixed<1, 31>{}, Fixed<1, 31>{})), Fixed<2, 62>>);
  check_exact_ops<Fixed<4, 4>, Fixed<1, 7>>(0);
  check_exact_ops<Fixed<8, 0>, Fixed<2, 6>>(0);
  check_exact_ops<Fixed<1, 7>, Fixed<1, 7>>(0);
  check_exact_ops<Fixed<3, 2>, Fixed<6, 2, Round::up, FixedOverflow::wrap>>(0);
  check_exact_ops<Fixed<16, 16>, Fixed<16, 16>>(test_scale::samples(20000L));
  check_exact_ops<Fixed<1, 31>, Fixed<1, 31>>(test_scale::samples(20000L));
  check_exact_ops<Fixed<32, 0>, Fixed<1, 31>>(test_scale::samples(20000L));
  check_exact_ops<Fixed<40, 10>, Fixed<2, 11>>(test_scale::samples(20000L));
}
