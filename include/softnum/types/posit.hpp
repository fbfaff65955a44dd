// softnum/types/posit.hpp - Posit<N,ES>: tapered-precision posit numbers, and the exact quire.
// SPDX-License-Identifier: MIT
//
// Format card --------------------------------------------------------------------------------
// Posit<N, ES>, 2 <= N <= 64, 0 <= ES <= 5 (Posit Standard 2022 for ES = 2; the same rules for
// every other ES, as in the pre-2022 drafts that SoftPosit's posit8 (ES 0) and posit16 (ES 1)
// follow).
//   layout:   an N-bit two's complement pattern [sign][regime][exponent:ES][fraction], stored in
//             the low N bits of the smallest unsigned integer that holds N bits. A negative posit
//             is the two's complement of the pattern of its magnitude.
//   regime:   a run of m identical bits ended by the opposite bit (or by the end of the word):
//             k = m - 1 for a run of ones, k = -m for a run of zeros. useed = 2^(2^ES).
//   value:    (-1)^s * useed^k * 2^e * (1 + f / 2^F). Exponent bits cut off by the end of the
//             word read as 0; the fraction takes whatever bits remain (F >= 0).
//   range:    maxpos = 2^((N-2) 2^ES) = 0111...1, minpos = 2^(-(N-2) 2^ES) = 000...01.
//             posit8 2^+-24, posit16 2^+-56, posit32 2^+-120, posit64 2^+-248.
//   precision: at most N - 2 - ES significand bits (hidden bit included), near 1; one bit less
//             per regime step away from 1.
//   specials: one zero (000...0); NaR "not a real" (100...0) is the only exception value: the
//             result of 0 division, sqrt of a negative, and of any operation on NaR. There is no
//             infinity and no underflow to zero.
//   order:    posits compare like the signed integers of their patterns: NaR is the smallest and
//             NaR == NaR (as the standard specifies).
//   rounding: round to nearest on the bit string, ties to the even pattern: the breakpoint between
//             two adjacent N-bit posits is the (N+1)-bit posit between them (not the arithmetic
//             midpoint where exponent bits are cut off). A nonzero value never rounds to 0 or NaR:
//             |x| > maxpos gives maxpos, 0 < |x| < minpos gives minpos. Every operation and
//             conversion is the exact result rounded once. Other modes (per-call `add<R>`,
//             `convert<P, R>`) round on the same bit string: toward_zero / up / down are then the
//             value-correct directed roundings; nearest_away breaks string ties away from zero;
//             stochastic rounds up with probability equal to the position between the two
//             patterns along the bit string (not along the value); the saturation rules still
//             hold (no rounding to 0 or NaR in any mode).
//   quire:    Quire<N,ES>: a two's complement fixed-point accumulator with 31 carry-guard bits and
//             LSB minpos^2, 32 + 4 (N-2) 2^ES bits (16N for ES = 2), rounded up to 64-bit limbs.
//   standard: Standard for Posit Arithmetic (2022), Posit Working Group.
//   device:   everything here is constexpr and SOFTNUM_HOST_DEVICE (nvcc -Werror clean without
//             --expt-relaxed-constexpr), except fdp over std::span: use fdp(a_ptr, b_ptr, n).
//             No heap, no exceptions, no iostream. exp/log/tanh/sigmoid: ops/math.hpp (host).
//
// How it computes (ROUNDING.md §3): the decode uses one count-leading-zeros for the regime; the
// encode builds the regime|exponent|fraction string in one word, branch-free, and rounds it on
// the bit string (nearest-even inline, T += G & (S | lsb); other modes by detail::round_shift).
// Formats whose values and results fit a double (precision p <= 51, |products| < 2^960) compute in
// double and encode once: for p <= 25 the plain double operation is an innocuous double rounding
// (the (N+1)-bit breakpoints have at most p+1 bits, Figueroa's 2p+2 <= 53 argument); for 26 <= p <=
// 51 (posit32) the double result is made round-to-odd from its exact error (TwoSum, fma remainder),
// which lies strictly between the same 52-bit numbers as the exact result and so on the same side
// of every breakpoint. Everything else (posit64, wide-ES formats, posit32 fma, constant evaluation,
// non-default modes) uses 64/128-bit integer arithmetic with a sticky bit. The tests check every
// pair of every format with N <= 6 and of the 8-bit ones, and (tag [exhaustive]) every pair of
// posit16 and Posit<16,1>.
#pragma once

#include <softnum/config.hpp>
#include <softnum/core/arithmetic.hpp>  // bits, round, random, convert, the per-call API
#include <softnum/types/float.hpp>
#include <softnum/types/float_codec.hpp>

#include <compare>      // std::strong_ordering
#include <concepts>     // std::integral
#include <cstddef>      // std::size_t
#include <cstdint>      // fixed-width integers
#include <string_view>  // declares std::hash ([string.view.synop]); <functional> would pull <typeinfo>
#include <limits>       // std::numeric_limits
#include <span>         // std::span (fdp)
#include <type_traits>  // std::remove_const_t

namespace softnum {

template <int N, int ES = 2>
class Posit;

// Aliases: the 2022 standard fixes ES = 2 for every N. SoftPosit's posit8/posit16 are the
// pre-2022 Posit<8,0> and Posit<16,1>.
using posit8 = Posit<8, 2>;
using posit16 = Posit<16, 2>;
using posit32 = Posit<32, 2>;
using posit64 = Posit<64, 2>;
using posit8_0 = Posit<8, 0>;
using posit16_1 = Posit<16, 1>;

template <int N, int ES = 2>
class Quire;

namespace detail {
template <class T>
struct is_posit_format : std::false_type {};
template <int N, int ES>
struct is_posit_format<Posit<N, ES>> : std::true_type {};
}  // namespace detail

/// Any Posit<N, ES> type.
template <class T>
concept PositFormat = detail::is_posit_format<T>::value;

namespace detail {

/// std::is_constant_evaluated(), which nvcc treats as a host-only function (warning 20013 in
/// __host__ __device__ code); the builtin behind it works everywhere (GCC, Clang, NVCC).
SOFTNUM_HOST_DEVICE constexpr bool constant_evaluated() noexcept {
  return __builtin_is_constant_evaluated();
}

/// A decoded nonzero, non-NaR posit: |x| = sig * 2^(scale - 63), sig in [2^63, 2^64).
struct PositParts {
  bool neg = false;
  int scale = 0;
  std::uint64_t sig = 0;
};

/// Bit-level codec and the integer arithmetic of Posit<N, ES>. Patterns are handled as the low N
/// bits of a uint64_t; `storage` is only the type the value class keeps.
template <int N, int ES>
struct PositCodec {
  // Clamped copies keep the constants well formed when a bad N/ES is already being reported by
  // the static_asserts of Posit.
  static constexpr int n = N < 2 ? 2 : (N > 64 ? 64 : N);
  static constexpr int es = ES < 0 ? 0 : (ES > 5 ? 5 : ES);
  using storage = uint_for_bits<n>;
  using u64 = std::uint64_t;

  static constexpr u64 mask = n == 64 ? ~u64{0} : (u64{1} << (n == 64 ? 0 : n)) - 1;
  static constexpr u64 nar = u64{1} << (n - 1);
  static constexpr u64 maxpos = nar - 1;
  static constexpr u64 minpos = 1;
  static constexpr int max_k = n - 2;                                 // regime of maxpos
  static constexpr int max_scale = (n - 2) * (1 << es);               // maxpos = 2^max_scale
  static constexpr int precision = n - 2 - es >= 1 ? n - 2 - es : 1;  // p, hidden bit included

  SOFTNUM_HOST_DEVICE static constexpr u64 negate(u64 b) noexcept { return (u64{0} - b) & mask; }
  /// 0 or NaR: the two patterns whose bits below the sign are all zero.
  SOFTNUM_HOST_DEVICE static constexpr bool is_special(u64 b) noexcept {
    return (b & (mask >> 1)) == 0;
  }
  SOFTNUM_HOST_DEVICE static constexpr bool is_negative(u64 b) noexcept {
    return ((b >> (n - 1)) & 1) != 0;
  }
  /// The pattern as a signed integer: the order of posits.
  SOFTNUM_HOST_DEVICE static constexpr std::int64_t to_signed(u64 b) noexcept {
    return static_cast<std::int64_t>(b << (64 - n)) >> (64 - n);
  }

  /// Decodes a pattern that is neither 0 nor NaR. The regime run length is one count of leading
  /// zeros of the body XOR its smeared first bit (a run of ones becomes a run of zeros).
  SOFTNUM_HOST_DEVICE static constexpr PositParts decode(u64 b) noexcept {
    const bool neg = is_negative(b);
    const u64 sm = u64{0} - static_cast<u64>(neg);
    const u64 mag = ((b ^ sm) - sm) & mask;  // |x|, branch-free
    const u64 x = mag << (65 - n);  // body left-aligned, sign dropped; >= 1 zero bit below it
    const auto smear = static_cast<std::int64_t>(x) >> 63;
    const int m =
        clz64(x ^ static_cast<u64>(smear));      // nonzero: x != 0, and ~x has the low bits set
    const int k = -m ^ static_cast<int>(smear);  // run of ones: m - 1 = ~(-m); of zeros: -m
    const u64 y = (x << m) << 1;                 // drops the regime and its terminator
    int e = 0;
    if constexpr (es > 0) e = static_cast<int>(y >> (64 - es));
    const u64 f = y << es;  // fraction, left-aligned; at most 61 bits, so >> 1 loses nothing
    return PositParts{neg, k * (1 << es) + e, (u64{1} << 63) | (f >> 1)};
  }

  /// Rounds |x| = (1 + frac / 2^W) * 2^lead, frac possibly round-to-odd jammed in its last bit,
  /// to a pattern: builds regime|exponent|fraction left-aligned in a W-bit word and rounds its
  /// top N-1 bits with round_shift (nearest-even on the bit string, ROUNDING.md §3.3). The word
  /// is the round-to-odd image of the infinite string with W >= N + 1 bits, so every mode rounds
  /// it as it would the exact string (u64 words are used for N <= 32 without stochastic
  /// rounding, whose 32 random bits need a 34-bit tail).
  template <class W>
  SOFTNUM_HOST_DEVICE static constexpr u64 encode_frac(bool neg, int lead, W frac, Round mode,
                                                       std::uint32_t random) noexcept {
    constexpr int w = width_of<W>;
    const int k = lead >> es;  // floor(lead / 2^ES) (arithmetic shift, C++20)
    u64 t;
    if (static_cast<unsigned>(k + max_k) >= static_cast<unsigned>(2 * max_k)) {  // one test
      t = k >= max_k ? maxpos : minpos;  // |x| >= maxpos, or 0 < |x| < minpos
    } else {
      // Branch-free regime: r = k + 2 bits 1..10 for k >= 0, r = 1 - k bits 0..01 for k < 0.
      // With v = 2^(w-r): the first is -(2v) mod 2^w (r-1 ones from the top), the second v.
      const int r = (k ^ (k >> 31)) + 2;
      const W ge = static_cast<W>(k >= 0);
      const W v = static_cast<W>(W{1} << (w - r));
      W word = static_cast<W>((static_cast<W>(v << ge) ^ static_cast<W>(W{0} - ge)) + ge);
      // frac >> (r + ES) with the bits shifted out jammed into the last bit; 2 <= r + ES < w.
      const int fs = r + es;
      word |= static_cast<W>((frac >> fs) | static_cast<W>(static_cast<W>(frac << (w - fs)) != 0));
      if constexpr (es > 0) {
        const auto e = static_cast<W>(static_cast<unsigned>(lead - k * (1 << es)));
        word |= static_cast<W>(e << (w - r - es));
      }
      // k in [-(N-2), N-3]: the truncated string lies in [1, maxpos], and so does its rounding.
      constexpr int sh = w + 1 - n;
      if (mode == Round::nearest_even && sh >= 2) {
        // round_shift's nearest-even, branch-free: T += G & (S | lsb(T)).
        const W q = static_cast<W>(word >> sh);
        const W g = static_cast<W>((word >> (sh - 1)) & 1);
        const W sticky = static_cast<W>((word & static_cast<W>((W{1} << (sh - 1)) - 1)) != 0);
        t = static_cast<u64>(q + (g & (sticky | (q & 1))));
      } else {
        t = static_cast<u64>(round_shift<W>(word, sh, mode, neg, random, 32));
      }
    }
    const u64 sm = u64{0} - static_cast<u64>(neg);
    return ((t ^ sm) - sm) & mask;
  }

  /// Rounds sig * 2^exp (sig != 0, exact or round-to-odd) once.
  SOFTNUM_HOST_DEVICE static constexpr u64 encode(bool neg, int exp, u128 sig, Round mode,
                                                  std::uint32_t random) noexcept {
    const int bw = bit_width(sig);
    const int lead = exp + bw - 1;
    const u128 frac = (sig << (128 - bw)) << 1;  // drops the leading one
    if (n <= 32 && mode != Round::stochastic) {
      const auto f64 = static_cast<u64>(frac >> 64) | static_cast<u64>(static_cast<u64>(frac) != 0);
      return encode_frac<u64>(neg, lead, f64, mode, random);
    }
    return encode_frac<u128>(neg, lead, frac, mode, random);
  }
  SOFTNUM_HOST_DEVICE static constexpr u64 encode(bool neg, int exp, u64 sig, Round mode,
                                                  std::uint32_t random) noexcept {
    if (n <= 32 && mode != Round::stochastic) {  // no need for 128-bit words
      const int bw = bit_width(sig);
      return encode_frac<u64>(neg, exp + bw - 1, (sig << (64 - bw)) << 1, mode, random);
    }
    return encode(neg, exp, static_cast<u128>(sig), mode, random);
  }

  /// Rounds an exact (or round-to-odd) value once. Infinities and NaN become NaR.
  SOFTNUM_HOST_DEVICE static constexpr u64 encode(const Unpacked& u, Round mode,
                                                  std::uint32_t random) noexcept {
    switch (u.kind) {
      case Kind::zero:
        return 0;
      case Kind::inf:
      case Kind::nan:
        return nar;
      case Kind::finite:
        break;
    }
    return encode(u.sign, u.exp, u.sig, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(u64 b) noexcept {
    if (b == 0) return make_special(Kind::zero, false);
    if (b == nar) return make_special(Kind::nan, false);
    const PositParts p = decode(b);
    return Unpacked{Kind::finite, p.neg, p.scale - 63, p.sig};
  }

  // ----- integer arithmetic: exact or round-to-odd, then one rounding; any N, ES, mode -----

  SOFTNUM_HOST_DEVICE static constexpr u64 add(u64 a, u64 b, Round mode,
                                               std::uint32_t random) noexcept {
    if (a == nar || b == nar) return nar;
    if (a == 0) return b;  // a posit is its own rounding in every mode
    if (b == 0) return a;
    const PositParts x = decode(a), y = decode(b);
    return add_mag(x.neg, x.scale - 63, x.sig, y.neg, y.scale - 63, y.sig, mode, random);
  }

  /// (-1)^nx sx 2^ex + (-1)^ny sy 2^ey for nonzero 64-bit sx, sy, rounded once. Both are put at
  /// bits 125..62 of a 128-bit word: aligning by <= 62 is exact; a longer shift is jammed, and as
  /// the larger operand then has >= 62 zero low bits the sum is the round-to-odd image at >= 63
  /// bits (Boldo & Melquiond 2008; as wide_add in float_codec.hpp), enough for p <= 61.
  SOFTNUM_HOST_DEVICE static constexpr u64 add_mag(bool nx, int ex, u64 sx, bool ny, int ey, u64 sy,
                                                   Round mode, std::uint32_t random) noexcept {
    const int bx = bit_width(sx), by = bit_width(sy);
    int lx = ex + bx, ly = ey + by;  // one above the exponents of the leading bits
    u128 big = static_cast<u128>(sx) << (126 - bx), small = static_cast<u128>(sy) << (126 - by);
    const bool same = nx == ny;
    bool neg = nx;
    if (lx < ly || (lx == ly && big < small)) {
      const u128 t = big;
      big = small;
      small = t;
      const int l = lx;
      lx = ly;
      ly = l;
      neg = ny;
    }
    small = shift_right_jam(small, lx - ly);
    const u128 s = same ? big + small : big - small;
    if (s == 0) return 0;
    return encode(neg, lx - 126, s, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr u64 mul(u64 a, u64 b, Round mode,
                                               std::uint32_t random) noexcept {
    if (a == nar || b == nar) return nar;
    if (a == 0 || b == 0) return 0;
    const PositParts x = decode(a), y = decode(b);
    const bool neg = x.neg != y.neg;
    if constexpr (n <= 32) {
      // At most 30 significant bits each: the product is exact in 64 bits.
      return encode(neg, x.scale + y.scale - 62, (x.sig >> 32) * (y.sig >> 32), mode, random);
    } else {
      return encode(neg, x.scale + y.scale - 126, static_cast<u128>(x.sig) * y.sig, mode, random);
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr u64 div(u64 a, u64 b, Round mode,
                                               std::uint32_t random) noexcept {
    if (a == nar || b == nar || b == 0) return nar;
    if (a == 0) return 0;
    const PositParts x = decode(a), y = decode(b);
    // 2^127 <= num < 2^128, 2^63 <= den < 2^64: a 64- or 65-bit quotient, remainder as sticky.
    const u128 num = static_cast<u128>(x.sig) << 64;
    const u128 q = num / y.sig;
    const u128 rem = num - q * y.sig;
    return encode(x.neg != y.neg, x.scale - y.scale - 64, q | static_cast<u128>(rem != 0), mode,
                  random);
  }

  /// floor(sqrt(r)) for 2^126 <= r < 2^128 (a 64-bit root), and whether it is exact.
  SOFTNUM_HOST_DEVICE static constexpr u64 isqrt(u128 r, bool& exact) noexcept {
    u64 root = 0;
    if (detail::constant_evaluated()) {
      u128 rem = 0;  // digit by digit, two radicand bits per root bit
      for (int i = 63; i >= 0; --i) {
        rem = (rem << 2) | ((r >> (2 * i)) & 3);
        const u128 trial = (static_cast<u128>(root) << 2) | 1;
        root <<= 1;
        if (rem >= trial) {
          rem -= trial;
          root |= 1;
        }
      }
    } else {
      // A double estimate within 2^12 of the root (kept below 2^64), one Newton step (which
      // lands on the root or one above), then the final correction.
      const double est = sqrt_hw(static_cast<double>(r));
      root = est >= 18446744073709549568.0 ? ~u64{0} : static_cast<u64>(est);
      root = static_cast<u64>((static_cast<u128>(root) + r / root) >> 1);
      while (static_cast<u128>(root) * root > r) --root;
      while (root != ~u64{0} && static_cast<u128>(root + 1) * (root + 1) <= r) ++root;
    }
    exact = static_cast<u128>(root) * root == r;
    return root;
  }

  SOFTNUM_HOST_DEVICE static constexpr u64 sqrt(u64 a, Round mode, std::uint32_t random) noexcept {
    if (a == 0 || a == nar) return a;
    if (is_negative(a)) return nar;
    const PositParts x = decode(a);
    // x = sig * 2^(scale - 63); shift the radicand by 63 or 64 so that the exponent is even and
    // the root has 64 bits (p + 2 for p = 62).
    const int sh = ((x.scale - 63) & 1) != 0 ? 63 : 64;
    bool exact = true;
    const u64 root = isqrt(static_cast<u128>(x.sig) << sh, exact);
    return encode(false, (x.scale - 63 - sh) / 2, root | static_cast<u64>(!exact), mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr u64 fma(u64 a, u64 b, u64 c, Round mode,
                                               std::uint32_t random) noexcept {
    if (a == nar || b == nar || c == nar) return nar;
    if (a == 0 || b == 0) return c;
    const PositParts x = decode(a), y = decode(b);
    const bool pneg = x.neg != y.neg;
    if constexpr (n <= 32) {
      // At most 30 significant bits each: the product is exact in 64 bits, and the sum fits
      // the 128-bit add.
      const u64 p = (x.sig >> 32) * (y.sig >> 32);
      const int pexp = x.scale + y.scale - 62;
      if (c == 0) return encode(pneg, pexp, p, mode, random);
      const PositParts z = decode(c);
      return add_mag(pneg, pexp, p, z.neg, z.scale - 63, z.sig, mode, random);
    }
    const u128 p = static_cast<u128>(x.sig) * y.sig;  // exact, 127 or 128 bits
    const int pexp = x.scale + y.scale - 126;
    if (c == 0) return encode(pneg, pexp, p, mode, random);
    const PositParts z = decode(c);
    const Wide s =
        wide_add(Wide{pneg, pexp, u256{0, p}}, Wide{z.neg, z.scale - 63, u256{0, z.sig}});
    if (is_zero(s.sig)) return 0;
    int shift = 0;
    const u128 sig = narrow_jam(s.sig, shift);
    return encode(s.sign, s.exp + shift, sig, mode, random);
  }
};

/// The arithmetic of one posit format: the double paths where they are proven correct (see the
/// header comment), the integer codec otherwise.
template <int N, int ES>
struct PositArith {
  using C = PositCodec<N, ES>;
  using u64 = std::uint64_t;
  static constexpr int p = C::precision;
  /// Every value, product and quotient is a normal double, and the exact errors of the double
  /// operations (TwoSum, fma remainders) are representable: |products| <= 2^(2 max_scale).
  static constexpr bool via_double = p <= 51 && 2 * C::max_scale <= 960;
  /// p <= 25: plain double results round correctly (2p + 2 <= 53); otherwise round-to-odd.
  static constexpr bool plain = p <= 25;
  /// Products are exact in double.
  static constexpr bool exact_mul = 2 * p <= 53;

  SOFTNUM_HOST_DEVICE static constexpr bool fast(Round mode) noexcept {
    return via_double && mode == Round::nearest_even && !detail::constant_evaluated();
  }

  /// The exact value of a pattern that is neither 0 nor NaR (via_double formats only).
  SOFTNUM_HOST_DEVICE static constexpr double to_double(u64 b) noexcept {
    // C::decode, assembled straight into the double: y = [e: ES bits][fraction], so y >> (12-ES)
    // puts e just above the 52 fraction bits and adding (1023 + k 2^ES) << 52 completes the
    // biased exponent 1023 + k 2^ES + e (in [1, 2046] for via_double formats).
    const bool neg = C::is_negative(b);
    const u64 sm = u64{0} - static_cast<u64>(neg);
    const u64 x = (((b ^ sm) - sm) & C::mask) << (65 - C::n);
    const auto smear = static_cast<std::int64_t>(x) >> 63;
    const int m = clz64(x ^ static_cast<u64>(smear));
    const int k = -m ^ static_cast<int>(smear);
    const u64 y = (x << m) << 1;
    const u64 bits = (static_cast<u64>(neg) << 63) +
                     (static_cast<u64>(1023 + k * (1 << C::es)) << 52) + (y >> (12 - C::es));
    return bit_cast<double>(bits);
  }

  /// Rounds a finite double once (via_double formats only: their minpos is far above the
  /// subnormal range, so a subnormal rounds to minpos).
  SOFTNUM_HOST_DEVICE static constexpr u64 from_double(double d) noexcept {
    const auto u = bit_cast<u64>(d);
    const bool neg = (u >> 63) != 0;
    const int field = static_cast<int>((u >> 52) & 0x7FF);
    if (field == 0) {
      if ((u << 1) == 0) return 0;
      return neg ? C::negate(C::minpos) : C::minpos;
    }
    if (field == 0x7FF) return C::nar;
    return from_normal(d);
  }

  /// Rounds a normal double: every nonzero result of the double paths (no under/overflow).
  SOFTNUM_HOST_DEVICE static constexpr u64 from_normal(double d) noexcept {
    const auto u = bit_cast<u64>(d);
    const int field = static_cast<int>((u >> 52) & 0x7FF);
    return C::template encode_frac<u64>((u >> 63) != 0, field - 1023, u << 12, Round::nearest_even,
                                        0);
  }

  /// Makes the nearest double s, with exact error err (x = s + err), the round-to-odd image of x.
  SOFTNUM_HOST_DEVICE static constexpr double odd(double s, double err) noexcept {
    return round_to_odd_fix(s, err != 0, (err > 0) == (s > 0));
  }

  SOFTNUM_HOST_DEVICE static constexpr u64 add(u64 a, u64 b, Round mode,
                                               std::uint32_t random) noexcept {
    if constexpr (via_double) {
      if (fast(mode)) {
        if (C::is_special(a) || C::is_special(b)) [[unlikely]] {  // 0 or NaR (kept small: inlined)
          return (a == C::nar || b == C::nar) ? C::nar : (a == 0 ? b : a);
        }
        const double x = to_double(a), y = to_double(b);
        double s = x + y;
        if (s == 0) return 0;
        if constexpr (!plain) {
          const double bb = s - x;
          s = odd(s, (x - (s - bb)) + (y - bb));  // TwoSum: the exact error
        }
        return from_normal(s);
      }
    }
    return C::add(a, b, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr u64 mul(u64 a, u64 b, Round mode,
                                               std::uint32_t random) noexcept {
    if constexpr (via_double) {
      if (fast(mode)) {
        if (C::is_special(a) || C::is_special(b)) [[unlikely]] {
          return (a == C::nar || b == C::nar) ? C::nar : 0;
        }
        const double x = to_double(a), y = to_double(b);
        double s = x * y;
        if constexpr (!exact_mul) s = odd(s, fma_hw(x, y, -s));
        return from_normal(s);
      }
    }
    return C::mul(a, b, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr u64 div(u64 a, u64 b, Round mode,
                                               std::uint32_t random) noexcept {
    if constexpr (via_double) {
      if (fast(mode)) {
        if (C::is_special(a) || C::is_special(b)) [[unlikely]] {
          return (a == C::nar || b == C::nar || b == 0) ? C::nar : 0;
        }
        const double x = to_double(a), y = to_double(b);
        double s = x / y;
        if constexpr (!plain) {
          const double r = fma_hw(-s, y, x);  // exact remainder: x = s*y + r (Boldo & Daumas 2003)
          s = round_to_odd_fix(s, r != 0, ((r > 0) == (y > 0)) == (s > 0));
        }
        return from_normal(s);
      }
    }
    return C::div(a, b, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr u64 sqrt(u64 a, Round mode, std::uint32_t random) noexcept {
    if constexpr (via_double) {
      if (fast(mode)) {
        if (C::is_special(a) || C::is_negative(a)) [[unlikely]] {
          return C::is_special(a) ? a : C::nar;
        }
        const double x = to_double(a);
        double s = sqrt_hw(x);
        if constexpr (!plain) {
          const double r = fma_hw(-s, s, x);
          s = round_to_odd_fix(s, r != 0, r > 0);
        }
        return from_normal(s);
      }
    }
    return C::sqrt(a, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr u64 fma(u64 a, u64 b, u64 c, Round mode,
                                               std::uint32_t random) noexcept {
    if constexpr (via_double && exact_mul) {
      if (fast(mode)) {
        if (C::is_special(a) || C::is_special(b) || C::is_special(c)) {
          return C::fma(a, b, c, mode, random);
        }
        const double t = to_double(a) * to_double(b);  // exact
        const double z = to_double(c);
        const double s = t + z;
        if (s == 0) return 0;
        const double bb = s - t;
        return from_normal(odd(s, (t - (s - bb)) + (z - bb)));  // fma is never innocuous: RO
      }
    }
    return C::fma(a, b, c, mode, random);
  }

  /// Correctly rounded conversion from double.
  SOFTNUM_HOST_DEVICE static constexpr u64 convert_double(double d) noexcept {
    if constexpr (via_double) {
      if (!detail::constant_evaluated()) return from_double(d);
    }
    return C::encode(unpack_double(d), Round::nearest_even, 0);
  }
};

}  // namespace detail

/// A posit (see the format card at the top of this header). Trivially copyable, one storage
/// member; the default value is 0.
template <int N, int ES>
class Posit : public detail::number_base<Posit<N, ES>> {
  static_assert(N >= 2 && N <= 64, "softnum::Posit: N (total bits) must be in [2, 64]");
  static_assert(ES >= 0 && ES <= 5, "softnum::Posit: ES (exponent bits) must be in [0, 5]");

 public:
  using codec = detail::PositCodec<N, ES>;
  using arith = detail::PositArith<N, ES>;
  using storage_type = typename codec::storage;

  static constexpr int nbits = N;
  static constexpr int es = ES;
  static constexpr int digits = codec::precision;     // largest precision, hidden bit included
  static constexpr int max_scale = codec::max_scale;  // maxpos = 2^max_scale, minpos = 2^-max_scale
  static constexpr Round rounding = Round::nearest_even;

  constexpr Posit() noexcept = default;

  SOFTNUM_HOST_DEVICE static constexpr Posit from_bits(storage_type b) noexcept {
    Posit r;
    r.bits_ = static_cast<storage_type>(b & codec::mask);
    return r;
  }
  SOFTNUM_HOST_DEVICE constexpr storage_type bits() const noexcept { return bits_; }

  SOFTNUM_HOST_DEVICE static constexpr Posit nar() noexcept { return make(codec::nar); }
  SOFTNUM_HOST_DEVICE static constexpr Posit maxpos() noexcept { return make(codec::maxpos); }
  SOFTNUM_HOST_DEVICE static constexpr Posit minpos() noexcept { return make(codec::minpos); }
  SOFTNUM_HOST_DEVICE static constexpr Posit zero() noexcept { return Posit{}; }
  SOFTNUM_HOST_DEVICE static constexpr Posit one() noexcept { return make(codec::nar >> 1); }

  // Conversions in: correctly rounded, one step. NaN and infinities become NaR.
  SOFTNUM_HOST_DEVICE explicit constexpr Posit(double x) noexcept
      : bits_(static_cast<storage_type>(arith::convert_double(x))) {}
  SOFTNUM_HOST_DEVICE explicit constexpr Posit(float x) noexcept : Posit(static_cast<double>(x)) {}
  template <std::integral I>
  SOFTNUM_HOST_DEVICE explicit constexpr Posit(I x) noexcept
      : bits_(static_cast<storage_type>(
            codec::encode(detail::unpack_integer(x), Round::nearest_even, 0))) {}
  template <FloatFormat F>
  SOFTNUM_HOST_DEVICE explicit constexpr Posit(const F& x) noexcept
      : bits_(static_cast<storage_type>(codec::encode(x.unpack(), Round::nearest_even, 0))) {}
  template <int N2, int ES2>
  SOFTNUM_HOST_DEVICE explicit constexpr Posit(const Posit<N2, ES2>& x) noexcept
      : bits_(static_cast<storage_type>(codec::encode(x.unpack(), Round::nearest_even, 0))) {}

  /// The exact value as (sign, integer significand, exponent); NaR is Kind::nan.
  SOFTNUM_HOST_DEVICE constexpr detail::Unpacked unpack() const noexcept {
    return codec::unpack(bits_);
  }
  /// Rounds an exact (or round-to-odd) value once, in `mode` on the bit string.
  SOFTNUM_HOST_DEVICE static constexpr Posit from_unpacked(const detail::Unpacked& u, Round mode,
                                                           std::uint32_t random = 0) noexcept {
    return make(codec::encode(u, mode, random));
  }

  // Conversions out. To double/float (float: detail::number_base): correctly rounded to nearest
  // even (exact for every posit with N - ES <= 53 and (N-2) 2^ES <= 1022, posit8/16/32
  // included); NaR gives a quiet NaN. To integers (detail::number_base): truncation toward zero
  // like a C++ cast, saturating; NaR gives 0. To Float types (detail::number_base): rounded once
  // in the Float's own rounding mode.
  SOFTNUM_HOST_DEVICE explicit constexpr operator double() const noexcept {
    if constexpr (arith::via_double) {
      if (!detail::constant_evaluated()) {
        if (bits_ == 0) return 0.0;
        if (bits_ == codec::nar) return detail::bit_cast<double>(0x7ff8000000000000ULL);  // qNaN
        return arith::to_double(bits_);
      }
    }
    return detail::unpacked_to_double(unpack());
  }

  // + - * /, rounded to nearest even on the bit string: detail::rounded_operators.
  /// Exact: the two's complement of the pattern (-0 = 0, -NaR = NaR).
  SOFTNUM_HOST_DEVICE constexpr Posit operator-() const noexcept {
    return make(codec::negate(bits_));
  }

  // Posit order: the signed integers of the patterns. NaR is below every real and equals itself.
  SOFTNUM_HOST_DEVICE friend constexpr bool operator==(Posit a, Posit b) noexcept {
    return a.bits_ == b.bits_;
  }
  SOFTNUM_HOST_DEVICE friend constexpr std::strong_ordering operator<=>(Posit a, Posit b) noexcept {
    return codec::to_signed(a.bits_) <=> codec::to_signed(b.bits_);
  }
  // Spelled out as well: the comparison of a std::strong_ordering with 0 is host-only for nvcc.
  SOFTNUM_HOST_DEVICE friend constexpr bool operator<(Posit a, Posit b) noexcept {
    return codec::to_signed(a.bits_) < codec::to_signed(b.bits_);
  }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator<=(Posit a, Posit b) noexcept {
    return codec::to_signed(a.bits_) <= codec::to_signed(b.bits_);
  }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator>(Posit a, Posit b) noexcept {
    return codec::to_signed(a.bits_) > codec::to_signed(b.bits_);
  }
  SOFTNUM_HOST_DEVICE friend constexpr bool operator>=(Posit a, Posit b) noexcept {
    return codec::to_signed(a.bits_) >= codec::to_signed(b.bits_);
  }

 private:
  SOFTNUM_HOST_DEVICE static constexpr Posit make(std::uint64_t b) noexcept {
    Posit r;
    r.bits_ = static_cast<storage_type>(b);
    return r;
  }
  friend struct detail::number_traits<Posit>;  // from_word: make

  storage_type bits_ = 0;
};

// Classification and sign functions (found by ADL) --------------------------------------------
/// Not a Real. isnan is the same test, so that generic code written for floats works.
template <PositFormat P>
SOFTNUM_HOST_DEVICE constexpr bool isnar(P x) noexcept {
  return x.bits() == P::codec::nar;
}
template <PositFormat P>
SOFTNUM_HOST_DEVICE constexpr bool isnan(P x) noexcept {
  return isnar(x);
}
template <PositFormat P>
SOFTNUM_HOST_DEVICE constexpr bool isinf(P) noexcept { return false; }  // no infinities
template <PositFormat P>
SOFTNUM_HOST_DEVICE constexpr bool iszero(P x) noexcept { return x.bits() == 0; }
template <PositFormat P>
SOFTNUM_HOST_DEVICE constexpr bool isnormal(P x) noexcept {
  return !isnar(x) && !iszero(x);
}
/// The sign bit of the pattern (true for negative values and for NaR).
template <PositFormat P>
SOFTNUM_HOST_DEVICE constexpr bool signbit(P x) noexcept {
  return P::codec::is_negative(x.bits());
}
template <PositFormat P>
SOFTNUM_HOST_DEVICE constexpr P abs(P x) noexcept {
  return signbit(x) ? -x : x;
}  // abs(NaR) = NaR
template <PositFormat P>
SOFTNUM_HOST_DEVICE constexpr P copysign(P x, P y) noexcept {
  if (isnar(x)) return x;
  return signbit(y) && !isnar(y) ? -abs(x) : abs(x);
}

/// The adjacent posit toward y: the next pattern up or down (NaR if either is NaR).
template <PositFormat P>
SOFTNUM_HOST_DEVICE constexpr P nextafter(P x, P y) noexcept {
  using C = typename P::codec;
  if (isnar(x) || isnar(y)) return P::nar();
  if (x == y) return y;
  const std::uint64_t b = x.bits();
  return P::from_bits(static_cast<typename P::storage_type>((x < y ? b + 1 : b - 1) & C::mask));
}

// Quire ----------------------------------------------------------------------------------------
/// Quire<N, ES>: an exact accumulator of posit products (Posit Standard 2022 §3.x).
///
/// A two's complement fixed-point integer whose last bit is minpos^2 = 2^-(2 max_scale): it
/// holds every product of two posits exactly, and `limbs * 64 >= 32 + 4 (N-2) 2^ES` bits (16N for
/// ES = 2, rounded up to whole 64-bit limbs) leave at least 31 carry-guard bits above maxpos^2, so
/// that at least 2^30 products of any size can be accumulated without overflow. NaR is sticky.
/// round() rounds the exact sum once. No heap: the limbs live in the object (2 limbs for posit8,
/// 4 for posit16, 8 for posit32, 16 for posit64).
template <int N, int ES>
class Quire {
 public:
  using posit_type = Posit<N, ES>;
  using codec = typename posit_type::codec;
  static constexpr int frac_bits = 2 * codec::max_scale;  // the last bit is 2^-frac_bits
  static constexpr int total_bits = 32 + 2 * frac_bits;   // sign + 31 carry bits + the range
  static constexpr int limbs = (total_bits + 63) / 64;

  constexpr Quire() noexcept = default;
  SOFTNUM_HOST_DEVICE explicit constexpr Quire(posit_type x) noexcept { *this += x; }

  SOFTNUM_HOST_DEVICE constexpr void clear() noexcept {
    for (auto& l : q_) l = 0;
    nar_ = false;
  }
  SOFTNUM_HOST_DEVICE constexpr bool is_nar() const noexcept { return nar_; }
  SOFTNUM_HOST_DEVICE constexpr bool iszero() const noexcept {
    if (nar_) return false;
    for (auto l : q_) {
      if (l != 0) return false;
    }
    return true;
  }
  /// The raw limbs, least significant first (two's complement, last bit 2^-frac_bits).
  SOFTNUM_HOST_DEVICE constexpr const std::uint64_t* data() const noexcept { return q_; }

  /// q += x, q -= x (exact).
  SOFTNUM_HOST_DEVICE constexpr Quire& operator+=(posit_type x) noexcept {
    return accumulate(x, false);
  }
  SOFTNUM_HOST_DEVICE constexpr Quire& operator-=(posit_type x) noexcept {
    return accumulate(x, true);
  }
  /// q += a * b, q -= a * b (exact).
  SOFTNUM_HOST_DEVICE constexpr Quire& fma(posit_type a, posit_type b) noexcept {
    return product(a, b, false);
  }
  SOFTNUM_HOST_DEVICE constexpr Quire& fms(posit_type a, posit_type b) noexcept {
    return product(a, b, true);
  }
  /// q += other, q -= other (exact).
  SOFTNUM_HOST_DEVICE constexpr Quire& operator+=(const Quire& o) noexcept {
    return combine(o, false);
  }
  SOFTNUM_HOST_DEVICE constexpr Quire& operator-=(const Quire& o) noexcept {
    return combine(o, true);
  }

  /// The accumulated value rounded once to the nearest posit (ties to the even pattern).
  SOFTNUM_HOST_DEVICE constexpr posit_type round() const noexcept {
    if (nar_) return posit_type::nar();
    std::uint64_t m[array_size] = {};
    const bool neg = (q_[limbs - 1] >> 63) != 0;
    std::uint64_t borrow = 1;
    for (int i = 0; i < limbs; ++i) {  // magnitude: two's complement negation when negative
      m[i] = neg ? ~q_[i] + borrow : q_[i];
      borrow = neg ? static_cast<std::uint64_t>(borrow != 0 && m[i] == 0) : 0;
    }
    int top = limbs - 1;
    while (top >= 0 && m[top] == 0) --top;
    if (top < 0) return posit_type::zero();
    const int bw = 64 * top + detail::bit_width(m[top]);
    const int sh = bw > 128 ? bw - 128 : 0;  // keep the top 128 bits, jam the rest
    const detail::u128 sig =
        (static_cast<detail::u128>(bits_at(m, sh + 64)) << 64) | bits_at(m, sh);
    bool sticky = false;
    for (int i = 0; i < sh / 64; ++i) sticky = sticky || m[i] != 0;
    if (sh % 64 != 0) sticky = sticky || (m[sh / 64] << (64 - sh % 64)) != 0;
    const auto b = codec::encode(neg, sh - frac_bits, sig | static_cast<detail::u128>(sticky),
                                 Round::nearest_even, 0);
    return posit_type::from_bits(static_cast<typename posit_type::storage_type>(b));
  }

 private:
  /// 64 bits of m starting at bit `pos` (zeros beyond the top).
  SOFTNUM_HOST_DEVICE static constexpr std::uint64_t bits_at(const std::uint64_t* m,
                                                             int pos) noexcept {
    const int i = pos / 64, off = pos % 64;
    const std::uint64_t lo = i < limbs ? m[i] : 0;
    const std::uint64_t hi = i + 1 < limbs ? m[i + 1] : 0;
    return off == 0 ? lo : (lo >> off) | (hi << (64 - off));
  }

  /// q += (-1)^neg * mag * 2^pos (bit position relative to the last quire bit); the caller
  /// guarantees that bits of mag below position 0 are zero and that the sum fits.
  SOFTNUM_HOST_DEVICE constexpr void add_at(detail::u128 mag, int pos, bool neg) noexcept {
    if (pos < 0) {
      mag >>= -pos;
      pos = 0;
    }
    const int i = pos / 64, off = pos % 64;
    const detail::u128 lo = mag << off;
    const std::uint64_t w[3] = {static_cast<std::uint64_t>(lo),
                                static_cast<std::uint64_t>(lo >> 64),
                                off == 0 ? 0 : static_cast<std::uint64_t>(mag >> (128 - off))};
    std::uint64_t carry = 0;
    for (int j = i; j < limbs; ++j) {
      const std::uint64_t v = j - i < 3 ? w[j - i] : 0;
      if (j - i >= 3 && carry == 0) break;
      if (!neg) {
        const std::uint64_t s = q_[j] + v;
        const std::uint64_t c1 = s < v;
        const std::uint64_t t = s + carry;
        carry = c1 | static_cast<std::uint64_t>(t < s);
        q_[j] = t;
      } else {
        const std::uint64_t d = q_[j] - v;
        const std::uint64_t b1 = q_[j] < v;
        const std::uint64_t t = d - carry;
        carry = b1 | static_cast<std::uint64_t>(d < carry);
        q_[j] = t;
      }
    }
  }

  SOFTNUM_HOST_DEVICE constexpr Quire& accumulate(posit_type x, bool neg) noexcept {
    if (nar_ || softnum::isnar(x)) {
      nar_ = true;
      return *this;
    }
    if (softnum::iszero(x)) return *this;
    const detail::PositParts p = codec::decode(x.bits());
    add_at(p.sig, p.scale - 63 + frac_bits, p.neg != neg);  // x is a multiple of minpos
    return *this;
  }

  SOFTNUM_HOST_DEVICE constexpr Quire& product(posit_type a, posit_type b, bool neg) noexcept {
    if (nar_ || softnum::isnar(a) || softnum::isnar(b)) {
      nar_ = true;
      return *this;
    }
    if (softnum::iszero(a) || softnum::iszero(b)) return *this;
    const detail::PositParts x = codec::decode(a.bits()), y = codec::decode(b.bits());
    const detail::u128 prod = static_cast<detail::u128>(x.sig) * y.sig;  // exact
    // a * b is a multiple of minpos^2, the quire's last bit.
    add_at(prod, x.scale + y.scale - 126 + frac_bits, (x.neg != y.neg) != neg);
    return *this;
  }

  SOFTNUM_HOST_DEVICE constexpr Quire& combine(const Quire& o, bool neg) noexcept {
    if (nar_ || o.nar_) {
      nar_ = true;
      return *this;
    }
    std::uint64_t carry = neg ? 1 : 0;  // a - b = a + ~b + 1
    for (int j = 0; j < limbs; ++j) {
      const std::uint64_t v = neg ? ~o.q_[j] : o.q_[j];
      const std::uint64_t s = q_[j] + v;
      const std::uint64_t c1 = s < v;
      const std::uint64_t t = s + carry;
      carry = c1 | static_cast<std::uint64_t>(t < s);
      q_[j] = t;
    }
    return *this;
  }

  static constexpr auto array_size = static_cast<std::size_t>(limbs);
  std::uint64_t q_[array_size] = {};
  bool nar_ = false;
};

/// Fused dot product: the sum of a[i] * b[i] for i < n, accumulated exactly in a quire and
/// rounded once; NaR if any element is NaR. This form also works in device code.
template <PositFormat P>
SOFTNUM_HOST_DEVICE constexpr P fdp(const P* a, const P* b, std::size_t n) noexcept {
  Quire<P::nbits, P::es> q;
  for (std::size_t i = 0; i < n; ++i) q.fma(a[i], b[i]);
  return q.round();
}

/// Fused dot product of two spans; NaR if any element is NaR or if the lengths differ (there is
/// no exception to throw). Host only (std::span is not device code); on a GPU use the pointer
/// form. Example: `posit16 d = fdp(std::span(x), std::span(y));` with std::vector<posit16> x, y.
template <class A, std::size_t EA, class B, std::size_t EB>
  requires PositFormat<std::remove_const_t<A>> &&
           std::same_as<std::remove_const_t<A>, std::remove_const_t<B>>
constexpr std::remove_const_t<A> fdp(std::span<A, EA> a, std::span<B, EB> b) noexcept {
  using P = std::remove_const_t<A>;
  if (a.size() != b.size()) return P::nar();
  return fdp<P>(a.data(), b.data(), a.size());
}

namespace detail {
template <int N, int ES>
struct number_traits<Posit<N, ES>> {
  static constexpr Round default_round = Round::nearest_even;
  // NumberFormat (core/arithmetic.hpp): the kernels work on the bit string.
  using kernels = typename Posit<N, ES>::arith;
  static constexpr bool exact_add = false;
  static constexpr bool exact_frexp = false;
  static constexpr int ldexp_limit = 40000;  // far beyond any posit range; no overflow
  SOFTNUM_HOST_DEVICE static constexpr auto word(Posit<N, ES> x) noexcept { return x.bits(); }
  // The kernels' words are patterns of N bits already: no mask (as the operators had it).
  SOFTNUM_HOST_DEVICE static constexpr Posit<N, ES> from_word(std::uint64_t w) noexcept {
    return Posit<N, ES>::make(w);
  }
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(Posit<N, ES> x) noexcept {
    return x.unpack();
  }
  SOFTNUM_HOST_DEVICE static constexpr Posit<N, ES> pack(const Unpacked& u, Round mode,
                                                         std::uint32_t r) noexcept {
    return Posit<N, ES>::from_unpacked(u, mode, r);
  }
};
}  // namespace detail

}  // namespace softnum

// numeric_limits -------------------------------------------------------------------------------
template <int N, int ES>
struct std::numeric_limits<softnum::Posit<N, ES>> : softnum::detail::numeric_limits_common {
 private:
  using T = softnum::Posit<N, ES>;
  using C = typename T::codec;
  static constexpr int floor_log10_pow2(int n) noexcept {
    return softnum::detail::floor_log10_pow2(n);
  }

 public:
  // is_specialized, is_integer, radix, ...: softnum::detail::numeric_limits_common.
  static constexpr bool is_signed = true;
  static constexpr bool is_exact = false;
  static constexpr bool has_infinity = false;
  static constexpr bool has_quiet_NaN = true;  // NaR
  static constexpr std::float_denorm_style has_denorm = std::denorm_absent;
  static constexpr std::float_round_style round_style = std::round_to_nearest;
  static constexpr bool is_iec559 = false;
  static constexpr bool is_modulo = false;
  static constexpr int digits = C::precision;  // near 1; fewer bits away from 1
  static constexpr int digits10 = floor_log10_pow2(C::precision - 1);
  static constexpr int max_digits10 = floor_log10_pow2(C::precision) + 2;
  static constexpr int min_exponent = 1 - C::max_scale;  // minpos = 2^(min_exponent - 1)
  static constexpr int min_exponent10 = -floor_log10_pow2(C::max_scale);
  static constexpr int max_exponent = C::max_scale + 1;  // maxpos = 2^(max_exponent - 1)
  static constexpr int max_exponent10 = floor_log10_pow2(C::max_scale);

  static constexpr T min() noexcept { return T::minpos(); }
  static constexpr T max() noexcept { return T::maxpos(); }
  static constexpr T lowest() noexcept { return -T::maxpos(); }
  /// The distance from 1 to the next posit, rounded to a posit (exact whenever N >= ES + 3).
  static constexpr T epsilon() noexcept {
    using softnum::detail::Kind;
    using softnum::detail::Unpacked;
    if constexpr (N == 2) {
      return T::one();  // 1 has no successor; its neighbour in magnitude is itself
    } else if constexpr (N >= ES + 3) {
      return T::from_unpacked(Unpacked{Kind::finite, false, 1 - C::precision, 1},
                              softnum::Round::nearest_even);
    } else {
      // 1's successor is 2^scale with scale < 2^ES: epsilon = 2^scale - 1, rounded.
      const int scale = C::decode((C::nar >> 1) + 1).scale;
      const Unpacked u{Kind::finite, false, 0, (softnum::detail::u128{1} << scale) - 1};
      return T::from_unpacked(u, softnum::Round::nearest_even);
    }
  }
  static constexpr T round_error() noexcept { return T(0.5); }
  static constexpr T infinity() noexcept {
    return T::nar();
  }  // no infinity: NaR, the only non-real
  static constexpr T quiet_NaN() noexcept { return T::nar(); }
  static constexpr T signaling_NaN() noexcept { return T::nar(); }
  static constexpr T denorm_min() noexcept { return T::minpos(); }
};

template <int N, int ES>
struct std::hash<softnum::Posit<N, ES>> {
  std::size_t operator()(const softnum::Posit<N, ES>& x) const noexcept {
    return std::hash<std::uint64_t>{}(
        static_cast<std::uint64_t>(x.bits()));  // one pattern per value
  }
};
