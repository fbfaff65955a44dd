// softnum/float.hpp - Float<E,M,...>: binary floating point with any exponent and fraction width.
// Public entry header: the code is in types/float.hpp (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/types/float.hpp>
