// softnum/softnum.hpp - umbrella header: every softnum type and function except eigen.hpp and cuda/.
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/block.hpp>
#include <softnum/config.hpp>
#include <softnum/convert.hpp>
#include <softnum/expansion.hpp>
#include <softnum/fixed.hpp>
#include <softnum/float.hpp>
#include <softnum/io.hpp>
#include <softnum/math.hpp>
#include <softnum/posit.hpp>
#include <softnum/random.hpp>
#include <softnum/round.hpp>
