// tests/io_test.cpp - printing and parsing (io.hpp, ops/decimal.hpp).
//
// Oracles, all independent of softnum's decimal code:
//  * std::to_chars(float/double): byte-identical shortest output for binary32/binary64;
//  * MPFR: mpfr_strtofr in a format-emulating setup (precision M+1, emin/emax, check_range,
//    subnormalize) rounds decimal strings of any length correctly in every directed mode; it is
//    also the read-back reference when checking that outputs are shortest and closest;
//  * MPFR's printf "%#.*Rg" for the fixed-significant-digits form.
#include <softnum/io.hpp>

#include <charconv>  // std::to_chars
#include <cstdint>   // fixed-width integers
#include <cstdio>    // FILE, needed before <mpfr.h> declares mpfr_snprintf
#include <cstring>   // std::memcpy, std::strcmp
#include <iomanip>   // std::setw
#include <random>    // std::mt19937_64
#include <sstream>   // std::ostringstream, std::istringstream
#include <string>    // std::string
#include <vector>    // std::vector

#include <catch2/catch.hpp>
#include <gmp.h>
#include <mpfr.h>

namespace {

using softnum::Round;
using softnum::detail::u128;

// ---------------------------------------------------------------------------------------------
// MPFR helpers.

/// A format as MPFR sees it: precision p, IEEE emin (exponent of the smallest normal), emax
/// (exponent of the largest finite value), whether the largest finite value is one ulp below the
/// all-ones significand (OCP E4M3FN), and what overflow gives.
enum class Ovf { inf, nan, saturate };
struct Spec {
  int p;
  int emin;
  int emax;
  bool fn_max;
  Ovf ovf;
};

struct Mpfr {
  mpfr_t x;
  explicit Mpfr(mpfr_prec_t p = 256) { mpfr_init2(x, p); }
  ~Mpfr() { mpfr_clear(x); }
  Mpfr(const Mpfr&) = delete;
  Mpfr& operator=(const Mpfr&) = delete;
};

struct Mpz {
  mpz_t z;
  Mpz() { mpz_init(z); }
  ~Mpz() { mpz_clear(z); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};

struct Mpq {
  mpq_t q;
  Mpq() { mpq_init(q); }
  ~Mpq() { mpq_clear(q); }
  Mpq(const Mpq&) = delete;
  Mpq& operator=(const Mpq&) = delete;
};

/// The exact value of a decimal string "[-]d.ddd[e[+-]x]" as a rational.
void decimal_rational(mpq_t q, const std::string& s) {
  std::string digits;
  long exp10 = 0;
  bool point = false, negative = false;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  for (; i < s.size() && s[i] != 'e' && s[i] != 'E'; ++i) {
    if (s[i] == '.') {
      point = true;
    } else {
      digits += s[i];
      if (point) --exp10;
    }
  }
  if (i < s.size()) exp10 += std::stol(s.substr(i + 1));
  Mpz num, p10;
  mpz_set_str(num.z, digits.c_str(), 10);
  if (negative) mpz_neg(num.z, num.z);
  mpz_ui_pow_ui(p10.z, 10, static_cast<unsigned long>(exp10 < 0 ? -exp10 : exp10));
  if (exp10 >= 0) {
    mpz_mul(num.z, num.z, p10.z);
    mpz_set_ui(p10.z, 1);
  }
  mpq_set_num(q, num.z);
  mpq_set_den(q, p10.z);
  mpq_canonicalize(q);
}

void set_u128(mpz_t z, u128 v) {
  mpz_set_ui(z, static_cast<unsigned long>(static_cast<std::uint64_t>(v >> 64)));
  mpz_mul_2exp(z, z, 64);
  mpz_add_ui(z, z, static_cast<unsigned long>(static_cast<std::uint64_t>(v)));
}

/// The exact value of a finite softnum number into m (precision must hold it).
template <class T>
void exact_value(mpfr_t m, T x) {
  const softnum::detail::Unpacked u = x.unpack();
  if (u.kind == softnum::detail::Kind::zero) {
    mpfr_set_zero(m, u.sign ? -1 : 1);
    return;
  }
  Mpz z;
  set_u128(z.z, u.sig);
  if (u.sign) mpz_neg(z.z, z.z);
  REQUIRE(mpfr_set_z_2exp(m, z.z, u.exp, MPFR_RNDN) == 0);
}

/// The exact value of a finite softnum number as a rational.
template <class T>
void exact_rational(mpq_t q, T x) {
  const softnum::detail::Unpacked u = x.unpack();
  Mpz z;
  if (u.kind == softnum::detail::Kind::finite) set_u128(z.z, u.sig);
  if (u.sign) mpz_neg(z.z, z.z);
  mpq_set_z(q, z.z);
  if (u.exp >= 0) {
    mpq_mul_2exp(q, q, static_cast<mp_bitcnt_t>(u.exp));
  } else {
    mpq_div_2exp(q, q, static_cast<mp_bitcnt_t>(-u.exp));
  }
}

/// The largest finite value of the format.
void max_value(mpfr_t m, const Spec& f) {
  // 2^(emax+1) - k 2^(emax+1-p), k = 1 (all ones) or 2 (E4M3FN).
  mpfr_set_ui_2exp(m, 1, f.emax + 1, MPFR_RNDN);
  Mpfr u(64);
  mpfr_set_ui_2exp(u.x, f.fn_max ? 2 : 1, f.emax + 1 - f.p, MPFR_RNDN);
  REQUIRE(mpfr_sub(m, m, u.x, MPFR_RNDN) == 0);
}

mpfr_rnd_t to_mpfr(Round r) {
  switch (r) {
    case Round::toward_zero:
      return MPFR_RNDZ;
    case Round::up:
      return MPFR_RNDU;
    case Round::down:
      return MPFR_RNDD;
    default:
      return MPFR_RNDN;
  }
}

/// Rounds the decimal string s to the format, as IEEE 754 does for an ieee format: precision p,
/// subnormals below 2^emin (mpfr_subnormalize), overflow by MPFR's rules at emax + 1. With
/// `unbounded` the exponent range is open above instead (the caller applies the policy).
void round_with_mpfr(mpfr_t out, const std::string& s, const Spec& f, mpfr_rnd_t rnd,
                     bool unbounded) {
  const mpfr_exp_t old_emin = mpfr_get_emin(), old_emax = mpfr_get_emax();
  mpfr_set_prec(out, f.p);
  mpfr_set_emin(f.emin - (f.p - 1) + 1);
  mpfr_set_emax(unbounded ? mpfr_get_emax_max() : f.emax + 1);
  char* end = nullptr;
  int t = mpfr_strtofr(out, s.c_str(), &end, 10, rnd);
  REQUIRE(*end == '\0');
  t = mpfr_check_range(out, t, rnd);
  mpfr_subnormalize(out, t, rnd);
  mpfr_set_emin(old_emin);
  mpfr_set_emax(old_emax);
}

/// Whether m equals the softnum value x (NaN = NaN, zeros compared with sign).
template <class T>
bool same_as_mpfr(const mpfr_t m, T x) {
  using softnum::detail::Kind;
  const softnum::detail::Unpacked u = x.unpack();
  if (mpfr_nan_p(m)) return u.kind == Kind::nan;
  if (mpfr_inf_p(m)) return u.kind == Kind::inf && u.sign == (mpfr_signbit(m) != 0);
  if (mpfr_zero_p(m)) return u.kind == Kind::zero && u.sign == (mpfr_signbit(m) != 0);
  if (u.kind != Kind::finite) return false;
  Mpfr v(256);
  exact_value(v.x, x);
  return mpfr_equal_p(v.x, m) != 0;
}

/// Whether the decimal string s reads back as the finite nonzero |x| in the format (nearest-even,
/// overflow per policy).
bool reads_back(const std::string& s, const mpfr_t abs_v, const Spec& f) {
  Mpfr r(f.p), mx(256);
  round_with_mpfr(r.x, s, f, MPFR_RNDN, true);
  max_value(mx.x, f);
  // Beyond the largest value: overflow to inf or NaN, or saturation. softnum's shortest output
  // deliberately ignores saturation (the largest value 7.5 of float6_e2m3fn would otherwise
  // print as "8"), so overflow never counts as reading back here.
  if (mpfr_cmp(r.x, mx.x) > 0) return false;
  return mpfr_equal_p(r.x, abs_v) != 0;
}

/// |v| rounded to n significant decimal digits in direction rnd, as "0.DIGITSeEXP".
std::string decimal_candidate(const mpfr_t abs_v, int n, mpfr_rnd_t rnd) {
  mpfr_exp_t e = 0;
  char* digits = mpfr_get_str(nullptr, &e, 10, static_cast<std::size_t>(n), abs_v, rnd);
  std::string s = std::string("0.") + digits + "e" + std::to_string(e);
  mpfr_free_str(digits);
  return s;
}

/// Significant digits of a printed finite number ("-1.250e+03" -> "125"), and whether it was
/// written as an integer in fixed notation.
std::string significant_digits(const std::string& s, bool& plain_integer) {
  std::string d;
  plain_integer = true;
  for (char c : s) {
    if (c == 'e') break;
    if (c == '.') plain_integer = false;
    if (c >= '0' && c <= '9') d += c;
  }
  if (s.find('e') != std::string::npos) plain_integer = false;
  const std::size_t first = d.find_first_not_of('0');
  d = first == std::string::npos ? "" : d.substr(first);
  while (!d.empty() && d.back() == '0') d.pop_back();
  return d;
}

/// Checks with MPFR that `out` (the shortest output for finite nonzero x) reads back as x, that no
/// decimal with fewer significant digits does, and that among those with as many digits it is the
/// closest to x (ties: even last digit). A large integer printed in full (std::to_chars' fixed
/// notation) is accepted if it is x's exact value. Returns an empty string or what went wrong.
template <class T>
std::string check_shortest(T x, const std::string& out, const Spec& f) {
  Mpfr v(256), av(256);
  exact_value(v.x, x);
  mpfr_abs(av.x, v.x, MPFR_RNDN);
  const std::string body = out[0] == '-' ? out.substr(1) : out;
  if ((out[0] == '-') != (mpfr_signbit(v.x) != 0)) return "wrong sign";
  if (!reads_back(body, av.x, f)) return "does not read back";
  bool plain_integer = false;
  const std::string digits = significant_digits(body, plain_integer);
  const int n = static_cast<int>(digits.size());
  if (plain_integer) {
    Mpfr w(256);
    mpfr_set_str(w.x, body.c_str(), 10, MPFR_RNDN);
    if (mpfr_equal_p(w.x, av.x)) return "";  // exact integer form
  }
  if (n > 1) {
    for (mpfr_rnd_t rnd : {MPFR_RNDD, MPFR_RNDU}) {
      if (reads_back(decimal_candidate(av.x, n - 1, rnd), av.x, f)) return "not shortest";
    }
  }
  // The closest n-digit decimal that reads back, compared exactly as rationals.
  Mpq vq, cq, diff, best_diff, best;
  exact_rational(vq.q, x);
  mpq_abs(vq.q, vq.q);
  bool have = false;
  std::string best_s;
  for (mpfr_rnd_t rnd : {MPFR_RNDD, MPFR_RNDU}) {
    const std::string cand = decimal_candidate(av.x, n, rnd);
    if (!reads_back(cand, av.x, f)) continue;
    decimal_rational(cq.q, cand);
    mpq_sub(diff.q, cq.q, vq.q);
    mpq_abs(diff.q, diff.q);
    const int cmp = have ? mpq_cmp(diff.q, best_diff.q) : -1;
    bool take = cmp < 0;
    if (cmp == 0) {  // tie: even last digit
      bool dummy = false;
      const std::string dg = significant_digits(cand, dummy);
      take = ((dg.back() - '0') % 2) == 0;
    }
    if (take) {
      have = true;
      best_s = cand;
      mpq_set(best.q, cq.q);
      mpq_set(best_diff.q, diff.q);
    }
  }
  if (!have) return "oracle found no candidate";
  Mpq got;
  decimal_rational(got.q, body);
  if (!mpq_equal(got.q, best.q)) return "not the closest (oracle: " + best_s + ")";
  return "";
}

// Format descriptions (IEEE 754; OCP OFP8 and MX v1.0 for the small ones).
constexpr Spec spec_binary16{11, -14, 15, false, Ovf::inf};
constexpr Spec spec_bfloat16{8, -126, 127, false, Ovf::inf};
constexpr Spec spec_binary32{24, -126, 127, false, Ovf::inf};
constexpr Spec spec_binary64{53, -1022, 1023, false, Ovf::inf};
constexpr Spec spec_binary128{113, -16382, 16383, false, Ovf::inf};
constexpr Spec spec_e4m3fn{4, -6, 8, true, Ovf::nan};
constexpr Spec spec_e4m3{4, -6, 7, false, Ovf::inf};
constexpr Spec spec_e5m2{3, -14, 15, false, Ovf::inf};
constexpr Spec spec_e4m3fnuz{4, -7, 7, false, Ovf::nan};
constexpr Spec spec_e5m2fnuz{3, -15, 15, false, Ovf::nan};
constexpr Spec spec_e2m3fn{4, 0, 2, false, Ovf::saturate};
constexpr Spec spec_e3m2fn{3, -2, 4, false, Ovf::saturate};
constexpr Spec spec_e2m1fn{2, 0, 2, false, Ovf::saturate};

template <class T>
T from_bits_any(std::uint64_t b) {
  return T::from_bits(static_cast<typename T::storage_type>(b));
}

/// Every code of T: to_string reads back (from_string, nearest-even) to the same code (NaN to a
/// NaN), and, with an oracle spec, is the shortest and closest such decimal.
template <class T>
void exhaustive_round_trip(const Spec* spec) {
  const int width = 1 + T::exponent_bits + T::mantissa_bits;
  int failures = 0;
  for (std::uint64_t b = 0; b < (std::uint64_t{1} << width); ++b) {
    const T x = from_bits_any<T>(b);
    const std::string s = softnum::to_string(x);
    const auto r = softnum::from_string<T, Round::nearest_even>(s);
    // Same code; or, for the codes a format without subnormals reads as zero, a zero.
    const bool same = softnum::isnan(x)
                          ? softnum::isnan(r.value)
                          : (r.value.bits() == x.bits() ||
                             (r.value == x && softnum::signbit(r.value) == softnum::signbit(x)));
    std::string why = !r.ok() ? "parse error" : (!same ? "different value" : "");
    if (why.empty() && spec != nullptr && softnum::isfinite(x) && !softnum::iszero(x)) {
      why = check_shortest(x, s, *spec);
    }
    if (!why.empty() && ++failures <= 5) {
      FAIL_CHECK("code 0x" << std::hex << b << std::dec << " printed \"" << s << "\": " << why);
    }
  }
  CHECK(failures == 0);
}

template <class T, class N>
void to_chars_identical(N native, const char* what, int& failures) {
  char a[64], b[64];
  const auto ra = std::to_chars(a, a + sizeof a, native);
  const std::string sa(a, ra.ptr);
  typename T::storage_type bits{};
  std::memcpy(&bits, &native, sizeof native);
  const T x = T::from_bits(bits);
  const auto rb = softnum::to_chars(b, b + sizeof b, x);
  const std::string sb(b, rb.ok ? rb.ptr : b);
  bool ok = sa == sb;
  // And it reads back (NaN payloads aside).
  const auto back = softnum::from_string<T>(sb);
  ok = ok && back.ok() &&
       (softnum::isnan(x) ? softnum::isnan(back.value) : back.value.bits() == bits);
  if (!ok && ++failures <= 5) {
    FAIL_CHECK(what << ": std::to_chars \"" << sa << "\", softnum \"" << sb << "\"");
  }
}

/// Exact decimal digits of the dyadic z * 2^e (z > 0): returns D and sets k with value D * 10^k.
std::string exact_decimal(const mpz_t z, long e, long& k) {
  Mpz t;
  if (e >= 0) {
    mpz_mul_2exp(t.z, z, static_cast<mp_bitcnt_t>(e));
    k = 0;
  } else {
    mpz_ui_pow_ui(t.z, 5, static_cast<unsigned long>(-e));
    mpz_mul(t.z, t.z, z);
    k = e;
  }
  char* s = mpz_get_str(nullptr, 10, t.z);
  std::string r(s);
  void (*freefunc)(void*, std::size_t) = nullptr;
  mp_get_memory_functions(nullptr, nullptr, &freefunc);
  freefunc(s, std::strlen(s) + 1);
  return r;
}

/// Parses s in mode R with softnum and with MPFR; returns whether they agree.
template <class T, Round R>
bool parse_agrees(const std::string& s, const Spec& f, std::string& detail) {
  const auto r = softnum::from_string<T, R>(s);
  Mpfr m(f.p);
  round_with_mpfr(m.x, s, f, to_mpfr(R), false);
  if (!r.ok() || !same_as_mpfr(m.x, r.value)) {
    detail = r.ok() ? std::string("value ") + softnum::to_string(r.value, 40)
                    : std::string("error ") + softnum::describe(r.error);
    return false;
  }
  return true;
}

template <class T>
bool parse_agrees_all_modes(const std::string& s, const Spec& f, int& failures) {
  std::string detail;
  const char* mode = nullptr;
  if (!parse_agrees<T, Round::nearest_even>(s, f, detail))
    mode = "nearest_even";
  else if (!parse_agrees<T, Round::toward_zero>(s, f, detail))
    mode = "toward_zero";
  else if (!parse_agrees<T, Round::up>(s, f, detail))
    mode = "up";
  else if (!parse_agrees<T, Round::down>(s, f, detail))
    mode = "down";
  if (mode != nullptr && ++failures <= 5) {
    FAIL_CHECK("\"" << (s.size() > 120 ? s.substr(0, 60) + "..." + s.substr(s.size() - 40) : s)
                    << "\" (" << s.size() << " chars) in mode " << mode << ": " << detail);
  }
  return mode == nullptr;
}

/// Random decimal strings: 1..40 digits, sign, point anywhere or none, exponents spanning the
/// format's range and beyond, various spellings.
std::string random_decimal(std::mt19937_64& g, int lo10, int hi10) {
  std::string s;
  if (g() % 2) s += (g() % 4 == 0) ? "+" : "-";
  const int n = 1 + static_cast<int>(g() % 40);
  std::string digits;
  for (int i = 0; i < n; ++i) digits += static_cast<char>('0' + g() % 10);
  if (digits[0] == '0' && g() % 4 != 0) digits[0] = static_cast<char>('1' + g() % 9);
  const int point = static_cast<int>(g() % static_cast<std::uint64_t>(n + 1));
  const int target = lo10 + static_cast<int>(g() % static_cast<std::uint64_t>(hi10 - lo10 + 1));
  // value ~ 10^(point - 1 + exp) with the point after `point` digits.
  const int e = target - (point - 1);
  if (point == n && g() % 3 == 0) {
    s += digits;
  } else {
    s += digits.substr(0, static_cast<std::size_t>(point)) + "." +
         digits.substr(static_cast<std::size_t>(point));
  }
  if (e != 0 || g() % 2) s += std::string(g() % 2 ? "e" : "E") + std::to_string(e);
  return s;
}

template <class T>
void random_parse_test(const Spec& f, int count, std::uint64_t seed) {
  INFO("seed " << seed);
  std::mt19937_64 g(seed);
  // Decimal exponents from below half the smallest subnormal to beyond the largest value.
  const int lo10 = static_cast<int>((f.emin - f.p) * 0.30103) - 3;
  const int hi10 = static_cast<int>((f.emax + 1) * 0.30103) + 3;
  int failures = 0;
  for (int i = 0; i < count; ++i)
    parse_agrees_all_modes<T>(random_decimal(g, lo10, hi10), f, failures);
  CHECK(failures == 0);
}

/// Exact midpoints between adjacent values (and between the largest value and the next power
/// of two), written with all their digits; then padded with zeros to `pad` digits and moved by one
/// unit in the last digit either way. Parsed in every directed mode and nearest-even.
template <class T>
void midpoint_parse_test(const Spec& f, int count, const std::vector<int>& pads, std::uint64_t seed,
                         bool subnormal_only = false) {
  INFO("seed " << seed);
  std::mt19937_64 g(seed);
  const int width = 1 + T::exponent_bits + T::mantissa_bits;
  using st = typename T::storage_type;
  const st mag_mask = static_cast<st>((static_cast<st>(1) << (width - 1)) - 1);
  int failures = 0;
  for (int i = 0; i < count; ++i) {
    st b = static_cast<st>((static_cast<u128>(g()) << 64 | g()) & mag_mask);
    if (subnormal_only) b = static_cast<st>(b & ((static_cast<st>(1) << T::mantissa_bits) - 1));
    const T x = T::from_bits(b);
    if (!softnum::isfinite(x)) continue;
    Mpfr v(400), w(400), mid(400);
    exact_value(v.x, x);
    const T y = T::from_bits(static_cast<st>(b + 1));
    if (softnum::isfinite(y)) {
      exact_value(w.x, y);
    } else {
      mpfr_set_ui_2exp(w.x, 1, f.emax + 1, MPFR_RNDN);
    }
    REQUIRE(mpfr_add(mid.x, v.x, w.x, MPFR_RNDN) == 0);
    mpfr_div_2ui(mid.x, mid.x, 1, MPFR_RNDN);
    Mpz z;
    const long e = static_cast<long>(mpfr_get_z_2exp(z.z, mid.x));
    long k = 0;
    const std::string d = exact_decimal(z.z, e, k);
    const std::string sign = g() % 2 ? "-" : "";
    parse_agrees_all_modes<T>(sign + d + "e" + std::to_string(k), f, failures);
    for (int pad : pads) {
      if (pad <= static_cast<int>(d.size())) continue;
      const std::size_t extra = static_cast<std::size_t>(pad) - d.size();
      Mpz p;
      mpz_set_str(p.z, (d + std::string(extra, '0')).c_str(), 10);
      const std::string ek = "e" + std::to_string(k - static_cast<long>(extra));
      for (int delta : {+1, -1}) {
        Mpz q;
        if (delta > 0)
          mpz_add_ui(q.z, p.z, 1);
        else
          mpz_sub_ui(q.z, p.z, 1);
        char* s = mpz_get_str(nullptr, 10, q.z);
        const std::string str = sign + s + ek;
        void (*freefunc)(void*, std::size_t) = nullptr;
        mp_get_memory_functions(nullptr, nullptr, &freefunc);
        freefunc(s, std::strlen(s) + 1);
        parse_agrees_all_modes<T>(str, f, failures);
      }
    }
  }
  CHECK(failures == 0);
}

/// printf's "%#g" keeps a point with no digits after it ("2.", "1.e+10"); softnum omits it.
std::string strip_lone_point(const std::string& s) {
  const std::size_t e = s.find('e');
  const std::size_t end = e == std::string::npos ? s.size() : e;
  if (end > 0 && s[end - 1] == '.') return s.substr(0, end - 1) + s.substr(end);
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

TEST_CASE("shortest output: examples", "[io]") {
  using namespace softnum;
  CHECK(to_string(binary64(0.1)) == "0.1");
  CHECK(to_string(binary64(-0.0)) == "-0");
  CHECK(to_string(binary64(0.0)) == "0");
  CHECK(to_string(binary64(1e22)) == "1e+22");
  CHECK(to_string(binary64(1e21)) == "1e+21");
  CHECK(to_string(binary64(123456.0)) == "123456");
  CHECK(to_string(binary64(5e-324)) == "5e-324");
  CHECK(to_string(binary64(0.001)) == "0.001");
  CHECK(to_string(binary64(1e-5)) == "1e-05");
  CHECK(to_string(std::numeric_limits<binary64>::infinity()) == "inf");
  CHECK(to_string(-std::numeric_limits<binary64>::infinity()) == "-inf");
  CHECK(to_string(std::numeric_limits<binary64>::quiet_NaN()) == "nan");
  CHECK(to_string(-std::numeric_limits<binary64>::quiet_NaN()) == "-nan");
  CHECK(to_string(float4_e2m1fn(0.5)) == "0.5");
  CHECK(to_string(float4_e2m1fn(6.0)) == "6");
  CHECK(to_string(float4_e2m1fn(-1.5)) == "-1.5");
  CHECK(to_string(float8_e4m3fn(448.0)) == "448");
  CHECK(to_string(float8_e4m3fnuz::from_bits(0x80)) == "nan");  // the only NaN: no sign shown
  CHECK(to_string(binary16(0.1)) == "0.1");
  CHECK(to_string(binary16(65504.0)) == "65504");
  CHECK(to_string(bfloat16(1.0 / 3)) == "0.334");       // 0.333984375; 0.333 reads as 0.33203125
  CHECK(to_string(bfloat16::from_bits(1)) == "9e-41");  // 9.18e-41: closer than 1e-40
  CHECK(to_string(float8_e4m3(96.0)) == "96");          // shortest "1e+02", printed exactly
  CHECK(to_string(binary128(0.1)) == "0.1000000000000000055511151231257827");
  CHECK(to_string(binary128(1) / binary128(3)) == "0.3333333333333333333333333333333333");
  CHECK(to_string(std::numeric_limits<binary128>::denorm_min()) == "6e-4966");
  for (binary128 x :
       {std::numeric_limits<binary128>::max(), std::numeric_limits<binary128>::min(),
        std::numeric_limits<binary128>::denorm_min(), -std::numeric_limits<binary128>::min()}) {
    const std::string s = to_string(x);
    INFO(s);
    CHECK(check_shortest(x, s, spec_binary128).empty());
    CHECK(from_string<binary128>(s).value == x);
  }
}

TEST_CASE("shortest output is byte-identical to std::to_chars for binary32 and binary64", "[io]") {
  int failures = 0;
  // Specials, zeros, extremes, every power of two, subnormals.
  for (double d :
       {0.0, -0.0, 1.0, -1.0, 0.1, 1e22, 1e23, 9007199254740993.0, 5e-324, 2.2250738585072014e-308,
        2.225073858507201e-308, 1.7976931348623157e308, std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
        -std::numeric_limits<double>::quiet_NaN()}) {
    to_chars_identical<softnum::binary64>(d, "binary64", failures);
    to_chars_identical<softnum::binary32>(static_cast<float>(d), "binary32", failures);
  }
  for (int e = -1074; e <= 1023; ++e) {
    to_chars_identical<softnum::binary64>(std::ldexp(1.0, e), "binary64 2^e", failures);
    to_chars_identical<softnum::binary64>(-std::ldexp(1.0, e), "binary64 -2^e", failures);
  }
  for (int e = -149; e <= 127; ++e) {
    to_chars_identical<softnum::binary32>(std::ldexp(1.0f, e), "binary32 2^e", failures);
  }
  const std::uint64_t seed = 20240611;
  INFO("seed " << seed);
  std::mt19937_64 g(seed);
  for (int i = 0; i < 1000000; ++i) {
    std::uint64_t b = g();
    double d = 0;
    if (i % 16 == 0) b &= 0x800F'FFFF'FFFF'FFFFu;  // subnormals
    std::memcpy(&d, &b, sizeof d);
    to_chars_identical<softnum::binary64>(d, "binary64 random", failures);
  }
  for (int i = 0; i < 1000000; ++i) {
    std::uint32_t b = static_cast<std::uint32_t>(g());
    if (i % 16 == 0) b &= 0x807F'FFFFu;
    float f = 0;
    std::memcpy(&f, &b, sizeof f);
    to_chars_identical<softnum::binary32>(f, "binary32 random", failures);
  }
  CHECK(failures == 0);
}

TEST_CASE("exhaustive round trip, shortest and closest: 16-bit formats", "[io]") {
  SECTION("binary16") { exhaustive_round_trip<softnum::binary16>(&spec_binary16); }
  SECTION("bfloat16") { exhaustive_round_trip<softnum::bfloat16>(&spec_bfloat16); }
}

TEST_CASE("exhaustive round trip, shortest and closest: 8-, 6- and 4-bit formats", "[io]") {
  exhaustive_round_trip<softnum::float8_e4m3fn>(&spec_e4m3fn);
  exhaustive_round_trip<softnum::float8_e4m3>(&spec_e4m3);
  exhaustive_round_trip<softnum::float8_e5m2>(&spec_e5m2);
  exhaustive_round_trip<softnum::float8_e4m3fnuz>(&spec_e4m3fnuz);
  exhaustive_round_trip<softnum::float8_e5m2fnuz>(&spec_e5m2fnuz);
  exhaustive_round_trip<softnum::float6_e2m3fn>(&spec_e2m3fn);
  exhaustive_round_trip<softnum::float6_e3m2fn>(&spec_e3m2fn);
  exhaustive_round_trip<softnum::float4_e2m1fn>(&spec_e2m1fn);
  // Policy variants: no subnormals; saturation in an ieee format; another default rounding.
  exhaustive_round_trip<softnum::with_subnormals_t<softnum::float8_e4m3, false>>(nullptr);
  exhaustive_round_trip<softnum::with_subnormals_t<softnum::binary16, false>>(nullptr);
  exhaustive_round_trip<
      softnum::with_overflow_t<softnum::float8_e5m2, softnum::Overflow::saturate>>(nullptr);
  exhaustive_round_trip<softnum::with_round_t<softnum::float8_e4m3, Round::up>>(&spec_e4m3);
}

TEST_CASE("binary128: random round trips, shortest and closest", "[io]") {
  const std::uint64_t seed = 77;
  INFO("seed " << seed);
  std::mt19937_64 g(seed);
  int failures = 0;
  for (int i = 0; i < 20000; ++i) {
    u128 b = static_cast<u128>(g()) << 64 | g();
    if (i % 8 == 0) b &= ~(static_cast<u128>(0x7FFF) << 112);  // subnormals
    if (i % 8 == 1)
      b = (b & ~(static_cast<u128>(0x7FFF) << 112)) |
          (static_cast<u128>(16383 + i % 64 - 32) << 112);
    const auto x = softnum::binary128::from_bits(b);
    const std::string s = softnum::to_string(x);
    const auto r = softnum::from_string<softnum::binary128>(s);
    const bool same = softnum::isnan(x) ? softnum::isnan(r.value) : r.value.bits() == x.bits();
    std::string why = !r.ok() ? "parse error" : (!same ? "different value" : "");
    if (why.empty() && softnum::isfinite(x) && !softnum::iszero(x) && i % 4 == 0) {
      why = check_shortest(x, s, spec_binary128);
    }
    if (!why.empty() && ++failures <= 5) FAIL_CHECK("printed \"" << s << "\": " << why);
  }
  CHECK(failures == 0);
}

TEST_CASE("parsing random decimal strings agrees with MPFR in every directed mode", "[io]") {
  SECTION("binary16") { random_parse_test<softnum::binary16>(spec_binary16, 20000, 1); }
  SECTION("bfloat16") { random_parse_test<softnum::bfloat16>(spec_bfloat16, 20000, 2); }
  SECTION("binary32") { random_parse_test<softnum::binary32>(spec_binary32, 20000, 3); }
  SECTION("binary64") { random_parse_test<softnum::binary64>(spec_binary64, 20000, 4); }
  SECTION("binary128") { random_parse_test<softnum::binary128>(spec_binary128, 5000, 5); }
  SECTION("float8_e4m3") { random_parse_test<softnum::float8_e4m3>(spec_e4m3, 5000, 6); }
}

TEST_CASE("parsing exact midpoints and midpoints +-1 in the last of many digits", "[io]") {
  // binary64 midpoints have up to 767 digits; 800 is still exact in the parser, 2000 and 20000
  // are beyond its exact capacity (919 for binary64) and go through the sticky folding.
  SECTION("binary16") {
    midpoint_parse_test<softnum::binary16>(spec_binary16, 3000, {40, 200, 800}, 11);
  }
  SECTION("bfloat16") {
    midpoint_parse_test<softnum::bfloat16>(spec_bfloat16, 2000, {200, 800}, 12);
  }
  SECTION("binary32") {
    midpoint_parse_test<softnum::binary32>(spec_binary32, 2000, {200, 800}, 13);
  }
  SECTION("binary64") {
    midpoint_parse_test<softnum::binary64>(spec_binary64, 1500, {800}, 14);
    midpoint_parse_test<softnum::binary64>(spec_binary64, 100, {2000, 20000}, 15);
    midpoint_parse_test<softnum::binary64>(spec_binary64, 100, {800, 2000}, 16, true);
  }
  SECTION("binary128") {
    midpoint_parse_test<softnum::binary128>(spec_binary128, 200, {200}, 17);
    // Subnormal midpoints: ~11500 digits; 12000 goes beyond the parser's exact capacity.
    midpoint_parse_test<softnum::binary128>(spec_binary128, 8, {12000}, 18, true);
  }
}

TEST_CASE("parsing: accepted syntax and special values", "[io]") {
  using namespace softnum;
  const auto val = [](const char* s) { return from_string<binary64>(s); };
  CHECK(val("0x1.8p3").value == binary64(12.0));
  CHECK(val("0X.8P1").value == binary64(1.0));
  CHECK(val("0x10").value == binary64(16.0));
  CHECK(val("-0x1p-1074").value == binary64(-5e-324));
  CHECK(val("0x1.fffffffffffff8p0").value == binary64(2.0));  // tie, to even
  CHECK(val("0x1.fffffffffffff80000000000000000000001p0").value == binary64(2.0));
  CHECK(val("0x1.fffffffffffff7ffffffffffffffffffffffp0").value.bits() == 0x3FFF'FFFF'FFFF'FFFFu);
  CHECK(from_string<binary64, Round::up>("0x1.00000000000000000000000000000000000001p0")
            .value.bits() == 0x3FF0'0000'0000'0001u);
  CHECK(val("+1.5").value == binary64(1.5));
  CHECK(val(".5").value == binary64(0.5));
  CHECK(val("5.").value == binary64(5.0));
  CHECK(val("1E+2").value == binary64(100.0));
  CHECK(val("000000000000000000000000000000000000000001e-0").value == binary64(1.0));
  CHECK(val("0.000000000000000000000000000000000000000000000000000000000001e60").value ==
        binary64(1.0));
  CHECK(signbit(val("-0").value));
  CHECK(signbit(val("-0.000e5").value));
  CHECK(isinf(val("inf").value));
  CHECK(isinf(val("INFINITY").value));
  CHECK(signbit(val("-Inf").value));
  CHECK(isnan(val("nan").value));
  CHECK(isnan(val("NaN").value));
  CHECK(signbit(val("-nan").value));
  CHECK(val("1e400").value == std::numeric_limits<binary64>::infinity());
  CHECK(from_string<binary64, Round::toward_zero>("1e400").value ==
        std::numeric_limits<binary64>::max());
  CHECK(val("1e999999999").value == std::numeric_limits<binary64>::infinity());
  CHECK(val("1e99999999999999999999999999").value == std::numeric_limits<binary64>::infinity());
  CHECK(val("-1e999999999").value == -std::numeric_limits<binary64>::infinity());
  CHECK(from_string<binary64, Round::down>("1e999999999").value ==
        std::numeric_limits<binary64>::max());
  CHECK(val("1e-999999999").value.bits() == 0);
  CHECK(val("-1e-99999999999999999999").value.bits() == 0x8000'0000'0000'0000u);
  CHECK(from_string<binary64, Round::up>("1e-999999999").value.bits() == 1);
  CHECK(from_string<binary64, Round::down>("-1e-999999999").value.bits() == 0x8000'0000'0000'0001u);
  CHECK(val("0x1p999999999999").value == std::numeric_limits<binary64>::infinity());
  CHECK(from_string<binary64, Round::up>("0x1p-999999999999").value.bits() == 1);
  {
    // 2^-1075, half the smallest subnormal, written exactly: ties to 0; a 1 after it rounds up.
    Mpz one;
    mpz_set_ui(one.z, 1);
    long k = 0;
    const std::string d = exact_decimal(one.z, -1075, k);
    CHECK(val((d + "e" + std::to_string(k)).c_str()).value.bits() == 0);
    CHECK(val((d + "0000000001e" + std::to_string(k - 10)).c_str()).value.bits() == 1);
    CHECK(val(("0." + std::string(400, '0') + d + "e" +
               std::to_string(k + 400 + static_cast<long>(d.size())))
                  .c_str())
              .value.bits() == 0);
  }
  // Types without NaN or infinity convert as convert<> does.
  CHECK(from_string<float4_e2m1fn>("100").value == float4_e2m1fn(6.0));
  CHECK(isnan(from_string<float8_e4m3fn>("1000").value));
  CHECK(from_string<float8_e4m3fn>("464").value == float8_e4m3fn(448.0));  // tie to even, not NaN
  // Compile-time parsing and printing.
  static_assert(from_string<binary16>("0.1").value.bits() == 0x2E66);
  static_assert(from_string<binary32>("0.1").value.bits() == 0x3DCC'CCCD);
}

TEST_CASE("parsing: malformed input gives the documented error", "[io]") {
  using softnum::ParseError;
  struct Case {
    const char* s;
    ParseError error;
    std::size_t consumed;
  };
  const Case cases[] = {
      {"", ParseError::empty, 0},
      {"-", ParseError::no_digits, 1},
      {"+", ParseError::no_digits, 1},
      {".", ParseError::no_digits, 1},
      {"-.e5", ParseError::no_digits, 2},
      {"1e", ParseError::invalid_exponent, 1},
      {"1e+", ParseError::invalid_exponent, 1},
      {"1.5E-x", ParseError::invalid_exponent, 3},
      {"0x1p", ParseError::invalid_exponent, 3},
      {"1.2.3", ParseError::trailing_characters, 3},
      {"0x", ParseError::no_digits, 2},
      {"0x.p1", ParseError::no_digits, 2},
      {"1e5x", ParseError::trailing_characters, 3},
      {"12 ", ParseError::trailing_characters, 2},
      {" 1", ParseError::invalid_character, 0},
      {"abc", ParseError::invalid_character, 0},
      {"-x", ParseError::invalid_character, 1},
      {"infinit", ParseError::trailing_characters, 3},
      {"nana", ParseError::trailing_characters, 3},
      {"1,5", ParseError::trailing_characters, 1},
  };
  for (const Case& c : cases) {
    INFO("input \"" << c.s << "\"");
    const auto r = softnum::from_string<softnum::binary32>(c.s);
    CHECK(r.error == c.error);
    CHECK(r.consumed == c.consumed);
    CHECK(!r.ok());
    CHECK(std::string(softnum::describe(r.error)).size() > 5);
  }
  // The prefix value is kept with trailing characters.
  CHECK(softnum::from_string<softnum::binary32>("1.25xyz").value == softnum::binary32(1.25));
  CHECK(softnum::from_string<softnum::binary32>("1e5x").value == softnum::binary32(1e5f));
  CHECK(std::string(softnum::describe(ParseError::none)) == "no error");
}

TEST_CASE("fixed significant digits agree with MPFR printf", "[io]") {
  const std::uint64_t seed = 99;
  INFO("seed " << seed);
  std::mt19937_64 g(seed);
  int failures = 0;
  char buf[2048];
  // MPFR's printf, not glibc's: glibc's "%#.2g" prints 99.5 as "1.e+02", against C's rule
  // (the exponent X is taken after rounding to P digits, so it is "1.0e+02").
  const auto printf_form = [&](double d, int n) {
    Mpfr m(53);
    mpfr_set_d(m.x, d, MPFR_RNDN);
    mpfr_snprintf(buf, sizeof buf, "%#.*Rg", n, m.x);
    return strip_lone_point(buf);
  };
  const auto check = [&](double d, int n) {
    const std::string a = printf_form(d, n), b = softnum::to_string(softnum::binary64(d), n);
    if (a != b && ++failures <= 5)
      FAIL_CHECK(n << " digits: printf \"" << a << "\", softnum \"" << b << "\"");
  };
  for (int i = 0; i < 200000; ++i) {
    std::uint64_t b = g();
    if (i % 4 == 0)
      b = (b & 0x800F'FFFF'FFFF'FFFFu) | (static_cast<std::uint64_t>(1023 + g() % 40 - 20) << 52);
    double d = 0;
    std::memcpy(&d, &b, sizeof d);
    if (std::isnan(d)) continue;
    check(d, 1 + static_cast<int>(g() % 40));
  }
  for (int n : {1, 2, 5, 17, 60, 100, 767, 800, 1100}) {
    for (double d : {5e-324, 0.1, 1.0 / 3, 1e300, 9.5, 0.95, 99.5, 2.5, 1e-5, 123456789.0, 0.0,
                     -0.0, -2.5e-300}) {
      check(d, n);
    }
  }
  CHECK(softnum::to_string(softnum::binary16(0.1), 12) == "0.0999755859375");
  CHECK(softnum::to_string(softnum::binary16(0.1), 3) == "0.100");
  CHECK(softnum::to_string(softnum::float4_e2m1fn(6.0), 4) == "6.000");
  CHECK(softnum::to_string(softnum::binary32(1e-7f), 3) == "1.00e-07");
  CHECK(softnum::to_string(softnum::binary64(1.5), 0) == "2");  // at least one digit
  CHECK(softnum::to_string(std::numeric_limits<softnum::binary64>::infinity(), 5) == "inf");
  CHECK(softnum::to_string(softnum::float8_e4m3fn::from_bits(0xFF), 5) == "-nan");
  // binary128 against MPFR's printf.
  std::mt19937_64 h(seed + 1);
  for (int i = 0; i < 2000; ++i) {
    const u128 bits = (static_cast<u128>(h()) << 64 | h()) & ~(static_cast<u128>(1) << 127);
    const auto x = softnum::binary128::from_bits(bits);
    if (!softnum::isfinite(x)) continue;
    const int n = 1 + static_cast<int>(h() % 50);
    Mpfr m(113);
    exact_value(m.x, x);
    mpfr_snprintf(buf, sizeof buf, "%#.*Rg", n, m.x);
    const std::string a = strip_lone_point(buf);
    const std::string b = softnum::to_string(x, n);
    if (a != b && ++failures <= 5)
      FAIL_CHECK(n << " digits: mpfr \"" << a << "\", softnum \"" << b << "\"");
  }
  CHECK(failures == 0);
}

TEST_CASE("to_chars reports a buffer that is too small", "[io]") {
  char buf[4];
  CHECK(softnum::to_chars(buf, buf + 4, softnum::binary64(0.1)).ok);
  CHECK(!softnum::to_chars(buf, buf + 4, softnum::binary64(0.125)).ok);
  CHECK(!softnum::to_chars(buf, buf + 4, softnum::binary64(1.5), 10).ok);
}

TEST_CASE("streams", "[io]") {
  using namespace softnum;
  std::ostringstream os;
  os << binary16(0.1) << ' ' << float8_e5m2(-3.0) << ' ' << std::setw(6) << bfloat16(1.0) << '|';
  CHECK(os.str() == "0.1 -3      1|");
  std::istringstream is("  1.5\t-0x1p-2\n1e400 2.5x 7");
  binary32 a, b, c, d(9.0f), e;
  is >> a >> b >> c;
  CHECK(a == binary32(1.5f));
  CHECK(b == binary32(-0.25f));
  CHECK(isinf(c));
  CHECK(is.good());
  is >> d;  // "2.5x": the whole token must be a number
  CHECK(is.fail());
  CHECK(d == binary32(9.0f));
  is.clear();
  is >> e;
  CHECK(e == binary32(7.0f));
  CHECK(is.eof());
  std::istringstream empty("   ");
  empty >> e;
  CHECK(empty.fail());
  // Round trip through a stream for every binary16 code.
  std::stringstream ss;
  for (std::uint32_t i = 0; i < 0x7C00; i += 7)
    ss << binary16::from_bits(static_cast<std::uint16_t>(i)) << '\n';
  int failures = 0;
  for (std::uint32_t i = 0; i < 0x7C00; i += 7) {
    binary16 x;
    ss >> x;
    if (x.bits() != i) ++failures;
  }
  CHECK(failures == 0);
}

TEST_CASE("the generic fallback search finds the same shortest digits", "[io]") {
  // Types whose rounding boundaries are not provably midpoints (posits, say) are printed by
  // parsing candidates back; on Float types both methods must agree.
  const auto agree = [](auto x, int& failures) {
    using T = decltype(x);
    namespace d = softnum::detail;
    constexpr d::DecimalCapacity cap = d::decimal_limits<T>::value;
    const d::Unpacked v = x.unpack();
    if (v.kind != d::Kind::finite) return;
    u128 c1 = 0, c2 = 0;
    std::int64_t j1 = 0, j2 = 0;
    d::RoundTripInterval r;
    const bool ok1 =
        d::round_trip_interval<T>(v, r) && d::shortest_in_interval<cap.limbs>(r, c1, j1);
    const bool ok2 = d::shortest_by_search<T, cap.limbs>(v, cap, c2, j2);
    if (!(ok1 && ok2 && c1 == c2 && j1 == j2) && ++failures <= 5) {
      FAIL_CHECK("code " << static_cast<std::uint64_t>(x.bits()) << ": interval "
                         << static_cast<std::uint64_t>(c1) << "e" << j1 << ", search "
                         << static_cast<std::uint64_t>(c2) << "e" << j2);
    }
  };
  int failures = 0;
  for (std::uint32_t b = 0; b < 0x10000; b += 3)
    agree(softnum::binary16::from_bits(static_cast<std::uint16_t>(b)), failures);
  for (std::uint32_t b = 0; b < 0x100; ++b) {
    agree(softnum::float8_e4m3fn::from_bits(static_cast<std::uint8_t>(b)), failures);
    agree(softnum::float8_e5m2fnuz::from_bits(static_cast<std::uint8_t>(b)), failures);
  }
  std::mt19937_64 g(5);
  for (int i = 0; i < 3000; ++i) agree(softnum::binary64::from_bits(g()), failures);
  CHECK(failures == 0);
}

TEST_CASE("folding digits beyond the capacity is exact or reported", "[io]") {
  // With the real capacity folding is never ambiguous (decimal.hpp proves it). With a smaller
  // one the parser must still never misround: it keeps a 126-bit round-to-odd result, so folding
  // works where the kept digits pin that down (45 digits: 10^-45 << 2^-126) and everything else
  // is reported as too_many_digits: every input with 25 kept digits, and, with 45, inputs just
  // above a midpoint (the midpoint, a 126-bit grid point, shares their first 45 digits).
  using T = softnum::binary64;
  namespace d = softnum::detail;
  constexpr int L = d::decimal_limits<T>::value.limbs;
  std::mt19937_64 g(31);
  const auto long_input = [&](int i) {
    if (i % 2 == 0) {  // 50..90 random digits
      std::string s = "0.";
      const int n = 50 + static_cast<int>(g() % 41);
      for (int k = 0; k < n; ++k) s += static_cast<char>('0' + (k == 0 ? 1 + g() % 9 : g() % 10));
      return s + "e" + std::to_string(static_cast<int>(g() % 600) - 300);
    }
    // A binary64 midpoint with a 1 appended: just above a tie.
    const T x = T::from_bits(g() & 0x7FEF'FFFF'FFFF'FFFFu);
    Mpfr v(200), w(200);
    exact_value(v.x, x);
    exact_value(w.x, T::from_bits(x.bits() + 1));
    mpfr_add(v.x, v.x, w.x, MPFR_RNDN);
    mpfr_div_2ui(v.x, v.x, 1, MPFR_RNDN);
    Mpz z;
    const long e = static_cast<long>(mpfr_get_z_2exp(z.z, v.x));
    long k = 0;
    const std::string dg = exact_decimal(z.z, e, k);
    return dg + "1e" + std::to_string(k - 1);
  };
  for (int digits : {45, 25}) {
    INFO("capacity " << digits << " digits");
    d::DecimalCapacity cap = d::decimal_limits<T>::value;
    cap.max_digits = digits;
    int exact = 0, reported = 0, failures = 0, random_exact = 0;
    for (int i = 0; i < 2000; ++i) {
      const std::string s = long_input(i);
      const d::RawParse r = d::parse_unpacked<L>(s.data(), s.data() + s.size(), cap);
      if (r.error == softnum::ParseError::too_many_digits) {
        ++reported;
        continue;
      }
      const T value = d::number_traits<T>::pack(r.value, Round::nearest_even, 0);
      Mpfr m(53);
      round_with_mpfr(m.x, s, spec_binary64, MPFR_RNDN, false);
      if (r.error != softnum::ParseError::none || !same_as_mpfr(m.x, value)) {
        if (++failures <= 5) FAIL_CHECK("\"" << s << "\" misparsed");
      } else {
        ++exact;
        random_exact += i % 2 == 0;
      }
    }
    CHECK(failures == 0);
    CHECK(exact + reported == 2000);
    if (digits == 45) {
      CHECK(random_exact == 1000);
      CHECK(reported > 900);
    } else {
      CHECK(reported > 1900);  // all but the few midpoints that have at most 25 digits
    }
  }
  // Short inputs stay exact with the small capacity.
  d::DecimalCapacity cap = d::decimal_limits<T>::value;
  cap.max_digits = 25;
  const std::string s = "1.234567890123456789012345e-300";
  const d::RawParse r = d::parse_unpacked<L>(s.data(), s.data() + s.size(), cap);
  CHECK(r.error == softnum::ParseError::none);
  CHECK(d::number_traits<T>::pack(r.value, Round::nearest_even, 0) ==
        softnum::from_string<T>(s).value);
}
