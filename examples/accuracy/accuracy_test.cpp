// softnum_accuracy: the error measurement against hand-computed cases.
#include <cmath>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "exact.hpp"
#include "format.hpp"
#include "kernels.hpp"
#include "stats.hpp"

using acc::Format;

namespace {
const Format& fmt(const char* name) {
  const Format* f = acc::find_format(name);
  REQUIRE(f != nullptr);
  return *f;
}
}  // namespace

TEST_CASE("relative error of known values", "[accuracy]") {
  CHECK(acc::rel_error(1.5, 1.0) == 0.5);
  CHECK(acc::rel_error(-3.0, -4.0) == 0.25);
  CHECK(acc::rel_error(0.0, 0.0) == 0.0);
  CHECK(std::isinf(acc::rel_error(1e-300, 0.0)));
  CHECK(std::isinf(acc::rel_error(std::numeric_limits<double>::infinity(), 1.0)));
  CHECK(std::isinf(acc::rel_error(std::nan(""), 1.0)));
  // binary16 rounds 0.1 to 0.0999755859375 (1638.4 -> 1638 units of 2^-14): error 0.000244140625 /
  // 0.1.
  const double r = fmt("binary16").round(0.1, acc::Round::nearest_even, 0);
  CHECK(r == 0.0999755859375);
  CHECK(acc::rel_error(r, 0.1) == Approx(0.000244140625).epsilon(1e-12));
}

TEST_CASE("median and p99 by the nearest-rank rule on a tiny set", "[accuracy]") {
  std::vector<double> v = {5, 1, 4, 2, 3};
  CHECK(acc::quantile(v, 0.5) == 3);  // ceil(2.5) = 3rd smallest
  std::vector<double> w = {4, 1, 3, 2};
  CHECK(acc::quantile(w, 0.5) == 2);   // lower middle of an even count
  CHECK(acc::quantile(w, 0.99) == 4);  // ceil(3.96) = 4th
  std::vector<double> h(100);
  for (int i = 0; i < 100; ++i) h[static_cast<std::size_t>(i)] = 100 - i;  // 100 .. 1
  CHECK(acc::quantile(h, 0.99) == 99);
  CHECK(acc::quantile(h, 0.5) == 50);
  std::vector<double> e;
  CHECK(std::isnan(acc::quantile(e, 0.5)));
}

TEST_CASE("error statistics of a hand-computed batch", "[accuracy]") {
  const Format& f = fmt("binary16");
  acc::ErrorAccumulator a(f);
  a.add(1.0, 1.0);                                      // 0
  a.add(1.25, 1.0);                                     // 0.25
  a.add(3.0, 2.0);                                      // 0.5
  a.add(0.0, 1e-9);                                     // underflow: relative error 1
  a.add(std::numeric_limits<double>::infinity(), 1e5);  // overflow (1e5 > 65504)
  const acc::ErrorStats s = a.stats();
  CHECK(s.count == 5);
  CHECK(s.median == 0.5);  // sorted 0, 0.25, 0.5, 1, inf
  CHECK(std::isinf(s.p99));
  CHECK(std::isinf(s.max));
  CHECK(s.overflow == 0.2);
  CHECK(s.underflow == 0.2);
}

TEST_CASE("ulp and ulp counts", "[accuracy]") {
  const Format& h = fmt("binary16");
  CHECK(acc::ulp(h, 1.0) == std::ldexp(1.0, -10));
  CHECK(acc::ulp(h, 1.5) == std::ldexp(1.0, -10));
  CHECK(acc::ulp(h, 0.75) == std::ldexp(1.0, -11));
  CHECK(acc::ulp(h, 2048.0) == 2.0);
  CHECK(acc::ulp(h, 65504.0) == 32.0);               // top of the range
  CHECK(acc::ulp(h, 1e-8) == std::ldexp(1.0, -24));  // subnormal spacing
  CHECK(acc::ulp_error(h, 1.0 + 3 * std::ldexp(1.0, -10), 1.0) == 3.0);
  const Format& p = fmt("posit8");
  CHECK(acc::ulp(p, 1.0) == 0.125);  // posit<8,2>: 3 fraction bits at 1
  CHECK(acc::ulp(fmt("fixed8_8"), 3.0) == std::ldexp(1.0, -8));
}

TEST_CASE("format cards", "[accuracy]") {
  const Format& h = fmt("binary16");
  CHECK(h.max == 65504.0);
  CHECK(h.min_positive == std::ldexp(1.0, -24));
  CHECK(h.min_normal == std::ldexp(1.0, -14));
  CHECK(h.epsilon == std::ldexp(1.0, -10));
  CHECK(h.nan_fraction == 2046.0 / 65536.0);  // exponent all ones, fraction != 0, both signs
  CHECK(h.inf_fraction == 2.0 / 65536.0);
  const Format& e4 = fmt("float8_e4m3fn");
  CHECK(e4.max == 448.0);
  CHECK(e4.nan_fraction == 2.0 / 256.0);
  CHECK(e4.inf_fraction == 0.0);
  const Format& b32 = fmt("binary32");
  CHECK(b32.nan_fraction == 2.0 * (std::ldexp(1.0, 23) - 1) / std::ldexp(1.0, 32));
  CHECK(b32.inf_fraction == 2.0 / std::ldexp(1.0, 32));
  const Format& p32 = fmt("posit32");
  CHECK(p32.nan_fraction == 1.0 / std::ldexp(1.0, 32));  // NaR
  CHECK(p32.max == std::ldexp(1.0, 120));
  CHECK(fmt("fixed4_4").max == 7.9375);
  CHECK(fmt("fixed4_4").nan_fraction == 0.0);
}

TEST_CASE("exact references", "[accuracy]") {
  const std::vector<double> x = {1e16, 1.0, -1e16};  // binary64 gives 0 in this order
  CHECK(acc::exact::sum(x.data(), x.size()) == 1.0);
  const std::vector<double> a = {1e8, 1.0, -1e8}, b = {1e8, 1.0, 1e8};
  CHECK(acc::exact::dot(a.data(), b.data(), a.size()) == 1.0);
  CHECK(acc::exact::harmonic({1, 2, 4})[2] == 25.0 / 12.0);
  CHECK(acc::exact::rump() == Approx(-0.827396059946821368).epsilon(1e-15));
  CHECK(acc::exact::muller(1) == -4.0);
  CHECK(acc::exact::muller(2) == 18.5);  // 111 - 1130 / -4 + 3000 / (-4 * 2)
}

TEST_CASE("division rounds once", "[accuracy]") {
  // 1/3 in binary16: 0x3555 = 1365 * 2^-12 = 0.333251953125 (the next value up is 1366 * 2^-12,
  // 1/3 = 1365.33 * 2^-12 rounds down).
  CHECK(fmt("binary16").div(1, 3, acc::Round::nearest_even, 0) == 0.333251953125);
  // 1/1000 (1000 is not a value of float8_e4m3fn, max 448): the binary64 quotient rounded once.
  // The smallest positive value is 2^-9 = 0.001953125 and 0.001 is above the midpoint 2^-10.
  CHECK(fmt("float8_e4m3fn").div(1, 1000, acc::Round::nearest_even, 0) == 0.001953125);
  // posit32 has 28 significant bits near 1 (where binary64 double rounding could bite): 1/3
  // must be the nearer of its two neighbours.
  const double third = fmt("posit32").div(1, 3, acc::Round::nearest_even, 0);
  const double below = fmt("posit32").round(1.0 / 3, acc::Round::down, 0);
  const double above = fmt("posit32").round(1.0 / 3, acc::Round::up, 0);
  CHECK((third == below || third == above));
  CHECK(std::fabs(third - 1.0 / 3) <= std::fabs((third == below ? above : below) - 1.0 / 3));
}

TEST_CASE("the quire and the double-word accumulator keep what a plain sum loses", "[accuracy]") {
  // 2^12 + 1 - 2^12: a plain posit16 sum loses the 1, the quire keeps it.
  const Format& p = fmt("posit16");
  const std::vector<double> x = {4096, 1, -4096}, y = {1, 1, 1};
  acc::Arith a(p, acc::Round::nearest_even, 0);
  // posit16 at 4096 has 8 fraction bits (spacing 16): 4096 + 1 rounds back to 4096.
  CHECK(acc::dot_plain(a, x.data(), y.data(), 3) == 0);
  CHECK(acc::dot_quire(a, x.data(), y.data(), 3) == 1);
  acc::Arith h(fmt("binary16"), acc::Round::nearest_even, 0);
  CHECK(std::isnan(acc::dot_quire(h, x.data(), y.data(), 3)));  // floats have no quire
  // binary16's double-word accumulator (softnum::Expansion<binary16, 2>) keeps the 1 as well.
  CHECK(acc::dot_expansion(h, x.data(), y.data(), 3) == 1);
  CHECK(acc::dot_plain(h, x.data(), y.data(), 3) == 0);             // binary16 spacing at 4096 is 4
  CHECK(std::isnan(acc::dot_expansion(a, x.data(), y.data(), 3)));  // posits: no Expansion
}

TEST_CASE("kernels on hand-computed cases", "[accuracy]") {
  const Format& h = fmt("binary16");
  acc::Arith a(h, acc::Round::nearest_even, 0);
  // 2048 + 1 = 2049 is a tie in binary16 (ulp 2) and rounds to even 2048: the naive sum stagnates.
  const std::vector<double> x = {2048, 1, 1, 1, 1};
  CHECK(acc::sum_naive(a, x.data(), x.size()) == 2048);
  // Pairwise: (2048 + 1) + (1 + (1 + 1)) = 2048 + 3 = 2051, a tie between 2050 and 2052: even 2052.
  CHECK(acc::sum_pairwise(a, x.data(), x.size()) == 2052);
  CHECK(acc::sum_kahan(a, x.data(), x.size()) == 2052);
  // Harmonic stagnation in binary16 (the known value): term 513 leaves 7.0859375 unchanged.
  double s = 0;
  long k = 1;
  for (;; ++k) {
    const double next = a.add(s, a.div(1, static_cast<double>(k)));
    if (next == s) break;
    s = next;
  }
  CHECK(k == 513);
  CHECK(s == 7.0859375);
}
