// softnum/core/convert.hpp - convert<To>(from): one correctly rounded conversion between any two
// types.
// SPDX-License-Identifier: MIT
//
// Every type provides two operations through `detail::number_traits<T>`:
//   unpack(x)                 -> detail::Unpacked, the exact value (sign, integer significand,
//   exponent) pack(Unpacked, Round, r)  -> T, rounded once in the given mode (r: random word for
//   stochastic)
// convert<To>(from) = pack<To>(unpack(from)): adding a type adds one decode and one encode, not N
// conversions, and no value ever passes through an intermediate format that could round twice.
// The exact intermediate holds up to 128 significand bits, enough for every softnum type
// (Float<15,112>: 113 bits; posit64: 60; Fixed<I,F>: 64) and every native integer.
#pragma once

#include <softnum/core/random.hpp>
#include <softnum/core/round.hpp>

#include <concepts>  // std::integral
#include <cstdint>   // std::uint32_t

namespace softnum {
namespace detail {

template <class T>
struct number_traits;  // specialised by every type in its header (Float, double, float: float.hpp)

/// The random word a type's operators use: none unless the default mode is stochastic.
template <Round R>
SOFTNUM_HOST_DEVICE inline std::uint32_t operator_random() noexcept {
  if constexpr (R != Round::stochastic) {
    return 0;
  } else {
#if SOFTNUM_DEVICE_PASS
    static_assert(
        R != Round::stochastic,
        "softnum: operators of a Round::stochastic type use a per-thread generator, which "
        "device code lacks; call add<Round::stochastic>(a, b, random_word) instead");
    return 0;
#else
    return thread_random_word();
#endif
  }
}
template <Round R>
SOFTNUM_HOST_DEVICE constexpr std::uint32_t operator_random_c() noexcept {
  // In constant evaluation there is no generator: stochastic rounding uses the word 0.
  if (SOFTNUM_IS_CONSTANT_EVALUATED()) return 0;
  return operator_random<R>();
}

/// Integers: conversion to an integer rounds in the requested mode (nearest-even by default, like
/// lrint; a C++ cast of a softnum value truncates instead) and saturates; NaN gives 0.
template <std::integral I>
struct number_traits<I> {
  static constexpr Round default_round = Round::nearest_even;
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(I x) noexcept { return unpack_integer(x); }
  SOFTNUM_HOST_DEVICE static constexpr I pack(const Unpacked& u, Round mode,
                                              std::uint32_t r) noexcept {
    return to_integer<I>(u, mode, r);
  }
};

}  // namespace detail

/// A type convert<> understands: softnum types and native arithmetic types.
template <class T>
concept Convertible = requires(T x, const detail::Unpacked& u) {
  { detail::number_traits<T>::unpack(x) } -> std::same_as<detail::Unpacked>;
  { detail::number_traits<T>::pack(u, Round::nearest_even, 0u) } -> std::same_as<T>;
};

/// from, rounded once to To in To's default rounding mode.
template <Convertible To, Convertible From>
SOFTNUM_HOST_DEVICE constexpr To convert(From from) noexcept {
  constexpr Round mode = detail::number_traits<To>::default_round;
  return detail::number_traits<To>::pack(detail::number_traits<From>::unpack(from), mode,
                                         detail::operator_random_c<mode>());
}

/// from, rounded once to To in mode R (for Round::stochastic, with the given random word).
template <Convertible To, Round R, Convertible From>
SOFTNUM_HOST_DEVICE constexpr To convert(
    From from, std::uint32_t random = detail::operator_random_c<R>()) noexcept {
  return detail::number_traits<To>::pack(detail::number_traits<From>::unpack(from), R, random);
}

}  // namespace softnum
