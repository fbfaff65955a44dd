// softnum_accuracy: error measurement (see stats.hpp).
#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace acc {

double rel_error(double computed, double exact) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (!std::isfinite(computed)) return inf;
  if (exact == 0) return computed == 0 ? 0 : inf;
  return std::fabs(computed - exact) / std::fabs(exact);
}

double quantile(std::vector<double>& v, double q) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  auto it = v.begin() + static_cast<std::ptrdiff_t>(rank - 1);
  std::nth_element(v.begin(), it, v.end());
  return *it;
}

double ulp(const Format& f, double x) {
  const double a = std::fabs(x);
  const double below = f.round(a, Round::down, 0);
  const double above =
      f.round(std::nextafter(below, std::numeric_limits<double>::infinity()), Round::up, 0);
  if (f.is_finite(above) && above > below) return above - below;
  // At the top of the range: the gap below the largest value.
  const double under = f.round(std::nextafter(below, 0.0), Round::down, 0);
  return below - under;
}

double ulp_error(const Format& f, double computed, double exact) {
  return std::fabs(computed - exact) / ulp(f, exact);
}

void ErrorAccumulator::add(double computed, double exact) {
  errors_.push_back(rel_error(computed, exact));
  if (!f_->is_finite(computed) || std::fabs(exact) > f_->max) ++overflow_;
  if (computed == 0 && exact != 0) ++underflow_;
}

void ErrorAccumulator::add_relative(double error, bool overflowed) {
  errors_.push_back(error);
  if (overflowed) ++overflow_;
}

ErrorStats ErrorAccumulator::stats() {
  ErrorStats s;
  s.count = errors_.size();
  if (s.count == 0) return s;
  s.median = quantile(errors_, 0.5);
  s.p99 = quantile(errors_, 0.99);
  s.max = *std::max_element(errors_.begin(), errors_.end());
  s.overflow = static_cast<double>(overflow_) / static_cast<double>(s.count);
  s.underflow = static_cast<double>(underflow_) / static_cast<double>(s.count);
  return s;
}

}  // namespace acc
