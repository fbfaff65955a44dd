// softnum/registry.hpp - number formats chosen by name at run time: cards, array rounding and
// GEMM hooks on float/double storage (the implementation is softnum/ops/registry.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/ops/registry.hpp>
