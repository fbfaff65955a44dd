// softnum Python module: the kernels of one format, instantiated once per softnum type by
// make_format<T>. Included only by the formats_*.cpp translation units.
#pragma once

#include <softnum/convert.hpp>
#include <softnum/fixed.hpp>
#include <softnum/float.hpp>
#include <softnum/gemm.hpp>
#include <softnum/posit.hpp>
#include <softnum/random.hpp>

#include <limits>
#include <type_traits>

#include "formats.hpp"

namespace softnum_py::impl {

namespace sd = softnum::detail;

template <class T>
inline constexpr bool is_native = std::is_same_v<T, float> || std::is_same_v<T, double>;

/// The value of t in storage S: exact when S can hold it (the card says when), otherwise rounded
/// to nearest by the C++ conversion from double.
template <class S, class T>
S to_storage(T t) {
  if constexpr (std::is_same_v<S, T>) {
    return t;
  } else {
    return static_cast<S>(static_cast<double>(t));
  }
}

/// One element, the definition: the exact value of x rounded once to T.
template <class T, class S>
S round_one(S x, Round mode, std::uint32_t word) {
  return to_storage<S>(sd::number_traits<T>::pack(sd::number_traits<S>::unpack(x), mode, word));
}

/// The scalar definition, element by element (the test module's reference).
template <class T, class S>
void quantize_reference(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
                        std::uint64_t offset) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t word =
        mode == Round::stochastic ? softnum::random_word(seed, offset + i, 0) : 0u;
    y[i] = round_one<T>(x[i], mode, word);
  }
}

/// Float<E, M> formats with E <= 8 and M <= 23: the library's own double-based rounding
/// (Float::arith::from_double, what its arithmetic uses) instead of the generic 128-bit path.
template <class T>
concept DoubleRounded = softnum::FloatFormat<T> && T::arith::via_double;

/// The array kernel: the same values as quantize_reference (the tests check every bit), with
/// the cases that need no rounding (T is the storage type) reduced to a copy, and Float formats
/// rounded by the library's fast paths: the branch-free float lanes for nearest-even from
/// float, Float::arith::from_double otherwise.
template <class T, class S>
void quantize_array(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
                    std::uint64_t offset) {
  if constexpr (DoubleRounded<T>) {
    using A = typename T::arith;
    // (Not for formats without NaN: there the lanes map every NaN to +max, convert<T> keeps
    // the NaN's sign.)
    if constexpr (std::is_same_v<S, float> && A::via_float &&
                  std::numeric_limits<T>::has_quiet_NaN) {
      if (mode == Round::nearest_even) {
        using L = typename A::lanes;
        for (std::size_t i = 0; i < n; ++i) y[i] = L::decode(L::encode(x[i]));
        return;
      }
    }
    if (!A::use_double(mode)) {
      quantize_reference<T>(x, y, n, mode, seed, offset);
    } else if (mode == Round::stochastic) {
      for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t word = softnum::random_word(seed, offset + i, 0);
        y[i] = static_cast<S>(
            A::to_double(A::from_double(static_cast<double>(x[i]), mode, word, true)));
      }
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        y[i] =
            static_cast<S>(A::to_double(A::from_double(static_cast<double>(x[i]), mode, 0u, true)));
      }
    }
  } else if constexpr (std::is_same_v<T, S>) {
    // Every value is its own rounding; NaNs take softnum's one NaN encoding, as the definition
    // does.
    for (std::size_t i = 0; i < n; ++i) y[i] = x[i] == x[i] ? x[i] : round_one<T>(x[i], mode, 0u);
  } else if constexpr (std::is_same_v<T, float> && std::is_same_v<S, double>) {
    if (mode == Round::nearest_even) {
      for (std::size_t i = 0; i < n; ++i) {
        y[i] = x[i] == x[i] ? static_cast<double>(static_cast<float>(x[i]))
                            : round_one<T>(x[i], mode, 0u);
      }
      return;
    }
    quantize_reference<T>(x, y, n, mode, seed, offset);
  } else {
    if (mode == Round::stochastic) {
      quantize_reference<T>(x, y, n, mode, seed, offset);
      return;
    }
    for (std::size_t i = 0; i < n; ++i) y[i] = round_one<T>(x[i], mode, 0u);
  }
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
