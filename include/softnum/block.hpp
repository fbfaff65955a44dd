// softnum/block.hpp - block-scaled formats: Block<Element, BlockSize, Scale> and the OCP MX
// formats (types/block.hpp), quantize<Block>(x, y, rule, mode, seed) and quantize_nvfp4 on float
// arrays (ops/block_quantize.hpp), block_dot and gemm_block (gemm/block_gemm.hpp).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/gemm/block_gemm.hpp>
#include <softnum/ops/block_quantize.hpp>
#include <softnum/types/block.hpp>
