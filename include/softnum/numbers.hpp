// softnum/numbers.hpp - every number type, convert, random, to_chars / from_string: what
// freestanding and bare-metal code includes (docs/firmware.md).
// SPDX-License-Identifier: MIT
//
// No streams, strings, heap, exceptions, RTTI or thread_local: this header and everything it
// includes compile with -fno-exceptions -fno-rtti for Cortex-M0+ and Cortex-M4 and link with
// --specs=nosys.specs without malloc, __cxa_* or TLS (checked by the `firmware` tests and by
// tests/numbers_test.cpp). io.hpp adds std::string and stream wrappers on top.
#pragma once

#include <softnum/config.hpp>
#include <softnum/convert.hpp>
#include <softnum/expansion.hpp>
#include <softnum/fixed.hpp>
#include <softnum/float.hpp>
#include <softnum/ops/decimal.hpp>  // to_chars, from_string (character buffers only)
#include <softnum/posit.hpp>
#include <softnum/random.hpp>
#include <softnum/round.hpp>
