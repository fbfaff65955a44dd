// softnum_accuracy: the format registry. Adding a format is one line in all_formats(); this is
// the only translation unit that instantiates softnum's number types.
#include <softnum/convert.hpp>
#include <softnum/expansion.hpp>
#include <softnum/fixed.hpp>
#include <softnum/float.hpp>
#include <softnum/gemm.hpp>
#include <softnum/posit.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "format.hpp"

namespace acc {
namespace {

namespace sd = softnum::detail;

template <class T>
double pack(const sd::Unpacked& u, Round mode, std::uint32_t random) {
  return static_cast<double>(sd::number_traits<T>::pack(u, mode, random));
}

template <class T>
double round1(double x, Round mode, std::uint32_t random) {
  return pack<T>(sd::unpack_double(x), mode, random);
}

template <class T>
double add1(double a, double b, Round mode, std::uint32_t random) {
  return pack<T>(sd::exact_add(sd::unpack_double(a), sd::unpack_double(b), mode), mode, random);
}

template <class T>
double mul1(double a, double b, Round mode, std::uint32_t random) {
  return pack<T>(sd::exact_mul(sd::unpack_double(a), sd::unpack_double(b)), mode, random);
}

template <class T>
double fma1(double a, double b, double c, Round mode, std::uint32_t random) {
  return pack<T>(
      sd::exact_fma(sd::unpack_double(a), sd::unpack_double(b), sd::unpack_double(c), mode), mode,
      random);
}

/// a / b. Operands that are values of T (every kernel's case but harmonic's 1/k): the library's
/// correctly rounded division (nearest-even, stochastic). Otherwise, or in other modes: the
/// binary64 quotient rounded once (correct in the nearest modes for <= 25 significant bits).
template <class T>
double div1(double a, double b, Round mode, std::uint32_t random) {
  const T x = sd::number_traits<T>::pack(sd::unpack_double(a), Round::nearest_even, 0);
  const T y = sd::number_traits<T>::pack(sd::unpack_double(b), Round::nearest_even, 0);
  if (static_cast<double>(x) == a && static_cast<double>(y) == b) {
    if (mode == Round::nearest_even)
      return static_cast<double>(softnum::div<Round::nearest_even>(x, y, 0));
    if (mode == Round::stochastic)
      return static_cast<double>(softnum::div<Round::stochastic>(x, y, random));
  }
  return round1<T>(a / b, mode, random);
}

template <class P>
double quire_dot(const double* a, const double* b, std::size_t n) {
  softnum::Quire<P::nbits, P::es> q;
  for (std::size_t i = 0; i < n; ++i) q.fma(P(a[i]), P(b[i]));
  return static_cast<double>(q.round());
}

template <class T>
double expansion_dot(const double* a, const double* b, std::size_t n) {
  using E = softnum::Expansion<T, 2>;
  E s;
  for (std::size_t i = 0; i < n; ++i) s += E(softnum::convert<T>(a[i])) * softnum::convert<T>(b[i]);
  return static_cast<double>(softnum::convert<T>(s));
}

template <class T>
void gemm_tt(const double* A, const double* B, double* C, std::size_t m, std::size_t k,
             std::size_t n, Round mode, std::uint64_t seed, std::size_t chunk) {
  const auto M = static_cast<std::ptrdiff_t>(m), K = static_cast<std::ptrdiff_t>(k),
             N = static_cast<std::ptrdiff_t>(n);
  softnum::GemmOptions o;
  o.round = o.output_round = mode;
  o.seed = seed;
  o.chunk = static_cast<std::ptrdiff_t>(chunk);
  o.threads = 1;
  softnum::gemm_reference<softnum::Accumulation<T, T>>(
      softnum::row_major(A, M, K), softnum::row_major(B, K, N), softnum::row_major(C, M, N), o);
}

/// Codes that are NaN / infinite. Up to 16 bits: every code. Wider: for each of the 2^16 top
/// halves, the low halves 0, 1 (standing for all 2^16 - 2 others) and all-ones. Exact for every
/// format here: whether a code is special depends on its low half only through "zero", "all
/// ones" or "other" (floats with >= 16 fraction bits, posits' single NaR, fixed point).
template <class T>
void count_specials(int bits, double& nan_fraction, double& inf_fraction) {
  using S = typename T::storage_type;
  double nan = 0, inf = 0;
  auto classify = [&](std::uint64_t code, double weight) {
    const double v = static_cast<double>(T::from_bits(static_cast<S>(code)));
    if (std::isnan(v)) nan += weight;
    if (std::isinf(v)) inf += weight;
  };
  if (bits <= 16) {
    for (std::uint64_t c = 0; c < (std::uint64_t{1} << bits); ++c) classify(c, 1);
  } else {
    const int low = bits - 16;
    const std::uint64_t ones = (std::uint64_t{1} << low) - 1;
    for (std::uint64_t hi = 0; hi < (std::uint64_t{1} << 16); ++hi) {
      classify(hi << low, 1);
      classify((hi << low) | ones, 1);
      classify((hi << low) | 1, static_cast<double>(ones - 1));
    }
  }
  const double codes = std::ldexp(1.0, bits);
  nan_fraction = nan / codes;
  inf_fraction = inf / codes;
}

template <class T>
Format make(const char* name, const char* type, Family family, int bits) {
  using L = std::numeric_limits<T>;
  Format f;
  f.name = name;
  f.type = type;
  f.family = family;
  f.bits = bits;
  f.max = static_cast<double>(L::max());
  f.min_pos = static_cast<double>(L::denorm_min());
  f.min_normal = family == Family::floating ? static_cast<double>(L::min()) : f.min_pos;
  f.round = &round1<T>;
  f.add = &add1<T>;
  f.mul = &mul1<T>;
  f.fma = &fma1<T>;
  f.div = &div1<T>;
  f.gemm = &gemm_tt<T>;
  f.epsilon = round1<T>(std::nextafter(1.0, 2.0), Round::up, 0) - 1.0;
  count_specials<T>(bits, f.nan_fraction, f.inf_fraction);
  if constexpr (softnum::PositFormat<T>) f.quire_dot = &quire_dot<T>;
  if constexpr (softnum::FloatFormat<T>) f.expansion_dot = &expansion_dot<T>;
  return f;
}

std::vector<Format> build() {
  using namespace softnum;
  using F = Family;
  // One line per format. P3109 / MX block formats go here (Family::block) once softnum has them.
  return {
      make<float8_e4m3fn>("float8_e4m3fn", "Float<4, 3, Specials::fn>", F::floating, 8),
      make<float8_e5m2>("float8_e5m2", "Float<5, 2>", F::floating, 8),
      make<posit8>("posit8", "Posit<8, 2>", F::posit, 8),
      make<Fixed<4, 4>>("fixed4_4", "Fixed<4, 4>", F::fixed, 8),
      make<binary16>("binary16", "Float<5, 10>", F::floating, 16),
      make<bfloat16>("bfloat16", "Float<8, 7>", F::floating, 16),
      make<posit16>("posit16", "Posit<16, 2>", F::posit, 16),
      make<posit16_1>("posit16_1", "Posit<16, 1>", F::posit, 16),
      make<Fixed<8, 8>>("fixed8_8", "Fixed<8, 8>", F::fixed, 16),
      make<binary32>("binary32", "Float<8, 23>", F::floating, 32),
      make<posit32>("posit32", "Posit<32, 2>", F::posit, 32),
      make<Fixed<16, 16>>("fixed16_16", "Fixed<16, 16>", F::fixed, 32),
  };
}

}  // namespace

const std::vector<Format>& all_formats() {
  static const std::vector<Format> formats = build();
  return formats;
}

const Format* find_format(const std::string& name) {
  for (const Format& f : all_formats()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool format_set(const std::string& name, std::vector<std::string>& out) {
  if (name == "8bit") {
    out = {"float8_e4m3fn", "float8_e5m2", "posit8",
           "fixed4_4"};  // + P3109 / MX 8-bit formats when they exist
  } else if (name == "16bit") {
    out = {"binary16", "bfloat16", "posit16", "posit16_1", "fixed8_8"};
  } else if (name == "32bit") {
    out = {"binary32", "posit32", "fixed16_16"};
  } else if (name == "all") {
    out.clear();
    for (const Format& f : all_formats()) out.push_back(f.name);
  } else {
    return false;
  }
  return true;
}

}  // namespace acc
