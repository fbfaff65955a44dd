// softnum/ops/decimal.hpp - exact decimal <-> binary conversion without heap or iostream.
// SPDX-License-Identifier: MIT
//
// Everything here works on character buffers, so firmware can print and parse softnum numbers
// without <string>: `softnum::to_chars` (shortest round-trip, or a fixed number of significant
// digits) and `softnum::from_string` (correctly rounded, errors as values). io.hpp adds
// std::string and stream wrappers.
//
// Both directions go through the exact value: a number is `detail::Unpacked` (sig * 2^exp) and a
// decimal is D * 10^E; conversions use a fixed-capacity big integer (`BigUint`, 32-bit limbs on the
// stack) and are exact, then round once (number_traits<T>::pack). Capacities are derived per type
// from its exponent range (`decimal_limits<T>`), so a binary16 parser needs a few hundred bytes
// of stack and a binary128 one about 20 KiB.
#pragma once

#include <softnum/core/bits.hpp>
#include <softnum/core/convert.hpp>
#include <softnum/core/round.hpp>
#include <softnum/types/float.hpp>

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint32_t, std::uint64_t, std::int64_t
#include <limits>       // std::numeric_limits
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_arithmetic_v

namespace softnum {

/// Why from_string rejected its input. `none` means the whole string was a number.
enum class ParseError {
  none,
  empty,                ///< the string is empty
  invalid_character,    ///< a character that cannot start or continue a number (incl. spaces)
  no_digits,            ///< a sign, point or "0x" with no digits after it
  invalid_exponent,     ///< 'e'/'p' not followed by a (signed) decimal integer
  trailing_characters,  ///< a valid number followed by other characters
  too_many_digits,  ///< more digits than the parser's capacity and they matter (see decimal_limits)
};

/// A human-readable explanation of a ParseError (static storage, never null).
constexpr const char* describe(ParseError e) noexcept {
  switch (e) {
    case ParseError::none:
      return "no error";
    case ParseError::empty:
      return "empty string";
    case ParseError::invalid_character:
      return "invalid character (not part of a number)";
    case ParseError::no_digits:
      return "no digits in the number";
    case ParseError::invalid_exponent:
      return "exponent marker without a decimal integer after it";
    case ParseError::trailing_characters:
      return "characters after the number";
    case ParseError::too_many_digits:
      return "too many significant digits for this parser";
  }
  return "unknown parse error";
}

/// Result of from_string. On success, error == none and consumed == the string's length. With
/// trailing_characters, value is the number formed by the first `consumed` characters. On any
/// other error value is zero and consumed is the offset at which the error was found.
template <class T>
struct ParseResult {
  T value;
  ParseError error;
  std::size_t consumed;
  constexpr bool ok() const noexcept { return error == ParseError::none; }
  constexpr explicit operator bool() const noexcept { return ok(); }
};

/// Result of to_chars: one past the last character written; ok is false (and nothing useful is
/// written) when the buffer is too small.
struct ToCharsResult {
  char* ptr;
  bool ok;
};

namespace detail {

/// The softnum number types that io handles: anything with number_traits except the native
/// arithmetic types (which have their own std::to_chars, operator<< and so on).
template <class T>
concept IoNumber = Convertible<T> && !std::is_arithmetic_v<T>;

constexpr int countl_zero32(std::uint32_t x) noexcept { return clz64(x) - 32; }

// ---------------------------------------------------------------------------------------------
// BigUint: unsigned integer with L 32-bit limbs, little endian; d[0..n) valid, d[n-1] != 0.
// Limbs beyond n are never read, so the array is left uninitialised (a zeroed 5 KiB array per
// call would dominate the cost of printing a double). Operations that would exceed L limbs set
// `overflow` instead; callers size L so that this cannot happen and check it anyway.
template <int L>
struct BigUint {
  std::uint32_t d[static_cast<std::size_t>(L)];
  int n = 0;
  bool overflow = false;

  constexpr BigUint() noexcept {}  // NOLINT(cppcoreguidelines-pro-type-member-init): see above
  constexpr BigUint(const BigUint&) = delete;
  constexpr BigUint& operator=(const BigUint&) = delete;

  constexpr void assign(u128 v) noexcept {
    n = 0;
    while (v != 0) {
      d[n++] = static_cast<std::uint32_t>(v);
      v >>= 32;
    }
  }
  constexpr void assign(const BigUint& o) noexcept {
    n = o.n;
    overflow = o.overflow;
    for (int i = 0; i < n; ++i) d[i] = o.d[i];
  }
  constexpr bool is_zero() const noexcept { return n == 0; }
  constexpr int bit_length() const noexcept {
    return n == 0 ? 0 : 32 * (n - 1) + bit_width(d[n - 1]);
  }
  constexpr void trim() noexcept {
    while (n > 0 && d[n - 1] == 0) --n;
  }
  constexpr void push(std::uint32_t limb) noexcept {
    if (n < L) {
      d[n++] = limb;
    } else {
      overflow = true;
    }
  }
  constexpr void mul_small(std::uint32_t m) noexcept {
    std::uint64_t carry = 0;
    for (int i = 0; i < n; ++i) {
      const std::uint64_t t = static_cast<std::uint64_t>(d[i]) * m + carry;
      d[i] = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
    if (carry != 0) push(static_cast<std::uint32_t>(carry));
  }
  constexpr void add_small(std::uint32_t a) noexcept {
    std::uint64_t carry = a;
    for (int i = 0; i < n && carry != 0; ++i) {
      const std::uint64_t t = static_cast<std::uint64_t>(d[i]) + carry;
      d[i] = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
    if (carry != 0) push(static_cast<std::uint32_t>(carry));
  }
  constexpr void mul_pow5(std::int64_t e) noexcept {
    constexpr std::uint32_t pow5_13 = 1220703125;  // 5^13, the largest power of 5 below 2^32
    for (; e >= 13 && !overflow; e -= 13) mul_small(pow5_13);
    std::uint32_t m = 1;
    for (; e > 0; --e) m *= 5;
    mul_small(m);
  }
  constexpr void shift_left(std::int64_t bits) noexcept {
    if (n == 0 || bits <= 0) return;
    if (bit_length() + bits > 32 * static_cast<std::int64_t>(L)) {
      overflow = true;
      return;
    }
    const int limbs = static_cast<int>(bits / 32), b = static_cast<int>(bits % 32);
    if (b != 0) {
      const std::uint32_t top = d[n - 1] >> (32 - b);
      for (int i = n - 1; i > 0; --i) d[i] = (d[i] << b) | (d[i - 1] >> (32 - b));
      d[0] <<= b;
      if (top != 0) d[n++] = top;
    }
    if (limbs != 0) {
      for (int i = n - 1; i >= 0; --i) d[i + limbs] = d[i];
      for (int i = 0; i < limbs; ++i) d[i] = 0;
      n += limbs;
    }
  }
  /// Shifts right by 0 <= bits < 32.
  constexpr void shift_right_small(int bits) noexcept {
    if (bits == 0 || n == 0) return;
    for (int i = 0; i < n - 1; ++i) d[i] = (d[i] >> bits) | (d[i + 1] << (32 - bits));
    d[n - 1] >>= bits;
    trim();
  }
  /// Bits [pos, pos + 128) as an integer.
  constexpr u128 bits_at(std::int64_t pos) const noexcept {
    u128 r = 0;
    for (int k = 0; k < 5; ++k) {
      const std::int64_t limb = pos / 32 + k;
      if (limb >= n) break;
      const int b = static_cast<int>(pos % 32);
      const u128 v = static_cast<u128>(d[limb]);
      const int at = 32 * k - b;
      if (at >= 128) break;
      r |= at >= 0 ? (v << at) : (v >> -at);
    }
    return r;
  }
  /// Whether any of bits [0, pos) is set.
  constexpr bool any_below(std::int64_t pos) const noexcept {
    const std::int64_t full = pos / 32 < n ? pos / 32 : n;
    for (std::int64_t i = 0; i < full; ++i) {
      if (d[i] != 0) return true;
    }
    if (full < n && pos % 32 != 0) {
      return (d[full] & ((std::uint32_t{1} << (pos % 32)) - 1)) != 0;
    }
    return false;
  }
};

template <int L>
constexpr int compare(const BigUint<L>& a, const BigUint<L>& b) noexcept {
  if (a.n != b.n) return a.n < b.n ? -1 : 1;
  for (int i = a.n - 1; i >= 0; --i) {
    if (a.d[i] != b.d[i]) return a.d[i] < b.d[i] ? -1 : 1;
  }
  return 0;
}

/// q = a / b (Knuth, TAOCP vol. 2, 4.3.1, algorithm D, as in Hacker's Delight `divmnu`); a becomes
/// the remainder. b is normalised in place and restored. The quotient may be any size up to L.
template <int L>
constexpr void divide(BigUint<L>& a, BigUint<L>& b, BigUint<L>& q) noexcept {
  q.n = 0;
  if (compare(a, b) < 0) return;
  if (b.n == 1) {
    const std::uint64_t v = b.d[0];
    std::uint64_t r = 0;
    q.n = a.n;
    for (int i = a.n - 1; i >= 0; --i) {
      const std::uint64_t t = (r << 32) | a.d[i];
      q.d[i] = static_cast<std::uint32_t>(t / v);
      r = t % v;
    }
    q.trim();
    a.assign(static_cast<u128>(r));
    return;
  }
  const int s = countl_zero32(b.d[b.n - 1]);
  b.shift_left(s);
  a.shift_left(s);
  if (a.n >= L) {  // no room for the extra top limb the algorithm needs
    a.overflow = true;
    return;
  }
  const int nb = b.n, m = a.n - nb;
  a.d[a.n] = 0;
  constexpr std::uint64_t base = std::uint64_t{1} << 32;
  q.n = m + 1;
  for (int j = m; j >= 0; --j) {
    const std::uint64_t num = (static_cast<std::uint64_t>(a.d[j + nb]) << 32) | a.d[j + nb - 1];
    std::uint64_t qhat = num / b.d[nb - 1];
    std::uint64_t rhat = num % b.d[nb - 1];
    while (qhat >= base || qhat * b.d[nb - 2] > ((rhat << 32) | a.d[j + nb - 2])) {
      --qhat;
      rhat += b.d[nb - 1];
      if (rhat >= base) break;
    }
    std::int64_t k = 0;
    for (int i = 0; i < nb; ++i) {
      const std::uint64_t p = qhat * b.d[i];
      const std::int64_t t =
          static_cast<std::int64_t>(a.d[i + j]) - k - static_cast<std::int64_t>(p & 0xFFFFFFFFu);
      a.d[i + j] = static_cast<std::uint32_t>(t);
      k = static_cast<std::int64_t>(p >> 32) - (t >> 32);
    }
    const std::int64_t t = static_cast<std::int64_t>(a.d[j + nb]) - k;
    a.d[j + nb] = static_cast<std::uint32_t>(t);
    if (t < 0) {  // qhat was one too large (rare): add b back
      --qhat;
      std::uint64_t c = 0;
      for (int i = 0; i < nb; ++i) {
        const std::uint64_t u = static_cast<std::uint64_t>(a.d[i + j]) + b.d[i] + c;
        a.d[i + j] = static_cast<std::uint32_t>(u);
        c = u >> 32;
      }
      a.d[j + nb] = static_cast<std::uint32_t>(a.d[j + nb] + c);
    }
    q.d[j] = static_cast<std::uint32_t>(qhat);
  }
  q.trim();
  a.n = nb;
  a.trim();
  a.shift_right_small(s);
  b.shift_right_small(s);
}

/// The value of a BigUint known to be below 2^128.
template <int L>
constexpr u128 to_u128(const BigUint<L>& a) noexcept {
  return a.bits_at(0);
}

// ---------------------------------------------------------------------------------------------
// Per-type capacities.
//
// min_exp10 / max_exp10: decimal values below 10^min_exp10 or at least 10^max_exp10 are
// replaced by a tiny (2^-131072) or huge (2^131072) stand-in, which every rounding mode treats
// exactly like the true value: below 2^-35 of the smallest positive value even stochastic
// rounding (<= 32 random bits) cannot round up, and above 2^(emax+2) every mode overflows.
//
// max_digits: decimal significands are exact up to this many significant digits. Longer inputs
// are truncated and the dropped digits folded into a sticky bit, which is provably safe: the
// parser rounds to odd at 126-127 bits (Q * 2^s), and every such grid point G * 2^s with
// 10^(min_exp10-1) <= G * 2^s < 10^max_exp10 has at most 128 + 2.322 (|min_exp10| + 1) (or
// max_exp10 + 1) significant decimal digits, so none can lie strictly between two consecutive
// max_digits-digit decimals. The parser still checks this and would report too_many_digits.
struct DecimalCapacity {
  int min_exp10;
  int max_exp10;
  int max_digits;
  int limbs;
};

constexpr DecimalCapacity make_capacity(int min_exp2, int max_exp2) noexcept {
  DecimalCapacity c{};
  c.min_exp10 = floor_log10_pow2(min_exp2) - 1;  // 10^min_exp10 < 2^min_exp2
  c.max_exp10 = floor_log10_pow2(max_exp2) + 1;  // 10^max_exp10 > 2^max_exp2
  const int m = -c.min_exp10 + 1;
  const int k_small = 128 + (2322 * m + 999) / 1000;
  const int k_large = c.max_exp10 + 2;
  c.max_digits = (k_small > k_large ? k_small : k_large) + 8;
  // Largest operands: 5^(max_digits + m) (<= 2.322 bits a power), shifted by 127 bits for the
  // quotient; D * 5^E < 10^(max_exp10 + 1); D itself (3.322 bits a digit); printing needs at
  // most 130 + 3.322 (max_exp10 + 2) or 130 + 2.322 (m + 50) bits.
  const int b1 = 160 + (2322 * (c.max_digits + m) + 999) / 1000;
  const int b2 = 160 + (3322 * (c.max_exp10 + 2) + 999) / 1000 + (3322 * 45 + 999) / 1000;
  const int b3 = 160 + (3322 * c.max_digits + 999) / 1000;
  const int b4 = 160 + (2322 * (m + 50) + 999) / 1000;
  int bits = b1;
  bits = bits > b2 ? bits : b2;
  bits = bits > b3 ? bits : b3;
  bits = bits > b4 ? bits : b4;
  c.limbs = bits / 32 + 4;
  return c;
}

/// The binary exponent of the lowest set bit of a positive finite x, or of the top bit.
template <class T>
constexpr int exponent_of_lowest_bit(T x) noexcept {
  const Unpacked u = number_traits<T>::unpack(x);
  u128 s = u.sig;
  int e = u.exp;
  while ((s & 1U) == 0U) {
    s >>= 1;
    ++e;
  }
  return e;
}
template <class T>
constexpr int exponent_of_top_bit(T x) noexcept {
  const Unpacked u = number_traits<T>::unpack(x);
  return u.exp + bit_width(u.sig) - 1;
}

/// A type whose values all lie in [denorm_min, max] (in magnitude) and whose out-of-range results
/// do not depend on the exact value (no wrap-around): its capacity comes from that range, so that
/// posit16's shortest printing needs ~1 KB of stack instead of the 17 KB of binary128's range.
template <class T>
concept RangeLimited = std::numeric_limits<T>::is_specialized && !std::numeric_limits<T>::is_modulo &&
                       requires(T x) { number_traits<T>::unpack(x); };

/// Capacities for T: from the format for Float, from numeric_limits for other RangeLimited
/// types; otherwise wide enough for every value in binary128's range.
template <class T>
struct decimal_limits {
  static constexpr DecimalCapacity value = make_capacity(-16494 - 36, 16384 + 2);
};
template <RangeLimited T>
  requires(!FloatFormat<T>)
struct decimal_limits<T> {
  using L = std::numeric_limits<T>;
  static constexpr int lo_min = exponent_of_lowest_bit(L::min());
  static constexpr int lo_denorm = exponent_of_lowest_bit(L::denorm_min());
  static constexpr int hi_max = exponent_of_top_bit(L::max());
  static constexpr int hi_lowest = exponent_of_top_bit(L::lowest());
  static constexpr DecimalCapacity value = make_capacity(
      (lo_min < lo_denorm ? lo_min : lo_denorm) - 36, (hi_max > hi_lowest ? hi_max : hi_lowest) + 2);
};
template <FloatFormat T>
struct decimal_limits<T> {
  using C = typename T::codec;
  static constexpr DecimalCapacity value =
      make_capacity((T::has_subnormals ? C::emin - T::mantissa_bits : C::emin) - 36, C::emax + 2);
};

// ---------------------------------------------------------------------------------------------
// Decimal (or hexadecimal) significand -> exact Unpacked.

/// The stand-ins for values too large or too small for any format (see DecimalCapacity).
constexpr int huge_exp = 1 << 17;
constexpr Unpacked huge_value(bool negative) noexcept {
  return Unpacked{Kind::finite, negative, huge_exp, 1};
}
constexpr Unpacked tiny_value(bool negative) noexcept {
  return Unpacked{Kind::finite, negative, -huge_exp, 1};
}

/// A finite nonzero Unpacked from the top bits of N * 2^e2, at most 126 significant bits, with
/// every lower bit (and `sticky`) jammed into the last one: round-to-odd at >= 126 bits.
template <int L>
constexpr Unpacked unpacked_from_big(const BigUint<L>& x, std::int64_t e2, bool sticky,
                                     bool negative) noexcept {
  const int bl = x.bit_length();
  const int sh = bl > 126 ? bl - 126 : 0;
  u128 sig = x.bits_at(sh);  // at most 126 bits
  const bool lost = sticky || x.any_below(sh);
  if (lost && sh == 0) {
    // Exact bits but a sticky tail: make room for the jam bit below the significand.
    sig <<= 1;
    --e2;
  }
  sig |= static_cast<u128>(lost);
  return Unpacked{Kind::finite, negative, static_cast<int>(e2 + sh), sig};
}

/// A decimal significand: the digits D (no leading zeros) of value D * 10^exp10, with
/// `truncated` set when nonzero digits were dropped after D's last digit (the true value then
/// lies strictly between D * 10^exp10 and (D + 1) * 10^exp10).
struct DecimalDigits {
  const char* first = nullptr;  // the mantissa characters (digits and at most one '.')
  const char* last = nullptr;
  std::int64_t skip = 0;   // index (among digits only) of D's first digit
  std::int64_t count = 0;  // number of digits in D
  std::int64_t exp10 = 0;
  bool truncated = false;
};

template <int L>
constexpr void load_digits(const DecimalDigits& dd, BigUint<L>& out) noexcept {
  out.n = 0;
  std::int64_t index = 0, taken = 0;
  std::uint32_t chunk = 0, scale = 1;
  for (const char* p = dd.first; p != dd.last && taken < dd.count; ++p) {
    if (*p == '.') continue;
    if (index++ < dd.skip) continue;
    chunk = chunk * 10 + static_cast<std::uint32_t>(*p - '0');
    scale *= 10;
    ++taken;
    if (scale == 1000000000) {
      out.mul_small(scale);
      out.add_small(chunk);
      chunk = 0;
      scale = 1;
    }
  }
  if (scale != 1) {
    out.mul_small(scale);
    out.add_small(chunk);
  }
}

/// floor(D * 10^e10 * 2^-e2) for the e2 that makes it 126-127 bits (set by the first call with
/// e2_fixed == false; reused for D + 1), and whether the division left a remainder. Returns false
/// when the capacity would be exceeded.
template <int L>
constexpr bool scaled_quotient(BigUint<L>& num, std::int64_t e10, std::int64_t& e2, bool e2_fixed,
                               u128& q, bool& inexact, BigUint<L>& tmp, BigUint<L>& quot) noexcept {
  if (e10 >= 0) {
    num.mul_pow5(e10);  // D * 10^e10 = D * 5^e10 * 2^e10
    if (!e2_fixed) {
      const int bl = num.bit_length();
      e2 = e10 + (bl > 126 ? bl - 126 : 0);
    }
    const std::int64_t sh = e2 - e10;
    if (num.overflow || sh < 0) return false;
    q = num.bits_at(sh);
    if (num.bit_length() - sh > 128) return false;
    inexact = num.any_below(sh);
    return true;
  }
  tmp.assign(1);
  tmp.mul_pow5(-e10);  // D * 10^e10 = D * 2^e10 / 5^-e10
  if (!e2_fixed) {
    // k = 126 + bl(P) - bl(D) puts the quotient in [2^125, 2^127).
    e2 = e10 - (126 + tmp.bit_length() - num.bit_length());
  }
  const std::int64_t k = e10 - e2;
  if (k >= 0) {
    num.shift_left(k);
  } else {
    tmp.shift_left(-k);
  }
  if (num.overflow || tmp.overflow) return false;
  divide(num, tmp, quot);
  if (num.overflow || quot.bit_length() > 128) return false;
  q = to_u128(quot);
  inexact = !num.is_zero();
  return true;
}

/// The exact value of a decimal significand as a round-to-odd Unpacked, or too_many_digits.
template <int L>
constexpr ParseError decimal_to_unpacked(const DecimalDigits& dd, const DecimalCapacity& cap,
                                         bool negative, Unpacked& out) noexcept {
  const std::int64_t mag = dd.exp10 + dd.count;  // 10^(mag-1) <= value < 10^mag
  if (mag - 1 >= cap.max_exp10) {
    out = huge_value(negative);
    return ParseError::none;
  }
  if (mag <= cap.min_exp10) {
    out = tiny_value(negative);
    return ParseError::none;
  }
  BigUint<L> num, tmp, quot;
  load_digits(dd, num);
  std::int64_t e2 = 0;
  u128 qa = 0;
  bool inexact = false;
  if (!scaled_quotient(num, dd.exp10, e2, false, qa, inexact, tmp, quot)) {
    return ParseError::too_many_digits;
  }
  bool sticky = inexact;
  if (dd.truncated) {
    // x lies strictly between A = D 10^e and B = (D+1) 10^e. If no multiple of 2^e2 lies
    // strictly between them, floor(x / 2^e2) = floor(A / 2^e2) and x is inexact.
    load_digits(dd, num);
    num.add_small(1);
    u128 qb = 0;
    bool inexact_b = false;
    if (!scaled_quotient(num, dd.exp10, e2, true, qb, inexact_b, tmp, quot)) {
      return ParseError::too_many_digits;
    }
    const u128 ceil_b = qb + static_cast<u128>(inexact_b);
    if (ceil_b > qa + 1) return ParseError::too_many_digits;
    sticky = true;
  }
  BigUint<8> big;
  big.assign(qa);
  out = unpacked_from_big(big, e2, sticky, negative);
  return ParseError::none;
}

// ---------------------------------------------------------------------------------------------
// The scanner.

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
constexpr char to_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

/// Whether [p, last) starts with the lowercase word w, ignoring case.
constexpr bool starts_with_word(const char* p, const char* last, const char* w) noexcept {
  for (; *w != '\0'; ++w, ++p) {
    if (p == last || to_lower(*p) != *w) return false;
  }
  return true;
}

struct RawParse {
  Unpacked value{};
  ParseError error = ParseError::none;
  std::size_t consumed = 0;
};

/// Reads an optionally signed exponent (decimal integer) at p; saturates far beyond any format.
constexpr const char* scan_exponent(const char* p, const char* last, std::int64_t& e) noexcept {
  bool negative = false;
  if (p != last && (*p == '+' || *p == '-')) negative = *p++ == '-';
  if (p == last || !is_digit(*p)) return nullptr;
  std::int64_t v = 0;
  for (; p != last && is_digit(*p); ++p) {
    if (v < 1000000000000) v = v * 10 + (*p - '0');
  }
  e = negative ? -v : v;
  return p;
}

/// Parses [first, last) to an exact (or round-to-odd) Unpacked. Grammar:
///   [+-] ( inf | infinity | nan | 0x hexdigits[.hexdigits] [p[+-]digits] | digits[.digits]
///   [e[+-]digits] )
/// case-insensitive, with digits allowed on either side of the point (but at least one).
template <int L>
constexpr RawParse parse_unpacked(const char* first, const char* last,
                                  const DecimalCapacity& cap) noexcept {
  RawParse r;
  const auto at = [first](const char* p) { return static_cast<std::size_t>(p - first); };
  const auto fail = [&](ParseError e, const char* p) {
    r.value = Unpacked{};
    r.error = e;
    r.consumed = at(p);
    return r;
  };
  if (first == last) return fail(ParseError::empty, first);
  const char* p = first;
  bool negative = false;
  if (*p == '+' || *p == '-') negative = *p++ == '-';
  if (p == last) return fail(ParseError::no_digits, p);

  const char* end = nullptr;  // one past the number
  if (starts_with_word(p, last, "inf")) {
    end = starts_with_word(p, last, "infinity") ? p + 8 : p + 3;
    r.value = make_special(Kind::inf, negative);
  } else if (starts_with_word(p, last, "nan")) {
    end = p + 3;
    r.value = make_special(Kind::nan, negative);
  } else if (last - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
    // Hexadecimal: the value is exactly representable in binary, so only the bits beyond the
    // 31st significant hex digit need folding into a sticky bit.
    p += 2;
    const char* q = p;
    u128 sig = 0;
    std::int64_t kept = 0, e2 = 0;
    bool seen_point = false, any_digit = false, sticky = false;
    for (; q != last; ++q) {
      if (*q == '.' && !seen_point) {
        seen_point = true;
        continue;
      }
      const int h = hex_value(*q);
      if (h < 0) break;
      any_digit = true;
      if (sig == 0 && h == 0) {
        if (seen_point) e2 -= 4;  // leading fraction zeros only scale
        continue;
      }
      if (kept < 31) {
        sig = (sig << 4) | static_cast<u128>(h);
        ++kept;
        if (seen_point) e2 -= 4;
      } else {
        sticky = sticky || h != 0;
        if (!seen_point) e2 += 4;
      }
    }
    if (!any_digit) return fail(ParseError::no_digits, p);
    end = q;
    if (q != last && (*q == 'p' || *q == 'P')) {
      std::int64_t pe = 0;
      const char* after = scan_exponent(q + 1, last, pe);
      if (after == nullptr) return fail(ParseError::invalid_exponent, q);
      e2 += pe;
      end = after;
    }
    if (sig == 0) {
      r.value = make_special(Kind::zero, negative);
    } else {
      const std::int64_t top = e2 + bit_width(sig);
      if (top > huge_exp / 2) {
        r.value = huge_value(negative);
      } else if (top < -huge_exp / 2) {
        r.value = tiny_value(negative);
      } else {
        const int t = 126 - bit_width(sig);  // >= 2: sig has at most 124 bits
        sig <<= t;
        e2 -= t;
        r.value =
            Unpacked{Kind::finite, negative, static_cast<int>(e2), sig | static_cast<u128>(sticky)};
      }
    }
  } else {
    const char* q = p;
    std::int64_t index = 0, int_digits = 0, first_nz = -1, last_nz = -1;
    bool seen_point = false;
    for (; q != last; ++q) {
      if (*q == '.' && !seen_point) {
        seen_point = true;
        continue;
      }
      if (!is_digit(*q)) break;
      if (!seen_point) ++int_digits;
      if (*q != '0') {
        if (first_nz < 0) first_nz = index;
        last_nz = index;
      }
      ++index;
    }
    if (index == 0) {
      if (q == p && q != last) return fail(ParseError::invalid_character, p);
      return fail(ParseError::no_digits, q);
    }
    end = q;
    std::int64_t e10 = 0;
    if (q != last && (*q == 'e' || *q == 'E')) {
      const char* after = scan_exponent(q + 1, last, e10);
      if (after == nullptr) return fail(ParseError::invalid_exponent, q);
      end = after;
    }
    if (first_nz < 0) {
      r.value = make_special(Kind::zero, negative);
    } else {
      DecimalDigits dd;
      dd.first = p;
      dd.last = q;
      dd.skip = first_nz;
      std::int64_t last_kept = last_nz;
      if (last_nz - first_nz + 1 > cap.max_digits) {
        last_kept = first_nz + cap.max_digits - 1;
        dd.truncated = true;  // last_nz > last_kept is a nonzero dropped digit
      }
      dd.count = last_kept - first_nz + 1;
      dd.exp10 = e10 + (int_digits - 1 - last_kept);
      const ParseError e = decimal_to_unpacked<L>(dd, cap, negative, r.value);
      if (e != ParseError::none) return fail(e, p);
    }
  }
  r.consumed = at(end);
  r.error = end == last ? ParseError::none : ParseError::trailing_characters;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Binary -> decimal.

/// Writes the decimal digits of c (> 0) to buf; returns their count.
constexpr int write_u128(char* buf, u128 c) noexcept {
  char tmp[40] = {};
  int n = 0;
  while (c != 0) {
    tmp[n++] = static_cast<char>('0' + static_cast<int>(c % 10));
    c /= 10;
  }
  for (int i = 0; i < n; ++i) buf[i] = tmp[n - 1 - i];
  return n;
}

/// A bounded output cursor: writes past the end are dropped and remembered.
struct Sink {
  char* p;
  char* end;
  bool ok = true;
  constexpr void put(char c) noexcept {
    if (p == end) {
      ok = false;
    } else {
      *p++ = c;
    }
  }
  constexpr void put(const char* s) noexcept {
    for (; *s != '\0'; ++s) put(*s);
  }
  constexpr void put_zeros(std::int64_t k) noexcept {
    for (; k > 0; --k) put('0');
  }
  constexpr void put_exponent(std::int64_t x) noexcept {  // e+05, e-324, e+4932 (as printf)
    put('e');
    put(x < 0 ? '-' : '+');
    const std::uint64_t a = static_cast<std::uint64_t>(x < 0 ? -x : x);
    char tmp[24] = {};
    int n = 0;
    for (std::uint64_t v = a; v != 0 || n < 2; v /= 10) tmp[n++] = static_cast<char>('0' + v % 10);
    while (n > 0) put(tmp[--n]);
  }
};

/// Whether digits[0, nd) * 10^j is shorter (or as short) in fixed as in scientific notation:
/// the choice std::to_chars(first, last, double) makes.
constexpr bool prefer_fixed(int nd, std::int64_t j) noexcept {
  const std::int64_t x = j + nd - 1;  // scientific exponent
  const std::int64_t ax = x < 0 ? -x : x;
  const std::int64_t exp_len = ax >= 1000 ? 4 : (ax >= 100 ? 3 : 2);
  const std::int64_t sci_len = nd + (nd > 1 ? 1 : 0) + 2 + exp_len;
  const std::int64_t fixed_len = j >= 0 ? nd + j : (nd + j > 0 ? nd + 1 : 2 - j);
  return fixed_len <= sci_len;
}

/// Writes digits[0, nd) * 10^j in the notation prefer_fixed picks.
constexpr void write_shortest_form(Sink& out, const char* digits, int nd, std::int64_t j) noexcept {
  const std::int64_t x = j + nd - 1;
  if (prefer_fixed(nd, j)) {
    if (j >= 0) {
      for (int i = 0; i < nd; ++i) out.put(digits[i]);
      out.put_zeros(j);
    } else if (nd + j > 0) {
      for (int i = 0; i < nd; ++i) {
        if (i == nd + j) out.put('.');
        out.put(digits[i]);
      }
    } else {
      out.put("0.");
      out.put_zeros(-j - nd);
      for (int i = 0; i < nd; ++i) out.put(digits[i]);
    }
  } else {
    out.put(digits[0]);
    if (nd > 1) out.put('.');
    for (int i = 1; i < nd; ++i) out.put(digits[i]);
    out.put_exponent(x);
  }
}

constexpr bool write_special(Sink& out, const Unpacked& u, bool nan_sign) noexcept {
  switch (u.kind) {
    case Kind::nan:
      out.put(nan_sign ? "-nan" : "nan");
      return true;
    case Kind::inf:
      out.put(u.sign ? "-inf" : "inf");
      return true;
    case Kind::zero:
      out.put(u.sign ? "-0" : "0");
      return true;
    case Kind::finite:
      return false;
  }
  return false;
}

/// Where v / 10^j lies relative to floor(v / 10^j): the discarded fraction is 0, below 1/2,
/// exactly 1/2 or above 1/2.
enum class Frac : unsigned char { zero, below_half, half, above_half };

/// The fraction after one more decimal digit d is discarded below f.
constexpr Frac shift_frac(int d, Frac f) noexcept {
  if (d == 0 && f == Frac::zero) return Frac::zero;
  if (d == 5) return f == Frac::zero ? Frac::half : Frac::above_half;
  return d > 5 ? Frac::above_half : Frac::below_half;
}

template <int L>
constexpr void assign_u256(BigUint<L>& a, const u256& x) noexcept {
  a.n = 0;
  for (int i = 0; i < 8; ++i) {
    a.d[i] = static_cast<std::uint32_t>(i < 4 ? x.lo >> (32 * i) : x.hi >> (32 * (i - 4)));
  }
  a.n = 8;
  a.trim();
}

/// floor(X * 2^q / 10^j) and its discarded fraction, for X < 2^256. The powers of 5 and 2 are
/// given once for several X with the same (q, j). Fails (returns false) if the quotient needs
/// more than 128 bits or the capacity is exceeded.
template <int L>
struct DecimalScaler {
  BigUint<L> den, num, quot;
  std::int64_t num_shift = 0, den_shift = 0, p5 = 0;  // p5 > 0: numerator has 5^p5
  bool den_pow2 = true;

  constexpr void setup(int q, std::int64_t j) noexcept {
    // X 2^q / (5^j 2^j) = X 2^(q-j) / 5^j.
    const std::int64_t a2 = q - j;
    num_shift = a2 > 0 ? a2 : 0;
    den_shift = a2 < 0 ? -a2 : 0;
    p5 = -j;
    den_pow2 = j <= 0;
    if (!den_pow2) {
      den.assign(1);
      den.mul_pow5(j);
      den.shift_left(den_shift);
    }
  }
  constexpr bool run(u256 x, u128& q, Frac& frac) noexcept {
    assign_u256(num, x);
    if (p5 > 0) num.mul_pow5(p5);
    num.shift_left(num_shift);
    if (num.overflow || den.overflow) return false;
    if (den_pow2) {
      if (num.bit_length() - den_shift > 128) return false;
      q = num.bits_at(den_shift);
      if (den_shift == 0 || !num.any_below(den_shift)) {
        frac = Frac::zero;
      } else {
        const bool half_bit = (num.bits_at(den_shift - 1) & 1) != 0;
        const bool rest = num.any_below(den_shift - 1);
        frac = half_bit ? (rest ? Frac::above_half : Frac::half) : Frac::below_half;
      }
      return true;
    }
    divide(num, den, quot);
    if (num.overflow || quot.bit_length() > 128) return false;
    q = to_u128(quot);
    if (num.is_zero()) {
      frac = Frac::zero;
    } else {
      num.shift_left(1);  // compare 2 * remainder with the divisor
      const int c = compare(num, den);
      frac = c < 0 ? Frac::below_half : (c == 0 ? Frac::half : Frac::above_half);
    }
    return true;
  }
};

/// Values of a type as seen by the shortest-digit search.
template <class T>
constexpr Unpacked pack_unpack(const Unpacked& u, Round mode) noexcept {
  return number_traits<T>::unpack(number_traits<T>::pack(u, mode, 0));
}

/// Whether two Unpacked denote the same value (zeros of either sign are equal).
constexpr bool same_value(const Unpacked& a, const Unpacked& b) noexcept {
  if (a.kind != b.kind) return false;
  if (a.kind == Kind::zero) return true;
  if (a.kind != Kind::finite) return a.sign == b.sign || a.kind == Kind::nan;
  if (a.sign != b.sign) return false;
  // Compare sig * 2^exp with both significands stripped of trailing zeros.
  u128 sa = a.sig, sb = b.sig;
  int ea = a.exp, eb = b.exp;
  while ((sa & 1) == 0) {
    sa >>= 1;
    ++ea;
  }
  while ((sb & 1) == 0) {
    sb >>= 1;
    ++eb;
  }
  return sa == sb && ea == eb;
}

/// Whether a (finite, same sign as v) is larger in magnitude than v.
constexpr bool greater_mag(const Unpacked& a, const Unpacked& v) noexcept {
  const int la = a.exp + bit_width(a.sig), lv = v.exp + bit_width(v.sig);
  if (la != lv) return la > lv;
  const int sh = a.exp - v.exp;  // align the significands
  if (sh >= 0) {
    const u256 x = shift_left(u256{0, a.sig}, sh < 128 ? sh : 127);
    return less(u256{0, v.sig}, x);
  }
  const u256 y = shift_left(u256{0, v.sig}, -sh < 128 ? -sh : 127);
  return less(y, u256{0, a.sig});
}

/// The numerator N at exponent q moved one 2^-126-relative step toward (dir < 0) or away from
/// zero (dir > 0), or exactly (dir == 0), as an Unpacked. N must have at most 125 bits.
constexpr Unpacked nudged(const u256& n, int q, int dir, bool negative) noexcept {
  const int t = 126 - bit_width(n);
  u128 sig = n.lo << t;
  sig = dir > 0 ? sig + 1 : (dir < 0 ? sig - 1 : sig);
  return Unpacked{Kind::finite, negative, q - t, sig};
}

/// The interval of reals that read back as v: (lo, hi) or with its ends included, as numerators
/// at the common exponent q.
struct RoundTripInterval {
  u256 lo, v, hi;
  int q = 0;
  bool lo_in = false, hi_in = false;
};

/// Finds the round-trip interval of finite nonzero v from its neighbours in T. The bounds are the
/// midpoints to the neighbours (or, at the end of a saturating range, half the gap on the other
/// side), and are checked with pack: the values just inside must read back as v, and just
/// outside as the neighbour. Returns false if the checks fail (or the numbers are too wide);
/// the caller then falls back to testing candidates by parsing.
template <class T>
constexpr bool round_trip_interval(const Unpacked& v, RoundTripInterval& r) noexcept {
  if (bit_width(v.sig) > 120) return false;
  const bool neg = v.sign;
  const Round away = neg ? Round::down : Round::up;
  const u256 vn{0, v.sig};
  const Unpacked s = pack_unpack<T>(nudged(vn, v.exp, +1, neg), away);
  const Unpacked p = pack_unpack<T>(nudged(vn, v.exp, -1, neg), Round::toward_zero);
  const bool hi_sat = !(s.kind == Kind::finite && s.sign == neg && greater_mag(s, v));
  const bool p_zero = p.kind == Kind::zero;
  const bool lo_sat = !p_zero && !(p.kind == Kind::finite && p.sign == neg && greater_mag(v, p));
  if (hi_sat && lo_sat) return false;
  int q = v.exp;
  if (!hi_sat && s.exp < q) q = s.exp;
  if (!p_zero && !lo_sat && p.exp < q) q = p.exp;
  --q;
  const auto align = [q](const Unpacked& u, u256& out) {
    const int sh = u.exp - q;
    if (sh + bit_width(u.sig) > 124) return false;
    out = shift_left(u256{0, u.sig}, sh);
    return true;
  };
  u256 V{}, S{}, P{};
  if (!align(v, V)) return false;
  if (!hi_sat && !align(s, S)) return false;
  if (!p_zero && !lo_sat && !align(p, P)) return false;
  const auto half = [](const u256& x) { return shift_right_jam(x, 1); };  // x is even
  r.v = V;
  r.q = q;
  r.hi = hi_sat ? add(V, half(sub(V, P))) : half(add(V, S));
  if (lo_sat) {
    const u256 gap = sub(S, V);
    r.lo = sub(V, half(less(V, gap) ? V : gap));
  } else {
    r.lo = half(add(V, P));
  }
  if (bit_width(r.hi) > 125 || bit_width(r.lo) > 125) return false;
  // Inside: just inside each bound reads back as v. Outside: just beyond a midpoint bound reads
  // back as the neighbour (otherwise the bound is not the true one and output may not be shortest).
  if (!same_value(pack_unpack<T>(nudged(r.hi, q, -1, neg), Round::nearest_even), v)) return false;
  if (!same_value(pack_unpack<T>(nudged(r.lo, q, +1, neg), Round::nearest_even), v)) return false;
  if (!hi_sat && same_value(pack_unpack<T>(nudged(r.hi, q, +1, neg), Round::nearest_even), v)) {
    return false;
  }
  if (!lo_sat && same_value(pack_unpack<T>(nudged(r.lo, q, -1, neg), Round::nearest_even), v)) {
    return false;
  }
  r.hi_in = same_value(pack_unpack<T>(nudged(r.hi, q, 0, neg), Round::nearest_even), v);
  r.lo_in = same_value(pack_unpack<T>(nudged(r.lo, q, 0, neg), Round::nearest_even), v);
  return true;
}

/// The shortest decimal c * 10^j in the interval, closest to v among those (ties: even last
/// digit). Returns false if a capacity is exceeded.
template <int L>
constexpr bool shortest_in_interval(const RoundTripInterval& r, u128& c, std::int64_t& j) noexcept {
  const u256 width = sub(r.hi, r.lo);
  // 10^j1 < width / 10: the interval holds many multiples of 10^j1, so a candidate exists.
  const std::int64_t j1 = floor_log10_pow2(bit_width(width) - 1 + r.q) - 1;
  DecimalScaler<L> sc;
  sc.setup(r.q, j1);
  // Per scale 10^(j1 + s): the candidates cmin..cmax, and v = (qv + fv) * 10^(j1 + s).
  constexpr int max_scales = 48;  // quotients at scale 0 are below 2^122 < 10^37
  u128 cmin[max_scales] = {}, cmax[max_scales] = {}, qv[max_scales] = {};
  Frac fv[max_scales] = {};
  u128 qlo = 0, qhi = 0;
  Frac flo{}, fhi{};
  if (!sc.run(r.lo, qlo, flo) || !sc.run(r.v, qv[0], fv[0]) || !sc.run(r.hi, qhi, fhi))
    return false;
  cmin[0] = qlo + static_cast<u128>(!(flo == Frac::zero && r.lo_in));
  cmax[0] = qhi - static_cast<u128>(fhi == Frac::zero && !r.hi_in);
  // Coarsen while a multiple of 10 stays in range: the candidates at 10^(j+1) are exactly the
  // multiples of 10 among those at 10^j. The coarsest scale k gives the fewest digits.
  int k = 0;
  while (true) {
    const u128 nmin = (cmin[k] + 9) / 10, nmax = cmax[k] / 10;
    if (nmin > nmax) break;
    if (k + 1 == max_scales) return false;
    cmin[k + 1] = nmin;
    cmax[k + 1] = nmax;
    fv[k + 1] = shift_frac(static_cast<int>(qv[k] % 10), fv[k]);
    qv[k + 1] = qv[k] / 10;
    ++k;
  }
  const auto nearest = [&](int s, u128 limit) {
    u128 b = qv[s] + static_cast<u128>(fv[s] == Frac::above_half ||
                                       (fv[s] == Frac::half && (qv[s] & 1) != 0));
    const u128 top = cmax[s] < limit ? cmax[s] : limit;
    return b < cmin[s] ? cmin[s] : (b > top ? top : b);
  };
  u128 best = nearest(k, cmax[k]);
  int best_s = k;
  // Across a power of ten, finer scales may hold candidates with as many digits (for
  // bfloat16's 2^-133 = 9.18e-41 both 1e-40 and 9e-41 read back): take the closest. They all
  // lie below `best`, the finer the lower.
  u128 pow10_nd = 1;
  while (pow10_nd <= best) pow10_nd *= 10;
  u128 unit = 1;  // 10^s
  for (int s = 0; s < k; ++s) unit *= 10;
  for (int s = k - 1; s >= 0; --s) {
    unit /= 10;
    if (cmin[s] >= pow10_nd) break;
    const u128 b = nearest(s, pow10_nd - 1);
    if (b % 10 == 0) continue;  // already a coarser candidate
    // Compare 2v with best + b, all in units of 10^j1 (below 2^123, exact).
    u128 best_units = best;
    for (int i = 0; i < best_s; ++i) best_units *= 10;
    const u128 sum = best_units + b * unit, twice = 2 * qv[0];
    int cmp = 0;  // sign of 2v - sum
    if (sum <= twice) {
      cmp = (sum == twice && fv[0] == Frac::zero) ? 0 : 1;
    } else if (sum == twice + 1) {
      cmp = fv[0] == Frac::half ? 0 : (fv[0] == Frac::above_half ? 1 : -1);
    } else {
      cmp = -1;
    }
    if (cmp < 0 || (cmp == 0 && (b & 1) == 0 && (best & 1) != 0)) {
      best = b;
      best_s = s;
    }
  }
  c = best;
  j = j1 + best_s;
  return true;
}

/// Rounds |v| to n <= 38 significant digits, nearest-even: c (exactly n digits) times 10^j.
template <int L>
constexpr bool round_to_digits(const Unpacked& v, int n, u128& c, std::int64_t& j) noexcept {
  // e0 <= floor(log10 v) <= e0 + 1.
  const int e0 = floor_log10_pow2(v.exp + bit_width(v.sig) - 1);
  u128 pow10n = 1;
  for (int i = 0; i < n; ++i) pow10n *= 10;
  j = e0 - n + 1;
  DecimalScaler<L> sc;
  sc.setup(v.exp, j);
  u128 q = 0;
  Frac f{};
  if (!sc.run(u256{0, v.sig}, q, f)) return false;
  if (q >= pow10n) {  // floor(log10 v) was e0 + 1: drop one more digit
    f = shift_frac(static_cast<int>(q % 10), f);
    q /= 10;
    ++j;
  }
  c = q + static_cast<u128>(f == Frac::above_half || (f == Frac::half && (q & 1) != 0));
  if (c == pow10n) {
    c /= 10;
    ++j;
  }
  return true;
}

/// Whether c * 10^j (sign from v) reads back as v in T (nearest-even).
template <class T, int L>
constexpr bool reads_back(u128 c, std::int64_t j, const Unpacked& v,
                          const DecimalCapacity& cap) noexcept {
  char digits[40] = {};
  const int nd = write_u128(digits, c);
  DecimalDigits dd;
  dd.first = digits;
  dd.last = digits + nd;
  dd.count = nd;
  dd.exp10 = j;
  Unpacked u{};
  if (decimal_to_unpacked<L>(dd, cap, v.sign, u) != ParseError::none) return false;
  return same_value(pack_unpack<T>(u, Round::nearest_even), v);
}

/// Slow, generic shortest search: for n = 1, 2, ... digits, the two n-digit decimals around v
/// are parsed back; the first n where one reads back as v wins (the closer one, ties even).
/// Used only where round_trip_interval cannot vouch for the interval (e.g. non-Float types
/// whose rounding boundaries are not midpoints).
template <class T, int L>
constexpr bool shortest_by_search(const Unpacked& v, const DecimalCapacity& cap, u128& c,
                                  std::int64_t& j) noexcept {
  for (int n = 1; n <= 38; ++n) {
    const int e0 = floor_log10_pow2(v.exp + bit_width(v.sig) - 1);
    std::int64_t jj = e0 - n + 1;
    DecimalScaler<L> sc;
    sc.setup(v.exp, jj);
    u128 q = 0;
    Frac f{};
    if (!sc.run(u256{0, v.sig}, q, f)) return false;
    u128 pow10n = 1;
    for (int i = 0; i < n; ++i) pow10n *= 10;
    if (q >= pow10n) {
      f = shift_frac(static_cast<int>(q % 10), f);
      q /= 10;
      ++jj;
    }
    const bool down_ok = q != 0 && reads_back<T, L>(q, jj, v, cap);
    const bool up_ok = f != Frac::zero && reads_back<T, L>(q + 1, jj, v, cap);
    if (down_ok || up_ok) {
      bool take_up = up_ok;
      if (down_ok && up_ok) {
        take_up = f == Frac::above_half || (f == Frac::half && (q & 1) != 0);
      }
      c = take_up ? q + 1 : q;
      j = jj;
      while (c % 10 == 0) {  // q + 1 may end in zeros
        c /= 10;
        ++j;
      }
      return true;
    }
  }
  return round_to_digits<L>(v, 38, c, j);
}

/// The decimal digits of c (destroyed), most significant first, into buf[0, cap).
template <int L>
constexpr int big_to_digits(BigUint<L>& c, char* buf, int cap) noexcept {
  // Repeated division by 10^9 yields 9-digit groups from the bottom.
  int n = 0;
  while (!c.is_zero()) {
    std::uint64_t r = 0;
    for (int i = c.n - 1; i >= 0; --i) {
      const std::uint64_t t = (r << 32) | c.d[i];
      c.d[i] = static_cast<std::uint32_t>(t / 1000000000);
      r = t % 1000000000;
    }
    c.trim();
    for (int k = 0; k < 9 && (n < cap); ++k) {
      if (c.is_zero() && r == 0) break;
      buf[n++] = static_cast<char>('0' + r % 10);
      r /= 10;
    }
  }
  for (int i = 0; i < n / 2; ++i) {
    const char t = buf[i];
    buf[i] = buf[n - 1 - i];
    buf[n - 1 - i] = t;
  }
  return n;
}

/// round_to_digits for any n <= max_digits: the n digits of |v| rounded to n significant
/// digits (nearest-even), as characters; value = digits * 10^j.
template <int L>
constexpr bool round_to_digits_long(const Unpacked& v, int n, char* digits, int& nd,
                                    std::int64_t& j) noexcept {
  const int e0 = floor_log10_pow2(v.exp + bit_width(v.sig) - 1);
  j = e0 - n + 1;
  BigUint<L> num, den, quot;
  num.assign(v.sig);
  den.assign(1);
  const std::int64_t a2 = v.exp - j;  // v / 10^j = sig 2^(exp-j) / 5^j
  if (j > 0) den.mul_pow5(j);
  if (j < 0) num.mul_pow5(-j);
  if (a2 > 0) num.shift_left(a2);
  if (a2 < 0) den.shift_left(-a2);
  if (num.overflow || den.overflow) return false;
  divide(num, den, quot);
  if (num.overflow) return false;
  Frac f = Frac::zero;
  if (!num.is_zero()) {
    num.shift_left(1);
    const int c = compare(num, den);
    f = c < 0 ? Frac::below_half : (c == 0 ? Frac::half : Frac::above_half);
  }
  nd = big_to_digits(quot, digits, n + 1);
  if (nd > n) {  // floor(log10 v) was e0 + 1
    f = shift_frac(digits[nd - 1] - '0', f);
    --nd;
    ++j;
  }
  const bool up = f == Frac::above_half || (f == Frac::half && ((digits[nd - 1] - '0') & 1) != 0);
  if (up) {
    int i = nd - 1;
    while (i >= 0 && digits[i] == '9') digits[i--] = '0';
    if (i >= 0) {
      ++digits[i];
    } else {  // 99..9 + 1 = 10..0: one digit fewer of significance
      digits[0] = '1';
      ++j;
    }
  }
  return true;
}

/// Prints NaN's sign only where the format has NaNs of both signs.
template <class T>
constexpr bool nan_sign_shown(const Unpacked& u) noexcept {
  return u.sign && !pack_unpack<T>(make_special(Kind::nan, false), Round::nearest_even).sign;
}

template <class T>
constexpr ToCharsResult to_chars_shortest(char* first, char* last, T x) noexcept {
  constexpr DecimalCapacity cap = decimal_limits<T>::value;
  constexpr int L = cap.limbs;
  Sink out{first, last};
  const Unpacked v = number_traits<T>::unpack(x);
  if (!write_special(out, v, v.kind == Kind::nan && nan_sign_shown<T>(v))) {
    u128 c = 0;
    std::int64_t j = 0;
    RoundTripInterval r;
    bool done = round_trip_interval<T>(v, r) && shortest_in_interval<L>(r, c, j);
    if constexpr (!FloatFormat<T>) {
      // Midpoint bounds are proven only for Float; elsewhere check the answer by parsing it.
      done = done && reads_back<T, L>(c, j, v, cap);
    }
    if (!done && !shortest_by_search<T, L>(v, cap, c, j)) return ToCharsResult{first, false};
    char digits[64] = {};
    int nd = write_u128(digits, c);
    if (j > 0 && prefer_fixed(nd, j)) {
      // Like std::to_chars, a large integer in fixed notation shows all its digits exactly
      // (2^70 prints as 1180591620717411303424, not 1180591620717411300000): the value
      // rounded to an integer (it is one whenever such a form is shortest, since a multiple of
      // 10^j within half an ulp would else be representable).
      // The value may have one digit fewer than the decimal (96 printed from "1e+02").
      const int n_int = static_cast<int>(nd + j);
      if (n_int > 60 || !round_to_digits_long<L>(v, n_int, digits, nd, j)) {
        return ToCharsResult{first, false};
      }
      if (j < 0 && !round_to_digits_long<L>(v, n_int - 1, digits, nd, j)) {
        return ToCharsResult{first, false};
      }
    }
    if (v.sign) out.put('-');
    write_shortest_form(out, digits, nd, j);
  }
  return ToCharsResult{out.p, out.ok};
}

/// Writes digits[0, nd) followed by zeros_after zeros, with scientific exponent x, in printf's
/// "%#.{n}g" style without a trailing point.
constexpr void write_general_form(Sink& out, const char* digits, int nd, std::int64_t zeros_after,
                                  std::int64_t x) noexcept {
  // Total significant digits P = nd + zeros_after; scientific exponent x.
  const std::int64_t P = nd + zeros_after;
  const auto digit = [&](std::int64_t i) { return i < nd ? digits[i] : '0'; };
  if (x < -4 || x >= P) {
    out.put(digit(0));
    if (P > 1) out.put('.');
    for (std::int64_t i = 1; i < P; ++i) out.put(digit(i));
    out.put_exponent(x);
  } else if (x >= 0) {
    for (std::int64_t i = 0; i < P; ++i) {
      if (i == x + 1) out.put('.');
      out.put(digit(i));
    }
  } else {
    out.put("0.");
    out.put_zeros(-x - 1);
    for (std::int64_t i = 0; i < P; ++i) out.put(digit(i));
  }
}

}  // namespace detail

/// Buffer size that always suffices for `to_chars(first, last, x)` (shortest form).
inline constexpr std::size_t shortest_chars_max = 64;

/// Writes the shortest decimal that reads back as exactly x with from_string<T,
/// Round::nearest_even>; among the shortest, the one closest to x (ties: even last digit).
/// Notation as std::to_chars(double), byte for byte: fixed or scientific, whichever is shorter,
/// fixed on a tie ("0.001", "1e+22", "5e-324"), and an integer in fixed notation shows all its
/// digits ("448" for float8_e4m3fn's largest value, though "450" reads back too); "inf", "-inf",
/// "nan" ("-nan" if the format has NaNs of both signs and x is a negative one), "-0".
/// Saturating formats read every large decimal as their largest value; such reads are not used
/// (float6_e2m3fn's 7.5 prints as "7.5", not "8"). No heap, no exceptions.
///
/// **Example**: `char buf[softnum::shortest_chars_max]; auto r = softnum::to_chars(buf, buf +
/// sizeof buf, softnum::binary16(0.1));  // "0.1"`
template <detail::IoNumber T>
constexpr ToCharsResult to_chars(char* first, char* last, T x) noexcept {
  return detail::to_chars_shortest(first, last, x);
}

/// Writes x correctly rounded (nearest-even) to `significant_digits` significant digits (at
/// least 1), like printf's "%#.{n}g" without a trailing '.': fixed notation when the decimal
/// exponent X satisfies -4 <= X < n, scientific otherwise; trailing zeros are kept so columns
/// line up ("1.500", "2.000e-07"). Exact digits are produced for any n (a binary value has a
/// finite decimal expansion; beyond it the digits are zeros).
template <detail::IoNumber T>
constexpr ToCharsResult to_chars(char* first, char* last, T x, int significant_digits) noexcept {
  using namespace detail;
  constexpr DecimalCapacity cap = decimal_limits<T>::value;
  constexpr int L = cap.limbs;
  const int n = significant_digits < 1 ? 1 : significant_digits;
  Sink out{first, last};
  const Unpacked v = number_traits<T>::unpack(x);
  const bool nan_sign = v.kind == Kind::nan && nan_sign_shown<T>(v);
  if (v.kind == Kind::zero) {
    if (v.sign) out.put('-');
    char zero[1] = {'0'};
    write_general_form(out, zero, 1, n - 1, 0);
    return ToCharsResult{out.p, out.ok};
  }
  if (write_special(out, v, nan_sign)) return ToCharsResult{out.p, out.ok};
  if (v.sign) out.put('-');
  if (n <= 38) {
    u128 c = 0;
    std::int64_t j = 0;
    if (!round_to_digits<L>(v, n, c, j)) return ToCharsResult{first, false};
    char digits[40] = {};
    const int nd = write_u128(digits, c);
    write_general_form(out, digits, nd, n - nd, j + nd - 1);
    return ToCharsResult{out.p, out.ok};
  }
  // Long forms: v has at most max_digits nonzero significant digits, so rounding to more
  // digits is exact and the rest are zeros.
  const int ne = n < cap.max_digits ? n : cap.max_digits;
  char digits[static_cast<std::size_t>(cap.max_digits) + 1] = {};
  int nd = 0;
  std::int64_t j = 0;
  if (!round_to_digits_long<L>(v, ne, digits, nd, j)) return ToCharsResult{first, false};
  write_general_form(out, digits, nd, n - nd, j + nd - 1);
  return ToCharsResult{out.p, out.ok};
}

/// Parses s and rounds it once to T in mode R (random: the word for Round::stochastic).
/// Accepts [+-] then decimal digits with an optional point and e/E exponent, "inf",
/// "infinity", "nan" (any case), or a hex float "0x1.8p3". No leading or trailing spaces.
/// Never throws; errors are reported in the result. Decimal values are converted exactly (up
/// to decimal_limits<T> digits; longer inputs are folded provably safely), then rounded once.
///
/// **Example**: `auto r = softnum::from_string<softnum::binary16, softnum::Round::up>("0.1");`
template <detail::IoNumber T, Round R>
constexpr ParseResult<T> from_string(std::string_view s, std::uint32_t random = 0) noexcept {
  constexpr detail::DecimalCapacity cap = detail::decimal_limits<T>::value;
  const char* first = s.data();
  const detail::RawParse r = detail::parse_unpacked<cap.limbs>(first, first + s.size(), cap);
  return ParseResult<T>{detail::number_traits<T>::pack(r.value, R, random), r.error, r.consumed};
}

/// Parses s and rounds it once to T in T's default rounding mode.
///
/// **Example**: `if (auto r = softnum::from_string<softnum::binary32>("1e-3")) use(r.value);`
template <detail::IoNumber T>
constexpr ParseResult<T> from_string(std::string_view s) noexcept {
  constexpr Round mode = detail::number_traits<T>::default_round;
  return from_string<T, mode>(s, detail::operator_random_c<mode>());
}

}  // namespace softnum
