// softnum Python module: the kernels of one format, instantiated once per softnum type by
// make_format<T>. Included only by the formats_*.cpp translation units.
#pragma once

#include <softnum/convert.hpp>
#include <softnum/fixed.hpp>
#include <softnum/float.hpp>
#include <softnum/gemm.hpp>
#include <softnum/posit.hpp>
#include <softnum/quantize.hpp>
#include <softnum/random.hpp>

#include <limits>
#include <span>
#include <type_traits>

#include "formats.hpp"

namespace softnum_py::impl {

namespace sd = softnum::detail;

/// One element, the library's definition (softnum/ops/quantize.hpp): the exact value of x rounded
/// once to T, stored back in S (exactly when it fits, else rounded to nearest even).
template <class T, class S>
S round_one(S x, Round mode, std::uint32_t word) {
  return softnum::detail::quant::round_one<T>(x, mode, word);
}

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
void gemm_float(softnum::MatrixView<const float> A, softnum::MatrixView<const float> B,
                softnum::MatrixView<float> C, const softnum::GemmOptions& options) {
  softnum::gemm<Model>(A, B, C, options);
}

template <class Model>
void gemm_reference_double(softnum::MatrixView<const double> A, softnum::MatrixView<const double> B,
                           softnum::MatrixView<double> C, const softnum::GemmOptions& options) {
  softnum::gemm_reference<Model>(A, B, C, options);
}

template <class T>
double as_double(T x) {
  return static_cast<double>(x);
}

/// Whether every value of T is a float: at most 24 significant bits and float's range.
template <class T>
constexpr bool exact_in_float() {
  using L = std::numeric_limits<T>;
  using F = std::numeric_limits<float>;
  return L::digits <= F::digits && static_cast<double>(L::max()) <= static_cast<double>(F::max()) &&
         static_cast<double>(L::denorm_min()) >= static_cast<double>(F::denorm_min());
}

/// with_rounded_product: also instantiate the model with products rounded to T.
template <class T, bool with_rounded_product = false>
Format make_format(const char* name, const char* type, const char* family, int bits) {
  using L = std::numeric_limits<T>;
  static_assert(L::digits <= 53, "the module's GEMM stores the accumulator in double");
  Format f;
  f.name = name;
  f.type = type;
  f.family = family;
  f.bits = bits;
  f.digits = L::digits;
  f.max = as_double(L::max());
  f.min_positive = as_double(L::denorm_min());
  f.min_normal = as_double(L::min());
  f.epsilon = as_double(L::epsilon());
  f.has_infinity = L::has_infinity;
  f.has_nan = L::has_quiet_NaN;
  f.exact_in_float = exact_in_float<T>();
  f.quantize_f = &quantize_array<T, float>;
  f.quantize_d = &quantize_array<T, double>;
  f.reference_f = &quantize_reference<T, float>;
  f.reference_d = &quantize_reference<T, double>;
  f.round1 = &round_one<T, double>;
  using Exact = softnum::Accumulation<softnum::exact_product, T>;
  f.gemm = &gemm_double<Exact>;
  f.gemm_reference = &gemm_reference_double<Exact>;
  if constexpr (exact_in_float<T>()) f.gemm_f = &gemm_float<Exact>;
  if constexpr (with_rounded_product) {
    f.gemm_rounded_product = &gemm_double<softnum::Accumulation<T, T>>;
    f.gemm_rounded_product_reference = &gemm_reference_double<softnum::Accumulation<T, T>>;
  }
  return f;
}

}  // namespace softnum_py::impl
