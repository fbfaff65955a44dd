// Speed of Expansion<T,N> arithmetic (ns per operation) against QD's dd_real / qd_real and
// Boost.Multiprecision cpp_bin_float<32> / <64>, in one binary.
//
// Each benchmark applies one operation elementwise over arrays of 1024 random operands in
// [0.5, 2) (throughput, not latency). QD's dd_real operator+ is its "sloppy" addition unless QD
// was configured with QD_IEEE_ADD (Debian's is not: see <qd/qd_config.h>); softnum's
// double_double addition is AccurateDWPlusDW, so dd_real::ieee_add is measured as well.
// Run: expansion_bench --benchmark_min_time=0.2
#include <softnum/expansion.hpp>

#include <cstddef>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <qd/dd_real.h>
#include <qd/qd_real.h>

namespace {

using softnum::double_double;
using softnum::quad_double;
using bf32 = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<32>,
                                           boost::multiprecision::et_off>;
using bf64 = boost::multiprecision::number<boost::multiprecision::cpp_bin_float<64>,
                                           boost::multiprecision::et_off>;

constexpr std::size_t kLen = 1024;

// Random operands with full low words: the sum of two or four random doubles, each scaled.
template <class V>
V make(std::mt19937_64& rng);
template <>
double_double make<double_double>(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> d(0.5, 2.0);
  return double_double(d(rng)) + double_double(d(rng)) * 0x1p-53;
}
template <>
quad_double make<quad_double>(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> d(0.5, 2.0);
  quad_double r(d(rng));
  double s = 0x1p-53;
  for (int i = 0; i < 3; ++i, s *= 0x1p-53) r = r + quad_double(d(rng)) * s;
  return r;
}
template <>
dd_real make<dd_real>(std::mt19937_64& rng) {
  const double_double v = make<double_double>(rng);
  return dd_real(v.x[0], v.x[1]);
}
template <>
qd_real make<qd_real>(std::mt19937_64& rng) {
  const quad_double v = make<quad_double>(rng);
  return qd_real(v.x[0], v.x[1], v.x[2], v.x[3]);
}
template <>
bf32 make<bf32>(std::mt19937_64& rng) {
  const double_double v = make<double_double>(rng);
  return bf32(v.x[0]) + bf32(v.x[1]);
}
template <>
bf64 make<bf64>(std::mt19937_64& rng) {
  const quad_double v = make<quad_double>(rng);
  return bf64(v.x[0]) + bf64(v.x[1]) + bf64(v.x[2]) + bf64(v.x[3]);
}

struct Add {
  template <class V>
  static V apply(const V& a, const V& b) {
    return a + b;
  }
};
struct IeeeAdd {  // QD's accurate addition, the counterpart of AccurateDWPlusDW
  static dd_real apply(const dd_real& a, const dd_real& b) { return dd_real::ieee_add(a, b); }
  static qd_real apply(const qd_real& a, const qd_real& b) { return qd_real::ieee_add(a, b); }
};
struct Mul {
  template <class V>
  static V apply(const V& a, const V& b) {
    return a * b;
  }
};
struct Div {
  template <class V>
  static V apply(const V& a, const V& b) {
    return a / b;
  }
};
struct Sqrt {
  template <class V>
  static V apply(const V& a, const V&) {
    using softnum::sqrt;
    using std::sqrt;
    return sqrt(a);
  }
};

template <class V, class Op>
void bm(benchmark::State& state) {
  std::mt19937_64 rng(42);
  std::vector<V> a(kLen), b(kLen), c(kLen);
  for (std::size_t i = 0; i < kLen; ++i) {
    a[i] = make<V>(rng);
    b[i] = make<V>(rng);
  }
  for (auto _ : state) {
    for (std::size_t i = 0; i < kLen; ++i) c[i] = Op::apply(a[i], b[i]);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kLen));
}

// The same loops compiled for a CPU with fma (x86-64-v3): softnum's products use fma, which a
// baseline x86-64 build reaches only through libm's fma() call; QD's default build uses
// Dekker's splitting and does not depend on it. Registered only when the CPU has fma.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#  define SOFTNUM_BENCH_FMA 1
template <class V, class Op>
__attribute__((target("fma"))) void bm_fma(benchmark::State& state) {
  std::mt19937_64 rng(42);
  std::vector<V> a(kLen), b(kLen), c(kLen);
  for (std::size_t i = 0; i < kLen; ++i) {
    a[i] = make<V>(rng);
    b[i] = make<V>(rng);
  }
  for (auto _ : state) {
    for (std::size_t i = 0; i < kLen; ++i) c[i] = Op::apply(a[i], b[i]);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kLen));
}

template <class V, class Op>
void add_fma(const char* name) {
  benchmark::RegisterBenchmark(name, bm_fma<V, Op>);
}

const bool fma_registered = [] {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("fma")) return false;
  add_fma<double_double, Add>("bm_fma<double_double, Add>");
  add_fma<dd_real, Add>("bm_fma<dd_real, Add>");
  add_fma<dd_real, IeeeAdd>("bm_fma<dd_real, IeeeAdd>");
  add_fma<double_double, Mul>("bm_fma<double_double, Mul>");
  add_fma<dd_real, Mul>("bm_fma<dd_real, Mul>");
  add_fma<double_double, Div>("bm_fma<double_double, Div>");
  add_fma<dd_real, Div>("bm_fma<dd_real, Div>");
  add_fma<double_double, Sqrt>("bm_fma<double_double, Sqrt>");
  add_fma<dd_real, Sqrt>("bm_fma<dd_real, Sqrt>");
  add_fma<quad_double, Add>("bm_fma<quad_double, Add>");
  add_fma<qd_real, Add>("bm_fma<qd_real, Add>");
  add_fma<quad_double, Mul>("bm_fma<quad_double, Mul>");
  add_fma<qd_real, Mul>("bm_fma<qd_real, Mul>");
  add_fma<quad_double, Div>("bm_fma<quad_double, Div>");
  add_fma<qd_real, Div>("bm_fma<qd_real, Div>");
  add_fma<quad_double, Sqrt>("bm_fma<quad_double, Sqrt>");
  add_fma<qd_real, Sqrt>("bm_fma<qd_real, Sqrt>");
  return true;
}();
#endif

/// Latency: one dependent chain of additions (a running sum, as a GEMM accumulator does).
template <class V, class Op>
void bm_chain(benchmark::State& state) {
  std::mt19937_64 rng(42);
  std::vector<V> a(kLen);
  for (std::size_t i = 0; i < kLen; ++i) a[i] = make<V>(rng);
  for (auto _ : state) {
    V acc = a[0];
    for (std::size_t i = 1; i < kLen; ++i) acc = Op::apply(acc, a[i]);
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kLen - 1));
}

}  // namespace

BENCHMARK_TEMPLATE(bm_chain, double_double, Add);
BENCHMARK_TEMPLATE(bm_chain, dd_real, Add);
BENCHMARK_TEMPLATE(bm_chain, dd_real, IeeeAdd);
BENCHMARK_TEMPLATE(bm_chain, quad_double, Add);
BENCHMARK_TEMPLATE(bm_chain, qd_real, Add);
BENCHMARK_TEMPLATE(bm_chain, qd_real, IeeeAdd);

BENCHMARK_TEMPLATE(bm, double_double, Add);
BENCHMARK_TEMPLATE(bm, dd_real, Add);
BENCHMARK_TEMPLATE(bm, dd_real, IeeeAdd);
BENCHMARK_TEMPLATE(bm, bf32, Add);
BENCHMARK_TEMPLATE(bm, double_double, Mul);
BENCHMARK_TEMPLATE(bm, dd_real, Mul);
BENCHMARK_TEMPLATE(bm, bf32, Mul);
BENCHMARK_TEMPLATE(bm, double_double, Div);
BENCHMARK_TEMPLATE(bm, dd_real, Div);
BENCHMARK_TEMPLATE(bm, bf32, Div);
BENCHMARK_TEMPLATE(bm, double_double, Sqrt);
BENCHMARK_TEMPLATE(bm, dd_real, Sqrt);
BENCHMARK_TEMPLATE(bm, bf32, Sqrt);

BENCHMARK_TEMPLATE(bm, quad_double, Add);
BENCHMARK_TEMPLATE(bm, qd_real, Add);
BENCHMARK_TEMPLATE(bm, qd_real, IeeeAdd);
BENCHMARK_TEMPLATE(bm, bf64, Add);
BENCHMARK_TEMPLATE(bm, quad_double, Mul);
BENCHMARK_TEMPLATE(bm, qd_real, Mul);
BENCHMARK_TEMPLATE(bm, bf64, Mul);
BENCHMARK_TEMPLATE(bm, quad_double, Div);
BENCHMARK_TEMPLATE(bm, qd_real, Div);
BENCHMARK_TEMPLATE(bm, bf64, Div);
BENCHMARK_TEMPLATE(bm, quad_double, Sqrt);
BENCHMARK_TEMPLATE(bm, qd_real, Sqrt);
BENCHMARK_TEMPLATE(bm, bf64, Sqrt);
