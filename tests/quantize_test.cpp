// Tests of quantize<T>(x, y, mode, seed, offset) and array convert<To>(x, y)
// (softnum/quantize.hpp): every kernel against the scalar path convert<float>(convert<T, R>(x,
// word)), bit for bit.
//   * inputs: every value of the format, the midpoints between neighbours and their float
//     neighbours (one and two ulps), zeros, infinities, NaNs with both signs and odd payloads,
//     float subnormals, huge values, and uniformly random float bit patterns; doubles likewise;
//   * every rounding mode, stochastic with the word random_word(seed, offset + i, 0);
//   * every instruction-set copy the machine has (AVX-512, AVX2 + F16C, generic);
//   * results do not depend on how the array is split (offset) and x may alias y;
//   * the 16-bit formats sample their codes in the fast run; [.exhaustive] takes all of them.
#include <softnum/quantize.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include <catch2/catch.hpp>

namespace {

using softnum::Round;
namespace q = softnum::detail::quant;

constexpr Round all_modes[] = {Round::nearest_even, Round::nearest_away, Round::toward_zero,
                               Round::up,           Round::down,         Round::odd,
                               Round::stochastic};

std::string mode_name(Round m) {
  switch (m) {
    case Round::nearest_even:
      return "nearest_even";
    case Round::nearest_away:
      return "nearest_away";
    case Round::toward_zero:
      return "toward_zero";
    case Round::up:
      return "up";
    case Round::down:
      return "down";
    case Round::odd:
      return "odd";
    case Round::stochastic:
      return "stochastic";
  }
  return "?";
}

/// The scalar path: convert<T, R>(x, word), then convert<S> of the result.
template <class T, Round R, class S>
S scalar_one(S x, std::uint32_t word) {
  return softnum::convert<S>(softnum::convert<T, R>(x, word));
}

template <class T, class S>
S scalar(S x, Round mode, std::uint32_t word) {
  switch (mode) {
    case Round::nearest_even:
      return scalar_one<T, Round::nearest_even>(x, word);
    case Round::nearest_away:
      return scalar_one<T, Round::nearest_away>(x, word);
    case Round::toward_zero:
      return scalar_one<T, Round::toward_zero>(x, word);
    case Round::up:
      return scalar_one<T, Round::up>(x, word);
    case Round::down:
      return scalar_one<T, Round::down>(x, word);
    case Round::odd:
      return scalar_one<T, Round::odd>(x, word);
    case Round::stochastic:
      return scalar_one<T, Round::stochastic>(x, word);
  }
  return x;
}

template <class S>
auto bits_of(S v) {
  if constexpr (sizeof(S) == 4) {
    return softnum::detail::bit_cast<std::uint32_t>(v);
  } else {
    return softnum::detail::bit_cast<std::uint64_t>(v);
  }
}

/// The value of every code of T (sizeof(T) <= 2), as doubles (exact for these formats).
template <class T>
std::vector<double> code_values(bool all, std::mt19937_64& rng) {
  static_assert(sizeof(T) <= 2 && std::is_trivially_copyable_v<T>);
  const std::uint32_t count = 1u << (8 * sizeof(T));
  std::vector<double> v;
  for (std::uint32_t c = 0; c < count; ++c) {
    // 16-bit formats in the fast run: 4096 random codes plus the first and last 64 of each half.
    if (!all && count > 256 && (c % 32768) >= 64 && (c % 32768) < 32768 - 64 && (rng() % 16) != 0)
      continue;
    T t;
    if constexpr (sizeof(T) == 1) {
      t = softnum::detail::bit_cast<T>(static_cast<std::uint8_t>(c));
    } else {
      t = softnum::detail::bit_cast<T>(static_cast<std::uint16_t>(c));
    }
    const double d = softnum::convert<double>(t);
    if (d == d) v.push_back(d);
  }
  return v;
}

/// The inputs that matter for rounding into T: its values, the midpoints between neighbours,
/// their neighbours in S (1 and 2 ulps), specials, and random bit patterns.
template <class T, class S>
std::vector<S> inputs(bool all, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> vals;
  if constexpr (sizeof(T) <= 2 && std::is_trivially_copyable_v<T>) {
    vals = code_values<T>(all, rng);
    std::sort(vals.begin(), vals.end());
    vals.erase(std::unique(vals.begin(), vals.end()), vals.end());
  }
  std::vector<S> out;
  const auto push_near = [&out](S x) {
    out.push_back(x);
    S up = x, dn = x;
    for (int k = 0; k < 2; ++k) {
      up = std::nextafter(up, std::numeric_limits<S>::infinity());
      dn = std::nextafter(dn, -std::numeric_limits<S>::infinity());
      out.push_back(up);
      out.push_back(dn);
    }
  };
  for (std::size_t i = 0; i < vals.size(); ++i) {
    push_near(static_cast<S>(vals[i]));
    if (i + 1 < vals.size()) push_near(static_cast<S>((vals[i] + vals[i + 1]) / 2));
  }
  constexpr S inf = std::numeric_limits<S>::infinity();
  for (S s :
       {S(0), -S(0), inf, -inf, std::numeric_limits<S>::denorm_min(), std::numeric_limits<S>::min(),
        std::numeric_limits<S>::max(), S(1), S(1e-30), S(1e30)}) {
    push_near(s);
    push_near(-s);
  }
  using U = decltype(bits_of(S{}));
  constexpr U top = U{1} << (8 * sizeof(U) - 1);
  constexpr int mbits = std::numeric_limits<S>::digits - 1;
  constexpr U exp_all = static_cast<U>(~U{0} >> 1) & static_cast<U>(~((U{1} << mbits) - 1));
  for (U payload : {U{1}, U{1} << (mbits - 1), (U{1} << mbits) - 1, U{12345}}) {
    for (U sign : {U{0}, top}) {
      S x;
      const U b = sign | exp_all | payload;
      std::memcpy(&x, &b, sizeof x);
      out.push_back(x);
    }
  }
  if constexpr (softnum::PositFormat<T>) {
    // Posits wider than 8 bits have no code list here: random scales over the whole range, the
    // posit each rounds to, the next posit up, their midpoint and float neighbours of all three
    // (ties at every fraction width, including the scales with no fraction bit).
    std::uniform_int_distribution<int> scale(-T::max_scale - 2, T::max_scale + 2);
    std::uniform_real_distribution<double> frac(1.0, 2.0);
    for (int i = 0; i < (all ? 40000 : 4000); ++i) {
      const double v = std::ldexp(frac(rng), scale(rng)) * ((rng() & 1) != 0 ? -1.0 : 1.0);
      const T p = softnum::convert<T>(v);
      const T next = T::from_bits(static_cast<typename T::storage_type>(p.bits() + 1u));
      const double pd = softnum::convert<double>(p), nd = softnum::convert<double>(next);
      push_near(static_cast<S>(pd));
      if (nd == nd) {
        push_near(static_cast<S>(nd));
        push_near(static_cast<S>((pd + nd) / 2));
      }
    }
  }
  const std::size_t random_count = all ? 200000 : 20000;
  for (std::size_t i = 0; i < random_count; ++i) {
    const U b = static_cast<U>(rng());
    S x;
    std::memcpy(&x, &b, sizeof x);
    out.push_back(x);
  }
  // Random values near 1 and in the small range where fp8/fp4 round, both signs.
  std::uniform_real_distribution<double> uni(-600.0, 600.0);
  for (std::size_t i = 0; i < random_count / 4; ++i) out.push_back(static_cast<S>(uni(rng)));
  return out;
}

/// Every kernel (each instruction set the machine has) against the scalar path, every mode.
template <class T, class S>
void check_against_scalar(bool all) {
  const std::vector<S> x = inputs<T, S>(all, 42);
  const int top = q::detected_isa();
  std::vector<S> want(x.size()), got(x.size());
  for (Round mode : all_modes) {
    const std::uint64_t seed = 0x1234ABCDull, offset = 77;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::uint32_t word =
          mode == Round::stochastic ? softnum::random_word(seed, offset + i, 0) : 0u;
      want[i] = scalar<T>(x[i], mode, word);
    }
    for (int level = top; level >= 0; --level) {
      q::isa_limit() = level;
      softnum::quantize<T>(std::span<const S>(x), std::span<S>(got), mode, seed, offset);
      std::size_t bad = 0, first = 0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (bits_of(got[i]) != bits_of(want[i])) {
          if (bad++ == 0) first = i;
        }
      }
      INFO(typeid(T).name() << " from " << typeid(S).name() << ", mode " << mode_name(mode)
                            << ", isa " << level << ", first x = " << x[first] << " ("
                            << bits_of(x[first]) << "): got " << got[first] << " want "
                            << want[first]);
      CHECK(bad == 0);
    }
    q::isa_limit() = -1;
  }
}

template <class T>
void check_type(bool all) {
  check_against_scalar<T, float>(all);
  check_against_scalar<T, double>(all);
}

}  // namespace

TEST_CASE("quantize: 8-bit formats, every code, midpoint and neighbour, every mode and ISA",
          "[quantize]") {
  check_type<softnum::float8_e4m3fn>(true);
  check_type<softnum::float8_e4m3>(true);
  check_type<softnum::float8_e5m2>(true);
  check_type<softnum::float8_e4m3fnuz>(true);
  check_type<softnum::float8_e5m2fnuz>(true);
  check_type<softnum::posit8>(true);
  check_type<softnum::Fixed<4, 4>>(true);
  check_type<softnum::posit8_0>(true);
  check_type<softnum::Posit<8, 1>>(true);
  check_type<softnum::Posit<8, 3>>(true);
  check_type<softnum::Fixed<1, 7>>(true);
  check_type<softnum::Fixed<8, 0>>(true);
  check_type<softnum::with_overflow_t<softnum::float8_e5m2, softnum::Overflow::saturate>>(true);
}

TEST_CASE("quantize: sub-byte formats (fp6, fp4) and formats without subnormals", "[quantize]") {
  check_type<softnum::float6_e2m3fn>(true);
  check_type<softnum::float6_e3m2fn>(true);
  check_type<softnum::float4_e2m1fn>(true);
  check_type<softnum::with_subnormals_t<softnum::float8_e4m3fn, false>>(true);
}

TEST_CASE("quantize: 16-bit formats, sampled codes, midpoints, neighbours", "[quantize]") {
  check_type<softnum::binary16>(false);
  check_type<softnum::bfloat16>(false);
  check_type<softnum::posit16>(false);
  check_type<softnum::Fixed<8, 8>>(false);
  check_type<softnum::posit16_1>(false);
  check_type<softnum::Fixed<1, 15>>(false);
}

TEST_CASE("quantize: 16-bit formats, every code", "[.exhaustive]") {
  check_type<softnum::binary16>(true);
  check_type<softnum::bfloat16>(true);
  check_type<softnum::posit16>(true);
  check_type<softnum::Fixed<8, 8>>(true);
  check_type<softnum::posit16_1>(true);
}

TEST_CASE("quantize: wide formats (binary32, posit32, Float<8,22>, double_double, float)",
          "[quantize]") {
  check_type<softnum::binary32>(false);
  check_type<softnum::Float<8, 22>>(false);
  check_type<softnum::posit32>(false);
  check_type<softnum::Fixed<16, 16>>(false);
  check_type<softnum::Fixed<12, 12>>(false);
  check_type<softnum::Fixed<1, 23>>(false);
  check_type<softnum::Fixed<24, 0>>(false);
  check_type<softnum::Posit<32, 0>>(false);
  check_type<softnum::Posit<32, 5>>(false);
  check_type<softnum::Posit<64, 3>>(false);
  check_type<softnum::double_double>(false);
  check_type<float>(false);
}

namespace {
/// Whole array, random pieces and in place (x aliasing y) give the same bits.
template <class T>
void check_split_and_alias() {
  const std::vector<float> x = inputs<softnum::bfloat16, float>(false, 7);
  const std::size_t n = x.size();
  for (Round mode : {Round::nearest_even, Round::stochastic, Round::up}) {
    std::vector<float> whole(n), parts(n), inplace = x;
    softnum::quantize<T>(std::span<const float>(x), std::span<float>(whole), mode, 99, 1000);
    std::mt19937_64 rng(3);
    for (std::size_t i = 0; i < n;) {
      const std::size_t len = std::min<std::size_t>(n - i, 1 + rng() % 37);
      softnum::quantize<T>(std::span<const float>(x.data() + i, len),
                           std::span<float>(parts.data() + i, len), mode, 99, 1000 + i);
      i += len;
    }
    softnum::quantize<T>(std::span<const float>(inplace), std::span<float>(inplace), mode, 99,
                         1000);
    INFO(typeid(T).name() << ' ' << mode_name(mode));
    CHECK(std::memcmp(whole.data(), parts.data(), n * sizeof(float)) == 0);
    CHECK(std::memcmp(whole.data(), inplace.data(), n * sizeof(float)) == 0);
  }
}
}  // namespace

TEST_CASE("quantize: results do not depend on the split, and x may alias y", "[quantize]") {
  check_split_and_alias<softnum::float8_e5m2>();
  // Posits: the lanes left to the scalar definition are redone in place.
  check_split_and_alias<softnum::posit8>();
  check_split_and_alias<softnum::posit16>();
  check_split_and_alias<softnum::Fixed<8, 8>>();
}

TEST_CASE("quantize: stochastic words where the element index crosses 2^32", "[quantize]") {
  // The vector Philox builds 16 counters from one low word; across a carry it hands over to
  // random_word. Offsets just below 2^32 and 2^33, and a seed using both halves.
  const std::vector<float> x = inputs<softnum::float8_e4m3fn, float>(false, 11);
  const std::uint64_t seed = 0xDEADBEEF12345678ull;
  for (std::uint64_t offset : {0xFFFFFFFFull - 100, 0x1FFFFFFFFull - 3, 0x123456789ull}) {
    std::vector<float> got(x.size());
    softnum::quantize<softnum::binary16>(std::span<const float>(x), std::span<float>(got),
                                         Round::stochastic, seed, offset);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const float want = scalar<softnum::binary16>(x[i], Round::stochastic,
                                                   softnum::random_word(seed, offset + i, 0));
      bad += bits_of(got[i]) != bits_of(want) ? 1u : 0u;
    }
    INFO("offset " << offset);
    CHECK(bad == 0);
  }
}

TEST_CASE("quantize: stochastic rounding uses the seed (different seeds differ, same seed repeats)",
          "[quantize]") {
  std::vector<float> x(4096);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1.0f + static_cast<float>(i) * 1e-5f;
  std::vector<float> a(x.size()), b(x.size()), c(x.size());
  softnum::quantize<softnum::binary16>(std::span<const float>(x), std::span<float>(a),
                                       Round::stochastic, 1);
  softnum::quantize<softnum::binary16>(std::span<const float>(x), std::span<float>(b),
                                       Round::stochastic, 1);
  softnum::quantize<softnum::binary16>(std::span<const float>(x), std::span<float>(c),
                                       Round::stochastic, 2);
  CHECK(a == b);
  CHECK(a != c);
  // Mean of SR(x) close to x: over 4096 values the rounding errors average out.
  double err = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    err += static_cast<double>(a[i]) - static_cast<double>(x[i]);
  CHECK(std::abs(err / static_cast<double>(x.size())) < 2e-5);  // ulp(1) of binary16 ~ 1e-3
}

namespace {
template <class T>
void check_decode() {
  static_assert(sizeof(T) <= 2);
  const std::uint32_t count = 1u << (8 * sizeof(T));
  std::vector<T> codes(count);
  for (std::uint32_t c = 0; c < count; ++c) {
    const auto b = static_cast<typename T::storage_type>(c);
    codes[c] = T::from_bits(b);
  }
  std::vector<float> got(count), want(count);
  for (std::uint32_t c = 0; c < count; ++c) want[c] = softnum::convert<float>(codes[c]);
  for (int level = q::detected_isa(); level >= 0; --level) {
    q::isa_limit() = level;
    softnum::convert<float, T>(std::span<const T>(codes), std::span<float>(got));
    INFO("isa " << level);
    CHECK(std::memcmp(got.data(), want.data(), count * sizeof(float)) == 0);
  }
  q::isa_limit() = -1;
  // And back: array convert<T>(float) against the scalar convert<T>, every code's value.
  std::vector<T> back(count);
  softnum::convert<T, float>(std::span<const float>(want), std::span<T>(back));
  for (std::uint32_t c = 0; c < count; ++c) {
    if (want[c] == want[c]) CHECK(back[c].bits() == softnum::convert<T>(want[c]).bits());
  }
}
}  // namespace

TEST_CASE("convert: arrays of every code of binary16, bfloat16 and the fp8/fp4 formats to float",
          "[quantize]") {
  check_decode<softnum::binary16>();
  check_decode<softnum::bfloat16>();
  check_decode<softnum::float8_e4m3fn>();
  check_decode<softnum::float8_e5m2>();
  check_decode<softnum::float8_e4m3fnuz>();
  check_decode<softnum::float4_e2m1fn>();
  check_decode<softnum::float6_e3m2fn>();
  check_decode<softnum::float6_e2m3fn>();
  check_decode<softnum::float8_e3m4>();
  check_decode<softnum::float8_e4m3>();
  check_decode<softnum::float8_e5m2fnuz>();
  check_decode<softnum::float8_e4m3b11fnuz>();
}
