// softnum_accuracy: the kernel registry and the experiments.
#include "experiments.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>

#include "exact.hpp"
#include "kernels.hpp"

namespace acc {

const char* input_name(Input in) {
  switch (in) {
    case Input::uniform:
      return "uniform";
    case Input::normal:
      return "normal";
    case Input::loguniform:
      return "loguniform";
    case Input::adversarial:
      return "adversarial";
    case Input::well:
      return "well";
    case Input::ill:
      return "ill";
    case Input::none:
      return "-";
  }
  return "?";
}

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

const char* mode_name(Round m) { return m == Round::stochastic ? "stochastic" : "nearest"; }

/// Random inputs, rounded to nearest in the format (so the kernel and the reference see the same
/// values).
struct Gen {
  std::mt19937_64 rng;
  explicit Gen(std::uint64_t seed) : rng(seed) {}
  double uniform(double lo = 0, double hi = 1) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  }
  double normal() { return std::normal_distribution<double>(0, 1)(rng); }
  bool coin() { return (rng() & 1) != 0; }

  double draw(const Format& f, Input in) {
    switch (in) {
      case Input::uniform:
        return f.round(uniform(), Round::nearest_even, 0);
      case Input::loguniform: {
        const double e = uniform(std::log10(f.min_positive), std::log10(f.max));
        return f.round((coin() ? -1 : 1) * std::pow(10.0, e), Round::nearest_even, 0);
      }
      default:
        return f.round(normal(), Round::nearest_even, 0);
    }
  }
  /// n values; adversarial: pairs v, -v and one small term, shuffled (the exact sum is that term).
  std::vector<double> vector(const Format& f, Input in, std::size_t n) {
    std::vector<double> x(n);
    if (in == Input::adversarial) {
      const std::size_t m = (n - 1) / 2;
      for (std::size_t i = 0; i < m; ++i) {
        x[i] = draw(f, Input::normal);
        x[m + i] = -x[i];
      }
      for (std::size_t i = 2 * m; i < n; ++i)
        x[i] = f.round(0.01 * normal(), Round::nearest_even, 0);
      std::shuffle(x.begin(), x.end(), rng);
    } else {
      for (double& v : x) v = draw(f, in);
    }
    return x;
  }
  /// Two vectors; adversarial: products p, -p (same x, negated y) and one small product.
  void pair(const Format& f, Input in, std::size_t n, std::vector<double>& x,
            std::vector<double>& y) {
    if (in != Input::adversarial) {
      x = vector(f, in, n);
      y = vector(f, in, n);
      return;
    }
    x.assign(n, 0);
    y.assign(n, 0);
    const std::size_t m = (n - 1) / 2;
    for (std::size_t i = 0; i < m; ++i) {
      x[i] = x[m + i] = draw(f, Input::normal);
      y[i] = draw(f, Input::normal);
      y[m + i] = -y[i];
    }
    for (std::size_t i = 2 * m; i < n; ++i) {
      x[i] = f.round(0.1 * normal(), Round::nearest_even, 0);
      y[i] = f.round(0.1 * normal(), Round::nearest_even, 0);
    }
    std::vector<std::size_t> idx(n);
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
    std::shuffle(idx.begin(), idx.end(), rng);
    std::vector<double> xs(n), ys(n);
    for (std::size_t i = 0; i < n; ++i) {
      xs[i] = x[idx[i]];
      ys[i] = y[idx[i]];
    }
    x.swap(xs);
    y.swap(ys);
  }
};

constexpr std::size_t vec_n = 1000;

// Measurement functions of the kernel registry -------------------------------------------------
using SumFn = double (*)(Arith&, const double*, std::size_t);
template <SumFn fn>
void m_sum(const Format& f, Round mode, Input in, int trials, std::uint64_t seed,
           ErrorAccumulator& acc) {
  Gen g(seed);
  Arith a(f, mode, seed, 1);
  for (int t = 0; t < trials; ++t) {
    const std::vector<double> x = g.vector(f, in, vec_n);
    acc.add(fn(a, x.data(), x.size()), exact::sum(x.data(), x.size()));
  }
}
double sum_blocked32(Arith& a, const double* x, std::size_t n) { return sum_blocked(a, x, n, 32); }

using DotFn = double (*)(Arith&, const double*, const double*, std::size_t);
template <DotFn fn>
void m_dot(const Format& f, Round mode, Input in, int trials, std::uint64_t seed,
           ErrorAccumulator& acc) {
  Gen g(seed);
  Arith a(f, mode, seed, 2);
  std::vector<double> x, y;
  for (int t = 0; t < trials; ++t) {
    g.pair(f, in, vec_n, x, y);
    acc.add(fn(a, x.data(), y.data(), x.size()), exact::dot(x.data(), y.data(), x.size()));
  }
}

template <GemmModel model>
void m_gemm(const Format& f, Round mode, Input in, int trials, std::uint64_t seed,
            ErrorAccumulator& acc) {
  Gen g(seed);
  Arith a(f, mode, seed, 3);
  constexpr std::size_t M = 4, K = 256, N = 4;
  for (int t = 0; t < trials; ++t) {
    const std::vector<double> A = g.vector(f, in, M * K), B = g.vector(f, in, K * N);
    const std::vector<double> C =
        gemm(a, model, A, B, M, K, N, seed + static_cast<std::uint64_t>(t));
    std::vector<double> col(K);
    for (std::size_t i = 0; i < M; ++i) {
      for (std::size_t j = 0; j < N; ++j) {
        for (std::size_t k = 0; k < K; ++k) col[k] = B[k * N + j];
        acc.add(C[i * N + j], exact::dot(&A[i * K], col.data(), K));
      }
    }
  }
}

/// Well-conditioned: normal entries plus n on the diagonal. Ill-conditioned: the Hilbert matrix of
/// order 6 rounded to the format (kappa ~ 1.5e7), random right-hand sides. Normwise error.
void m_lu(const Format& f, Round mode, Input in, int trials, std::uint64_t seed,
          ErrorAccumulator& acc) {
  Gen g(seed);
  Arith a(f, mode, seed, 4);
  const std::size_t n = in == Input::ill ? 6 : 8;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> A(n * n), b(n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        const double v = in == Input::ill ? 1.0 / static_cast<double>(i + j + 1)
                                          : g.normal() + (i == j ? static_cast<double>(n) : 0.0);
        A[i * n + j] = f.round(v, Round::nearest_even, 0);
      }
      b[i] = g.draw(f, Input::normal);
    }
    std::vector<double> ref;
    try {
      ref = exact::solve(A, b, n);
    } catch (const std::runtime_error&) {
      acc.add_relative(inf,
                       false);  // the rounded matrix is singular: no solution to measure against
      continue;
    }
    const std::vector<double> x = lu_solve(a, A, b, n);
    double num = 0, den = 0;
    bool finite = true;
    for (std::size_t i = 0; i < n; ++i) {
      finite = finite && Format::is_finite(x[i]);
      num = std::max(num, std::fabs(x[i] - ref[i]));
      den = std::max(den, std::fabs(ref[i]));
    }
    acc.add_relative(finite ? num / den : inf, !finite);
  }
}

/// Degree-10 polynomials; adversarial: (x - 2)^6 expanded, near its root.
void m_horner(const Format& f, Round mode, Input in, int trials, std::uint64_t seed,
              ErrorAccumulator& acc) {
  Gen g(seed);
  Arith a(f, mode, seed, 5);
  for (int t = 0; t < trials; ++t) {
    std::vector<double> c;
    double x;
    if (in == Input::adversarial) {
      c = {64, -192, 240, -160, 60, -12, 1};
      for (double& v : c) v = f.round(v, Round::nearest_even, 0);
      x = f.round(g.uniform(1.9, 2.1), Round::nearest_even, 0);
    } else {
      c.resize(11);
      for (double& v : c)
        v = in == Input::uniform ? f.round(g.uniform(-1, 1), Round::nearest_even, 0)
                                 : g.draw(f, in);
      x = f.round(in == Input::uniform ? g.uniform(-1, 1) : 0.5 * g.normal(), Round::nearest_even,
                  0);
    }
    acc.add(horner(a, c.data(), c.size(), x), exact::horner(c.data(), c.size(), x));
  }
}

/// Vectors of 32 logits: uniform in [-8, 8] or normal with sigma 3. Error per output element.
void m_softmax(const Format& f, Round mode, Input in, int trials, std::uint64_t seed,
               ErrorAccumulator& acc) {
  Gen g(seed);
  Arith a(f, mode, seed, 6);
  for (int t = 0; t < trials; ++t) {
    std::vector<double> x(32);
    for (double& v : x) {
      v = f.round(in == Input::uniform ? g.uniform(-8, 8) : 3 * g.normal(), Round::nearest_even, 0);
    }
    const std::vector<double> y = softmax(a, x), ref = exact::softmax(x);
    for (std::size_t i = 0; i < x.size(); ++i) acc.add(y[i], ref[i]);
  }
}

/// exp on [-4, 4], log on (0, max] log-uniformly, tanh on N(0, 2).
template <exact::Fn fn>
void m_elem(const Format& f, Round mode, Input, int trials, std::uint64_t seed,
            ErrorAccumulator& acc) {
  Gen g(seed);
  Arith a(f, mode, seed, 7);
  for (int t = 0; t < trials; ++t) {
    double x = 0;
    switch (fn) {
      case exact::Fn::exp:
        x = f.round(g.uniform(-4, 4), Round::nearest_even, 0);
        break;
      case exact::Fn::log:
        x = std::fabs(g.draw(f, Input::loguniform));
        break;
      case exact::Fn::tanh:
        x = f.round(2 * g.normal(), Round::nearest_even, 0);
        break;
    }
    if (x == 0 && fn == exact::Fn::log) continue;
    acc.add(elementary(a, fn, x), exact::fn(fn, x));
  }
}

const std::vector<Input> vec_inputs = {Input::uniform, Input::normal, Input::loguniform,
                                       Input::adversarial};

}  // namespace

const std::vector<Kernel>& kernels() {
  using I = Input;
  // One line per kernel: name, experiment, inputs, measurement, trials (full run), posits only.
  static const std::vector<Kernel> k = {
      {"sum_naive", "sum", vec_inputs, &m_sum<&sum_naive>, 200, false},
      {"sum_pairwise", "sum", vec_inputs, &m_sum<&sum_pairwise>, 200, false},
      {"sum_kahan", "sum", vec_inputs, &m_sum<&sum_kahan>, 200, false},
      {"sum_blocked32", "sum", vec_inputs, &m_sum<&sum_blocked32>, 200, false},
      {"dot_plain", "dot", vec_inputs, &m_dot<&dot_plain>, 200, false},
      {"dot_fma", "dot", vec_inputs, &m_dot<&dot_fma>, 200, false},
      {"dot_dot2", "dot", vec_inputs, &m_dot<&dot_dot2>, 200, false},
      {"dot_quire", "dot", vec_inputs, &m_dot<&dot_quire>, 200, true},
      {"dot_expansion", "dot", vec_inputs, &m_dot<&dot_expansion>, 200, false, true},
      {"gemm_per_op", "gemm", {I::uniform, I::normal}, &m_gemm<GemmModel::per_op>, 16, false},
      {"gemm_fp32_acc",
       "gemm",
       {I::uniform, I::normal},
       &m_gemm<GemmModel::fp32_accumulate>,
       16,
       false},
      {"gemm_chunked32", "gemm", {I::uniform, I::normal}, &m_gemm<GemmModel::chunked>, 16, false},
      {"lu_solve", "lu", {I::well, I::ill}, &m_lu, 200, false},
      {"horner", "horner", {I::uniform, I::normal, I::adversarial}, &m_horner, 400, false},
      {"softmax", "softmax", {I::uniform, I::normal}, &m_softmax, 100, false},
      {"exp", "elementary", {I::none}, &m_elem<exact::Fn::exp>, 2000, false},
      {"log", "elementary", {I::none}, &m_elem<exact::Fn::log>, 2000, false},
      {"tanh", "elementary", {I::none}, &m_elem<exact::Fn::tanh>, 2000, false},
  };
  return k;
}

namespace {

std::vector<const Format*> pick(const Options& o, const std::vector<std::string>& defaults) {
  if (!o.formats.empty()) return o.formats;
  std::vector<const Format*> out;
  for (const auto& n : defaults) out.push_back(find_format(n));
  return out;
}

/// The formats of the three equal-width comparisons (not "all": a format added to the registry
/// is measured when named, and does not change the default tables).
std::vector<std::string> equal_width_defaults() {
  std::vector<std::string> all, set;
  for (const char* name : {"8bit", "16bit", "32bit"}) {
    format_set(name, set);
    all.insert(all.end(), set.begin(), set.end());
  }
  return all;
}

int scaled(const Options& o, int trials) { return o.quick ? std::max(4, trials / 2) : trials; }

ErrorStats measure(const Kernel& k, const Format& f, Round mode, Input in, const Options& o) {
  ErrorAccumulator acc(f);
  k.measure(f, mode, in, scaled(o, k.trials), o.seed, acc);
  return acc.stats();
}

const std::vector<std::string> kernel_columns = {"format",   "rounding", "kernel", "input",
                                                 "count",    "median",   "p99",    "max",
                                                 "overflow", "underflow"};

/// Every kernel of a group (or all groups with group == nullptr).
std::vector<Table> run_group(const Options& o, const char* group, const char* table_name) {
  Table t{table_name, kernel_columns, {}, {}};
  const auto formats = pick(o, equal_width_defaults());
  std::size_t total = 0;
  for (const Kernel& k : kernels()) {
    if (group == nullptr || std::string(k.group) == group) total += k.inputs.size();
  }
  Progress bar(o.progress, table_name, total * formats.size() * o.modes.size());
  for (const Kernel& k : kernels()) {
    if (group != nullptr && std::string(k.group) != group) continue;
    for (const Format* f : formats) {
      for (Round mode : o.modes) {
        for (Input in : k.inputs) {
          bar.tick();
          if (k.needs_quire && f->quire_dot == nullptr) continue;
          if (k.needs_expansion && (f->expansion_dot == nullptr || mode != Round::nearest_even))
            continue;
          const ErrorStats s = measure(k, *f, mode, in, o);
          t.add({f->name, mode_name(mode), k.name, input_name(in),
                 integer(static_cast<long long>(s.count)), num(s.median), num(s.p99), num(s.max),
                 num(s.overflow), num(s.underflow)});
        }
      }
    }
  }
  return {t};
}

std::vector<Table> run_sum(const Options& o) { return run_group(o, "sum", "sum"); }
std::vector<Table> run_dot(const Options& o) { return run_group(o, "dot", "dot"); }
std::vector<Table> run_gemm(const Options& o) { return run_group(o, "gemm", "gemm"); }
std::vector<Table> run_lu(const Options& o) { return run_group(o, "lu", "lu"); }
std::vector<Table> run_horner(const Options& o) { return run_group(o, "horner", "horner"); }
std::vector<Table> run_softmax(const Options& o) { return run_group(o, "softmax", "softmax"); }
std::vector<Table> run_elementary(const Options& o) {
  return run_group(o, "elementary", "elementary");
}
std::vector<Table> run_kernels(const Options& o) { return run_group(o, nullptr, "kernels"); }

// cards ------------------------------------------------------------------------------------------
std::vector<Table> run_cards(const Options& o) {
  Table t{"cards",
          {"format", "type", "bits", "decades", "digits_at_1", "epsilon", "min_pos", "min_normal",
           "max", "nan_codes", "inf_codes"},
          {},
          {}};
  for (const Format* f : pick(o, equal_width_defaults())) {
    t.add({f->name, "\"" + f->type + "\"", integer(f->bits),
           num(std::log10(f->max / f->min_positive), 4), num(-std::log10(f->epsilon / 2), 3),
           num(f->epsilon, 6), num(f->min_positive, 6), num(f->min_normal, 6), num(f->max, 8),
           num(f->nan_fraction, 4), num(f->inf_fraction, 4)});
  }
  return {t};
}

// compare: one row per format and rounding, the median error of a representative set ------------
std::vector<Table> run_compare(const Options& o) {
  struct Col {
    const char* kernel;
    Input in;
  };
  const std::vector<Col> cols = {{"sum_naive", Input::uniform},
                                 {"sum_kahan", Input::uniform},
                                 {"dot_plain", Input::normal},
                                 {"dot_fma", Input::normal},
                                 {"dot_quire", Input::normal},
                                 {"dot_expansion", Input::normal},
                                 {"dot_dot2", Input::normal},
                                 {"gemm_per_op", Input::normal},
                                 {"gemm_fp32_acc", Input::normal},
                                 {"lu_solve", Input::well},
                                 {"horner", Input::uniform},
                                 {"softmax", Input::normal},
                                 {"exp", Input::none}};
  Table t{"compare", {"format", "rounding"}, {}, {}};
  for (const Col& c : cols) t.columns.push_back(std::string(c.kernel) + "/" + input_name(c.in));
  const auto formats = pick(o, equal_width_defaults());
  Progress bar(o.progress, "compare", formats.size() * o.modes.size() * cols.size());
  for (const Format* f : formats) {
    for (Round mode : o.modes) {
      std::vector<std::string> row = {f->name, mode_name(mode)};
      for (const Col& c : cols) {
        bar.tick();
        const Kernel* k = nullptr;
        for (const Kernel& kk : kernels()) {
          if (std::string(kk.name) == c.kernel) k = &kk;
        }
        if ((k->needs_quire && f->quire_dot == nullptr) ||
            (k->needs_expansion && (f->expansion_dot == nullptr || mode != Round::nearest_even))) {
          row.push_back("-");
          continue;
        }
        row.push_back(num(measure(*k, *f, mode, c.in, o).median, 2));
      }
      t.add(row);
    }
  }
  return {t};
}

// harmonic --------------------------------------------------------------------------------------
std::vector<Table> run_harmonic(const Options& o) {
  Table t{"harmonic",
          {"format", "rounding", "terms", "stagnation_n", "value", "exact", "spread", "published_n",
           "published_value"},
          {},
          {}};
  t.plots.push_back({"harmonic sum with stochastic rounding: mean relative error vs terms",
                     "terms",
                     "rel_error",
                     {"format"},
                     "terms",
                     "|mean - exact| / exact",
                     true,
                     true,
                     {},
                     {}});
  t.columns.insert(t.columns.end(), {"rel_error", "runs", "z"});
  const auto formats = pick(o, {"binary16", "bfloat16", "float8_e4m3fn", "float8_e5m2"});
  // Higham, "Half Precision Arithmetic: fp16 Versus bfloat16" (blog, 2018), as quoted by Kloewer,
  // "The harmonic sum with posits" (2019): fp16 stagnates after 513 terms at 7.0859, bfloat16
  // after 65 terms at 5.0625.
  const std::map<std::string, std::pair<std::string, std::string>> published = {
      {"binary16", {"513", "7.0859"}}, {"bfloat16", {"65", "5.0625"}}};
  // The same work per format: up to 10^7 terms x 10 runs, or for formats of <= 8 bits (whose
  // stochastic sums spread widely) up to 10^6 terms x 100 runs, so that the standard error of
  // their mean is small enough to test for bias. The tour stops one decade earlier.
  std::vector<long> all_checkpoints = {1000, 10000, 100000, 1000000, 10000000};
  if (o.quick) all_checkpoints.pop_back();
  const bool any_sr = std::find(o.modes.begin(), o.modes.end(), Round::stochastic) != o.modes.end();
  // The exact partial sums (10^7 MPFR additions in a full run): only when stochastic rows need
  // them.
  const std::vector<double> exact_all =
      any_sr ? exact::harmonic(all_checkpoints) : std::vector<double>{};
  Progress bar(o.progress, "harmonic", formats.size() * 2);
  for (const Format* f : formats) {
    const bool narrow = f->bits <= 8;
    const std::size_t n_checkpoints = all_checkpoints.size() - (narrow ? 1 : 0);
    const std::vector<long> checkpoints(
        all_checkpoints.begin(),
        all_checkpoints.begin() + static_cast<std::ptrdiff_t>(n_checkpoints));
    const int reps = narrow ? 100 : 10;
    const bool want_rn =
        std::find(o.modes.begin(), o.modes.end(), Round::nearest_even) != o.modes.end();
    const bool want_sr =
        std::find(o.modes.begin(), o.modes.end(), Round::stochastic) != o.modes.end();
    // Round to nearest: s = fl(s + fl(1/k)) until a term leaves s unchanged.
    if (want_rn) {
      Arith a(*f, Round::nearest_even, o.seed);
      double s = 0;
      long k = 1;
      for (;; ++k) {
        const double next = a.add(s, a.div(1, static_cast<double>(k)));
        if (next == s || k >= 100000000) break;
        s = next;
      }
      const auto p = published.count(f->name) ? published.at(f->name)
                                              : std::pair<std::string, std::string>{"-", "-"};
      const double ex = exact::harmonic({k})[0];
      t.add({f->name, "nearest", integer(k), integer(k), num(s, 6), num(ex, 6), "0", p.first,
             p.second, num(rel_error(s, ex), 3), "1", "-"});
      bar.tick();
    }
    // Stochastic rounding: mean and standard deviation over reps runs at each checkpoint; z is
    // (mean - exact) / (sd / sqrt(reps)), about N(0, 1) if stochastic rounding is unbiased.
    if (!want_sr) continue;
    std::vector<std::vector<double>> at(checkpoints.size());
    for (int r = 0; r < reps; ++r) {
      Arith a(*f, Round::stochastic, o.seed, 100 + static_cast<std::uint64_t>(r));
      double s = 0;
      std::size_t c = 0;
      for (long k = 1; k <= checkpoints.back(); ++k) {
        s = a.add(s, a.div(1, static_cast<double>(k)));
        if (k == checkpoints[c]) at[c++].push_back(s);
      }
    }
    bar.tick();
    for (std::size_t c = 0; c < checkpoints.size(); ++c) {
      double mean = 0, var = 0;
      for (double v : at[c]) mean += v;
      mean /= static_cast<double>(at[c].size());
      for (double v : at[c]) var += (v - mean) * (v - mean);
      const double sd =
          std::sqrt(var / static_cast<double>(at[c].size() > 1 ? at[c].size() - 1 : 1));
      const double z =
          sd > 0 ? (mean - exact_all[c]) / (sd / std::sqrt(static_cast<double>(reps))) : 0.0;
      t.add({f->name, "stochastic", integer(checkpoints[c]), "-", num(mean, 6),
             num(exact_all[c], 6), num(sd, 3), "-", "-", num(rel_error(mean, exact_all[c]), 3),
             integer(reps), num(z, 2)});
    }
  }
  return {t};
}

// growth: error of recursive summation and inner products with n -------------------------------
std::vector<Table> run_growth(const Options& o) {
  Table t{"growth",
          {"format", "kernel", "method", "n", "mean_rel_error", "max_rel_error", "bound_nu",
           "bound_sqrtnu"},
          {},
          {}};
  for (const char* kernel : {"sum", "dot"}) {
    for (const char* format : {"binary16", "bfloat16"}) {
      PlotSpec p;
      p.title = std::string(kernel) + " of n U(0,1) values in " + format + ": mean relative error";
      p.x = "n";
      p.y = "mean_rel_error";
      p.series = {"format", "method"};
      p.xlabel = "n";
      p.ylabel = "relative error";
      p.logx = p.logy = true;
      p.where = {{"kernel", kernel}, {"format", format}};
      p.extra_y = {"bound_nu", "bound_sqrtnu"};
      t.plots.push_back(p);
    }
  }
  const auto formats = pick(o, {"binary16", "bfloat16"});
  const int max_log = o.quick ? 16 : 20;
  const int reps = o.quick ? 3 : 10;
  struct Method {
    const char* name;
    Round mode;
    int kind;  // 0 naive/plain, 1 blocked 32, 2 pairwise
  };
  const std::vector<Method> methods = {{"RN", Round::nearest_even, 0},
                                       {"SR", Round::stochastic, 0},
                                       {"RN_blocked32", Round::nearest_even, 1},
                                       {"RN_pairwise", Round::nearest_even, 2}};
  Progress bar(o.progress, "growth", formats.size() * static_cast<std::size_t>(max_log - 5) * 2);
  for (const Format* f : formats) {
    const double u = f->epsilon / 2;
    for (int kernel = 0; kernel < 2; ++kernel) {
      for (int lg = 6; lg <= max_log; lg += o.quick ? 2 : 1) {
        bar.tick();
        const auto n = std::size_t{1} << lg;
        // Stop before the expected sum (n / 2) nears the largest finite value: beyond it the
        // experiment measures overflow, not rounding error (binary16: n <= 2^16).
        if (static_cast<double>(n) / 2 > f->max / 1.5) continue;
        std::vector<double> sum_err(methods.size(), 0), max_err(methods.size(), 0);
        Gen g(o.seed + static_cast<std::uint64_t>(lg));
        for (int r = 0; r < reps; ++r) {
          std::vector<double> x = g.vector(*f, Input::uniform, n), y;
          if (kernel == 1) y = g.vector(*f, Input::uniform, n);
          const double ref =
              kernel == 0 ? exact::sum(x.data(), n) : exact::dot(x.data(), y.data(), n);
          for (std::size_t m = 0; m < methods.size(); ++m) {
            Arith a(*f, methods[m].mode, o.seed, static_cast<std::uint64_t>(lg * 100 + r));
            double v = 0;
            if (kernel == 0) {
              v = methods[m].kind == 0   ? sum_naive(a, x.data(), n)
                  : methods[m].kind == 1 ? sum_blocked(a, x.data(), n, 32)
                                         : sum_pairwise(a, x.data(), n);
            } else {
              if (methods[m].kind == 2) continue;  // no pairwise dot product
              std::vector<double> p(n);
              if (methods[m].kind == 0) {
                v = dot_fma(a, x.data(), y.data(), n);
              } else {
                double s = 0;
                for (std::size_t i = 0; i < n; i += 32)
                  s = a.add(
                      s, dot_fma(a, x.data() + i, y.data() + i, std::min<std::size_t>(32, n - i)));
                v = s;
              }
            }
            const double e = rel_error(v, ref);
            sum_err[m] += e;
            max_err[m] = std::max(max_err[m], e);
          }
        }
        for (std::size_t m = 0; m < methods.size(); ++m) {
          if (kernel == 1 && methods[m].kind == 2) continue;
          const double nn = static_cast<double>(n);
          t.add({f->name, kernel == 0 ? "sum" : "dot", methods[m].name,
                 integer(static_cast<long long>(n)), num(sum_err[m] / reps), num(max_err[m]),
                 num(nn * u), num(std::sqrt(nn) * u)});
        }
      }
    }
  }
  return {t};
}

// decimal: decimal accuracy across the dynamic range (Gustafson and Yonemoto 2017) ----------------
std::vector<Table> run_decimal(const Options& o) {
  Table t{"decimal", {"format", "decade", "mean_decimals", "min_decimals"}, {}, {}};
  t.plots.push_back({"decimal accuracy of rounding to nearest, per decade",
                     "decade",
                     "mean_decimals",
                     {"format"},
                     "log10 |x|",
                     "decimals: -log10 |log10(round(x) / x)|",
                     false,
                     false,
                     {},
                     {}});
  t.long_table = true;
  Table w{"decimal_summary",
          {"format", "peak_decimals", "decades_with_1_decimal", "from", "to"},
          {},
          {}};
  const auto formats = pick(o, {"binary16", "posit16", "posit16_1", "bfloat16", "float8_e4m3fn",
                                "float8_e5m2", "posit8", "binary32", "posit32"});
  const int samples = o.quick ? 300 : 3000;
  Gen g(o.seed);
  for (const Format* f : formats) {
    const int lo = static_cast<int>(std::floor(std::log10(f->min_positive))) - 1;
    const int hi = static_cast<int>(std::ceil(std::log10(f->max))) + 1;
    double peak = 0;
    int first = 0, last = 0, good = 0;
    for (int d = lo; d <= hi; ++d) {
      double sum = 0, mn = inf;
      for (int s = 0; s < samples; ++s) {
        const double x = std::pow(10.0, d + g.uniform());
        const double y = f->round(x, Round::nearest_even, 0);
        double acc = 0;
        if (y > 0 && Format::is_finite(y)) {
          const double r = std::fabs(std::log10(y / x));
          acc = r == 0 ? 17.0
                       : std::max(0.0, -std::log10(r));  // exact: capped at binary64's 17 digits
        }
        sum += acc;
        mn = std::min(mn, acc);
      }
      const double mean = sum / samples;
      t.add({f->name, integer(d), num(mean, 3), num(mn, 3)});
      peak = std::max(peak, mean);
      if (mean >= 1) {
        if (good == 0) first = d;
        last = d;
        ++good;
      }
    }
    w.add({f->name, num(peak, 3), integer(good), good ? "1e" + integer(first) : "-",
           good ? "1e" + integer(last + 1) : "-"});
  }
  // Where a posit is at least as precise as the float of its width: binades [2^e, 2^(e+1)) in
  // which its spacing ulp(2^e) is < (finer) or <= (as fine) the float's. Exact, from the spacing.
  Table c{"decimal_crossover",
          {"posit", "float", "posit_finer_from", "posit_finer_to", "posit_as_fine_from",
           "posit_as_fine_to"},
          {},
          {}};
  const std::vector<std::pair<const char*, const char*>> pairs = {{"posit8", "float8_e4m3fn"},
                                                                  {"posit16", "binary16"},
                                                                  {"posit16_1", "binary16"},
                                                                  {"posit32", "binary32"}};
  for (const auto& [pn, fn] : pairs) {
    const Format *p = find_format(pn), *f = find_format(fn);
    // The contiguous run of binades around 1 where the condition holds (floats' subnormal range,
    // where posits are finer again, is left out).
    auto window = [&](bool strict, int& lo, int& hi) {
      auto holds = [&](int e) {
        const double x = std::ldexp(1.0, e);
        if (x > p->max || x > f->max || x < p->min_positive || x < f->min_positive) return false;
        const double up = ulp(*p, x), uf = ulp(*f, x);
        return strict ? up < uf : up <= uf;
      };
      lo = 0;
      hi = -1;
      if (!holds(0)) return;
      hi = 0;
      while (holds(lo - 1)) --lo;
      while (holds(hi + 1)) ++hi;
    };
    int finer_lo, finer_hi, eq_lo, eq_hi;
    window(true, finer_lo, finer_hi);
    window(false, eq_lo, eq_hi);
    auto p2 = [](int e) { return "2^" + integer(e) + " (" + num(std::ldexp(1.0, e), 3) + ")"; };
    c.add({pn, fn, finer_hi >= finer_lo ? p2(finer_lo) : "-",
           finer_hi >= finer_lo ? p2(finer_hi + 1) : "-", eq_hi >= eq_lo ? p2(eq_lo) : "-",
           eq_hi >= eq_lo ? p2(eq_hi + 1) : "-"});
  }
  return {t, w, c};
}

// quire: cancellation-heavy dot products, posits (quire) against floats of the same width --------
std::vector<Table> run_quire(const Options& o) {
  Table t{"quire",
          {"format", "kernel", "n", "median", "p99", "max", "max_ulp", "correctly_rounded"},
          {},
          {}};
  const auto formats =
      pick(o, {"float8_e4m3fn", "posit8", "binary16", "posit16", "binary32", "posit32"});
  const int trials = o.quick ? 50 : 400;
  const std::vector<std::pair<const char*, DotFn>> fns = {{"dot_plain", &dot_plain},
                                                          {"dot_fma", &dot_fma},
                                                          {"dot_dot2", &dot_dot2},
                                                          {"dot_expansion", &dot_expansion},
                                                          {"dot_quire", &dot_quire}};
  for (const Format* f : formats) {
    for (const auto& [name, fn] : fns) {
      if (fn == &dot_quire && f->quire_dot == nullptr) continue;
      if (fn == &dot_expansion && f->expansion_dot == nullptr) continue;
      Gen g(o.seed);
      Arith a(*f, Round::nearest_even, o.seed);
      ErrorAccumulator acc(*f);
      double max_ulp = 0;
      int exact_rounded = 0;
      std::vector<double> x, y;
      for (int r = 0; r < trials; ++r) {
        g.pair(*f, Input::adversarial, 101, x, y);
        const double ref = exact::dot(x.data(), y.data(), x.size());
        const double v = fn(a, x.data(), y.data(), x.size());
        acc.add(v, ref);
        max_ulp = std::max(max_ulp, ulp_error(*f, v, ref));
        exact_rounded += v == f->round(ref, Round::nearest_even, 0) ? 1 : 0;
      }
      const ErrorStats s = acc.stats();
      t.add({f->name, name, "101", num(s.median), num(s.p99), num(s.max), num(max_ulp),
             integer(exact_rounded) + "/" + integer(trials)});
    }
  }
  return {t};
}

// traps: Rump's example and Muller's recurrence -------------------------------------------------
std::vector<Table> run_traps(const Options& o) {
  Table t{"traps",
          {"format", "rounding", "problem", "ours", "exact", "rel_error", "published"},
          {},
          {}};
  const auto formats = pick(o, equal_width_defaults());
  const double rump_exact = exact::rump();
  for (const Format* f : formats) {
    for (Round mode : o.modes) {
      Arith a(*f, mode, o.seed, 9);
      auto c = [&](double v) { return a.round(v); };
      // Rump (1988): f(a, b) = 333.75 b^6 + a^2 (11 a^2 b^2 - b^6 - 121 b^4 - 2) + 5.5 b^8 + a /
      // (2b).
      const double ra = c(77617), rb = c(33096);
      const double b2 = a.mul(rb, rb), b4 = a.mul(b2, b2), b6 = a.mul(b4, b2), b8 = a.mul(b4, b4),
                   a2 = a.mul(ra, ra);
      double inner = a.mul(a.mul(c(11), a2), b2);
      inner = a.sub(a.sub(a.sub(inner, b6), a.mul(c(121), b4)), c(2));
      double r = a.mul(c(333.75), b6);
      r = a.add(r, a.mul(a2, inner));
      r = a.add(r, a.mul(c(5.5), b8));
      r = a.add(r, a.div(ra, a.mul(c(2), rb)));
      t.add({f->name, mode_name(mode), "rump", num(r, 8), num(rump_exact, 10),
             num(rel_error(r, rump_exact)),
             "1.172603 (Rump 1988, IBM S/370 single, double, extended)"});
      // Muller: x0 = 2, x1 = -4, x_{k+1} = 111 - 1130 / x_k + 3000 / (x_k x_{k-1}); exact limit 6.
      double x0 = c(2), x1 = c(-4);
      for (int k = 1; k < 30; ++k) {
        const double x2 = a.add(a.sub(c(111), a.div(c(1130), x1)), a.div(c(3000), a.mul(x1, x0)));
        x0 = x1;
        x1 = x2;
        if (k + 1 == 10 || k + 1 == 30) {
          const double ex = exact::muller(k + 1);
          t.add({f->name, mode_name(mode), "muller_x" + integer(k + 1), num(x1, 8), num(ex, 10),
                 num(rel_error(x1, ex)),
                 "100 in every binary precision (Muller et al., Handbook of FP arithmetic)"});
        }
      }
    }
  }
  return {t};
}

}  // namespace

const std::vector<Experiment>& experiments() {
  // One line per experiment.
  static const std::vector<Experiment> e = {
      {"cards",
       "format cards: bits, range in decades, digits at 1, epsilon, min/max, NaN/inf codes",
       &run_cards},
      {"compare",
       "equal-width comparison: median relative error of representative kernels (use --formats "
       "8bit|16bit|32bit)",
       &run_compare},
      {"sum", "naive, pairwise, Kahan and blocked sums over 4 input distributions", &run_sum},
      {"dot", "dot products: plain, exact-product (fma), Dot2 expansion, quire", &run_dot},
      {"gemm", "softnum::gemm_reference: per-op, fp32 accumulation, chunked (32)", &run_gemm},
      {"lu", "LU solve (partial pivoting), well- and ill-conditioned (Hilbert 6)", &run_lu},
      {"horner", "Horner evaluation, incl. (x-2)^6 near its root", &run_horner},
      {"softmax", "softmax of 32 logits", &run_softmax},
      {"elementary", "exp, log, tanh (binary64 evaluation rounded once)", &run_elementary},
      {"kernels", "all kernel experiments (sum ... elementary)", &run_kernels},
      {"harmonic",
       "reproduction: harmonic series stagnation (RN) and SR mean (Higham; Connolly, Higham, Mary)",
       &run_harmonic},
      {"growth",
       "reproduction: error growth with n, RN vs SR vs blocked vs pairwise, against n u and "
       "sqrt(n) u",
       &run_growth},
      {"decimal",
       "reproduction: decimal accuracy across the dynamic range (Gustafson and Yonemoto 2017)",
       &run_decimal},
      {"quire", "reproduction: quire vs float dot products under heavy cancellation", &run_quire},
      {"traps", "reproduction: Rump's example, Muller's recurrence", &run_traps},
  };
  return e;
}

const Experiment* find_experiment(const std::string& name) {
  for (const Experiment& x : experiments()) {
    if (name == x.name) return &x;
  }
  return nullptr;
}

std::vector<Table> run_tour(Options o) {
  o.quick = true;
  std::vector<Table> out;
  auto take = [&](std::vector<Table> ts, const std::string& suffix) {
    for (Table& t : ts) {
      if (!suffix.empty()) t.name += "_" + suffix;
      if (t.long_table) {
        std::printf("\n== %s: %zu rows (see --csv / --plot, or --experiment)\n", t.name.c_str(),
                    t.rows.size());
      } else {
        t.print();
      }
      out.push_back(std::move(t));
    }
  };
  const bool chosen = !o.formats.empty();
  take(run_cards(o), "");
  if (chosen) {
    take(run_compare(o), "");
  } else {
    for (const char* set : {"8bit", "16bit", "32bit"}) {
      Options s = o;
      std::vector<std::string> names;
      format_set(set, names);
      for (const auto& n : names) s.formats.push_back(find_format(n));
      take(run_compare(s), set);
    }
  }
  Options r = o;
  r.formats.clear();
  take(run_harmonic(r), "");
  take(run_growth(r), "");
  take(run_decimal(r), "");
  take(run_quire(r), "");
  take(run_traps(o), "");
  return out;
}

}  // namespace acc
