// Compile-time checks: if this file compiles, the arithmetic is usable in constant expressions
// and gives the IEEE 754 / OCP-specified bit patterns below (known constants, not values taken
// from the implementation).
#include <softnum/softnum.hpp>

#include <catch2/catch.hpp>

#include <limits>
#include <type_traits>

namespace {
using namespace softnum;

// Representation premises (trivially copyable, smallest storage).
static_assert(std::is_trivially_copyable_v<float8_e4m3fn> && sizeof(float8_e4m3fn) == 1);
static_assert(std::is_trivially_copyable_v<binary16> && sizeof(binary16) == 2);
static_assert(sizeof(float4_e2m1fn) == 1 && sizeof(binary32) == 4 && sizeof(binary64) == 8);
static_assert(sizeof(binary128) == 16);

// Conversions from double.
static_assert(binary16(1.0).bits() == 0x3C00);
static_assert(binary16(0.1).bits() == 0x2E66);
static_assert(binary16(65504.0).bits() == 0x7BFF);
static_assert(binary16(65519.0).bits() == 0x7BFF);          // below the overflow midpoint
static_assert(binary16(65520.0).bits() == 0x7C00);          // the tie overflows to inf
static_assert(binary16(0x1p-24).bits() == 0x0001);          // smallest subnormal
static_assert(binary16(0x1p-25).bits() == 0x0000);          // tie to even: zero
static_assert(binary16(0x1.000002p-25).bits() == 0x0001);
static_assert(bfloat16(1.0 / 3.0).bits() == 0x3EAB);
static_assert(binary32(1.0 / 3.0).bits() == 0x3EAAAAAB);
static_assert(float8_e4m3fn(448.0).bits() == 0x7E);
static_assert(float8_e4m3fn(464.0).bits() == 0x7E);         // tie to even (1.110) stays finite
static_assert(float8_e4m3fn(465.0).bits() == 0x7F);         // beyond the midpoint: NaN (OCP)
static_assert(float8_e4m3(240.0).bits() == 0x77);           // IEEE-style E4M3: max 240
static_assert(float8_e4m3(248.0).bits() == 0x78);           // tie to even overflows to inf
static_assert(float8_e5m2(57344.0).bits() == 0x7B);
static_assert(float8_e4m3fnuz(240.0).bits() == 0x7F);       // bias 8: max 240
static_assert(float8_e4m3fnuz(-0.0).bits() == 0x00);        // no negative zero
static_assert(float4_e2m1fn(6.0).bits() == 0x7 && float4_e2m1fn(100.0).bits() == 0x7);  // saturates
static_assert(float6_e2m3fn(7.5).bits() == 0x1F && float6_e3m2fn(28.0).bits() == 0x1F);

// Arithmetic (generic integer path in constant evaluation).
static_assert((binary16(1.0) + binary16(0.5)).bits() == 0x3E00);
static_assert((binary16(1.0) / binary16(3.0)).bits() == 0x3555);
static_assert(sqrt(binary16(2.0)).bits() == 0x3DA8);
static_assert((binary32(1.0) / binary32(3.0)).bits() == 0x3EAAAAAB);
static_assert((binary64(1.0) / binary64(3.0)).bits() == 0x3FD5555555555555ull);
static_assert(sqrt(binary64(2.0)).bits() == 0x3FF6A09E667F3BCDull);
static_assert(add<Round::up>(binary16(1.0), binary16(0x1p-20)).bits() == 0x3C01);
static_assert(add<Round::down>(binary16(1.0), binary16(-0x1p-20)).bits() == 0x3BFF);
static_assert(sub<Round::down>(binary16(1.0), binary16(1.0)).bits() == 0x8000);  // -0 in RD
static_assert((binary16(1.0) - binary16(1.0)).bits() == 0x0000);
// fma rounds once: (1 + 2^-9) * 1.25 = 1.25 + 2^-9 + 2^-11 is a binary16 tie; c decides it.
static_assert(fma(binary16(1.0 + 0x1p-9), binary16(1.25), binary16(0x1p-24)).bits() == 0x3D03);
static_assert(fma(binary16(1.0 + 0x1p-9), binary16(1.25), binary16(-0x1p-24)).bits() == 0x3D02);
static_assert((binary16(1.0 + 0x1p-9) * binary16(1.25)).bits() == 0x3D02);  // tie to even
static_assert(isnan(float8_e4m3fn(448.0) * float8_e4m3fn(2.0)));
static_assert((with_overflow_t<float8_e4m3fn, Overflow::saturate>(448.0) *
               with_overflow_t<float8_e4m3fn, Overflow::saturate>(2.0)).bits() == 0x7E);

// Comparisons: NaN unordered, -0 == +0.
static_assert(binary16(-0.0) == binary16(0.0));
static_assert(!(std::numeric_limits<binary16>::quiet_NaN() == std::numeric_limits<binary16>::quiet_NaN()));
static_assert(binary16(1.0) < binary16(2.0) && binary16(-2.0) < binary16(-1.0));

// numeric_limits pinned as bit patterns.
static_assert(std::numeric_limits<binary16>::max().bits() == 0x7BFF);
static_assert(std::numeric_limits<binary16>::min().bits() == 0x0400);
static_assert(std::numeric_limits<binary16>::denorm_min().bits() == 0x0001);
static_assert(std::numeric_limits<binary16>::epsilon().bits() == 0x1400);
static_assert(std::numeric_limits<binary16>::lowest().bits() == 0xFBFF);
static_assert(std::numeric_limits<binary16>::infinity().bits() == 0x7C00);
static_assert(std::numeric_limits<binary16>::digits == 11 && std::numeric_limits<binary16>::digits10 == 3);
static_assert(std::numeric_limits<binary16>::max_digits10 == 5);
static_assert(std::numeric_limits<binary16>::min_exponent == -13 && std::numeric_limits<binary16>::max_exponent == 16);
static_assert(std::numeric_limits<binary32>::digits10 == std::numeric_limits<float>::digits10);
static_assert(std::numeric_limits<binary32>::max_digits10 == std::numeric_limits<float>::max_digits10);
static_assert(std::numeric_limits<binary32>::min_exponent10 == std::numeric_limits<float>::min_exponent10);
static_assert(std::numeric_limits<binary32>::max_exponent10 == std::numeric_limits<float>::max_exponent10);
static_assert(std::numeric_limits<binary64>::min_exponent10 == std::numeric_limits<double>::min_exponent10);
static_assert(std::numeric_limits<binary64>::max_exponent10 == std::numeric_limits<double>::max_exponent10);
static_assert(std::numeric_limits<binary64>::max_digits10 == std::numeric_limits<double>::max_digits10);
static_assert(std::numeric_limits<binary32>::is_iec559 && !std::numeric_limits<float8_e4m3fn>::is_iec559);
static_assert(std::numeric_limits<float8_e4m3fn>::max().bits() == 0x7E);
static_assert(!std::numeric_limits<float8_e4m3fn>::has_infinity);
static_assert(std::numeric_limits<float8_e4m3fn>::quiet_NaN().bits() == 0x7F);
static_assert(std::numeric_limits<float8_e5m2>::max().bits() == 0x7B);
static_assert(std::numeric_limits<float8_e5m2>::min().bits() == 0x04);
static_assert(std::numeric_limits<float8_e4m3fnuz>::quiet_NaN().bits() == 0x80);
static_assert(std::numeric_limits<float8_e5m2fnuz>::max().bits() == 0x7F);
static_assert(std::numeric_limits<bfloat16>::max().bits() == 0x7F7F);
static_assert(std::numeric_limits<bfloat16>::epsilon().bits() == 0x3C00);
static_assert(std::numeric_limits<float4_e2m1fn>::max().bits() == 0x7 && !std::numeric_limits<float4_e2m1fn>::has_quiet_NaN);
static_assert(std::numeric_limits<binary128>::digits == 113 && std::numeric_limits<binary128>::max_exponent == 16384);

// Conversions between formats and to integers.
static_assert(convert<binary16>(float8_e5m2(57344.0)).bits() == 0x7B00);
static_assert(convert<int>(binary16(2.5)) == 2 && convert<int>(binary16(3.5)) == 4);
static_assert(static_cast<int>(binary16(-2.75)) == -2);
static_assert(convert<float8_e4m3fn, Round::up>(binary16(1.1)).bits() == 0x39);
}  // namespace

TEST_CASE("constexpr checks compiled", "[constexpr]") { SUCCEED("all static_asserts hold"); }
