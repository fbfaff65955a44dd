// Tests of convert<To>(from) and convert<To, R>(from, random): one correct rounding between every
// pair of types, in every rounding mode, against the independent oracles (tests/oracle/oracle.hpp
// for Float and native floating types, tests/oracle/fixed_oracle.hpp for Fixed and integers).
//   * exhaustive: every pair of formats of at most 8 bits among the Float fp8/fp6/fp4 aliases, the
//     8-bit Fixed formats (both overflow policies) and Posit<8, 0..5>, every source code, every
//     mode (to a Posit: the five modes tests/oracle/posit_oracle.hpp defines; odd and stochastic
//     rounding to a posit have no independent oracle and are not checked here);
//   * sampled: pairs among binary16, bfloat16, binary32, binary64, double, float, Fixed<32,32>,
//     Fixed<16,16>, Fixed<1,63>, Fixed<64,0>, int64, int32, uint64 and the 8-bit formats;
//   * constructed double-rounding cases: Fixed<32,32> -> binary32 and binary64 -> binary16 values
//     that an intermediate (double, float) would round twice, wrongly.
#include <softnum/convert.hpp>
#include <softnum/fixed.hpp>
#include <softnum/float.hpp>
#include <softnum/posit.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

#include "support/test_scale.hpp"
#include "oracle/fixed_oracle.hpp"
#include "oracle/oracle.hpp"
#include "oracle/posit_oracle.hpp"

namespace {

using softnum::Fixed;
using softnum::FixedOverflow;
using softnum::Round;
using Int = fixed_oracle::Int;
using Rat = fixed_oracle::Rat;

constexpr std::array<Round, 7> all_modes = {
    Round::nearest_even, Round::nearest_away, Round::toward_zero, Round::up,
    Round::down,         Round::odd,          Round::stochastic};

const char* mode_name(Round r) {
  constexpr const char* names[] = {"nearest_even", "nearest_away", "toward_zero", "up",
                                   "down",         "odd",          "stochastic"};
  return names[static_cast<int>(r)];
}

std::uint64_t test_seed() {
  const auto s = Catch::rngSeed();
  return s != 0 ? s : 0x5eed1234u;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

template <class Fn>
decltype(auto) with_mode(Round r, Fn&& fn) {
  switch (r) {
    case Round::nearest_even:
      return fn(std::integral_constant<Round, Round::nearest_even>{});
    case Round::nearest_away:
      return fn(std::integral_constant<Round, Round::nearest_away>{});
    case Round::toward_zero:
      return fn(std::integral_constant<Round, Round::toward_zero>{});
    case Round::up:
      return fn(std::integral_constant<Round, Round::up>{});
    case Round::down:
      return fn(std::integral_constant<Round, Round::down>{});
    case Round::odd:
      return fn(std::integral_constant<Round, Round::odd>{});
    case Round::stochastic:
      break;
  }
  return fn(std::integral_constant<Round, Round::stochastic>{});
}

std::string hex(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Per-type description for the test: how to enumerate or draw codes, the exact value of a code
// (by the oracle, never by the library), and the code the oracle expects for an exact value.
// A value travels as an oracle::Exact (the Float oracle's exact dyadic value).

using oracle::Exact;

Rat to_rat(const Exact& x) {
  Rat r(x.sig);
  if (x.exp >= 0)
    r *= Rat(Int(1) << x.exp);
  else
    r /= Rat(Int(1) << -x.exp);
  return x.sign ? Rat(-r) : r;
}

Exact exact_of_int(const Int& v) { return oracle::from_integer(v); }

template <class T, class = void>
struct Desc;

// Float<E,M,...>.
template <class T>
struct Desc<T, std::enable_if_t<softnum::FloatFormat<T>>> {
  static oracle::Format format() {
    oracle::Format f{T::exponent_bits, T::mantissa_bits};
    f.specials = static_cast<oracle::Specials>(static_cast<int>(T::specials));
    f.overflow = static_cast<oracle::Overflow>(static_cast<int>(T::overflow));
    f.subnormals = T::has_subnormals;
    return f;
  }
  static bool supports(Round) { return true; }
  static std::string name() {
    return "Float<" + std::to_string(T::exponent_bits) + "," + std::to_string(T::mantissa_bits) +
           ",S" + std::to_string(static_cast<int>(T::specials)) + ">";
  }
  static constexpr int bits = 1 + T::exponent_bits + T::mantissa_bits;
  // log2 of the smallest step and of the largest magnitude (to aim random values at the range).
  static int lo_exp() { return format().emin() - T::mantissa_bits; }
  static int hi_exp() { return format().emin() + (1 << T::exponent_bits) - 2; }
  static T make(std::uint64_t code) {
    return T::from_bits(static_cast<typename T::storage_type>(code));
  }
  static std::uint64_t code(T x) { return static_cast<std::uint64_t>(x.bits()); }
  static Exact exact(std::uint64_t code) { return oracle::decode(oracle::Bits(code), format()); }
  static std::uint64_t expect(const Exact& x, Round r, std::uint32_t w) {
    return static_cast<std::uint64_t>(
        oracle::round(x, format(), static_cast<oracle::Mode>(static_cast<int>(r)), w,
                      softnum::detail::stochastic_bits(T::mantissa_bits)));
  }
};

// Fixed<I,F,R,O>: codes are the W-bit patterns.
template <class T>
struct Desc<T, std::enable_if_t<softnum::FixedFormat<T>>> {
  static fixed_oracle::Format format() {
    return fixed_oracle::Format{T::integer_bits, T::fraction_bits,
                                T::overflow == FixedOverflow::saturate
                                    ? fixed_oracle::Overflow::saturate
                                    : fixed_oracle::Overflow::wrap};
  }
  static bool supports(Round) { return true; }
  static std::string name() {
    return "Fixed<" + std::to_string(T::integer_bits) + "," + std::to_string(T::fraction_bits) +
           (T::overflow == FixedOverflow::saturate ? ",sat>" : ",wrap>");
  }
  static constexpr int bits = T::width;
  static int lo_exp() { return -T::fraction_bits; }
  static int hi_exp() { return T::integer_bits - 1; }
  static T make(std::uint64_t code) {
    return T::from_bits(static_cast<typename T::storage_type>(code));
  }
  static std::uint64_t code(T x) { return static_cast<std::uint64_t>(x.bits()); }
  static std::uint64_t code_of_raw(const Int& raw) {
    const Int m = Int(1) << bits;
    Int u = raw % m;
    if (u < 0) u += m;
    return u.convert_to<std::uint64_t>();
  }
  static Exact exact(std::uint64_t code) {
    const Int raw = fixed_oracle::from_bits(code, format());
    if (raw == 0) return oracle::Exact{Exact::zero, false, 0, 0, false};
    return oracle::Exact{Exact::finite, raw < 0, raw < 0 ? Int(-raw) : raw,
                         -static_cast<long>(T::fraction_bits), false};
  }
  // NaN has no value: 0. Infinities: the end of the range (under both policies).
  static std::uint64_t expect(const Exact& x, Round r, std::uint32_t w) {
    const auto f = format();
    switch (x.kind) {
      case Exact::nan:
      case Exact::zero:
        return 0;
      case Exact::inf:
        return code_of_raw(x.sign ? f.min_raw() : f.max_raw());
      case Exact::finite:
        break;
    }
    return code_of_raw(fixed_oracle::from_rational(
        to_rat(x), f, static_cast<fixed_oracle::Mode>(static_cast<int>(r)), w));
  }
};

// double and float: the oracle's binary64 / binary32.
template <class T>
struct Desc<T, std::enable_if_t<std::is_floating_point_v<T>>> {
  using U = std::conditional_t<sizeof(T) == 8, std::uint64_t, std::uint32_t>;
  static oracle::Format format() {
    return sizeof(T) == 8 ? oracle::Format{11, 52} : oracle::Format{8, 23};
  }
  static bool supports(Round) { return true; }
  static std::string name() { return sizeof(T) == 8 ? "double" : "float"; }
  static constexpr int bits = 8 * sizeof(T);
  static int lo_exp() { return sizeof(T) == 8 ? -1074 : -149; }
  static int hi_exp() { return sizeof(T) == 8 ? 1024 : 128; }
  static T make(std::uint64_t code) {
    const auto u = static_cast<U>(code);
    T x;
    std::memcpy(&x, &u, sizeof x);
    return x;
  }
  static std::uint64_t code(T x) {
    U u;
    std::memcpy(&u, &x, sizeof u);
    return u;
  }
  static Exact exact(std::uint64_t code) { return oracle::decode(oracle::Bits(code), format()); }
  static std::uint64_t expect(const Exact& x, Round r, std::uint32_t w) {
    return static_cast<std::uint64_t>(
        oracle::round(x, format(), static_cast<oracle::Mode>(static_cast<int>(r)), w, 32));
  }
};

// Native integers: rounded in the mode, saturated at the range; NaN gives 0.
template <class T>
struct Desc<T, std::enable_if_t<std::is_integral_v<T>>> {
  static bool supports(Round) { return true; }
  static std::string name() {
    return (std::is_signed_v<T> ? "int" : "uint") + std::to_string(8 * sizeof(T));
  }
  static constexpr int bits = 8 * sizeof(T);
  static int lo_exp() { return 0; }
  static int hi_exp() { return bits - (std::is_signed_v<T> ? 1 : 0); }
  static T make(std::uint64_t code) { return static_cast<T>(code); }
  static std::uint64_t code(T x) { return static_cast<std::uint64_t>(x); }
  static Exact exact(std::uint64_t code) { return exact_of_int(Int(make(code))); }
  static std::uint64_t expect(const Exact& x, Round r, std::uint32_t w) {
    constexpr T lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
    switch (x.kind) {
      case Exact::nan:
      case Exact::zero:
        return 0;
      case Exact::inf:
        return code(x.sign ? lo : hi);
      case Exact::finite:
        break;
    }
    return clamped(fixed_oracle::round_to_int(fixed_oracle::scaled_rational(to_rat(x)),
                                              static_cast<fixed_oracle::Mode>(static_cast<int>(r)),
                                              w));
  }
  // Out of line: GCC 12 reports false maybe-uninitialized warnings inside cpp_int's destructor
  // when this is inlined into the big test loops.
  [[gnu::noinline]] static std::uint64_t clamped(const Int& v) {
    constexpr T lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
    if (v < lo) return code(lo);
    if (v > hi) return code(hi);
    if constexpr (std::is_signed_v<T>) {
      return code(static_cast<T>(v.convert_to<long long>()));
    } else {
      return code(static_cast<T>(v.convert_to<unsigned long long>()));
    }
  }
};

// Posit<N,ES>: NaR is the NaN of the other types (and +-inf become NaR).
template <class T>
struct Desc<T, std::enable_if_t<softnum::PositFormat<T>>> {
  static posit_oracle::Format format() { return posit_oracle::Format{T::nbits, T::es}; }
  static bool supports(Round r) { return r != Round::odd && r != Round::stochastic; }
  static std::string name() {
    return "Posit<" + std::to_string(T::nbits) + "," + std::to_string(T::es) + ">";
  }
  static constexpr int bits = T::nbits;
  static int lo_exp() { return -(T::nbits - 2) * (1 << T::es); }
  static int hi_exp() { return (T::nbits - 2) * (1 << T::es); }
  static T make(std::uint64_t code) {
    return T::from_bits(static_cast<typename T::storage_type>(code));
  }
  static std::uint64_t code(T x) { return static_cast<std::uint64_t>(x.bits()); }
  static Exact exact(std::uint64_t code) {
    const posit_oracle::Real x = posit_oracle::decode(posit_oracle::Bits(code), format());
    switch (x.kind) {
      case posit_oracle::Real::zero:
        return Exact{Exact::zero, false, 0, 0, false};
      case posit_oracle::Real::nar:
        return Exact{Exact::nan, false, 0, 0, false};
      case posit_oracle::Real::finite:
        break;
    }
    if (x.den != 1 || x.is_sqrt) throw std::logic_error("posit decode is not dyadic");
    return Exact{Exact::finite, x.neg, x.num, x.exp, false};
  }
  static std::uint64_t expect(const Exact& x, Round r, std::uint32_t) {
    posit_oracle::Real v;
    switch (x.kind) {
      case Exact::nan:
      case Exact::inf:
        v = posit_oracle::make_nar();
        break;
      case Exact::zero:
        v = posit_oracle::make_zero();
        break;
      case Exact::finite:
        v = posit_oracle::make_dyadic(x.sign, x.sig, x.exp);
        break;
    }
    return static_cast<std::uint64_t>(posit_oracle::round_direct(
        v, format(), static_cast<posit_oracle::Mode>(static_cast<int>(r))));
  }
};

// ---------------------------------------------------------------------------------------------

struct Failures {
  long count = 0, checks = 0;
  std::vector<std::string> first;
  template <class D>
  void expect(std::uint64_t got, std::uint64_t want, D&& describe) {
    ++checks;
    if (got == want) return;
    if (++count <= 8) first.push_back(describe() + ": got " + hex(got) + ", want " + hex(want));
  }
  void report() const {
    for (const auto& s : first) UNSCOPED_INFO(s);
    CHECK(count == 0);
  }
};

// The words a stochastic conversion is checked with: both ends and two arbitrary ones.
std::array<std::uint32_t, 4> sr_words(std::uint64_t salt) {
  return {0u, 0xFFFFFFFFu, static_cast<std::uint32_t>(mix(salt)),
          static_cast<std::uint32_t>(mix(salt + 1) >> 32)};
}

// Converts one source code to To in every mode and compares with the oracle.
template <class To, class From>
void check_one(Failures& fail, std::uint64_t src_code) {
  const From x = Desc<From>::make(src_code);
  const Exact ex = Desc<From>::exact(src_code);
  for (const Round r : all_modes) {
    if (!Desc<To>::supports(r)) continue;
    const auto words = sr_words(src_code * 977 + static_cast<std::uint64_t>(Desc<To>::bits));
    const int nwords = r == Round::stochastic ? 4 : 1;
    for (int i = 0; i < nwords; ++i) {
      const std::uint32_t w = words[static_cast<std::size_t>(i)];
      const To y =
          with_mode(r, [&](auto m) { return softnum::convert<To, decltype(m)::value>(x, w); });
      fail.expect(Desc<To>::code(y), Desc<To>::expect(ex, r, w), [&] {
        return Desc<From>::name() + " " + hex(src_code) + " -> " + Desc<To>::name() + " mode " +
               mode_name(r) + " word " + hex(w);
      });
    }
  }
}

template <class To, class From>
void exhaustive_pair(Failures& fail) {
  constexpr int n = Desc<From>::bits;
  static_assert(n <= 16);
  // Every source code; with SOFTNUM_TEST_SCALE=d every d-th, starting at a residue that depends on
  // the pair, so that over the pairs every code still occurs.
  const auto d = static_cast<std::uint64_t>(test_scale::divisor());
  for (std::uint64_t c = (Desc<To>::bits * 31u + n) % d; c < (std::uint64_t{1} << n); c += d) {
    check_one<To, From>(fail, c);
  }
}

// Every To in the list, from every From in the list.
template <class... Ts>
struct TypeList {};

template <class From, class... Tos>
void exhaustive_from(Failures& fail, TypeList<Tos...>) {
  (exhaustive_pair<Tos, From>(fail), ...);
}

template <class... Ts>
void exhaustive_all(Failures& fail, TypeList<Ts...> list) {
  (exhaustive_from<Ts>(fail, list), ...);
}

using Small = TypeList<softnum::float8_e4m3fn, softnum::float8_e4m3, softnum::float8_e5m2,
                       softnum::float8_e4m3fnuz, softnum::float8_e5m2fnuz, softnum::float6_e2m3fn,
                       softnum::float6_e3m2fn, softnum::float4_e2m1fn, Fixed<1, 7>, Fixed<2, 6>,
                       Fixed<3, 5>, Fixed<4, 4>, Fixed<5, 3>, Fixed<6, 2>, Fixed<7, 1>, Fixed<8, 0>,
                       Fixed<1, 7, Round::nearest_even, FixedOverflow::wrap>,
                       Fixed<2, 6, Round::nearest_even, FixedOverflow::wrap>,
                       Fixed<3, 5, Round::nearest_even, FixedOverflow::wrap>,
                       Fixed<4, 4, Round::nearest_even, FixedOverflow::wrap>,
                       Fixed<5, 3, Round::nearest_even, FixedOverflow::wrap>,
                       Fixed<6, 2, Round::nearest_even, FixedOverflow::wrap>,
                       Fixed<7, 1, Round::nearest_even, FixedOverflow::wrap>,
                       Fixed<8, 0, Round::nearest_even, FixedOverflow::wrap>, softnum::Posit<8, 0>,
                       softnum::Posit<8, 1>, softnum::Posit<8, 2>, softnum::Posit<8, 3>,
                       softnum::Posit<8, 4>, softnum::Posit<8, 5>>;

}  // namespace

TEST_CASE("convert: every pair of formats of at most 8 bits, every code, every mode",
          "[convert][exhaustive8]") {
  Failures fail;
  exhaustive_all(fail, Small{});
  WARN("8-bit pairs: " << fail.checks << " checks");
  fail.report();
}

// ---------------------------------------------------------------------------------------------
// Wider pairs, sampled: source values aimed at the target's range (so that they round, tie,
// overflow and underflow there), made into source codes by the oracle, plus random source codes.

namespace {

template <class To, class From>
void sampled_pair(Failures& fail, std::mt19937_64& rng, int n) {
  const int lo = Desc<To>::lo_exp() - 6, hi = Desc<To>::hi_exp() + 3;
  for (int i = 0; i < n; ++i) {
    std::uint64_t code;
    if (i % 5 == 4) {  // any code of the source
      code = rng();
      if (Desc<From>::bits < 64) code &= (std::uint64_t{1} << Desc<From>::bits) - 1;
    } else {
      // A random value of up to 64 significant bits with its leading bit at 2^e, e in [lo, hi],
      // truncated into the source format (toward zero) by the oracle.
      std::uint64_t sig = rng() >> (rng() % 64);
      if (i % 5 == 3) sig = (sig | 1) & 0x1FF;  // few bits: ties and exact cases
      if (sig == 0) sig = 1;
      const int width = 64 - __builtin_clzll(sig);
      const int e = lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
      const Exact v{Exact::finite, (rng() & 1) != 0, Int(sig), static_cast<long>(e - width + 1),
                    false};
      code = Desc<From>::expect(v, Round::toward_zero, 0);
    }
    check_one<To, From>(fail, code);
  }
}

template <class From, class... Tos>
void sampled_from(Failures& fail, std::mt19937_64& rng, int n, TypeList<Tos...>) {
  (sampled_pair<Tos, From>(fail, rng, n), ...);
}

template <class... Ts>
void sampled_all(Failures& fail, std::mt19937_64& rng, int n, TypeList<Ts...> list) {
  (sampled_from<Ts>(fail, rng, n, list), ...);
}

using Wide = TypeList<softnum::binary16, softnum::bfloat16, softnum::binary32, softnum::binary64,
                      double, float, Fixed<32, 32>, Fixed<16, 16>, Fixed<1, 63>, Fixed<64, 0>,
                      Fixed<16, 16, Round::nearest_even, FixedOverflow::wrap>, std::int64_t,
                      std::int32_t, std::uint64_t, softnum::float8_e4m3fn, Fixed<4, 4>,
                      softnum::float4_e2m1fn, softnum::posit16, softnum::posit32, softnum::posit8>;

}  // namespace

TEST_CASE("convert: sampled pairs among 16- to 64-bit types, every mode", "[convert][wide]") {
  Failures fail;
  std::mt19937_64 rng(test_seed());
  sampled_all(fail, rng, test_scale::samples(3000), Wide{});
  INFO("seed " << test_seed());
  WARN("sampled wide pairs: " << fail.checks << " checks");
  fail.report();
}

TEST_CASE("convert: many sampled pairs", "[convert][.exhaustive]") {
  Failures fail;
  std::mt19937_64 rng(test_seed() + 1);
  sampled_all(fail, rng, 30000, Wide{});
  INFO("seed " << test_seed());
  WARN("sampled wide pairs (long run): " << fail.checks << " checks");
  fail.report();
}

// ---------------------------------------------------------------------------------------------
// Values that double-round through an intermediate format. Each case is first shown to be hard
// (the two-step conversion differs from the oracle), then convert must match the oracle in every
// mode.

TEST_CASE("convert: Fixed<32,32> -> binary32 is one rounding, not two through double",
          "[convert][double-rounding]") {
  using X = Fixed<32, 32>;
  Failures fail;
  long hard = 0;
  // v = +-2^k (1 + 2^-24) +- 2^-32, k in [22, 30]: 2^k + 2^(k-24) is a binary32 midpoint; the
  // 2^-32 offset lies below half an ulp of double at 2^k (2^(k-53) >= 2^-31), so the double
  // rounds onto the midpoint and ties-to-even then picks the wrong neighbour half the time.
  for (int k = 22; k <= 30; ++k) {
    for (const std::int64_t delta : {1, -1, 2, -2}) {
      for (const int sign : {1, -1}) {
        const std::int64_t raw =
            sign * ((std::int64_t{1} << (k + 32)) + (std::int64_t{1} << (k + 8)) + delta);
        const X x = X::from_raw(raw);
        const Exact ex = Desc<X>::exact(Desc<X>::code(x));
        const std::uint64_t want = Desc<softnum::binary32>::expect(ex, Round::nearest_even, 0);
        const auto twice = softnum::binary32(static_cast<double>(x)).bits();
        if (twice != want) ++hard;
        fail.expect(softnum::convert<softnum::binary32>(x).bits(), want,
                    [&] { return "raw " + std::to_string(raw); });
        float f = softnum::convert<float>(x);
        fail.expect(Desc<float>::code(f), want,
                    [&] { return "to float, raw " + std::to_string(raw); });
        f = static_cast<float>(x);  // the explicit conversion operator
        fail.expect(Desc<float>::code(f), want,
                    [&] { return "float(x), raw " + std::to_string(raw); });
        for (const Round r : all_modes) {
          for (const std::uint32_t w : {0u, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
            const auto got = with_mode(r, [&](auto m) {
              return softnum::convert<softnum::binary32, decltype(m)::value>(x, w).bits();
            });
            fail.expect(got, Desc<softnum::binary32>::expect(ex, r, w), [&] {
              return "raw " + std::to_string(raw) + " mode " + mode_name(r) + " word " + hex(w);
            });
          }
        }
      }
    }
  }
  INFO(hard << " of the constructed values double-round through double");
  CHECK(hard >= 18);  // the +-1 offsets at every k, both signs: half of them land on the wrong side
  fail.report();
}

TEST_CASE("convert: binary64 -> binary16 is one rounding, not two through float",
          "[convert][double-rounding]") {
  Failures fail;
  long hard = 0;
  auto check = [&](double d) {
    const Exact ex = oracle::from_double(d);
    const std::uint64_t want = Desc<softnum::binary16>::expect(ex, Round::nearest_even, 0);
    const auto twice = softnum::binary16(static_cast<float>(d)).bits();
    if (twice != want) ++hard;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%a", d);
    fail.expect(softnum::convert<softnum::binary16>(d).bits(), want,
                [&] { return std::string(buf); });
    fail.expect(softnum::binary16(d).bits(), want,
                [&] { return std::string("constructor ") + buf; });
    fail.expect(softnum::convert<softnum::binary16>(softnum::binary64(d)).bits(), want,
                [&] { return std::string("from binary64 ") + buf; });
    for (const Round r : all_modes) {
      for (const std::uint32_t w : {0u, 0x7FFFFFFFu, 0xFFFFFFFFu}) {
        const auto got = with_mode(r, [&](auto m) {
          return softnum::convert<softnum::binary16, decltype(m)::value>(d, w).bits();
        });
        fail.expect(got, Desc<softnum::binary16>::expect(ex, r, w),
                    [&] { return std::string(buf) + " mode " + mode_name(r) + " word " + hex(w); });
      }
    }
  };
  // Normal range: 2^e (1 + 2^-11 +- 2^-j) with j in [25, 52]: the offset vanishes in float,
  // leaving a binary16 midpoint that ties to even.
  for (int e = -14; e <= 15; ++e) {
    for (int j = 25; j <= 52; j += 3) {
      for (const double s : {1.0, -1.0}) {
        check(s * std::ldexp(1.0 + 0x1p-11 + std::ldexp(1.0, -j), e));
        check(s * std::ldexp(1.0 + 0x1p-11 - std::ldexp(1.0, -j), e));
        check(s * std::ldexp(1.0 + 0x1.8p-10 + std::ldexp(1.0, -j), e));  // odd neighbour below
      }
    }
  }
  // Subnormal range: 2^-25 (1 + 2^-40) is just above half the smallest subnormal.
  for (const double d :
       {0x1.0000000001p-25, -0x1.0000000001p-25, 0x1.8000000001p-24, 0x1.0000010000001p-20})
    check(d);
  INFO(hard << " of the constructed values double-round through float");
  CHECK(hard >= 100);
  fail.report();
}

TEST_CASE("convert: binary64 -> Fixed is one rounding, not two through float",
          "[convert][double-rounding]") {
  using X = Fixed<16, 16>;
  Failures fail;
  long hard = 0;
  for (std::int64_t raw = -3000; raw <= 3000; raw += 7) {
    for (const double off : {0.5 + 0x1p-30, 0.5 - 0x1p-30, 0x1p-30, 1 - 0x1p-30}) {
      const double d = (static_cast<double>(raw) + off) * 0x1p-16;
      const Exact ex = oracle::from_double(d);
      const std::uint64_t want = Desc<X>::expect(ex, Round::nearest_even, 0);
      if (Desc<X>::code(X(static_cast<float>(d))) != want) ++hard;
      fail.expect(Desc<X>::code(softnum::convert<X>(d)), want, [&] { return std::to_string(d); });
      fail.expect(Desc<X>::code(X(d)), want, [&] { return "constructor " + std::to_string(d); });
    }
  }
  INFO(hard << " hard values");
  CHECK(hard > 100);
  fail.report();
}
