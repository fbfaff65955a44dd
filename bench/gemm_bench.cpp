// GEMM speed: GFLOP/s (counter "GFLOPS", 2 n^3 per product) of softnum::gemm on square n x n
// matrices, n = 128, 256, 512, 1024, on 1 and 2 threads, for the models of issue 6, beside
// Eigen's float GEMM and the naive model loop (gemm_reference) in the same binary.
//   ./gemm_bench --benchmark_min_time=0.5
//   ./gemm_bench --benchmark_filter='/512/' --benchmark_min_time=0.5
// SOFTNUM_GEMM_ISA=0|1|2 in the environment limits the instruction set (generic, AVX2, AVX-512).
#include <softnum/gemm.hpp>
#include <softnum/softnum.hpp>

#include <Eigen/Core>
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <vector>

namespace {

using namespace softnum;

template <class T>
std::vector<T> random_matrix(std::size_t count, unsigned seed) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<double> d(-1.0, 1.0);
  std::vector<T> v(count);
  for (T& x : v) x = static_cast<T>(d(g));
  return v;
}

void set_counters(benchmark::State& state, std::ptrdiff_t n) {
  const double flops = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
  state.counters["GFLOPS"] =
      benchmark::Counter(flops * 1e-9 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void limit_isa() {
  static const bool once = [] {
    if (const char* e = std::getenv("SOFTNUM_GEMM_ISA")) detail::gemm_fast::isa_limit() = std::atoi(e);
    return true;
  }();
  (void)once;
}

/// gemm<Model> with A, B of type TI and C of type TC; range(0) = n, range(1) = threads, range(2):
/// chunk size.
template <class Model, class TI, class TC>
void bm_gemm(benchmark::State& state) {
  limit_isa();
  const std::ptrdiff_t n = state.range(0);
  const auto sz = static_cast<std::size_t>(n * n);
  const auto a = random_matrix<TI>(sz, 1), b = random_matrix<TI>(sz, 2);
  std::vector<TC> c(sz);
  GemmOptions o;
  o.threads = static_cast<unsigned>(state.range(1));
  o.chunk = state.range(2);
  for (auto _ : state) {
    gemm<Model>(row_major(a.data(), n, n), row_major(b.data(), n, n), row_major(c.data(), n, n), o);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n);
}

template <class Model, class TI, class TC>
void bm_reference(benchmark::State& state) {
  const std::ptrdiff_t n = state.range(0);
  const auto sz = static_cast<std::size_t>(n * n);
  const auto a = random_matrix<TI>(sz, 1), b = random_matrix<TI>(sz, 2);
  std::vector<TC> c(sz);
  for (auto _ : state) {
    gemm_reference<Model>(row_major(a.data(), n, n), row_major(b.data(), n, n), row_major(c.data(), n, n));
    benchmark::DoNotOptimize(c.data());
  }
  set_counters(state, n);
}

void bm_eigen_float(benchmark::State& state) {
  const Eigen::Index n = state.range(0);
  Eigen::setNbThreads(static_cast<int>(state.range(1)));
  const Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n), b = Eigen::MatrixXf::Random(n, n);
  Eigen::MatrixXf c(n, n);
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, n);
}

void sizes(benchmark::internal::Benchmark* b, std::int64_t chunk) {
  for (std::int64_t threads : {1, 2})
    for (std::int64_t n : {128, 256, 512, 1024}) b->Args({n, threads, chunk});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}
void plain(benchmark::internal::Benchmark* b) { sizes(b, 0); }
void chunk64(benchmark::internal::Benchmark* b) { sizes(b, 64); }

using Q8 = Fixed<8, 8>;
using Q16 = Fixed<16, 16>;

// binary16 products and sums, each rounded (the default model).
BENCHMARK_TEMPLATE(bm_gemm, Accumulation<>, binary16, binary16)->Name("binary16_per_op")->Apply(plain);
// bfloat16 inputs, exact products, float accumulation (one rounding per multiply-add).
BENCHMARK_TEMPLATE(bm_gemm, Accumulation<exact_product, float>, bfloat16, float)->Name("bfloat16_fp32acc")->Apply(plain);
// float8_e4m3fn inputs, exact products, float accumulation.
BENCHMARK_TEMPLATE(bm_gemm, Accumulation<exact_product, float>, float8_e4m3fn, float)
    ->Name("e4m3fn_fp32acc")
    ->Apply(plain);
// float8_e4m3fn inputs, exact products, binary16 accumulation in chunks of 64 (Wang et al. 2018).
BENCHMARK_TEMPLATE(bm_gemm, Accumulation<exact_product, binary16>, float8_e4m3fn, float)
    ->Name("e4m3fn_b16acc_chunk64")
    ->Apply(chunk64);
// posit16 products and sums, each rounded.
BENCHMARK_TEMPLATE(bm_gemm, Accumulation<>, posit16, posit16)->Name("posit16_per_op")->Apply(plain);
// Fixed<8,8> inputs, exact products in Q16.16, saturating int32 accumulation (exact unless it saturates).
BENCHMARK_TEMPLATE(bm_gemm, Accumulation<exact_product, Q16>, Q8, Q8)->Name("fixed8_8_int32acc")->Apply(plain);
// Baselines.
BENCHMARK(bm_eigen_float)->Name("eigen_float")->Apply(plain);
BENCHMARK_TEMPLATE(bm_reference, Accumulation<>, binary16, binary16)
    ->Name("naive_binary16_per_op")
    ->Args({128, 1, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(bm_reference, Accumulation<exact_product, float>, float8_e4m3fn, float)
    ->Name("naive_e4m3fn_fp32acc")
    ->Args({128, 1, 0})
    ->Unit(benchmark::kMillisecond);

}  // namespace
