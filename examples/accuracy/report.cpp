// softnum_accuracy: result tables and progress (see report.hpp).
#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

namespace acc {

void Table::print() const {
  std::vector<std::size_t> w(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c) w[c] = columns[c].size();
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size() && c < w.size(); ++c) w[c] = std::max(w[c], r[c].size());
  }
  auto line = [&](const std::vector<std::string>& r) {
    std::string s;
    for (std::size_t c = 0; c < r.size() && c < w.size(); ++c) {
      s += r[c];
      if (c + 1 < r.size()) s += std::string(w[c] - r[c].size() + 2, ' ');
    }
    std::printf("%s\n", s.c_str());
  };
  std::printf("\n== %s\n", name.c_str());
  line(columns);
  for (const auto& r : rows) line(r);
  std::fflush(stdout);
}

void Table::write_csv(const std::string& path) const {
  std::ofstream f(path);
  if (!f) throw std::runtime_error("--csv: cannot write " + path);
  for (std::size_t c = 0; c < columns.size(); ++c) f << (c ? "," : "") << columns[c];
  f << "\n";
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) f << (c ? "," : "") << r[c];
    f << "\n";
  }
  if (!f) throw std::runtime_error("--csv: error writing " + path);
}

void Table::plot(const std::string& dir) const {
  for (std::size_t p = 0; p < plots.size(); ++p) {
    const PlotSpec& s = plots[p];
    const std::string stem =
        dir + "/" + name + (plots.size() > 1 ? "_" + std::to_string(p + 1) : "");
    auto col = [&](const std::string& n) {
      const auto it = std::find(columns.begin(), columns.end(), n);
      if (it == columns.end()) throw std::logic_error("plot: no column " + n + " in " + name);
      return static_cast<std::size_t>(it - columns.begin());
    };
    const std::size_t xc = col(s.x), yc = col(s.y);
    std::map<std::string, std::vector<std::pair<double, double>>> curves;
    std::vector<std::string> order;
    auto selected = [&](const std::vector<std::string>& r) {
      for (const auto& [c, v] : s.where) {
        if (r[col(c)] != v) return false;
      }
      return true;
    };
    auto point = [&](const std::string& key, const std::string& xs, const std::string& ys) {
      const double x = std::strtod(xs.c_str(), nullptr), y = std::strtod(ys.c_str(), nullptr);
      if (!std::isfinite(x) || !std::isfinite(y) || (s.logy && y <= 0) || (s.logx && x <= 0))
        return;
      if (!curves.count(key)) order.push_back(key);
      curves[key].emplace_back(x, y);
    };
    for (const auto& r : rows) {
      if (!selected(r)) continue;
      std::string key;
      for (const auto& sc : s.series) key += (key.empty() ? "" : " ") + r[col(sc)];
      point(key, r[xc], r[yc]);
    }
    for (const auto& extra : s.extra_y) {
      std::map<std::string, bool> seen;  // one point per (curve, x)
      for (const auto& r : rows) {
        if (!selected(r)) continue;
        const std::string key = r[col(s.series.at(0))] + " " + extra;
        if (!seen[key + "@" + r[xc]]) {
          seen[key + "@" + r[xc]] = true;
          point(key, r[xc], r[col(extra)]);
        }
      }
    }
    {
      std::ofstream d(stem + ".dat"), g(stem + ".gp");
      for (const auto& k : order) {
        d << "# " << k << "\n";
        for (const auto& [x, y] : curves[k]) d << x << " " << y << "\n";
        d << "\n\n";
      }
      g << "set terminal pngcairo size 900,560 noenhanced\nset output '" << stem << ".png'\n"
        << "set title '" << s.title << "'\nset xlabel '" << s.xlabel << "'\nset ylabel '"
        << s.ylabel << "'\n"
        << "set key outside right\nset grid\n";
      if (s.logx) g << "set logscale x\n";
      if (s.logy) g << "set logscale y\nset format y '%.0e'\n";
      g << "plot ";
      for (std::size_t i = 0; i < order.size(); ++i) {
        g << (i ? ", " : "") << "'" << stem << ".dat' index " << i << " with linespoints title '"
          << order[i] << "'";
      }
      g << "\n";
      if (!d || !g) throw std::runtime_error("--plot: cannot write into " + dir);
    }
    const std::string cmd = "gnuplot '" + stem + ".gp' 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      throw std::runtime_error(
          "--plot: gnuplot failed or is not installed (Debian: gnuplot-nox); the data is in " +
          stem + ".dat");
    }
    std::printf("plot written to %s.png\n", stem.c_str());
  }
}

std::string num(double v, int digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char b[64];
  std::snprintf(b, sizeof b, "%.*g", digits, v);
  return b;
}

std::string integer(long long v) { return std::to_string(v); }

Progress::Progress(bool enabled, std::string label, std::size_t total)
    : enabled_(enabled && total > 0), label_(std::move(label)), total_(total) {}

void Progress::tick(std::size_t steps) {
  done_ += steps;
  if (!enabled_) return;
  const int pct =
      static_cast<int>(100.0 * static_cast<double>(done_) / static_cast<double>(total_));
  if (pct == shown_) return;
  shown_ = pct;
  const int bar = pct / 4;
  std::fprintf(stderr, "\r%-12s [%-25s] %3d%%", label_.c_str(),
               std::string(static_cast<std::size_t>(bar), '#').c_str(), pct);
  std::fflush(stderr);
}

Progress::~Progress() {
  if (enabled_ && shown_ >= 0) std::fprintf(stderr, "\r%60s\r", "");
}

}  // namespace acc
