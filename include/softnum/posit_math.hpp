// softnum/posit_math.hpp - exp, log, tanh, sigmoid for Posit<N,ES> (faithfully rounded).
// Public entry header: the code is in ops/posit_math.hpp (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/ops/posit_math.hpp>
