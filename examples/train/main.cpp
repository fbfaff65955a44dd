// softnum_train: train an MLP or LeNet-5 on Fashion-MNIST with every tensor role in its own
// number format. `softnum_train --help` lists the options; docs/training.md explains the model.
#include "train.hpp"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using namespace train;

constexpr int kExitUsage = 2, kExitDiverged = 3, kExitData = 4, kExitSkip = 77;

const char* kUsage = R"(usage: softnum_train [options]
With no options: the default demo, a short comparison of formats on a subset.

Model and data:
  --model mlp|lenet5       network (default mlp; lenet5 is PositNN's LeNet-5)
  --hidden N[,N...]        MLP hidden layer sizes (default 256)
  --data DIR               directory of the Fashion-MNIST IDX files (default
                           /usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist)
  --train-limit N          use the first N training images (default all 60000)
  --test-limit N           use the first N test images (default all 10000)
  --init he|uniform        initialisation (default he for mlp, uniform for lenet5)
  --downsample N           mlp: average N x N pixel blocks (2: 14x14 inputs), default 1
  --export-weights FILE    mlp: after training, write the master weights and the first test
                           images as a C++ header of constexpr softnum values (examples/firmware)
  --export-images N        test images in that header (default 32)
Formats (names: --list-formats; a FORMAT may also be a preset or a spec, see below):
  --format SPEC            every role (default float32)
  --weights F --activations F --gradients F --accumulator F --master F --loss F
                           one role (accumulator may also be 'quire': exact accumulation)
  --rounding R             nearest | stochastic | ROLE=MODE[,ROLE=MODE...] (default nearest)
  --scaling RECIPE         scale and fake-quantize every GEMM operand: fp8_current[:pow2],
                           fp8_delayed[:N],
                           mxfp8|mxfp6|mxfp4[:floor|:ceil], nvfp4, none (--list-formats explains)
  --chunk N                chunk-based accumulation in the GEMMs (Wang et al. 2018), 0 = off
  --schedule "E:SPEC,..."  change the formats at epoch E (from 1), e.g. "1:e5m2,3:binary16"
  --loss-scale N|dynamic   multiply the loss gradient by N (dynamic: from 65536, halve and skip
                           the step on overflow, double after 1000 good steps)
  --list-formats           print every format with its range and precision, and the presets
Optimizer:
  --epochs N (5)  --batch N (64)  --lr X (mlp 0.02, lenet5 1/16)  --momentum X (mlp 0.9, lenet5 0.5)
  --lr-decay X (0.5) --lr-decay-every N (mlp 1, lenet5 4) --lr-decay-from E (mlp 4, lenet5 5)
  --seed N (1)
Running and output:
  --threads N              GEMM threads (default: all cores; results do not depend on it)
  --backend cpu|cuda       compute backend (default cpu)
  --csv FILE               per-epoch results as CSV
  --compare LIST           run several specs (comma-separated) and print a summary table
  --plot FILE.png          with --compare: test accuracy per epoch, drawn by gnuplot
  --progress auto|always|never   progress bar on stderr (auto: when stderr is a terminal)
  --skip-missing-data      exit 77 (a skipped test) when the data files are missing
A SPEC is FORMAT or PRESET, followed by +ROLE=FORMAT, +rounding=ROLE:MODE or +scaling=RECIPE
items, e.g. posit8+master=posit16+loss=posit16+accumulator=quire, float32+scaling=mxfp4:floor
Exit status: 0 ok, 1 other error, 2 bad arguments, 3 diverged, 4 bad or missing data files.
)";

struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

long long parse_int(const std::string& flag, const std::string& v, long long lo, long long hi) {
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || end == nullptr || *end != '\0' || errno != 0) {
    throw UsageError(flag + ": '" + v + "' is not an integer");
  }
  if (x < lo || x > hi) {
    throw UsageError(flag + ": " + v + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  return x;
}

double parse_real(const std::string& flag, const std::string& v, double lo, double hi) {
  errno = 0;
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (v.empty() || end == nullptr || *end != '\0' || errno != 0 || !std::isfinite(x)) {
    throw UsageError(flag + ": '" + v + "' is not a number");
  }
  if (x < lo || x > hi) throw UsageError(flag + ": " + v + " is out of range");
  return x;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const std::size_t end = std::min(s.find(sep, pos), s.size());
    out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

struct Options {
  Config cfg;
  std::string csv, plot, progress = "auto";
  std::vector<std::string> compare;
  bool list = false, help = false, skip_missing = false;
};

Options parse(int argc, char** argv) {
  Options o;
  Config& c = o.cfg;
  c.cli.base = "float32";
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw UsageError(a + ": missing value");
      return args[++i];
    };
    auto role = [&](Role r) {
      const std::string v = value();
      try {
        find_format(v);
      } catch (const std::invalid_argument& e) {
        throw UsageError(a + ": " + e.what());
      }
      c.cli.override_format[static_cast<std::size_t>(r)] = v;
    };
    if (a == "--help" || a == "-h") {
      o.help = true;
    } else if (a == "--list-formats") {
      o.list = true;
    } else if (a == "--model") {
      c.model = value();
      if (c.model != "mlp" && c.model != "lenet5") throw UsageError("--model: unknown model '" + c.model + "'; valid: mlp, lenet5");
    } else if (a == "--hidden") {
      c.hidden.clear();
      for (const std::string& h : split(value(), ',')) c.hidden.push_back(static_cast<int>(parse_int(a, h, 1, 100000)));
    } else if (a == "--init") {
      c.init = value();
      if (c.init != "he" && c.init != "uniform") throw UsageError("--init: unknown '" + c.init + "'; valid: he, uniform");
    } else if (a == "--downsample") {
      c.downsample = static_cast<int>(parse_int(a, value(), 1, 7));
      if (28 % c.downsample != 0) throw UsageError("--downsample: must divide 28 (1, 2, 4, 7)");
    } else if (a == "--export-weights") {
      c.export_weights = value();
    } else if (a == "--export-images") {
      c.export_images = static_cast<int>(parse_int(a, value(), 0, 10000));
    } else if (a == "--data") {
      c.data_dir = value();
    } else if (a == "--train-limit") {
      c.train_limit = static_cast<std::size_t>(parse_int(a, value(), 1, 1LL << 40));
    } else if (a == "--test-limit") {
      c.test_limit = static_cast<std::size_t>(parse_int(a, value(), 1, 1LL << 40));
    } else if (a == "--format") {
      c.cli.base = value();
    } else if (a == "--weights") {
      role(kWeights);
    } else if (a == "--activations") {
      role(kActivations);
    } else if (a == "--gradients") {
      role(kGradients);
    } else if (a == "--accumulator") {
      role(kAccumulator);
    } else if (a == "--master") {
      role(kMaster);
    } else if (a == "--loss") {
      role(kLoss);
    } else if (a == "--rounding") {
      const std::string v = value();
      try {
        parse_rounding(v, '=', c.cli.override_mode);
      } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--rounding: ") + e.what());
      }
    } else if (a == "--scaling") {
      const std::string v = value();
      try {
        parse_scaling(v);
      } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--scaling: ") + e.what());
      }
      c.cli.scaling = v;
    } else if (a == "--chunk") {
      c.chunk = static_cast<std::ptrdiff_t>(parse_int(a, value(), 0, 1 << 30));
    } else if (a == "--schedule") {
      for (const std::string& item : split(value(), ',')) {
        const std::size_t colon = item.find(':');
        if (colon == std::string::npos) throw UsageError("--schedule: item '" + item + "' is not EPOCH:SPEC");
        const int e = static_cast<int>(parse_int("--schedule", item.substr(0, colon), 0, 1000000));
        c.schedule.emplace_back(e < 1 ? 1 : e, item.substr(colon + 1));
      }
      std::stable_sort(c.schedule.begin(), c.schedule.end(),
                       [](const auto& x, const auto& y) { return x.first < y.first; });
    } else if (a == "--loss-scale") {
      const std::string v = value();
      if (v == "dynamic") {
        c.dynamic_scale = true;
      } else {
        c.loss_scale = parse_real(a, v, 0x1p-100, 0x1p100);
        int e = 0;
        if (std::frexp(c.loss_scale, &e) != 0.5) throw UsageError("--loss-scale: " + v + " is not a power of two");
      }
    } else if (a == "--epochs") {
      c.epochs = static_cast<int>(parse_int(a, value(), 1, 100000));
    } else if (a == "--batch") {
      c.batch = static_cast<int>(parse_int(a, value(), 1, 1 << 20));
    } else if (a == "--lr") {
      c.lr = parse_real(a, value(), 0, 1e6);
    } else if (a == "--momentum") {
      c.momentum = parse_real(a, value(), 0, 1);
    } else if (a == "--lr-decay") {
      c.lr_decay = parse_real(a, value(), 0, 1e6);
    } else if (a == "--lr-decay-every") {
      c.lr_decay_every = static_cast<int>(parse_int(a, value(), 1, 1000000));
    } else if (a == "--lr-decay-from") {
      c.lr_decay_from = static_cast<int>(parse_int(a, value(), 1, 1000000));
    } else if (a == "--seed") {
      c.seed = static_cast<std::uint64_t>(parse_int(a, value(), 0, 0x7FFFFFFFFFFFFFFFLL));
    } else if (a == "--threads") {
      c.threads = static_cast<unsigned>(parse_int(a, value(), 0, 4096));
    } else if (a == "--backend") {
      c.backend = value();
    } else if (a == "--csv") {
      o.csv = value();
    } else if (a == "--compare") {
      o.compare = split(value(), ',');
    } else if (a == "--plot") {
      o.plot = value();
    } else if (a == "--progress") {
      o.progress = value();
      if (o.progress != "auto" && o.progress != "always" && o.progress != "never") {
        throw UsageError("--progress: unknown '" + o.progress + "'; valid: auto, always, never");
      }
    } else if (a == "--skip-missing-data") {
      o.skip_missing = true;
    } else {
      throw UsageError("unknown option '" + a + "' (see --help)");
    }
  }
  // Validate every spec now, so that a typo fails before any training.
  try {
    resolve(parse_spec(c.cli.base), c.cli);
    for (const auto& [e, s] : c.schedule) resolve(parse_spec(s), c.cli);
    for (const std::string& s : o.compare) resolve(parse_spec(s), c.cli);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (!o.plot.empty() && o.compare.empty()) throw UsageError("--plot needs --compare LIST");
  if (c.model != "mlp" && (c.downsample != 1 || !c.export_weights.empty()))
    throw UsageError("--downsample and --export-weights are for --model mlp");
  if (!c.export_weights.empty() && !o.compare.empty()) throw UsageError("--export-weights needs a single run, not --compare");
  c.progress = o.progress == "always" || (o.progress == "auto" && isatty(STDERR_FILENO));
  return o;
}

/// The default demo: a short comparison on a subset (see docs/training.md).
Options demo_options() {
  Options o;
  o.cfg.cli.base = "float32";
  o.cfg.hidden = {64};
  o.cfg.epochs = 2;
  o.cfg.train_limit = 4000;
  o.cfg.test_limit = 2000;
  o.compare = {"float32", "binary16", "bfloat16", "fp8_recipe", "float8_e5m2", "posit8", "positnn_mixed", "fixed8_8"};
  o.cfg.progress = isatty(STDERR_FILENO);
  return o;
}

void print_header_row() {
  std::printf("%5s %9s %9s %9s %9s %8s %11s\n", "epoch", "lr", "loss", "train", "test", "seconds", "energy_mJ");
}

void print_row(const EpochResult& r) {
  std::printf("%5d %9.5f %9.5f %8.2f%% %8.2f%% %8.2f %11.3f%s\n", r.epoch, r.lr, r.loss, r.train_acc, r.test_acc,
              r.seconds, r.energy_mj, r.skipped ? ("  (skipped steps " + std::to_string(r.skipped) + ")").c_str() : "");
  std::fflush(stdout);
}

void write_csv(const std::string& path, const std::vector<RunResult>& runs) {
  std::ofstream f(path);
  if (!f) throw std::runtime_error("cannot write --csv file " + path);
  f << "run,epoch,lr,loss,train_acc,test_acc,seconds,energy_mJ,loss_scale,skipped_steps,master_fnv,formats\n";
  char buf[512];
  for (const RunResult& run : runs) {
    for (const EpochResult& r : run.epochs) {
      std::snprintf(buf, sizeof buf, "%s,%d,%.9g,%.9g,%.4f,%.4f,%.3f,%.6g,%.9g,%lld,%016llx,%s\n", run.label.c_str(),
                    r.epoch, r.lr, r.loss, r.train_acc, r.test_acc, r.seconds, r.energy_mj, r.loss_scale, r.skipped,
                    static_cast<unsigned long long>(r.fnv), r.formats.c_str());
      f << buf;
    }
  }
  if (!f) throw std::runtime_error("error writing --csv file " + path);
}

void plot(const std::string& path, const std::vector<RunResult>& runs) {
  const std::string dat = path + ".dat", gp = path + ".gp";
  {
    std::ofstream d(dat);
    for (std::size_t i = 0; i < runs.size(); ++i) {
      d << "# " << runs[i].label << "\n";
      for (const EpochResult& r : runs[i].epochs) d << r.epoch << " " << r.test_acc << "\n";
      d << "\n\n";
    }
    std::ofstream g(gp);
    g << "set terminal pngcairo size 900,600 noenhanced\n"
      << "set output '" << path << "'\n"
      << "set title 'softnum_train: test accuracy per epoch'\nset xlabel 'epoch'\nset ylabel 'test accuracy (%)'\n"
      << "set key outside right\nset grid\nplot ";
    for (std::size_t i = 0; i < runs.size(); ++i) {
      g << (i ? ", " : "") << "'" << dat << "' index " << i << " with linespoints title '" << runs[i].label << "'";
    }
    g << "\n";
  }
  const std::string cmd = "gnuplot '" + gp + "' 2>&1";
  const int rc = std::system(cmd.c_str());
  if (rc != 0) {
    throw std::runtime_error("--plot: gnuplot failed or is not installed (install Debian's gnuplot-nox, e.g. with "
                             "bash scripts/install-deps.sh); the data is in " + dat);
  }
  std::printf("plot written to %s (data %s, script %s)\n", path.c_str(), dat.c_str(), gp.c_str());
}

int run(Options o, bool demo) {
  Config& c = o.cfg;
  std::unique_ptr<Backend> backend = make_backend(c.backend, c.threads);
  Dataset train_set, test_set;
  try {
    train_set = load_fashion_mnist(c.data_dir, "train", c.train_limit);
    test_set = load_fashion_mnist(c.data_dir, "t10k", c.test_limit);
  } catch (const DataError& e) {
    std::fprintf(stderr, "softnum_train: error: %s\n", e.what());
    if (o.skip_missing && c.data_dir == kDefaultDataDir) {
      std::fprintf(stderr, "softnum_train: skipped (--skip-missing-data)\n");
      return kExitSkip;
    }
    return kExitData;
  }
  train_set = downsample(train_set, c.downsample);
  test_set = downsample(test_set, c.downsample);
  if (demo) {
    std::printf("softnum_train default demo: a short comparison of number formats (MLP 784-64-10, %zu training "
                "images, %d epochs).\nRun softnum_train --help for the options, docs/training.md for the model.\n\n",
                train_set.size(), c.epochs);
  }
  std::vector<std::string> specs = o.compare;
  const bool comparing = !specs.empty();
  if (!comparing) specs.push_back(c.cli.base);
  std::vector<RunResult> runs;
  std::vector<std::string> failures(specs.size());
  int rc = 0;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    Config rc_cfg = c;
    rc_cfg.cli.base = specs[i];
    rc_cfg.label = specs[i];
    if (comparing) std::printf("=== %s\n", specs[i].c_str());
    std::printf("%s", describe(rc_cfg, train_set, test_set).c_str());
    std::printf("backend: %s, %s threads\n", backend->name().c_str(),
                c.threads ? std::to_string(c.threads).c_str() : "all");
    print_header_row();
    try {
      RunResult r = run_training(rc_cfg, train_set, test_set, *backend, print_row);
      std::printf("final test accuracy: %.2f%%\n", r.final_test);
      runs.push_back(std::move(r));
    } catch (const Diverged& e) {
      std::fflush(stdout);
      std::fprintf(stderr, "softnum_train: %s\n", e.what());
      std::printf("diverged: %s\n", e.what());
      failures[i] = "diverged";
      RunResult r;
      r.label = specs[i];
      runs.push_back(std::move(r));
      rc = kExitDiverged;
    }
    if (comparing) std::printf("\n");
  }
  if (comparing) {
    std::printf("summary (%zu training images, %d epochs; energy: modelled, training only, see docs/training.md)\n",
                train_set.size(), c.epochs);
    std::printf("%-60s %10s %10s %12s\n", "spec", "test acc", "s/epoch", "mJ/epoch");
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const RunResult& r = runs[i];
      if (r.epochs.empty()) {
        std::printf("%-60s %10s\n", r.label.c_str(), failures[i].c_str());
        continue;
      }
      double sec = 0, mj = 0;
      for (const EpochResult& e : r.epochs) {
        sec += e.seconds;
        mj += e.energy_mj;
      }
      const auto n = static_cast<double>(r.epochs.size());
      std::printf("%-60s %9.2f%% %10.2f %12.3f\n", r.label.c_str(), r.final_test, sec / n, mj / n);
    }
    // In a comparison a diverging entry is a result, not an error.
    if (rc == kExitDiverged) rc = 0;
  }
  if (!o.csv.empty()) write_csv(o.csv, runs);
  if (!o.plot.empty()) plot(o.plot, runs);
  return rc;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 1) return run(demo_options(), true);
    const Options o = parse(argc, argv);
    if (o.help) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (o.list) {
      std::fputs(list_formats().c_str(), stdout);
      std::printf("\npresets (usable wherever a format spec is):\n%s", presets_help().c_str());
      std::printf("\nscaled recipes (--scaling RECIPE or +scaling=RECIPE in a spec):\n%s", scaling_help().c_str());
      return 0;
    }
    return run(o, false);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "softnum_train: error: %s\n", e.what());
    return kExitUsage;
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "softnum_train: error: %s\n", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "softnum_train: error: %s\n", e.what());
    return 1;
  }
}
