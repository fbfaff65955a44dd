// softnum_accuracy: error measurement.
#pragma once

#include <cstddef>
#include <vector>

#include "format.hpp"

namespace acc {

/// |computed - exact| / |exact|. exact = 0: 0 if computed is 0, else +inf. A NaN or infinite
/// computed value (overflow, NaR) gives +inf.
double rel_error(double computed, double exact);

/// The q-quantile (0 < q <= 1) by the nearest-rank rule: the ceil(q n)-th smallest value (so the
/// median of an even count is the lower middle value). v is reordered. NaN if v is empty.
double quantile(std::vector<double>& v, double q);

/// The distance between adjacent values of the format at |x|: the gap between the largest value
/// <= |x| and the next one above it (at the top of the range, the gap below the largest value).
double ulp(const Format& f, double x);
/// |computed - exact| in units of ulp(f, exact).
double ulp_error(const Format& f, double computed, double exact);

/// One measurement: many (computed, exact) pairs.
struct ErrorStats {
  std::size_t count = 0;
  double median = 0, p99 = 0, max = 0;  // relative errors (inf when any result overflowed / is NaN)
  double overflow = 0;   // fraction of results that are not finite, or |exact| > the format's max
  double underflow = 0;  // fraction of results that are 0 while exact is not
};

class ErrorAccumulator {
 public:
  explicit ErrorAccumulator(const Format& f) : f_(&f) {}
  void add(double computed, double exact);
  /// A relative error computed by the caller (normwise errors); overflowed: the result was not
  /// finite.
  void add_relative(double error, bool overflowed);
  ErrorStats stats();

 private:
  const Format* f_;
  std::vector<double> errors_;
  std::size_t overflow_ = 0, underflow_ = 0;
};

}  // namespace acc
