// Float<E,M> speed: ns per element of elementwise + * / sqrt fma over 1024-element arrays, and of
// conversions, for every alias, beside native float/double, _Float16, Eigen::half,
// Eigen::bfloat16 and Boost cpp_bin_float in the same binary. Items/s is elements per second.
//   ./float_bench --benchmark_min_time=0.2
#include <softnum/softnum.hpp>

#include <Eigen/Core>
#include <benchmark/benchmark.h>
#include <boost/multiprecision/cpp_bin_float.hpp>

#include <cmath>
#include <cstddef>
#include <random>
#include <type_traits>
#include <vector>

namespace {

constexpr std::size_t kN = 1024;

template <class T>
std::vector<T> values(unsigned seed, double lo, double hi) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<double> d(lo, hi);
  std::vector<T> v(kN);
  for (auto& x : v) x = static_cast<T>(d(g));
  return v;
}

template <class T>
T sqrt_of(T x) {
#if defined(__FLT16_MANT_DIG__)
  if constexpr (std::is_same_v<T, _Float16>) {
    return static_cast<T>(std::sqrt(static_cast<float>(x)));
  } else
#endif
  {
    using std::sqrt;
    using softnum::sqrt;
    using boost::multiprecision::sqrt;
    return static_cast<T>(sqrt(x));
  }
}

enum class Op { add, mul, div, sqrt, fma };

template <class T, Op op>
void bm_array(benchmark::State& state) {
  const auto a = values<T>(1, 0.5, 4.0), b = values<T>(2, 0.5, 4.0), c = values<T>(3, 0.5, 4.0);
  std::vector<T> out(kN);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kN; ++i) {
      if constexpr (op == Op::add) out[i] = a[i] + b[i];
      if constexpr (op == Op::mul) out[i] = a[i] * b[i];
      if constexpr (op == Op::div) out[i] = a[i] / b[i];
      if constexpr (op == Op::sqrt) out[i] = sqrt_of(a[i]);
      if constexpr (op == Op::fma) {
        if constexpr (softnum::FloatFormat<T>) {
          out[i] = softnum::fma(a[i], b[i], c[i]);
        } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
          out[i] = std::fma(a[i], b[i], c[i]);
        } else {
          out[i] = a[i] * b[i] + c[i];  // no fused operation: two roundings
        }
      }
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kN));
}

template <class T>
void bm_from_double(benchmark::State& state) {
  const auto a = values<double>(4, -1000.0, 1000.0);
  std::vector<T> out(kN);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kN; ++i) out[i] = static_cast<T>(a[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kN));
}

template <class T>
void bm_to_double(benchmark::State& state) {
  const auto a = values<T>(5, -100.0, 100.0);
  std::vector<double> out(kN);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kN; ++i) out[i] = static_cast<double>(a[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kN));
}

using cpp_bin_float_24 = boost::multiprecision::number<
    boost::multiprecision::cpp_bin_float<24, boost::multiprecision::digit_base_2>, boost::multiprecision::et_off>;

}  // namespace

#define SOFTNUM_BENCH_OPS(T)                                  \
  BENCHMARK_TEMPLATE(bm_array, T, Op::add);                   \
  BENCHMARK_TEMPLATE(bm_array, T, Op::mul);                   \
  BENCHMARK_TEMPLATE(bm_array, T, Op::div);                   \
  BENCHMARK_TEMPLATE(bm_array, T, Op::sqrt);                  \
  BENCHMARK_TEMPLATE(bm_array, T, Op::fma);                   \
  BENCHMARK_TEMPLATE(bm_from_double, T);                      \
  BENCHMARK_TEMPLATE(bm_to_double, T);

// Baselines.
SOFTNUM_BENCH_OPS(float)
SOFTNUM_BENCH_OPS(double)
#if defined(__FLT16_MANT_DIG__)
SOFTNUM_BENCH_OPS(_Float16)
#endif
SOFTNUM_BENCH_OPS(Eigen::half)
SOFTNUM_BENCH_OPS(Eigen::bfloat16)
SOFTNUM_BENCH_OPS(cpp_bin_float_24)
// softnum.
SOFTNUM_BENCH_OPS(softnum::binary16)
SOFTNUM_BENCH_OPS(softnum::bfloat16)
SOFTNUM_BENCH_OPS(softnum::float8_e4m3fn)
SOFTNUM_BENCH_OPS(softnum::float8_e4m3)
SOFTNUM_BENCH_OPS(softnum::float8_e5m2)
SOFTNUM_BENCH_OPS(softnum::float8_e4m3fnuz)
SOFTNUM_BENCH_OPS(softnum::float8_e5m2fnuz)
SOFTNUM_BENCH_OPS(softnum::float6_e2m3fn)
SOFTNUM_BENCH_OPS(softnum::float6_e3m2fn)
SOFTNUM_BENCH_OPS(softnum::float4_e2m1fn)
SOFTNUM_BENCH_OPS(softnum::binary32)
SOFTNUM_BENCH_OPS(softnum::binary64)
SOFTNUM_BENCH_OPS(softnum::binary128)
using binary16_toward_zero = softnum::with_round_t<softnum::binary16, softnum::Round::toward_zero>;
using binary16_stochastic = softnum::with_round_t<softnum::binary16, softnum::Round::stochastic>;
SOFTNUM_BENCH_OPS(binary16_toward_zero)
SOFTNUM_BENCH_OPS(binary16_stochastic)
