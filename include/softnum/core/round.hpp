// softnum/core/round.hpp - rounding policies and the one rounding core every type reuses.
// SPDX-License-Identifier: MIT
//
// Every softnum operation computes an exact result, or its round-to-odd image at >= p + 2 bits
// (which rounds identically in every mode: Boldo & Melquiond 2008), as a sign, an integer
// significand and a binary exponent (`detail::Unpacked`). It is then rounded once, by
// `detail::round_shift`, to the target's quantum. Float, Posit and Fixed differ only in how they
// choose the quantum and pack the bits.
#pragma once

#include <softnum/config.hpp>
#include <softnum/core/bits.hpp>

#include <cstdint>  // std::uint32_t

namespace softnum {

/// Rounding direction.
///  nearest_even: IEEE roundTiesToEven.    nearest_away: roundTiesToAway.
///  toward_zero / up / down: IEEE directed roundings (up = toward +inf).
///  odd: round to odd (an inexact result gets the neighbour with an odd last bit); used to make
///       correctly rounded chained conversions and as an intermediate for later roundings.
///  stochastic: round away from zero with probability equal to the discarded fraction of an ulp,
///       using k = min(32, 120 - M) random bits (see `detail::round_shift`).
enum class Round { nearest_even, nearest_away, toward_zero, up, down, odd, stochastic };

/// The stochastic rounding variants of IEEE P3109 (Interim Report v4.0 §4.7.4). With nu the
/// discarded fraction of an ulp and R the top N bits of the random word, the magnitude rounds up
/// iff
///  A: floor(nu * 2^N) + R >= 2^N                  (GF StochasticFastest; TE's SR with N = 8)
///  B: floor(nu * 2^(N+1)) + 2R + 1 >= 2^(N+1)     (GF StochasticFast)
///  C: RNE(nu * 2^N) + R >= 2^N                    (Round::stochastic, with N = min(32, 120 - M))
enum class SRVariant { A, B, C };

/// A stochastic rounding chosen per call: the variant and the number N of random bits (1..32).
/// E.g. add<Stochastic{SRVariant::A, 8}>(a, b, random_word).
struct Stochastic {
  SRVariant variant = SRVariant::C;
  int bits = 32;
};

/// Which codes of a Float are special.
///  ieee:   the top exponent code holds +-inf (fraction 0) and NaN (fraction != 0).
///  fn:     no infinities; NaN is the all-ones code (both signs), as OCP E4M3 (max 448).
///  fnuz:   no infinities, no -0; the single NaN is the sign bit alone; bias 2^(E-1) (ml_dtypes).
///  finite: no infinities and no NaN: every code is a number (OCP MX FP6/FP4). A NaN result has
///          nowhere to go and becomes the largest finite value with the NaN's sign.
enum class Specials { ieee, fn, fnuz, finite };

/// What a result too large in magnitude becomes (IEEE 754 §7.4; OCP FP8 §5).
/// Modes that round toward zero for that sign (toward_zero, odd, up for negatives, down for
/// positives) always give the largest finite value, as IEEE 754 requires.
enum class Overflow { infinity, saturate, nan };

namespace detail {

/// Random bits used by stochastic rounding to a format with M fraction bits. Up to 32; fewer for
/// very wide formats, because the exact intermediate keeps about 125 bits and M + 3 of them
/// are the target's significand plus the round-to-odd guard.
SOFTNUM_HOST_DEVICE constexpr int stochastic_bits(int M) noexcept {
  return (120 - M) < 32 ? (120 - M) : 32;
}

/// Classification of an unpacked value.
enum class Kind : unsigned char { zero, finite, inf, nan };

/// value = (-1)^sign * sig * 2^exp. For kind finite, sig != 0. The significand is either exact
/// or the round-to-odd image of the exact value with at least M + 2 + stochastic_bits(M) bits.
struct Unpacked {
  Kind kind = Kind::zero;
  bool sign = false;
  int exp = 0;
  u128 sig = 0;
};

SOFTNUM_HOST_DEVICE constexpr Unpacked make_special(Kind kind, bool sign) noexcept {
  return Unpacked{kind, sign, 0, 0};
}

/// Whether mode rounds the magnitude of a value with this sign toward zero.
SOFTNUM_HOST_DEVICE constexpr bool rounds_toward_zero(Round mode, bool negative) noexcept {
  return mode == Round::toward_zero || mode == Round::odd || (mode == Round::up && negative) ||
         (mode == Round::down && !negative);
}

/// Rounds the magnitude sig * 2^-sh to an integer in the given mode: the rounding core.
///
/// The increment rules are those of ROUNDING.md §2.2. Stochastic rounding uses the
/// few-random-bits variant of Fitzgibbon & Felix (2025): the discarded fraction f is first
/// rounded to nearest-even at k bits (F = RNE(f * 2^k), 0..2^k), then the magnitude rounds up
/// iff F + r >= 2^k with r the top k bits of `random`. The probability is F / 2^k, within
/// 2^-(k+1) of f, and an exact value never moves. sh may be <= 0 (exact shift left: the caller
/// guarantees the result fits) or exceed the width of U.
template <class U>
SOFTNUM_HOST_DEVICE constexpr U round_shift(U sig, int sh, Round mode, bool negative,
                                            std::uint32_t random, int k,
                                            SRVariant variant = SRVariant::C) noexcept {
  constexpr int w = width_of<U>;
  if (sh <= 0) return static_cast<U>(sig << -sh);
  if (sh > w - 2) {  // keep >= k + 2 discarded bits, jam the rest: round-to-odd, harmless
    sig = shift_right_jam(sig, sh - (w - 2));
    sh = w - 2;
  }
  const U one = 1;
  const U tail = static_cast<U>(sig & ((one << sh) - 1));
  U q = static_cast<U>(sig >> sh);
  if (tail == 0) return q;
  const U half = static_cast<U>(one << (sh - 1));
  switch (mode) {
    case Round::nearest_even:
      q = static_cast<U>(q + static_cast<U>(tail > half || (tail == half && (q & 1) != 0)));
      break;
    case Round::nearest_away: q = static_cast<U>(q + static_cast<U>(tail >= half)); break;
    case Round::toward_zero: break;
    case Round::up: q = static_cast<U>(q + static_cast<U>(!negative)); break;
    case Round::down: q = static_cast<U>(q + static_cast<U>(negative)); break;
    case Round::odd: q = static_cast<U>(q | 1); break;
    case Round::stochastic: {
      const std::uint64_t r = static_cast<std::uint64_t>(random) >> (32 - k);
      if (variant != SRVariant::C) {
        // T = floor(tail * 2^kk / 2^sh), kk = k (A) or k + 1 (B): below 2^kk <= 2^33.
        const int kk = variant == SRVariant::A ? k : k + 1;
        const std::uint64_t t = sh <= kk ? static_cast<std::uint64_t>(tail) << (kk - sh)
                                         : static_cast<std::uint64_t>(tail >> (sh - kk));
        const bool up = variant == SRVariant::A ? t + r >= (std::uint64_t{1} << k)
                                                : t + 2 * r + 1 >= (std::uint64_t{1} << (k + 1));
        q = static_cast<U>(q + static_cast<U>(up));
        break;
      }
      // F = RNE(tail * 2^k / 2^sh), an integer in [0, 2^k].
      std::uint64_t f;
      if (sh <= k) {
        f = static_cast<std::uint64_t>(tail) << (k - sh);
      } else {
        const int d = sh - k;
        const U ft = static_cast<U>(tail >> d), rest = static_cast<U>(tail & ((one << d) - 1));
        const U h = static_cast<U>(one << (d - 1));
        f = static_cast<std::uint64_t>(ft) +
            static_cast<std::uint64_t>(rest > h || (rest == h && (ft & 1) != 0));
      }
      q = static_cast<U>(q + static_cast<U>(f + r >= (std::uint64_t{1} << k)));
      break;
    }
  }
  return q;
}


/// Unpacks an integer exactly.
template <class I>
SOFTNUM_HOST_DEVICE constexpr Unpacked unpack_integer(I x) noexcept {
  if (x == 0) return make_special(Kind::zero, false);
  bool negative = false;
  u128 mag = 0;
  if constexpr (static_cast<I>(-1) < static_cast<I>(0)) {
    negative = x < 0;
    mag = negative ? static_cast<u128>(0) - static_cast<u128>(static_cast<i128>(x)) : static_cast<u128>(x);
  } else {
    mag = static_cast<u128>(x);
  }
  return Unpacked{Kind::finite, negative, 0, mag};
}

/// Rounds an unpacked value to an integer of type I in the given mode, saturating at I's range.
/// NaN gives 0; infinities saturate.
template <class I>
SOFTNUM_HOST_DEVICE constexpr I to_integer(const Unpacked& u, Round mode, std::uint32_t random = 0) noexcept {
  constexpr bool is_signed = static_cast<I>(-1) < static_cast<I>(0);
  constexpr int bits = width_of<I> - (is_signed ? 1 : 0);
  constexpr u128 max_mag = (static_cast<u128>(1) << bits) - 1;            // largest positive
  constexpr u128 min_mag = is_signed ? (static_cast<u128>(1) << bits) : 0;  // |lowest|
  if (u.kind == Kind::nan || u.kind == Kind::zero) return 0;
  u128 mag = 0;
  bool saturated = u.kind == Kind::inf;
  if (!saturated) {
    if (u.exp >= 0) {
      saturated = bit_width(u.sig) + u.exp > bits + 1;
      if (!saturated) mag = u.sig << u.exp;
    } else {
      mag = round_shift<u128>(u.sig, -u.exp, mode, u.sign, random, 32);
    }
  }
  if (u.sign) {
    if (saturated || mag >= min_mag) return is_signed ? static_cast<I>(-static_cast<i128>(min_mag)) : I{0};
    return static_cast<I>(-static_cast<i128>(mag));
  }
  if (saturated || mag > max_mag) return static_cast<I>(max_mag);
  return static_cast<I>(mag);
}

}  // namespace detail
}  // namespace softnum
