// eigen_test, part: Eigen products against softnum::gemm, and products of expansions (see
// eigen_test.cpp and support/eigen_checks.hpp).
#include "support/eigen_checks.hpp"

namespace eigen_checks {

template void check_products<binary16>();
template void check_products<bfloat16>();
template void check_products<float8_e4m3fn>();
template void check_products<posit16>();
template void check_products<Fixed<16, 16>>();
template void check_products<binary8p4se>();
template void check_products<float8_e3m4>();
template void check_expansion_products<double_double>();

}  // namespace eigen_checks
