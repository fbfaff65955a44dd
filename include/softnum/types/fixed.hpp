// softnum/types/fixed.hpp - Fixed<I,F,...>: signed two's complement fixed point, correctly rounded.
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/core/arithmetic.hpp>  // bits, round, random, convert, the per-call API
#include <softnum/types/float.hpp>

#include <compare>      // std::strong_ordering
#include <concepts>     // std::integral
#include <cstddef>      // std::size_t
#include <cstdint>      // fixed-width integers
#include <string_view>  // declares std::hash ([string.view.synop]); <functional> would pull <typeinfo>
#include <limits>       // std::numeric_limits
#include <type_traits>  // std::conditional_t, std::make_signed_t

namespace softnum {

// Format card --------------------------------------------------------------------------------
// Fixed<I, F, R, O>
//   layout:   a W = I + F bit two's complement integer `raw` (1 <= W <= 64, I >= 1, F >= 0),
//             kept sign-extended in the smallest signed integer that holds W bits (int8/16/32/64).
//             bits() is the W-bit pattern (storage_type, bits above W are zero).
//   value:    raw * 2^-F. I counts the sign bit: the range is [-2^(I-1), 2^(I-1) - 2^-F] in steps
//             of 2^-F. Fixed<1,15> is Q15 ([-1, 1)), Fixed<16,16> is Q16.16, Fixed<64,0> is int64.
//   rounding: + - * / sqrt fma and every conversion in are the exact result rounded once in mode R
//             (operators) or a per-call mode (add<R>...). + and - are always exact before the
//             overflow policy; * rounds the exact 2W-bit product; / rounds the exact quotient from
//             the integer remainder; sqrt rounds the exact root from the integer remainder.
//             Round::stochastic is Gupta et al. 2015: the result moves away from zero with
//             probability equal to the discarded fraction of 2^-F, with 32 random bits (exact when
//             at most 32 bits are discarded, else the fraction is first rounded to 32 bits,
//             Fitzgibbon & Felix 2025: bias below 2^-33 ulp).
//   overflow: O = saturate (default): results beyond the range clamp to the nearest end, after
//             rounding (asymmetric: -lowest() gives max()). O = wrap: the rounded result modulo
//             2^W, like unsigned arithmetic. Saturation is not associative: a saturating sum
//             depends on its order.
//   no specials: no inf, NaN or -0. What has no value: x / 0 gives max() or lowest() by the sign
//             of x (under both policies) and 0 / 0 gives 0; sqrt of a negative value gives 0;
//             converting NaN gives 0 and +-inf gives max() / lowest() (under both policies).
//   out:      to double/float correctly rounded to nearest even (exact when the value fits); to
//             integers truncated toward zero like a C++ cast, saturating at the integer's range.
//             convert<To, R>(x) converts in any mode.

/// What a Fixed result outside the range becomes. (Overflow in round.hpp has no `wrap`.)
enum class FixedOverflow { saturate, wrap };

template <int I, int F, Round R = Round::nearest_even, FixedOverflow O = FixedOverflow::saturate>
class Fixed;

namespace detail {
template <class T>
struct is_fixed_format : std::false_type {};
template <int I, int F, Round R, FixedOverflow O>
struct is_fixed_format<Fixed<I, F, R, O>> : std::true_type {};
}  // namespace detail

/// Any Fixed<...> type.
template <class T>
concept FixedFormat = detail::is_fixed_format<T>::value;

namespace detail {

/// Smallest signed integer type with at least Bits bits (1..64).
template <int Bits>
using int_for_bits = std::make_signed_t<uint_for_bits<Bits>>;

/// |x| as an unsigned 64-bit integer; exact for every int64 including the most negative.
SOFTNUM_HOST_DEVICE constexpr std::uint64_t magnitude(std::int64_t x) noexcept {
  return x < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(x) : static_cast<std::uint64_t>(x);
}

/// Rounds q + r/d (0 <= r < d <= 2^(width - 1), q >= 0: the magnitude of an exact quotient and
/// its remainder) to an integer. The deterministic modes compare 2r with d (ROUNDING.md §4);
/// stochastic rounding passes the fraction to the rounding core round_shift as its round-to-odd
/// image with k + 2 = 34 bits, which it rounds exactly like r/d itself (ROUNDING.md §1.4).
template <class U>
SOFTNUM_HOST_DEVICE constexpr U round_quotient(U q, U r, U d, Round mode, bool negative,
                                               std::uint32_t random) noexcept {
  const U r2 = static_cast<U>(r << 1);  // < 2d <= 2^width: no wrap
  const bool inexact = r != 0, odd = (q & 1) != 0;
  bool up = false;
  switch (mode) {
    case Round::nearest_even:
      up = r2 > d || (r2 == d && odd);
      break;
    case Round::nearest_away:
      up = r2 >= d && inexact;
      break;
    case Round::toward_zero:
      break;
    case Round::up:
      up = inexact && !negative;
      break;
    case Round::down:
      up = inexact && negative;
      break;
    case Round::odd:
      up = inexact && !odd;
      break;
    case Round::stochastic: {
      if (!inexact) break;
      const u128 n = static_cast<u128>(r) << 34;
      const u128 frac = n / d, rem = n % d;
      const u128 word = (static_cast<u128>(odd) << 34) | frac | static_cast<u128>(rem != 0);
      up = round_shift<u128>(word, 34, mode, negative, random, 32) != static_cast<u128>(odd);
      break;
    }
  }
  return static_cast<U>(q + static_cast<U>(up));
}

/// floor(sqrt(n * 4^extra)), with 1 OR-ed in when inexact: the round-to-odd image of sqrt(n) with
/// `extra` fraction bits. n < 2^126, extra <= 34.
SOFTNUM_HOST_DEVICE constexpr u128 sqrt_round_odd(u128 n, int extra) noexcept {
  // __builtin_is_constant_evaluated: std::is_constant_evaluated is host-only for nvcc
  // (CUDA.md 4.1).
  if (!__builtin_is_constant_evaluated() && bit_width(n) + 2 * extra <= 52) {
    // The radicand is an exact double; its correctly rounded root is within one of the floor.
    const auto m = static_cast<std::uint64_t>(n << (2 * extra));
    auto s = static_cast<std::uint64_t>(sqrt_hw(static_cast<double>(m)));
    while (s * s > m) --s;
    while ((s + 1) * (s + 1) <= m) ++s;
    return static_cast<u128>(s | static_cast<std::uint64_t>(s * s != m));
  }
  // Digit-by-digit (restoring) square root, two radicand bits per step.
  u128 root = 0, rem = 0;
  const int pairs = (bit_width(n) + 1) / 2;
  for (int i = pairs - 1; i >= -extra; --i) {
    sqrt_step(root, rem, i >= 0 ? (n >> (2 * i)) & 3 : 0);
  }
  return root | static_cast<u128>(rem != 0);
}

/// The integer arithmetic of W-bit two's complement fixed point with F fraction bits: raw values
/// in, raw values out, each result rounded once and then passed through the overflow policy.
template <int W, int F, FixedOverflow O>
struct FixedCore {
  using raw = int_for_bits<W>;
  using storage = uint_for_bits<W>;
  static constexpr raw max_raw = static_cast<raw>((std::uint64_t{1} << (W - 1)) - 1);
  static constexpr raw min_raw = static_cast<raw>(-max_raw - 1);
  static constexpr int sr_bits = 32;

  // Exact sums need W + 1 bits, exact products 2W bits (2W - 1 except for lowest()^2). Using the
  // narrowest native type that holds them keeps array loops vectorisable.
  using sum_t = std::conditional_t<(W <= 31), std::int32_t,
                                   std::conditional_t<(W <= 63), std::int64_t, i128>>;
  using prod_t = std::conditional_t<(W <= 16), std::int32_t,
                                    std::conditional_t<(W <= 32), std::int64_t, i128>>;
  using uprod_t = std::conditional_t<(W <= 16), std::uint32_t,
                                     std::conditional_t<(W <= 32), std::uint64_t, u128>>;

  SOFTNUM_HOST_DEVICE static constexpr storage to_bits(raw x) noexcept {
    if constexpr (W == width_of<storage>) {
      return static_cast<storage>(x);
    } else {
      return static_cast<storage>(static_cast<storage>(x) & ((storage{1} << W) - 1));
    }
  }
  /// The low W bits of x, sign-extended (C++20: conversions to signed are modular and >> of a
  /// negative value is arithmetic). Done in the width of `raw`, so that loops over int8/int16
  /// lanes stay in those lanes.
  template <class T>
  SOFTNUM_HOST_DEVICE static constexpr raw wrap(T x) noexcept {
    constexpr int pad = width_of<raw> - W;
    if constexpr (pad == 0) {
      return static_cast<raw>(static_cast<storage>(x));
    } else {
      return static_cast<raw>(
          static_cast<raw>(static_cast<storage>(static_cast<storage>(x) << pad)) >> pad);
    }
  }
  /// Applies the overflow policy to an exact (already rounded) integer result.
  template <class T>
  SOFTNUM_HOST_DEVICE static constexpr raw narrow(T x) noexcept {
    if constexpr (O == FixedOverflow::saturate) {
      // Two selects on x itself (not three-way branches): compilers turn these into min/max.
      const T lo = static_cast<T>(min_raw), hi = static_cast<T>(max_raw);
      T y = x;
      y = y < lo ? lo : y;
      y = y > hi ? hi : y;
      return static_cast<raw>(y);
    } else {
      return wrap(x);
    }
  }
  /// The same for a sign and a magnitude. Branch-free: the magnitude is capped at 2^(W-1)
  /// (negative) or 2^(W-1) - 1, then negated in modular arithmetic.
  template <class U>
  SOFTNUM_HOST_DEVICE static constexpr raw narrow_magnitude(bool negative, U mag) noexcept {
    if constexpr (O == FixedOverflow::saturate) {
      const U cap = static_cast<U>((U{1} << (W - 1)) - static_cast<U>(!negative));
      const U m = mag < cap ? mag : cap;
      return wrap(negative ? static_cast<U>(U{0} - m) : m);
    } else {
      return wrap(negative ? static_cast<U>(U{0} - mag) : mag);
    }
  }
  SOFTNUM_HOST_DEVICE static constexpr raw saturate_sign(bool negative) noexcept {
    return negative ? min_raw : max_raw;
  }

  /// x * 2^-F rounded to an integer in the given mode; |x| < 2^(2W-1) - 2^F.
  ///
  /// Stochastic rounding goes through the rounding core round_shift (sign-magnitude, the random
  /// word drives the magnitude, as for every softnum type). The deterministic modes use the
  /// equivalent two's complement formulas of ROUNDING.md §4 (>> is floor): a few integer
  /// operations without branches, which compilers vectorise. The tests check them against the
  /// oracle exhaustively for every format of up to 8 bits and by sampling wider ones.
  template <class S, class U>
  SOFTNUM_HOST_DEVICE static constexpr S round_scaled(S x, Round mode,
                                                      std::uint32_t random) noexcept {
    constexpr S one = 1;
    constexpr S ulp_m1 = static_cast<S>((one << F) - 1);  // 2^F - 1
    constexpr S half = static_cast<S>(one << (F - 1));
    switch (mode) {
      case Round::down:
        return static_cast<S>(x >> F);
      case Round::up:
        return static_cast<S>((x + ulp_m1) >> F);
      case Round::toward_zero:
        return static_cast<S>((x + (x < 0 ? ulp_m1 : S{0})) >> F);
      case Round::nearest_even:
        return static_cast<S>((x + (half - 1) + ((x >> F) & 1)) >> F);
      case Round::nearest_away:
        return static_cast<S>((x + half - (x < 0 ? one : S{0})) >> F);
      case Round::odd:
        return static_cast<S>((x >> F) | static_cast<S>((x & ulp_m1) != 0));
      case Round::stochastic:
        break;
    }
    const bool negative = x < 0;
    const U mag = negative ? static_cast<U>(U{0} - static_cast<U>(x)) : static_cast<U>(x);
    const U q = round_shift<U>(mag, F, mode, negative, random, sr_bits);
    return negative ? static_cast<S>(-static_cast<S>(q)) : static_cast<S>(q);
  }

  /// a +- b for a full-width raw type, without a wider type: the modular result, and for
  /// saturation the overflow test on signs (a + b overflows iff a and b have the same sign and
  /// the modular sum the other; a - b iff a and b differ in sign and the result differs from a).
  /// The saturated value then has the sign of a.
  SOFTNUM_HOST_DEVICE static constexpr raw add_modular(raw a, raw b, bool subtract) noexcept {
    const auto ua = static_cast<storage>(a), ub = static_cast<storage>(b);
    const auto s = static_cast<raw>(static_cast<storage>(subtract ? ua - ub : ua + ub));
    if constexpr (O == FixedOverflow::wrap) {
      return s;
    } else {
      const bool overflow = subtract ? ((a ^ b) & (a ^ s)) < 0 : ((a ^ s) & (b ^ s)) < 0;
      return overflow ? static_cast<raw>((a >> (W - 1)) ^ max_raw) : s;
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr raw add(raw a, raw b) noexcept {
    if constexpr (W == width_of<raw>) {
      return add_modular(a, b, false);
    } else {  // the exact sum fits raw (|a + b| <= 2^W)
      return narrow(static_cast<raw>(a + b));
    }
  }
  SOFTNUM_HOST_DEVICE static constexpr raw sub(raw a, raw b) noexcept {
    if constexpr (W == width_of<raw>) {
      return add_modular(a, b, true);
    } else {
      return narrow(static_cast<raw>(a - b));
    }
  }
  SOFTNUM_HOST_DEVICE static constexpr raw neg(raw a) noexcept {
    return narrow(static_cast<sum_t>(-static_cast<sum_t>(a)));
  }

  SOFTNUM_HOST_DEVICE static constexpr raw mul(raw a, raw b, Round mode,
                                               std::uint32_t random) noexcept {
    const auto p = static_cast<prod_t>(static_cast<prod_t>(a) * static_cast<prod_t>(b));
    if constexpr (F == 0) {
      return narrow(p);
    } else {
      return narrow(round_scaled<prod_t, uprod_t>(p, mode, random));
    }
  }

  /// a * b + c with one rounding. The exact value fits prod_t: |ab| <= 2^(2W-2) and
  /// |c| 2^F <= 2^(W-1+F) <= 2^(2W-2), and round_scaled adds less than 2^F to at most
  /// 2^(2W-2) + (2^(W-1) - 1) 2^(W-1) = 2^(2W-1) - 2^(W-1).
  SOFTNUM_HOST_DEVICE static constexpr raw fma(raw a, raw b, raw c, Round mode,
                                               std::uint32_t random) noexcept {
    const auto p =
        static_cast<prod_t>(static_cast<prod_t>(a) * static_cast<prod_t>(b) +
                            static_cast<prod_t>(static_cast<prod_t>(c) * (prod_t{1} << F)));
    if constexpr (F == 0) {
      return narrow(p);
    } else {
      return narrow(round_scaled<prod_t, uprod_t>(p, mode, random));
    }
  }

  /// a / b = (a 2^F / b) 2^-F: the integer quotient of |a| 2^F by |b| and its remainder decide
  /// the rounding exactly; nothing passes through floating point.
  SOFTNUM_HOST_DEVICE static constexpr raw div(raw a, raw b, Round mode,
                                               std::uint32_t random) noexcept {
    if (b == 0) return a == 0 ? raw{0} : saturate_sign(a < 0);
    const bool negative = (a < 0) != (b < 0);
    const std::uint64_t ma = magnitude(a), mb = magnitude(b);
    using U = std::conditional_t<(W + F <= 32), std::uint32_t,
                                 std::conditional_t<(W + F <= 64), std::uint64_t, u128>>;
    // |a| <= 2^(W-1), so |a| 2^F < 2^(W+F) fits U (the bound is reached only by lowest()).
    const U n = static_cast<U>(static_cast<U>(ma) << F), d = static_cast<U>(mb);
    U q = 0, r = 0;
    if constexpr (W + F > 64) {
      const auto hi = static_cast<std::uint64_t>(n >> 64), lo = static_cast<std::uint64_t>(n);
      const auto d64 = static_cast<std::uint64_t>(d);
      if (hi == 0) {  // a 64-bit division is several times faster than a 128-bit one
        q = lo / d64;
        r = lo % d64;
      } else {
        bool done = false;
#if defined(__x86_64__) && !defined(__CUDA_ARCH__)
        // x86-64 divides 128 by 64 bits in one instruction when the quotient fits 64 bits (the
        // library routine for u128 / u128 is several times slower).
        if (!__builtin_is_constant_evaluated() && hi < d64) {
          std::uint64_t q64, r64;
          __asm__("divq %4" : "=a"(q64), "=d"(r64) : "a"(lo), "d"(hi), "rm"(d64));
          q = q64;
          r = r64;
          done = true;
        }
#endif
        if (!done) {
          q = n / d;
          r = n % d;
        }
      }
    } else {
      q = static_cast<U>(n / d);
      r = static_cast<U>(n % d);
    }
    const U mag = round_quotient<U>(q, r, d, mode, negative, random);
    return narrow_magnitude(negative, mag);
  }

  SOFTNUM_HOST_DEVICE static constexpr raw sqrt(raw a, Round mode, std::uint32_t random) noexcept {
    if (a <= 0) return 0;
    // sqrt(a 2^-F) = sqrt(a 2^F) 2^-F; round-to-odd with 2 (34 for stochastic) fraction bits
    // rounds like the exact root.
    const int extra = mode == Round::stochastic ? sr_bits + 2 : 2;
    const u128 root = sqrt_round_odd(static_cast<u128>(a) << F, extra);
    return narrow_magnitude(false, round_shift<u128>(root, extra, mode, false, random, sr_bits));
  }

  /// The exact value as an Unpacked: |raw| * 2^-F.
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(raw x) noexcept {
    if (x == 0) return make_special(Kind::zero, false);
    return Unpacked{Kind::finite, x < 0, -F, static_cast<u128>(magnitude(x))};
  }

  /// Rounds an exact (or round-to-odd) value once to the grid 2^-F, then the overflow policy.
  SOFTNUM_HOST_DEVICE static constexpr raw from_unpacked(const Unpacked& u, Round mode,
                                                         std::uint32_t random) noexcept {
    switch (u.kind) {
      case Kind::zero:
      case Kind::nan:
        return 0;
      case Kind::inf:
        return saturate_sign(u.sign);
      case Kind::finite:
        break;
    }
    const int shl = u.exp + F;  // raw = sig * 2^shl
    if (shl >= 0) {
      if (bit_width(u.sig) + shl <= 127) return narrow_magnitude(u.sign, u.sig << shl);
      if constexpr (O == FixedOverflow::saturate) {
        return saturate_sign(u.sign);
      } else {  // only the low 64 bits matter modulo 2^W
        return narrow_magnitude(u.sign, shl >= 64 ? u128{0} : (u.sig << shl));
      }
    }
    if ((u.sig >> 64) == 0) {  // the common case (doubles, floats, 64-bit integers) in 64 bits
      const auto s64 = static_cast<std::uint64_t>(u.sig);
      return narrow_magnitude(u.sign,
                              round_shift<std::uint64_t>(s64, -shl, mode, u.sign, random, sr_bits));
    }
    return narrow_magnitude(u.sign, round_shift<u128>(u.sig, -shl, mode, u.sign, random, sr_bits));
  }
};

/// 2^-F as a double (exact for F <= 1022).
SOFTNUM_HOST_DEVICE constexpr double pow2_neg(int f) noexcept {
  return bit_cast<double>(static_cast<std::uint64_t>(1023 - f) << 52);
}

}  // namespace detail

template <int I, int F, Round R, FixedOverflow O>
class Fixed : public detail::number_operators<Fixed<I, F, R, O>> {
  static_assert(I >= 1, "softnum::Fixed: I (integer bits, counting the sign bit) must be >= 1");
  static_assert(F >= 0, "softnum::Fixed: F (fraction bits) must be >= 0");
  static_assert(I + F <= 64, "softnum::Fixed: I + F (total bits) must be at most 64");

  static constexpr bool valid = I >= 1 && F >= 0 && I + F <= 64;

 public:
  // An invalid format reports only the static_assert above, not errors from inside the core.
  using core = detail::FixedCore<valid ? I + F : 8, valid ? F : 0, O>;
  using storage_type = typename core::storage;
  /// The signed integer holding raw = value * 2^F, sign-extended.
  using raw_type = typename core::raw;

  static constexpr int integer_bits = I;
  static constexpr int fraction_bits = F;
  static constexpr int width = I + F;
  static constexpr Round rounding = R;
  static constexpr FixedOverflow overflow = O;

  constexpr Fixed() noexcept = default;

  /// The value whose W-bit two's complement pattern is b (bits above W are ignored).
  SOFTNUM_HOST_DEVICE static constexpr Fixed from_bits(storage_type b) noexcept {
    return from_raw(core::wrap(b));
  }
  SOFTNUM_HOST_DEVICE constexpr storage_type bits() const noexcept { return core::to_bits(raw_); }

  /// The value raw * 2^-F; raw is reduced modulo 2^W (no effect when it is in range).
  SOFTNUM_HOST_DEVICE static constexpr Fixed from_raw(raw_type r) noexcept {
    Fixed x;
    x.raw_ = core::wrap(r);
    return x;
  }
  SOFTNUM_HOST_DEVICE constexpr raw_type raw() const noexcept { return raw_; }

  // Conversions in: correctly rounded in mode R, then the overflow policy.
  SOFTNUM_HOST_DEVICE explicit constexpr Fixed(double x) noexcept
      : raw_(core::from_unpacked(detail::unpack_double(x), R, detail::operator_random_c<R>())) {}
  SOFTNUM_HOST_DEVICE explicit constexpr Fixed(float x) noexcept : Fixed(static_cast<double>(x)) {}
  template <std::integral T>
  SOFTNUM_HOST_DEVICE explicit constexpr Fixed(T x) noexcept
      : raw_(core::from_unpacked(detail::unpack_integer(x), R, detail::operator_random_c<R>())) {}
  template <int I2, int F2, Round R2, FixedOverflow O2>
  SOFTNUM_HOST_DEVICE explicit constexpr Fixed(const Fixed<I2, F2, R2, O2>& x) noexcept
      : raw_(core::from_unpacked(x.unpack(), R, detail::operator_random_c<R>())) {}
  template <FloatFormat T>
  SOFTNUM_HOST_DEVICE explicit constexpr Fixed(const T& x) noexcept
      : raw_(core::from_unpacked(x.unpack(), R, detail::operator_random_c<R>())) {}

  /// The exact value as (sign, integer significand, exponent).
  SOFTNUM_HOST_DEVICE constexpr detail::Unpacked unpack() const noexcept {
    return core::unpack(raw_);
  }
  /// Rounds an exact (or round-to-odd) value once.
  SOFTNUM_HOST_DEVICE static constexpr Fixed from_unpacked(const detail::Unpacked& u, Round mode,
                                                           std::uint32_t random = 0) noexcept {
    Fixed x;
    x.raw_ = core::from_unpacked(u, mode, random);
    return x;
  }

  // Conversions out. raw is an integer of at most 64 bits, which the hardware converts correctly
  // rounded to nearest even; multiplying by 2^-F >= 2^-63 is then exact.
  SOFTNUM_HOST_DEVICE explicit constexpr operator double() const noexcept {
    return static_cast<double>(raw_) * detail::pow2_neg(F);
  }
  SOFTNUM_HOST_DEVICE explicit constexpr operator float() const noexcept {
    return static_cast<float>(raw_) * static_cast<float>(detail::pow2_neg(F));
  }
  template <std::integral T>
  SOFTNUM_HOST_DEVICE explicit constexpr operator T() const noexcept {
    return detail::to_integer<T>(unpack(), Round::toward_zero);
  }

  // Arithmetic in the type's rounding mode R.
  SOFTNUM_HOST_DEVICE friend constexpr Fixed operator+(Fixed a, Fixed b) noexcept {
    return make(core::add(a.raw_, b.raw_));
  }
  SOFTNUM_HOST_DEVICE friend constexpr Fixed operator-(Fixed a, Fixed b) noexcept {
    return make(core::sub(a.raw_, b.raw_));
  }
  SOFTNUM_HOST_DEVICE friend constexpr Fixed operator*(Fixed a, Fixed b) noexcept {
    return make(core::mul(a.raw_, b.raw_, R, detail::operator_random_c<R>()));
  }
  SOFTNUM_HOST_DEVICE friend constexpr Fixed operator/(Fixed a, Fixed b) noexcept {
    return make(core::div(a.raw_, b.raw_, R, detail::operator_random_c<R>()));
  }
  /// -lowest() saturates to max() (or wraps to lowest()).
  SOFTNUM_HOST_DEVICE constexpr Fixed operator-() const noexcept { return make(core::neg(raw_)); }

  SOFTNUM_HOST_DEVICE friend constexpr bool operator==(Fixed a, Fixed b) noexcept {
    return a.raw_ == b.raw_;
  }
  SOFTNUM_HOST_DEVICE friend constexpr std::strong_ordering operator<=>(Fixed a, Fixed b) noexcept {
    return a.raw_ <=> b.raw_;
  }

 private:
  SOFTNUM_HOST_DEVICE static constexpr Fixed make(raw_type r) noexcept {
    Fixed x;
    x.raw_ = r;
    return x;
  }

  raw_type raw_ = 0;
};

// Common Q formats (ARM CMSIS-DSP names): values in [-1, 1).
using q7 = Fixed<1, 7>;
using q15 = Fixed<1, 15>;
using q31 = Fixed<1, 31>;

/// The same format with another overflow policy (with_round_t from float.hpp also works).
template <class T, FixedOverflow O2>
struct with_fixed_overflow;
template <int I, int F, Round R, FixedOverflow O, FixedOverflow O2>
struct with_fixed_overflow<Fixed<I, F, R, O>, O2> {
  using type = Fixed<I, F, R, O2>;
};
template <class T, FixedOverflow O2>
using with_fixed_overflow_t = typename with_fixed_overflow<T, O2>::type;

namespace detail {
template <int I, int F, Round R, FixedOverflow O, Round R2>
struct with_round<Fixed<I, F, R, O>, R2> {
  using type = Fixed<I, F, R2, O>;
};

template <int I, int F, Round R, FixedOverflow O>
struct number_traits<Fixed<I, F, R, O>> {
  static constexpr Round default_round = R;
  // NumberFormat (core/arithmetic.hpp): the kernels work on the raw integer; add and sub are
  // exact before the overflow policy, so they take no rounding mode and draw no random word.
  using kernels = typename Fixed<I, F, R, O>::core;
  static constexpr bool exact_add = true;
  static constexpr bool exact_frexp = false;
  static constexpr int ldexp_limit = 1000;  // beyond it every result is 0, 2^-F or overflow
  SOFTNUM_HOST_DEVICE static constexpr auto word(Fixed<I, F, R, O> x) noexcept { return x.raw(); }
  SOFTNUM_HOST_DEVICE static constexpr Fixed<I, F, R, O> from_word(
      typename Fixed<I, F, R, O>::raw_type w) noexcept {
    return Fixed<I, F, R, O>::from_raw(w);
  }
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(Fixed<I, F, R, O> x) noexcept {
    return x.unpack();
  }
  SOFTNUM_HOST_DEVICE static constexpr Fixed<I, F, R, O> pack(const Unpacked& u, Round mode,
                                                              std::uint32_t r) noexcept {
    return Fixed<I, F, R, O>::from_unpacked(u, mode, r);
  }
};
}  // namespace detail

// Classification and sign functions (found by ADL): Fixed is always finite.
template <FixedFormat T>
SOFTNUM_HOST_DEVICE constexpr bool isnan(T) noexcept { return false; }
template <FixedFormat T>
SOFTNUM_HOST_DEVICE constexpr bool isinf(T) noexcept { return false; }
template <FixedFormat T>
SOFTNUM_HOST_DEVICE constexpr bool iszero(T x) noexcept { return x.raw() == 0; }
template <FixedFormat T>
SOFTNUM_HOST_DEVICE constexpr bool signbit(T x) noexcept { return x.raw() < 0; }
/// |x|; abs(lowest()) follows the overflow policy (max() or lowest()).
template <FixedFormat T>
SOFTNUM_HOST_DEVICE constexpr T abs(T x) noexcept {
  return x.raw() < 0 ? -x : x;
}

// Exact results in a wider format (ROUNDING.md §4), for chains that round once at the end:
// a*b is exact in Fixed<Ia+Ib, Fa+Fb> and a+-b in Fixed<max(Ia,Ib)+1, max(Fa,Fb)>. Available
// while the result fits 64 bits; the result takes the policies of a.
namespace detail {
/// The raw value of x on the grid of F >= x's fraction bits, in int64 (exact: the caller's result
/// format has room for it).
template <int F, FixedFormat X>
SOFTNUM_HOST_DEVICE constexpr std::int64_t raw_at(X x) noexcept {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(static_cast<std::int64_t>(x.raw()))
                                   << (F - X::fraction_bits));
}
}  // namespace detail
template <int I1, int F1, Round R1, FixedOverflow O1, int I2, int F2, Round R2, FixedOverflow O2>
  requires(I1 + F1 + I2 + F2 <= 64)
SOFTNUM_HOST_DEVICE constexpr Fixed<I1 + I2, F1 + F2, R1, O1> mul_exact(
    Fixed<I1, F1, R1, O1> a, Fixed<I2, F2, R2, O2> b) noexcept {
  // |a b| <= 2^(W1-1) 2^(W2-1) = 2^(W1+W2-2): no overflow in W1 + W2 bits.
  using T = Fixed<I1 + I2, F1 + F2, R1, O1>;
  return T::from_raw(static_cast<typename T::raw_type>(static_cast<std::int64_t>(a.raw()) *
                                                       static_cast<std::int64_t>(b.raw())));
}
template <int I1, int F1, Round R1, FixedOverflow O1, int I2, int F2, Round R2, FixedOverflow O2>
  requires((I1 > I2 ? I1 : I2) + 1 + (F1 > F2 ? F1 : F2) <= 64)
SOFTNUM_HOST_DEVICE constexpr auto add_exact(Fixed<I1, F1, R1, O1> a,
                                             Fixed<I2, F2, R2, O2> b) noexcept {
  constexpr int F = F1 > F2 ? F1 : F2;
  using T = Fixed<(I1 > I2 ? I1 : I2) + 1, F, R1, O1>;
  return T::from_raw(static_cast<typename T::raw_type>(detail::raw_at<F>(a) + detail::raw_at<F>(b)));
}
template <int I1, int F1, Round R1, FixedOverflow O1, int I2, int F2, Round R2, FixedOverflow O2>
  requires((I1 > I2 ? I1 : I2) + 1 + (F1 > F2 ? F1 : F2) <= 64)
SOFTNUM_HOST_DEVICE constexpr auto sub_exact(Fixed<I1, F1, R1, O1> a,
                                             Fixed<I2, F2, R2, O2> b) noexcept {
  constexpr int F = F1 > F2 ? F1 : F2;
  using T = Fixed<(I1 > I2 ? I1 : I2) + 1, F, R1, O1>;
  return T::from_raw(static_cast<typename T::raw_type>(detail::raw_at<F>(a) - detail::raw_at<F>(b)));
}

/// The neighbour of x toward y: x +- 2^-F, or x itself at the end of the range or when x == y.
template <FixedFormat T>
SOFTNUM_HOST_DEVICE constexpr T nextafter(T x, T y) noexcept {
  if (x == y) return y;
  if (x < y)
    return x.raw() == T::core::max_raw
               ? x
               : T::from_raw(static_cast<typename T::raw_type>(x.raw() + 1));
  return x.raw() == T::core::min_raw ? x
                                     : T::from_raw(static_cast<typename T::raw_type>(x.raw() - 1));
}

}  // namespace softnum

// numeric_limits ---------------------------------------------------------------------------------
// Fixed is modelled as an exact, bounded, non-integer type without specials: min() and
// denorm_min() are the smallest positive value 2^-F (as for floating point, not as for integers),
// epsilon() is the step 2^-F, digits counts the non-sign bits as for integers.
template <int I, int F, softnum::Round R, softnum::FixedOverflow O>
class std::numeric_limits<softnum::Fixed<I, F, R, O>>
    : public softnum::detail::numeric_limits_common {
  using T = softnum::Fixed<I, F, R, O>;
  using raw = typename T::raw_type;

 public:
  // is_specialized, is_integer, radix, ...: softnum::detail::numeric_limits_common.
  static constexpr bool is_signed = true;
  static constexpr bool is_exact = true;
  static constexpr bool has_infinity = false;
  static constexpr bool has_quiet_NaN = false;
  static constexpr std::float_denorm_style has_denorm = std::denorm_absent;
  static constexpr std::float_round_style round_style = softnum::detail::round_style_of(R);
  static constexpr bool is_iec559 = false;
  static constexpr bool is_modulo = O == softnum::FixedOverflow::wrap;
  static constexpr int digits = I + F - 1;
  // floor((W - 1) log10 2), exact for W <= 64 (30103/100000 is close enough there).
  static constexpr int digits10 = (I + F - 1) * 30103 / 100000;
  // Decimal digits that distinguish all values: ceil(F log10 2) + integer digits + 1 is safe;
  // as for floats, 1 + ceil(digits * log10 2).
  static constexpr int max_digits10 = 1 + ((I + F - 1) * 30103 + 99999) / 100000;
  static constexpr int min_exponent = 0;
  static constexpr int min_exponent10 = 0;
  static constexpr int max_exponent = 0;
  static constexpr int max_exponent10 = 0;

  static constexpr T min() noexcept { return T::from_raw(1); }
  static constexpr T max() noexcept { return T::from_raw(T::core::max_raw); }
  static constexpr T lowest() noexcept { return T::from_raw(T::core::min_raw); }
  static constexpr T epsilon() noexcept { return T::from_raw(1); }
  /// Half a step in ulps, 0.5, when representable (F >= 1); 0 for integer formats, as for int.
  static constexpr T round_error() noexcept {
    return F >= 1 ? T::from_raw(static_cast<raw>(raw{1} << (F >= 1 ? F - 1 : 0))) : T{};
  }
  static constexpr T infinity() noexcept { return T{}; }
  static constexpr T quiet_NaN() noexcept { return T{}; }
  static constexpr T signaling_NaN() noexcept { return T{}; }
  static constexpr T denorm_min() noexcept { return T::from_raw(1); }
};

template <int I, int F, softnum::Round R, softnum::FixedOverflow O>
struct std::hash<softnum::Fixed<I, F, R, O>> {
  std::size_t operator()(const softnum::Fixed<I, F, R, O>& x) const noexcept {
    return std::hash<std::uint64_t>{}(static_cast<std::uint64_t>(x.bits()));
  }
};
