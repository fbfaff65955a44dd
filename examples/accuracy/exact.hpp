// softnum_accuracy: exact references (MPFR). Inputs are binary64 values (exact values of the
// format under test); each result is the exact mathematical result correctly rounded once to
// binary64 (sums and dot products: mpfr_sum, exact then one rounding), or computed with 512-bit
// intermediates and then rounded (solves, elementary functions), which is far below the error of
// any format measured here. No format under test and no binary64 arithmetic is involved.
#pragma once

#include <cstddef>
#include <vector>

namespace acc::exact {

double sum(const double* x, std::size_t n);
double dot(const double* a, const double* b, std::size_t n);
/// x = A^-1 b for the n x n row-major A (Gaussian elimination with partial pivoting at 512 bits).
std::vector<double> solve(const std::vector<double>& A, const std::vector<double>& b,
                          std::size_t n);
/// sum c[i] x^i, exactly (precision grows with the degree), rounded once.
double horner(const double* c, std::size_t terms, double x);
/// softmax(x)_i at 512 bits, each rounded once.
std::vector<double> softmax(const std::vector<double>& x);
enum class Fn { exp, log, tanh };
double fn(Fn f, double x);
/// The harmonic sums H_k for each k in ks (increasing), at 256 bits, each rounded once.
std::vector<double> harmonic(const std::vector<long>& ks);
/// Rump's f(77617, 33096) = 333.75 b^6 + a^2 (11 a^2 b^2 - b^6 - 121 b^4 - 2) + 5.5 b^8 + a / (2b).
double rump();
/// Muller's recurrence x0 = 2, x1 = -4, x_{k+1} = 111 - 1130 / x_k + 3000 / (x_k x_{k-1}) at step
/// k.
double muller(int k);

}  // namespace acc::exact
