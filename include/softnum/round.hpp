// softnum/round.hpp - Round, Overflow, Specials and the one rounding core every type reuses.
// Public entry header: the code is in core/round.hpp (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/core/round.hpp>
