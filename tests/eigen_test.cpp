// Tests for softnum/eigen.hpp: Eigen matrices of softnum scalars.
//  - Decompositions solve well-conditioned systems (A = sym(R) + n I, entries of R in [-1, 1]:
//    eigenvalues in [1, 2n - 1]) in binary16, bfloat16, float8_e4m3fn, posit16, posit32 and
//    Fixed<16,16>, with PartialPivLU, HouseholderQR, LLT, LDLT and JacobiSVD (not for Fixed). The residual,
//    computed exactly enough in double from the stored (exact) values, must satisfy
//        ||A x - b||_inf <= 8 n eps (||A||_inf ||x||_inf + ||b||_inf),
//    eps = NumTraits<T>::epsilon() (Fixed: 2^-F relative to the unit entries): a backward-stable
//    solver's bound, with a modest constant for the growth of these diagonally dominant systems.
//    double_double (eps = 2^-105) is solved the same way; its residual is computed in quad_double
//    (A x rounded at ~2^-206 relative, far below the bound) and only its norms in double.
//  - Eigen's A * B (and noalias() +=, -=, transposes, row-major, blocks, a scalar factor) equals
//    softnum::gemm with the default model bit for bit (or, for a factor alpha != 1, the documented
//    res + alpha * gemm(A, B)). Expansion products are not routed to gemm (eigen.hpp): Eigen's
//    blocked A * B must agree with the coefficient-wise lazyProduct within k * 8 eps relative.
//  The checks themselves are in tests/support/eigen_checks.hpp, instantiated in
//  eigen_test.solve_*.cpp and eigen_test.products.cpp.
#include "support/eigen_checks.hpp"

using namespace softnum;
using eigen_checks::check_expansion_products;
using eigen_checks::check_products;
using eigen_checks::check_solvers;
using eigen_checks::Mat;

TEST_CASE("NumTraits of softnum scalars", "[eigen]") {
  CHECK(Eigen::NumTraits<binary16>::epsilon().bits() == std::numeric_limits<binary16>::epsilon().bits());
  CHECK(static_cast<double>(Eigen::NumTraits<binary16>::dummy_precision()) == std::ldexp(1.0, -7));
  CHECK(static_cast<double>(Eigen::NumTraits<float8_e4m3fn>::dummy_precision()) == 0.5);
  CHECK(static_cast<double>(Eigen::NumTraits<Fixed<16, 16>>::epsilon()) == std::ldexp(1.0, -16));
  CHECK(Eigen::NumTraits<posit16>::highest() == std::numeric_limits<posit16>::max());
  CHECK(Eigen::NumTraits<double_double>::epsilon() == std::numeric_limits<double_double>::epsilon());
  CHECK(static_cast<double>(Eigen::NumTraits<double_double>::epsilon()) == std::ldexp(1.0, -105));
  CHECK(static_cast<double>(Eigen::NumTraits<double_double>::dummy_precision()) == std::ldexp(1.0, -102));
  CHECK(Eigen::NumTraits<double_double>::digits10() == std::numeric_limits<double_double>::digits10);
  Mat<double_double> q(6, 6);
  q.setRandom();
  for (Eigen::Index j = 0; j < 6; ++j)
    for (Eigen::Index i = 0; i < 6; ++i) {
      CHECK(q(i, j) >= double_double(-1.0));
      CHECK(q(i, j) <= double_double(1.0));
      CHECK(q(i, j)[1] != 0.0);  // the low component is random too
    }
  Mat<bfloat16> m(5, 7);
  m.setRandom();
  for (Eigen::Index j = 0; j < 7; ++j)
    for (Eigen::Index i = 0; i < 5; ++i) {
      CHECK(static_cast<double>(m(i, j)) >= -1.0);
      CHECK(static_cast<double>(m(i, j)) <= 1.0);
    }
}

TEST_CASE("Arithmetic, reductions and norms", "[eigen]") {
  Mat<binary16> a = Mat<binary16>::Constant(3, 4, binary16(0.5));
  a(1, 2) = binary16(2.0);
  CHECK(static_cast<double>(a.sum()) == 7.5);
  CHECK(static_cast<double>(a.maxCoeff()) == 2.0);
  // squaredNorm 11 * 1 + 16 = 27 is exact; norm() = sqrt(27) correctly rounded to binary16.
  CHECK((a + a).norm().bits() == binary16(std::sqrt(27.0)).bits());
  CHECK(static_cast<double>(a.cwiseAbs().minCoeff()) == 0.5);
  Mat<posit16> p = Mat<posit16>::Identity(4, 4) * posit16(3.0);
  CHECK(static_cast<double>(p.trace()) == 12.0);
  CHECK(static_cast<double>(p.squaredNorm()) == 36.0);
  // double_double: 1 + 2^-80 survives sums and norms (it would be 1 in double).
  Mat<double_double> e = Mat<double_double>::Constant(2, 2, double_double(1.0, std::ldexp(1.0, -80)));
  CHECK(e.sum() - double_double(4.0) == double_double(std::ldexp(1.0, -78)));
  CHECK(e.cwiseAbs().maxCoeff() == e(0, 0));
  // norm = 2 sqrt(1 + 2^-79 + 2^-160) = 2 + 2^-79 + O(2^-158), rounded at ~2^-104.
  CHECK(static_cast<double>(abs(e.norm() - double_double(2.0) - double_double(std::ldexp(1.0, -79)))) <=
        std::ldexp(1.0, -100));
}

TEST_CASE("Decompositions solve well-conditioned systems", "[eigen][solve]") {
  check_solvers<binary16>(12, std::ldexp(1.0, -10));
  check_solvers<bfloat16>(12, std::ldexp(1.0, -7));
  check_solvers<float8_e4m3fn>(4, std::ldexp(1.0, -3));
  check_solvers<posit16>(12, std::ldexp(1.0, -11));
  check_solvers<posit32>(16, std::ldexp(1.0, -27));
  check_solvers<Fixed<16, 16>>(12, std::ldexp(1.0, -16));
  check_solvers<double_double>(16, std::ldexp(1.0, -105));
}

TEST_CASE("Eigen products are softnum::gemm", "[eigen][gemm]") {
  check_products<binary16>();
  check_products<bfloat16>();
  check_products<float8_e4m3fn>();
  check_products<posit16>();
  check_products<Fixed<16, 16>>();
  check_products<binary8p4se>();  // P3109 (one zero, NaN at 0x80, infinities)
  check_products<float8_e3m4>();
}

TEST_CASE("Eigen products of expansions", "[eigen][expansion]") {
  check_expansion_products<double_double>();
}
