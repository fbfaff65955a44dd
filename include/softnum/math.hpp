// softnum/math.hpp - the <cmath>-named functions of every softnum type, found by ADL:
// sqrt, fma, ldexp, scalbn, frexp, fmin, fmax, fabs, abs, copysign, nextafter, isnan, isinf,
// isfinite, signbit (with each type) and exp, log, tanh, sigmoid (Posit, host only).
// Public entry header: the code is in core/arithmetic.hpp, types/ and ops/math.hpp
// (docs/architecture.md).
// SPDX-License-Identifier: MIT
#pragma once

#include <softnum/core/arithmetic.hpp>
#include <softnum/ops/math.hpp>
#include <softnum/types/expansion.hpp>
#include <softnum/types/fixed.hpp>
#include <softnum/types/float.hpp>
#include <softnum/types/posit.hpp>
