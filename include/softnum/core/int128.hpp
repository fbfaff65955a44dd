// softnum/core/int128.hpp - the 128-bit integers softnum computes with: the compiler's
// __int128 where it has one on a 64-bit target, otherwise a small struct with the same results.
// SPDX-License-Identifier: MIT
//
// GCC has no __int128 on 32-bit targets (Cortex-M, i686), and where clang can be forced to
// provide one (-fforce-enable-int128) its division and conversions call libgcc routines
// (__udivti3, __divti3, __floatuntidf) that 32-bit libgcc/newlib do not ship. So the native type
// is used only where it is native: __SIZEOF_INT128__ on a target with 64-bit pointers (x86-64,
// AArch64, the CUDA host and device passes). Everywhere else `detail::u128` / `detail::i128` are
// `uint128` / `int128` below, which use only 32- and 64-bit integer operations (libgcc's
// __aeabi_lmul / __aeabi_uldivmod on Cortex-M0) and give bit for bit the results of the native
// type: wrapping arithmetic, logical/arithmetic shifts, truncating division, correctly rounded
// (nearest even) conversion to double and float, truncating conversion from them.
//
// SOFTNUM_TEST_PORTABLE_INT128 (tests only) forces the struct on a host that has __int128, so
// the number tests can run once more with it; tests/bits_test.cpp compares the two directly.
#pragma once

#include <softnum/config.hpp>

#include <compare>      // std::strong_ordering
#include <concepts>     // std::integral
#include <cstdint>      // std::uint32_t, std::uint64_t
#include <type_traits>  // std::is_same_v, std::is_signed_v

#if defined(__SIZEOF_INT128__) && defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ >= 8 && \
    !defined(SOFTNUM_TEST_PORTABLE_INT128)
#  define SOFTNUM_NATIVE_INT128 1
#else
#  define SOFTNUM_NATIVE_INT128 0
#endif

namespace softnum::detail {

struct int128;

/// Full 64 x 64 -> 128-bit product from 32-bit halves (no 128-bit type needed).
SOFTNUM_HOST_DEVICE constexpr void mul_64x64(std::uint64_t a, std::uint64_t b, std::uint64_t& hi,
                                             std::uint64_t& lo) noexcept {
  const std::uint64_t a0 = a & 0xFFFFFFFFu, a1 = a >> 32, b0 = b & 0xFFFFFFFFu, b1 = b >> 32;
  const std::uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const std::uint64_t mid = (p00 >> 32) + (p01 & 0xFFFFFFFFu) + (p10 & 0xFFFFFFFFu);  // < 3 * 2^32
  lo = (p00 & 0xFFFFFFFFu) | (mid << 32);
  hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/// 2^e as a double, exact for -1022 <= e <= 1023.
SOFTNUM_HOST_DEVICE constexpr double pow2_double(int e) noexcept {
  return __builtin_bit_cast(double, static_cast<std::uint64_t>(1023 + e) << 52);
}

/// Unsigned 128-bit integer as two 64-bit words, with the semantics of unsigned __int128.
struct uint128 {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;

  uint128() = default;
  SOFTNUM_HOST_DEVICE constexpr uint128(std::uint64_t h, std::uint64_t l, int /*tag*/) noexcept
      : lo(l), hi(h) {}
  /// From any integer, implicitly (as the built-in conversions): negative values sign-extend.
  template <std::integral T>
  SOFTNUM_HOST_DEVICE constexpr uint128(T v) noexcept  // NOLINT(google-explicit-constructor)
      : lo(static_cast<std::uint64_t>(v)), hi(v < T(0) ? ~std::uint64_t{0} : 0) {}
  SOFTNUM_HOST_DEVICE explicit constexpr uint128(const int128& v) noexcept;
  /// Truncation toward zero; the value must be in range (as for the native conversion).
  SOFTNUM_HOST_DEVICE explicit constexpr uint128(double d) noexcept {
    if (!(d >= 1)) return;
    if (d < 18446744073709551616.0) {
      lo = static_cast<std::uint64_t>(d);
      return;
    }
    const auto b = __builtin_bit_cast(std::uint64_t, d);
    const int e = static_cast<int>((b >> 52) & 0x7FF) - 1075;  // d = m 2^e, 11 < e < 76
    const std::uint64_t m = (b & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1} << 52);
    *this = uint128(0, m, 0) << e;
  }
  SOFTNUM_HOST_DEVICE explicit constexpr uint128(float f) noexcept
      : uint128(static_cast<double>(f)) {}

  template <std::integral T>
  SOFTNUM_HOST_DEVICE explicit constexpr operator T() const noexcept {
    if constexpr (std::is_same_v<T, bool>) {
      return (lo | hi) != 0;
    } else {
      return static_cast<T>(lo);
    }
  }
  /// (*this >> sh) with the bits shifted out OR-ed into bit 0, for 1 <= sh <= 64 (hi != 0).
  SOFTNUM_HOST_DEVICE constexpr std::uint64_t top_bits_jammed(int sh) const noexcept {
    if (sh == 64) return hi | static_cast<std::uint64_t>(lo != 0);
    return (hi << (64 - sh)) | (lo >> sh) | static_cast<std::uint64_t>((lo << (64 - sh)) != 0);
  }
  /// Correctly rounded (nearest even), like the native conversion.
  SOFTNUM_HOST_DEVICE explicit constexpr operator double() const noexcept {
    if (hi == 0) return static_cast<double>(lo);
    const int sh = 64 - __builtin_clzll(hi);  // keep the top 64 bits, jam the rest into bit 0
    const std::uint64_t top = top_bits_jammed(sh);
    return static_cast<double>(top) * pow2_double(sh);  // one rounding (64 -> 53 bits), exact scale
  }
  SOFTNUM_HOST_DEVICE explicit constexpr operator float() const noexcept {
    if (hi == 0) return static_cast<float>(lo);
    const int sh = 64 - __builtin_clzll(hi);
    const std::uint64_t top = top_bits_jammed(sh);
    // top -> float rounds once; the scale 2^sh (sh <= 64) is exact and can only overflow to inf.
    return static_cast<float>(top) * static_cast<float>(pow2_double(sh));
  }

  // Arithmetic modulo 2^128.
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator+(uint128 a, uint128 b) noexcept {
    const std::uint64_t l = a.lo + b.lo;
    return uint128(a.hi + b.hi + static_cast<std::uint64_t>(l < a.lo), l, 0);
  }
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator-(uint128 a, uint128 b) noexcept {
    return uint128(a.hi - b.hi - static_cast<std::uint64_t>(a.lo < b.lo), a.lo - b.lo, 0);
  }
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator*(uint128 a, uint128 b) noexcept {
    std::uint64_t h = 0, l = 0;
    mul_64x64(a.lo, b.lo, h, l);
    return uint128(h + a.lo * b.hi + a.hi * b.lo, l, 0);
  }
  SOFTNUM_HOST_DEVICE constexpr uint128 operator-() const noexcept { return uint128{} - *this; }
  SOFTNUM_HOST_DEVICE constexpr uint128 operator+() const noexcept { return *this; }
  SOFTNUM_HOST_DEVICE constexpr uint128 operator~() const noexcept { return uint128(~hi, ~lo, 0); }
  SOFTNUM_HOST_DEVICE constexpr bool operator!() const noexcept { return (lo | hi) == 0; }

  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator&(uint128 a, uint128 b) noexcept {
    return uint128(a.hi & b.hi, a.lo & b.lo, 0);
  }
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator|(uint128 a, uint128 b) noexcept {
    return uint128(a.hi | b.hi, a.lo | b.lo, 0);
  }
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator^(uint128 a, uint128 b) noexcept {
    return uint128(a.hi ^ b.hi, a.lo ^ b.lo, 0);
  }
  /// 0 <= n < 128, as for the native type.
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator<<(uint128 a, int n) noexcept {
    if (n == 0) return a;
    if (n >= 64) return uint128(a.lo << (n - 64), 0, 0);
    return uint128((a.hi << n) | (a.lo >> (64 - n)), a.lo << n, 0);
  }
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator<<(uint128 a, uint128 n) noexcept {
    return a << static_cast<int>(n.lo);
  }
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator>>(uint128 a, uint128 n) noexcept {
    return a >> static_cast<int>(n.lo);
  }
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator>>(uint128 a, int n) noexcept {
    if (n == 0) return a;
    if (n >= 64) return uint128(0, a.hi >> (n - 64), 0);
    return uint128(a.hi >> n, (a.lo >> n) | (a.hi << (64 - n)), 0);
  }

  /// Truncating division and remainder (d != 0).
  SOFTNUM_HOST_DEVICE static constexpr uint128 divmod(uint128 n, uint128 d, uint128& rem) noexcept {
    if (n.hi == 0 && d.hi == 0) {  // one 64-bit division
      rem = uint128(0, n.lo % d.lo, 0);
      return uint128(0, n.lo / d.lo, 0);
    }
    if (d.hi == 0 && d.lo <= 0xFFFFFFFFu) {  // short division by 32-bit digits (e.g. by 10)
      std::uint64_t r = 0;
      std::uint64_t q[4] = {};
      const std::uint64_t digit[4] = {n.hi >> 32, n.hi & 0xFFFFFFFFu, n.lo >> 32,
                                      n.lo & 0xFFFFFFFFu};
      for (int i = 0; i < 4; ++i) {
        const std::uint64_t cur = (r << 32) | digit[i];  // r < d < 2^32: fits
        q[i] = cur / d.lo;
        r = cur % d.lo;
      }
      rem = uint128(0, r, 0);
      return uint128((q[0] << 32) | q[1], (q[2] << 32) | q[3], 0);
    }
    if (n < d) {
      rem = n;
      return uint128{};
    }
    // Restoring shift-subtract, one quotient bit per step from the top of the quotient.
    const int shift = n.width() - d.width();
    uint128 den = d << shift, q{};
    for (int i = shift; i >= 0; --i) {
      q = q << 1;
      if (n >= den) {
        n = n - den;
        q.lo |= 1;
      }
      den = den >> 1;
    }
    rem = n;
    return q;
  }
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator/(uint128 a, uint128 b) noexcept {
    uint128 r;
    return divmod(a, b, r);
  }
  SOFTNUM_HOST_DEVICE friend constexpr uint128 operator%(uint128 a, uint128 b) noexcept {
    uint128 r;
    divmod(a, b, r);
    return r;
  }

  SOFTNUM_HOST_DEVICE friend constexpr bool operator==(uint128 a, uint128 b) noexcept {
    return a.lo == b.lo && a.hi == b.hi;
  }
  SOFTNUM_HOST_DEVICE friend constexpr std::strong_ordering operator<=>(uint128 a,
                                                                        uint128 b) noexcept {
    if (a.hi != b.hi)
      return a.hi < b.hi ? std::strong_ordering::less : std::strong_ordering::greater;
    if (a.lo != b.lo)
      return a.lo < b.lo ? std::strong_ordering::less : std::strong_ordering::greater;
    return std::strong_ordering::equal;
  }
  // Spelled out as well: comparing a std::strong_ordering with 0 is host-only code for nvcc.
  SOFTNUM_HOST_DEVICE friend constexpr bool operator<(uint128 a, uint128 b) noexcept {
    return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
  }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator>(uint128 a, uint128 b) noexcept {
    return b < a;
  }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator<=(uint128 a, uint128 b) noexcept {
    return !(b < a);
  }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator>=(uint128 a, uint128 b) noexcept {
    return !(a < b);
  }

  /// Number of significant bits (0 for 0).
  SOFTNUM_HOST_DEVICE constexpr int width() const noexcept {
    if (hi != 0) return 128 - __builtin_clzll(hi);
    return lo != 0 ? 64 - __builtin_clzll(lo) : 0;
  }

#define SOFTNUM_U128_ASSIGN(op)                                               \
  SOFTNUM_HOST_DEVICE constexpr uint128& operator op##=(uint128 b) noexcept { \
    return *this = *this op b;                                                \
  }
  SOFTNUM_U128_ASSIGN(+)
  SOFTNUM_U128_ASSIGN(-)
  SOFTNUM_U128_ASSIGN(*)
  SOFTNUM_U128_ASSIGN(/)
  SOFTNUM_U128_ASSIGN(%)
  SOFTNUM_U128_ASSIGN(&)
  SOFTNUM_U128_ASSIGN(|)
  SOFTNUM_U128_ASSIGN(^)
#undef SOFTNUM_U128_ASSIGN
  SOFTNUM_HOST_DEVICE constexpr uint128& operator<<=(int n) noexcept { return *this = *this << n; }
  SOFTNUM_HOST_DEVICE constexpr uint128& operator>>=(int n) noexcept { return *this = *this >> n; }
  SOFTNUM_HOST_DEVICE constexpr uint128& operator++() noexcept { return *this = *this + 1; }
  SOFTNUM_HOST_DEVICE constexpr uint128& operator--() noexcept { return *this = *this - 1; }
  SOFTNUM_HOST_DEVICE constexpr uint128 operator++(int) noexcept {
    const uint128 old = *this;
    ++*this;
    return old;
  }
  SOFTNUM_HOST_DEVICE constexpr uint128 operator--(int) noexcept {
    const uint128 old = *this;
    --*this;
    return old;
  }
};

/// Signed 128-bit integer (two's complement in a uint128), with the semantics of __int128.
struct int128 {
  uint128 u;

  int128() = default;
  template <std::integral T>
  SOFTNUM_HOST_DEVICE constexpr int128(T v) noexcept
      : u(v) {}  // NOLINT(google-explicit-constructor)
  SOFTNUM_HOST_DEVICE explicit constexpr int128(uint128 v) noexcept : u(v) {}
  SOFTNUM_HOST_DEVICE explicit constexpr int128(double d) noexcept
      : u(d < 0 ? -uint128(-d) : uint128(d)) {}
  SOFTNUM_HOST_DEVICE explicit constexpr int128(float f) noexcept
      : int128(static_cast<double>(f)) {}

  SOFTNUM_HOST_DEVICE constexpr bool negative() const noexcept { return (u.hi >> 63) != 0; }
  SOFTNUM_HOST_DEVICE constexpr uint128 magnitude() const noexcept { return negative() ? -u : u; }

  template <std::integral T>
  SOFTNUM_HOST_DEVICE explicit constexpr operator T() const noexcept {
    return static_cast<T>(u);
  }
  SOFTNUM_HOST_DEVICE explicit constexpr operator double() const noexcept {
    const double m = static_cast<double>(magnitude());  // rounding is symmetric in nearest even
    return negative() ? -m : m;
  }
  SOFTNUM_HOST_DEVICE explicit constexpr operator float() const noexcept {
    const float m = static_cast<float>(magnitude());
    return negative() ? -m : m;
  }

  SOFTNUM_HOST_DEVICE friend constexpr int128 operator+(int128 a, int128 b) noexcept {
    return int128(a.u + b.u);
  }
  SOFTNUM_HOST_DEVICE friend constexpr int128 operator-(int128 a, int128 b) noexcept {
    return int128(a.u - b.u);
  }
  SOFTNUM_HOST_DEVICE friend constexpr int128 operator*(int128 a, int128 b) noexcept {
    return int128(a.u * b.u);
  }
  /// Truncates toward zero; the remainder has the sign of the dividend.
  SOFTNUM_HOST_DEVICE friend constexpr int128 operator/(int128 a, int128 b) noexcept {
    const uint128 q = a.magnitude() / b.magnitude();
    return int128(a.negative() != b.negative() ? -q : q);
  }
  SOFTNUM_HOST_DEVICE friend constexpr int128 operator%(int128 a, int128 b) noexcept {
    const uint128 r = a.magnitude() % b.magnitude();
    return int128(a.negative() ? -r : r);
  }
  SOFTNUM_HOST_DEVICE constexpr int128 operator-() const noexcept { return int128(-u); }
  SOFTNUM_HOST_DEVICE constexpr int128 operator+() const noexcept { return *this; }
  SOFTNUM_HOST_DEVICE constexpr int128 operator~() const noexcept { return int128(~u); }
  SOFTNUM_HOST_DEVICE constexpr bool operator!() const noexcept { return !u; }
  SOFTNUM_HOST_DEVICE friend constexpr int128 operator&(int128 a, int128 b) noexcept {
    return int128(a.u & b.u);
  }
  SOFTNUM_HOST_DEVICE friend constexpr int128 operator|(int128 a, int128 b) noexcept {
    return int128(a.u | b.u);
  }
  SOFTNUM_HOST_DEVICE friend constexpr int128 operator^(int128 a, int128 b) noexcept {
    return int128(a.u ^ b.u);
  }
  SOFTNUM_HOST_DEVICE friend constexpr int128 operator<<(int128 a, int n) noexcept {
    return int128(a.u << n);
  }
  /// Arithmetic shift (as GCC and Clang define it for negative values).
  SOFTNUM_HOST_DEVICE friend constexpr int128 operator>>(int128 a, int n) noexcept {
    if (!a.negative()) return int128(a.u >> n);
    return int128(~(~a.u >> n));
  }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator==(int128 a, int128 b) noexcept {
    return a.u == b.u;
  }
  SOFTNUM_HOST_DEVICE friend constexpr std::strong_ordering operator<=>(int128 a,
                                                                        int128 b) noexcept {
    if (a.negative() != b.negative()) {
      return a.negative() ? std::strong_ordering::less : std::strong_ordering::greater;
    }
    return a.u <=> b.u;  // same sign: two's complement orders like unsigned
  }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator<(int128 a, int128 b) noexcept {
    return a.negative() != b.negative() ? a.negative() : a.u < b.u;
  }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator>(int128 a, int128 b) noexcept { return b < a; }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator<=(int128 a, int128 b) noexcept {
    return !(b < a);
  }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator>=(int128 a, int128 b) noexcept {
    return !(a < b);
  }

#define SOFTNUM_I128_ASSIGN(op)                                             \
  SOFTNUM_HOST_DEVICE constexpr int128& operator op##=(int128 b) noexcept { \
    return *this = *this op b;                                              \
  }
  SOFTNUM_I128_ASSIGN(+)
  SOFTNUM_I128_ASSIGN(-)
  SOFTNUM_I128_ASSIGN(*)
  SOFTNUM_I128_ASSIGN(/)
  SOFTNUM_I128_ASSIGN(%)
  SOFTNUM_I128_ASSIGN(&)
  SOFTNUM_I128_ASSIGN(|)
  SOFTNUM_I128_ASSIGN(^)
#undef SOFTNUM_I128_ASSIGN
  SOFTNUM_HOST_DEVICE constexpr int128& operator<<=(int n) noexcept { return *this = *this << n; }
  SOFTNUM_HOST_DEVICE constexpr int128& operator>>=(int n) noexcept { return *this = *this >> n; }
  SOFTNUM_HOST_DEVICE constexpr int128& operator++() noexcept { return *this = *this + 1; }
  SOFTNUM_HOST_DEVICE constexpr int128& operator--() noexcept { return *this = *this - 1; }
};

SOFTNUM_HOST_DEVICE constexpr uint128::uint128(const int128& v) noexcept : lo(v.u.lo), hi(v.u.hi) {}

#if SOFTNUM_NATIVE_INT128
__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;
#else
using u128 = uint128;
using i128 = int128;
#endif

}  // namespace softnum::detail
