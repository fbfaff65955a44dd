// softnum/posit.hpp - Posit<N,ES>: tapered-precision posit numbers, and the exact quire.
// Public entry header: the code is in types/posit.hpp (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/types/posit.hpp>
