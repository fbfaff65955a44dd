// The operators + - * / in a plain loop, c[i] = a[i] OP b[i] over 1024-element arrays, for the
// small softnum formats beside native float (which the compiler vectorises), _Float16,
// Eigen::half and Eigen::bfloat16, all in one run. At the end it prints ns per element of each
// loop (best run, CPU time) and its ratio to the native float loop of the same operator.
//   ./operators_bench --benchmark_min_time=0.2 --benchmark_repetitions=3
// Issue 14's goals: binary16, bfloat16, fp8 at most 5x native float with -O3 -march=native and
// 10x with the CI flags (-O3); posit16 at most 20x, posit32 at most 40x.
#include <softnum/float.hpp>
#include <softnum/posit.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <benchmark/benchmark.h>

namespace {

constexpr std::size_t kN = 1024;

enum class Op { add, sub, mul, div };
constexpr const char* op_names[] = {"+", "-", "*", "/"};

/// Operands with magnitudes 2^-4 .. 2^4 (both signs), inside every format's normal range.
template <class T>
std::vector<T> operands(std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> mant(1.0, 2.0);
  std::vector<T> v(kN);
  for (auto& x : v) {
    double d = std::ldexp(mant(g), static_cast<int>(g() % 9) - 4);
    if ((g() & 1) != 0) d = -d;
    x = static_cast<T>(static_cast<float>(d));
  }
  return v;
}

template <class T, Op op>
void loop(const T* a, const T* b, T* c) {
  for (std::size_t i = 0; i < kN; ++i) {
    if constexpr (op == Op::add) c[i] = a[i] + b[i];
    if constexpr (op == Op::sub) c[i] = a[i] - b[i];
    if constexpr (op == Op::mul) c[i] = a[i] * b[i];
    if constexpr (op == Op::div) c[i] = a[i] / b[i];
  }
}

template <class T, Op op>
void bm_op(benchmark::State& state) {
  const auto a = operands<T>(1), b = operands<T>(2);
  std::vector<T> c(kN);
  for (auto _ : state) {
    const T* ap = a.data();
    benchmark::DoNotOptimize(ap);
    loop<T, op>(ap, b.data(), c.data());
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kN));
}

std::vector<std::string> type_order;

template <class T>
void register_type(const char* name) {
  type_order.emplace_back(name);
  const std::string n = name;
  benchmark::RegisterBenchmark((n + " +").c_str(), bm_op<T, Op::add>);
  benchmark::RegisterBenchmark((n + " -").c_str(), bm_op<T, Op::sub>);
  benchmark::RegisterBenchmark((n + " *").c_str(), bm_op<T, Op::mul>);
  benchmark::RegisterBenchmark((n + " /").c_str(), bm_op<T, Op::div>);
}

/// Collects the best CPU time of every benchmark; prints the ratio table at the end.
class RatioTable : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
      const double ns = r.GetAdjustedCPUTime() / static_cast<double>(kN);
      auto& best = best_[r.run_name.function_name];
      if (best == 0 || ns < best) best = ns;
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    std::printf(
        "\nc[i] = a[i] OP b[i] over %zu elements: ns/element (x native float), best run, CPU "
        "time\n",
        kN);
    std::printf("%-18s", "type");
    for (const char* op : op_names) std::printf(" %19s", op);
    std::printf("\n");
    for (const auto& type : type_order) {
      std::printf("%-18s", type.c_str());
      for (const char* op : op_names) {
        const double ns = best_[type + " " + op], ref = best_[std::string("float ") + op];
        if (ns == 0) {
          std::printf(" %19s", "-");
        } else {
          std::printf(" %9.3f (%6.1fx)", ns, ref > 0 ? ns / ref : 0.0);
        }
      }
      std::printf("\n");
    }
  }

 private:
  std::map<std::string, double> best_;
};

}  // namespace

int main(int argc, char** argv) {
  register_type<float>("float");
#if defined(__FLT16_MANT_DIG__)
  register_type<_Float16>("_Float16");
#endif
  register_type<Eigen::half>("Eigen::half");
  register_type<Eigen::bfloat16>("Eigen::bfloat16");
  register_type<softnum::binary16>("binary16");
  register_type<softnum::bfloat16>("bfloat16");
  register_type<softnum::float8_e4m3fn>("float8_e4m3fn");
  register_type<softnum::float8_e5m2>("float8_e5m2");
  register_type<softnum::posit16>("posit16");
  register_type<softnum::posit32>("posit32");
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioTable reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
