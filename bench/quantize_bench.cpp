// quantize() and array convert() speed: ns per element over 65,536-element arrays, and the ratio
// to a plain float copy loop measured in the same run (the table printed at the end).
//   ./quantize_bench --benchmark_min_time=0.2 --benchmark_repetitions=5
// Rows: quantize float -> format -> float (nearest-even and stochastic), decode format -> float
// (array convert), the plain scalar loops of the same (y[i] = float(binary16(x[i])) etc.), and
// _Float16 / Eigen::half / Eigen::bfloat16 conversions where they apply. Issue 14's goals:
// quantize nearest-even <= 3x the copy loop, stochastic <= 6x, decode <= 2x.
#include <softnum/quantize.hpp>
#include <softnum/softnum.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <map>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <benchmark/benchmark.h>

#include "copy_ratio_table.hpp"

namespace {

constexpr std::size_t kN = 65536;
using softnum::Round;

const std::vector<float>& inputs() {
  static const std::vector<float> v = [] {
    std::mt19937 g(1);
    std::normal_distribution<float> d(0.0f, 8.0f);
    std::vector<float> r(kN);
    for (auto& x : r) x = d(g);
    return r;
  }();
  return v;
}

void finish(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kN));
}

void bm_copy(benchmark::State& state) {
  const auto& x = inputs();
  std::vector<float> y(kN);
  for (auto _ : state) {
    const float* xp = x.data();
    float* yp = y.data();
    benchmark::DoNotOptimize(xp);
    for (std::size_t i = 0; i < kN; ++i) yp[i] = xp[i];
    benchmark::ClobberMemory();
  }
  finish(state);
}

template <class T, Round R>
void bm_quantize(benchmark::State& state) {
  const auto& x = inputs();
  std::vector<float> y(kN);
  std::uint64_t seed = 0;
  for (auto _ : state) {
    softnum::quantize<T>(std::span<const float>(x), std::span<float>(y), R, ++seed);
    benchmark::ClobberMemory();
  }
  finish(state);
}

template <class T>
void bm_decode(benchmark::State& state) {
  const auto& x = inputs();
  std::vector<T> h(kN);
  for (std::size_t i = 0; i < kN; ++i) h[i] = softnum::convert<T>(x[i]);
  std::vector<float> y(kN);
  for (auto _ : state) {
    softnum::convert<float, T>(std::span<const T>(h), std::span<float>(y));
    benchmark::ClobberMemory();
  }
  finish(state);
}

/// The plain scalar loop y[i] = float(T(x[i])) (issue 14's "measured" rows).
template <class T>
void bm_scalar_roundtrip(benchmark::State& state) {
  const auto& x = inputs();
  std::vector<float> y(kN);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kN; ++i) y[i] = static_cast<float>(T(x[i]));
    benchmark::ClobberMemory();
  }
  finish(state);
}

template <class T>
void bm_scalar_decode(benchmark::State& state) {
  const auto& x = inputs();
  std::vector<T> h(kN);
  for (std::size_t i = 0; i < kN; ++i) h[i] = T(x[i]);
  std::vector<float> y(kN);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kN; ++i) y[i] = static_cast<float>(h[i]);
    benchmark::ClobberMemory();
  }
  finish(state);
}

void bm_scalar_stochastic_binary16(benchmark::State& state) {
  const auto& x = inputs();
  std::vector<float> y(kN);
  std::uint64_t seed = 0;
  for (auto _ : state) {
    ++seed;
    for (std::size_t i = 0; i < kN; ++i) {
      y[i] = softnum::convert<float>(softnum::convert<softnum::binary16, Round::stochastic>(
          x[i], softnum::random_word(seed, i, 0)));
    }
    benchmark::ClobberMemory();
  }
  finish(state);
}

}  // namespace

using fixed8_8 = softnum::Fixed<8, 8>;
BENCHMARK(bm_copy)->Name("copy float loop");

#define SOFTNUM_Q(T, name)                                                             \
  BENCHMARK(bm_quantize<T, Round::nearest_even>)->Name("quantize nearest_even " name); \
  BENCHMARK(bm_quantize<T, Round::stochastic>)->Name("quantize stochastic " name);
SOFTNUM_Q(softnum::binary16, "binary16")
SOFTNUM_Q(softnum::bfloat16, "bfloat16")
SOFTNUM_Q(softnum::float8_e4m3fn, "float8_e4m3fn")
SOFTNUM_Q(softnum::float8_e5m2, "float8_e5m2")
SOFTNUM_Q(softnum::float4_e2m1fn, "float4_e2m1fn")
SOFTNUM_Q(softnum::posit8, "posit8")
SOFTNUM_Q(softnum::posit16, "posit16")
SOFTNUM_Q(softnum::posit32, "posit32")
SOFTNUM_Q(fixed8_8, "Fixed<8,8>")
#undef SOFTNUM_Q

BENCHMARK(bm_decode<softnum::binary16>)->Name("decode binary16");
BENCHMARK(bm_decode<softnum::bfloat16>)->Name("decode bfloat16");
BENCHMARK(bm_decode<softnum::float8_e4m3fn>)->Name("decode float8_e4m3fn");
BENCHMARK(bm_decode<softnum::float8_e5m2>)->Name("decode float8_e5m2");

BENCHMARK(bm_scalar_roundtrip<softnum::binary16>)->Name("scalar loop float(binary16(x))");
BENCHMARK(bm_scalar_roundtrip<softnum::bfloat16>)->Name("scalar loop float(bfloat16(x))");
BENCHMARK(bm_scalar_roundtrip<softnum::float8_e4m3fn>)->Name("scalar loop float(float8_e4m3fn(x))");
BENCHMARK(bm_scalar_roundtrip<softnum::posit16>)->Name("scalar loop float(posit16(x))");
BENCHMARK(bm_scalar_decode<softnum::binary16>)->Name("scalar loop float(binary16 array)");
BENCHMARK(bm_scalar_stochastic_binary16)->Name("scalar loop convert<binary16, stochastic>");
BENCHMARK(bm_scalar_roundtrip<Eigen::half>)->Name("Eigen::half float(half(x))");
BENCHMARK(bm_scalar_roundtrip<Eigen::bfloat16>)->Name("Eigen::bfloat16 float(bfloat16(x))");
BENCHMARK(bm_scalar_decode<Eigen::half>)->Name("Eigen::half decode");
#if defined(__FLT16_MANT_DIG__)
BENCHMARK(bm_scalar_roundtrip<_Float16>)->Name("_Float16 float(_Float16(x))");
BENCHMARK(bm_scalar_decode<_Float16>)->Name("_Float16 decode");
#endif

int main(int argc, char** argv) { return softnum_bench::run_with_copy_ratio_table(argc, argv, kN); }
