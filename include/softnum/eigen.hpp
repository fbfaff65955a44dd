// softnum/eigen.hpp - Eigen 3.4 integration (opt-in: the only softnum header that includes Eigen).
// SPDX-License-Identifier: MIT
//
// With this header, Eigen::Matrix<T, ...> works for every softnum scalar T (Float, Posit, Fixed,
// Expansion: double_double, quad_double, ...):
// arithmetic, reductions, norms, setRandom, and the decompositions (PartialPivLU, HouseholderQR,
// LLT/LDLT, JacobiSVD). It provides, as Eigen's own bfloat16 integration does:
//  - Eigen::NumTraits<T>: epsilon() = std::numeric_limits<T>::epsilon(); dummy_precision() =
//    min(1/2, 8 epsilon) (the tolerance Eigen's isApprox/isZero and rank decisions use: binary16
//    2^-7, bfloat16 2^-4, float8_e4m3fn 1/2, posit16 2^-9, Fixed<16,16> 2^-13, double_double
//    2^-102); digits10 and
//    max_digits10 from numeric_limits; Real = NonInteger = Literal = T; the costs of emulated
//    operations (ReadCost 1, AddCost 4, MulCost 4; a hint for Eigen's unrolling only). Fixed has
//    no infinity or NaN: NumTraits<Fixed>::infinity()/quiet_NaN() are inaccessible.
//  - Eigen::internal::random_impl<T>: setRandom() gives uniform values in [-1, 1] (Fixed: the part
//    of it that is in range), each the correctly rounded image of a random double. Expansion: N
//    random doubles scaled by 2^(-p i) (p: the base's precision) and summed, so all ~N p bits
//    are random.
//  - math functions: Eigen finds sqrt, abs, isnan, isinf, isfinite, ... of softnum by ADL.
//  - matrix products: C = A * B, C.noalias() += A * B and -= A * B, with any storage order,
//    transposes and blocks that reach Eigen's general_matrix_matrix_product, are computed by
//    softnum::gemm with the default model (products and sums rounded to the scalar type, k in
//    increasing order, GemmOptions{} defaults, all cores): res += alpha * (A * B) is
//      alpha == 1:  res = gemm(A, B) accumulated onto res (the sum starts from res(i,j));
//      otherwise:   P = gemm(A, B) from zero, then res(i,j) = res(i,j) + alpha * P(i,j) with the
//                   scalar's operators (alpha = -1 exactly negates: one rounding).
//    Eigen evaluates C = A * B as C = 0 then C += A * B, so it equals gemm(A, B) bit for bit.
//    Not routed: products Eigen computes coefficient-wise (rows + cols + depth < 20, Eigen's
//    EIGEN_GEMM_TO_COEFFBASED_THRESHOLD, and lazyProduct), matrix-vector products, and triangular
//    or self-adjoint products inside decompositions: those use Eigen's own order of operations
//    with the scalar's (correctly rounded) operators.
//    Expansion is not routed: its products use Eigen's own kernel with Expansion's operators (each
//    within its error bound, expansion.hpp). softnum::gemm's generic path would read each element
//    through number_traits::unpack, which rounds to odd at 126 bits (exact for double_double, not
//    for quad_double's 212), and is far slower than the expansion arithmetic.
#pragma once

#include <softnum/gemm/gemm.hpp>
#include <softnum/types/expansion.hpp>
#include <softnum/types/fixed.hpp>
#include <softnum/types/float.hpp>
#include <softnum/types/posit.hpp>

#include <Eigen/Core>

#include <cmath>        // std::ldexp
#include <cstdint>      // std::uint64_t
#include <limits>       // std::numeric_limits
#include <random>       // std::rand-free uniform doubles
#include <type_traits>  // std::true_type

namespace softnum {

/// The softnum scalar types Eigen knows about through this header.
template <class T>
concept EigenScalar = FloatFormat<T> || FixedFormat<T> || PositFormat<T> || ExpansionFormat<T>;

/// The scalars whose Eigen matrix products are computed by softnum::gemm (not Expansion).
template <class T>
concept EigenGemmScalar = EigenScalar<T> && !ExpansionFormat<T>;

namespace detail {
template <EigenScalar T>
constexpr T eigen_dummy_precision() noexcept {
  const double eps = static_cast<double>(std::numeric_limits<T>::epsilon());
  return T(eps * 8 < 0.5 ? eps * 8 : 0.5);
}
}  // namespace detail

}  // namespace softnum

namespace Eigen {

template <class T>
  requires softnum::EigenScalar<T>
struct NumTraits<T> : GenericNumTraits<T> {
  enum {
    IsInteger = 0,
    IsSigned = 1,
    IsComplex = 0,
    RequireInitialization = 0,
    ReadCost = 1,
    AddCost = 4,
    MulCost = 4
  };
  using Real = T;
  using NonInteger = T;
  using Literal = T;
  using Nested = T;
  static inline T epsilon() { return std::numeric_limits<T>::epsilon(); }
  static inline T dummy_precision() { return softnum::detail::eigen_dummy_precision<T>(); }
  static inline T highest() { return std::numeric_limits<T>::max(); }
  static inline T lowest() { return std::numeric_limits<T>::lowest(); }
  static inline int digits10() { return std::numeric_limits<T>::digits10; }
  static inline int max_digits10() { return std::numeric_limits<T>::max_digits10; }
  static inline int digits() { return std::numeric_limits<T>::digits; }
};

namespace internal {

/// setRandom(): uniform in [-1, 1], rounded once (Eigen's default draws through std::rand()).
template <class T>
  requires softnum::EigenScalar<T>
struct random_impl<T> {
  static inline double uniform() {
    static thread_local std::mt19937_64 generator{0x5EED};
    return static_cast<double>(generator() >> 11) * 0x1p-53;  // [0, 1)
  }
  static inline T run(const T& x, const T& y) {
    const double lo = static_cast<double>(x), hi = static_cast<double>(y);
    return T(lo + (hi - lo) * uniform());
  }
  static inline T run() {
    if constexpr (softnum::ExpansionFormat<T>) {
      // u0 + u1 2^-p + u2 2^-2p + ... in [0, 1] (p = the base's precision): every bit random.
      const T step(std::ldexp(1.0, -T::base_digits));
      T u(uniform()), scale(1.0);
      for (int i = 1; i < T::components; ++i) {
        scale = scale * step;
        u = u + scale * T(uniform());
      }
      return T(2.0) * u - T(1.0);
    } else {
      return T(2.0 * uniform() - 1.0);
    }
  }
};

/// Eigen's matrix product kernel, replaced for softnum scalars by softnum::gemm (header comment).
template <typename Index, class T, int LhsStorageOrder, bool ConjugateLhs, int RhsStorageOrder, bool ConjugateRhs,
          int ResInnerStride>
  requires softnum::EigenGemmScalar<T>
struct general_matrix_matrix_product<Index, T, LhsStorageOrder, ConjugateLhs, T, RhsStorageOrder, ConjugateRhs,
                                     ColMajor, ResInnerStride> {
  using Traits = gebp_traits<T, T>;  // Eigen sizes its (unused) blocking space with it
  using ResScalar = T;
  static void run(Index rows, Index cols, Index depth, const T* lhs, Index lhsStride, const T* rhs, Index rhsStride,
                  T* res, Index resIncr, Index resStride, T alpha, level3_blocking<T, T>& /*blocking*/,
                  GemmParallelInfo<Index>* /*info*/ = nullptr) {
    using P = std::ptrdiff_t;
    const softnum::MatrixView<const T> A =
        LhsStorageOrder == RowMajor
            ? softnum::MatrixView<const T>{lhs, P(rows), P(depth), P(lhsStride), 1}
            : softnum::MatrixView<const T>{lhs, P(rows), P(depth), 1, P(lhsStride)};
    const softnum::MatrixView<const T> B =
        RhsStorageOrder == RowMajor
            ? softnum::MatrixView<const T>{rhs, P(depth), P(cols), P(rhsStride), 1}
            : softnum::MatrixView<const T>{rhs, P(depth), P(cols), 1, P(rhsStride)};
    const softnum::MatrixView<T> C{res, P(rows), P(cols), P(resIncr), P(resStride)};
    if (alpha == T(1)) {
      softnum::GemmOptions o;
      o.accumulate = true;
      softnum::gemm(A, B, C, o);
      return;
    }
    Matrix<T, Dynamic, Dynamic> product(rows, cols);
    softnum::gemm(A, B, softnum::col_major(product.data(), P(rows), P(cols)));
    for (Index j = 0; j < cols; ++j)
      for (Index i = 0; i < rows; ++i) C(P(i), P(j)) = C(P(i), P(j)) + alpha * product(i, j);
  }
};

}  // namespace internal
}  // namespace Eigen
