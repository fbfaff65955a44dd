// softnum/gemm.hpp - C = A * B on the CPU with a stated accumulation model.
// Public entry header: the code is in gemm/gemm.hpp (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/gemm/gemm.hpp>
