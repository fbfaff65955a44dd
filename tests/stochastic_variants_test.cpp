// Per-call stochastic rounding with a chosen variant (A, B, C of IEEE P3109 §4.7.4) and number of
// random bits: every operation on every operand pair of 8-bit P3109 formats, against the
// independent P3109 oracle (tests/oracle/p3109_oracle.hpp); conversions from double; the mean of
// many roundings.
#include <softnum/softnum.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "oracle/p3109_oracle.hpp"
#include "support/float_oracle_bridge.hpp"
#include "support/test_scale.hpp"

using namespace softnum;
namespace p3 = oracle::p3109;

namespace {

template <class T, int K, int P, bool Signed, bool Extended>
struct Case {
  using type = T;
  static p3::Format format() {
    return p3::Format{K, P, Signed, Extended ? p3::Domain::extended : p3::Domain::finite};
  }
};

p3::SRVariant oracle_variant(SRVariant v) {
  return v == SRVariant::A   ? p3::SRVariant::A
         : v == SRVariant::B ? p3::SRVariant::B
                             : p3::SRVariant::C;
}

enum class Op { add, sub, mul, div, sqrt, fma };

template <Stochastic SR, class T>
T run(Op op, T a, T b, T c, std::uint32_t w) {
  switch (op) {
    case Op::add:
      return softnum::add<SR>(a, b, w);
    case Op::sub:
      return softnum::sub<SR>(a, b, w);
    case Op::mul:
      return softnum::mul<SR>(a, b, w);
    case Op::div:
      return softnum::div<SR>(a, b, w);
    case Op::sqrt:
      return softnum::sqrt<SR>(a, w);
    case Op::fma:
      return softnum::fma<SR>(a, b, c, w);
  }
  return T{};
}

template <class C, Stochastic SR>
long check_all(long& checked) {
  using T = typename C::type;
  using st = typename T::storage_type;
  const p3::Format f = C::format();
  const long n = f.codes();
  const p3::SRVariant v = oracle_variant(SR.variant);
  const auto project = [&](const oracle::Exact& e, std::uint32_t w) {
    return p3::project(e, f, oracle::Mode::stochastic, p3::Saturation::none, w, SR.bits, v);
  };
  long bad = 0;
  auto check = [&](const char* what, long want, long got, long i, long j) {
    ++checked;
    if (want != got && ++bad <= 5)
      FAIL_CHECK(what << " variant " << static_cast<int>(SR.variant) << " N=" << SR.bits
                      << " a=" << i << " b=" << j << ": expected " << want << ", got " << got);
  };
  std::mt19937_64 g(SR.bits * 3 + static_cast<int>(SR.variant));
  for (long i = 0; i < n; ++i) {
    const oracle::Exact x = p3::decode(i, f);
    const T a = T::from_bits(static_cast<st>(i));
    std::uint32_t w = static_cast<std::uint32_t>(g());
    check("sqrt", project(oracle::sqrt(x), w), run<SR>(Op::sqrt, a, a, a, w).bits(), i, 0);
    for (long j = test_scale::first(i); j < n; j += test_scale::divisor()) {
      const oracle::Exact y = p3::decode(j, f);
      const T b = T::from_bits(static_cast<st>(j));
      w = static_cast<std::uint32_t>(g());
      check("add", project(oracle::add(x, y, oracle::Mode::stochastic), w),
            run<SR>(Op::add, a, b, b, w).bits(), i, j);
      check("sub", project(oracle::sub(x, y, oracle::Mode::stochastic), w),
            run<SR>(Op::sub, a, b, b, w).bits(), i, j);
      check("mul", project(oracle::mul(x, y), w), run<SR>(Op::mul, a, b, b, w).bits(), i, j);
      check("div", project(p3::div(x, y), w), run<SR>(Op::div, a, b, b, w).bits(), i, j);
      const long l = static_cast<long>(g() % static_cast<std::uint64_t>(n));
      check("fma", project(oracle::fma(x, y, p3::decode(l, f), oracle::Mode::stochastic), w),
            run<SR>(Op::fma, a, b, T::from_bits(static_cast<st>(l)), w).bits(), i, j);
    }
  }
  // Conversions from double: random magnitudes and both signs.
  for (int s = 0; s < 20000; ++s) {
    const double d = std::ldexp(static_cast<double>(g() % 1000003) / 1000003.0,
                                static_cast<int>(g() % 60) - 30) *
                     (g() % 2 ? 1 : -1);
    const std::uint32_t w = static_cast<std::uint32_t>(g());
    check("from double", project(oracle::from_double(d), w), convert<T, SR>(d, w).bits(), s, 0);
  }
  return bad;
}

template <class C>
void check_variants() {
  long checked = 0, bad = 0;
  bad += check_all<C, Stochastic{SRVariant::A, 1}>(checked);
  bad += check_all<C, Stochastic{SRVariant::A, 8}>(checked);
  bad += check_all<C, Stochastic{SRVariant::B, 3}>(checked);
  bad += check_all<C, Stochastic{SRVariant::B, 32}>(checked);
  bad += check_all<C, Stochastic{SRVariant::C, 2}>(checked);
  bad += check_all<C, Stochastic{SRVariant::C, 32}>(checked);
  CHECK(bad == 0);
  const long n = C::format().codes();
  CHECK(checked >= 6 * 5 * n * (n / test_scale::divisor()));
}

}  // namespace

TEMPLATE_TEST_CASE(
    "stochastic rounding variants A, B, C with N bits: every op and pair vs P3109 oracle",
    "[stochastic][p3109][exhaustive8]", (Case<binary8p4se, 8, 4, true, true>),
    (Case<binary8p3sf, 8, 3, true, false>), (Case<binary8p1uf, 8, 1, false, false>),
    (Case<binary8p4ue, 8, 4, false, true>), (Case<binary4p2sf, 4, 2, true, false>)) {
  check_variants<TestType>();
}

TEST_CASE("stochastic rounding variants: means and the Round::stochastic equivalence",
          "[stochastic]") {
  // C with N = 32 is Round::stochastic for small formats (N = min(32, 120 - M)).
  std::mt19937_64 g(5);
  for (int i = 0; i < 100000; ++i) {
    const double d =
        std::ldexp(static_cast<double>(g() % 1000003) / 1000003.0, static_cast<int>(g() % 20) - 10);
    const auto w = static_cast<std::uint32_t>(g());
    REQUIRE(convert<float8_e4m3fn, Stochastic{SRVariant::C, 32}>(d, w).bits() ==
            convert<float8_e4m3fn, Round::stochastic>(d, w).bits());
    const float8_e4m3fn a = float8_e4m3fn::from_bits(static_cast<std::uint8_t>(g() % 0x7E));
    const float8_e4m3fn b = float8_e4m3fn::from_bits(static_cast<std::uint8_t>(g() % 0x7E));
    REQUIRE(add<Stochastic{SRVariant::C, 32}>(a, b, w).bits() ==
            add<Round::stochastic>(a, b, w).bits());
    REQUIRE(div<Stochastic{SRVariant::C, 32}>(a, b, w).bits() ==
            div<Round::stochastic>(a, b, w).bits());
  }
  // 1 + 2^-6 in float8_e4m3fn (ulp 2^-3, nu = 1/8): A with N = 2 rounds up with probability
  // floor(nu * 4) / 4 = 0 (A truncates nu to N bits), B with probability (floor(nu * 8) + 1) / 8 =
  // 2/8, C with probability RNE(nu * 4) / 4 = 0 (a tie, to even).
  const double x = 1.0 + 0.125 / 8;
  auto mean_up = [&](auto conv) {
    int ups = 0;
    for (std::uint32_t r = 0; r < 4; ++r) ups += conv(r << 30).bits() != float8_e4m3fn(1.0).bits();
    return ups;
  };
  CHECK(mean_up([&](std::uint32_t w) {
          return convert<float8_e4m3fn, Stochastic{SRVariant::A, 2}>(x, w);
        }) == 0);
  CHECK(mean_up([&](std::uint32_t w) {
          return convert<float8_e4m3fn, Stochastic{SRVariant::B, 2}>(x, w);
        }) == 1);
  CHECK(mean_up([&](std::uint32_t w) {
          return convert<float8_e4m3fn, Stochastic{SRVariant::C, 2}>(x, w);
        }) == 0);
}
