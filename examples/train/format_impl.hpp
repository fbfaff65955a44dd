// softnum_train: the kernels of one format, instantiated once per softnum type by make_format<T>.
// Included only by the formats_*.cpp translation units.
#pragma once

#include "format.hpp"

#include <softnum/convert.hpp>
#include <softnum/fixed.hpp>
#include <softnum/float.hpp>
#include <softnum/gemm.hpp>
#include <softnum/posit.hpp>
#include <softnum/random.hpp>

#include <cmath>
#include <limits>
#include <type_traits>
#include <vector>

namespace train::impl {

namespace sd = softnum::detail;

template <class T>
inline constexpr bool is_native = std::is_same_v<T, float> || std::is_same_v<T, double>;

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

template <class T, class S>
void round_array(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed, std::uint64_t stream) {
  if (mode == Round::stochastic) {
    softnum::Philox gen(seed, stream);
    for (std::size_t i = 0; i < n; ++i) {
      y[i] = to_storage<S>(pack<T>(unpack_storage(x[i]), Round::stochastic, gen()));
    }
    return;
  }
  if constexpr (std::is_same_v<T, S>) {
    if (x != y) {
      for (std::size_t i = 0; i < n; ++i) y[i] = x[i];
    }
  } else if constexpr (is_native<T>) {
    for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<S>(static_cast<T>(x[i]));  // RNE
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      y[i] = to_storage<S>(softnum::convert<T, Round::nearest_even>(x[i]));
    }
  }
}

/// round(a * x + b * z) from the exact value: both products are exact (at most 53 x 53 bits) and
/// their sum is kept round-to-odd at >= 125 bits, so the final rounding is the only one.
template <class T, class S>
void axpby(double a, const S* x, double b, const S* z, S* y, std::size_t n, Round mode, std::uint64_t seed,
           std::uint64_t stream) {
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

template <class T, class S>
void gemm_acc(softnum::MatrixView<const S> A, softnum::MatrixView<const S> B, softnum::MatrixView<S> C,
              const softnum::GemmOptions& options) {
  softnum::gemm<softnum::Accumulation<softnum::exact_product, T>>(A, B, C, options);
}

/// Exact products summed in binary128 (exact for every realistic training dot product of formats
/// up to 16 bits; see docs/training.md), rounded once to T, then stored exactly in S.
template <class T, class S>
void gemm_quire(softnum::MatrixView<const S> A, softnum::MatrixView<const S> B, softnum::MatrixView<S> C,
                const softnum::GemmOptions& options) {
  std::vector<T> out(static_cast<std::size_t>(C.rows * C.cols));
  softnum::GemmOptions o = options;
  o.accumulate = false;
  softnum::gemm<softnum::Accumulation<softnum::exact_product, softnum::binary128>>(
      A, B, softnum::row_major(out.data(), C.rows, C.cols), o);
  for (std::ptrdiff_t i = 0; i < C.rows; ++i) {
    for (std::ptrdiff_t j = 0; j < C.cols; ++j) C(i, j) = to_storage<S>(out[static_cast<std::size_t>(i * C.cols + j)]);
  }
}

template <class T>
double round1(double x, Round mode, std::uint32_t random) {
  return static_cast<double>(pack<T>(sd::unpack_double(x), mode, random));
}

template <class T>
double add1(double a, double b, Round mode, std::uint32_t random) {
  if constexpr (std::is_same_v<T, float>) {
    if (mode != Round::stochastic) return static_cast<double>(static_cast<float>(a) + static_cast<float>(b));
  }
  return static_cast<double>(pack<T>(sd::exact_add(sd::unpack_double(a), sd::unpack_double(b), mode), mode, random));
}

/// a / b: the quotient correctly rounded to binary64, then rounded once to T. For T with at most
/// 25 significant bits this equals the correctly rounded quotient in the nearest modes (53 >= 2p+2,
/// Figueroa 1995); for wider formats it is within an ulp.
template <class T>
double div1(double a, double b, Round mode, std::uint32_t random) {
  if constexpr (std::is_same_v<T, float>) {
    if (mode != Round::stochastic) return static_cast<double>(static_cast<float>(a) / static_cast<float>(b));
  }
  return round1<T>(a / b, mode, random);
}

template <class T>
double as_double(T x) {
  return static_cast<double>(x);
}

/// Whether the values of T need a double container: more than 24 significant bits, or a range
/// beyond float's.
template <class T>
constexpr bool needs_double() {
  using L = std::numeric_limits<T>;
  using F = std::numeric_limits<float>;
  return L::digits > F::digits || static_cast<double>(L::max()) > static_cast<double>(F::max()) ||
         static_cast<double>(L::denorm_min()) < static_cast<double>(F::denorm_min());
}

/// with_quire = false leaves gemm_quire null (the e<E>m<M> family: halves its GEMM
/// instantiations, which dominate the build time).
template <class T, bool with_quire = true>
Format make_format(const std::string& name, const std::string& type, Family family, int bits) {
  using L = std::numeric_limits<T>;
  Format f;
  f.name = name;
  f.type = type;
  f.family = family;
  f.bits = bits;
  f.digits = L::digits;
  f.max = as_double(L::max());
  f.min_positive = as_double(L::denorm_min());
  f.min_normal = as_double(L::min());
  f.needs_double = needs_double<T>();
  f.saturates = family == Family::posit || family == Family::fixed;
  f.d = Kernels<double>{&round_array<T, double>, &axpby<T, double>, &gemm_acc<T, double>, nullptr};
  if constexpr (with_quire) f.d.gemm_quire = &gemm_quire<T, double>;
  if constexpr (!needs_double<T>()) {
    f.f = Kernels<float>{&round_array<T, float>, &axpby<T, float>, &gemm_acc<T, float>, nullptr};
    if constexpr (with_quire) f.f.gemm_quire = &gemm_quire<T, float>;
  }
  f.round1 = &round1<T>;
  f.add1 = &add1<T>;
  f.div1 = &div1<T>;
  return f;
}

}  // namespace train::impl
