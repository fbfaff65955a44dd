// softnum_train: run-time number formats.
//
// A Format is an entry of the library's registry (softnum/registry.hpp: the name, the card, the
// GEMM accumulator hook and the scalar hooks) plus the two kernels that follow this program's
// own random convention: stochastic rounding draws the word of element i as the i-th call of
// Philox(seed, stream), which the CUDA backend reproduces. The trainer holds every tensor in a
// float or double container ("storage") whose values are always exact values of that tensor's
// role format; each kernel computes an exact result and rounds it once into the format. This
// keeps the number of template instantiations linear in the number of formats (see
// docs/training.md, "Design").
#pragma once

#include <softnum/registry.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace train {

using softnum::Round;

/// This program's kernels of one format for one storage type S (float or double).
template <class S>
struct Kernels {
  /// y[i] = round(x[i]) in stochastic rounding for i < n. x[i] is an exact value; the random
  /// word of element i is the i-th of Philox(seed, stream).
  void (*round_stochastic)(const S* x, S* y, std::size_t n, std::uint64_t seed,
                           std::uint64_t stream) = nullptr;
  /// y[i] = round(a * x[i] + b * z[i]) from the exact value (z may be null: b * z = 0).
  void (*axpby)(double a, const S* x, double b, const S* z, S* y, std::size_t n, Round mode,
                std::uint64_t seed, std::uint64_t stream) = nullptr;
  /// The quire model (exact products, accumulation in binary128) for destination format T: C is
  /// rounded once from the accumulated binary128 value to this format. Null for the e<E>m<M>
  /// family (halves its GEMM instantiations, which dominate the build time).
  void (*gemm_quire)(softnum::MatrixView<const S> A, softnum::MatrixView<const S> B,
                     softnum::MatrixView<S> C, const softnum::GemmOptions& options) = nullptr;
};

/// A registry entry with this program's kernels. The registry's hooks used here: hooks<S>().gemm
/// (this format as a GEMM accumulator) and the scalar round / add / div (softmax and loss).
struct Format : softnum::FormatEntry {
  bool quire = false;  // the pseudo-format "quire": valid only as the accumulator
  Kernels<float> kf;
  Kernels<double> kd;

  template <class S>
  const Kernels<S>& kernels() const;
  /// y[i] = round(x[i]) for i < n (x and y may be the same array): stochastic rounding by this
  /// program's kernel (Philox(seed, stream)), the other modes by the registry's array rounding
  /// (softnum::quantize; the same bits as element-wise convert).
  template <class S>
  void round_array(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
                   std::uint64_t stream) const;
  /// Values need a double container (more than 24 bits or beyond float's range).
  bool needs_double() const { return !exact_in_float; }
  /// No infinity: overflow saturates at max (posits, fixed point).
  bool saturates() const {
    return family == softnum::FormatFamily::posit || family == softnum::FormatFamily::fixed;
  }
};

template <>
inline const Kernels<float>& Format::kernels<float>() const {
  return kf;
}
template <>
inline const Kernels<double>& Format::kernels<double>() const {
  return kd;
}

template <class S>
void Format::round_array(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
                         std::uint64_t stream) const {
  if (mode == Round::stochastic) {
    kernels<S>().round_stochastic(x, y, n, seed, stream);
  } else {
    hooks<S>().round(x, y, n, mode, 0, 0);
  }
}

/// All formats, in the order --list-formats prints them: the library's standard formats, the
/// e<E>m<M> family, then "quire".
const std::vector<Format>& all_formats();

/// The format with this name; throws std::invalid_argument naming the valid ones otherwise, or
/// saying why a format cannot be trained in (untrainable_reason). "quire" is a pseudo-format
/// valid only as an accumulator.
const Format& find_format(const std::string& name);

/// Why f cannot hold a training tensor (no zero, or no negative values, e.g. float8_e8m0fnu and
/// the unsigned formats), or "" when it can.
std::string untrainable_reason(const Format& f);

/// One line per format: name, type, bits, precision, range.
std::string list_formats();

// Registration, one translation unit per family (formats_*.cpp).
void register_float_formats(std::vector<Format>& out);  // softnum::for_each_standard_float_format
void register_posit_formats(std::vector<Format>& out);  // softnum::for_each_standard_posit_format
void register_fixed_formats(std::vector<Format>& out);  // softnum::for_each_standard_fixed_format
void register_e2_formats(std::vector<Format>& out);     // formats_e<E>.cpp, e<E>m<M>
void register_e3_formats(std::vector<Format>& out);
void register_e4_formats(std::vector<Format>& out);
void register_e5_formats(std::vector<Format>& out);
void register_e6_formats(std::vector<Format>& out);
void register_e7_formats(std::vector<Format>& out);
void register_e8_formats(std::vector<Format>& out);

}  // namespace train
