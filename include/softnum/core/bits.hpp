// softnum/core/bits.hpp - bit casts, leading-zero counts, 128/256-bit integer helpers.
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/config.hpp>
#include <softnum/core/int128.hpp>  // u128, i128 (native or portable)

#include <cstdint>      // std::uint64_t
#include <type_traits>  // std::conditional_t

namespace softnum::detail {

template <class To, class From>
SOFTNUM_HOST_DEVICE constexpr To bit_cast(const From& from) noexcept {
  static_assert(sizeof(To) == sizeof(From), "softnum::detail::bit_cast: sizes differ");
  return __builtin_bit_cast(To, from);
}

/// Smallest unsigned integer type with at least Bits bits (1..128).
template <int Bits>
using uint_for_bits = std::conditional_t<
    (Bits <= 8), std::uint8_t,
    std::conditional_t<(Bits <= 16), std::uint16_t,
                       std::conditional_t<(Bits <= 32), std::uint32_t,
                                          std::conditional_t<(Bits <= 64), std::uint64_t, u128>>>>;

template <class U>
inline constexpr int width_of = static_cast<int>(sizeof(U) * 8);

/// Number of leading zero bits of a nonzero 64-bit word.
SOFTNUM_HOST_DEVICE constexpr int clz64(std::uint64_t x) noexcept {
#if defined(__CUDA_ARCH__)
  // __clzll is not constexpr: constant evaluation in the device pass counts bit by bit.
  if (!SOFTNUM_IS_CONSTANT_EVALUATED()) return __clzll(static_cast<long long>(x));
  int n = 0;
  for (std::uint64_t bit = std::uint64_t{1} << 63; (x & bit) == 0; bit >>= 1) ++n;
  return n;
#else
  return __builtin_clzll(x);
#endif
}

/// Position of the highest set bit plus one (0 for x == 0), like std::bit_width.
SOFTNUM_HOST_DEVICE constexpr int bit_width(std::uint64_t x) noexcept {
  return x == 0 ? 0 : 64 - clz64(x);
}
SOFTNUM_HOST_DEVICE constexpr int bit_width(std::uint32_t x) noexcept {
  return bit_width(static_cast<std::uint64_t>(x));
}
SOFTNUM_HOST_DEVICE constexpr int bit_width(u128 x) noexcept {
  const auto hi = static_cast<std::uint64_t>(x >> 64);
  return hi != 0 ? 128 - clz64(hi) : bit_width(static_cast<std::uint64_t>(x));
}

/// x >> n where every bit shifted out is OR-ed into the lowest bit ("jamming"). This is
/// round-to-odd at the new position, which keeps enough information for any later rounding
/// to fewer bits (Boldo & Melquiond 2008). n may exceed the width.
template <class U>
SOFTNUM_HOST_DEVICE constexpr U shift_right_jam(U x, int n) noexcept {
  if (n <= 0) return x;
  if (n >= width_of<U>) return static_cast<U>(x != 0);
  const U lost = static_cast<U>(x & ((U(1) << n) - 1));
  return static_cast<U>((x >> n) | static_cast<U>(lost != 0));
}

// ---------------------------------------------------------------------------------------------
// A minimal unsigned 256-bit integer: enough for exact products of 113-bit significands and the
// aligned sums of fma. Only what the generic soft-float path needs.
struct u256 {
  u128 hi = 0;
  u128 lo = 0;
};

SOFTNUM_HOST_DEVICE constexpr bool is_zero(const u256& x) noexcept { return (x.hi | x.lo) == 0; }

SOFTNUM_HOST_DEVICE constexpr int bit_width(const u256& x) noexcept {
  return x.hi != 0 ? 128 + bit_width(x.hi) : bit_width(x.lo);
}

SOFTNUM_HOST_DEVICE constexpr bool less(const u256& a, const u256& b) noexcept {
  return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
}

SOFTNUM_HOST_DEVICE constexpr u256 add(const u256& a, const u256& b) noexcept {
  u256 r;
  r.lo = a.lo + b.lo;
  r.hi = a.hi + b.hi + static_cast<u128>(r.lo < a.lo);
  return r;
}

SOFTNUM_HOST_DEVICE constexpr u256 sub(const u256& a, const u256& b) noexcept {  // a >= b
  u256 r;
  r.lo = a.lo - b.lo;
  r.hi = a.hi - b.hi - static_cast<u128>(a.lo < b.lo);
  return r;
}

SOFTNUM_HOST_DEVICE constexpr u256 shift_left(const u256& x, int n) noexcept {  // 0 <= n < 256
  if (n == 0) return x;
  if (n >= 128) return u256{x.lo << (n - 128), 0};
  return u256{(x.hi << n) | (x.lo >> (128 - n)), x.lo << n};
}

SOFTNUM_HOST_DEVICE constexpr u256 shift_right_jam(const u256& x, int n) noexcept {
  if (n <= 0) return x;
  if (n >= 256) return u256{0, static_cast<u128>(!is_zero(x))};
  u256 r;
  bool lost = false;
  if (n >= 128) {
    const int m = n - 128;
    lost = x.lo != 0 || (m > 0 && (x.hi & ((u128(1) << m) - 1)) != 0);
    r = u256{0, m == 0 ? x.hi : (x.hi >> m)};
  } else {
    lost = (x.lo & ((u128(1) << n) - 1)) != 0;
    r = u256{x.hi >> n, (x.lo >> n) | (x.hi << (128 - n))};
  }
  r.lo |= static_cast<u128>(lost);
  return r;
}

/// Full 128 x 128 -> 256-bit product.
SOFTNUM_HOST_DEVICE constexpr u256 mul_wide(u128 a, u128 b) noexcept {
  const u128 mask = ~std::uint64_t{0};
  const u128 a0 = a & mask, a1 = a >> 64, b0 = b & mask, b1 = b >> 64;
  const u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const u128 mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);  // < 3 * 2^64, no overflow
  u256 r;
  r.lo = (p00 & mask) | (mid << 64);
  r.hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
  return r;
}

/// Compress to at most 127 significant bits with a jammed sticky bit; returns the shift applied.
SOFTNUM_HOST_DEVICE constexpr u128 narrow_jam(const u256& x, int& shift) noexcept {
  const int bw = bit_width(x);
  shift = bw > 127 ? bw - 127 : 0;
  return shift_right_jam(x, shift).lo;
}

/// One step of the digit-by-digit (restoring) square root: brings the next two radicand bits
/// into rem and appends one bit to root. Keeps rem < 2 root + 1.
SOFTNUM_HOST_DEVICE constexpr void sqrt_step(u128& root, u128& rem, u128 two_bits) noexcept {
  rem = (rem << 2) | two_bits;
  const u128 trial = (root << 2) | 1;
  if (rem >= trial) {
    rem -= trial;
    root = (root << 1) | 1;
  } else {
    root <<= 1;
  }
}

}  // namespace softnum::detail
