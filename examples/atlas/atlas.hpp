// softnum_atlas: the format atlas (docs/formats.md) written from the library registry
// (softnum/registry.hpp): one card per standard format and per block-scaled format. Every value
// comes from the registry's entries, which read them from the types (numeric_limits, the codec);
// only the names of the standards are text.
#pragma once

#include <softnum/registry.hpp>

#include <string>
#include <vector>

namespace atlas {

/// The registry's standard formats, in listing order: softnum::standard_formats() (the table
/// compiled once in softnum::standard_formats).
const std::vector<softnum::FormatEntry>& formats();
/// softnum::standard_block_formats().
const std::vector<softnum::BlockFormatEntry>& block_formats();

/// The exact decimal value of a finite double, e.g. "448", "0.001953125", "5.9604644775390625e-08";
/// when it needs more than 21 significant digits, "~" and 12 digits rounded to nearest
/// ("~3.40282346639e+38").
std::string decimal(double x);

/// The exact value of a finite nonzero double as a power of two: "2^-9", "1.75 * 2^8",
/// "(2 - 2^-23) * 2^127", "-2^3"; "0" for zero.
std::string power_of_two(double x);

/// Both: "448 = 1.75 * 2^8" ("0.5 = 2^-1"; "2^-149 ~1.40129846432e-45" when not exact).
std::string value(double x);

/// The Markdown card of one format (a level-3 heading and a property table).
std::string card(const softnum::FormatEntry& e);
std::string card(const softnum::BlockFormatEntry& e);

/// The whole atlas: introduction, summary tables, then every card in registry order.
std::string markdown();

}  // namespace atlas
