// softnum/random.hpp - Philox4x32-10 counter-based generator for stochastic rounding.
// Public entry header: the code is in core/random.hpp (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/core/random.hpp>
