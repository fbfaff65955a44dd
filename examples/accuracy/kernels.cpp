// softnum_accuracy: kernels (see kernels.hpp).
#include "kernels.hpp"

#include <softnum/gemm.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace acc {

double sum_naive(Arith& a, const double* x, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s = a.add(s, x[i]);
  return s;
}

double sum_pairwise(Arith& a, const double* x, std::size_t n) {
  if (n == 0) return 0;
  if (n == 1) return x[0];
  const std::size_t h = n / 2;
  const double l = sum_pairwise(a, x, h);
  const double r = sum_pairwise(a, x + h, n - h);
  return a.add(l, r);
}

double sum_kahan(Arith& a, const double* x, std::size_t n) {
  double s = 0, c = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double y = a.sub(x[i], c);
    const double t = a.add(s, y);
    c = a.sub(a.sub(t, s), y);
    s = t;
  }
  return s;
}

double sum_blocked(Arith& a, const double* x, std::size_t n, std::size_t block) {
  double s = 0;
  for (std::size_t i = 0; i < n; i += block)
    s = a.add(s, sum_naive(a, x + i, std::min(block, n - i)));
  return s;
}

double dot_plain(Arith& a, const double* x, const double* y, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s = a.add(s, a.mul(x[i], y[i]));
  return s;
}

double dot_fma(Arith& a, const double* x, const double* y, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s = a.fma(x[i], y[i], s);
  return s;
}

double dot_dot2(Arith& a, const double* x, const double* y, std::size_t n) {
  double s = 0, c = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double p = a.mul(x[i], y[i]);
    const double pe = a.fma(x[i], y[i], -p);  // TwoProduct error term
    const double t = a.add(s, p);             // TwoSum(s, p)
    const double z = a.sub(t, s);
    const double e = a.add(a.sub(s, a.sub(t, z)), a.sub(p, z));
    s = t;
    c = a.add(c, a.add(pe, e));
  }
  return a.add(s, c);
}

double dot_expansion(Arith& a, const double* x, const double* y, std::size_t n) {
  if (a.f.expansion_dot == nullptr) return std::numeric_limits<double>::quiet_NaN();
  return a.f.expansion_dot(x, y, n);
}

double dot_quire(Arith& a, const double* x, const double* y, std::size_t n) {
  if (a.f.quire_dot == nullptr) return std::numeric_limits<double>::quiet_NaN();
  return a.f.quire_dot(x, y, n);
}

const char* gemm_model_name(GemmModel m) {
  switch (m) {
    case GemmModel::per_op:
      return "gemm_per_op";
    case GemmModel::fp32_accumulate:
      return "gemm_fp32_acc";
    case GemmModel::chunked:
      return "gemm_chunked32";
  }
  return "?";
}

std::vector<double> gemm(Arith& a, GemmModel model, const std::vector<double>& A,
                         const std::vector<double>& B, std::size_t m, std::size_t k, std::size_t n,
                         std::uint64_t seed) {
  std::vector<double> C(m * n);
  switch (model) {
    case GemmModel::per_op:
      a.f.gemm(A.data(), B.data(), C.data(), m, k, n, a.mode, seed, 0);
      break;
    case GemmModel::chunked:
      a.f.gemm(A.data(), B.data(), C.data(), m, k, n, a.mode, seed, 32);
      break;
    case GemmModel::fp32_accumulate: {
      softnum::GemmOptions o;
      o.round = a.mode;
      o.output_round = Round::nearest_even;  // the binary32 sum lands exactly in the double C
      o.seed = seed;
      o.threads = 1;
      const auto M = static_cast<std::ptrdiff_t>(m), K = static_cast<std::ptrdiff_t>(k),
                 N = static_cast<std::ptrdiff_t>(n);
      softnum::gemm_reference<softnum::Accumulation<float, float>>(
          softnum::row_major(A.data(), M, K), softnum::row_major(B.data(), K, N),
          softnum::row_major(C.data(), M, N), o);
      for (double& c : C) c = a.round(c);
      break;
    }
  }
  return C;
}

std::vector<double> lu_solve(Arith& a, std::vector<double> A, std::vector<double> b,
                             std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) {
    std::size_t p = k;
    for (std::size_t i = k + 1; i < n; ++i) {
      if (std::fabs(A[i * n + k]) > std::fabs(A[p * n + k])) p = i;
    }
    if (p != k) {
      for (std::size_t j = 0; j < n; ++j) std::swap(A[p * n + j], A[k * n + j]);
      std::swap(b[p], b[k]);
    }
    for (std::size_t i = k + 1; i < n; ++i) {
      const double l = a.div(A[i * n + k], A[k * n + k]);
      for (std::size_t j = k + 1; j < n; ++j)
        A[i * n + j] = a.sub(A[i * n + j], a.mul(l, A[k * n + j]));
      b[i] = a.sub(b[i], a.mul(l, b[k]));
    }
  }
  std::vector<double> x(n);
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t j = i + 1; j < n; ++j) s = a.sub(s, a.mul(A[i * n + j], x[j]));
    x[i] = a.div(s, A[i * n + i]);
  }
  return x;
}

double horner(Arith& a, const double* c, std::size_t terms, double x) {
  double s = 0;
  for (std::size_t i = terms; i-- > 0;) s = a.add(a.mul(s, x), c[i]);
  return s;
}

double elementary(Arith& a, exact::Fn fn, double x) {
  switch (fn) {
    case exact::Fn::exp:
      return a.round(std::exp(x));
    case exact::Fn::log:
      return a.round(std::log(x));
    case exact::Fn::tanh:
      return a.round(std::tanh(x));
  }
  return 0;
}

std::vector<double> softmax(Arith& a, const std::vector<double>& x) {
  const double m = *std::max_element(x.begin(), x.end());
  std::vector<double> e(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) e[i] = elementary(a, exact::Fn::exp, a.sub(x[i], m));
  const double s = sum_naive(a, e.data(), e.size());
  for (double& v : e) v = a.div(v, s);
  return e;
}

}  // namespace acc
