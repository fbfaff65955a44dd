// Tests for softnum/float.hpp against the independent oracle (tests/oracle/oracle.hpp):
// exhaustive for every format of 8 bits or fewer, sampled plus edge cases for 16 bits and wider,
// bit-exact against hardware for binary32/binary64 (and __float128 for binary128).
#include <softnum/softnum.hpp>

#include "support/float_checks.hpp"
#include "support/float_oracle_bridge.hpp"
#include "support/test_scale.hpp"

#include <catch2/catch.hpp>

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace softnum;
using bridge::Mismatches;
using namespace float_checks;

// ---- exhaustive: every format of 8 bits or fewer that the library names, plus odd ones ----
TEMPLATE_TEST_CASE("exhaustive small formats: + - * / sqrt in all modes vs oracle", "[float][exhaustive8]",
                   float8_e4m3fn, float8_e4m3, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz,
                   float6_e2m3fn, float6_e3m2fn, float4_e2m1fn, (Float<2, 5>), (Float<6, 1>),
                   (Float<3, 4, Specials::ieee, Overflow::infinity, Round::nearest_even, false>),
                   (with_overflow_t<float8_e4m3fn, Overflow::saturate>),
                   (with_overflow_t<float8_e5m2, Overflow::saturate>),
                   (with_overflow_t<float8_e5m2, Overflow::nan>), (Float<3, 0, Specials::fn>),
                   (Float<1, 5, Specials::finite>), (Float<4, 2, Specials::fnuz, Overflow::saturate>)) {
  exhaustive_small<TestType>();
}

TEST_CASE("fma exhaustive for float8_e4m3fn (2^24 triples, all modes)", "[.exhaustive][float]") {
  Mismatches m;
  for (int a = 0; a < 256; ++a)
    for (int b = 0; b < 256; ++b)
      for (int c = 0; c < 256; ++c)
        check_fma<float8_e4m3fn>(m, static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b), static_cast<std::uint8_t>(c));
  CHECK(m.count == 0);
}

// ---- 16-bit: random pairs plus constructed edge cases ----
namespace {
template <class T>
std::vector<typename T::storage_type> edge_values() {
  using st = typename T::storage_type;
  using C = typename T::codec;
  std::vector<st> v;
  const st M = T::mantissa_bits;
  for (st mag : {st(0), st(1), st(2), st(3), static_cast<st>(C::frac_mask - 1), C::frac_mask,
                 static_cast<st>(C::frac_mask + 1), static_cast<st>(C::frac_mask + 2),
                 static_cast<st>(st(C::bias) << M), static_cast<st>((st(C::bias) << M) + 1),
                 static_cast<st>((st(C::bias) << M) - 1), static_cast<st>((st(C::bias + 1) << M) - 1),
                 static_cast<st>(C::max_bits - 1), C::max_bits, static_cast<st>(C::max_bits + 1),
                 static_cast<st>(C::mag_mask), static_cast<st>((st(C::bias + 3) << M) | (st(1) << (M - 1)))}) {
    v.push_back(mag);
    v.push_back(static_cast<st>(mag | C::sign_mask));
  }
  return v;
}

template <class T>
void random_16(Op op, long n) {
  using st = typename T::storage_type;
  Mismatches m;
  std::mt19937_64 g(0x5eedu + static_cast<unsigned>(op));
  const auto edges = edge_values<T>();
  for (st a : edges)
    for (st b : edges) check_binary<T>(m, op, a, b);
  for (long k = 0; k < n; ++k) {
    const st a = static_cast<st>(g());
    st b = static_cast<st>(g());
    switch (k % 4) {  // steer towards hard cases: near-cancellation, ties, near-equal exponents
      case 1: b = static_cast<st>(a ^ (g() & 0x3)); break;
      case 2: b = static_cast<st>((static_cast<std::uint64_t>(a) & ~std::uint64_t{0x3F}) | (g() & 0x3F)); break;
      default: break;
    }
    check_binary<T>(m, op, a, b);
  }
  CHECK(m.count == 0);
  CHECK(m.checked >= 7 * n);
}
}  // namespace

TEMPLATE_TEST_CASE("16-bit: 10^6 random pairs per op and mode plus edge cases vs oracle", "[float][random16]",
                   binary16, bfloat16) {
  SECTION("add") { random_16<TestType>(Op::add, test_scale::samples(1000000)); }
  SECTION("sub") { random_16<TestType>(Op::sub, test_scale::samples(1000000)); }
  SECTION("mul") { random_16<TestType>(Op::mul, test_scale::samples(1000000)); }
  SECTION("div") { random_16<TestType>(Op::div, test_scale::samples(1000000)); }
}

TEMPLATE_TEST_CASE("16-bit: sqrt exhaustive and fma sampled vs oracle", "[float][random16]", binary16, bfloat16) {
  using st = typename TestType::storage_type;
  Mismatches m;
  for (int i = 0; i < 65536; ++i) check_sqrt<TestType>(m, static_cast<st>(i));
  std::mt19937_64 g(11);
  for (long k = 0; k < test_scale::samples(200000L); ++k) check_fma<TestType>(m, static_cast<st>(g()), static_cast<st>(g()), static_cast<st>(g()));
  // The classic fma double-rounding trap: a*b a midpoint, c tiny of either sign.
  for (int k = 0; k < 2000; ++k) {
    const st a = static_cast<st>(0x3C00 | (g() & 0x3FF)), b = static_cast<st>(0x3C00 | (g() & 0x3FF));
    for (st c : {st(1), st(0x8001), st(2), st(0x8002)}) check_fma<TestType>(m, a, b, c);
  }
  CHECK(m.count == 0);
}

// Shortcut-versus-integer-path regression: all 2^32 pairs (ROUNDING.md §6: this is what licenses
// the float-lane and via-double shortcuts for 16-bit formats). On demand: ctest -L exhaustive.
namespace {
template <class T>
void exhaustive_shortcut(Round r) {
  using C = typename T::codec;
  using A = typename T::arith;
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<long> bad(threads, 0);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (std::uint32_t a = t; a < 65536; a += threads)
        for (std::uint32_t b = 0; b < 65536; ++b) {
          const auto x = static_cast<std::uint16_t>(a), y = static_cast<std::uint16_t>(b);
          const std::uint32_t w = bridge::mix((a << 16) | b);
          const std::uint16_t f[4] = {A::add(x, y, r, w), A::mul(x, y, r, w), A::div(x, y, r, w), A::sqrt(x, r, w)};
          const std::uint16_t s[4] = {C::add(x, y, r, w), C::mul(x, y, r, w), C::div(x, y, r, w), C::sqrt(x, r, w)};
          for (int o = 0; o < 4; ++o)
            if (f[o] != s[o] && !(C::is_nan(f[o]) && C::is_nan(s[o]))) ++bad[t];
        }
    });
  for (auto& th : pool) th.join();
  long total = 0;
  for (long b : bad) total += b;
  CHECK(total == 0);
}
}  // namespace

TEMPLATE_TEST_CASE("16-bit exhaustive: shortcut paths equal the integer path on all 2^32 pairs",
                   "[.exhaustive][float]", binary16, bfloat16) {
  for (Round r : bridge::kModes) {
    INFO(bridge::mode_name(r));
    exhaustive_shortcut<TestType>(r);
  }
}

// ---- binary32 / binary64: bit-exact against hardware in all four IEEE modes ----
namespace {
template <class T, class H, class U>
void against_hardware(long n) {
  std::mt19937_64 g(3);
  const int modes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD};
  const Round ours[] = {Round::nearest_even, Round::toward_zero, Round::up, Round::down};
  long bad = 0;
  for (int k = 0; k < 4; ++k) {
    for (long i = 0; i < n; ++i) {
      U ua = static_cast<U>(g()), ub = static_cast<U>(g()), uc = static_cast<U>(g());
      if (i % 3 == 1) ub = static_cast<U>(ua ^ (g() & 0xFF));
      volatile H a, b, c;
      std::memcpy(const_cast<H*>(&a), &ua, sizeof(H));
      std::memcpy(const_cast<H*>(&b), &ub, sizeof(H));
      std::memcpy(const_cast<H*>(&c), &uc, sizeof(H));
      std::fesetround(modes[k]);
      const H hw[5] = {a + b, a * b, a / b, std::sqrt(a), std::fma(a, b, c)};
      std::fesetround(FE_TONEAREST);
      const T x = T::from_bits(ua), y = T::from_bits(ub), z = T::from_bits(uc);
      const Round r = ours[k];
      const T sw[5] = {lib<T>(Op::add, r, x, y, 0), lib<T>(Op::mul, r, x, y, 0), lib<T>(Op::div, r, x, y, 0),
                       lib_sqrt<T>(r, x, 0), lib_fma<T>(r, x, y, z, 0)};
      for (int o = 0; o < 5; ++o) {
        U hb;
        std::memcpy(&hb, &hw[o], sizeof(H));
        const bool both_nan = hw[o] != hw[o] && isnan(sw[o]);
        if (hb != sw[o].bits() && !both_nan && ++bad <= 5)
          FAIL_CHECK("op " << o << " mode " << k << " a=" << ua << " b=" << ub << " c=" << uc << " hw=" << hb
                           << " softnum=" << sw[o].bits());
      }
    }
  }
  CHECK(bad == 0);
}
}  // namespace

TEST_CASE("binary32 is bit-exact against hardware float in all IEEE modes", "[float][hardware]") {
  against_hardware<binary32, float, std::uint32_t>(test_scale::samples(300000));
}
TEST_CASE("binary64 is bit-exact against hardware double in all IEEE modes", "[float][hardware]") {
  against_hardware<binary64, double, std::uint64_t>(test_scale::samples(150000));
}

// Not in the bare-metal build (SOFTNUM_TEST_PORTABLE_INT128): there u128 is a struct whose layout
// is not __float128's, so the bits cannot be copied between them.
#if defined(__SIZEOF_FLOAT128__) && !defined(__clang__) && !defined(SOFTNUM_TEST_PORTABLE_INT128)
TEST_CASE("binary128 agrees with __float128 (round to nearest even)", "[float][binary128]") {
  std::mt19937_64 g(5);
  long bad = 0;
  for (int i = 0; i < 200000; ++i) {
    softnum::detail::u128 ua = (static_cast<softnum::detail::u128>(g()) << 64) | g();
    softnum::detail::u128 ub = (static_cast<softnum::detail::u128>(g()) << 64) | g();
    if (i % 3 == 1) ub = ua ^ (g() & 0xFFFF);
    if (i % 5 == 2) ub = (ub & ~(static_cast<softnum::detail::u128>(0x7FFF) << 112)) | (ua & (static_cast<softnum::detail::u128>(0x7FFF) << 112));
    __float128 a, b;
    std::memcpy(&a, &ua, 16);
    std::memcpy(&b, &ub, 16);
    const __float128 hw[4] = {a + b, a - b, a * b, a / b};
    const binary128 x = binary128::from_bits(ua), y = binary128::from_bits(ub);
    const binary128 sw[4] = {x + y, x - y, x * y, x / y};
    for (int o = 0; o < 4; ++o) {
      softnum::detail::u128 hb;
      std::memcpy(&hb, &hw[o], 16);
      if (hb != sw[o].bits() && !(hw[o] != hw[o] && isnan(sw[o]))) ++bad;
    }
  }
  CHECK(bad == 0);
}
#endif

TEST_CASE("binary128 and other wide formats vs oracle in all modes", "[float][wide]") {
  std::mt19937_64 g(9);
  Mismatches m;
  for (int i = 0; i < 3000; ++i) {
    const softnum::detail::u128 a = (static_cast<softnum::detail::u128>(g()) << 64) | g();
    softnum::detail::u128 b = (static_cast<softnum::detail::u128>(g()) << 64) | g();
    if (i % 2) b = (b & ~(static_cast<softnum::detail::u128>(0x7FFF) << 112)) | (a & (static_cast<softnum::detail::u128>(0x7FF0) << 112));
    for (Op op : {Op::add, Op::sub, Op::mul, Op::div}) check_binary<binary128>(m, op, a, b);
    check_sqrt<binary128>(m, a);
    check_fma<binary128>(m, a, b, static_cast<softnum::detail::u128>(g()) | (a & (static_cast<softnum::detail::u128>(0x7FFF) << 112)));
  }
  for (int i = 0; i < 20000; ++i) {  // binary64 in the modes hardware lacks, and a 40-bit format
    const std::uint64_t a = g(), b = i % 2 ? (a ^ (g() & 0xFFFF)) : g();
    for (Op op : {Op::add, Op::mul, Op::div}) check_binary<binary64>(m, op, a, b);
    check_fma<binary64>(m, a, b, g());
    using F40 = Float<9, 30>;
    const auto c = static_cast<std::uint64_t>(a & ((1ull << 40) - 1)), d = static_cast<std::uint64_t>(b & ((1ull << 40) - 1));
    for (Op op : {Op::add, Op::mul, Op::div}) check_binary<F40>(m, op, c, d);
    check_sqrt<F40>(m, c);
    check_fma<binary32>(m, static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(g()));
  }
  CHECK(m.count == 0);
}

// ---- conversions ----
TEMPLATE_TEST_CASE("conversion from double: near every value and midpoint, all modes", "[float][conversion]",
                   float8_e4m3fn, float8_e4m3, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz, float6_e2m3fn,
                   float6_e3m2fn, float4_e2m1fn, binary16, bfloat16) {
  using T = TestType;
  using st = typename T::storage_type;
  const oracle::Format f = bridge::format<T>();
  Mismatches m;
  std::vector<double> probes = {0.0, -0.0, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max(), 1e-300, -1e300};
  const int n = 1 << (1 + T::exponent_bits + T::mantissa_bits);
  for (int i = 0; i < n; ++i) {
    const T x = T::from_bits(static_cast<st>(i));
    if (!isfinite(x)) continue;
    const double v = static_cast<double>(x);
    const T nx = nextafter(x, std::numeric_limits<T>::max());
    const double mid = isfinite(nx) ? (v + static_cast<double>(nx)) / 2 : v * 1.0625;
    for (double p : {v, mid}) {
      double q = p;
      for (int k = 0; k < 3; ++k) q = std::nextafter(q, -1e300);
      for (int k = 0; k < 7; ++k, q = std::nextafter(q, 1e300)) probes.push_back(q);
    }
  }
  std::mt19937_64 g(13);
  for (int i = 0; i < 20000; ++i) {
    double d;
    const std::uint64_t u = g();
    std::memcpy(&d, &u, 8);
    probes.push_back(d);
    probes.push_back(std::ldexp(static_cast<double>(g() % 100000) / 99991.0, static_cast<int>(g() % 60) - 40));
  }
  for (double d : probes)
    for (Round r : bridge::kModes) {
      const std::uint32_t w = bridge::mix(std::hash<double>{}(d) + static_cast<unsigned>(r));
      const oracle::Bits want = oracle::round(oracle::from_double(d), f, bridge::mode(r), w, bridge::sr_bits<T>());
      T got;
      switch (r) {
        case Round::nearest_even: got = convert<T, Round::nearest_even>(d, w); break;
        case Round::nearest_away: got = convert<T, Round::nearest_away>(d, w); break;
        case Round::toward_zero: got = convert<T, Round::toward_zero>(d, w); break;
        case Round::up: got = convert<T, Round::up>(d, w); break;
        case Round::down: got = convert<T, Round::down>(d, w); break;
        case Round::odd: got = convert<T, Round::odd>(d, w); break;
        case Round::stochastic: got = convert<T, Round::stochastic>(d, w); break;
      }
      // Conversions keep the NaN's sign: compare bits exactly, NaN included.
      m.check<T>("from double", r, want, got.bits(), std::to_string(d));
    }
  // The constructor rounds in the type's mode, and double(x) is exact.
  for (int i = 0; i < n; ++i) {
    const T x = T::from_bits(static_cast<st>(i));
    if (isnan(x)) continue;
    CHECK(T(static_cast<double>(x)).bits() == (iszero(x) && T::specials == Specials::fnuz ? 0 : x.bits()));
  }
  CHECK(m.count == 0);
}

TEST_CASE("conversion between Float formats is one rounding (exhaustive from 8-bit and 16-bit sources)",
          "[float][conversion]") {
  Mismatches m;
  auto run = [&](auto src_tag, auto dst_tag) {
    using S = decltype(src_tag);
    using D = decltype(dst_tag);
    using st = typename S::storage_type;
    const int n = 1 << (1 + S::exponent_bits + S::mantissa_bits);
    for (int i = 0; i < n; ++i) {
      const S x = S::from_bits(static_cast<st>(i));
      const oracle::Exact e = oracle::decode(static_cast<oracle::Bits>(i), bridge::format<S>());
      for (Round r : {Round::nearest_even, Round::toward_zero, Round::up, Round::down, Round::odd}) {
        D got;
        switch (r) {
          case Round::nearest_even: got = convert<D, Round::nearest_even>(x); break;
          case Round::toward_zero: got = convert<D, Round::toward_zero>(x); break;
          case Round::up: got = convert<D, Round::up>(x); break;
          case Round::down: got = convert<D, Round::down>(x); break;
          default: got = convert<D, Round::odd>(x); break;
        }
        m.check<D>("convert", r, oracle::round(e, bridge::format<D>(), bridge::mode(r)), got.bits(), std::to_string(i));
      }
    }
  };
  run(binary16{}, float8_e4m3fn{});
  run(binary16{}, float8_e5m2{});
  run(bfloat16{}, float8_e4m3fnuz{});
  run(bfloat16{}, binary16{});
  run(binary16{}, bfloat16{});
  run(float8_e5m2{}, float8_e4m3fn{});
  run(float8_e4m3fn{}, float4_e2m1fn{});
  run(float8_e4m3fn{}, float6_e3m2fn{});
  run(float6_e2m3fn{}, float8_e5m2fnuz{});
  CHECK(m.count == 0);
}

TEST_CASE("conversion from integers, all modes", "[float][conversion]") {
  Mismatches m;
  std::mt19937_64 g(17);
  for (int i = 0; i < 100000; ++i) {
    const std::int64_t v = static_cast<std::int64_t>(g()) >> (g() % 64);
    const std::uint64_t u = g() >> (g() % 64);
    for (Round r : {Round::nearest_even, Round::nearest_away, Round::toward_zero, Round::up, Round::down}) {
      const oracle::Exact ev = oracle::from_integer(oracle::Int(v)), eu = oracle::from_integer(oracle::Int(u));
      switch (r) {
        case Round::nearest_even:
          m.check<binary16>("int", r, oracle::round(ev, bridge::format<binary16>(), bridge::mode(r)), convert<binary16, Round::nearest_even>(v).bits(), std::to_string(v));
          m.check<binary32>("uint", r, oracle::round(eu, bridge::format<binary32>(), bridge::mode(r)), convert<binary32, Round::nearest_even>(u).bits(), std::to_string(u));
          m.check<binary64>("int", r, oracle::round(ev, bridge::format<binary64>(), bridge::mode(r)), convert<binary64, Round::nearest_even>(v).bits(), std::to_string(v));
          break;
        case Round::up:
          m.check<bfloat16>("int", r, oracle::round(ev, bridge::format<bfloat16>(), bridge::mode(r)), convert<bfloat16, Round::up>(v).bits(), std::to_string(v));
          m.check<binary32>("uint", r, oracle::round(eu, bridge::format<binary32>(), bridge::mode(r)), convert<binary32, Round::up>(u).bits(), std::to_string(u));
          break;
        case Round::down:
          m.check<float8_e5m2>("int", r, oracle::round(ev, bridge::format<float8_e5m2>(), bridge::mode(r)), convert<float8_e5m2, Round::down>(v).bits(), std::to_string(v));
          break;
        default:
          break;
      }
    }
    CHECK(static_cast<std::int64_t>(binary64(static_cast<double>(v >> 12))) == (v >> 12));
  }
  CHECK(m.count == 0);
}

// ---- stochastic rounding ----
TEST_CASE("stochastic rounding is unbiased and reproducible", "[float][stochastic]") {
  // x = 1 + 2^-12 + 2^-14 lies between binary16 neighbours 1 and 1 + 2^-10 at fraction 5/16.
  const binary16 one(1.0), tiny(0x1p-12 + 0x1p-14);
  const int n = 200000;
  Philox gen(2024);
  long ups = 0;
  for (int i = 0; i < n; ++i) ups += add<Round::stochastic>(one, tiny, gen) != one;
  const double p = 5.0 / 16.0, sd = std::sqrt(n * p * (1 - p));
  CHECK(std::abs(static_cast<double>(ups) - n * p) < 5 * sd);
  // Deterministic rule with injected words: up iff F + r >= 2^k (F = 5/16 * 2^32).
  CHECK(add<Round::stochastic>(one, tiny, 0xAFFFFFFFu) == one);
  CHECK(add<Round::stochastic>(one, tiny, 0xB0000000u) != one);
  // Same seed, same bits, whatever the number of threads: words from random_word(seed, i, 0).
  auto run = [&](unsigned threads) {
    std::vector<std::uint16_t> out(100000);
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        for (std::size_t i = t; i < out.size(); i += threads)
          out[i] = mul<Round::stochastic>(binary16(1.0 + static_cast<double>(i % 977) / 977.0), binary16(0.3),
                                          random_word(77, i, 0)).bits();
      });
    for (auto& th : pool) th.join();
    return out;
  };
  CHECK(run(1) == run(3));
  // The operators of a stochastic type draw from the per-thread generator seeded by seed().
  using SR16 = with_round_t<binary16, Round::stochastic>;
  softnum::seed(5);
  const SR16 a = SR16(one) + SR16(tiny);
  softnum::seed(5);
  CHECK((SR16(one) + SR16(tiny)).bits() == a.bits());
}

// ---- the rest of the contract ----
TEST_CASE("comparisons, classification and sign functions", "[float][api]") {
  using L = std::numeric_limits<binary16>;
  CHECK(binary16(-0.0) == binary16(0.0));
  CHECK_FALSE(L::quiet_NaN() == L::quiet_NaN());
  CHECK(L::quiet_NaN() != L::quiet_NaN());
  CHECK_FALSE(L::quiet_NaN() < binary16(1.0));
  CHECK_FALSE(L::quiet_NaN() >= binary16(1.0));
  CHECK(-L::infinity() < L::lowest());
  CHECK(signbit(binary16(-0.0)));
  CHECK(copysign(binary16(2.0), binary16(-1.0)) == binary16(-2.0));
  CHECK(abs(binary16(-3.0)) == binary16(3.0));
  CHECK(isnan(abs(float8_e4m3fnuz::from_bits(0x80))));      // fnuz NaN has the sign bit
  CHECK(isnan(-float8_e4m3fnuz::from_bits(0x80)));
  CHECK((-float8_e4m3fnuz(0.0)).bits() == 0);
  CHECK(std::hash<binary16>{}(binary16(0.0)) == std::hash<binary16>{}(binary16(-0.0)));
  int e = 0;
  const binary16 fr = frexp(binary16(48.0), &e);
  CHECK(fr == binary16(0.75));
  CHECK(e == 6);
  CHECK(ldexp(binary16(0.75), 6) == binary16(48.0));
  CHECK(ldexp(binary16(1.0), 100) == L::infinity());
  CHECK(nextafter(binary16(1.0), binary16(2.0)).bits() == 0x3C01);
  CHECK(nextafter(binary16(0.0), binary16(-1.0)).bits() == 0x8001);
  CHECK(nextafter(L::max(), L::infinity()) == L::infinity());
  CHECK(isnan(nextafter(float8_e4m3fn(448.0), float8_e4m3fn(500.0))));
  // Exhaustively: ordering of the codes agrees with the order of their exact values.
  const oracle::Format f = bridge::format<float8_e5m2>();
  for (int i = 0; i < 256; ++i)
    for (int j = 0; j < 256; ++j) {
      const auto a = float8_e5m2::from_bits(static_cast<std::uint8_t>(i)), b = float8_e5m2::from_bits(static_cast<std::uint8_t>(j));
      if (isnan(a) || isnan(b)) continue;
      const double da = oracle::to_double(oracle::decode(static_cast<oracle::Bits>(i), f));
      const double db = oracle::to_double(oracle::decode(static_cast<oracle::Bits>(j), f));
      REQUIRE((a < b) == (da < db));
      REQUIRE((a == b) == (da == db));
    }
}

TEST_CASE("numeric_limits of binary32/binary64 equal float/double's", "[float][limits]") {
  auto same_bits = [](auto a, auto b) { return std::memcmp(&a, &b, sizeof b) == 0; };
  using L32 = std::numeric_limits<binary32>;
  using F = std::numeric_limits<float>;
  CHECK(same_bits(L32::max().bits(), std::bit_cast<std::uint32_t>(F::max())));
  CHECK(same_bits(L32::min().bits(), std::bit_cast<std::uint32_t>(F::min())));
  CHECK(same_bits(L32::lowest().bits(), std::bit_cast<std::uint32_t>(F::lowest())));
  CHECK(same_bits(L32::epsilon().bits(), std::bit_cast<std::uint32_t>(F::epsilon())));
  CHECK(same_bits(L32::denorm_min().bits(), std::bit_cast<std::uint32_t>(F::denorm_min())));
  CHECK(same_bits(L32::infinity().bits(), std::bit_cast<std::uint32_t>(F::infinity())));
  CHECK(same_bits(L32::round_error().bits(), std::bit_cast<std::uint32_t>(F::round_error())));
  CHECK(L32::digits == F::digits);
  CHECK(L32::min_exponent == F::min_exponent);
  CHECK(L32::max_exponent == F::max_exponent);
  using L64 = std::numeric_limits<binary64>;
  using D = std::numeric_limits<double>;
  CHECK(L64::max().bits() == std::bit_cast<std::uint64_t>(D::max()));
  CHECK(L64::min().bits() == std::bit_cast<std::uint64_t>(D::min()));
  CHECK(L64::epsilon().bits() == std::bit_cast<std::uint64_t>(D::epsilon()));
  CHECK(L64::denorm_min().bits() == std::bit_cast<std::uint64_t>(D::denorm_min()));
  CHECK(L64::digits10 == D::digits10);
  CHECK(L64::min_exponent == D::min_exponent);
  CHECK(L64::max_exponent == D::max_exponent);
  // max_exponent10 of every alias against a direct computation.
  auto check10 = [](auto t) {
    using T = decltype(t);
    using L = std::numeric_limits<T>;
    CHECK(L::max_exponent10 == static_cast<int>(std::floor(std::log10(static_cast<double>(L::max())))));
    CHECK(L::min_exponent10 == static_cast<int>(std::ceil(std::log10(static_cast<double>(L::min())))));
  };
  check10(binary16{});
  check10(bfloat16{});
  check10(float8_e4m3fn{});
  check10(float8_e5m2{});
  check10(float8_e4m3fnuz{});
  check10(float6_e3m2fn{});
  check10(float4_e2m1fn{});
}

TEST_CASE("the via-float lanes path vectorises without changing results", "[float][lanes]") {
  // Loops over arrays run the same code as scalar calls: compare an array loop with per-element
  // generic (integer path) results for every binary16 pair with a fixed b.
  using C = binary16::codec;
  std::vector<binary16> a(65536), c(65536);
  for (int i = 0; i < 65536; ++i) a[static_cast<std::size_t>(i)] = binary16::from_bits(static_cast<std::uint16_t>(i));
  for (std::uint16_t bb : {std::uint16_t{0x3C00}, std::uint16_t{0x0001}, std::uint16_t{0x7BFF}, std::uint16_t{0x8400}}) {
    const binary16 b = binary16::from_bits(bb);
    for (std::size_t i = 0; i < a.size(); ++i) c[i] = a[i] * b + b;
    long bad = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto p = C::mul(a[i].bits(), bb, Round::nearest_even, 0);
      const auto s = C::add(p, bb, Round::nearest_even, 0);
      bad += s != c[i].bits() && !(C::is_nan(s) && C::is_nan(c[i].bits()));
    }
    CHECK(bad == 0);
  }
}
