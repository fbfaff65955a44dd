// Tests for softnum/math.hpp, the entry header of the <cmath>-named functions: it alone must
// give every type its functions, found by ADL from outside namespace softnum. Correct rounding
// of sqrt and fma is tested per type (float_test, posit_test, fixed_test) and exp, log, tanh,
// sigmoid against MPFR in posit_test; here: that the names resolve, and the properties every
// result must have (monotone, odd, in range, faithful to double for posit8), exhaustively.
#include <softnum/math.hpp>

#include <cmath>
#include <cstdint>

#include <catch2/catch.hpp>

namespace {

// Unqualified calls from a namespace that is not softnum: only ADL can find these.
template <class T>
constexpr T adl_sqrt(T x) noexcept {
  return sqrt(x);
}
template <class T>
constexpr T adl_fma(T a, T b, T c) noexcept {
  return fma(a, b, c);
}
template <class T>
constexpr T adl_ldexp(T x, int n) noexcept {
  return ldexp(x, n);
}
template <class T>
constexpr T adl_fmax(T a, T b) noexcept {
  return fmax(a, b);
}
template <class T>
constexpr T adl_fabs(T x) noexcept {
  return fabs(x);
}
template <class T>
constexpr bool adl_isfinite(T x) noexcept {
  return isfinite(x);
}

using softnum::binary16;
using softnum::posit16;
using softnum::posit8;
using Q8_8 = softnum::Fixed<8, 8>;

// constexpr through the entry header, for each NumberFormat type.
static_assert(adl_sqrt(binary16(2.25)) == binary16(1.5));
static_assert(adl_sqrt(posit16(2.25)) == posit16(1.5));
static_assert(adl_sqrt(Q8_8(2.25)) == Q8_8(1.5));
static_assert(adl_fma(binary16(3), binary16(0.5), binary16(-1)) == binary16(0.5));
static_assert(adl_fma(posit16(3), posit16(0.5), posit16(-1)) == posit16(0.5));
static_assert(adl_fma(Q8_8(3), Q8_8(0.5), Q8_8(-1)) == Q8_8(0.5));
static_assert(adl_ldexp(binary16(3), -2) == binary16(0.75));
static_assert(adl_ldexp(posit16(3), -2) == posit16(0.75));
static_assert(adl_fmax(binary16(-2), binary16(1)) == binary16(1));
static_assert(adl_fabs(posit16(-2)) == posit16(2));
static_assert(!adl_isfinite(posit16::nar()) && adl_isfinite(posit16(1)));

/// posit8 from its bits read as a two's complement integer: the order of the integers is the
/// order of the values (-127 is -maxpos, 127 is maxpos; -128 is NaR).
posit8 p8(int k) { return posit8::from_bits(static_cast<std::uint8_t>(k)); }

}  // namespace

TEST_CASE("math.hpp: sqrt and abs of an Expansion, by ADL", "[math]") {
  using E2 = softnum::Expansion<double, 2>;
  const E2 two(2.0);
  const E2 r = sqrt(two);
  // r is sqrt(2) to about 2^-104: r*r - 2 is far below double's 2^-52 relative error.
  CHECK(std::fabs(static_cast<double>(r * r - two)) < 0x1p-100);
  CHECK(static_cast<double>(abs(-two)) == 2.0);
}

TEST_CASE("math.hpp: exp, log, tanh, sigmoid of posit8, every argument", "[math][posit]") {
  // Special values are exact.
  CHECK(exp(posit8(0)) == posit8(1));
  CHECK(log(posit8(1)) == posit8(0));
  CHECK(tanh(posit8(0)) == posit8(0));
  CHECK(sigmoid(posit8(0)) == posit8(0.5));
  CHECK(isnar(exp(posit8::nar())));
  CHECK(isnar(log(posit8(0))));
  CHECK(isnar(log(posit8(-1))));

  for (int k = -127; k <= 127; ++k) {
    CAPTURE(k);
    const posit8 x = p8(k);
    const double v = static_cast<double>(x);  // exact
    const posit8 e = exp(x), t = tanh(x), s = sigmoid(x);
    // Saturation: never 0 for a non-zero true value, never past maxpos.
    CHECK(e > posit8(0));
    CHECK(s > posit8(0));
    CHECK(s <= posit8(1));
    CHECK(t >= posit8(-1));
    CHECK(t <= posit8(1));
    CHECK(tanh(-x) == -t);  // odd
    if (k > -127) {
      const posit8 w = p8(k - 1);  // the posit8 just below x
      CHECK(exp(w) <= e);          // monotone
      CHECK(tanh(w) <= t);
      CHECK(sigmoid(w) <= s);
      if (k > 1) CHECK(log(w) <= log(x));
    }
    // Faithful: the true value lies between the neighbours of the result. double's exp, log and
    // tanh are within an ulp of it, far below posit8's step, so the check cannot misfire.
    // minpos and maxpos also stand for everything beyond them (posits saturate), where double
    // may have given 0 or inf.
    const auto faithful = [](posit8 r, double y) {
      const int b = static_cast<std::int8_t>(r.bits());
      const bool open_below = b == 1 || b == -127, open_above = b == 127 || b == -1;
      return (open_below || static_cast<double>(p8(b - 1)) < y) &&
             (open_above || y < static_cast<double>(p8(b + 1)));
    };
    CHECK(faithful(e, std::exp(v)));
    CHECK(faithful(t, std::tanh(v)));
    CHECK(faithful(s, 1.0 / (1.0 + std::exp(-v))));
    if (k > 0) CHECK(faithful(log(x), std::log(v)));
  }
}
