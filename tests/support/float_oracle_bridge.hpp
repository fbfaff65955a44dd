// Maps softnum Float types and modes to the independent oracle's descriptions.
#pragma once

#include <softnum/softnum.hpp>

#include "oracle/oracle.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

namespace bridge {

inline constexpr softnum::Round kModes[] = {
    softnum::Round::nearest_even, softnum::Round::nearest_away, softnum::Round::toward_zero,
    softnum::Round::up,           softnum::Round::down,         softnum::Round::odd,
    softnum::Round::stochastic};

inline oracle::Mode mode(softnum::Round r) { return static_cast<oracle::Mode>(static_cast<int>(r)); }

inline const char* mode_name(softnum::Round r) {
  static const char* names[] = {"nearest_even", "nearest_away", "toward_zero", "up", "down", "odd", "stochastic"};
  return names[static_cast<int>(r)];
}

template <class T>
oracle::Format format() {
  oracle::Format f{T::exponent_bits, T::mantissa_bits};
  f.specials = static_cast<oracle::Specials>(static_cast<int>(T::specials));
  f.overflow = static_cast<oracle::Overflow>(static_cast<int>(T::overflow));
  f.subnormals = T::has_subnormals;
  // The layout parameters as written in the type (FloatSpec), not as the library derives them.
  constexpr softnum::FloatSpec spec = T::codec::spec;
  f.custom_bias = spec.bias != softnum::FloatSpec::standard_bias;
  f.bias_value = f.custom_bias ? spec.bias : 0;
  f.is_unsigned = spec.signedness == softnum::Signedness::unsigned_;
  f.has_zero = spec.has_zero;
  return f;
}

template <class T>
int sr_bits() {
  return softnum::detail::stochastic_bits(T::mantissa_bits);
}

/// Equal bits, or both NaN (NaN payloads and signs of arithmetic NaNs are not compared).
template <class T>
bool same(oracle::Bits expected, typename T::storage_type got) {
  const oracle::Format f = format<T>();
  return expected == static_cast<oracle::Bits>(got) ||
         (oracle::is_nan(expected, f) && oracle::is_nan(static_cast<oracle::Bits>(got), f));
}

/// Counts mismatches and reports the first few with full context.
struct Mismatches {
  long count = 0;
  long checked = 0;
  template <class T>
  void check(const char* what, softnum::Round r, oracle::Bits expected, typename T::storage_type got,
             const std::string& operands) {
    ++checked;
    if (same<T>(expected, got)) return;
    if (++count <= 5) {
      const oracle::Format f = format<T>();
      FAIL_CHECK(what << " [" << mode_name(r) << "] " << operands << ": expected "
                      << oracle::describe(expected, f) << ", got "
                      << oracle::describe(static_cast<oracle::Bits>(got), f));
    }
  }
};

inline std::uint32_t mix(std::uint64_t x) {  // operand-derived random word for stochastic rounding
  x ^= x >> 31;
  x *= 0x9E3779B97F4A7C15ull;
  x ^= x >> 29;
  return static_cast<std::uint32_t>(x >> 16);
}

}  // namespace bridge
