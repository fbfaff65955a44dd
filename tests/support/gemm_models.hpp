// tests/support/gemm_models.hpp - the GEMM models of issues 6 and 8 and random test matrices with
// edge entries (NaN, inf, subnormals, zeros of both signs, extremes). Shared by the host test of
// the GPU step sequences (tests/gemm_paths_test.cpp) and the device tests (tests/cuda/*.cu).
#pragma once

#include <softnum/fixed.hpp>
#include <softnum/float.hpp>
#include <softnum/gemm.hpp>
#include <softnum/posit.hpp>

#include <cstddef>  // std::ptrdiff_t
#include <cstdint>  // std::uint64_t
#include <random>   // std::mt19937_64
#include <vector>   // std::vector

namespace softnum_test {

using namespace softnum;

/// A random value of T: mostly normal(0, scale) values, and with probability edge_pct/100 an
/// arbitrary bit pattern (specials, subnormals, extremes).
template <class T>
T random_value(std::mt19937_64& g, int edge_pct, double scale = 1.0) {
  std::uniform_int_distribution<int> pct(0, 99);
  std::normal_distribution<double> normal(0.0, scale);
  if constexpr (std::is_same_v<T, float>) {
    if (pct(g) < edge_pct) {
      static const float edges[] = {0.0f,
                                    -0.0f,
                                    1e-40f,
                                    -1e-45f,
                                    3.4e38f,
                                    -3.4e38f,
                                    __builtin_inff(),
                                    -__builtin_inff(),
                                    __builtin_nanf("")};
      return edges[std::uniform_int_distribution<int>(0, 8)(g)];
    }
    return static_cast<float>(normal(g));
  } else {
    if (pct(g) < edge_pct) {
      using st = typename T::storage_type;
      return T::from_bits(static_cast<st>(g()));
    }
    return T(normal(g));
  }
}

template <class T>
std::vector<T> random_matrix(std::mt19937_64& g, std::ptrdiff_t n, int edge_pct,
                             double scale = 1.0) {
  std::vector<T> v;
  v.reserve(static_cast<std::size_t>(n) +
            1);  // never a null data(): gemm.hpp forms &A(i, 0) even for K = 0
  v.resize(static_cast<std::size_t>(n));
  for (auto& x : v) x = random_value<T>(g, edge_pct, scale);
  return v;
}

/// Bitwise equality (NaN payloads and signed zeros included).
template <class T>
bool same_bits(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, float>) {
    return softnum::detail::bit_cast<std::uint32_t>(a) ==
           softnum::detail::bit_cast<std::uint32_t>(b);
  } else {
    return a.bits() == b.bits();
  }
}

template <class T>
unsigned long long bits_of(const T& a) {
  if constexpr (std::is_same_v<T, float>) {
    return softnum::detail::bit_cast<std::uint32_t>(a);
  } else {
    return static_cast<unsigned long long>(a.bits());
  }
}

/// A model of the GEMM issues: types, formats, options and the GPU path expected to apply.
template <class TA_, class TB_, class TC_, class Model_>
struct Case {
  using TA = TA_;
  using TB = TB_;
  using TC = TC_;
  using Model = Model_;
};

using fixed8_8 = Fixed<8, 8>;
using fixed40_16 = Fixed<40, 16>;
using fixed16_16 = Fixed<16, 16>;

// The models of issue 6 (bench/gemm) and issue 8.
using case_binary16 = Case<binary16, binary16, binary16, Accumulation<>>;
using case_bf16_f32 = Case<bfloat16, bfloat16, float, Accumulation<exact_product, float>>;
using case_bf16_f32_out_bf16 =
    Case<bfloat16, bfloat16, bfloat16, Accumulation<exact_product, float>>;
using case_e4m3_f32 = Case<float8_e4m3fn, float8_e4m3fn, float, Accumulation<float, float>>;
using case_e4m3_f32_fused =
    Case<float8_e4m3fn, float8_e4m3fn, float, Accumulation<exact_product, float>>;
using case_e4m3_h16 =
    Case<float8_e4m3fn, float8_e4m3fn, binary16, Accumulation<binary16, binary16>>;
using case_e5m2_h16 = Case<float8_e5m2, float8_e5m2, binary16, Accumulation<binary16, binary16>>;
using case_e4m3_p_e5m2_h16 =
    Case<float8_e4m3fn, float8_e4m3fn, binary16, Accumulation<float8_e5m2, binary16>>;
using case_bf16 = Case<bfloat16, bfloat16, bfloat16, Accumulation<>>;
// softnum_train's model: float storage, exact products, every addition rounded to the format.
using case_train_binary16 = Case<float, float, float, Accumulation<exact_product, binary16>>;
using case_train_e4m3 = Case<float, float, float, Accumulation<exact_product, float8_e4m3fn>>;
using case_train_bf16 = Case<float, float, float, Accumulation<exact_product, bfloat16>>;
using case_posit16 = Case<posit16, posit16, posit16, Accumulation<>>;
using case_fixed8_8 = Case<fixed8_8, fixed8_8, fixed8_8, Accumulation<exact_product, fixed40_16>>;
using case_fixed8_8_sat =
    Case<fixed8_8, fixed8_8, fixed16_16, Accumulation<exact_product, fixed16_16>>;
using case_fixed4_4_sat =
    Case<Fixed<4, 4>, Fixed<4, 4>, Fixed<8, 8>, Accumulation<exact_product, Fixed<8, 8>>>;
using case_q7 =
    Case<Fixed<1, 7>, Fixed<1, 7>, Fixed<16, 16>, Accumulation<exact_product, Fixed<32, 14>>>;

}  // namespace softnum_test
