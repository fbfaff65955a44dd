// Tests for softnum/core/int128.hpp: the portable 128-bit integers (the struct that 32-bit
// targets use) give bit for bit the results of the compiler's unsigned __int128 / __int128, on
// edge values and random values, for every operator the library uses.
#include <softnum/core/int128.hpp>
#include <softnum/random.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include <catch2/catch.hpp>

namespace {

using softnum::detail::int128;
using softnum::detail::uint128;
__extension__ typedef unsigned __int128 nu128;
__extension__ typedef __int128 ni128;

nu128 native(uint128 x) { return (static_cast<nu128>(x.hi) << 64) | x.lo; }
ni128 native(int128 x) { return static_cast<ni128>(native(x.u)); }
uint128 portable(nu128 x) {
  return uint128(static_cast<std::uint64_t>(x >> 64), static_cast<std::uint64_t>(x), 0);
}
int128 portable_s(ni128 x) { return int128(portable(static_cast<nu128>(x))); }

/// Edge values (0, 1, powers of two and their neighbours, all ones, the signed extremes) and
/// random values of every width.
std::vector<nu128> values() {
  std::vector<nu128> v;
  for (int k = 0; k < 128; ++k) {
    const nu128 p = static_cast<nu128>(1) << k;
    v.push_back(p);
    v.push_back(p - 1);
    v.push_back(p + 1);
    v.push_back(~p);
    v.push_back(~static_cast<nu128>(0) - p);
  }
  v.push_back(0);
  v.push_back(~static_cast<nu128>(0));
  v.push_back(10);
  v.push_back(1000000000000000);
  softnum::Philox gen(2026, 16);
  for (int i = 0; i < 600; ++i) {
    nu128 x = 0;
    for (int w = 0; w < 4; ++w) x = (x << 32) | gen();
    const int width = static_cast<int>(gen() % 129);  // uniform widths: small values too
    v.push_back(width == 128 ? x : (x & ((static_cast<nu128>(1) << width) - 1)));
  }
  return v;
}

std::uint64_t bits(double d) {
  std::uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}
std::uint32_t bits(float f) {
  std::uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

}  // namespace

TEST_CASE("uint128 matches unsigned __int128: arithmetic, bit operations, shifts, compare",
          "[bits][int128]") {
  const auto v = values();
  long mismatches = 0;
  const auto same = [&](uint128 got, nu128 want) { mismatches += native(got) != want; };
  for (std::size_t i = 0; i < v.size(); i += 3) {
    for (std::size_t j = 0; j < v.size(); j += 5) {
      const nu128 a = v[i], b = v[j];
      const uint128 pa = portable(a), pb = portable(b);
      same(pa + pb, a + b);
      same(pa - pb, a - b);
      same(pa * pb, a * b);
      same(pa & pb, a & b);
      same(pa | pb, a | b);
      same(pa ^ pb, a ^ b);
      mismatches += (pa < pb) != (a < b);
      mismatches += (pa <= pb) != (a <= b);
      mismatches += (pa == pb) != (a == b);
      mismatches += (pa > pb) != (a > b);
      if (b != 0) {
        same(pa / pb, a / b);
        same(pa % pb, a % b);
      }
      const int n = static_cast<int>(b % 128);
      same(pa << n, a << n);
      same(pa >> n, a >> n);
    }
    const nu128 a = v[i];
    const uint128 pa = portable(a);
    same(-pa, -a);
    same(~pa, ~a);
    mismatches += static_cast<std::uint64_t>(pa) != static_cast<std::uint64_t>(a);
    mismatches += static_cast<std::uint32_t>(pa) != static_cast<std::uint32_t>(a);
    mismatches += static_cast<bool>(pa) != static_cast<bool>(a);
    mismatches += pa.width() !=
                  (a == 0 ? 0
                          : 128 - (a >> 64 ? __builtin_clzll(static_cast<std::uint64_t>(a >> 64))
                                           : 64 + __builtin_clzll(static_cast<std::uint64_t>(a))));
    // Division by small divisors (the short-division path) and by 64-bit divisors.
    for (const std::uint64_t d :
         {std::uint64_t{1}, std::uint64_t{3}, std::uint64_t{10}, std::uint64_t{0xFFFFFFFFu},
          std::uint64_t{0x100000000u}, std::uint64_t{0xFFFFFFFFFFFFFFFFu},
          std::uint64_t{0x1234567890abcdefu}}) {
      same(pa / d, a / d);
      same(pa % d, a % d);
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("int128 matches __int128: signed division, arithmetic shift, compare, negation",
          "[bits][int128]") {
  const auto v = values();
  long mismatches = 0;
  for (std::size_t i = 0; i < v.size(); i += 3) {
    for (std::size_t j = 0; j < v.size(); j += 7) {
      const auto a = static_cast<ni128>(v[i]), b = static_cast<ni128>(v[j]);
      const int128 pa = portable_s(a), pb = portable_s(b);
      mismatches +=
          native(pa + pb) != static_cast<ni128>(static_cast<nu128>(a) + static_cast<nu128>(b));
      mismatches +=
          native(pa * pb) != static_cast<ni128>(static_cast<nu128>(a) * static_cast<nu128>(b));
      mismatches += (pa < pb) != (a < b);
      mismatches += (pa >= pb) != (a >= b);
      // Native division overflows only for min / -1; skip that one.
      const bool overflow = a == static_cast<ni128>(static_cast<nu128>(1) << 127) && b == -1;
      if (b != 0 && !overflow) {
        mismatches += native(pa / pb) != a / b;
        mismatches += native(pa % pb) != a % b;
      }
      const int n = static_cast<int>(v[j] % 128);
      mismatches += native(pa >> n) != (a >> n);
    }
    const auto a = static_cast<ni128>(v[i]);
    const int128 pa = portable_s(a);
    mismatches += static_cast<std::int64_t>(pa) != static_cast<std::int64_t>(a);
    mismatches += static_cast<int>(pa) != static_cast<int>(a);
  }
  CHECK(mismatches == 0);
  // Construction from negative built-in integers sign-extends, as the native conversion.
  CHECK(native(int128(-5)) == -5);
  CHECK(native(uint128(-1)) == ~static_cast<nu128>(0));
  CHECK(native(uint128(std::int64_t{-2})) == static_cast<nu128>(std::int64_t{-2}));
}

TEST_CASE("uint128 and int128 convert to and from double and float like the native types",
          "[bits][int128]") {
  const auto v = values();
  long mismatches = 0;
  for (const nu128 a : v) {
    // Correctly rounded (nearest even) to double and float; ties and sticky bits below the
    // 64 kept bits are among the edge values (2^k +- 1).
    mismatches += bits(static_cast<double>(portable(a))) != bits(static_cast<double>(a));
    mismatches += bits(static_cast<float>(portable(a))) != bits(static_cast<float>(a));
    const auto s = static_cast<ni128>(a);
    mismatches += bits(static_cast<double>(portable_s(s))) != bits(static_cast<double>(s));
    mismatches += bits(static_cast<float>(portable_s(s))) != bits(static_cast<float>(s));
    // Back from double: truncation, for every double in range.
    const double d = static_cast<double>(a);
    if (d < 0x1p128) mismatches += native(uint128(d)) != static_cast<nu128>(d);
    const double ds = static_cast<double>(s);
    if (ds < 0x1p127 && ds >= -0x1p127) mismatches += native(int128(ds)) != static_cast<ni128>(ds);
  }
  for (const double d : {0.0, 0.5, 1.0, 1.5, 0x1p63, 0x1p64, 0x1.fffffffffffffp63,
                         0x1.fffffffffffffp127, 12345.678, 0x1p100 + 0x1p60}) {
    mismatches += native(uint128(d)) != static_cast<nu128>(d);
    // -d below -2^127 is outside __int128: the native cast would be undefined (UBSan).
    if (d <= 0x1p127) mismatches += native(int128(-d)) != static_cast<ni128>(-d);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("uint128 works in constant expressions", "[bits][int128]") {
  constexpr uint128 big = (uint128(1) << 100) + 12345;
  static_assert(big / 10 * 10 + big % 10 == big);
  static_assert((big >> 100) == 1);
  static_assert(static_cast<double>(big) == 0x1p100);
  static_assert(int128(-7) / int128(2) == int128(-3));
  static_assert((int128(-8) >> 1) == int128(-4));
  CHECK(big.width() == 101);
}
