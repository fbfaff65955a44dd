// softnum_train: configuration and the training run.
#pragma once

#include "backend.hpp"
#include "data.hpp"
#include "format.hpp"
#include "scaling.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace train {

/// The tensor roles, each with its own format and rounding mode (docs/training.md).
enum Role : std::size_t { kWeights, kActivations, kGradients, kAccumulator, kMaster, kLoss, kRoles };
inline constexpr std::array<const char*, kRoles> kRoleNames = {"weights", "activations", "gradients",
                                                               "accumulator", "master", "loss"};

struct Roles {
  std::array<const Format*, kRoles> format{};
  std::array<Round, kRoles> mode{};
  Scaling scaling;  // a scaled recipe applied to every GEMM operand (scaling.hpp)
  std::string describe() const;  // "weights=... activations=..." (formats, then non-nearest modes)
};

/// A run configuration's format part from a spec
/// "BASE[+ROLE=FORMAT...][+rounding=ROLE:MODE,...][+scaling=RECIPE]", where BASE is a format or
/// preset name. Explicit command-line overrides are applied on top.
struct FormatSpec {
  std::string base;                                       // format or preset name
  std::array<std::string, kRoles> override_format{};      // empty: from base
  std::array<int, kRoles> override_mode{-1, -1, -1, -1, -1, -1};  // -1: unset, else a Round
  std::string scaling;                                    // empty: from base (none)
};

/// Parses and resolves a spec on top of the command-line overrides `cli`. Throws
/// std::invalid_argument on unknown names.
FormatSpec parse_spec(const std::string& spec);
Roles resolve(const FormatSpec& spec, const FormatSpec& cli);
/// Preset names and what they expand to.
std::string presets_help();

/// Parses "nearest|stochastic" or "ROLE=MODE,..." into overrides (sep is '=' on the command line,
/// ':' inside a spec).
void parse_rounding(const std::string& text, char sep, std::array<int, kRoles>& modes);

struct Config {
  std::string model = "mlp";      // mlp | lenet5
  std::vector<int> hidden{256};   // MLP hidden layer sizes
  std::string init;               // he | uniform (default: he for mlp, uniform for lenet5)
  int epochs = 5;
  int batch = 64;
  double lr = -1, momentum = -1;  // < 0: the model's default
  double lr_decay = 0.5;
  int lr_decay_from = -1, lr_decay_every = -1;  // < 0: the model's default (epochs counted from 1)
  double loss_scale = 1;
  bool dynamic_scale = false;
  int scale_window = 1000;
  std::uint64_t seed = 1;
  std::size_t train_limit = 0, test_limit = 0;
  unsigned threads = 0;
  std::string backend = "cpu";
  std::ptrdiff_t chunk = 0;
  std::string data_dir = kDefaultDataDir;
  bool progress = false;
  std::string label;
  FormatSpec cli;                                  // command-line role overrides
  std::vector<std::pair<int, std::string>> schedule;  // (first epoch, from 1; spec), sorted
  int downsample = 1;               // average factor x factor pixel blocks (mlp only)
  std::string export_weights;       // write the trained MLP as a C++ header (examples/firmware)
  int export_images = 32;           // test images embedded in that header
};

struct EpochResult {
  int epoch = 0;
  double lr = 0, loss = 0, train_acc = 0, test_acc = 0, seconds = 0, energy_mj = 0, loss_scale = 1;
  long long skipped = 0;
  std::uint64_t fnv = 0;  // FNV-1a of the master weights' bits (reproducibility)
  std::string formats;
};

struct RunResult {
  std::string label;
  std::vector<EpochResult> epochs;
  double final_test = 0;
};

/// The run diverged (NaN/inf loss, all-NaR outputs).
struct Diverged : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Trains and evaluates; on_epoch is called after each epoch (for printing).
RunResult run_training(const Config& config, const Dataset& train_set, const Dataset& test_set, Backend& backend,
                       const std::function<void(const EpochResult&)>& on_epoch);

/// The effective settings, for the header printed before a run.
std::string describe(const Config& config, const Dataset& train_set, const Dataset& test_set);

}  // namespace train
