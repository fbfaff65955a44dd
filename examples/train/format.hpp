// softnum_train: run-time number formats.
//
// A Format is a name bound, once per softnum type, to a small table of function pointers. The
// trainer holds every tensor in a float or double container ("storage") whose values are always
// exact values of that tensor's role format; each kernel below computes an exact result and
// rounds it once into the format through softnum. This keeps the number of template
// instantiations linear in the number of formats (see docs/training.md, "Design").
#pragma once

#include <softnum/gemm.hpp>
#include <softnum/round.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace train {

using softnum::Round;

/// The kernels of one format for one storage type S (float or double).
template <class S>
struct Kernels {
  /// y[i] = round(x[i]) for i < n. x[i] is an exact value; random words for stochastic rounding
  /// come from Philox(seed, stream), word i for element i.
  void (*round)(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed, std::uint64_t stream) = nullptr;
  /// y[i] = round(a * x[i] + b * z[i]) from the exact value (z may be null: b * z = 0).
  void (*axpby)(double a, const S* x, double b, const S* z, S* y, std::size_t n, Round mode, std::uint64_t seed,
                std::uint64_t stream) = nullptr;
  /// This format as the accumulator of a GEMM: C = A * B with exact products, every addition
  /// rounded to this format (softnum::Accumulation<exact_product, T>); C receives the accumulator's
  /// value, exact in S. Null when the format cannot serve as an accumulator in storage S.
  void (*gemm)(softnum::MatrixView<const S> A, softnum::MatrixView<const S> B, softnum::MatrixView<S> C,
               const softnum::GemmOptions& options) = nullptr;
  /// The quire model (exact products, accumulation in binary128) for destination format T: C is
  /// rounded once from the accumulated binary128 value to this format.
  void (*gemm_quire)(softnum::MatrixView<const S> A, softnum::MatrixView<const S> B, softnum::MatrixView<S> C,
                     const softnum::GemmOptions& options) = nullptr;
};

enum class Family { native, floating, posit, fixed, quire };

struct Format {
  std::string name;
  std::string type;  // the C++ type, e.g. "Float<4, 3, Specials::fn>"
  Family family = Family::floating;
  int bits = 0;              // storage width
  int digits = 0;            // significant bits (posits: at 1; fixed: total - sign)
  double max = 0;            // largest finite value
  double min_positive = 0;   // smallest positive value
  double min_normal = 0;     // smallest normal (floats), minpos (posits), ulp (fixed)
  bool needs_double = false; // values need a double container (more than 24 bits or float's range)
  Kernels<float> f;
  Kernels<double> d;
  /// Scalar operations, each rounded once in the format (used by softmax / cross-entropy).
  double (*round1)(double x, Round mode, std::uint32_t random) = nullptr;
  double (*add1)(double a, double b, Round mode, std::uint32_t random) = nullptr;  // a + b
  double (*div1)(double a, double b, Round mode, std::uint32_t random) = nullptr;  // a / b
  /// Whether the value is NaN, NaR or infinite in this format (for overflow checks), or at the
  /// format's saturation bound (posits and fixed point have no infinity).
  bool saturates = false;

  template <class S>
  const Kernels<S>& kernels() const;
};

template <>
inline const Kernels<float>& Format::kernels<float>() const {
  return f;
}
template <>
inline const Kernels<double>& Format::kernels<double>() const {
  return d;
}

/// All formats, in the order --list-formats prints them.
const std::vector<Format>& all_formats();

/// The format with this name; throws std::invalid_argument naming the valid ones otherwise.
/// "quire" is a pseudo-format valid only as an accumulator.
const Format& find_format(const std::string& name);

/// One line per format: name, type, bits, precision, range.
std::string list_formats();

// Registration, one translation unit per family (formats_*.cpp).
void register_float_formats(std::vector<Format>& out);
void register_e2_formats(std::vector<Format>& out);  // formats_e<E>.cpp, e<E>m<M>
void register_e3_formats(std::vector<Format>& out);
void register_e4_formats(std::vector<Format>& out);
void register_e5_formats(std::vector<Format>& out);
void register_e6_formats(std::vector<Format>& out);
void register_e7_formats(std::vector<Format>& out);
void register_e8_formats(std::vector<Format>& out);
void register_posit_formats(std::vector<Format>& out);
void register_fixed_formats(std::vector<Format>& out);

}  // namespace train
