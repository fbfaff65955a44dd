// softnum_train: the kernels of one format, instantiated once per softnum type by make_format<T>
// next to the registry's own entry (compiled in softnum::standard_formats). Included only by the
// formats_*.cpp translation units.
#pragma once

#include <softnum/gemm.hpp>
#include <softnum/random.hpp>
#include <softnum/registry.hpp>

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "format.hpp"

namespace train::impl {

namespace sd = softnum::detail;

/// The exact value of a storage element.
template <class S>
sd::Unpacked unpack_storage(S x) {
  return sd::number_traits<S>::unpack(x);
}

/// t (a value of T) in storage S: exact, because the registry gives T a wide enough S.
template <class S, class T>
S to_storage(T t) {
  if constexpr (std::is_same_v<S, T>) {
    return t;
  } else {
    return static_cast<S>(static_cast<double>(t));
  }
}

template <class T>
T pack(const sd::Unpacked& u, Round mode, std::uint32_t random) {
  return sd::number_traits<T>::pack(u, mode, random);
}

/// y[i] = round(x[i]) in stochastic rounding, the word of element i the i-th of Philox(seed,
/// stream).
template <class T, class S>
void round_stochastic(const S* x, S* y, std::size_t n, std::uint64_t seed, std::uint64_t stream) {
  softnum::Philox gen(seed, stream);
  for (std::size_t i = 0; i < n; ++i)
    y[i] = to_storage<S>(pack<T>(unpack_storage(x[i]), Round::stochastic, gen()));
}

/// round(a * x + b * z) from the exact value: both products are exact (at most 53 x 53 bits) and
/// their sum is kept round-to-odd at >= 125 bits, so the final rounding is the only one.
template <class T, class S>
void axpby(double a, const S* x, double b, const S* z, S* y, std::size_t n, Round mode,
           std::uint64_t seed, std::uint64_t stream) {
  if constexpr (std::is_same_v<T, float>) {
    // The native float32 baseline computes as an fp32 framework does: scalars in float, fmaf.
    if (mode != Round::stochastic) {
      const auto fa = static_cast<float>(a), fb = static_cast<float>(b);
      for (std::size_t i = 0; i < n; ++i) {
        const auto xi = static_cast<float>(x[i]);
        const float bz = z != nullptr ? fb * static_cast<float>(z[i]) : 0.0f;
        y[i] = static_cast<S>(std::fma(fa, xi, bz));
      }
      return;
    }
  }
  softnum::Philox gen(seed, stream);
  const sd::Unpacked ua = sd::unpack_double(a), ub = sd::unpack_double(b);
  for (std::size_t i = 0; i < n; ++i) {
    sd::Unpacked s = sd::exact_mul(ua, unpack_storage(x[i]));
    if (z != nullptr) s = sd::exact_add(s, sd::exact_mul(ub, unpack_storage(z[i])), mode);
    const std::uint32_t r = mode == Round::stochastic ? gen() : 0u;
    y[i] = to_storage<S>(pack<T>(s, mode, r));
  }
}

/// Exact products summed in binary128 (exact for every realistic training dot product of formats
/// up to 16 bits; see docs/training.md), rounded once to T, then stored exactly in S.
template <class T, class S>
void gemm_quire(softnum::MatrixView<const S> A, softnum::MatrixView<const S> B,
                softnum::MatrixView<S> C, const softnum::GemmOptions& options) {
  std::vector<T> out(static_cast<std::size_t>(C.rows * C.cols));
  softnum::GemmOptions o = options;
  o.accumulate = false;
  softnum::gemm<softnum::Accumulation<softnum::exact_product, softnum::binary128>>(
      A, B, softnum::row_major(out.data(), C.rows, C.cols), o);
  for (std::ptrdiff_t i = 0; i < C.rows; ++i) {
    for (std::ptrdiff_t j = 0; j < C.cols; ++j)
      C(i, j) = to_storage<S>(out[static_cast<std::size_t>(i * C.cols + j)]);
  }
}

/// The library's entry of the standard format `name` (card, GEMM and scalar hooks), compiled once
/// in softnum::standard_formats (src/standard_formats_*.cpp), not here.
inline const softnum::FormatEntry& standard_entry(const char* name) {
  if (const softnum::FormatEntry* e = softnum::find_format(name)) return *e;
  throw std::logic_error(std::string("softnum_train: not a standard format: ") + name);
}

/// The registry's entry for T (standard_entry: card, GEMM and scalar hooks) with this program's
/// kernels. with_quire = false leaves gemm_quire null (the e<E>m<M> family: halves
/// its GEMM instantiations, which dominate the build time). Every format here is exact in double.
template <class T, bool with_quire = true>
Format make_format(const char* name) {
  static_assert(softnum::all_values_exact_in<T, double>,
                "the trainer's containers are float or double");
  Format f;
  static_cast<softnum::FormatEntry&>(f) = standard_entry(name);
  f.kd = Kernels<double>{&round_stochastic<T, double>, &axpby<T, double>, nullptr};
  if constexpr (with_quire) f.kd.gemm_quire = &gemm_quire<T, double>;
  if constexpr (softnum::all_values_exact_in<T, float>) {
    f.kf = Kernels<float>{&round_stochastic<T, float>, &axpby<T, float>, nullptr};
    if constexpr (with_quire) f.kf.gemm_quire = &gemm_quire<T, float>;
  }
  return f;
}

/// Registers every format a registry visitor (softnum::for_each_standard_*_format) names whose
/// values a double container holds exactly (the others cannot be trained in; see registry.cpp).
inline auto registrar(std::vector<Format>& out) {
  return [&out]<class T>(softnum::format_tag<T>, const char* name, const char*, const char*) {
    if constexpr (softnum::all_values_exact_in<T, double>) out.push_back(make_format<T>(name));
  };
}

}  // namespace train::impl
