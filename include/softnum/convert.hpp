// softnum/convert.hpp - convert<To>(from): one correctly rounded conversion between any two types.
// Public entry header: the code is in core/convert.hpp, types/float.hpp (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/core/convert.hpp>
#include <softnum/types/float.hpp>
