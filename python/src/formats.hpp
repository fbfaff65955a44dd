// softnum Python module: the formats it offers, by name, each bound once to its kernels.
//
// The module works on NumPy float32/float64 arrays ("storage"). For every format it keeps the
// format's card and function pointers to the array kernels, so that the bindings (module.cpp)
// dispatch on a run-time name without instantiating anything themselves, and the per-format
// instantiations are spread over a few translation units (formats_*.cpp) that build in parallel.
#pragma once

#include <softnum/gemm.hpp>
#include <softnum/round.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace softnum_py {

using softnum::Round;

/// y[i] = x[i] rounded once to the format in `mode`, stored in S; stochastic rounding draws its
/// word for element i from softnum::random_word(seed, offset + i, 0). x may equal y.
template <class S>
using QuantizeFn = void (*)(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
                            std::uint64_t offset);

/// C = A * B in double storage with exact products and every addition rounded to the format
/// (softnum::Accumulation<exact_product, T>); C receives the accumulator's value, which double
/// holds exactly for every format here (at most 53 significant bits, double's range).
using GemmFn = void (*)(softnum::MatrixView<const double> A, softnum::MatrixView<const double> B,
                        softnum::MatrixView<double> C, const softnum::GemmOptions& options);

/// The same model on float32 inputs and output (C = the accumulator's value rounded to float, in
/// options.output_round): the storage the library's SIMD kernels take. Only for formats whose
/// values are all floats.
using GemmFloatFn = void (*)(softnum::MatrixView<const float> A, softnum::MatrixView<const float> B,
                             softnum::MatrixView<float> C, const softnum::GemmOptions& options);

struct Format {
  std::string name;
  std::string type;    // the C++ type, e.g. "Float<4, 3, Specials::fn>"
  std::string family;  // "native", "float", "posit", "fixed"
  int bits = 0;
  int digits = 0;           // significant bits (posits: at 1; fixed: bits after the sign)
  double max = 0;           // largest finite value
  double min_positive = 0;  // smallest positive value
  double min_normal = 0;    // smallest normal (floats), minpos (posits), the step (fixed)
  double epsilon = 0;       // distance from 1 to the next value
  bool has_infinity = false;
  bool has_nan = false;
  bool exact_in_float = false;  // every value is a float (quantize into float32 storage is exact)
  QuantizeFn<float> quantize_f = nullptr;
  QuantizeFn<double> quantize_d = nullptr;
  QuantizeFn<float> reference_f = nullptr;  // the scalar definition, one element at a time
  QuantizeFn<double> reference_d = nullptr;
  /// x rounded once to the format with the given random word, as a double (exact: the format
  /// has at most 53 significant bits and double's range).
  double (*round1)(double x, Round mode, std::uint32_t word) = nullptr;
  GemmFn gemm = nullptr;                  // softnum::gemm (SIMD kernels, threads)
  GemmFn gemm_reference = nullptr;        // softnum::gemm_reference (the model's naive loop)
  GemmFn gemm_rounded_product = nullptr;  // Accumulation<T, T>: products rounded to T too
  GemmFn gemm_rounded_product_reference = nullptr;
  GemmFloatFn gemm_f = nullptr;  // softnum::gemm on float storage (formats whose values are floats)
};

/// Every format, in the order formats() lists them.
const std::vector<Format>& all_formats();

/// The format with this name; throws std::invalid_argument naming the valid ones otherwise.
const Format& find_format(const std::string& name);

/// "a, b, c": every name, for error messages.
std::string format_names();

void register_float_formats(std::vector<Format>& out);
void register_posit_formats(std::vector<Format>& out);
void register_fixed_formats(std::vector<Format>& out);

}  // namespace softnum_py
