// softnum/posit_math.hpp - exp, log, tanh, sigmoid for Posit<N,ES> (faithfully rounded).
// Public entry header: the code is in ops/math.hpp (docs/architecture.md); <softnum/math.hpp>
// has these and every other <cmath>-named function of every type.
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/ops/math.hpp>
