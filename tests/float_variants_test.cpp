// Tests of the Float layout variants (shared/DESIGN.md "Scale types, P3109 and other variants"):
// free exponent bias, unsigned formats, formats without zero (OCP E8M0), against the independent
// oracle (tests/oracle/oracle.hpp): every operation exhaustively in every rounding mode,
// conversions from double and float near every value and midpoint, quantize, io; each named
// format's card against the numbers its standard or library states.
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

#include "support/float_checks.hpp"
#include "support/float_oracle_bridge.hpp"

using namespace softnum;
using bridge::Mismatches;
using namespace float_checks;

namespace {

// Odd shapes beside the named ones: an unsigned IEEE-style format, a free bias below and above the
// standard one, a format without zero that has fraction bits, an unsigned one without subnormals.
using ue5m2 = Float<5, 2, Specials::ieee, Overflow::infinity, Round::nearest_even, true,
                    FloatSpec{FloatSpec::standard_bias, Signedness::unsigned_}>;
using e4m3_bias3 =
    Float<4, 3, Specials::fn, Overflow::nan, Round::nearest_even, true, FloatSpec{3}>;
using e3m2_bias_neg2 =
    Float<3, 2, Specials::ieee, Overflow::infinity, Round::nearest_even, true, FloatSpec{-2}>;
using e5m2_nozero = Float<5, 2, Specials::fn, Overflow::nan, Round::nearest_even, false,
                          FloatSpec{20, Signedness::unsigned_, false}>;
using e6m2_unsigned_nosub = Float<6, 2, Specials::fn, Overflow::saturate, Round::nearest_even,
                                  false, FloatSpec{31, Signedness::unsigned_}>;

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
template <class T>
T convert_in(Round r, float x, std::uint32_t w) {
  switch (r) {
    case Round::nearest_even:
      return convert<T, Round::nearest_even>(x, w);
    case Round::nearest_away:
      return convert<T, Round::nearest_away>(x, w);
    case Round::toward_zero:
      return convert<T, Round::toward_zero>(x, w);
    case Round::up:
      return convert<T, Round::up>(x, w);
    case Round::down:
      return convert<T, Round::down>(x, w);
    case Round::odd:
      return convert<T, Round::odd>(x, w);
    case Round::stochastic:
      return convert<T, Round::stochastic>(x, w);
  }
  return T{};
}

/// Doubles near every value of T and every midpoint (3 below to 3 above), both signs, specials,
/// extremes and random bit patterns and magnitudes.
template <class T>
std::vector<double> probes() {
  using st = typename T::storage_type;
  std::vector<double> p = {0.0,
                           -0.0,
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN(),
                           -std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::max(),
                           1e-300,
                           -1e300,
                           1e-45,
                           -1e-45};
  const int n = 1 << T::codec::width;
  for (int i = 0; i < n; ++i) {
    const T x = T::from_bits(static_cast<st>(i));
    if (!isfinite(x)) continue;
    const double v = static_cast<double>(x);
    const T nx = nextafter(x, std::numeric_limits<T>::max());
    const double next =
        isfinite(nx) && static_cast<double>(nx) > v ? static_cast<double>(nx) : 2 * v + 1;
    for (double c : {v, (v + next) / 2, v / 2, 0.75 * v}) {
      for (double s : {c, -c}) {
        double q = s;
        for (int k = 0; k < 3; ++k) q = std::nextafter(q, -1e300);
        for (int k = 0; k < 7; ++k, q = std::nextafter(q, 1e300)) p.push_back(q);
      }
    }
  }
  std::mt19937_64 g(13);
  for (int i = 0; i < 20000; ++i) {
    double d;
    const std::uint64_t u = g();
    std::memcpy(&d, &u, 8);
    p.push_back(d);
    p.push_back(
        std::ldexp(static_cast<double>(g() % 100000) / 99991.0, static_cast<int>(g() % 300) - 150));
  }
  return p;
}

template <class T>
void check_conversions() {
  using st = typename T::storage_type;
  const oracle::Format f = bridge::format<T>();
  Mismatches m;
  for (double d : probes<T>()) {
    for (Round r : bridge::kModes) {
      const std::uint32_t w = bridge::mix(std::hash<double>{}(d) + static_cast<unsigned>(r));
      const oracle::Bits want =
          oracle::round(oracle::from_double(d), f, bridge::mode(r), w, bridge::sr_bits<T>());
      m.check<T>("from double", r, want, convert_in<T>(r, d, w).bits(), std::to_string(d));
      const float x = static_cast<float>(d);
      const oracle::Bits want_f =
          oracle::round(oracle::from_float(x), f, bridge::mode(r), w, bridge::sr_bits<T>());
      m.check<T>("from float", r, want_f, convert_in<T>(r, x, w).bits(), std::to_string(x));
    }
  }
  // The constructors round in the type's mode; double(x) and float(x) are exact; integers.
  const int n = 1 << T::codec::width;
  for (int i = 0; i < n; ++i) {
    const T x = T::from_bits(static_cast<st>(i));
    if (isnan(x)) continue;
    const bool canonical_zero =
        iszero(x) && (T::specials == Specials::fnuz || !T::codec::is_signed);
    CHECK(T(static_cast<double>(x)).bits() == (canonical_zero ? 0 : x.bits()));
    CHECK(T(static_cast<float>(x)).bits() == (canonical_zero ? 0 : x.bits()));
  }
  for (long v = -300; v <= 300; ++v) {
    const oracle::Bits want = oracle::round(oracle::from_integer(v), f, oracle::Mode::nearest_even);
    m.check<T>("from int", Round::nearest_even, want, T(static_cast<int>(v)).bits(),
               std::to_string(v));
  }
  CHECK(m.count == 0);
  CHECK(m.checked > 1000);
}

/// quantize<T> on float and double arrays equals the oracle element by element (all modes).
template <class T>
void check_quantize() {
  const oracle::Format f = bridge::format<T>();
  std::vector<double> xd = probes<T>();
  std::vector<float> xf(xd.size());
  for (std::size_t i = 0; i < xd.size(); ++i) xf[i] = static_cast<float>(xd[i]);
  Mismatches m;
  for (Round r : bridge::kModes) {
    std::vector<float> yf(xf.size());
    std::vector<double> yd(xd.size());
    quantize<T>(std::span<const float>(xf), std::span<float>(yf), r, 99);
    quantize<T>(std::span<const double>(xd), std::span<double>(yd), r, 99);
    for (std::size_t i = 0; i < xf.size(); ++i) {
      const std::uint32_t w = random_word(99, i, 0);
      // The oracle's code, decoded by the oracle and stored to float / double (NaN as NaN).
      const oracle::Bits cf =
          oracle::round(oracle::from_float(xf[i]), f, bridge::mode(r), w, bridge::sr_bits<T>());
      const oracle::Bits cd =
          oracle::round(oracle::from_double(xd[i]), f, bridge::mode(r), w, bridge::sr_bits<T>());
      const double want_f = oracle::to_double(oracle::decode(cf, f));
      const double want_d = oracle::to_double(oracle::decode(cd, f));
      const bool ok_f =
          (std::isnan(want_f) && std::isnan(yf[i])) || static_cast<double>(yf[i]) == want_f;
      const bool ok_d = (std::isnan(want_d) && std::isnan(yd[i])) || yd[i] == want_d;
      ++m.checked;
      if (!ok_f || !ok_d) {
        if (++m.count <= 5)
          FAIL_CHECK("quantize [" << bridge::mode_name(r) << "] x=" << xd[i] << ": want " << want_f
                                  << " / " << want_d << ", got " << yf[i] << " / " << yd[i]);
      }
    }
  }
  CHECK(m.count == 0);
}

/// io: every value prints and reads back to the same code.
template <class T>
void check_io() {
  using st = typename T::storage_type;
  long bad = 0;
  for (int i = 0; i < (1 << T::codec::width); ++i) {
    const T x = T::from_bits(static_cast<st>(i));
    const std::string s = to_string(x);
    const ParseResult<T> r = from_string<T>(s);
    const bool same = isnan(x) ? isnan(r.value) : r.value.bits() == x.bits();
    if (!same && ++bad <= 5) FAIL_CHECK("code " << i << " prints as " << s);
  }
  CHECK(bad == 0);
}

}  // namespace

TEMPLATE_TEST_CASE("layout variants: + - * / sqrt exhaustively, fma sampled, all modes vs oracle",
                   "[float][variants][exhaustive8]", float8_e8m0fnu, float8_ue4m3,
                   float8_e4m3b11fnuz, float8_e3m4, ue5m2, e4m3_bias3, e3m2_bias_neg2, e5m2_nozero,
                   e6m2_unsigned_nosub) {
  exhaustive_small<TestType>();
}

TEMPLATE_TEST_CASE(
    "layout variants: conversions from double, float and int near every value, all modes",
    "[float][variants][conversion]", float8_e8m0fnu, float8_ue4m3, float8_e4m3b11fnuz, float8_e3m4,
    ue5m2, e4m3_bias3, e3m2_bias_neg2, e5m2_nozero, e6m2_unsigned_nosub) {
  check_conversions<TestType>();
}

TEMPLATE_TEST_CASE("layout variants: quantize on float and double arrays, all modes",
                   "[float][variants][quantize]", float8_e8m0fnu, float8_ue4m3, float8_e4m3b11fnuz,
                   float8_e3m4, e5m2_nozero) {
  check_quantize<TestType>();
}

TEMPLATE_TEST_CASE("layout variants: io round trip of every code", "[float][variants][io]",
                   float8_e8m0fnu, float8_ue4m3, float8_e4m3b11fnuz, float8_e3m4, e5m2_nozero) {
  check_io<TestType>();
}

TEST_CASE("conversion between variant formats is one rounding (exhaustive sources)",
          "[float][variants][conversion]") {
  Mismatches m;
  auto run = [&](auto src_tag, auto dst_tag) {
    using S = decltype(src_tag);
    using D = decltype(dst_tag);
    using st = typename S::storage_type;
    for (int i = 0; i < (1 << S::codec::width); ++i) {
      const S x = S::from_bits(static_cast<st>(i));
      const oracle::Exact e = oracle::decode(static_cast<oracle::Bits>(i), bridge::format<S>());
      for (Round r : bridge::kModes) {
        const std::uint32_t w =
            bridge::mix(static_cast<std::uint64_t>(i) * 31 + static_cast<unsigned>(r));
        D got;
        switch (r) {
          case Round::nearest_even:
            got = convert<D, Round::nearest_even>(x, w);
            break;
          case Round::nearest_away:
            got = convert<D, Round::nearest_away>(x, w);
            break;
          case Round::toward_zero:
            got = convert<D, Round::toward_zero>(x, w);
            break;
          case Round::up:
            got = convert<D, Round::up>(x, w);
            break;
          case Round::down:
            got = convert<D, Round::down>(x, w);
            break;
          case Round::odd:
            got = convert<D, Round::odd>(x, w);
            break;
          case Round::stochastic:
            got = convert<D, Round::stochastic>(x, w);
            break;
        }
        m.check<D>("convert", r,
                   oracle::round(e, bridge::format<D>(), bridge::mode(r), w, bridge::sr_bits<D>()),
                   got.bits(), std::to_string(i));
      }
    }
  };
  run(binary16{}, float8_e8m0fnu{});
  run(bfloat16{}, float8_e8m0fnu{});
  run(float8_e8m0fnu{}, binary16{});
  run(float8_e8m0fnu{}, float8_e4m3fn{});
  run(float8_e8m0fnu{}, bfloat16{});
  run(binary16{}, float8_ue4m3{});
  run(float8_ue4m3{}, float8_e4m3fn{});
  run(float8_e4m3fn{}, float8_ue4m3{});
  run(binary16{}, float8_e4m3b11fnuz{});
  run(float8_e4m3b11fnuz{}, float8_e4m3fnuz{});
  run(binary16{}, float8_e3m4{});
  CHECK(m.count == 0);
}

// A third, separate reading of the E8M0 rounding rule of shared/DESIGN.md, in double arithmetic:
// for x in [2^k, 2^(k+1)) the result is 2^k below 1.5 * 2^k, 2^(k+1) above, and at the midpoint
// the one whose code k + 127 is even; below 2^-127: 2^-127; zero, negative, inf, NaN,
// >= 2^128 after rounding: NaN.
TEST_CASE("float8_e8m0fnu: nearest-even rounding of doubles matches the rule as written",
          "[float][variants][e8m0]") {
  auto rule = [](double x) -> int {  // the code, 255 = NaN
    if (!(x > 0) || std::isinf(x)) return 255;
    if (x < std::ldexp(1.0, -127)) return 0;
    int k = std::ilogb(x);
    const double lo = std::ldexp(1.0, k), mid = 1.5 * lo;
    if (x > mid || (x == mid && ((k + 127) & 1) != 0)) ++k;
    return k + 127 > 254 ? 255 : k + 127;
  };
  long bad = 0;
  for (double x : probes<float8_e8m0fnu>()) {
    const int want = rule(x);
    const int got = float8_e8m0fnu(x).bits();
    if (want != got && ++bad <= 5) FAIL_CHECK("x=" << x << " want " << want << " got " << got);
  }
  CHECK(bad == 0);
}

TEST_CASE("float8_e8m0fnu: card and special cases (OCP MX v1.0 E8M0, ml_dtypes float8_e8m0fnu)",
          "[float][variants][e8m0][limits]") {
  using T = float8_e8m0fnu;
  using L = std::numeric_limits<T>;
  static_assert(sizeof(T) == 1 && T::codec::width == 8 && T::bias == 127);
  STATIC_REQUIRE(!L::is_signed);
  STATIC_REQUIRE(!L::has_infinity);
  STATIC_REQUIRE(L::has_quiet_NaN);
  STATIC_REQUIRE(L::digits == 1);
  STATIC_REQUIRE(L::has_denorm == std::denorm_absent);
  CHECK(static_cast<double>(L::max()) == std::ldexp(1.0, 127));
  CHECK(static_cast<double>(L::min()) == std::ldexp(1.0, -127));
  CHECK(static_cast<double>(L::lowest()) == std::ldexp(1.0, -127));
  CHECK(static_cast<double>(L::denorm_min()) == std::ldexp(1.0, -127));
  CHECK(static_cast<double>(L::epsilon()) == 1.0);
  CHECK(L::max().bits() == 0xFE);
  CHECK(L::quiet_NaN().bits() == 0xFF);
  for (int c = 0; c < 255; ++c)
    CHECK(static_cast<double>(T::from_bits(static_cast<std::uint8_t>(c))) ==
          std::ldexp(1.0, c - 127));
  CHECK(isnan(T::from_bits(0xFF)));
  CHECK(T(1.0).bits() == 0x7F);
  CHECK(T(3.0).bits() == 0x80);  // the midpoint of 2 (0x80) and 4: the even code
  CHECK(T(6.0).bits() == 0x82);  // the midpoint of 4 (0x81) and 8 (0x82)
  CHECK(T(0.75).bits() == 0x7E);
  CHECK(T(1e-40).bits() == 0x00);
  for (double bad :
       {0.0, -0.0, -1.0, -1e-40, 1e39, std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()})
    CHECK(isnan(T(bad)));
  CHECK(to_string(T(0.5)) == "0.5");
  CHECK(from_string<T>("2").value.bits() == 0x80);
  CHECK(isnan(from_string<T>("0").value));
  CHECK(isnan(-T(2.0)));
  CHECK(T(8.0) - T(2.0) == T(8.0));  // 6 ties to the even code 0x82 (8)
  CHECK(isnan(T(2.0) - T(8.0)));
  CHECK(isnan(T(2.0) - T(2.0)));  // zero
  CHECK(nextafter(L::min(), T(1.0)).bits() == 0x01);
  CHECK(nextafter(T(1.0), T(4.0)).bits() == 0x80);
  CHECK(nextafter(T(1.0), T(0.5)).bits() == 0x7E);
  CHECK(isnan(nextafter(L::max(), T::from_bits(0xFF))));
}

TEST_CASE("cards of float8_ue4m3, float8_e4m3b11fnuz, float8_e3m4", "[float][variants][limits]") {
  // float8_ue4m3: unsigned OCP E4M3 (CUTLASS float_ue4m3_t): bias 7, max 448, NaN 0x7F, 7 bits.
  using U = std::numeric_limits<float8_ue4m3>;
  STATIC_REQUIRE(!U::is_signed);
  STATIC_REQUIRE(float8_ue4m3::codec::width == 7);
  CHECK(static_cast<double>(U::max()) == 448.0);
  CHECK(static_cast<double>(U::min()) == std::ldexp(1.0, -6));
  CHECK(static_cast<double>(U::denorm_min()) == std::ldexp(1.0, -9));
  CHECK(static_cast<double>(U::lowest()) == 0.0);
  CHECK(U::quiet_NaN().bits() == 0x7F);
  CHECK(float8_ue4m3(-1e-9).bits() == 0);  // rounds to zero: +0
  CHECK(isnan(float8_ue4m3(-1.0)));
  CHECK(float8_ue4m3(5.0) - float8_ue4m3(3.0) == float8_ue4m3(2.0));
  CHECK(isnan(float8_ue4m3(3.0) - float8_ue4m3(5.0)));
  // float8_e4m3b11fnuz (ml_dtypes): bias 11, max 30, min normal 2^-10, smallest 2^-13, NaN 0x80.
  using B = std::numeric_limits<float8_e4m3b11fnuz>;
  STATIC_REQUIRE(float8_e4m3b11fnuz::bias == 11);
  CHECK(static_cast<double>(B::max()) == 30.0);
  CHECK(static_cast<double>(B::min()) == std::ldexp(1.0, -10));
  CHECK(static_cast<double>(B::denorm_min()) == std::ldexp(1.0, -13));
  CHECK(static_cast<double>(B::lowest()) == -30.0);
  CHECK(B::quiet_NaN().bits() == 0x80);
  CHECK(!B::has_infinity);
  // float8_e3m4 (ml_dtypes): bias 3, max 15.5, min normal 0.25, smallest 2^-6, inf and NaN.
  using E = std::numeric_limits<float8_e3m4>;
  STATIC_REQUIRE(float8_e3m4::bias == 3);
  CHECK(static_cast<double>(E::max()) == 15.5);
  CHECK(static_cast<double>(E::min()) == 0.25);
  CHECK(static_cast<double>(E::denorm_min()) == std::ldexp(1.0, -6));
  CHECK(E::has_infinity);
  CHECK(E::infinity().bits() == 0x70);
}
