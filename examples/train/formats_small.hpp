// softnum_train: the e<E>m<M> family, Float<E, M> with IEEE semantics (subnormals, inf, NaN),
// for kMinE <= E <= kMaxE, 1 <= M <= kMaxM and E + M <= kMaxEM (at most 16 bits). They cannot be
// the destination of a quire accumulation (no instantiation of that GEMM; the named formats can).
// Five are a standard format's type (e5m10 binary16, e8m7 bfloat16, e5m2 float8_e5m2, e4m3
// float8_e4m3, e3m4 float8_e3m4): those are that format under a second name (register_e).
//
// Their registry entries carry the card and the scalar hooks only (make_format_entry<T, false>):
// the array hooks are filled here with element-wise rounding (the same bits as the registry's
// softnum::quantize) and the same GEMM, because compiling quantize's vector kernels for each of
// the 63 formats of this family more than doubled its build time.
#pragma once

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "format_impl.hpp"

namespace train {

inline constexpr int kMinE = 2, kMaxE = 8, kMaxM = 10, kMaxEM = 15;

namespace impl {

/// y[i] = round(x[i]) element by element (deterministic modes; stochastic rounding is
/// round_stochastic's).
template <class T, class S>
void round_each(const S* x, S* y, std::size_t n, Round mode, std::uint64_t, std::uint64_t) {
  for (std::size_t i = 0; i < n; ++i) {
    y[i] =
        to_storage<S>(mode == Round::nearest_even ? softnum::convert<T, Round::nearest_even>(x[i])
                                                  : pack<T>(unpack_storage(x[i]), mode, 0));
  }
}

/// The registry's GEMM hook: T as the accumulator, exact products.
template <class T, class S>
void gemm_accumulate(softnum::MatrixView<const S> A, softnum::MatrixView<const S> B,
                     softnum::MatrixView<S> C, const softnum::GemmOptions& options) {
  softnum::gemm<softnum::Accumulation<softnum::exact_product, T>>(A, B, C, options);
}

/// make_format<T> without the registry's array hooks and without the quire GEMM.
template <class T>
Format make_small_format(const char* name, const char* type) {
  static_assert(softnum::all_values_exact_in<T, float>, "every e<E>m<M> value is a float");
  Format f;
  static_cast<softnum::FormatEntry&>(f) = softnum::make_format_entry<T, false>(name, type, "");
  f.d = softnum::StorageHooks<double>{&round_each<T, double>, &gemm_accumulate<T, double>};
  f.f = softnum::StorageHooks<float>{&round_each<T, float>, &gemm_accumulate<T, float>};
  f.kd = Kernels<double>{&round_stochastic<T, double>, &axpby<T, double>, nullptr};
  f.kf = Kernels<float>{&round_stochastic<T, float>, &axpby<T, float>, nullptr};
  return f;
}

/// The standard format whose type Float<E, M> is (binary16 is Float<5, 10>, ...), or nullptr.
template <class T>
constexpr const char* standard_name() {
  if constexpr (std::is_same_v<T, softnum::binary16>) return "binary16";
  else if constexpr (std::is_same_v<T, softnum::bfloat16>) return "bfloat16";
  else if constexpr (std::is_same_v<T, softnum::float8_e5m2>) return "float8_e5m2";
  else if constexpr (std::is_same_v<T, softnum::float8_e4m3>) return "float8_e4m3";
  else if constexpr (std::is_same_v<T, softnum::float8_e3m4>) return "float8_e3m4";
  else return nullptr;
}

/// Registers e<E>m<M> for each M. A member of the family that is a standard format's very type is
/// registered as another name of that format (already in `out`: registry.cpp registers the named
/// formats first), with its kernels, instead of compiling them again.
template <int E, int... Ms>
void register_e(std::vector<Format>& out, std::integer_sequence<int, Ms...>) {
  auto one = [&out]<int M>() {
    if constexpr (M >= 1 && E + M <= kMaxEM) {
      using T = softnum::Float<E, M>;
      const std::string name = "e" + std::to_string(E) + "m" + std::to_string(M);
      const std::string type = "Float<" + std::to_string(E) + ", " + std::to_string(M) + ">";
      if constexpr (standard_name<T>() != nullptr) {
        const Format* standard = softnum::find_format(out, standard_name<T>());
        if (standard == nullptr || standard->type != type)
          throw std::logic_error("softnum_train: " + name + " should be the registered " + standard_name<T>());
        Format alias = *standard;
        alias.name = name;
        alias.note = std::string("the format ") + standard_name<T>();
        out.push_back(alias);
      } else {
        out.push_back(make_small_format<T>(name.c_str(), type.c_str()));
      }
    }
  };
  (one.template operator()<Ms>(), ...);
}

}  // namespace impl
}  // namespace train
