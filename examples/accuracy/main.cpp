// softnum_accuracy: how accurate is each format for each kernel? (docs/accuracy.md)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "experiments.hpp"
#include "format.hpp"

namespace {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const char* usage = R"(usage: softnum_accuracy [options]
  (no option)            the tour: format cards, 8/16/32-bit comparisons, the reproductions (~1 min)
  --list                 list experiments and formats
  --experiment NAME      run one experiment (see --list)
  --formats LIST         comma-separated formats or sets (8bit, 16bit, 32bit, all)
  --rounding LIST        nearest, stochastic or both (default both)
  --quick                smaller sizes (as the tour)
  --seed N               random seed (default 1)
  --csv FILE             write the results as CSV (several tables: FILE_<table>.csv)
  --plot DIR             write PNG plots with gnuplot into DIR (experiments that have plots)
  --progress auto|always|never   progress bar on stderr (auto: when stderr is a terminal)
  --help                 this text
)";

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t c = s.find(',', start);
    const std::string item =
        s.substr(start, c == std::string::npos ? std::string::npos : c - start);
    if (!item.empty()) out.push_back(item);
    if (c == std::string::npos) break;
    start = c + 1;
  }
  return out;
}

std::string format_names() {
  std::string s;
  for (const acc::Format& f : acc::all_formats()) s += (s.empty() ? "" : ", ") + f.name;
  return s + "; sets: 8bit, 16bit, 32bit, all";
}

std::string experiment_names() {
  std::string s;
  for (const acc::Experiment& e : acc::experiments())
    s += (s.empty() ? "" : ", ") + std::string(e.name);
  return s;
}

void list() {
  std::printf("experiments:\n");
  for (const acc::Experiment& e : acc::experiments()) std::printf("  %-12s %s\n", e.name, e.what);
  int width = 0;  // the longest format name sets the column
  for (const acc::Format& f : acc::all_formats())
    width = std::max(width, static_cast<int>(f.name.size()));
  for (const softnum::BlockFormatEntry& b : acc::block_formats())
    width = std::max(width, static_cast<int>(b.name.size()));
  std::printf("\nformats (bits, type):\n");
  for (const acc::Format& f : acc::all_formats())
    std::printf("  %-*s %2d  %s\n", width, f.name.c_str(), f.bits, f.type.c_str());
  std::printf(
      "\nblock-scaled formats (bits per value, type; not run: the kernels here are scalar; cards "
      "in docs/formats.md):\n");
  for (const softnum::BlockFormatEntry& b : acc::block_formats())
    std::printf("  %-*s %5.2f  %s\n", width, b.name.c_str(), b.bits_per_value, b.type.c_str());
  std::printf(
      "\nformat sets: 8bit = float8_e4m3fn, float8_e5m2, posit8, fixed4_4; 16bit = binary16, "
      "bfloat16, "
      "posit16, posit16_1, fixed8_8; 32bit = binary32, posit32, fixed16_16\n");
  std::printf("\nkernels (experiment: kernel):\n");
  for (const acc::Kernel& k : acc::kernels()) std::printf("  %-10s %s\n", k.group, k.name);
}

std::string csv_path(const std::string& file, const std::string& table, bool several) {
  if (!several) return file;
  const std::filesystem::path p(file);
  const std::string ext = p.has_extension() ? p.extension().string() : ".csv";
  return (p.parent_path() / (p.stem().string() + "_" + table + ext)).string();
}

int run(int argc, char** argv) {
  acc::Options o;
  std::string experiment, csv, plot_dir, progress = "auto";
  bool do_list = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw UsageError(a + ": missing value");
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::printf("%s", usage);
      return 0;
    } else if (a == "--list") {
      do_list = true;
    } else if (a == "--experiment") {
      experiment = value();
      if (acc::find_experiment(experiment) == nullptr) {
        throw UsageError("unknown experiment '" + experiment + "'; valid: " + experiment_names());
      }
    } else if (a == "--formats") {
      o.formats.clear();
      for (const std::string& n : split(value())) {
        std::vector<std::string> set;
        if (acc::format_set(n, set)) {
          for (const auto& s : set) o.formats.push_back(acc::find_format(s));
        } else if (const acc::Format* f = acc::find_format(n)) {
          o.formats.push_back(f);
        } else {
          throw UsageError("unknown format '" + n + "'; valid: " + format_names());
        }
      }
      if (o.formats.empty()) throw UsageError("--formats: empty list; valid: " + format_names());
    } else if (a == "--rounding") {
      const std::string r = value();
      if (r == "nearest") {
        o.modes = {softnum::Round::nearest_even};
      } else if (r == "stochastic") {
        o.modes = {softnum::Round::stochastic};
      } else if (r == "both") {
        o.modes = {softnum::Round::nearest_even, softnum::Round::stochastic};
      } else {
        throw UsageError("--rounding: unknown '" + r + "'; valid: nearest, stochastic, both");
      }
    } else if (a == "--quick") {
      o.quick = true;
    } else if (a == "--seed") {
      const std::string v = value();
      char* end = nullptr;
      const unsigned long long s = std::strtoull(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || v[0] == '-')
        throw UsageError("--seed: '" + v + "' is not a non-negative integer");
      o.seed = s;
    } else if (a == "--csv") {
      csv = value();
    } else if (a == "--plot") {
      plot_dir = value();
    } else if (a == "--progress") {
      progress = value();
      if (progress != "auto" && progress != "always" && progress != "never") {
        throw UsageError("--progress: unknown '" + progress + "'; valid: auto, always, never");
      }
    } else {
      throw UsageError("unknown option '" + a + "' (see --help)");
    }
  }
  o.progress = progress == "always" || (progress == "auto" && isatty(STDERR_FILENO));
  if (do_list) {
    list();
    return 0;
  }
  if (!plot_dir.empty()) std::filesystem::create_directories(plot_dir);

  const auto t0 = std::chrono::steady_clock::now();
  std::vector<acc::Table> tables;
  if (experiment.empty()) {
    tables = acc::run_tour(o);
  } else {
    tables = acc::find_experiment(experiment)->run(o);
    for (const acc::Table& t : tables) t.print();
  }
  for (const acc::Table& t : tables) {
    if (!csv.empty()) t.write_csv(csv_path(csv, t.name, tables.size() > 1));
    if (!plot_dir.empty()) t.plot(plot_dir);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("\n%s finished in %.1f s\n", experiment.empty() ? "tour" : experiment.c_str(), secs);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "softnum_accuracy: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "softnum_accuracy: error: %s\n", e.what());
    return 1;
  }
}
