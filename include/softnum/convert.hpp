// softnum/convert.hpp - convert<To>(from): one correctly rounded conversion between any two types.
// SPDX-License-Identifier: MIT
//
// Every type provides two operations through `detail::number_traits<T>`:
//   unpack(x)                 -> detail::Unpacked, the exact value (sign, integer significand, exponent)
//   pack(Unpacked, Round, r)  -> T, rounded once in the given mode (r: random word for stochastic)
// convert<To>(from) = pack<To>(unpack(from)): adding a type adds one decode and one encode, not N
// conversions, and no value ever passes through an intermediate format that could round twice.
// The exact intermediate holds up to 128 significand bits, enough for every softnum type
// (Float<15,112>: 113 bits; posit64: 60; Fixed<I,F>: 64) and every native integer.
#pragma once

#include <softnum/float.hpp>
#include <softnum/round.hpp>

#include <concepts>  // std::integral
#include <cstdint>   // std::uint32_t

namespace softnum {
namespace detail {

template <class T>
struct number_traits;  // specialised by every type (Float below; Posit, Fixed in their headers)

template <FloatFormat T>
struct number_traits<T> {
  static constexpr Round default_round = T::rounding;
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(T x) noexcept { return x.unpack(); }
  SOFTNUM_HOST_DEVICE static constexpr T pack(const Unpacked& u, Round mode, std::uint32_t r) noexcept {
    return T::from_unpacked(u, mode, r);
  }
};

template <>
struct number_traits<double> {
  static constexpr Round default_round = Round::nearest_even;
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(double x) noexcept { return unpack_double(x); }
  SOFTNUM_HOST_DEVICE static constexpr double pack(const Unpacked& u, Round mode, std::uint32_t r) noexcept {
    return bit_cast<double>(binary64::from_unpacked(u, mode, r).bits());
  }
};

template <>
struct number_traits<float> {
  static constexpr Round default_round = Round::nearest_even;
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(float x) noexcept {
    return binary32::from_bits(bit_cast<std::uint32_t>(x)).unpack();
  }
  SOFTNUM_HOST_DEVICE static constexpr float pack(const Unpacked& u, Round mode, std::uint32_t r) noexcept {
    return bit_cast<float>(binary32::from_unpacked(u, mode, r).bits());
  }
};

/// Integers: conversion to an integer rounds in the requested mode (nearest-even by default, like
/// lrint; a C++ cast of a softnum value truncates instead) and saturates; NaN gives 0.
template <std::integral I>
struct number_traits<I> {
  static constexpr Round default_round = Round::nearest_even;
  SOFTNUM_HOST_DEVICE static constexpr Unpacked unpack(I x) noexcept { return unpack_integer(x); }
  SOFTNUM_HOST_DEVICE static constexpr I pack(const Unpacked& u, Round mode, std::uint32_t r) noexcept {
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
SOFTNUM_HOST_DEVICE constexpr To convert(From from, std::uint32_t random = detail::operator_random_c<R>()) noexcept {
  return detail::number_traits<To>::pack(detail::number_traits<From>::unpack(from), R, random);
}

}  // namespace softnum
