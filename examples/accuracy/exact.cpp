// softnum_accuracy: exact references with MPFR (see exact.hpp).
#include "exact.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <mpfr.h>

namespace acc::exact {
namespace {

/// An mpfr_t with RAII.
struct Mp {
  mpfr_t v;
  explicit Mp(mpfr_prec_t prec = 512) { mpfr_init2(v, prec); }
  Mp(Mp&& o) noexcept {
    mpfr_init2(v, mpfr_get_prec(o.v));
    mpfr_swap(v, o.v);
  }
  Mp(const Mp&) = delete;
  Mp& operator=(Mp&&) = delete;
  Mp& operator=(const Mp&) = delete;
  ~Mp() { mpfr_clear(v); }
  double get() const { return mpfr_get_d(v, MPFR_RNDN); }
};

double sum_of(std::vector<Mp>& terms) {
  std::vector<mpfr_ptr> p(terms.size());
  for (std::size_t i = 0; i < terms.size(); ++i) p[i] = terms[i].v;
  Mp s(53);
  mpfr_sum(s.v, p.data(), static_cast<unsigned long>(p.size()),
           MPFR_RNDN);  // exact, then rounded once
  return s.get();
}

}  // namespace

double sum(const double* x, std::size_t n) {
  std::vector<Mp> t;
  t.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    t.emplace_back(53);
    mpfr_set_d(t.back().v, x[i], MPFR_RNDN);
  }
  return sum_of(t);
}

double dot(const double* a, const double* b, std::size_t n) {
  std::vector<Mp> t;
  t.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    t.emplace_back(106);  // a product of two binary64 values is exact in 106 bits
    mpfr_set_d(t.back().v, a[i], MPFR_RNDN);
    mpfr_mul_d(t.back().v, t.back().v, b[i], MPFR_RNDN);
  }
  return sum_of(t);
}

std::vector<double> solve(const std::vector<double>& A, const std::vector<double>& b,
                          std::size_t n) {
  std::vector<Mp> m(n * (n + 1));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) mpfr_set_d(m[i * (n + 1) + j].v, A[i * n + j], MPFR_RNDN);
    mpfr_set_d(m[i * (n + 1) + n].v, b[i], MPFR_RNDN);
  }
  auto at = [&](std::size_t i, std::size_t j) -> mpfr_ptr { return m[i * (n + 1) + j].v; };
  Mp f, t;
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t p = k;
    for (std::size_t i = k + 1; i < n; ++i) {
      if (mpfr_cmpabs(at(i, k), at(p, k)) > 0) p = i;
    }
    if (mpfr_zero_p(at(p, k))) throw std::runtime_error("exact::solve: singular matrix");
    if (p != k) {
      for (std::size_t j = 0; j <= n; ++j) mpfr_swap(at(p, j), at(k, j));
    }
    for (std::size_t i = k + 1; i < n; ++i) {
      mpfr_div(f.v, at(i, k), at(k, k), MPFR_RNDN);
      for (std::size_t j = k; j <= n; ++j) {
        mpfr_mul(t.v, f.v, at(k, j), MPFR_RNDN);
        mpfr_sub(at(i, j), at(i, j), t.v, MPFR_RNDN);
      }
    }
  }
  std::vector<Mp> x(n);
  for (std::size_t ii = n; ii-- > 0;) {
    mpfr_set(x[ii].v, at(ii, n), MPFR_RNDN);
    for (std::size_t j = ii + 1; j < n; ++j) {
      mpfr_mul(t.v, at(ii, j), x[j].v, MPFR_RNDN);
      mpfr_sub(x[ii].v, x[ii].v, t.v, MPFR_RNDN);
    }
    mpfr_div(x[ii].v, x[ii].v, at(ii, ii), MPFR_RNDN);
  }
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = x[i].get();
  return out;
}

double horner(const double* c, std::size_t terms, double x) {
  // Exact: each step multiplies by a 53-bit x and adds a 53-bit coefficient, so the value needs at
  // most 53 * terms + (terms + 1) bits plus the exponent spread of the coefficients (< 2100).
  const auto prec = static_cast<mpfr_prec_t>(53 * terms + 2200);
  Mp s(prec);
  mpfr_set_zero(s.v, 1);
  for (std::size_t i = terms; i-- > 0;) {
    mpfr_mul_d(s.v, s.v, x, MPFR_RNDN);
    mpfr_add_d(s.v, s.v, c[i], MPFR_RNDN);
  }
  return s.get();
}

std::vector<double> softmax(const std::vector<double>& x) {
  const double m = *std::max_element(x.begin(), x.end());
  std::vector<Mp> e(x.size());
  Mp s;
  mpfr_set_zero(s.v, 1);
  for (std::size_t i = 0; i < x.size(); ++i) {
    mpfr_set_d(e[i].v, x[i], MPFR_RNDN);
    mpfr_sub_d(e[i].v, e[i].v, m, MPFR_RNDN);
    mpfr_exp(e[i].v, e[i].v, MPFR_RNDN);
    mpfr_add(s.v, s.v, e[i].v, MPFR_RNDN);
  }
  std::vector<double> y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    mpfr_div(e[i].v, e[i].v, s.v, MPFR_RNDN);
    y[i] = e[i].get();
  }
  return y;
}

double fn(Fn f, double x) {
  Mp v;
  mpfr_set_d(v.v, x, MPFR_RNDN);
  switch (f) {
    case Fn::exp:
      mpfr_exp(v.v, v.v, MPFR_RNDN);
      break;
    case Fn::log:
      mpfr_log(v.v, v.v, MPFR_RNDN);
      break;
    case Fn::tanh:
      mpfr_tanh(v.v, v.v, MPFR_RNDN);
      break;
  }
  return v.get();
}

std::vector<double> harmonic(const std::vector<long>& ks) {
  std::vector<double> out;
  Mp s(256), t(256);
  mpfr_set_zero(s.v, 1);
  long k = 0;
  for (long target : ks) {
    for (; k < target;) {
      ++k;
      mpfr_set_ui(t.v, 1, MPFR_RNDN);
      mpfr_div_ui(t.v, t.v, static_cast<unsigned long>(k), MPFR_RNDN);
      mpfr_add(s.v, s.v, t.v, MPFR_RNDN);
    }
    out.push_back(s.get());
  }
  return out;
}

double rump() {
  Mp a(1024), b(1024), r(1024), t(1024), u(1024);
  mpfr_set_ui(a.v, 77617, MPFR_RNDN);
  mpfr_set_ui(b.v, 33096, MPFR_RNDN);
  // 333.75 b^6
  mpfr_pow_ui(r.v, b.v, 6, MPFR_RNDN);
  mpfr_mul_d(r.v, r.v, 333.75, MPFR_RNDN);
  // a^2 (11 a^2 b^2 - b^6 - 121 b^4 - 2)
  mpfr_sqr(t.v, a.v, MPFR_RNDN);
  mpfr_sqr(u.v, b.v, MPFR_RNDN);
  mpfr_mul(u.v, u.v, t.v, MPFR_RNDN);
  mpfr_mul_ui(u.v, u.v, 11, MPFR_RNDN);
  Mp w(1024);
  mpfr_pow_ui(w.v, b.v, 6, MPFR_RNDN);
  mpfr_sub(u.v, u.v, w.v, MPFR_RNDN);
  mpfr_pow_ui(w.v, b.v, 4, MPFR_RNDN);
  mpfr_mul_ui(w.v, w.v, 121, MPFR_RNDN);
  mpfr_sub(u.v, u.v, w.v, MPFR_RNDN);
  mpfr_sub_ui(u.v, u.v, 2, MPFR_RNDN);
  mpfr_mul(t.v, t.v, u.v, MPFR_RNDN);
  mpfr_add(r.v, r.v, t.v, MPFR_RNDN);
  // 5.5 b^8
  mpfr_pow_ui(t.v, b.v, 8, MPFR_RNDN);
  mpfr_mul_d(t.v, t.v, 5.5, MPFR_RNDN);
  mpfr_add(r.v, r.v, t.v, MPFR_RNDN);
  // a / (2b)
  mpfr_mul_ui(t.v, b.v, 2, MPFR_RNDN);
  mpfr_div(t.v, a.v, t.v, MPFR_RNDN);
  mpfr_add(r.v, r.v, t.v, MPFR_RNDN);
  return r.get();
}

double muller(int k) {
  // Closed form for these starting values: x_k = (4 * 5^(k+1) - 3 * 6^(k+1)) / (4 * 5^k - 3 * 6^k).
  Mp num(1024), den(1024), t(1024);
  mpfr_ui_pow_ui(num.v, 5, static_cast<unsigned long>(k + 1), MPFR_RNDN);
  mpfr_mul_ui(num.v, num.v, 4, MPFR_RNDN);
  mpfr_ui_pow_ui(t.v, 6, static_cast<unsigned long>(k + 1), MPFR_RNDN);
  mpfr_mul_ui(t.v, t.v, 3, MPFR_RNDN);
  mpfr_sub(num.v, num.v, t.v, MPFR_RNDN);
  mpfr_ui_pow_ui(den.v, 5, static_cast<unsigned long>(k), MPFR_RNDN);
  mpfr_mul_ui(den.v, den.v, 4, MPFR_RNDN);
  mpfr_ui_pow_ui(t.v, 6, static_cast<unsigned long>(k), MPFR_RNDN);
  mpfr_mul_ui(t.v, t.v, 3, MPFR_RNDN);
  mpfr_sub(den.v, den.v, t.v, MPFR_RNDN);
  mpfr_div(num.v, num.v, den.v, MPFR_RNDN);
  return num.get();
}

}  // namespace acc::exact
