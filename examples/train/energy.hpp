// softnum_train: a modelled (not measured) energy per operation.
//
// Source: M. Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014,
// Fig. 1.1.9: 45 nm, 0.9 V: integer add 8 bit 0.03 pJ, 32 bit 0.1 pJ; integer multiply 8 bit
// 0.2 pJ, 32 bit 3.1 pJ; floating-point add 16 bit 0.4 pJ, 32 bit 0.9 pJ; floating-point
// multiply 16 bit 1.1 pJ, 32 bit 3.7 pJ. Other widths: the power law through the two published
// points of the row, E(n) = E(32) * (n / 32)^alpha. Floats and posits use the floating-point rows
// (posit decoding is not modelled), fixed point the integer rows, the quire a 128-bit integer
// add. A rounding (conversion) costs one add of the target format. Memory traffic, which
// dominates real systems, is not modelled. See docs/training.md.
#pragma once

#include "format.hpp"

namespace train {

/// Energy of one multiply whose operands are at most `bits` wide, in the family's arithmetic.
double mul_pj(const Format& f);
/// Energy of one add (or rounding) in format f.
double add_pj(const Format& f);
/// Multiplier energy for a product of operands in formats a and b (the wider one decides).
double mul_pj(const Format& a, const Format& b);

}  // namespace train
