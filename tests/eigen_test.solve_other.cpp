// eigen_test, part: the decompositions in posits, fixed point and double_double (see eigen_test.cpp
// and support/eigen_checks.hpp).
#include "support/eigen_checks.hpp"

namespace eigen_checks {

template void check_solvers<posit16>(Eigen::Index, double);
template void check_solvers<posit32>(Eigen::Index, double);
template void check_solvers<Fixed<16, 16>>(Eigen::Index, double);
template void check_solvers<double_double>(Eigen::Index, double);

}  // namespace eigen_checks
