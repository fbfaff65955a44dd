// The exhaustive and sampled checks of Float operations against the independent oracle
// (tests/oracle/oracle.hpp), shared by float_test.cpp and float_variants_test.cpp.
#pragma once

#include <softnum/softnum.hpp>

#include <cstdint>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "support/float_oracle_bridge.hpp"
#include "support/test_scale.hpp"

namespace float_checks {

using namespace softnum;
using bridge::Mismatches;

// Public per-call API with a runtime mode.
#define SOFTNUM_DISPATCH(call)                 \
  switch (r) {                                 \
    case Round::nearest_even: {                \
      constexpr Round R = Round::nearest_even; \
      return call;                             \
    }                                          \
    case Round::nearest_away: {                \
      constexpr Round R = Round::nearest_away; \
      return call;                             \
    }                                          \
    case Round::toward_zero: {                 \
      constexpr Round R = Round::toward_zero;  \
      return call;                             \
    }                                          \
    case Round::up: {                          \
      constexpr Round R = Round::up;           \
      return call;                             \
    }                                          \
    case Round::down: {                        \
      constexpr Round R = Round::down;         \
      return call;                             \
    }                                          \
    case Round::odd: {                         \
      constexpr Round R = Round::odd;          \
      return call;                             \
    }                                          \
    case Round::stochastic: {                  \
      constexpr Round R = Round::stochastic;   \
      return call;                             \
    }                                          \
  }                                            \
  return T{};

enum class Op { add, sub, mul, div };
inline const char* op_name(Op op) {
  return op == Op::add ? "add" : op == Op::sub ? "sub" : op == Op::mul ? "mul" : "div";
}

template <class T>
T lib(Op op, Round r, T a, T b, std::uint32_t w) {
  switch (op) {
    case Op::add: {
      SOFTNUM_DISPATCH((softnum::add<R>(a, b, w)))
    }
    case Op::sub: {
      SOFTNUM_DISPATCH((softnum::sub<R>(a, b, w)))
    }
    case Op::mul: {
      SOFTNUM_DISPATCH((softnum::mul<R>(a, b, w)))
    }
    case Op::div: {
      SOFTNUM_DISPATCH((softnum::div<R>(a, b, w)))
    }
  }
  return T{};
}
template <class T>
T lib_sqrt(Round r, T a, std::uint32_t w) {
  SOFTNUM_DISPATCH((softnum::sqrt<R>(a, w)))
}
template <class T>
T lib_fma(Round r, T a, T b, T c, std::uint32_t w) {
  SOFTNUM_DISPATCH((softnum::fma<R>(a, b, c, w)))
}

template <class T>
oracle::Exact exact(Op op, const oracle::Exact& x, const oracle::Exact& y, Round r) {
  switch (op) {
    case Op::add:
      return oracle::add(x, y, bridge::mode(r));
    case Op::sub:
      return oracle::sub(x, y, bridge::mode(r));
    case Op::mul:
      return oracle::mul(x, y);
    case Op::div:
      return oracle::div(x, y);
  }
  return {};
}

template <class T>
std::string hex_pair(oracle::Bits a, oracle::Bits b) {
  return "a=" + oracle::detail::hex(a, 128) + " b=" + oracle::detail::hex(b, 128);
}
inline std::uint64_t u64(oracle::Bits x) { return static_cast<std::uint64_t>(x ^ (x >> 64)); }

/// One binary op on (a, b) in every mode, checked against the oracle.
template <class T>
void check_binary(Mismatches& m, Op op, typename T::storage_type a, typename T::storage_type b) {
  const oracle::Format f = bridge::format<T>();
  const oracle::Exact x = oracle::decode(a, f), y = oracle::decode(b, f);
  const oracle::Exact e_mul =
      (op == Op::mul || op == Op::div) ? exact<T>(op, x, y, Round::nearest_even) : oracle::Exact{};
  for (Round r : bridge::kModes) {
    const std::uint32_t w =
        bridge::mix((u64(a) << 32) ^ u64(b) ^ (static_cast<std::uint64_t>(r) << 60));
    const oracle::Exact e = (op == Op::mul || op == Op::div) ? e_mul : exact<T>(op, x, y, r);
    const oracle::Bits want = oracle::round(e, f, bridge::mode(r), w, bridge::sr_bits<T>());
    const T got = lib<T>(op, r, T::from_bits(a), T::from_bits(b), w);
    m.check<T>(op_name(op), r, want, got.bits(), hex_pair<T>(a, b));
  }
}

template <class T>
void check_sqrt(Mismatches& m, typename T::storage_type a) {
  const oracle::Format f = bridge::format<T>();
  const oracle::Exact e = oracle::sqrt(oracle::decode(a, f));
  for (Round r : bridge::kModes) {
    const std::uint32_t w = bridge::mix(u64(a) * 7919u + static_cast<unsigned>(r));
    m.check<T>("sqrt", r, oracle::round(e, f, bridge::mode(r), w, bridge::sr_bits<T>()),
               lib_sqrt<T>(r, T::from_bits(a), w).bits(), hex_pair<T>(a, 0));
  }
}

template <class T>
void check_fma(Mismatches& m, typename T::storage_type a, typename T::storage_type b,
               typename T::storage_type c) {
  const oracle::Format f = bridge::format<T>();
  const oracle::Exact x = oracle::decode(a, f), y = oracle::decode(b, f), z = oracle::decode(c, f);
  for (Round r : bridge::kModes) {
    const std::uint32_t w =
        bridge::mix((u64(a) << 40) ^ (u64(b) << 20) ^ u64(c) ^ static_cast<unsigned>(r));
    const oracle::Bits want = oracle::round(oracle::fma(x, y, z, bridge::mode(r)), f,
                                            bridge::mode(r), w, bridge::sr_bits<T>());
    m.check<T>("fma", r, want,
               lib_fma<T>(r, T::from_bits(a), T::from_bits(b), T::from_bits(c), w).bits(),
               hex_pair<T>(a, b) + " c=" + oracle::detail::hex(c, 128));
  }
}

/// Every operand pair, every op, every mode; every value for sqrt; random fma triples.
template <class T>
void exhaustive_small() {
  using st = typename T::storage_type;
  const int n = 1 << T::codec::width;
  Mismatches m;
  for (int i = 0; i < n; ++i) {
    check_sqrt<T>(m, static_cast<st>(i));
    for (long j = test_scale::first(i); j < n; j += test_scale::divisor())
      for (Op op : {Op::add, Op::sub, Op::mul, Op::div})
        check_binary<T>(m, op, static_cast<st>(i), static_cast<st>(j));
  }
  std::mt19937_64 g(7);
  for (long k = 0; k < test_scale::samples(20000L); ++k)
    check_fma<T>(m, static_cast<st>(g() % n), static_cast<st>(g() % n), static_cast<st>(g() % n));
  INFO("checked " << m.checked);
  CHECK(m.count == 0);
  CHECK(m.checked > 7L * 4 * n * (n / test_scale::divisor()));
}

}  // namespace float_checks
