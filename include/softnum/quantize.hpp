// softnum/quantize.hpp - quantize<T>(x, y, mode, seed, offset) and array convert<To>: rounding
// float/double arrays into any softnum format (see ops/quantize.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/ops/quantize.hpp>
