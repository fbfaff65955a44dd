// softnum/expansion.hpp - Expansion<T,N>: unevaluated sums of N floating-point numbers.
// Public entry header: the code is in types/expansion.hpp (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/types/expansion.hpp>
