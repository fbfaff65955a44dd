// Tests of the IEEE P3109 formats (P3109<K, P, Signedness, Domain, Saturation, Round>) against the
// independent P3109 oracle (tests/oracle/p3109_oracle.hpp, written from the Interim Report v4.0):
// every operation on every operand pair in every rounding mode and every saturation mode, fma
// sampled, conversions from double and float near every value and midpoint; the cards of the named
// aliases against the report's table.
#include <softnum/io.hpp>
#include <softnum/quantize.hpp>
#include <softnum/softnum.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "oracle/p3109_oracle.hpp"
#include "support/float_checks.hpp"

using namespace softnum;
using namespace float_checks;
namespace p3 = oracle::p3109;

namespace {

/// A P3109 type with its parameters spelled out for the oracle (not read from the type).
template <class T, int K, int P, bool Signed, bool Extended, Saturation Sat>
struct Case {
  using type = T;
  static p3::Format format() {
    return p3::Format{K, P, Signed, Extended ? p3::Domain::extended : p3::Domain::finite};
  }
  static constexpr p3::Saturation sat = Sat == Saturation::finite      ? p3::Saturation::finite
                                        : Sat == Saturation::propagate ? p3::Saturation::propagate
                                                                       : p3::Saturation::none;
};

template <class T, Saturation S>
using sat = with_saturation_t<T, S>;

#define SOFTNUM_P3109_CASES(S)                                                               \
  (Case<sat<binary8p3se, S>, 8, 3, true, true, S>),                                          \
      (Case<sat<binary8p4se, S>, 8, 4, true, true, S>),                                      \
      (Case<sat<binary8p5se, S>, 8, 5, true, true, S>),                                      \
      (Case<sat<binary8p3sf, S>, 8, 3, true, false, S>),                                     \
      (Case<sat<binary8p4sf, S>, 8, 4, true, false, S>),                                     \
      (Case<sat<binary4p2sf, S>, 4, 2, true, false, S>),                                     \
      (Case<sat<binary8p1uf, S>, 8, 1, false, false, S>),                                    \
      (Case<sat<binary8p4ue, S>, 8, 4, false, true, S>),                                     \
      (Case<P3109<6, 3, Signedness::unsigned_, Domain::extended, S>, 6, 3, false, true, S>), \
      (Case<P3109<5, 1, Signedness::unsigned_, Domain::extended, S>, 5, 1, false, true, S>)

struct Counter {
  long count = 0, checked = 0;
  void check(const char* what, Round r, long want, long got, const std::string& operands) {
    ++checked;
    if (want == got) return;
    if (++count <= 5)
      FAIL_CHECK(what << " [" << bridge::mode_name(r) << "] " << operands << ": expected 0x"
                      << std::hex << want << ", got 0x" << got << std::dec);
  }
};

std::string ops(long a, long b) { return "a=" + std::to_string(a) + " b=" + std::to_string(b); }

template <class C>
void exhaustive() {
  using T = typename C::type;
  using st = typename T::storage_type;
  const p3::Format f = C::format();
  const long n = f.codes();
  REQUIRE((1L << T::codec::width) == n);
  Counter m;
  for (long i = 0; i < n; ++i) {
    const oracle::Exact x = p3::decode(i, f);
    for (Round r : bridge::kModes) {
      const std::uint32_t w =
          bridge::mix(static_cast<std::uint64_t>(i) * 7919u + static_cast<unsigned>(r));
      const long want =
          p3::project(oracle::sqrt(x), f, bridge::mode(r), C::sat, w, bridge::sr_bits<T>());
      m.check("sqrt", r, want, lib_sqrt<T>(r, T::from_bits(static_cast<st>(i)), w).bits(),
              ops(i, 0));
    }
    for (long j = test_scale::first(i); j < n; j += test_scale::divisor()) {
      const oracle::Exact y = p3::decode(j, f);
      const T a = T::from_bits(static_cast<st>(i)), b = T::from_bits(static_cast<st>(j));
      const oracle::Exact prod = oracle::mul(x, y), quot = p3::div(x, y);
      for (Round r : bridge::kModes) {
        const std::uint32_t w =
            bridge::mix((static_cast<std::uint64_t>(i) << 32) ^ static_cast<std::uint64_t>(j) ^
                        (static_cast<std::uint64_t>(r) << 60));
        const oracle::Mode om = bridge::mode(r);
        const int k = bridge::sr_bits<T>();
        m.check("add", r, p3::project(oracle::add(x, y, om), f, om, C::sat, w, k),
                lib<T>(Op::add, r, a, b, w).bits(), ops(i, j));
        m.check("sub", r, p3::project(oracle::sub(x, y, om), f, om, C::sat, w, k),
                lib<T>(Op::sub, r, a, b, w).bits(), ops(i, j));
        m.check("mul", r, p3::project(prod, f, om, C::sat, w, k),
                lib<T>(Op::mul, r, a, b, w).bits(), ops(i, j));
        m.check("div", r, p3::project(quot, f, om, C::sat, w, k),
                lib<T>(Op::div, r, a, b, w).bits(), ops(i, j));
      }
    }
  }
  std::mt19937_64 g(11);
  for (long s = 0; s < test_scale::samples(20000L); ++s) {
    const long i = static_cast<long>(g() % static_cast<std::uint64_t>(n)),
               j = static_cast<long>(g() % static_cast<std::uint64_t>(n)),
               l = static_cast<long>(g() % static_cast<std::uint64_t>(n));
    for (Round r : bridge::kModes) {
      const std::uint32_t w = static_cast<std::uint32_t>(g());
      const oracle::Exact e =
          oracle::fma(p3::decode(i, f), p3::decode(j, f), p3::decode(l, f), bridge::mode(r));
      m.check("fma", r, p3::project(e, f, bridge::mode(r), C::sat, w, bridge::sr_bits<T>()),
              lib_fma<T>(r, T::from_bits(static_cast<st>(i)), T::from_bits(static_cast<st>(j)),
                         T::from_bits(static_cast<st>(l)), w)
                  .bits(),
              ops(i, j) + " c=" + std::to_string(l));
    }
  }
  INFO("checked " << m.checked);
  CHECK(m.count == 0);
  CHECK(m.checked > 7L * 4 * n * (n / test_scale::divisor()));
}

template <class T>
T convert_in(Round r, double d, std::uint32_t w) {
  switch (r) {
    case Round::nearest_even:
      return convert<T, Round::nearest_even>(d, w);
    case Round::nearest_away:
      return convert<T, Round::nearest_away>(d, w);
    case Round::toward_zero:
      return convert<T, Round::toward_zero>(d, w);
    case Round::up:
      return convert<T, Round::up>(d, w);
    case Round::down:
      return convert<T, Round::down>(d, w);
    case Round::odd:
      return convert<T, Round::odd>(d, w);
    case Round::stochastic:
      return convert<T, Round::stochastic>(d, w);
  }
  return T{};
}

template <class C>
void conversions() {
  using T = typename C::type;
  const p3::Format f = C::format();
  std::vector<double> probes = {0.0,
                                -0.0,
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity(),
                                std::numeric_limits<double>::quiet_NaN(),
                                1e-300,
                                -1e-300,
                                1e300,
                                -1e300};
  for (long i = 0; i < f.codes(); ++i) {
    const oracle::Exact x = p3::decode(i, f);
    if (x.kind != oracle::Exact::finite) continue;
    const double v = oracle::to_double(x);
    for (double c : {v, v * 1.0625, v * 0.75, v * 1.5, v * 1.25, v * 0.5})
      for (double s : {c, -c}) {
        double q = s;
        for (int k = 0; k < 3; ++k) q = std::nextafter(q, -1e300);
        for (int k = 0; k < 7; ++k, q = std::nextafter(q, 1e300)) probes.push_back(q);
      }
  }
  std::mt19937_64 g(3);
  for (int i = 0; i < 20000; ++i) {
    double d;
    const std::uint64_t u = g();
    std::memcpy(&d, &u, 8);
    probes.push_back(d);
    probes.push_back(
        std::ldexp(static_cast<double>(g() % 100000) / 99991.0, static_cast<int>(g() % 300) - 150));
  }
  Counter m;
  for (double d : probes)
    for (Round r : bridge::kModes) {
      const std::uint32_t w = bridge::mix(std::hash<double>{}(d) + static_cast<unsigned>(r));
      const long want =
          p3::project(oracle::from_double(d), f, bridge::mode(r), C::sat, w, bridge::sr_bits<T>());
      m.check("from double", r, want, convert_in<T>(r, d, w).bits(), std::to_string(d));
      const float x = static_cast<float>(d);
      const long want_f =
          p3::project(oracle::from_float(x), f, bridge::mode(r), C::sat, w, bridge::sr_bits<T>());
      m.check("from float", r, want_f, convert_in<T>(r, static_cast<double>(x), w).bits(),
              std::to_string(x));
    }
  // quantize<T> on floats (nearest-even and toward zero): the oracle's code decoded to float.
  std::vector<float> xf(probes.size()), yf(probes.size());
  for (std::size_t i = 0; i < probes.size(); ++i) xf[i] = static_cast<float>(probes[i]);
  for (Round r : {Round::nearest_even, Round::toward_zero}) {
    quantize<T>(std::span<const float>(xf), std::span<float>(yf), r);
    for (std::size_t i = 0; i < xf.size(); ++i) {
      const double want = oracle::to_double(
          p3::decode(p3::project(oracle::from_float(xf[i]), f, bridge::mode(r), C::sat), f));
      ++m.checked;
      if (!(want == static_cast<double>(yf[i]) || (std::isnan(want) && std::isnan(yf[i]))) &&
          ++m.count <= 5)
        FAIL_CHECK("quantize x=" << xf[i] << " want " << want << " got " << yf[i]);
    }
  }
  CHECK(m.count == 0);
}

}  // namespace

TEMPLATE_TEST_CASE(
    "P3109 SatNone: + - * / sqrt exhaustively, fma sampled, all modes vs P3109 oracle",
    "[p3109][exhaustive8]", SOFTNUM_P3109_CASES(Saturation::none)) {
  exhaustive<TestType>();
}
TEMPLATE_TEST_CASE(
    "P3109 SatFinite: + - * / sqrt exhaustively, fma sampled, all modes vs P3109 oracle",
    "[p3109][exhaustive8]", SOFTNUM_P3109_CASES(Saturation::finite)) {
  exhaustive<TestType>();
}
TEMPLATE_TEST_CASE(
    "P3109 SatPropagate: + - * / sqrt exhaustively, fma sampled, all modes vs P3109 oracle",
    "[p3109][exhaustive8]", SOFTNUM_P3109_CASES(Saturation::propagate)) {
  exhaustive<TestType>();
}

TEMPLATE_TEST_CASE("P3109 conversions from double and float, quantize, all modes and saturations",
                   "[p3109][conversion]", SOFTNUM_P3109_CASES(Saturation::none),
                   SOFTNUM_P3109_CASES(Saturation::finite),
                   SOFTNUM_P3109_CASES(Saturation::propagate)) {
  conversions<TestType>();
}

// The report's table of the named formats (Interim Report v4.0 §3, checked against gfloat's table).
TEST_CASE("P3109 named aliases: cards", "[p3109][limits]") {
  auto card = [](auto t, int bias, double max, double min_pos, int nan_code, bool inf,
                 int inf_code) {
    using T = decltype(t);
    using L = std::numeric_limits<T>;
    INFO(to_string(L::max()));
    CHECK(T::bias == bias);
    CHECK(static_cast<double>(L::max()) == max);
    CHECK(static_cast<double>(L::denorm_min()) == min_pos);
    CHECK(L::quiet_NaN().bits() == nan_code);
    CHECK(L::has_infinity == inf);
    if (inf) CHECK(L::infinity().bits() == inf_code);
    CHECK(T(1.0).bits() ==
          (L::is_signed ? 1 << (T::codec::width - 2) : 1 << (T::codec::width - 1)));
    CHECK(T(0.0).bits() == 0);
    CHECK(T(-0.0).bits() == 0);  // one zero
  };
  card(binary8p4se{}, 8, 224, std::ldexp(1.0, -10), 0x80, true, 0x7F);
  card(binary8p4sf{}, 8, 240, std::ldexp(1.0, -10), 0x80, false, 0);
  card(binary8p3se{}, 16, 49152, std::ldexp(1.0, -17), 0x80, true, 0x7F);
  card(binary8p3sf{}, 16, 57344, std::ldexp(1.0, -17), 0x80, false, 0);
  card(binary8p4ue{}, 16, 53248, std::ldexp(1.0, -18), 0xFF, true, 0xFE);
  card(binary8p5se{}, 4, 15, std::ldexp(1.0, -7), 0x80, true, 0x7F);
  card(binary8p1uf{}, 128, std::ldexp(1.0, 126), std::ldexp(1.0, -127), 0xFF, false, 0);
  card(binary4p2sf{}, 2, 3.0, 0.25, 0x8, false, 0);
  // Signed finite = ml_dtypes fnuz codes; -inf code of the signed extended formats.
  for (int c = 0; c < 256; ++c) {
    const auto b = static_cast<std::uint8_t>(c);
    const double v = static_cast<double>(binary8p4sf::from_bits(b)),
                 u = static_cast<double>(float8_e4m3fnuz::from_bits(b));
    CHECK((v == u || (std::isnan(v) && std::isnan(u))));
  }
  CHECK(binary8p4se::from_bits(0xFF) == -std::numeric_limits<binary8p4se>::infinity());
  // x / 0 = NaN, no -0, saturation modes, with_saturation_t keeps the codes.
  CHECK(isnan(binary8p4se(1.0) / binary8p4se(0.0)));
  CHECK((binary8p4se(-1.0) * binary8p4se(0.0)).bits() == 0);
  CHECK(binary8p4se(1e6).bits() == 0x7F);
  CHECK(sat<binary8p4se, Saturation::finite>(1e6).bits() == 0x7E);
  CHECK(sat<binary8p4se, Saturation::propagate>(1e6).bits() == 0x7E);
  CHECK(sat<binary8p4se, Saturation::propagate>(std::numeric_limits<double>::infinity()).bits() ==
        0x7F);
  CHECK(sat<binary8p4se, Saturation::finite>(std::numeric_limits<double>::infinity()).bits() ==
        0x7E);
  CHECK(isnan(binary8p4ue(-1.0)));
  CHECK(sat<binary8p4ue, Saturation::finite>(-1.0).bits() == 0);
  CHECK(binary8p4ue(-1e-30).bits() == 0);
  CHECK(to_string(binary8p4se(0.1)) == "0.1");  // the shortest text that reads back as 0.1015625
  CHECK(from_string<binary8p4se>("inf").value.bits() == 0x7F);
}
