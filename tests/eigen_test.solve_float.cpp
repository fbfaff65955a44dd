// eigen_test, part: the decompositions in the Float formats (see eigen_test.cpp and
// support/eigen_checks.hpp).
#include "support/eigen_checks.hpp"

namespace eigen_checks {

template void check_solvers<binary16>(Eigen::Index, double);
template void check_solvers<bfloat16>(Eigen::Index, double);
template void check_solvers<float8_e4m3fn>(Eigen::Index, double);

}  // namespace eigen_checks
