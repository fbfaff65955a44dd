// softnum Python module: the kernels of one format, instantiated once per softnum type by
// make_format<T> next to the registry's own entry (compiled in softnum::standard_formats).
// Included only by the formats_*.cpp translation units.
#pragma once

#include <softnum/gemm.hpp>
#include <softnum/quantize.hpp>
#include <softnum/registry.hpp>

#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "formats.hpp"

namespace softnum_py::impl {

namespace sd = softnum::detail;

/// The scalar definition, element by element: the library's reference loop, which the tests
/// compare the array kernels with.
template <class T, class S>
void quantize_reference(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
                        std::uint64_t offset) {
  softnum::detail::quant::reference<T>(x, y, n, mode, seed, offset);
}

/// The array kernel: softnum::quantize<T> (vectorised per instruction set for the small Float
/// formats; x and y may be the same array).
template <class T, class S>
void quantize_array(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
                    std::uint64_t offset) {
  softnum::quantize<T>(std::span<const S>(x, n), std::span<S>(y, n), mode, seed, offset);
}

template <class Model>
void gemm_double(softnum::MatrixView<const double> A, softnum::MatrixView<const double> B,
                 softnum::MatrixView<double> C, const softnum::GemmOptions& options) {
  softnum::gemm<Model>(A, B, C, options);
}

template <class Model>
void gemm_reference_double(softnum::MatrixView<const double> A, softnum::MatrixView<const double> B,
                           softnum::MatrixView<double> C, const softnum::GemmOptions& options) {
  softnum::gemm_reference<Model>(A, B, C, options);
}

/// Also the model with products rounded to T (softnum.matmul(product=name)).
template <class T>
inline constexpr bool with_rounded_product =
    std::is_same_v<T, float> || std::is_same_v<T, softnum::binary16> ||
    std::is_same_v<T, softnum::bfloat16> || std::is_same_v<T, softnum::float8_e4m3fn> ||
    std::is_same_v<T, softnum::float8_e5m2>;

/// The library's entry of the standard format `name` (card and hooks), compiled once in
/// softnum::standard_formats (src/standard_formats_*.cpp), not here.
inline const softnum::FormatEntry& standard_entry(const char* name) {
  if (const softnum::FormatEntry* e = softnum::find_format(name)) return *e;
  throw std::logic_error(std::string("softnum module: not a standard format: ") + name);
}

template <class T>
Format make_format(const char* name) {
  Format f;
  static_cast<softnum::FormatEntry&>(f) = standard_entry(name);
  if constexpr (std::is_floating_point_v<T>) {
    // float32 / float64: the registry's hook copies a value already in the format, NaN payloads
    // included, where softnum::quantize (this module's definition, tested against the reference
    // loop) returns its canonical NaN.
    f.quantize_d = &quantize_array<T, double>;
    f.quantize_f = &quantize_array<T, float>;
  } else {
    f.quantize_d = f.d.round;
    if constexpr (softnum::all_values_exact_in<T, float>) {
      f.quantize_f = f.f.round;
    } else {
      f.quantize_f = &quantize_array<T, float>;
    }
  }
  f.reference_f = &quantize_reference<T, float>;
  f.reference_d = &quantize_reference<T, double>;
  using Exact = softnum::Accumulation<softnum::exact_product, T>;
  f.gemm_reference = &gemm_reference_double<Exact>;
  if constexpr (with_rounded_product<T>) {
    f.gemm_rounded_product = &gemm_double<softnum::Accumulation<T, T>>;
    f.gemm_rounded_product_reference = &gemm_reference_double<softnum::Accumulation<T, T>>;
  }
  return f;
}

/// Registers every format a registry visitor (softnum::for_each_standard_*_format) names whose
/// values are all doubles (the module's GEMM stores the accumulator in double).
inline auto registrar(std::vector<Format>& out) {
  return [&out]<class T>(softnum::format_tag<T>, const char* name, const char*, const char*) {
    if constexpr (softnum::all_values_exact_in<T, double>) out.push_back(make_format<T>(name));
  };
}

}  // namespace softnum_py::impl
