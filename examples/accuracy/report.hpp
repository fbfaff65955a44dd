// softnum_accuracy: result tables (printed, written as CSV, plotted with gnuplot) and progress.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace acc {

/// A line plot of a table: one curve per distinct value of the series columns.
struct PlotSpec {
  std::string title, x, y;          // x and y: column names
  std::vector<std::string> series;  // columns whose values name a curve
  std::string xlabel, ylabel;
  bool logx = false, logy = false;
  std::vector<std::pair<std::string, std::string>> where;  // only rows with these column values
  std::vector<std::string> extra_y;  // more y columns, one curve each per value of series[0]
};

struct Table {
  std::string name;  // file stem for --csv / --plot
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<PlotSpec> plots;
  bool long_table = false;  // the tour prints only its size (the CSV and plot have it all)

  void add(std::vector<std::string> row) { rows.push_back(std::move(row)); }
  /// Aligned text on stdout.
  void print() const;
  void write_csv(const std::string& path) const;
  /// Writes dir/<name>[_i].png (+ .dat and .gp); throws if gnuplot fails.
  void plot(const std::string& dir) const;
};

/// Number formatting for tables.
std::string num(double v, int digits = 3);
std::string integer(long long v);

/// A one-line progress bar on stderr (only when enabled: stderr is a terminal).
class Progress {
 public:
  Progress(bool enabled, std::string label, std::size_t total);
  void tick(std::size_t steps = 1);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

 private:
  bool enabled_;
  std::string label_;
  std::size_t total_, done_ = 0;
  int shown_ = -1;
};

}  // namespace acc
