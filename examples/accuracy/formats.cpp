// softnum_accuracy: the format table: the library registry's standard formats (a format added
// there appears here) with this program's hooks. This is the only translation unit that
// instantiates softnum's number types.
#include <softnum/convert.hpp>
#include <softnum/expansion.hpp>
#include <softnum/gemm.hpp>
#include <softnum/registry.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>
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

/// The equal-width comparison sets, in the order of the tour; together the first formats listed.
const std::vector<std::string> kSet8 = {"float8_e4m3fn", "float8_e5m2", "posit8", "fixed4_4"};
const std::vector<std::string> kSet16 = {"binary16", "bfloat16", "posit16", "posit16_1",
                                         "fixed8_8"};
const std::vector<std::string> kSet32 = {"binary32", "posit32", "fixed16_16"};

template <class T>
Format make(const char* name) {
  Format f;
  // The library's entry (compiled once in softnum::standard_formats): the card and the scalar
  // hooks round / add / mul (nothing here uses its array or GEMM hooks).
  const softnum::FormatEntry* entry = softnum::find_format(name);
  if (entry == nullptr) throw std::logic_error(std::string("not a standard format: ") + name);
  static_cast<softnum::FormatEntry&>(f) = *entry;
  f.fma = &fma1<T>;
  f.div_correct = &div1<T>;
  f.gemm = &gemm_tt<T>;
  if constexpr (softnum::PositFormat<T>) f.quire_dot = &quire_dot<T>;
  if constexpr (softnum::ExpansionBase<T>) f.expansion_dot = &expansion_dot<T>;
  return f;
}

std::vector<Format> build() {
  std::vector<Format> v;
  softnum::for_each_standard_format(
      [&v]<class T>(softnum::format_tag<T>, const char* name, const char*, const char*) {
        // Every value a double (the hooks' argument type); the natives are binary32 / binary64.
        if constexpr (!std::is_floating_point_v<T> && softnum::all_values_exact_in<T, double>) {
          v.push_back(make<T>(name));
        }
      });
  // The comparison sets first, in their order; the others keep the registry's order.
  std::vector<std::string> first = kSet8;
  first.insert(first.end(), kSet16.begin(), kSet16.end());
  first.insert(first.end(), kSet32.begin(), kSet32.end());
  const auto rank = [&first](const Format& f) {
    return std::find(first.begin(), first.end(), f.name) - first.begin();
  };
  std::stable_sort(v.begin(), v.end(),
                   [&rank](const Format& a, const Format& b) { return rank(a) < rank(b); });
  return v;
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

const std::vector<softnum::BlockFormatEntry>& block_formats() {
  return softnum::standard_block_formats();
}

bool format_set(const std::string& name, std::vector<std::string>& out) {
  if (name == "8bit") {
    out = kSet8;  // the other 8-bit formats (P3109, E8M0, fnuz, ...): by name or `all`
  } else if (name == "16bit") {
    out = kSet16;
  } else if (name == "32bit") {
    out = kSet32;
  } else if (name == "all") {
    out.clear();
    for (const Format& f : all_formats()) out.push_back(f.name);
  } else {
    return false;
  }
  return true;
}

}  // namespace acc
