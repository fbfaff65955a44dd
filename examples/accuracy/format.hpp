// softnum_accuracy: run-time number formats.
//
// Every format under test has at most 32 bits, so each of its values is exactly a binary64
// value. A Format is therefore a name bound, once per softnum type, to a few scalar hooks on
// doubles: each hook computes the exact result of one operation (detail::Unpacked) and rounds it
// once into the format. All kernels (kernels.cpp) are written once over these hooks, so the
// number of template instantiations is one small set per format (formats.cpp), whatever the
// number of kernels. The exact references (exact.cpp, MPFR) never see a format.
#pragma once

#include <softnum/gemm.hpp>
#include <softnum/round.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace acc {

using softnum::Round;

enum class Family {
  floating,
  posit,
  fixed,
  block
};  // block: P3109 / MX formats (not yet in softnum)

struct Format {
  std::string name;  // run-time name, e.g. "binary16"
  std::string type;  // the C++ type, e.g. "Float<5, 10>"
  Family family = Family::floating;
  int bits = 0;

  // Card (computed once from the type; see card() in formats.cpp).
  double max = 0;         // largest finite value (floats), maxpos (posits), largest (fixed)
  double min_pos = 0;     // smallest positive: subnormal (floats), minpos (posits), ulp (fixed)
  double min_normal = 0;  // smallest positive normal (floats); = min_pos otherwise
  double epsilon = 0;     // next value above 1, minus 1
  double nan_fraction = 0, inf_fraction = 0;  // of all 2^bits codes

  // Scalar hooks: arguments are values of the format (or any double for round); the result is
  // the exact result rounded once in `mode` (random: the 32-bit word used by stochastic rounding).
  double (*round)(double x, Round mode, std::uint32_t random) = nullptr;
  double (*add)(double a, double b, Round mode, std::uint32_t random) = nullptr;
  double (*mul)(double a, double b, Round mode, std::uint32_t random) = nullptr;
  double (*fma)(double a, double b, double c, Round mode, std::uint32_t random) = nullptr;  // a*b+c
  /// a / b: the quotient correctly rounded to binary64, then rounded once to the format. Equal to
  /// the correctly rounded quotient in the nearest modes for formats of <= 25 significant bits
  /// (53 >= 2p + 2); within the format's rounding otherwise (posit32 near 1 may differ by an ulp
  /// on a tie, stochastic rounding sees the binary64 quotient).
  double (*div)(double a, double b, Round mode, std::uint32_t random) = nullptr;
  /// Posits only: the fused dot product (softnum::Quire, one rounding at the end).
  double (*quire_dot)(const double* a, const double* b, std::size_t n) = nullptr;
  /// C = A * B by softnum::gemm_reference with Accumulation<T, T> (products and sums rounded to
  /// this format, options.round; options.chunk for chunked accumulation). C gets exact values of T.
  void (*gemm)(softnum::MatrixView<const double> A, softnum::MatrixView<const double> B,
               softnum::MatrixView<double> C, const softnum::GemmOptions& options) = nullptr;

  static bool is_finite(double v) { return v - v == 0; }  // not NaN, NaR or infinite
};

/// All formats, in --list order.
const std::vector<Format>& all_formats();
/// The format with this name, or nullptr.
const Format* find_format(const std::string& name);

/// Named sets for --formats: "8bit", "16bit", "32bit" (the equal-width comparisons) and "all".
/// Returns false if the name is not a set.
bool format_set(const std::string& name, std::vector<std::string>& out);

}  // namespace acc
