// softnum/types/expansion.hpp - Expansion<T,N>: unevaluated sums of N floating-point numbers.
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/config.hpp>
#include <softnum/core/bits.hpp>
#include <softnum/core/convert.hpp>
#include <softnum/core/round.hpp>
#include <softnum/types/float.hpp>
#include <softnum/types/float_codec.hpp>  // detail::Wide, wide_add

#include <cmath>        // std::fma, std::sqrt (hardware paths of float/double)
#include <compare>      // std::partial_ordering
#include <concepts>     // std::same_as
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint32_t, std::uint64_t
#include <limits>       // std::numeric_limits
#include <type_traits>  // std::false_type, std::is_floating_point_v

namespace softnum {

// Format card ----------------------------------------------------------------------------------
// Expansion<T, N>  (2 <= N <= 4; T = float, double, or any Float<...> that rounds to nearest even)
//   value:      x[0] + x[1] + ... + x[N-1], exactly (an unevaluated sum), most significant first.
//   invariant:  results of every operation are renormalised: the components do not overlap,
//               |x[i+1]| <= ulp(x[i]) (N = 2: x[0] = RN(x[0] + x[1]), so |x[1]| <= ulp(x[0])/2),
//               and trailing components are zero when fewer are needed. Writing x[] directly
//               bypasses this; conversions stay exact for any contents, arithmetic bounds do not.
//   precision:  about N*p bits, p = T's precision (53 for double: double_double ~ 106 bits,
//               quad_double ~ 212 bits); numeric_limits::digits = N*p.
//   arithmetic: N = 2: the double-word algorithms of Joldes, Muller & Popescu 2017 (JMP, ACM TOMS
//               44(2)), bounds as corrected by Muller & Rideau 2022 (MR, ACM TOMS 48(1)); sqrt
//               from Lefevre, Louvet, Muller, Picot & Rideau 2023 (LLMPR, ACM TOMS 49(1)).
//               N = 3, 4: CAMPARY-style n-word algorithms (Joldes, Marty, Muller & Popescu 2016,
//               IEEE TC 65(4)): exact error-free partial results, then one renormalisation
//               (VecSum + VecSumErrBranch) that truncates to N components.
//   bounds:     relative error of each operation, as constants (see Expansion::add_error_bound
//               and the table in docs/expansion.md), assuming round-to-nearest base operations
//               and no underflow or overflow:
//                  N = 2 (u = 2^-p)           N = 3, 4 (design bounds, checked by tests only)
//                 + -   3u^2 + 13u^3   (JMP Alg 6)       2^(N+1) u^N
//                 E+T   2u^2           (JMP Alg 4)       2^(N+1) u^N
//                 *     4u^2, p >= 5   (JMP Alg 12, MR Thm 2.8; 5u^2 in JMP)   2^(N+2) u^N
//                 E*T   2u^2           (JMP Alg 9)       2^(N+2) u^N
//                 /     15u^2 + 56u^3  (JMP Alg 17)      2^(N+3) u^N
//                 E/T   3u^2           (JMP Alg 15)      2^(N+3) u^N
//                 sqrt  25/8 u^2       (LLMPR Alg 8)     2^(N+3) u^N
//   range:      additions are error-free in the underflow range, so + - keep their bound down to
//               zero. Products, quotients and square roots lose their low words below
//               full_range_min() = 2^(emin + (N-1)p + 1) (emin: T's smallest normal exponent):
//               double 2^-968 (N = 2), binary16 2^-2, bfloat16 2^-118, float 2^-101. Below it the
//               error grows smoothly to an absolute error of a few units of T's smallest
//               subnormal (precision degrades to T's own, never to garbage). For low-precision
//               bases that range is narrow: Expansion<binary16, 2> keeps ~22 bits only on
//               [2^-2, 65504].
//   overflow:   a result whose leading component overflows is (+-inf, 0, ...) (or what T's
//               overflow policy gives); a finite exact result within about 2^-p relative of
//               T's largest value may still overflow, because the leading component is rounded
//               first. T without infinities (e.g. float8_e4m3fn) turns overflow into NaN.
//   specials:   inf, NaN and signed zeros follow T's arithmetic on the leading components.
//   policy:     T must round to nearest even: the error-free transformations are exact only
//               then. No heap, no exceptions, no iostream here (printing is in io.hpp).
template <class T, int N>
class Expansion;

/// Base types an Expansion can be built on.
template <class T>
concept ExpansionBase =
    std::same_as<T, float> || std::same_as<T, double> ||
    (FloatFormat<T> && T::rounding == Round::nearest_even && T::mantissa_bits >= 1);

/// A value and the exact error of the operation that produced it: value + error is exact.
template <class T>
struct Eft {
  T value;
  T error;
};

namespace detail {

/// What the expansion algorithms need from a base type: round-to-nearest fma and sqrt,
/// precision and exponent range.
template <class T>
struct expansion_base;

template <class T, class B>
struct native_expansion_base {
  using bits_type = typename B::storage_type;
  static constexpr int p = B::digits;
  static constexpr int emin = B::codec::emin;
  static constexpr int emax = B::codec::emax;
  SOFTNUM_HOST_DEVICE static constexpr T soft(B x) noexcept { return bit_cast<T>(x.bits()); }
  SOFTNUM_HOST_DEVICE static constexpr B hard(T x) noexcept {
    return B::from_bits(bit_cast<bits_type>(x));
  }
  SOFTNUM_HOST_DEVICE static constexpr T fma(T a, T b, T c) noexcept {
    if (SOFTNUM_IS_CONSTANT_EVALUATED()) return soft(softnum::fma(hard(a), hard(b), hard(c)));
    return fma_hw(a, b, c);  // the platform's only where it is exact (float.hpp)
  }
  SOFTNUM_HOST_DEVICE static constexpr T sqrt(T a) noexcept {
    if (SOFTNUM_IS_CONSTANT_EVALUATED()) return soft(softnum::sqrt(hard(a)));
    return sqrt_hw(a);
  }
  SOFTNUM_HOST_DEVICE static constexpr T from_unpacked(const Unpacked& u, Round mode) noexcept {
    return soft(B::from_unpacked(u, mode, 0));
  }
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(T x) noexcept { return hard(x).unpack(); }
};

template <>
struct expansion_base<double> : native_expansion_base<double, binary64> {};
template <>
struct expansion_base<float> : native_expansion_base<float, binary32> {};

template <FloatFormat T>
struct expansion_base<T> {
  static constexpr int p = T::digits;
  static constexpr int emin = T::codec::emin;
  static constexpr int emax = T::codec::emax;
  SOFTNUM_HOST_DEVICE static constexpr T fma(T a, T b, T c) noexcept {
    return softnum::fma(a, b, c);
  }
  SOFTNUM_HOST_DEVICE static constexpr T sqrt(T a) noexcept { return softnum::sqrt(a); }
  SOFTNUM_HOST_DEVICE static constexpr T from_unpacked(const Unpacked& u, Round mode) noexcept {
    return T::from_unpacked(u, mode, 0);
  }
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(T x) noexcept { return x.unpack(); }
};

template <class T>
SOFTNUM_HOST_DEVICE constexpr bool finite(T x) noexcept {
  return x - x == T{};  // false for inf and NaN; formats without them are always finite
}
/// a < b; for softnum Float through its ordering key, whose relational operators (from <=>)
/// are host-only constexpr under nvcc.
template <class T>
SOFTNUM_HOST_DEVICE constexpr bool less(T a, T b) noexcept {
  if constexpr (FloatFormat<T>) {
    return !isnan(a) && !isnan(b) && a.key() < b.key();
  } else {
    return a < b;
  }
}
template <class T>
SOFTNUM_HOST_DEVICE constexpr T component_magnitude(T x) noexcept {
  return less(x, T{}) ? -x : x;
}

/// 2^e as a double (|e| <= 1000), exact; for the bound constants.
SOFTNUM_HOST_DEVICE constexpr double pow2(int e) noexcept {
  double r = 1.0;
  for (; e > 0; --e) r *= 2.0;
  for (; e < 0; ++e) r *= 0.5;
  return r;
}

}  // namespace detail

// Error-free transformations ------------------------------------------------------------------
// Exact for round-to-nearest base operations without overflow (ROUNDING.md 5.1). softnum Float
// operations are correctly rounded, so low-precision bases inherit them.

/// TwoSum (Knuth, Moller): value = RN(a + b), value + error == a + b exactly, for any a, b
/// (underflow included; Boldo, Graillat & Muller 2017). 6 operations.
template <ExpansionBase T>
SOFTNUM_HOST_DEVICE constexpr Eft<T> two_sum(T a, T b) noexcept {
  const T s = a + b;
  const T bb = s - a;
  const T e = (a - (s - bb)) + (b - bb);
  return Eft<T>{s, e};
}

/// Fast2Sum (Dekker): exact when a's exponent is at least b's, e.g. when |a| >= |b| or a == 0.
/// 3 operations.
template <ExpansionBase T>
SOFTNUM_HOST_DEVICE constexpr Eft<T> fast_two_sum(T a, T b) noexcept {
  const T s = a + b;
  const T e = b - (s - a);
  return Eft<T>{s, e};
}

/// TwoProd via fma: value = RN(a * b), value + error == a * b exactly when the error is
/// representable: e_a + e_b >= emin + p - 1 (exponents of a and b), i.e. no underflow.
template <ExpansionBase T>
SOFTNUM_HOST_DEVICE constexpr Eft<T> two_prod(T a, T b) noexcept {
  const T p = a * b;
  return Eft<T>{p, detail::expansion_base<T>::fma(a, b, -p)};
}

namespace detail {

// Exact sum of expansion components ------------------------------------------------------------
// An expansion over a base with up to 113-bit significands can span thousands of bits (double:
// 2^1023 + 2^-1074), more than Unpacked's 128. exact_sum returns the exact sum when it fits in
// 126 bits and otherwise its round-to-odd image at 126 bits, which rounds correctly to every
// format of at most 124 bits (Boldo & Melquiond 2008): all softnum and native types. It works on
// any components, normalised or not, without a big integer: a 256-bit window below the leading
// term collects the terms' high parts exactly; only the signs of the remainders below the
// window matter, and those are found by the same windowing, which moves at least 100 bits down
// per step, so the loops end within (exponent range)/100 steps.

struct XTerm {
  bool neg = false;
  int exp = 0;
  u128 sig = 0;  // nonzero
};

SOFTNUM_HOST_DEVICE constexpr bool negative256(const u256& x) noexcept {
  return (x.hi >> 127) != 0;
}
SOFTNUM_HOST_DEVICE constexpr u256 negate256(const u256& x) noexcept { return sub(u256{0, 0}, x); }

/// Adds the parts of t[0..n) at or above 2^q to a two's complement accumulator A, with q 236
/// bits below the highest set bit; keeps the parts below 2^q in t (n updated). Each part is
/// below 2^237 and there are at most 16 of them, so |A| < 2^241.
template <std::size_t Cap>
SOFTNUM_HOST_DEVICE constexpr void window_step(XTerm (&t)[Cap], int& n, u256& A, int& q) noexcept {
  int top = t[0].exp + bit_width(t[0].sig) - 1;
  for (int i = 1; i < n; ++i) {
    const int m = t[i].exp + bit_width(t[i].sig) - 1;
    top = m > top ? m : top;
  }
  q = top - 236;
  A = u256{0, 0};
  int kept = 0;
  for (int i = 0; i < n; ++i) {
    const XTerm x = t[i];
    u256 part{0, 0};
    if (x.exp >= q) {
      part = shift_left(u256{0, x.sig}, x.exp - q);
    } else {
      const int d = q - x.exp;
      u128 low = x.sig;
      if (d < 128) {
        part = u256{0, x.sig >> d};
        low = x.sig & ((u128{1} << d) - 1);
      }
      if (low != 0) t[kept++] = XTerm{x.neg, x.exp, low};
    }
    A = x.neg ? sub(A, part) : add(A, part);
  }
  n = kept;
}

/// The sign (-1, 0, 1) of the exact sum of t[0..n).
template <std::size_t Cap>
SOFTNUM_HOST_DEVICE constexpr int exact_sign(XTerm (&t)[Cap], int n) noexcept {
  while (n > 0) {
    u256 A{};
    int q = 0;
    window_step(t, n, A, q);
    const bool neg = negative256(A);
    const u256 mag = neg ? negate256(A) : A;
    const int bw = bit_width(mag);
    // The parts left below 2^q sum to less than n * 2^q <= 16 * 2^q: |A| >= 32 decides.
    if (n == 0 || bw >= 6) return bw == 0 ? 0 : (neg ? -1 : 1);
    if (bw > 0) t[n++] = XTerm{neg, q, mag.lo};  // small: fold back and look further down
  }
  return 0;
}

/// Exact sum of t[0..n) (at most Cap - 2 terms), or its round-to-odd image at 126 bits.
template <std::size_t Cap>
SOFTNUM_HOST_DEVICE constexpr Unpacked exact_sum(XTerm (&t)[Cap], int n) noexcept {
  while (n > 0) {
    u256 A{};
    int q = 0;
    window_step(t, n, A, q);
    const bool neg = negative256(A);
    const u256 mag = neg ? negate256(A) : A;
    const int bw = bit_width(mag);
    if (n == 0) {  // everything was in the window: exact
      if (bw == 0) return make_special(Kind::zero, false);
      const int sh = bw > 126 ? bw - 126 : 0;
      return Unpacked{Kind::finite, neg, q + sh, shift_right_jam(mag, sh).lo};
    }
    if (bw <= 128) {  // cancellation in the window: fold A back as a term and go on
      if (bw > 0) t[n++] = XTerm{neg, q, mag.lo};
      continue;
    }
    // |V| = H * 2^P + R with H the top 126 bits of |A|, P = q + m, and R = (|A| mod 2^m) 2^q
    // plus the parts below 2^q (each below 2^q, so -2^P < R < 2 * 2^P since m >= 3). The
    // signs of R and of R - 2^P place |V| in one of the intervals between H - 1 and H + 2.
    const int m = bw - 126;  // 3..115
    const u128 h = m >= 128 ? static_cast<u128>(mag.hi >> (m - 128))
                            : static_cast<u128>((mag.lo >> m) | (mag.hi << (128 - m)));
    const u128 rlow = mag.lo & ((u128{1} << m) - 1);  // m <= 115
    XTerm r[Cap + 2] = {};
    int nr = 0;
    // Terms of R * s, s = sign of V: the low bits of |A| count positive, the others flip.
    if (rlow != 0) r[nr++] = XTerm{false, q, rlow};
    for (int i = 0; i < n; ++i) r[nr++] = XTerm{t[i].neg != neg, t[i].exp, t[i].sig};
    XTerm r2[Cap + 2] = {};
    for (int i = 0; i < nr; ++i) r2[i] = r[i];
    const int s1 = exact_sign(r, nr);
    const int P = q + m;
    if (s1 == 0) return Unpacked{Kind::finite, neg, P, h};
    if (s1 < 0) return Unpacked{Kind::finite, neg, P, (h - 1) | 1};
    r2[nr] = XTerm{true, P, 1};  // R - 2^P
    const int s2 = exact_sign(r2, nr + 1);
    if (s2 < 0) return Unpacked{Kind::finite, neg, P, h | 1};
    if (s2 == 0) return Unpacked{Kind::finite, neg, P, h + 1};
    return Unpacked{Kind::finite, neg, P, (h + 1) | 1};
  }
  return make_special(Kind::zero, false);
}

/// The exact sum of components (any contents), or its round-to-odd image at 126 bits.
template <class T, std::size_t N>
SOFTNUM_HOST_DEVICE constexpr Unpacked unpack_components(const T (&x)[N]) noexcept {
  using B = expansion_base<T>;
  XTerm t[N + 2] = {};
  int n = 0;
  bool pos_inf = false, neg_inf = false, nan = false;
  for (std::size_t i = 0; i < N; ++i) {
    const Unpacked u = B::unpack(x[i]);
    if (u.kind == Kind::nan) nan = true;
    if (u.kind == Kind::inf) (u.sign ? neg_inf : pos_inf) = true;
    if (u.kind == Kind::finite) t[n++] = XTerm{u.sign, u.exp, u.sig};
  }
  if (nan || (pos_inf && neg_inf)) return make_special(Kind::nan, false);
  if (pos_inf || neg_inf) return make_special(Kind::inf, neg_inf);
  if (n == 0) return make_special(Kind::zero, B::unpack(x[0]).sign);  // the leading zero's sign
  return exact_sum(t, n);
}

/// a - b for finite nonzero a, b (a = value to split, b = its rounding), exact or round-to-odd.
SOFTNUM_HOST_DEVICE constexpr Unpacked sub_unpacked(const Unpacked& a, const Unpacked& b) noexcept {
  const Wide s =
      wide_add(Wide{a.sign, a.exp, u256{0, a.sig}}, Wide{!b.sign, b.exp, u256{0, b.sig}});
  if (is_zero(s.sig)) return make_special(Kind::zero, false);
  int shift = 0;
  const u128 sig = narrow_jam(s.sig, shift);
  return Unpacked{Kind::finite, s.sign, s.exp + shift, sig};
}

}  // namespace detail

namespace detail {

// Renormalisation (Joldes, Marty, Muller & Popescu 2016, CAMPARY): VecSum, a bottom-up TwoSum
// chain that is exact for any input and pushes the sum to the top, then VecSumErrBranch, a
// top-down sweep that emits a component only when the running error is nonzero and stops after
// N components (what is left is the truncation error). TwoSum instead of the paper's Fast2Sum in
// both sweeps keeps every step exact whatever the order of the terms (3 more operations per
// term, and no precondition to get wrong).
template <class T, std::size_t N, std::size_t M>
SOFTNUM_HOST_DEVICE constexpr void renormalize(T (&e)[M], T (&r)[N]) noexcept {
  constexpr int n_out = static_cast<int>(N), m_in = static_cast<int>(M);
  for (int i = m_in - 2; i >= 0; --i) {
    const Eft<T> s = two_sum(e[i], e[i + 1]);
    e[i] = s.value;
    e[i + 1] = s.error;
  }
  for (int i = 0; i < n_out; ++i) r[i] = T{};
  int j = 0;
  T eps = e[0];
  for (int i = 1; i < m_in; ++i) {
    const Eft<T> s = two_sum(eps, e[i]);
    if (s.error != T{}) {
      r[j] = s.value;
      if (++j == n_out) return;
      eps = s.error;
    } else {
      eps = s.value;
    }
  }
  r[j] = eps;
}

}  // namespace detail

/// The unevaluated sum x[0] + ... + x[N-1] of N values of T (format card above).
///
/// **Example**: `softnum::double_double a(1.0); a = a / 3.0;  // a.x[0] + a.x[1] ~ 1/3 to 2^-106`
template <class T, int N>
class Expansion {
  static_assert(
      ExpansionBase<T>,
      "softnum::Expansion: T must be float, double, or a softnum::Float whose rounding is "
      "Round::nearest_even with at least 1 fraction bit (error-free transformations need RN)");
  static_assert(N >= 2 && N <= 4, "softnum::Expansion: N (number of components) must be in [2, 4]");
  using B = detail::expansion_base<T>;
  static constexpr std::size_t size_n = static_cast<std::size_t>(N);

 public:
  using value_type = T;
  static constexpr int components = N;
  static constexpr int base_digits = B::p;  ///< precision p of T, hidden bit included
  static constexpr int digits = N * B::p;   ///< effective precision in bits (numeric_limits)

  /// Unit roundoff of T, u = 2^-p (unit_roundoff), and u^N (bound_unit), the unit of the
  /// bounds below.
  static constexpr double unit_roundoff = detail::pow2(-B::p);
  static constexpr double bound_unit = detail::pow2(-N * B::p);

  static constexpr double ur = unit_roundoff;  // shorthand for the bounds below
  // Relative error bounds (format card; docs/expansion.md has the table with sources). Valid for
  // round-to-nearest base arithmetic, results and operands in the full-precision range (+ and -:
  // any magnitude), no overflow.
  /// Expansion + Expansion (and -): N = 2 AccurateDWPlusDW, JMP 2017 Alg. 6: 3u^2 + 13u^3.
  static constexpr double add_error_bound =
      N == 2 ? 3 * ur * ur + 13 * ur * ur * ur : detail::pow2(N + 1) * bound_unit;
  /// Expansion + T: N = 2 DWPlusFP, JMP 2017 Alg. 4: 2u^2.
  static constexpr double add_fp_error_bound =
      N == 2 ? 2 * ur * ur : detail::pow2(N + 1) * bound_unit;
  /// Expansion * Expansion: N = 2 DWTimesDW3, JMP 2017 Alg. 12, bound 4u^2 for p >= 5 (MR 2022
  /// Thm 2.8; JMP's 5u^2 for smaller p, where no proof covers it: 6u^2 is what we check).
  static constexpr double mul_error_bound =
      N == 2 ? (B::p >= 5 ? 4 * ur * ur : 6 * ur * ur) : detail::pow2(N + 2) * bound_unit;
  /// Expansion * T: N = 2 DWTimesFP3, JMP 2017 Alg. 9: 2u^2.
  static constexpr double mul_fp_error_bound =
      N == 2 ? 2 * ur * ur : detail::pow2(N + 2) * bound_unit;
  /// Expansion / Expansion: N = 2 DWDivDW2, JMP 2017 Alg. 17: 15u^2 + 56u^3.
  static constexpr double div_error_bound =
      N == 2 ? 15 * ur * ur + 56 * ur * ur * ur : detail::pow2(N + 3) * bound_unit;
  /// Expansion / T: N = 2 DWDivFP3, JMP 2017 Alg. 15: 3u^2.
  static constexpr double div_fp_error_bound =
      N == 2 ? 3 * ur * ur : detail::pow2(N + 3) * bound_unit;
  /// sqrt: N = 2 SQRTDWtoDW, LLMPR 2023 Alg. 8: 25/8 ur^2.
  static constexpr double sqrt_error_bound =
      N == 2 ? 3.125 * ur * ur : detail::pow2(N + 3) * bound_unit;

  /// Exponent e of full_range_min() = 2^e: below it, * / sqrt lose low-order bits to underflow.
  static constexpr int full_range_min_exponent = B::emin + (N - 1) * B::p + 1;

  T x[static_cast<std::size_t>(N)] = {};  ///< components, most significant first

  constexpr Expansion() noexcept = default;

  /// From one value of T: exact, implicit (so `acc + t` and `acc = t` work).
  SOFTNUM_HOST_DEVICE constexpr Expansion(T v) noexcept
      : x{v} {}  // NOLINT(google-explicit-constructor)

  /// From components, renormalised (exact when the sum of the components fits in N
  /// non-overlapping components, e.g. when they are sorted by decreasing magnitude).
  template <class... Ts>
    requires(sizeof...(Ts) >= 1 && sizeof...(Ts) <= N - 1 && (std::same_as<Ts, T> && ...))
  SOFTNUM_HOST_DEVICE constexpr Expansion(T t0, Ts... ts) noexcept {
    T e[size_n] = {t0, ts...};
    if constexpr (N == 2) {
      const Eft<T> s = two_sum(e[0], e[1]);
      x[0] = s.value;
      x[1] = s.error;
      if (!detail::finite(x[0])) x[1] = T{};
    } else {
      detail::renormalize(e, x);
      if (!detail::finite(x[0])) {  // the sum overflows: T's plain sum says how
        T sum = t0;
        ((sum = sum + ts), ...);
        x[0] = sum;
        clear_low();
      }
    }
  }

  /// From any other type (softnum, native, other expansions): the nearest expansion to the exact
  /// value (greedy: round to T, subtract exactly, repeat). Exact values are kept exactly when
  /// they fit; wider ones are first rounded to odd at 126 bits (see detail::exact_sum).
  template <Convertible U>
    requires(!std::same_as<U, T> && !std::same_as<U, Expansion>)
  SOFTNUM_HOST_DEVICE explicit constexpr Expansion(const U& v) noexcept
      : Expansion(from_unpacked(detail::number_traits<U>::unpack(v), Round::nearest_even)) {}

  /// The expansion nearest to an exact (or round-to-odd) value: components 0..N-2 rounded to
  /// nearest, the last in `mode`.
  SOFTNUM_HOST_DEVICE static constexpr Expansion from_unpacked(const detail::Unpacked& u,
                                                               Round mode) noexcept {
    Expansion r;
    if (u.kind != detail::Kind::finite) {
      r.x[0] = B::from_unpacked(u, Round::nearest_even);
      return r;
    }
    detail::Unpacked rem = u;
    for (int i = 0; i < N; ++i) {
      const T c = B::from_unpacked(rem, i == N - 1 ? mode : Round::nearest_even);
      r.x[i] = c;
      if (!detail::finite(c)) return r;  // only the leading component can overflow
      const detail::Unpacked cu = B::unpack(c);
      if (cu.kind != detail::Kind::finite) break;  // rounded to zero: nothing left to represent
      rem = detail::sub_unpacked(rem, cu);
      if (rem.kind == detail::Kind::zero) break;
    }
    return r;
  }

  /// The exact sum of the components (round-to-odd at 126 bits when wider), for convert<>.
  SOFTNUM_HOST_DEVICE constexpr detail::Unpacked unpack() const noexcept {
    return detail::unpack_components(x);
  }

  SOFTNUM_HOST_DEVICE static constexpr int size() noexcept { return N; }
  SOFTNUM_HOST_DEVICE constexpr T operator[](int i) const noexcept { return x[i]; }

  /// The exact sum rounded once to T (N = 2: one addition, which is that rounding).
  SOFTNUM_HOST_DEVICE explicit constexpr operator T() const noexcept {
    if constexpr (N == 2) {
      return x[0] + x[1];
    } else {
      return B::from_unpacked(unpack(), Round::nearest_even);
    }
  }
  /// The exact sum rounded once to double / float (when T is neither).
  SOFTNUM_HOST_DEVICE explicit constexpr operator double() const noexcept
    requires(!std::same_as<T, double>)
  {
    return detail::unpacked_to_double(unpack());
  }
  SOFTNUM_HOST_DEVICE explicit constexpr operator float() const noexcept
    requires(!std::same_as<T, float>)
  {
    return detail::unpacked_to_float(unpack());
  }

  // Arithmetic -------------------------------------------------------------------------------
  SOFTNUM_HOST_DEVICE constexpr Expansion operator-() const noexcept {
    Expansion r;
    for (int i = 0; i < N; ++i) r.x[i] = -x[i];
    return r;
  }
  SOFTNUM_HOST_DEVICE constexpr Expansion operator+() const noexcept { return *this; }

  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator+(const Expansion& a,
                                                           const Expansion& b) noexcept {
    return add(a, b);
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator-(const Expansion& a,
                                                           const Expansion& b) noexcept {
    return add(a, -b);
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator+(const Expansion& a, T b) noexcept {
    return add_fp(a, b);
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator+(T a, const Expansion& b) noexcept {
    return add_fp(b, a);
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator-(const Expansion& a, T b) noexcept {
    return add_fp(a, -b);
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator-(T a, const Expansion& b) noexcept {
    return add_fp(-b, a);
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator*(const Expansion& a,
                                                           const Expansion& b) noexcept {
    return mul(a, b);
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator*(const Expansion& a, T b) noexcept {
    return mul_fp(a, b);
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator*(T a, const Expansion& b) noexcept {
    return mul_fp(b, a);
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator/(const Expansion& a,
                                                           const Expansion& b) noexcept {
    return quotient(a, b);
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator/(const Expansion& a, T b) noexcept {
    if (tiny(a.x[0])) return quotient(a, Expansion(b));  // rare: rescaled, see quotient
    const Expansion r = div_fp(a, b);
    if (!detail::finite(r.x[0])) return retry_near_overflow(r, a, Expansion(b));
    return r;
  }
  SOFTNUM_HOST_DEVICE friend constexpr Expansion operator/(T a, const Expansion& b) noexcept {
    return quotient(Expansion(a), b);
  }
  SOFTNUM_HOST_DEVICE constexpr Expansion& operator+=(const Expansion& b) noexcept {
    return *this = add(*this, b);
  }
  SOFTNUM_HOST_DEVICE constexpr Expansion& operator-=(const Expansion& b) noexcept {
    return *this = add(*this, -b);
  }
  SOFTNUM_HOST_DEVICE constexpr Expansion& operator*=(const Expansion& b) noexcept {
    return *this = mul(*this, b);
  }
  SOFTNUM_HOST_DEVICE constexpr Expansion& operator/=(const Expansion& b) noexcept {
    return *this = *this / b;
  }
  SOFTNUM_HOST_DEVICE constexpr Expansion& operator+=(T b) noexcept {
    return *this = add_fp(*this, b);
  }
  SOFTNUM_HOST_DEVICE constexpr Expansion& operator-=(T b) noexcept {
    return *this = add_fp(*this, -b);
  }
  SOFTNUM_HOST_DEVICE constexpr Expansion& operator*=(T b) noexcept {
    return *this = mul_fp(*this, b);
  }
  SOFTNUM_HOST_DEVICE constexpr Expansion& operator/=(T b) noexcept { return *this = *this / b; }

  /// Square root (found by ADL). sqrt of a negative value is NaN, of -0 is -0.
  SOFTNUM_HOST_DEVICE friend constexpr Expansion sqrt(const Expansion& a) noexcept {
    // N > 2 always works near 1: its Newton iteration squares 1/sqrt(a), whose low components
    // would underflow for large a.
    if ((N > 2 || tiny(a.x[0])) && detail::less(T{}, a.x[0]) && detail::finite(a.x[0])) {
      // Rare: below 2^(emin + N p) the remainder a - s^2 underflows and the correction would be
      // worse than T's own square root. sqrt(a 2^2k) 2^-k is the same value, computed where
      // nothing underflows; scaling back rounds only components that are subnormal anyway.
      const int k = -(exponent(a.x[0]) / 2);
      return scaled(root(scaled(a, 2 * k)), -k);
    }
    return root(a);
  }

  // Comparisons: by the exact values; NaN is unordered. N = 2: lexicographic on normalised
  // components (x[0] = RN(value) is monotone in the value); N > 2: the sign of the difference.
  SOFTNUM_HOST_DEVICE friend constexpr bool operator==(const Expansion& a,
                                                       const Expansion& b) noexcept {
    if constexpr (N == 2) {
      return a.x[0] == b.x[0] && a.x[1] == b.x[1];
    } else {
      return (a - b).x[0] == T{};
    }
  }
  SOFTNUM_HOST_DEVICE friend constexpr std::partial_ordering operator<=>(
      const Expansion& a, const Expansion& b) noexcept {
    if constexpr (N == 2) {
      if (a.x[0] == b.x[0]) return a.x[1] <=> b.x[1];
      return a.x[0] <=> b.x[0];
    } else {
      const T d = (a - b).x[0];
      return d <=> T{};
    }
  }

 private:
  /// What T's arithmetic makes of a positive overflow: +inf, NaN or its largest value.
  SOFTNUM_HOST_DEVICE static constexpr T make_overflow() noexcept {
    if constexpr (std::is_floating_point_v<T>) {
      // GCC does not fold max + max in constexpr; numeric_limits is host-only under nvcc.
      return std::is_same_v<T, double> ? static_cast<T>(__builtin_huge_val())
                                       : static_cast<T>(__builtin_huge_valf());
    } else {
      const T big = T::from_bits(T::codec::max_bits);
      return big + big;
    }
  }
  static constexpr T overflow_value = make_overflow();
  /// 2^e in T (emin - p < e <= emax).
  SOFTNUM_HOST_DEVICE static constexpr T pow2(int e) noexcept {
    return B::from_unpacked(detail::Unpacked{detail::Kind::finite, false, e, 1},
                            Round::nearest_even);
  }
  /// Below this magnitude / and sqrt rescale their operands (and * loses low bits).
  static constexpr T tiny_limit = pow2(B::emin + N * B::p < B::emax ? B::emin + N * B::p : B::emax);
  SOFTNUM_HOST_DEVICE static constexpr bool tiny(T v) noexcept {
    return detail::less(detail::component_magnitude(v), tiny_limit) && v != T{};
  }
  /// Exponent of the leading bit of a finite nonzero v.
  SOFTNUM_HOST_DEVICE static constexpr int exponent(T v) noexcept {
    const detail::Unpacked w = B::unpack(v);
    return w.exp + detail::bit_width(w.sig) - 1;
  }
  /// a * 2^k, component by component, in steps T can represent.
  SOFTNUM_HOST_DEVICE static constexpr Expansion scaled(Expansion a, int k) noexcept {
    constexpr int step = B::emax - 1 < 1 - B::emin ? B::emax - 1 : 1 - B::emin;
    while (k != 0) {
      const int s = k > step ? step : (k < -step ? -step : k);
      const T f = pow2(s);
      for (int i = 0; i < N; ++i) a.x[i] = a.x[i] * f;
      k -= s;
    }
    return a;
  }
  /// a / b; a dividend below tiny_limit is first scaled up together with b (the quotient is the
  /// same): otherwise the remainder a - q b underflows and the correction can be worse than T's
  /// own quotient.
  SOFTNUM_HOST_DEVICE static constexpr Expansion quotient(const Expansion& a,
                                                          const Expansion& b) noexcept {
    if (tiny(a.x[0]) && detail::finite(b.x[0]) && b.x[0] != T{}) {
      int k = -exponent(a.x[0]);
      const int room = B::emax - 2 - exponent(b.x[0]);  // keep b finite
      k = k < room ? k : room;
      if (k > 0) return div(scaled(a, k), scaled(b, k));
    }
    const Expansion r = div(a, b);
    if (!detail::finite(r.x[0])) return retry_near_overflow(r, a, b);
    return r;
  }
  /// A dividend within a few ulps of overflow makes q b overflow although q is finite: divide
  /// a / 4 by b / 4 instead (rare; b / 4 is exact unless b is tiny, and then q overflows anyway).
  SOFTNUM_HOST_DEVICE static constexpr Expansion retry_near_overflow(const Expansion& r,
                                                                     const Expansion& a,
                                                                     const Expansion& b) noexcept {
    if (!detail::finite(a.x[0]) || !detail::finite(b.x[0]) || b.x[0] == T{} ||
        exponent(a.x[0]) < B::emax - 1) {
      return r;
    }
    return div(scaled(a, -2), scaled(b, -2));
  }

  SOFTNUM_HOST_DEVICE constexpr void clear_low() noexcept {
    for (int i = 1; i < N; ++i) x[i] = T{};
  }

  /// A result whose leading component s is not a nonzero finite number: what T's arithmetic
  /// gives for the leading components (`lead`: their plain sum, product, ...), zeros below.
  SOFTNUM_HOST_DEVICE static constexpr bool special(T s) noexcept {
    return !(detail::finite(s) && s != T{});
  }
  SOFTNUM_HOST_DEVICE static constexpr Expansion lead_only(T lead, T computed) noexcept {
    if (!detail::finite(lead) || (lead == T{} && computed == computed)) return Expansion(lead);
    if (lead == T{}) return Expansion(computed);  // cancelling heads, overflow below: NaN
    // A finite leading result: the result overflowed in a later step (or is an exact zero).
    // Overflow may have met an infinity of the other sign on the way (NaN): overflow as T does.
    if (!(computed == computed))
      return Expansion(detail::less(lead, T{}) ? -overflow_value : overflow_value);
    return Expansion(computed);
  }

  /// The result z of an N = 2 algorithm, or, when its leading word is not a nonzero finite
  /// number, lead_only(lead, z.value), written with selects only, so that loops over arrays of
  /// expansions vectorise.
  SOFTNUM_HOST_DEVICE static constexpr Expansion settle(T lead, const Eft<T>& z) noexcept {
    // Every comparison is evaluated unconditionally: a conditional (possibly trapping) FP
    // comparison is control flow that keeps compilers from vectorising the caller's loop.
    const T c = z.value;
    const bool lead_negative = detail::less(lead, T{});
    const bool c_nan = !(c == c);
    const bool lead_finite = lead - lead == T{};
    const bool c_finite = c - c == T{};
    const T overflow = lead_negative ? -overflow_value : overflow_value;
    T r0 = c_nan ? overflow : c;   // NaN from a finite lead: an overflow met an opposite inf
    r0 = lead_finite ? r0 : lead;  // inf / NaN leading result: as T's own operation gives it
    Expansion r;
    // Zeros take the sign T's own operation gives (r0 == lead otherwise means the same value).
    r.x[0] = r0 == lead ? lead : r0;
    r.x[1] = c_finite ? z.error : T{};  // nothing below an infinity or a NaN
    return r;
  }

  // N = 2: the double-word algorithms (JMP 2017). --------------------------------------------
  SOFTNUM_HOST_DEVICE static constexpr Expansion add(const Expansion& a,
                                                     const Expansion& b) noexcept {
    if constexpr (N == 2) {
      // AccurateDWPlusDW (JMP Alg. 6): 2 TwoSum, 2 Fast2Sum, 2 additions (20 operations).
      const Eft<T> s = two_sum(a.x[0], b.x[0]);
      const Eft<T> t = two_sum(a.x[1], b.x[1]);
      const Eft<T> v = fast_two_sum(s.value, s.error + t.value);
      const Eft<T> z = fast_two_sum(v.value, t.error + v.error);
      return settle(s.value, z);
    } else {
      // Merge by decreasing magnitude (both are sorted), then renormalise.
      T e[2 * size_n] = {};
      int i = 0, j = 0;
      for (int k = 0; k < 2 * N; ++k) {
        const bool take_a =
            j == N || (i < N && !detail::less(detail::component_magnitude(a.x[i]),
                                              detail::component_magnitude(b.x[j])));
        e[k] = take_a ? a.x[i++] : b.x[j++];
      }
      const Expansion r = finish(e, a.x[0] + b.x[0], true);
      // Operands near T's largest value can overflow a partial sum of the renormalisation
      // although the sum is finite: add a / 4 and b / 4 instead (exact), and scale back.
      if (!detail::finite(r.x[0]) && detail::finite(a.x[0]) && detail::finite(b.x[0]) &&
          ((a.x[0] != T{} && exponent(a.x[0]) >= B::emax - 1) ||
           (b.x[0] != T{} && exponent(b.x[0]) >= B::emax - 1))) {
        return scaled(add(scaled(a, -2), scaled(b, -2)), 2);
      }
      return r;
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr Expansion add_fp(const Expansion& a, T b) noexcept {
    if constexpr (N == 2) {
      // DWPlusFP (JMP Alg. 4): TwoSum, one addition, Fast2Sum (10 operations).
      const Eft<T> s = two_sum(a.x[0], b);
      const Eft<T> z = fast_two_sum(s.value, a.x[1] + s.error);
      return settle(s.value, z);
    } else {
      T e[size_n + 1] = {};
      int i = 0;
      bool placed = false;
      for (int k = 0; k < N + 1; ++k) {
        const bool take_b =
            !placed && (i == N || !detail::less(detail::component_magnitude(b),
                                                detail::component_magnitude(a.x[i])));
        if (take_b) {
          e[k] = b;
          placed = true;
        } else {
          e[k] = a.x[i++];
        }
      }
      return finish(e, a.x[0] + b, true);
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr Expansion mul(const Expansion& a,
                                                     const Expansion& b) noexcept {
    if constexpr (N == 2) {
      // DWTimesDW3 (JMP Alg. 12): TwoProd, 3 fma-based cross terms, Fast2Sum.
      const Eft<T> c = two_prod(a.x[0], b.x[0]);
      const T tl0 = a.x[1] * b.x[1];
      const T tl1 = B::fma(a.x[0], b.x[1], tl0);
      const T cl2 = B::fma(a.x[1], b.x[0], tl1);
      const Eft<T> z = fast_two_sum(c.value, c.error + cl2);
      return settle(c.value, z);
    } else {
      // Partial products by order k = i + j: exact (TwoProd) for k < N, plain for k = N, the
      // rest dropped; listed by order, then renormalised.
      constexpr std::size_t M = size_n * (size_n + 1) + (size_n - 1);
      T e[M] = {};
      int n = 0;
      T err[size_n + 1] = {};  // errors of the order k-1 products, carried into group k
      int ne = 0;
      for (int k = 0; k <= N; ++k) {
        T next[size_n + 1] = {};
        int nn = 0;
        for (int i = 0; i < ne; ++i) e[n++] = err[i];
        for (int i = 0; i <= k; ++i) {
          const int j = k - i;
          if (i >= N || j >= N) continue;
          if (k < N) {
            const Eft<T> p = two_prod(a.x[i], b.x[j]);
            e[n++] = p.value;
            next[nn++] = p.error;
          } else {
            e[n++] = a.x[i] * b.x[j];
          }
        }
        for (int i = 0; i < nn; ++i) err[i] = next[i];
        ne = nn;
      }
      return finish(e, a.x[0] * b.x[0]);
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr Expansion mul_fp(const Expansion& a, T b) noexcept {
    if constexpr (N == 2) {
      // DWTimesFP3 (JMP Alg. 9): TwoProd, one fma, Fast2Sum.
      const Eft<T> c = two_prod(a.x[0], b);
      const T cl3 = B::fma(a.x[1], b, c.error);
      const Eft<T> z = fast_two_sum(c.value, cl3);
      return settle(c.value, z);
    } else {
      T e[2 * size_n] = {};
      for (int i = 0; i < N; ++i) {
        const Eft<T> p = two_prod(a.x[i], b);
        e[2 * i] = p.value;
        e[2 * i + 1] = p.error;
      }
      return finish(e, a.x[0] * b);
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr Expansion div(const Expansion& a,
                                                     const Expansion& b) noexcept {
    if constexpr (N == 2) {
      // DWDivDW2 (JMP Alg. 17): th = xh/yh; r = DWTimesFP1(y, th); the remainder, exactly
      // enough, divided once more.
      const T th = a.x[0] / b.x[0];
      if (special(th)) return Expansion(th);
      const Eft<T> c = two_prod(b.x[0], th);  // DWTimesFP1 (JMP Alg. 7)
      const T cl2 = b.x[1] * th;
      const Eft<T> t = fast_two_sum(c.value, cl2);
      const Eft<T> r = fast_two_sum(t.value, t.error + c.error);
      const T pi_h = a.x[0] - r.value;
      const T delta_l = a.x[1] - r.error;
      const T delta = pi_h + delta_l;
      const T tl = delta / b.x[0];
      const Eft<T> z = fast_two_sum(th, tl);
      return settle(th, z);
    } else {
      // Long division (as QD): N + 1 quotient digits q_k = RN(r_0 / b_0), r -= q_k b.
      const T q0 = a.x[0] / b.x[0];
      if (special(q0)) return Expansion(q0);
      T q[size_n + 1] = {q0};
      Expansion rem = add(a, -mul_fp(b, q0));
      for (int k = 1; k <= N; ++k) {
        // q b overflowing near T's largest value: report it; operator/ retries scaled down.
        if (!detail::finite(rem.x[0])) return Expansion(rem.x[0] - rem.x[0]);
        q[k] = rem.x[0] / b.x[0];
        if (k < N) rem = add(rem, -mul_fp(b, q[k]));
      }
      return finish(q, q0);
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr Expansion div_fp(const Expansion& a, T b) noexcept {
    if constexpr (N == 2) {
      // DWDivFP3 (JMP Alg. 15): the remainder a - th*b from one fma, divided once more.
      const T th = a.x[0] / b;
      if (special(th)) return Expansion(th);
      const T pi_h = th * b;
      const T pi_l = B::fma(th, b, -pi_h);
      const T delta_h = a.x[0] - pi_h;
      const T delta_t = delta_h - pi_l;
      const T delta = delta_t + a.x[1];
      const T tl = delta / b;
      const Eft<T> z = fast_two_sum(th, tl);
      return settle(th, z);
    } else {
      const T q0 = a.x[0] / b;
      if (special(q0)) return Expansion(q0);
      T q[size_n + 1] = {q0};
      Expansion rem = add(a, -of(two_prod(q0, b)));
      for (int k = 1; k <= N; ++k) {
        if (!detail::finite(rem.x[0])) return Expansion(rem.x[0] - rem.x[0]);
        q[k] = rem.x[0] / b;
        if (k < N) rem = add(rem, -of(two_prod(q[k], b)));
      }
      return finish(q, q0);
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr Expansion root(const Expansion& a) noexcept {
    const T s0 = B::sqrt(a.x[0]);
    if (!detail::less(T{}, a.x[0]) || !detail::finite(a.x[0]))
      return Expansion(s0);  // 0, -0, <0, inf, NaN
    if constexpr (N == 2) {
      // SQRTDWtoDW (LLMPR 2023 Alg. 8): one Newton correction of the root of the high word.
      const T rho1 = B::fma(-s0, s0, a.x[0]);  // exact
      const T rho2 = a.x[1] + rho1;
      const T sl = rho2 / (s0 + s0);
      const Eft<T> z = fast_two_sum(s0, sl);
      return settle(s0, z);
    } else {
      // Newton for 1/sqrt (no division): r += r (1/2 - (a/2) r^2), precision p -> 2p -> 4p,
      // then s = a r and one Karp-Markstein correction s += r (a - s^2) / 2.
      const T half = T(0.5);
      const Expansion h = mul_fp(a, half);
      Expansion r(T(1) / s0);
      constexpr int iterations = 3;
      for (int k = 0; k < iterations; ++k) {
        const Expansion rr = mul(r, r);
        r = add(r, mul(r, add_fp(-mul(h, rr), half)));
      }
      Expansion s = mul(a, r);
      s = add(s, mul_fp(mul(r, add(a, -mul(s, s))), half));
      return s;
    }
  }

  SOFTNUM_HOST_DEVICE static constexpr Expansion of(const Eft<T>& z) noexcept { return pair(z); }
  SOFTNUM_HOST_DEVICE static constexpr Expansion pair(const Eft<T>& z) noexcept {
    Expansion r;
    r.x[0] = z.value;
    r.x[1] = z.error;
    return r;
  }

  /// Renormalises the terms of an N >= 3 result; `lead` is T's plain result of the leading
  /// components, used when the result is not a nonzero finite number.
  template <std::size_t M>
  SOFTNUM_HOST_DEVICE static constexpr Expansion finish(T (&e)[M], T lead,
                                                        bool sorted = false) noexcept {
    if (!sorted) {
      // Partial products listed by order are sorted only while the inputs' components are
      // evenly spaced; with gaps (x = 1 + 2^-200) a low-order term can exceed a higher-order
      // one, and the truncating renormalisation must see the large terms first.
      for (int i = 1; i < static_cast<int>(M); ++i) {
        const T v = e[i];
        const T m = detail::component_magnitude(v);
        int j = i - 1;
        for (; j >= 0 && detail::less(detail::component_magnitude(e[j]), m); --j) e[j + 1] = e[j];
        e[j + 1] = v;
      }
    }
    Expansion r;
    detail::renormalize(e, r.x);
    if (special(r.x[0])) return lead_only(lead, r.x[0]);
    return r;
  }
};

/// Twice (double_double, ~106 bits) and four times (quad_double, ~212 bits) double precision.
using double_double = Expansion<double, 2>;
using quad_double = Expansion<double, 4>;

template <class T, int N>
SOFTNUM_HOST_DEVICE constexpr Expansion<T, N> abs(const Expansion<T, N>& a) noexcept {
  return detail::less(a.x[0], T{}) ? -a : a;
}
template <class T, int N>
SOFTNUM_HOST_DEVICE constexpr bool isnan(const Expansion<T, N>& a) noexcept {
  return !(a.x[0] == a.x[0]);
}
template <class T, int N>
SOFTNUM_HOST_DEVICE constexpr bool isinf(const Expansion<T, N>& a) noexcept {
  return a.x[0] == a.x[0] && !detail::finite(a.x[0]);
}
template <class T, int N>
SOFTNUM_HOST_DEVICE constexpr bool isfinite(const Expansion<T, N>& a) noexcept {
  return detail::finite(a.x[0]);
}
template <class T, int N>
SOFTNUM_HOST_DEVICE constexpr bool signbit(const Expansion<T, N>& a) noexcept {
  if constexpr (std::same_as<T, double> || std::same_as<T, float>) {
    return detail::bit_cast<typename detail::expansion_base<T>::bits_type>(a.x[0]) >>
               (sizeof(T) * 8 - 1) !=
           0;
  } else {
    return softnum::signbit(a.x[0]);
  }
}

namespace detail {

template <class T>
struct is_expansion : std::false_type {};
template <class T, int N>
struct is_expansion<Expansion<T, N>> : std::true_type {};

/// convert<To>(expansion) rounds the exact sum once; convert<Expansion>(v) is the nearest
/// expansion (from_unpacked).
template <class T, int N>
struct number_traits<Expansion<T, N>> {
  static constexpr Round default_round = Round::nearest_even;
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(const Expansion<T, N>& x) noexcept {
    return x.unpack();
  }
  SOFTNUM_HOST_DEVICE static constexpr Expansion<T, N> pack(const Unpacked& u, Round mode,
                                                            std::uint32_t) noexcept {
    return Expansion<T, N>::from_unpacked(u,
                                          mode == Round::stochastic ? Round::nearest_even : mode);
  }
};

}  // namespace detail

/// Any Expansion<...> type.
template <class T>
concept ExpansionFormat = detail::is_expansion<T>::value;

}  // namespace softnum

// numeric_limits ---------------------------------------------------------------------------------
// digits = N * p (the precision of the bounds: u^N = 2^-digits); epsilon = 2^(1 - digits) (or
// T's smallest subnormal where that is not representable). min() is full_range_min(), the
// smallest magnitude at which * / sqrt keep their bounds; denorm_min the smallest component.
// max() is the largest normalised expansion: T's largest value and, below it, the largest
// components that do not round it up. digits10/max_digits10 follow digits; an expansion whose
// components are far apart (1 + 2^-500) needs more digits to be written exactly.
template <class T, int N>
class std::numeric_limits<softnum::Expansion<T, N>>
    : public softnum::detail::numeric_limits_common {
  using E = softnum::Expansion<T, N>;
  using TL = std::numeric_limits<T>;
  using B = softnum::detail::expansion_base<T>;
  static constexpr T pow2(int e) noexcept {
    return B::from_unpacked(softnum::detail::Unpacked{softnum::detail::Kind::finite, false, e, 1},
                            softnum::Round::nearest_even);
  }

 public:
  // is_specialized, is_integer, radix, ...: softnum::detail::numeric_limits_common.
  static constexpr bool is_signed = true;
  static constexpr bool is_exact = false;
  static constexpr bool has_infinity = TL::has_infinity;
  static constexpr bool has_quiet_NaN = TL::has_quiet_NaN;
  static constexpr std::float_denorm_style has_denorm = TL::has_denorm;
  static constexpr std::float_round_style round_style = std::round_to_nearest;
  static constexpr bool is_iec559 = false;
  static constexpr bool is_modulo = false;
  static constexpr int digits = E::digits;
  static constexpr int digits10 = (digits - 1) * 30103 / 100000;
  static constexpr int max_digits10 = digits * 30103 / 100000 + 2;
  static constexpr int min_exponent = E::full_range_min_exponent + 1;
  static constexpr int min_exponent10 =
      TL::min_exponent10 + ((N - 1) * B::p + 1) * 30103 / 100000 + 1;
  static constexpr int max_exponent = TL::max_exponent;
  static constexpr int max_exponent10 = TL::max_exponent10;

  static constexpr E min() noexcept { return E(pow2(E::full_range_min_exponent)); }
  static constexpr E max() noexcept {
    // x[i] = largest value below ulp(x[i-1]) / 2: (2^p - 1) 2^(k - p) for ulp/2 = 2^k, rounded
    // toward zero where T cannot hold it (low-precision bases).
    E r;
    r.x[0] = TL::max();
    for (int i = 1; i < N; ++i) {
      const softnum::detail::Unpacked prev = B::unpack(r.x[i - 1]);
      if (prev.kind != softnum::detail::Kind::finite) break;
      const int msb = prev.exp + softnum::detail::bit_width(prev.sig) - 1;
      const int k = msb - B::p;  // ulp(prev) / 2 = 2^(msb - p + 1 - 1)
      const softnum::detail::Unpacked v{softnum::detail::Kind::finite, false, k - B::p,
                                        (softnum::detail::u128{1} << B::p) - 1};
      r.x[i] = B::from_unpacked(v, softnum::Round::toward_zero);
    }
    return r;
  }
  static constexpr E lowest() noexcept { return -max(); }
  static constexpr E epsilon() noexcept {
    const T e = pow2(1 - digits);
    return E(e == T{} ? TL::denorm_min() : e);
  }
  static constexpr E round_error() noexcept { return E(pow2(-1)); }
  static constexpr E infinity() noexcept { return E(TL::infinity()); }
  static constexpr E quiet_NaN() noexcept { return E(TL::quiet_NaN()); }
  static constexpr E signaling_NaN() noexcept { return quiet_NaN(); }
  static constexpr E denorm_min() noexcept { return E(TL::denorm_min()); }
};
