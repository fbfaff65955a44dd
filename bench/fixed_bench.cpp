// Speed of Fixed<I,F> + - * / against native int and float, scalar and over arrays.
//
//   fixed_bench --benchmark_min_time=0.2
//
// bm_<op>_scalar: one operation per iteration on operands the compiler cannot see through
// (benchmark::DoNotOptimize), i.e. scalar throughput plus about 1 ns of loop overhead.
// bm_<op>_array: c[i] = a[i] op b[i] over 1024 elements, items = elements, i.e. throughput with
// whatever the compiler vectorises. Fixed uses its default policies (round to nearest even,
// saturate), so every * and / is correctly rounded and every result saturates.
#include <softnum/fixed.hpp>

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

namespace {

using softnum::Fixed;

constexpr std::size_t kN = 1024;

// Values of moderate size for every type: a in [-4, 4), b in [0.5, 2) with a random sign, so that
// products and quotients stay mostly in range for Fixed<4,12> too.
template <class T>
T make(double v) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(v * 1000);
  } else {
    return T(v);
  }
}

template <class T>
void fill_operands(std::vector<T>& a, std::vector<T>& b, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> da(-4.0, 4.0), db(0.5, 2.0);
  a.clear();
  b.clear();
  for (std::size_t i = 0; i < kN; ++i) {
    a.push_back(make<T>(da(rng)));
    b.push_back(make<T>((rng() & 1) != 0 ? db(rng) : -db(rng)));
  }
}

struct Add {
  template <class T>
  static T apply(T a, T b) {
    return a + b;
  }
};
struct Mul {
  template <class T>
  static T apply(T a, T b) {
    return a * b;
  }
};
struct Div {
  template <class T>
  static T apply(T a, T b) {
    return a / b;
  }
};

template <class T, class Op>
void bm_scalar(benchmark::State& state) {
  std::vector<T> a, b;
  fill_operands(a, b, 42);
  std::size_t i = 0;
  for (auto _ : state) {
    T x = a[i], y = b[i];
    benchmark::DoNotOptimize(x);  // opaque operands: no vectorisation, no constant folding
    benchmark::DoNotOptimize(y);
    T r = Op::apply(x, y);
    benchmark::DoNotOptimize(r);
    i = (i + 1) & (kN - 1);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <class T, class Op>
void bm_array(benchmark::State& state) {
  std::vector<T> a, b, c(kN);
  fill_operands(a, b, 43);
  for (auto _ : state) {
    for (std::size_t i = 0; i < kN; ++i) c[i] = Op::apply(a[i], b[i]);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kN));
}

template <class T>
void bm_add_scalar(benchmark::State& s) {
  bm_scalar<T, Add>(s);
}
template <class T>
void bm_mul_scalar(benchmark::State& s) {
  bm_scalar<T, Mul>(s);
}
template <class T>
void bm_div_scalar(benchmark::State& s) {
  bm_scalar<T, Div>(s);
}
template <class T>
void bm_add_array(benchmark::State& s) {
  bm_array<T, Add>(s);
}
template <class T>
void bm_mul_array(benchmark::State& s) {
  bm_array<T, Mul>(s);
}
template <class T>
void bm_div_array(benchmark::State& s) {
  bm_array<T, Div>(s);
}

#define SOFTNUM_FIXED_BENCH(fn)          \
  BENCHMARK_TEMPLATE(fn, std::int32_t);  \
  BENCHMARK_TEMPLATE(fn, float);         \
  BENCHMARK_TEMPLATE(fn, Fixed<8, 8>);   \
  BENCHMARK_TEMPLATE(fn, Fixed<4, 12>);  \
  BENCHMARK_TEMPLATE(fn, Fixed<16, 16>); \
  BENCHMARK_TEMPLATE(fn, Fixed<32, 32>)

SOFTNUM_FIXED_BENCH(bm_add_scalar);
SOFTNUM_FIXED_BENCH(bm_mul_scalar);
SOFTNUM_FIXED_BENCH(bm_div_scalar);
SOFTNUM_FIXED_BENCH(bm_add_array);
SOFTNUM_FIXED_BENCH(bm_mul_array);
SOFTNUM_FIXED_BENCH(bm_div_array);

}  // namespace
