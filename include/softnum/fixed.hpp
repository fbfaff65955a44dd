// softnum/fixed.hpp - Fixed<I,F,...>: signed two's complement fixed point, correctly rounded.
// Public entry header: the code is in types/fixed.hpp (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/types/fixed.hpp>
