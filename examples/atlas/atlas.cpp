// softnum_atlas: the cards and the document (see atlas.hpp). The only translation unit that
// instantiates softnum's number types.
#include "atlas.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace atlas {
namespace {

using softnum::BlockFormatEntry;
using softnum::FormatEntry;
using softnum::FormatFamily;

/// |x| = m * 2^e with m odd (x finite, nonzero).
void odd_significand(double x, std::uint64_t& m, int& e) {
  int exp = 0;
  const double f = std::frexp(std::fabs(x), &exp);  // f in [0.5, 1)
  m = static_cast<std::uint64_t>(std::ldexp(f, 64 - 11));
  e = exp - 53;
  const int tz = std::countr_zero(m);
  m >>= tz;
  e += tz;
}

/// The decimal digits of m * 2^e (m odd): value = digits * 10^q, digits without trailing zeros.
void exact_digits(std::uint64_t m, int e, std::string& digits, int& q) {
  std::vector<int> d;  // little-endian decimal digits
  for (std::uint64_t v = m; v != 0; v /= 10) d.push_back(static_cast<int>(v % 10));
  const int factor = e >= 0 ? 2 : 5;  // m * 2^e, or m * 5^-e * 10^e
  for (int i = 0; i < (e >= 0 ? e : -e); ++i) {
    int carry = 0;
    for (int& digit : d) {
      const int t = digit * factor + carry;
      digit = t % 10;
      carry = t / 10;
    }
    for (; carry != 0; carry /= 10) d.push_back(carry % 10);
  }
  q = e >= 0 ? 0 : e;
  std::size_t zeros = 0;
  while (zeros + 1 < d.size() && d[zeros] == 0) ++zeros;
  q += static_cast<int>(zeros);
  digits.clear();
  for (std::size_t i = d.size(); i-- > zeros;) digits += static_cast<char>('0' + d[i]);
}

/// digits * 10^q with the leading digit at 10^lead: positional for -5 <= lead < 21, else
/// scientific ("5.9604644775390625e-8").
std::string place(const std::string& digits, int q) {
  const int n = static_cast<int>(digits.size());
  const int lead = n - 1 + q;
  if (lead >= -5 && lead < 21) {
    if (q >= 0) return digits + std::string(static_cast<std::size_t>(q), '0');
    if (lead >= 0) {
      const auto point = static_cast<std::size_t>(lead + 1);
      return digits.substr(0, point) + "." + digits.substr(point);
    }
    return "0." + std::string(static_cast<std::size_t>(-lead - 1), '0') + digits;
  }
  std::string s = digits.substr(0, 1);
  if (n > 1) s += "." + digits.substr(1);
  return s + "e" + std::to_string(lead);
}

constexpr std::size_t kExactDigits = 21;    // longer decimals are shown rounded
constexpr std::size_t kRoundedDigits = 12;  // to this many digits

std::string hex_code(std::uint64_t code, int bits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*llX", (bits + 3) / 4, static_cast<unsigned long long>(code));
  return buf;
}

std::string join_codes(const std::vector<std::uint64_t>& codes, int bits) {
  std::string s;
  for (std::uint64_t c : codes) s += (s.empty() ? "" : ", ") + hex_code(c, bits);
  return s;
}

/// The number of codes a fraction of the 2^bits codes stands for (exact: registry fractions are
/// counts divided by a power of two).
std::uint64_t code_count(double fraction, int bits) {
  return static_cast<std::uint64_t>(std::ldexp(fraction, bits));
}

std::string link(const std::string& name) { return "[" + name + "](#" + name + ")"; }

std::string layout(const FormatEntry& e) {
  switch (e.family) {
    case FormatFamily::posit:
      return "posit, es " + std::to_string(e.exponent_bits);
    case FormatFamily::fixed:
      return "Q" + std::to_string(e.bits - e.fraction_bits - 1) + "." +
             std::to_string(e.fraction_bits);
    default:
      return std::string(e.is_signed ? "1" : "0") + "." + std::to_string(e.exponent_bits) + "." +
             std::to_string(e.fraction_bits);
  }
}

std::string infinities(const FormatEntry& e) {
  const std::uint64_t n = code_count(e.inf_fraction, e.bits);
  if (n == 0) return "none";
  std::string s = n == 1 ? "+inf" : "+inf and -inf";
  if (!e.inf_codes.empty()) s += ": " + join_codes(e.inf_codes, e.bits);
  return s;
}

std::string nans(const FormatEntry& e) {
  const std::uint64_t n = code_count(e.nan_fraction, e.bits);
  if (n == 0) return "none";
  std::string s = std::string(e.family == FormatFamily::posit ? "NaR, " : "") + std::to_string(n) +
                  (n == 1 ? " code" : " codes");
  if (!e.nan_codes.empty()) s += ": " + join_codes(e.nan_codes, e.bits);
  return s;
}

std::string zeros(const FormatEntry& e) {
  switch (e.zeros) {
    case 2:
      return "+0 and -0";
    case 1:
      return "one zero (no -0)";
    default:
      return "none";
  }
}

std::string overflow(const FormatEntry& e) {
  const double v = e.overflow_value;
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return "+inf";
  if (v == e.max) return "saturates to the largest finite value";
  return value(v);
}

std::string origin(const std::string& standard, const std::string& ml_dtypes,
                   const std::string& torch) {
  std::string s = standard.empty() ? "-" : standard;
  if (!ml_dtypes.empty()) s += "; ml_dtypes `" + ml_dtypes + "`";
  if (!torch.empty()) s += "; PyTorch `" + torch + "`";
  return s;
}

void row(std::string& out, const std::string& property, const std::string& text) {
  out += "| " + property + " | " + text + " |\n";
}

}  // namespace

const std::vector<FormatEntry>& formats() { return softnum::standard_formats(); }

const std::vector<BlockFormatEntry>& block_formats() { return softnum::standard_block_formats(); }

std::string decimal(double x) {
  if (x == 0) return std::signbit(x) ? "-0" : "0";
  std::uint64_t m = 0;
  int e = 0;
  odd_significand(x, m, e);
  std::string digits;
  int q = 0;
  exact_digits(m, e, digits, q);
  const std::string sign = x < 0 ? "-" : "";
  if (digits.size() <= kExactDigits) return sign + place(digits, q);
  // Round to kRoundedDigits, half up (the digits are exact, so a tie is exact too).
  const bool up = digits[kRoundedDigits] >= '5';
  q += static_cast<int>(digits.size() - kRoundedDigits);
  digits.resize(kRoundedDigits);
  for (std::size_t i = kRoundedDigits; up && i-- > 0;) {
    if (digits[i] == '9') {
      digits[i] = '0';
      if (i == 0) {
        digits.insert(digits.begin(), '1');
        digits.pop_back();
        ++q;
      }
    } else {
      ++digits[i];
      break;
    }
  }
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++q;
  }
  return "≈" + sign + place(digits, q);
}

std::string power_of_two(double x) {
  if (x == 0) return "0";
  std::uint64_t m = 0;
  int e = 0;
  odd_significand(x, m, e);
  const std::string sign = x < 0 ? "-" : "";
  if (m == 1) return sign + "2^" + std::to_string(e);
  const int width = static_cast<int>(std::bit_width(m));
  const int lead = e + width - 1;  // |x| = (m / 2^(width-1)) * 2^lead
  const std::string scale = lead == 0 ? "" : " × 2^" + std::to_string(lead);
  if (m == (std::uint64_t{1} << width) - 1 && width >= 6) {  // else a short decimal
    return sign + "(2 - 2^-" + std::to_string(width - 1) + ")" + scale;
  }
  return sign + decimal(std::ldexp(static_cast<double>(m), 1 - width)) + scale;
}

std::string value(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "+inf" : "-inf";
  const std::string d = decimal(x), p = power_of_two(x);
  if (d.rfind("≈", 0) == 0) return p + " " + d;
  return d == p ? d : d + " = " + p;
}

std::string card(const FormatEntry& e) {
  std::string out = "### " + e.name + "\n\n";
  out += "`" + e.type + "`" + (e.note.empty() ? "" : " (" + e.note + ")") + "\n\n";
  out += "| property | value |\n|---|---|\n";
  row(out, "matches", origin(e.standard, e.ml_dtypes, e.torch));
  const std::string bits = std::to_string(e.bits);
  switch (e.family) {
    case FormatFamily::posit:
      row(out, "bits",
          bits + ": sign 1, regime, exponent " + std::to_string(e.exponent_bits) + ", up to " +
              std::to_string(e.fraction_bits) + " fraction bits");
      row(out, "largest finite (maxpos)", value(e.max));
      row(out, "smallest positive (minpos)", value(e.min_positive));
      break;
    case FormatFamily::fixed:
      row(out, "bits",
          bits + ": two's complement " + layout(e) + ", " + std::to_string(e.fraction_bits) +
              " fraction bits");
      row(out, "largest", value(e.max));
      row(out, "smallest (lowest)", value(e.lowest));
      row(out, "step (smallest positive)", value(e.min_positive));
      break;
    default:
      row(out, "bits",
          bits + ": " + (e.is_signed ? "sign 1" : "no sign bit") + ", exponent " +
              std::to_string(e.exponent_bits) + ", fraction " + std::to_string(e.fraction_bits));
      row(out, "exponent bias", std::to_string(e.bias));
      row(out, "largest finite", value(e.max));
      if (!e.is_signed) row(out, "smallest (lowest)", value(e.lowest));
      row(out, "smallest normal", value(e.min_normal));
      row(out, "smallest subnormal",
          e.min_positive < e.min_normal ? value(e.min_positive) : "none (no subnormals)");
      break;
  }
  row(out, "machine epsilon",
      value(e.epsilon) + "; precision " + std::to_string(e.digits) +
          (e.digits == 1 ? " bit" : " bits"));
  row(out, "infinity", infinities(e));
  row(out, "NaN", nans(e));
  row(out, "zero", zeros(e));
  row(out, "overflow (nearest even)", overflow(e));
  if (!e.saturation.empty()) row(out, "P3109 saturation mode", e.saturation);
  return out + "\n";
}

std::string card(const BlockFormatEntry& e) {
  std::string out = "### " + e.name + "\n\n";
  out += "`" + e.type + "`" + (e.note.empty() ? "" : " (" + e.note + ")") + "\n\n";
  out += "| property | value |\n|---|---|\n";
  row(out, "matches", e.standard.empty() ? "-" : e.standard);
  row(out, "elements", link(e.element) + ", " + std::to_string(e.element_bits) + " bits");
  row(out, "block size", std::to_string(e.block_size) + " elements per scale");
  row(out, "scale", link(e.scale) + ", " + std::to_string(e.scale_bits) + " bits per block");
  if (!e.tensor_scale.empty()) row(out, "tensor scale", link(e.tensor_scale) + ", one per tensor");
  char bpv[32];
  std::snprintf(bpv, sizeof bpv, "%g", e.bits_per_value);
  row(out, "storage",
      std::to_string(e.block_bytes) + " bytes per block, " + bpv + " bits per value");
  row(out, "largest value", value(e.max) + " (largest scale × largest element)");
  row(out, "smallest positive",
      value(e.min_positive) + " (smallest scale × smallest positive element)");
  return out + "\n";
}

std::string markdown() {
  const auto& all = formats();
  const auto& blocks = block_formats();
  std::string out;
  out += "# Format atlas\n\n";
  out +=
      "Every format of softnum's run-time registry (`<softnum/registry.hpp>`): " +
      std::to_string(all.size()) + " scalar formats and " + std::to_string(blocks.size()) +
      " block-scaled formats, one card each. This file is written by the program `softnum_atlas` "
      "(examples/atlas) from the registry's entries, which read every value from the type "
      "(`std::numeric_limits`, the codec); do not edit it by hand. Regenerate it with\n\n";
  out +=
      "```sh\ncmake --build build --target softnum_atlas\n"
      "build/examples/atlas/softnum_atlas --output docs/formats.md\n```\n\n";
  out +=
      "The CTest test `atlas_up_to_date` fails when this file differs from the program's output, "
      "and "
      "`atlas_test` checks cards against values taken from the standards.\n\n";
  out +=
      "Values are exact: a decimal where it has at most " + std::to_string(kExactDigits) +
      " significant digits, and a power of two (`1.75 × 2^8`, `(2 - 2^-23) × 2^127`); ≈ marks a "
      "decimal rounded to " +
      std::to_string(kRoundedDigits) +
      " digits. Machine epsilon is the distance from 1 to the next value; the precision counts "
      "significant bits (posits: at 1; fixed point: the bits after the sign). Overflow: what a "
      "positive value far beyond the largest finite one becomes in round-to-nearest-even. Layout "
      "s.e.f: sign, exponent and fraction bits; Qi.f: two's complement with i integer bits after "
      "the sign and f fraction bits.\n\n";
  out +=
      "Standards: IEEE 754-2019; OCP OFP8 v1.0 = OCP 8-bit Floating Point Specification (OFP8) "
      "Revision 1.0; OCP MX v1.0 = OCP Microscaling Formats (MX) Specification v1.0; IEEE P3109 "
      "v4.0 = IEEE P3109 Interim Report v4.0 (June 2026); Posit Standard (2022). ml_dtypes and "
      "PyTorch: the dtype with the same values.\n\n";

  out += "## Scalar formats\n\n";
  out +=
      "| format | bits | layout | bias | largest finite | smallest normal | smallest positive | "
      "epsilon "
      "| inf | NaN codes | zeros |\n";
  out += "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const FormatEntry& e : all) {
    const bool floating = e.family == FormatFamily::floating || e.family == FormatFamily::native;
    out += "| " + link(e.name) + " | " + std::to_string(e.bits) + " | " + layout(e) + " | " +
           (e.has_bias ? std::to_string(e.bias) : "-") + " | " + value(e.max) + " | " +
           (floating ? power_of_two(e.min_normal) : "-") + " | " + power_of_two(e.min_positive) +
           " | " + power_of_two(e.epsilon) + " | " + (e.has_infinity ? "yes" : "no") + " | " +
           std::to_string(code_count(e.nan_fraction, e.bits)) + " | " + std::to_string(e.zeros) +
           " |\n";
  }
  out += "\n## Block-scaled formats\n\n";
  out +=
      "| format | element | block | scale | tensor scale | bits per value | largest | smallest "
      "positive |\n";
  out += "|---|---|---|---|---|---|---|---|\n";
  for (const BlockFormatEntry& e : blocks) {
    char bpv[32];
    std::snprintf(bpv, sizeof bpv, "%g", e.bits_per_value);
    out += "| " + link(e.name) + " | " + e.element + " | " + std::to_string(e.block_size) + " | " +
           e.scale + " | " + (e.tensor_scale.empty() ? "-" : e.tensor_scale) + " | " + bpv + " | " +
           power_of_two(e.max) + " | " + power_of_two(e.min_positive) + " |\n";
  }
  out += "\n## Cards: scalar formats\n\n";
  for (const FormatEntry& e : all) out += card(e);
  out += "## Cards: block-scaled formats\n\n";
  for (const BlockFormatEntry& e : blocks) out += card(e);
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
    out.pop_back();
  return out;
}

}  // namespace atlas
