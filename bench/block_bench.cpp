// Block-scaled fake quantization speed: quantize<mxfp8_e4m3>, quantize<mxfp4>, quantize<mxint8>
// and quantize_nvfp4 on 65,536 floats, and the ratio to a plain float copy loop measured in the
// same run (the table printed at the end).
//   ./block_bench --benchmark_min_time=0.2 --benchmark_repetitions=5
// Rows: nearest-even and stochastic rounding of the elements, the OCP floor scale rule and the
// ceil rule, the scalar Block::encode/decode loop the vectorised path is tested against, and the
// scalar quantize<float8_e4m3fn> (no scales) for comparison.
#include <softnum/block.hpp>
#include <softnum/quantize.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "copy_ratio_table.hpp"

namespace {

constexpr std::size_t kN = 65536;
using softnum::Round;
using softnum::ScaleRule;

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

template <class B, Round R, ScaleRule S>
void bm_block(benchmark::State& state) {
  const auto& x = inputs();
  std::vector<float> y(kN);
  std::uint64_t seed = 0;
  for (auto _ : state) {
    softnum::quantize<B>(std::span<const float>(x), std::span<float>(y), S, R, ++seed);
    benchmark::ClobberMemory();
  }
  finish(state);
}

template <class B, Round R>
void bm_block_scalar(benchmark::State& state) {
  const auto& x = inputs();
  std::vector<float> y(kN);
  std::uint64_t seed = 0;
  constexpr std::size_t bs = B::block_size;
  for (auto _ : state) {
    ++seed;
    for (std::size_t j = 0; j < kN / bs; ++j) {
      B::encode(x.data() + j * bs, ScaleRule::floor, R, seed, j * bs).decode(y.data() + j * bs);
    }
    benchmark::ClobberMemory();
  }
  finish(state);
}

template <Round R>
void bm_nvfp4(benchmark::State& state) {
  const auto& x = inputs();
  std::vector<float> y(kN);
  std::uint64_t seed = 0;
  for (auto _ : state) {
    softnum::quantize_nvfp4(std::span<const float>(x), std::span<float>(y), R, ++seed);
    benchmark::ClobberMemory();
  }
  finish(state);
}

template <class T, Round R>
void bm_scalar_format(benchmark::State& state) {
  const auto& x = inputs();
  std::vector<float> y(kN);
  std::uint64_t seed = 0;
  for (auto _ : state) {
    softnum::quantize<T>(std::span<const float>(x), std::span<float>(y), R, ++seed);
    benchmark::ClobberMemory();
  }
  finish(state);
}

}  // namespace

BENCHMARK(bm_copy)->Name("copy float loop");
BENCHMARK(bm_block<softnum::mxfp8_e4m3, Round::nearest_even, ScaleRule::floor>)
    ->Name("quantize<mxfp8_e4m3> nearest_even floor");
BENCHMARK(bm_block<softnum::mxfp8_e4m3, Round::nearest_even, ScaleRule::ceil>)
    ->Name("quantize<mxfp8_e4m3> nearest_even ceil");
BENCHMARK(bm_block<softnum::mxfp8_e4m3, Round::stochastic, ScaleRule::floor>)
    ->Name("quantize<mxfp8_e4m3> stochastic floor");
BENCHMARK(bm_block<softnum::mxfp4, Round::nearest_even, ScaleRule::floor>)
    ->Name("quantize<mxfp4> nearest_even floor");
BENCHMARK(bm_block<softnum::mxfp4, Round::nearest_even, ScaleRule::ceil>)
    ->Name("quantize<mxfp4> nearest_even ceil");
BENCHMARK(bm_block<softnum::mxfp4, Round::stochastic, ScaleRule::floor>)
    ->Name("quantize<mxfp4> stochastic floor");
BENCHMARK(bm_block<softnum::mxint8, Round::nearest_even, ScaleRule::floor>)
    ->Name("quantize<mxint8> nearest_even floor");
BENCHMARK(bm_nvfp4<Round::nearest_even>)->Name("quantize_nvfp4 nearest_even");
BENCHMARK(bm_nvfp4<Round::stochastic>)->Name("quantize_nvfp4 stochastic");
BENCHMARK(bm_block_scalar<softnum::mxfp8_e4m3, Round::nearest_even>)
    ->Name("scalar loop mxfp8_e4m3 encode/decode");
BENCHMARK(bm_block_scalar<softnum::mxfp4, Round::nearest_even>)
    ->Name("scalar loop mxfp4 encode/decode");
BENCHMARK(bm_scalar_format<softnum::float8_e4m3fn, Round::nearest_even>)
    ->Name("quantize<float8_e4m3fn> (no scale)");
BENCHMARK(bm_scalar_format<softnum::float8_e4m3fn, Round::stochastic>)
    ->Name("quantize<float8_e4m3fn> stochastic (no scale)");

int main(int argc, char** argv) { return softnum_bench::run_with_copy_ratio_table(argc, argv, kN); }
