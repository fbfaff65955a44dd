// softnum/io.hpp - streams, to_string and from_string for every softnum number type.
// Public entry header: the code is in ops/io.hpp (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/ops/io.hpp>
