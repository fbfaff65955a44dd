// softnum/io.hpp - streams, to_string and from_string for every softnum number type.
// SPDX-License-Identifier: MIT
//
// The only softnum header that includes <ostream>, <istream> or <string>. The conversions
// themselves (heap-free, usable in firmware) are in detail/decimal.hpp: softnum::to_chars and
// softnum::from_string; this header wraps them in std::string and stream operators. Everything
// is generic over detail::IoNumber (any type with number_traits, native types excluded), so new
// formats print and parse as soon as they specialise number_traits.
#pragma once

#include <softnum/convert.hpp>
#include <softnum/detail/decimal.hpp>

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

}  // namespace softnum
