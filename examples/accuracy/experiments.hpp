// softnum_accuracy: experiments and the kernel registry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format.hpp"
#include "report.hpp"
#include "stats.hpp"

namespace acc {

struct Options {
  std::vector<const Format*> formats;  // empty: each experiment's own default set
  std::vector<Round> modes = {Round::nearest_even, Round::stochastic};
  std::uint64_t seed = 1;
  bool quick = false;     // smaller sizes (the tour)
  bool progress = false;  // progress bars on stderr
};

/// Input distributions (values are rounded to the format under test before use).
enum class Input { uniform, normal, loguniform, adversarial, well, ill, none };
const char* input_name(Input in);

/// A kernel of the measurement suite: adding one is one line in kernels() (experiments.cpp).
struct Kernel {
  const char* name;
  const char*
      group;  // the experiment that runs it: sum, dot, gemm, lu, horner, softmax, elementary
  std::vector<Input> inputs;
  /// Relative errors of `trials` runs (or per output element) against the exact reference.
  void (*measure)(const Format& f, Round mode, Input in, int trials, std::uint64_t seed,
                  ErrorAccumulator& acc);
  int trials;                    // full size; the tour uses a quarter
  bool needs_quire;              // posits only
  bool needs_expansion = false;  // floats only, round to nearest only
};
const std::vector<Kernel>& kernels();

struct Experiment {
  const char* name;
  const char* what;
  std::vector<Table> (*run)(const Options& o);
};
const std::vector<Experiment>& experiments();
const Experiment* find_experiment(const std::string& name);

/// The tour: the default run (cards, equal-width comparisons, reproductions at small sizes).
std::vector<Table> run_tour(Options o);

}  // namespace acc
