// softnum_accuracy: the kernels under test, written once over a Format's scalar hooks. Every
// operation is one rounding of the exact result in the chosen mode (stochastic rounding draws
// one Philox word per rounding).
#pragma once

#include <softnum/random.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "exact.hpp"
#include "format.hpp"

namespace acc {

/// A format, a rounding mode and the random stream for stochastic rounding.
struct Arith {
  const Format& f;
  Round mode;
  softnum::Philox gen;
  Arith(const Format& format, Round m, std::uint64_t seed, std::uint64_t stream = 0)
      : f(format), mode(m), gen(seed, stream) {}
  std::uint32_t word() { return mode == Round::stochastic ? gen() : 0u; }
  double round(double x) { return f.round(x, mode, word()); }
  double add(double a, double b) { return f.add(a, b, mode, word()); }
  double sub(double a, double b) { return f.add(a, -b, mode, word()); }
  double mul(double a, double b) { return f.mul(a, b, mode, word()); }
  double fma(double a, double b, double c) { return f.fma(a, b, c, mode, word()); }
  double div(double a, double b) { return f.div_correct(a, b, mode, word()); }
};

// Sums.
double sum_naive(Arith& a, const double* x, std::size_t n);     // s = fl(s + x_i)
double sum_pairwise(Arith& a, const double* x, std::size_t n);  // halves summed recursively
double sum_kahan(Arith& a, const double* x, std::size_t n);     // compensated (Kahan 1965)
double sum_blocked(Arith& a, const double* x, std::size_t n,
                   std::size_t block);  // naive per block, then naive over blocks

// Dot products.
double dot_plain(Arith& a, const double* x, const double* y, std::size_t n);  // s = fl(s + fl(x y))
double dot_fma(Arith& a, const double* x, const double* y,
               std::size_t n);  // s = fl(s + x y): exact products
/// Dot2 (Ogita, Rump, Oishi 2005) in the format: a two-term expansion accumulator (TwoSum, and
/// TwoProduct by fma), both terms values of the format, added at the end.
double dot_dot2(Arith& a, const double* x, const double* y, std::size_t n);
/// Floats: softnum::Expansion<T, 2> accumulation (round to nearest), one rounding at the end.
/// NaN for other formats.
double dot_expansion(Arith& a, const double* x, const double* y, std::size_t n);
/// Posits: the quire (exact accumulation, one rounding). NaN for formats without one.
double dot_quire(Arith& a, const double* x, const double* y, std::size_t n);

// GEMM (softnum::gemm_reference). C is m x n, A m x k, B k x n, row-major, values of the format.
enum class GemmModel { per_op, fp32_accumulate, chunked };
const char* gemm_model_name(GemmModel m);
/// per_op: Accumulation<T, T>; fp32_accumulate: Accumulation<float, float> (products and sums in
/// binary32), then the result rounded once to T; chunked: Accumulation<T, T> in chunks of 32.
std::vector<double> gemm(Arith& a, GemmModel model, const std::vector<double>& A,
                         const std::vector<double>& B, std::size_t m, std::size_t k, std::size_t n,
                         std::uint64_t seed);

/// x = A^-1 b by Gaussian elimination with partial pivoting, every operation in the format.
std::vector<double> lu_solve(Arith& a, std::vector<double> A, std::vector<double> b, std::size_t n);
/// sum c[i] x^i by Horner's rule.
double horner(Arith& a, const double* c, std::size_t terms, double x);
/// softmax: m = max x; e_i = fl(exp(fl(x_i - m))) (exp as below); s = naive sum; y_i = fl(e_i / s).
std::vector<double> softmax(Arith& a, const std::vector<double>& x);
/// exp / log / tanh of a format value: evaluated in binary64 (the C library), then rounded once
/// to the format. Not a correctly rounded function: the binary64 value is within an ulp of
/// binary64, so the result differs from the correctly rounded one only near rounding boundaries.
double elementary(Arith& a, exact::Fn fn, double x);

}  // namespace acc
