// Shared by the translation units of registry_test (tests/registry_test*.cpp): the inputs and
// the expected roundings (convert<T, R>), independent of the registry under test.
#pragma once

#include <softnum/registry.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

namespace registry_test {

using softnum::FormatEntry;
using softnum::Round;

inline constexpr Round kModes[] = {Round::nearest_even, Round::nearest_away, Round::toward_zero,
                                   Round::up,           Round::down,         Round::odd,
                                   Round::stochastic};

/// The standard format named `name` (registry_test.cpp; a missing name fails the test case).
const FormatEntry& entry(const char* name);

/// Bitwise equality, with every NaN equal to every NaN.
template <class S>
bool same(S a, S b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::bit_cast<std::conditional_t<sizeof(S) == 4, std::uint32_t, std::uint64_t>>(a) ==
         std::bit_cast<std::conditional_t<sizeof(S) == 4, std::uint32_t, std::uint64_t>>(b);
}

/// Inputs in storage S: edge values of T and of S, and random bit patterns of S scaled into T's
/// range (so that most land inside it, some in its subnormal/minpos region, some beyond max).
template <class T, class S>
std::vector<S> inputs(std::uint64_t seed) {
  using L = std::numeric_limits<T>;
  const auto mx = static_cast<double>(L::max()), mn = static_cast<double>(L::denorm_min()),
             nrm = static_cast<double>(L::min());
  std::vector<double> d = {0.0,    1.0,       1.5,         mx,     mn,    nrm,
                           mn / 2, mn * 0.75, mx * 1.0001, mx * 2, 1e300, 1e-300};
  std::vector<S> x;
  for (double v : d) {
    for (double s : {1.0, -1.0}) x.push_back(static_cast<S>(s * v));
  }
  x.push_back(std::numeric_limits<S>::infinity());
  x.push_back(-std::numeric_limits<S>::infinity());
  x.push_back(std::numeric_limits<S>::quiet_NaN());
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(std::log2(mn) - 4, std::log2(mx) + 4);
  for (int i = 0; i < 3000; ++i) {
    const double v = std::ldexp(std::uniform_real_distribution<double>(1, 2)(rng),
                                static_cast<int>(exponent(rng)));
    x.push_back(static_cast<S>((rng() & 1) != 0 ? -v : v));
  }
  return x;
}

template <class T, class S>
S expected_round(S x, Round mode, std::uint32_t word) {
  T t{};
  switch (mode) {
    case Round::nearest_even:
      t = softnum::convert<T, Round::nearest_even>(x);
      break;
    case Round::nearest_away:
      t = softnum::convert<T, Round::nearest_away>(x);
      break;
    case Round::toward_zero:
      t = softnum::convert<T, Round::toward_zero>(x);
      break;
    case Round::up:
      t = softnum::convert<T, Round::up>(x);
      break;
    case Round::down:
      t = softnum::convert<T, Round::down>(x);
      break;
    case Round::odd:
      t = softnum::convert<T, Round::odd>(x);
      break;
    case Round::stochastic:
      t = softnum::convert<T, Round::stochastic>(x, word);
      break;
  }
  if constexpr (std::is_same_v<T, S>) {
    return t;
  } else {
    return static_cast<S>(static_cast<double>(t));
  }
}

}  // namespace registry_test
