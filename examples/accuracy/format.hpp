// softnum_accuracy: run-time number formats.
//
// The formats are the library registry's (softnum/registry.hpp), each of whose values is exactly
// a binary64 value. A Format is therefore a name bound, once per softnum type, to a few scalar
// hooks on doubles: each hook computes the exact result of one operation (detail::Unpacked) and
// rounds it once into the format. All kernels (kernels.cpp) are written once over these hooks, so
// the number of template instantiations is one small set per format (formats.cpp), whatever the
// number of kernels. The exact references (exact.cpp, MPFR) never see a format.
#pragma once

#include <softnum/registry.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace acc {

using softnum::Round;

/// A registry entry (softnum/registry.hpp: name, type, card, and the scalar hooks round / add /
/// mul used here: arguments are values of the format, or any double for round; the result is the
/// exact result rounded once in `mode`, random: the 32-bit word used by stochastic rounding) with
/// the hooks this program adds.
struct Format : softnum::FormatEntry {
  double (*fma)(double a, double b, double c, Round mode, std::uint32_t random) = nullptr;  // a*b+c
  /// a / b: for operands that are values of the format, the library's correctly rounded division
  /// (softnum::div) in nearest-even and stochastic rounding; otherwise (harmonic's 1/k with k not
  /// in the format) the binary64 quotient rounded once, which is the correctly rounded quotient
  /// in the nearest modes for formats of <= 25 significant bits (53 >= 2p + 2). (The registry's
  /// div is always the latter.)
  double (*div_correct)(double a, double b, Round mode, std::uint32_t random) = nullptr;
  /// Posits only: the fused dot product (softnum::Quire, one rounding at the end).
  double (*quire_dot)(const double* a, const double* b, std::size_t n) = nullptr;
  /// Floats only: the dot product accumulated in softnum::Expansion<T, 2> (a double-word of T,
  /// Joldes-Muller-Popescu algorithms: s += Expansion(a) * b), rounded once to T at the end.
  /// Expansion arithmetic is defined for round to nearest only.
  double (*expansion_dot)(const double* a, const double* b, std::size_t n) = nullptr;
  /// C (m x n) = A (m x k) * B (k x n), row-major, by softnum::gemm_reference with
  /// Accumulation<T, T> (products and sums rounded to this format in `mode`; chunk > 0: chunked
  /// accumulation). C gets exact values of T. (Plain pointers keep gemm.hpp out of this header.)
  void (*gemm)(const double* A, const double* B, double* C, std::size_t m, std::size_t k,
               std::size_t n, Round mode, std::uint64_t seed, std::size_t chunk) = nullptr;

  static bool is_finite(double v) { return v - v == 0; }  // not NaN, NaR or infinite
};

/// All formats, in --list order: those of the equal-width comparisons (the sets below), then
/// every other standard format of the library registry (softnum::for_each_standard_format; the
/// native float32 / float64 are binary32 / binary64 here).
const std::vector<Format>& all_formats();
/// The format with this name, or nullptr.
const Format* find_format(const std::string& name);

/// The library registry's block-scaled formats (softnum::standard_block_formats): listed, not
/// run, as every kernel here works on scalars.
const std::vector<softnum::BlockFormatEntry>& block_formats();

/// Named sets for --formats: "8bit", "16bit", "32bit" (the equal-width comparisons) and "all".
/// Returns false if the name is not a set.
bool format_set(const std::string& name, std::vector<std::string>& out);

}  // namespace acc
