// softnum/types/float_codec.hpp - decode/encode and the generic (integer) arithmetic of Float.
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/core/bits.hpp>
#include <softnum/core/round.hpp>

#include <cstdint>  // std::uint32_t, std::uint64_t

namespace softnum {

/// Whether a format has a sign bit (P3109 "signedness").
enum class Signedness { signed_, unsigned_ };
/// P3109 domain: extended formats have infinities (the codes just below NaN), finite ones none.
enum class Domain { finite, extended };
/// P3109 saturation modes (IEEE P3109 Interim Report v4.0 §4.7.5), applied after rounding:
///  finite:    every value beyond the finite range, infinities included, becomes the largest
///             finite value of its sign (0 for negatives in an unsigned format).
///  propagate: finite values beyond the range saturate; infinities stay where the format has them
///             (else they saturate).
///  none:      IEEE-like: overflow gives infinity, except toward_zero / the mode that rounds toward
///             the range (and odd, when infinity's code is even: unsigned extended formats); a
///             finite format saturates; a negative number in an unsigned format is NaN.
enum class Saturation { finite, propagate, none };

/// Layout details of a Float beyond E, M and Specials; the defaults give the IEEE/OCP layouts.
/// A structural type: it is Float's last non-type template parameter.
///  bias:       the exponent bias; FloatSpec::standard_bias means the one Specials implies
///              (2^(E-1) - 1, or 2^(E-1) for fnuz).
///  signedness: unsigned_ drops the sign bit (1 + E + M becomes E + M bits). A negative result
///              that does not round to zero is NaN; one that does is +0.
///  has_zero:   false: there is no zero code, exponent field 0 is a normal binade (OCP E8M0).
///              Zero results become NaN, and positive values below 2^(-bias) become 2^(-bias).
///  p3109:      the IEEE P3109 code layout and projection (the P3109<> alias below sets it): with
///              Specials::fnuz (signed) or fn (unsigned) codes, `domain` extended adds +-inf at
///              the codes below NaN (0x7F/0xFF signed, 0xFE unsigned, for 8 bits), results are
///              saturated per `saturation`, and x / 0 is NaN.
struct FloatSpec {
  static constexpr int standard_bias = -2147483647 - 1;
  int bias = standard_bias;
  Signedness signedness = Signedness::signed_;
  bool has_zero = true;
  bool p3109 = false;
  Domain domain = Domain::finite;
  Saturation saturation = Saturation::none;
};

}  // namespace softnum

namespace softnum::detail {

SOFTNUM_HOST_DEVICE constexpr Overflow default_overflow(Specials s) noexcept {
  return s == Specials::ieee ? Overflow::infinity
                             : (s == Specials::finite ? Overflow::saturate : Overflow::nan);
}

/// Exact-or-round-to-odd value with a 256-bit significand: exact products and fma sums.
struct Wide {
  bool sign = false;
  int exp = 0;
  u256 sig{};
};

/// a + b for nonzero a, b whose significands have at most 226 bits. The result is exact, or the
/// round-to-odd image at >= 252 bits: the operand that is not shifted has >= 27 zero low bits,
/// so jamming the shifted one makes the sum land on the odd neighbour (ROUNDING.md §1.4).
/// A zero significand in the result means exact cancellation.
SOFTNUM_HOST_DEVICE constexpr Wide wide_add(Wide a, Wide b) noexcept {
  const int sa = 253 - bit_width(a.sig), sb = 253 - bit_width(b.sig);
  a.sig = shift_left(a.sig, sa);
  a.exp -= sa;
  b.sig = shift_left(b.sig, sb);
  b.exp -= sb;
  if (a.exp < b.exp) {
    const Wide t = a;
    a = b;
    b = t;
  }
  b.sig = shift_right_jam(b.sig, a.exp - b.exp);
  Wide r;
  r.exp = a.exp;
  if (a.sign == b.sign) {
    r.sig = add(a.sig, b.sig);
    r.sign = a.sign;
  } else if (!less(a.sig, b.sig)) {
    r.sig = sub(a.sig, b.sig);
    r.sign = a.sign;
  } else {
    r.sig = sub(b.sig, a.sig);
    r.sign = b.sign;
  }
  return r;
}

/// Bit-level description and codec of Float<E, M, S, O, Sub, X>. See float.hpp for the format card.
template <int E, int M, Specials S, Overflow O, bool Sub, FloatSpec X = FloatSpec{}>
struct FloatCodec {
  static constexpr int exponent_bits = E;
  static constexpr int mantissa_bits = M;
  static constexpr Specials specials = S;
  static constexpr Overflow overflow = O;
  static constexpr bool subnormals = Sub;
  static constexpr FloatSpec spec = X;
  static constexpr bool is_signed = X.signedness == Signedness::signed_;
  static constexpr bool has_zero = X.has_zero;
  static constexpr int width = (is_signed ? 1 : 0) + E + M;
  using storage = uint_for_bits<(is_signed ? 1 : 0) + E + M>;

  static constexpr int standard_bias = (1 << (E - 1)) - 1 + (S == Specials::fnuz ? 1 : 0);
  static constexpr int bias = X.bias == FloatSpec::standard_bias ? standard_bias : X.bias;
  /// The IEEE/OCP layouts, for which every fast path was written and is tested.
  static constexpr bool standard_layout = is_signed && has_zero && bias == standard_bias && !X.p3109;
  static constexpr int min_field = has_zero ? 1 : 0;  // exponent field of the smallest normal
  static constexpr int emin = min_field - bias;       // exponent of the smallest normal
  static constexpr int max_field = (1 << E) - 1;
  static constexpr storage one = 1;
  static constexpr storage sign_mask = is_signed ? static_cast<storage>(one << (E + M)) : storage{0};
  static constexpr storage frac_mask = static_cast<storage>((one << M) - 1);
  static constexpr storage mag_mask =
      static_cast<storage>(E + M >= width_of<storage> ? ~storage{0} : static_cast<storage>((one << (E + M)) - 1));
  static constexpr bool p3109 = X.p3109;
  static constexpr bool p3109_extended = X.p3109 && X.domain == Domain::extended;
  static constexpr Saturation saturation = X.saturation;
  // P3109 extended: +-inf magnitude code, just below NaN's (signed: NaN is the sign bit alone).
  static constexpr storage p3109_inf_mag = is_signed ? mag_mask : static_cast<storage>(mag_mask - 1);
  static constexpr storage max_bits =
      p3109_extended      ? static_cast<storage>(p3109_inf_mag - 1)
      : S == Specials::ieee ? static_cast<storage>((static_cast<storage>(max_field - 1) << M) | frac_mask)
      : S == Specials::fn ? static_cast<storage>(mag_mask - 1)
                          : mag_mask;
  static constexpr int emax = static_cast<int>(max_bits >> M) - bias;  // exponent of the largest
  static constexpr int sr_bits = stochastic_bits(M);
  static constexpr bool has_inf = S == Specials::ieee || p3109_extended;
  static constexpr bool has_nan = S != Specials::finite;

  SOFTNUM_HOST_DEVICE static constexpr storage sign_of(bool negative) noexcept {
    return negative ? sign_mask : storage{0};
  }
  SOFTNUM_HOST_DEVICE static constexpr bool is_nan(storage b) noexcept {
    if constexpr (S == Specials::ieee) {
      return static_cast<storage>(b & mag_mask) > static_cast<storage>(static_cast<storage>(max_field) << M);
    } else if constexpr (S == Specials::fn) {
      return static_cast<storage>(b & mag_mask) == mag_mask;
    } else if constexpr (S == Specials::fnuz) {
      return b == sign_mask;
    } else {
      return false;
    }
  }
  SOFTNUM_HOST_DEVICE static constexpr bool is_inf(storage b) noexcept {
    if constexpr (p3109_extended) {
      return static_cast<storage>(b & mag_mask) == p3109_inf_mag && (is_signed || b == p3109_inf_mag);
    } else if constexpr (S == Specials::ieee) {
      return static_cast<storage>(b & mag_mask) == static_cast<storage>(static_cast<storage>(max_field) << M);
    } else {
      return false;
    }
  }
  SOFTNUM_HOST_DEVICE static constexpr bool is_zero(storage b) noexcept {
    const storage mag = static_cast<storage>(b & mag_mask);
    if constexpr (!has_zero) return false;
    if constexpr (S == Specials::fnuz) {
      if (b == sign_mask) return false;
    }
    return Sub ? mag == 0 : (mag >> M) == 0;
  }

  SOFTNUM_HOST_DEVICE static constexpr storage zero_bits(bool negative) noexcept {
    if constexpr (!has_zero) return nan_bits(false);  // no zero code: zero is NaN (ml_dtypes E8M0)
    return S == Specials::fnuz ? storage{0} : sign_of(negative);
  }
  /// The smallest positive normal, 2^emin.
  SOFTNUM_HOST_DEVICE static constexpr storage min_normal_bits() noexcept {
    return static_cast<storage>(static_cast<storage>(min_field) << M);
  }
  SOFTNUM_HOST_DEVICE static constexpr storage max_signed(bool negative) noexcept {
    return static_cast<storage>(max_bits | sign_of(negative));
  }
  SOFTNUM_HOST_DEVICE static constexpr storage nan_bits(bool negative) noexcept {
    if constexpr (S == Specials::ieee) {
      return static_cast<storage>(sign_of(negative) | (static_cast<storage>(max_field) << M) |
                                  (one << (M - 1)));
    } else if constexpr (S == Specials::fn) {
      return static_cast<storage>(sign_of(negative) | mag_mask);
    } else if constexpr (S == Specials::fnuz) {
      return sign_mask;
    } else {
      return max_signed(negative);
    }
  }
  /// The code of +-inf (formats with infinities; otherwise what inf_bits gives).
  SOFTNUM_HOST_DEVICE static constexpr storage inf_code(bool negative) noexcept {
    if constexpr (p3109_extended) {
      if (negative && !is_signed) return nan_bits(false);
      return static_cast<storage>(p3109_inf_mag | sign_of(negative));
    } else {
      return inf_bits(negative);
    }
  }
  /// What an exact +-inf result becomes: inf, or per the overflow policy / P3109 saturation.
  SOFTNUM_HOST_DEVICE static constexpr storage inf_bits(bool negative) noexcept {
    if constexpr (p3109) {
      // Saturate (P3109 §4.7.5) of +-inf; M_lo is -M_hi, or 0 in an unsigned format.
      const storage lowest = is_signed ? max_signed(true) : storage{0};
      if constexpr (saturation == Saturation::finite) {
        return negative ? lowest : max_bits;
      } else if constexpr (saturation == Saturation::propagate) {
        if (negative) return p3109_extended && is_signed ? inf_code(true) : lowest;
        return p3109_extended ? inf_code(false) : max_bits;
      } else {
        if (negative) return !is_signed ? nan_bits(false) : (p3109_extended ? inf_code(true) : lowest);
        return p3109_extended ? inf_code(false) : max_bits;
      }
    }
    if constexpr (!is_signed) {
      if (negative) return nan_bits(false);
    }
    if constexpr (S == Specials::ieee) {
      return static_cast<storage>(sign_of(negative) | (static_cast<storage>(max_field) << M));
    } else if constexpr (O == Overflow::nan) {
      return nan_bits(negative);
    } else {
      return max_signed(negative);
    }
  }
  /// -x: a sign flip, except for the codes whose kind it would change (fnuz's zero and NaN
  /// share the sign bit); in an unsigned format every nonzero number negates to NaN.
  SOFTNUM_HOST_DEVICE static constexpr storage negate(storage b) noexcept {
    if constexpr (!is_signed) {
      return is_zero(b) ? zero_bits(false) : nan_bits(false);
    } else {
      if constexpr (S == Specials::fnuz) {
        if (is_zero(b) || is_nan(b)) return b;
      }
      return static_cast<storage>(b ^ sign_mask);
    }
  }
  /// What a finite result beyond the largest finite value becomes (after rounding).
  SOFTNUM_HOST_DEVICE static constexpr storage overflow_bits(bool negative, Round mode) noexcept {
    if constexpr (p3109) {
      // Unsigned negatives never get here (encode_finite). SatNone gives inf in an extended
      // format, except toward_zero and the directed mode toward the range, and odd where
      // infinity's code is even (unsigned); P3109 §4.7.5.
      if constexpr (saturation != Saturation::none || !p3109_extended) {
        return max_signed(negative);
      } else {
        const bool keep_finite = mode == Round::toward_zero || mode == (negative ? Round::up : Round::down) ||
                                 (mode == Round::odd && !is_signed);
        return keep_finite ? max_signed(negative) : inf_code(negative);
      }
    }
    if (rounds_toward_zero(mode, negative)) return max_signed(negative);
    if constexpr (O == Overflow::infinity) {
      return inf_bits(negative);
    } else if constexpr (O == Overflow::saturate) {
      return max_signed(negative);
    } else {
      return nan_bits(negative);
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr Unpacked decode(storage b) noexcept {
    const bool negative = (b & sign_mask) != 0;
    if (is_nan(b)) return make_special(Kind::nan, negative);
    if (is_inf(b)) return make_special(Kind::inf, negative);
    const storage mag = static_cast<storage>(b & mag_mask);
    const int field = static_cast<int>(mag >> M);
    const storage frac = static_cast<storage>(mag & frac_mask);
    if (field == 0 && has_zero) {
      if (frac == 0 || !Sub) return make_special(Kind::zero, S == Specials::fnuz ? false : negative);
      return Unpacked{Kind::finite, negative, emin - M, static_cast<u128>(frac)};
    }
    return Unpacked{Kind::finite, negative, field - bias - M,
                    static_cast<u128>(frac) | (static_cast<u128>(1) << M)};
  }

  /// Rounds the nonzero magnitude sig * 2^exp once, in `mode`, and packs it: the single
  /// rounding step of every Float operation and conversion.
  template <class U>
  SOFTNUM_HOST_DEVICE static constexpr storage encode_finite(bool negative, int exp, U sig,
                                                             Round mode, std::uint32_t random,
                                                             SRVariant variant = SRVariant::C,
                                                             int k = sr_bits) noexcept {
    if constexpr (M + 2 > width_of<U>) {
      return encode_finite<u128>(negative, exp, static_cast<u128>(sig), mode, random, variant, k);
    } else if constexpr (!is_signed) {
      // Unsigned: a negative value that rounds to zero is +0, any other is NaN.
      if (!negative) return encode_magnitude<U>(false, exp, sig, mode, random, variant, k);
      if constexpr (!has_zero) return nan_bits(false);
      if (is_zero(encode_magnitude<U>(true, exp, sig, mode, random, variant, k))) return zero_bits(false);
      if constexpr (p3109) {  // below M_lo = 0: saturates, except SatNone (P3109 §4.7.5)
        if constexpr (saturation != Saturation::none) return zero_bits(false);
        return mode == Round::toward_zero || mode == Round::up ? zero_bits(false) : nan_bits(false);
      }
      return nan_bits(false);
    } else {
      return encode_magnitude<U>(negative, exp, sig, mode, random, variant, k);
    }
  }

  template <class U>
  SOFTNUM_HOST_DEVICE static constexpr storage encode_magnitude(bool negative, int exp, U sig,
                                                                Round mode, std::uint32_t random,
                                                                SRVariant variant, int k) noexcept {
    const int e = exp + bit_width(sig) - 1;  // exponent of the leading bit
    if (e > emax + 1) return overflow_bits(negative, mode);
    if constexpr (!has_zero) {
      if (e < emin) return min_normal_bits();  // no zero to round to (E8M0: 2^-127)
    }
    int qe = e >= emin ? e - M : (Sub ? emin - M : emin);  // exponent of the quantum
    U q;
    if (M == 0 && e >= emin && (mode == Round::nearest_even || mode == Round::odd)) {
      // No fraction bits: every significand is 1, so "even" and "odd" are those of the code,
      // i.e. of the exponent field (ml_dtypes' E8M0, P3109 P = 1). The candidates are 2^e, of
      // field e + bias, and 2^(e+1); sig's leading bit is the quantum's.
      const int sh = qe - exp;
      const bool low_odd = ((e + bias) & 1) != 0;
      if (mode == Round::odd) {
        q = round_shift<U>(sig, sh, low_odd ? Round::toward_zero : (negative ? Round::down : Round::up),
                           negative, random, sr_bits);
      } else if (low_odd) {
        q = round_shift<U>(sig, sh, Round::nearest_away, negative, random, sr_bits);
      } else {  // nearest, ties toward 2^e: round the part above 2^e to nearest-even of {0, 1}
        q = static_cast<U>(1 + round_shift<U>(static_cast<U>(sig ^ (U(1) << sh)), sh, Round::nearest_even,
                                              negative, random, sr_bits));
      }
    } else {
      q = round_shift<U>(sig, qe - exp, mode, negative, random, k, variant);
    }
    if (q == 0) return zero_bits(negative);
    const U hidden = static_cast<U>(U(1) << M);
    if ((q >> (M + 1)) != 0) {  // rounding carried into a new binade
      q = static_cast<U>(q >> 1);
      ++qe;
    }
    if (!Sub && q < hidden) {  // without subnormals the only value below 2^emin is 2^emin
      q = static_cast<U>(q << M);
      qe -= M;
    }
    if (q < hidden) return static_cast<storage>(sign_of(negative) | static_cast<storage>(q));
    const int field = qe + M + bias;
    if (field > max_field) return overflow_bits(negative, mode);
    const auto bits = static_cast<storage>((static_cast<storage>(field) << M) |
                                           (static_cast<storage>(q) & frac_mask));
    if (bits > max_bits) return overflow_bits(negative, mode);
    return static_cast<storage>(bits | sign_of(negative));
  }

  SOFTNUM_HOST_DEVICE static constexpr storage encode(const Unpacked& u, Round mode,
                                                      std::uint32_t random,
                                                      SRVariant variant = SRVariant::C,
                                                      int k = sr_bits) noexcept {
    switch (u.kind) {
      case Kind::zero: return zero_bits(u.sign);
      case Kind::inf: return inf_bits(u.sign);
      case Kind::nan: return nan_bits(u.sign);
      case Kind::finite: break;
    }
    return encode_finite<u128>(u.sign, u.exp, u.sig, mode, random, variant, k);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage encode_wide(const Wide& w, Round mode,
                                                           std::uint32_t random) noexcept {
    int shift = 0;
    const u128 sig = narrow_jam(w.sig, shift);
    return encode_finite<u128>(w.sign, w.exp + shift, sig, mode, random);
  }

  // ----- generic soft-float arithmetic: any E, M; exact or round-to-odd, then one rounding -----

  SOFTNUM_HOST_DEVICE static constexpr storage zero_sum(bool sa, bool sb, Round mode) noexcept {
    // IEEE 754 §6.3: an exact zero sum of opposite signs is +0, or -0 when rounding down.
    return zero_bits(mode == Round::down ? (sa || sb) : (sa && sb));
  }

  SOFTNUM_HOST_DEVICE static constexpr storage add_unpacked(const Unpacked& x, const Unpacked& y,
                                                            Round mode, std::uint32_t random) noexcept {
    if (x.kind == Kind::nan || y.kind == Kind::nan) return nan_bits(false);
    if (x.kind == Kind::inf) {
      if (y.kind == Kind::inf && x.sign != y.sign) return nan_bits(false);
      return inf_bits(x.sign);
    }
    if (y.kind == Kind::inf) return inf_bits(y.sign);
    if (x.kind == Kind::zero && y.kind == Kind::zero) return zero_sum(x.sign, y.sign, mode);
    if (x.kind == Kind::zero) return encode_finite<u128>(y.sign, y.exp, y.sig, mode, random);
    if (y.kind == Kind::zero) return encode_finite<u128>(x.sign, x.exp, x.sig, mode, random);
    const Wide s = wide_add(Wide{x.sign, x.exp, u256{0, x.sig}}, Wide{y.sign, y.exp, u256{0, y.sig}});
    if (detail::is_zero(s.sig)) return zero_sum(true, false, mode);
    return encode_wide(s, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage add(storage a, storage b, Round mode,
                                                   std::uint32_t random) noexcept {
    return add_unpacked(decode(a), decode(b), mode, random);
  }

  /// a - b as a + (-b) on the exact values (-b need not be a code: unsigned formats).
  SOFTNUM_HOST_DEVICE static constexpr storage sub(storage a, storage b, Round mode,
                                                   std::uint32_t random) noexcept {
    Unpacked y = decode(b);
    if (y.kind != Kind::nan) y.sign = !y.sign;
    return add_unpacked(decode(a), y, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage mul(storage a, storage b, Round mode,
                                                   std::uint32_t random) noexcept {
    const Unpacked x = decode(a), y = decode(b);
    const bool negative = x.sign != y.sign;
    if (x.kind == Kind::nan || y.kind == Kind::nan) return nan_bits(false);
    if (x.kind == Kind::inf || y.kind == Kind::inf) {
      if (x.kind == Kind::zero || y.kind == Kind::zero) return nan_bits(false);
      return inf_bits(negative);
    }
    if (x.kind == Kind::zero || y.kind == Kind::zero) return zero_bits(negative);
    if ((x.sig >> 64) == 0 && (y.sig >> 64) == 0) {  // the product fits 128 bits exactly
      return encode_finite<u128>(negative, x.exp + y.exp, x.sig * y.sig, mode, random);
    }
    return encode_wide(Wide{negative, x.exp + y.exp, mul_wide(x.sig, y.sig)}, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage div(storage a, storage b, Round mode,
                                                   std::uint32_t random) noexcept {
    const Unpacked x = decode(a), y = decode(b);
    const bool negative = x.sign != y.sign;
    if (x.kind == Kind::nan || y.kind == Kind::nan) return nan_bits(false);
    if (p3109 && y.kind == Kind::zero) return nan_bits(false);  // x / 0, inf / 0 included (§4.10)
    if (x.kind == Kind::inf) return y.kind == Kind::inf ? nan_bits(false) : inf_bits(negative);
    if (y.kind == Kind::inf) return zero_bits(negative);
    if (y.kind == Kind::zero) return x.kind == Kind::zero || p3109 ? nan_bits(false) : inf_bits(negative);
    if (x.kind == Kind::zero) return zero_bits(negative);
    // Long division of significands normalised to 127 bits: 126 quotient bits (>= 125
    // significant) and the remainder as a jammed sticky bit.
    const int na = 127 - bit_width(x.sig), nb = 127 - bit_width(y.sig);
    u128 rem = x.sig << na;
    const u128 den = y.sig << nb;
    u128 q = 0;
    for (int i = 0; i < 126; ++i) {
      q <<= 1;
      if (rem >= den) {
        rem -= den;
        q |= 1;
      }
      rem <<= 1;
    }
    q |= static_cast<u128>(rem != 0);
    return encode_finite<u128>(negative, (x.exp - na) - (y.exp - nb) - 125, q, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage sqrt(storage a, Round mode,
                                                    std::uint32_t random) noexcept {
    const Unpacked x = decode(a);
    if (x.kind == Kind::nan) return nan_bits(false);
    if (x.kind == Kind::zero) return zero_bits(x.sign);  // sqrt(-0) = -0
    if (x.sign) return nan_bits(false);
    if (x.kind == Kind::inf) return inf_bits(false);
    // Radicand with 249 or 250 bits and an even exponent; digit-by-digit root of 125 bits.
    int s = 250 - bit_width(x.sig);
    if (((x.exp - s) & 1) != 0) --s;
    const u256 rad = shift_left(u256{0, x.sig}, s);
    u128 root = 0, rem = 0;
    for (int i = 124; i >= 0; --i) {
      const int pos = 2 * i;
      sqrt_step(root, rem, pos >= 128 ? (rad.hi >> (pos - 128)) & 3 : (rad.lo >> pos) & 3);
    }
    root |= static_cast<u128>(rem != 0);
    return encode_finite<u128>(false, (x.exp - s) / 2, root, mode, random);
  }

  SOFTNUM_HOST_DEVICE static constexpr storage fma(storage a, storage b, storage c, Round mode,
                                                   std::uint32_t random) noexcept {
    const Unpacked x = decode(a), y = decode(b), z = decode(c);
    const bool ps = x.sign != y.sign;
    if (x.kind == Kind::nan || y.kind == Kind::nan || z.kind == Kind::nan) return nan_bits(false);
    if (x.kind == Kind::inf || y.kind == Kind::inf) {
      if (x.kind == Kind::zero || y.kind == Kind::zero) return nan_bits(false);
      if (z.kind == Kind::inf && z.sign != ps) return nan_bits(false);
      return inf_bits(ps);
    }
    if (z.kind == Kind::inf) return inf_bits(z.sign);
    if (x.kind == Kind::zero || y.kind == Kind::zero) {
      if (z.kind == Kind::zero) return zero_sum(ps, z.sign, mode);
      return encode_finite<u128>(z.sign, z.exp, z.sig, mode, random);
    }
    const Wide p{ps, x.exp + y.exp, mul_wide(x.sig, y.sig)};
    if (z.kind == Kind::zero) return encode_wide(p, mode, random);
    const Wide s = wide_add(p, Wide{z.sign, z.exp, u256{0, z.sig}});
    if (detail::is_zero(s.sig)) return zero_sum(true, false, mode);
    return encode_wide(s, mode, random);
  }
};

/// The exact (or round-to-odd) value rounded to nearest-even as a native double / float: the
/// conversion out that every type's operator double() and operator float() share.
SOFTNUM_HOST_DEVICE constexpr double unpacked_to_double(const Unpacked& u) noexcept {
  using B64 = FloatCodec<11, 52, Specials::ieee, Overflow::infinity, true>;
  return bit_cast<double>(B64::encode(u, Round::nearest_even, 0));
}
SOFTNUM_HOST_DEVICE constexpr float unpacked_to_float(const Unpacked& u) noexcept {
  using B32 = FloatCodec<8, 23, Specials::ieee, Overflow::infinity, true>;
  return bit_cast<float>(B32::encode(u, Round::nearest_even, 0));
}

}  // namespace softnum::detail
