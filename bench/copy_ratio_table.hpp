// bench/copy_ratio_table.hpp - the table that quantize_bench and block_bench print at the end:
// ns per element of every benchmark (best run, CPU time) and its ratio to the "copy float loop"
// benchmark measured in the same run, so that a speed goal reads as "x times a copy".
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

namespace softnum_bench {

/// Collects every run and prints ns/element and the ratio to the copy loop at the end.
class CopyRatioTable : public benchmark::ConsoleReporter {
 public:
  explicit CopyRatioTable(std::size_t elements) : elements_(elements) {}
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
      // CPU time: on a shared machine wall time also counts the time other processes ran.
      const double ns = r.GetAdjustedCPUTime() / static_cast<double>(elements_);  // unit: ns
      auto& best = best_[r.run_name.function_name];
      if (best == 0 || ns < best) best = ns;
      if (std::find(order_.begin(), order_.end(), r.run_name.function_name) == order_.end()) {
        order_.push_back(r.run_name.function_name);
      }
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double copy = best_["copy float loop"];
    char title[64];
    std::snprintf(title, sizeof title, "loop over %zu floats (best run, CPU time)", elements_);
    std::printf("\n%-46s %12s %10s\n", title, "ns/element", "x copy");
    for (const auto& name : order_) {
      const double ns = best_[name];
      std::printf("%-46s %12.3f %10.1f\n", name.c_str(), ns, copy > 0 ? ns / copy : 0.0);
    }
  }

 private:
  std::size_t elements_;
  std::map<std::string, double> best_;
  std::vector<std::string> order_;
};

/// main() of a benchmark program that ends with the table.
inline int run_with_copy_ratio_table(int argc, char** argv, std::size_t elements) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  CopyRatioTable reporter(elements);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}

}  // namespace softnum_bench
