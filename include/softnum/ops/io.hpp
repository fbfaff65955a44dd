// softnum/ops/io.hpp - streams, to_string and from_string for every softnum number type.
// SPDX-License-Identifier: MIT
//
// The only softnum header that includes <ostream>, <istream> or <string>. The conversions
// themselves (heap-free, usable in firmware) are in ops/decimal.hpp: softnum::to_chars and
// softnum::from_string; this header wraps them in std::string and stream operators. Everything
// is generic over detail::IoNumber (any type with number_traits, native types excluded), so new
// formats print and parse as soon as they specialise number_traits.
#pragma once

#include <softnum/core/convert.hpp>
#include <softnum/ops/decimal.hpp>
#include <softnum/types/expansion.hpp>

#include <cstddef>      // std::size_t
#include <istream>      // std::istream, std::istream::sentry
#include <locale>       // std::ctype, std::use_facet
#include <ostream>      // std::ostream
#include <string>       // std::string
#include <string_view>  // std::string_view

namespace softnum {

/// The shortest decimal that reads back as exactly x (see to_chars): "0.1", "1e+22", "-0",
/// "inf", "nan". For binary32/binary64 the text is byte-identical to std::to_chars.
///
/// **Example**: `softnum::to_string(softnum::float4_e2m1fn(6.0)) == "6"`
template <detail::IoNumber T>
std::string to_string(T x) {
  char buf[shortest_chars_max];
  const ToCharsResult r = to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ok ? r.ptr : buf);
}

/// x correctly rounded (nearest-even) to `significant_digits` significant digits (at least 1),
/// as printf's "%#.{n}g" without a trailing point: "3.14", "1.000e+10", "0.0001000". Trailing
/// zeros are kept, so columns of a table line up. Any n gives exact digits.
///
/// **Example**: `softnum::to_string(softnum::binary16(0.1), 12) == "0.0999755859375"`
template <detail::IoNumber T>
std::string to_string(T x, int significant_digits) {
  const int n = significant_digits < 1 ? 1 : significant_digits;
  // Digits, sign, point, "0.0000" or an exponent of at most 7 characters.
  std::string s(static_cast<std::size_t>(n) + 24, '\0');
  const ToCharsResult r = to_chars(s.data(), s.data() + s.size(), x, n);
  s.resize(r.ok ? static_cast<std::size_t>(r.ptr - s.data()) : 0);
  return s;
}

/// Writes to_string(x). The stream's width and fill apply to the whole text; precision and
/// floatfield flags are ignored (use to_string(x, n) for a fixed number of digits).
template <detail::IoNumber T>
std::ostream& operator<<(std::ostream& os, T x) {
  char buf[shortest_chars_max];
  const ToCharsResult r = to_chars(buf, buf + sizeof buf, x);
  return os << std::string_view(buf, static_cast<std::size_t>((r.ok ? r.ptr : buf) - buf));
}

/// Reads one whitespace-delimited token (leading whitespace skipped as for any >>) and parses
/// it with from_string<T>. On any error, including trailing characters in the token, sets
/// failbit and leaves x unchanged.
template <detail::IoNumber T>
std::istream& operator>>(std::istream& is, T& x) {
  const std::istream::sentry sentry(is);
  if (!sentry) return is;
  std::string token;
  using traits = std::istream::traits_type;
  const auto& ctype = std::use_facet<std::ctype<char>>(is.getloc());
  for (traits::int_type c = is.rdbuf()->sgetc();; c = is.rdbuf()->snextc()) {
    if (traits::eq_int_type(c, traits::eof())) {
      is.setstate(std::ios_base::eofbit);
      break;
    }
    const char ch = traits::to_char_type(c);
    if (ctype.is(std::ctype_base::space, ch)) break;
    token.push_back(ch);
  }
  const ParseResult<T> r = from_string<T>(token);
  if (r.ok()) {
    x = r.value;
  } else {
    is.setstate(std::ios_base::failbit);
  }
  return is;
}

// Expansions ------------------------------------------------------------------------------------
// An expansion's exact value can span thousands of bits (1 + 2^-900), more than the 126-bit
// image that number_traits gives, so printing sums the components exactly in a big integer
// and prints numeric_limits::max_digits10 significant digits (or any number asked for) of that
// exact sum, correctly rounded (nearest-even). Parsing goes through the library's correctly
// rounded parser at 126 bits and the nearest (greedy) expansion of that: exact for expansions
// of at most 122 bits (double_double, every N = 2 over <= 61-bit bases); quad_double reads
// about 37 significant digits exactly, the rest rounded.
namespace detail {

/// Bits of the big integers that hold an expansion's exact value times 10^-j.
template <class T, int N>
constexpr int expansion_print_limbs() noexcept {
  using B = expansion_base<T>;
  const int span = B::emax + 1 - (B::emin - B::p + 1) + 130;  // all components, exactly
  const int tiny = B::p - B::emin + 60;                       // -exponent of the smallest bit
  return (span + 2322 * (tiny + 400) / 1000 + 3 * (B::emax + 400) + 400) / 32 + 8;
}

template <int L>
constexpr void big_add(BigUint<L>& a, const BigUint<L>& b) noexcept {
  std::uint64_t carry = 0;
  const int n = a.n > b.n ? a.n : b.n;
  for (int i = 0; i < n; ++i) {
    const std::uint64_t t =
        static_cast<std::uint64_t>(i < a.n ? a.d[i] : 0u) + (i < b.n ? b.d[i] : 0u) + carry;
    a.d[i] = static_cast<std::uint32_t>(t);
    carry = t >> 32;
  }
  a.n = n;
  if (carry != 0) a.push(static_cast<std::uint32_t>(carry));
}
template <int L>
constexpr void big_sub(BigUint<L>& a, const BigUint<L>& b) noexcept {  // a >= b
  std::int64_t borrow = 0;
  for (int i = 0; i < a.n; ++i) {
    std::int64_t t = static_cast<std::int64_t>(a.d[i]) - (i < b.n ? b.d[i] : 0) - borrow;
    borrow = t < 0 ? 1 : 0;
    if (t < 0) t += std::int64_t{1} << 32;
    a.d[i] = static_cast<std::uint32_t>(t);
  }
  a.trim();
}

/// The exact value of x rounded to n significant decimal digits: sign, digits, and the
/// exponent j of the last digit. False for zero, inf, NaN (handled by the caller).
template <class T, int N>
bool expansion_digits(const Expansion<T, N>& x, int n, bool& negative, std::string& digits,
                      std::int64_t& j) {
  constexpr int L = expansion_print_limbs<T, N>();
  using B = expansion_base<T>;
  Unpacked c[static_cast<std::size_t>(N)];
  int e_min = 0, count = 0;
  for (int i = 0; i < N; ++i) {
    c[i] = B::unpack(x.x[i]);
    if (c[i].kind != Kind::finite) continue;
    e_min = count++ == 0 || c[i].exp < e_min ? c[i].exp : e_min;
  }
  if (count == 0) return false;
  BigUint<L> pos, neg, t;
  for (int i = 0; i < N; ++i) {
    if (c[i].kind != Kind::finite) continue;
    t.assign(c[i].sig);
    t.shift_left(c[i].exp - e_min);
    big_add(c[i].sign ? neg : pos, t);
  }
  const int cmp = compare(pos, neg);
  if (cmp == 0) return false;
  BigUint<L>& num = cmp > 0 ? pos : neg;
  big_sub(num, cmp > 0 ? neg : pos);
  negative = cmp < 0;
  // value = num * 2^e_min; digits: num * 2^(e_min) / 10^j with j = e0 - n + 1.
  const std::int64_t e0 = floor_log10_pow2(e_min + num.bit_length() - 1);
  j = e0 - n + 1;
  BigUint<L> den, quot;
  den.assign(1);
  const std::int64_t a2 = e_min - j;
  if (j > 0) den.mul_pow5(j);
  if (j < 0) num.mul_pow5(-j);
  if (a2 > 0) num.shift_left(a2);
  if (a2 < 0) den.shift_left(-a2);
  divide(num, den, quot);
  if (num.overflow || den.overflow || quot.overflow) return false;
  int half = 0;  // remainder vs half: -1 below, 0 exact half, 1 above; 2 = zero
  if (num.is_zero()) {
    half = 2;
  } else {
    num.shift_left(1);
    const int h = compare(num, den);
    half = h < 0 ? -1 : (h == 0 ? 0 : 1);
  }
  std::string d(static_cast<std::size_t>(n) + 2, '0');
  int nd = big_to_digits(quot, d.data(), n + 1);
  d.resize(static_cast<std::size_t>(nd));
  if (nd > n) {  // e0 was one too small: fold the extra digit into the rounding
    const char last = d.back();
    d.pop_back();
    ++j;
    --nd;
    const bool rest = half != 2;
    if (last > '5' || (last == '5' && rest))
      half = 1;
    else if (last == '5')
      half = 0;
    else
      half = (last == '0' && !rest) ? 2 : -1;
  }
  if (half == 1 || (half == 0 && ((d.back() - '0') & 1) != 0)) {
    int i = nd - 1;
    while (i >= 0 && d[static_cast<std::size_t>(i)] == '9') d[static_cast<std::size_t>(i--)] = '0';
    if (i >= 0) {
      ++d[static_cast<std::size_t>(i)];
    } else {
      d.insert(d.begin(), '1');
      d.pop_back();
      ++j;
    }
  }
  digits = d;
  return true;
}

}  // namespace detail

/// x's exact value correctly rounded to `significant_digits` significant digits, in the style of
/// to_string(T, int) ("%#.{n}g" without a trailing point).
template <class T, int N>
std::string to_string(const Expansion<T, N>& x, int significant_digits) {
  const int n = significant_digits < 1 ? 1 : significant_digits;
  const detail::Unpacked lead = detail::expansion_base<T>::unpack(x.x[0]);
  if (lead.kind == detail::Kind::nan) return "nan";
  if (lead.kind == detail::Kind::inf) return lead.sign ? "-inf" : "inf";
  bool negative = false;
  std::string digits;
  std::int64_t j = 0;
  if (!detail::expansion_digits(x, n, negative, digits, j)) {
    digits.assign(1, '0');
    negative = lead.kind == detail::Kind::zero && lead.sign;
    j = 0;
  }
  std::string s(static_cast<std::size_t>(n) + 32, '\0');
  detail::Sink out{s.data(), s.data() + s.size()};
  if (negative) out.put('-');
  const std::int64_t nd = static_cast<std::int64_t>(digits.size());
  detail::write_general_form(out, digits.data(), static_cast<int>(nd), n - nd,
                             digits == "0" ? 0 : j + nd - 1);
  s.resize(out.ok ? static_cast<std::size_t>(out.p - s.data()) : 0);
  return s;
}

/// x's exact value to numeric_limits<Expansion>::max_digits10 significant digits (33 for
/// double_double, 65 for quad_double), trailing zeros removed: "0.1", "3.14159...".
template <class T, int N>
std::string to_string(const Expansion<T, N>& x) {
  std::string s = to_string(x, std::numeric_limits<Expansion<T, N>>::max_digits10);
  const std::size_t e = s.find('e');
  std::string exp_part = e == std::string::npos ? std::string() : s.substr(e);
  std::string mant = s.substr(0, e);
  if (mant.find('.') != std::string::npos) {
    while (!mant.empty() && mant.back() == '0') mant.pop_back();
    if (!mant.empty() && mant.back() == '.') mant.pop_back();
  }
  return mant + exp_part;
}

/// Writes to_string(x); the stream's width and fill apply to the whole text.
template <class T, int N>
std::ostream& operator<<(std::ostream& os, const Expansion<T, N>& x) {
  return os << to_string(x);
}

}  // namespace softnum
