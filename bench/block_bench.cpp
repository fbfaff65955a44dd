// Block-scaled fake quantization speed: quantize<mxfp8_e4m3>, quantize<mxfp4>, quantize<mxint8>
// and quantize_nvfp4 on 65,536 floats, and the ratio to a plain float copy loop measured in the
// same run (the table printed at the end).
//   ./block_bench --benchmark_min_time=0.2 --benchmark_repetitions=5
// Rows: nearest-even and stochastic rounding of the elements, the OCP floor scale rule and the
// ceil rule, the scalar Block::encode/decode loop the vectorised path is tested against, and the
// scalar quantize<float8_e4m3fn> (no scales) for comparison.
// GEMM rows (not in the copy table; their own table follows it): gemm_block_parallel against
// gemm_block (the scalar definition, same bits) on M = N = 256, K = 1024 (kb = 32 blocks of 32),
// wall time, with GFLOP-equivalent/s = 2 M N K / time and the ratio to the reference:
//   ./block_bench --benchmark_filter=gemm --benchmark_min_time=0.5
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

// ----- GEMM with block-scaled operands --------------------------------------------------------

constexpr std::size_t kGemmM = 256, kGemmN = 256, kGemmKb = 32;  // K = 32 * 32 = 1024

template <class B>
std::vector<B> gemm_operand(std::size_t rows, std::uint32_t seed) {
  std::mt19937 g(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> x(static_cast<std::size_t>(B::block_size));
  std::vector<B> out;
  for (std::size_t b = 0; b < rows * kGemmKb; ++b) {
    for (auto& v : x) v = d(g);
    out.push_back(B::encode(x.data()));
  }
  return out;
}

/// threads = 0: gemm_block (the reference); otherwise gemm_block_parallel on that many threads.
template <class B>
void bm_gemm(benchmark::State& state) {
  const auto threads = static_cast<unsigned>(state.range(0));
  const std::vector<B> a = gemm_operand<B>(kGemmM, 1), b = gemm_operand<B>(kGemmN, 2);
  std::vector<float> c(kGemmM * kGemmN);
  softnum::GemmOptions o;
  o.threads = threads;
  for (auto _ : state) {
    if (threads == 0) {
      softnum::gemm_block(kGemmM, kGemmN, kGemmKb, a.data(), b.data(), c.data());
    } else {
      softnum::gemm_block_parallel(kGemmM, kGemmN, kGemmKb, a.data(), b.data(), c.data(), o);
    }
    benchmark::ClobberMemory();
  }
  const double flop = 2.0 * kGemmM * kGemmN * kGemmKb * B::block_size;
  state.counters["GFLOP/s"] =
      benchmark::Counter(flop * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

/// The copy table, then the GEMM rows: wall ms per call, GFLOP-equivalent/s and the speed-up
/// over the reference row of the same format, all from this run.
class Reporter : public softnum_bench::CopyRatioTable {
 public:
  using CopyRatioTable::CopyRatioTable;
  void ReportRuns(const std::vector<Run>& runs) override {
    std::vector<Run> rest;
    for (const Run& r : runs) {
      if (r.run_name.function_name.rfind("gemm", 0) != 0) {
        rest.push_back(r);
        continue;
      }
      ConsoleReporter::ReportRuns({r});
      if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
      const double ms = r.GetAdjustedRealTime();  // the rows' unit: ms
      const double cpu = r.GetAdjustedCPUTime();
      const std::string name = r.run_name.function_name + "/" + r.run_name.args;
      auto& best = gemm_[name];
      if (best == 0 || ms < best) best = ms;
      auto& best_cpu = gemm_cpu_[name];
      if (best_cpu == 0 || cpu < best_cpu) best_cpu = cpu;
      if (std::find(order_.begin(), order_.end(), name) == order_.end()) order_.push_back(name);
    }
    if (!rest.empty()) CopyRatioTable::ReportRuns(rest);
  }
  void Finalize() override {
    CopyRatioTable::Finalize();
    if (order_.empty()) return;
    // Wall time (every thread's work), and the calling thread's CPU time, which on a shared
    // machine is the steadier figure for the one-thread rows.
    std::printf("\n%-46s %9s %9s %9s %9s %9s\n", "block GEMM 256x256, K = 1024 (best run)",
                "wall ms", "cpu ms", "GFLOP/s", "x ref", "x ref cpu");
    const double flop = 2.0 * kGemmM * kGemmN * kGemmKb * 32;
    for (const auto& name : order_) {
      const double ms = gemm_[name], cpu = gemm_cpu_[name];
      const std::string fn = name.substr(0, name.find('/'));
      const double ref = gemm_[fn + "/0"], ref_cpu = gemm_cpu_[fn + "/0"];
      std::printf("%-46s %9.2f %9.2f %9.2f %9.1f %9.1f\n", name.c_str(), ms, cpu, flop / (ms * 1e6),
                  ms > 0 ? ref / ms : 0.0, cpu > 0 ? ref_cpu / cpu : 0.0);
    }
  }

 private:
  std::map<std::string, double> gemm_, gemm_cpu_;
  std::vector<std::string> order_;
};

}  // namespace

BENCHMARK(bm_gemm<softnum::mxfp8_e4m3>)
    ->Name("gemm mxfp8_e4m3 (threads; 0 = gemm_block)")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(bm_gemm<softnum::mxfp4>)
    ->Name("gemm mxfp4 (threads; 0 = gemm_block)")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(bm_gemm<softnum::mxfp8_e5m2>)
    ->Name("gemm mxfp8_e5m2 (threads; 0 = gemm_block)")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
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

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  Reporter reporter(kN);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
