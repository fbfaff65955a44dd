// bench/posit_bench.cpp - time per operation of Posit<N,ES> (+ * / sqrt, fma, conversions, fdp)
// next to native float and double in the same binary.
//
// Each benchmark applies the operation to 1024 pairs of random operands (magnitudes spread over
// 2^-8 .. 2^8, both signs) and passes every result through benchmark::DoNotOptimize, so neither
// the native nor the posit loop is vectorised or folded: the figures are scalar throughput.
// The "time_per_op" counter is the time per operation (SI prefixes: 9.4ns). Run, e.g.:
//   build/bench/posit_bench --benchmark_min_time=0.2
//   build/bench/posit_bench --benchmark_filter='add|mul' --benchmark_min_time=0.2
// (Google Benchmark 1.7.1 takes a plain number of seconds.)
#include <softnum/posit.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include <benchmark/benchmark.h>

namespace {

constexpr std::size_t kCount = 1024;

template <class T>
std::vector<T> inputs(std::uint64_t seed, bool positive = false) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> mant(1.0, 2.0);
  std::vector<T> v;
  v.reserve(kCount);
  for (std::size_t i = 0; i < kCount; ++i) {
    double x = std::ldexp(mant(rng), static_cast<int>(rng() % 17) - 8);
    if (!positive && (rng() & 1) != 0) x = -x;
    v.push_back(static_cast<T>(x));
  }
  return v;
}

void finish(benchmark::State& state) {
  const auto items =
      static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(kCount);
  state.SetItemsProcessed(items);
  state.counters["time_per_op"] = benchmark::Counter(
      static_cast<double>(items), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

template <class T>
T sqrt_of(T x) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::sqrt(x);
  } else {
    return softnum::sqrt(x);
  }
}

template <class T>
void bm_add(benchmark::State& state) {
  const auto a = inputs<T>(1), b = inputs<T>(2);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kCount; ++i) benchmark::DoNotOptimize(a[i] + b[i]);
  }
  finish(state);
}

template <class T>
void bm_mul(benchmark::State& state) {
  const auto a = inputs<T>(3), b = inputs<T>(4);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kCount; ++i) benchmark::DoNotOptimize(a[i] * b[i]);
  }
  finish(state);
}

template <class T>
void bm_div(benchmark::State& state) {
  const auto a = inputs<T>(5), b = inputs<T>(6);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kCount; ++i) benchmark::DoNotOptimize(a[i] / b[i]);
  }
  finish(state);
}

template <class T>
void bm_sqrt(benchmark::State& state) {
  const auto a = inputs<T>(7, true);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kCount; ++i) benchmark::DoNotOptimize(sqrt_of(a[i]));
  }
  finish(state);
}

template <class T>
void bm_fma(benchmark::State& state) {
  const auto a = inputs<T>(8), b = inputs<T>(9), c = inputs<T>(10);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kCount; ++i) {
      if constexpr (std::is_floating_point_v<T>) {
        benchmark::DoNotOptimize(std::fma(a[i], b[i], c[i]));
      } else {
        benchmark::DoNotOptimize(softnum::fma(a[i], b[i], c[i]));
      }
    }
  }
  finish(state);
}

/// double -> T -> double round trip (one encode and one decode).
template <class T>
void bm_convert(benchmark::State& state) {
  const auto a = inputs<double>(11);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kCount; ++i)
      benchmark::DoNotOptimize(static_cast<double>(static_cast<T>(a[i])));
  }
  finish(state);
}

/// Fused dot product of 1024 terms (exact quire accumulation, one rounding); per term.
template <class T>
void bm_fdp(benchmark::State& state) {
  const auto a = inputs<T>(12), b = inputs<T>(13);
  for (auto _ : state) {
    if constexpr (std::is_floating_point_v<T>) {
      T s = 0;
      for (std::size_t i = 0; i < kCount; ++i) {
        s += a[i] * b[i];
        benchmark::DoNotOptimize(s);
      }
    } else {
      benchmark::DoNotOptimize(softnum::fdp(std::span(a), std::span(b)));
    }
  }
  finish(state);
}

using softnum::Posit;

#define SOFTNUM_POSIT_BENCH(fn)               \
  BENCHMARK_TEMPLATE(fn, float);              \
  BENCHMARK_TEMPLATE(fn, double);             \
  BENCHMARK_TEMPLATE(fn, softnum::posit8);    \
  BENCHMARK_TEMPLATE(fn, softnum::posit16);   \
  BENCHMARK_TEMPLATE(fn, softnum::posit16_1); \
  BENCHMARK_TEMPLATE(fn, softnum::posit32);   \
  BENCHMARK_TEMPLATE(fn, softnum::posit64)

SOFTNUM_POSIT_BENCH(bm_add);
SOFTNUM_POSIT_BENCH(bm_mul);
SOFTNUM_POSIT_BENCH(bm_div);
SOFTNUM_POSIT_BENCH(bm_sqrt);
SOFTNUM_POSIT_BENCH(bm_fma);
SOFTNUM_POSIT_BENCH(bm_fdp);
BENCHMARK_TEMPLATE(bm_convert, softnum::posit16);
BENCHMARK_TEMPLATE(bm_convert, softnum::posit32);
BENCHMARK_TEMPLATE(bm_convert, softnum::posit64);

#undef SOFTNUM_POSIT_BENCH

}  // namespace
