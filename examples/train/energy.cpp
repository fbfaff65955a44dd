// softnum_train: the energy model (see energy.hpp for the source and the scaling rule).
#include "energy.hpp"

#include <algorithm>
#include <cmath>

namespace train {

namespace {

// E(n) = e32 * (n / 32)^alpha, alpha = log(e32 / e_small) / log(32 / small).
double law(double e_small, int small, double e32, int n) {
  const double alpha = std::log(e32 / e_small) / std::log(32.0 / small);
  return e32 * std::pow(n / 32.0, alpha);
}

bool integer_like(const Format& f) { return f.quire || f.family == softnum::FormatFamily::fixed; }

}  // namespace

double mul_pj(const Format& f) {
  return integer_like(f) ? law(0.2, 8, 3.1, f.bits) : law(1.1, 16, 3.7, f.bits);
}

double add_pj(const Format& f) {
  return integer_like(f) ? law(0.03, 8, 0.1, f.bits) : law(0.4, 16, 0.9, f.bits);
}

double mul_pj(const Format& a, const Format& b) { return std::max(mul_pj(a), mul_pj(b)); }

}  // namespace train
