// softnum Python module: the formats it offers, by name, each bound once to its kernels.
//
// The module works on NumPy float32/float64 arrays ("storage"). For every format of the library
// registry it keeps the registry's entry (card, hooks) and function pointers to its own kernels, so
// that the bindings (module.cpp) dispatch on a run-time name without instantiating anything
// themselves, and the per-format instantiations are spread over a few translation units
// (formats_*.cpp) that build in parallel.
#pragma once

#include <softnum/registry.hpp>

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

/// A registry entry (softnum/registry.hpp: name, type, card; the hooks used here: d.gemm and
/// f.gemm, the GEMM with this format as accumulator on double / float storage, null on float
/// storage unless every value is a float; round, one value rounded once) with this module's
/// kernels.
struct Format : softnum::FormatEntry {
  /// The registry's array rounding (d.round, f.round), and on float storage for a format whose
  /// values are not all floats, softnum::quantize<T> with the result rounded to float.
  QuantizeFn<float> quantize_f = nullptr;
  QuantizeFn<double> quantize_d = nullptr;
  QuantizeFn<float> reference_f = nullptr;  // the scalar definition, one element at a time
  QuantizeFn<double> reference_d = nullptr;
  GemmFn gemm_reference = nullptr;        // softnum::gemm_reference (the model's naive loop)
  GemmFn gemm_rounded_product = nullptr;  // Accumulation<T, T>: products rounded to T too
  GemmFn gemm_rounded_product_reference = nullptr;
};

/// "native", "float", "posit" or "fixed" (info()["family"]).
const char* family_name(softnum::FormatFamily family);

/// Every format, in the order formats() lists them.
const std::vector<Format>& all_formats();

/// The format with this name; throws std::invalid_argument naming the valid ones otherwise
/// (softnum::unknown_format_message).
const Format& find_format(const std::string& name);

// The registry's standard formats, one translation unit per family (formats_*.cpp).
void register_float_formats(std::vector<Format>& out);  // softnum::for_each_standard_float_format
void register_posit_formats(std::vector<Format>& out);  // softnum::for_each_standard_posit_format
void register_fixed_formats(std::vector<Format>& out);  // softnum::for_each_standard_fixed_format

}  // namespace softnum_py
