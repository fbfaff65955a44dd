// softnum/gemm/gemm_paths.hpp - the per-output step sequences of the GPU GEMM (cuda/gemm.cuh),
// written as plain SOFTNUM_HOST_DEVICE code so that the host tests can check every path against
// gemm_reference (tests/gemm_paths_test.cpp) with the very code the kernels run.
// SPDX-License-Identifier: MIT
//
// A path computes one output of the model of gemm.hpp as a sequence of calls:
//   State st = Path::init(c_in, i, j, ctx);
//   for k = 0 .. K-1:  Path::step(st, Path::expand_a(a_k), Path::expand_b(b_k), k, i, j, ctx);
//                      if ctx.chunk > 0 and k ends a chunk: Path::end_chunk(st, k, i, j, ctx);
//   C(i,j) = Path::finish(st, i, j, ctx);
// The tiled kernel makes exactly these calls for each output, in increasing k, so a path gives
// the bits of detail::gemm_element whenever applies(ctx) holds. Paths:
//   GenericPath:  any types and modes; gemm_element's own operations on detail::Unpacked.
//   F32Path:      float/binary32 accumulator, products in float or fused (fma), nearest-even,
//                 inputs exactly representable in float: IEEE fp32 operations are the model.
//   SmallFloatPath: product and accumulator Float formats of p <= 11 bits (binary16, bfloat16,
//                 fp8), nearest-even, unfused: fp32 operation then one rounding to the format,
//                 an innocuous double rounding (ROUNDING.md 1.1-1.2; the same argument as
//                 FloatArith's float lanes, which are tested exhaustively).
//   DoublePath:   product and accumulator Float formats with E <= 8, M <= 23, inputs whose
//                 products are exact in double, every rounding mode (stochastic for M <= 18):
//                 exact double product, round-to-odd double sum (TwoSum), one rounding.
//   FixedPath:    Fixed inputs, exact products (fused, or a product format that holds them),
//                 Fixed accumulator with the products' fraction bits: integer arithmetic in
//                 int64, the overflow policy applied at every step; no rounding ever happens, so
//                 every mode gives the same bits.
#pragma once

#include <softnum/gemm/gemm.hpp>
#include <softnum/types/fixed.hpp>

#include <cmath>        // std::fma (host side of fma_rn)
#include <cstddef>      // std::ptrdiff_t
#include <cstdint>      // std::uint64_t, std::int64_t
#include <type_traits>  // std::is_same_v

namespace softnum::detail::gemm_paths {

/// The run-time options a path needs (GemmOptions without the host-only parts).
struct Context {
  Round mode = Round::nearest_even;
  Round output_mode = Round::nearest_even;
  std::uint64_t seed = 0;
  std::ptrdiff_t K = 0;
  std::ptrdiff_t chunk = 0;
  bool accumulate = false;
};

inline Context make_context(const GemmOptions& o, std::ptrdiff_t K) noexcept {
  return Context{o.round, o.output_round, o.seed, K, o.chunk, o.accumulate};
}

// ----- fp32 operations with IEEE round-to-nearest-even and no contraction -------------------
SOFTNUM_HOST_DEVICE inline float mul_rn(float a, float b) noexcept {
#if defined(__CUDA_ARCH__)
  return __fmul_rn(a, b);
#else
  return a * b;  // softnum's own builds use -ffp-contract=off
#endif
}
SOFTNUM_HOST_DEVICE inline float add_rn(float a, float b) noexcept {
#if defined(__CUDA_ARCH__)
  return __fadd_rn(a, b);
#else
  return a + b;
#endif
}
SOFTNUM_HOST_DEVICE inline float fma_rn(float a, float b, float c) noexcept {
#if defined(__CUDA_ARCH__)
  return __fmaf_rn(a, b, c);
#else
  return std::fma(a, b, c);
#endif
}

// ----- format facts ---------------------------------------------------------------------------
template <class T>
struct float_facts {  // not a Float format, not float
  static constexpr bool in_f32 = false;
  static constexpr bool lanes = false;
};
template <>
struct float_facts<float> {
  static constexpr bool in_f32 = true;  // every value exactly a float
  static constexpr bool lanes = false;  // FloatLanes applies (E <= 8, 1 <= M <= 10)
  static constexpr int p = 24, quantum = -149, emax = 127;
};
template <FloatFormat T>
struct float_facts<T> {
  using C = typename T::codec;
  static constexpr int p = T::mantissa_bits + 1;
  static constexpr int quantum = C::subnormals ? C::emin - T::mantissa_bits : C::emin;
  static constexpr int emax = C::emax;
  static constexpr bool in_f32 = T::exponent_bits <= 8 && T::mantissa_bits <= 23 &&
                                 C::emin - T::mantissa_bits >= -149 && C::emax <= 127;
  static constexpr bool lanes =
      T::exponent_bits <= 8 && T::mantissa_bits >= 1 && T::mantissa_bits <= 10 && C::standard_layout;
  static constexpr bool via_float = T::arith::via_float;  // RNE + - x through fp32 is exact
};

/// x as a float, exactly (T with float_facts<T>::in_f32).
template <class T>
SOFTNUM_HOST_DEVICE constexpr float to_f32(T x) noexcept {
  if constexpr (std::is_same_v<T, float>) {
    return x;
  } else if constexpr (float_facts<T>::lanes) {
    return FloatLanes<typename T::codec>::decode(x.bits());
  } else {
    return unpacked_to_float(x.unpack());
  }
}

/// Whether the product of any TA value and any TB value is exact in fp32.
template <class TA, class TB>
constexpr bool product_exact_in_f32() {
  if constexpr (float_facts<TA>::in_f32 && float_facts<TB>::in_f32) {
    using FA = float_facts<TA>;
    using FB = float_facts<TB>;
    return FA::p + FB::p <= 24 && FA::quantum + FB::quantum >= -149 &&
           FA::emax + FB::emax + 2 <= 128;
  } else {
    return false;
  }
}

/// Whether every value of P is a value of A (both Float formats; conservative).
template <class P, class A>
constexpr bool float_subset() {
  if constexpr (std::is_same_v<P, A>) {
    return true;
  } else if constexpr (FloatFormat<P> && FloatFormat<A>) {
    using FP = float_facts<P>;
    using FA = float_facts<A>;
    // With p_P <= p_A and emax_P <= emax_A, P's largest value is at most A's.
    return A::has_subnormals && FP::p <= FA::p && FP::quantum >= FA::quantum &&
           FP::emax <= FA::emax && (!P::codec::has_inf || A::codec::has_inf);
  } else {
    return false;
  }
}

/// The random word of one rounding (gemm.hpp's counters).
SOFTNUM_HOST_DEVICE constexpr std::uint32_t word(Round mode, std::uint64_t seed, std::ptrdiff_t i,
                                                 std::ptrdiff_t j, std::ptrdiff_t k,
                                                 unsigned role) noexcept {
  return gemm_word(mode, seed, gemm_counter(i, j), k, role);
}

/// The output rounding shared by the fast paths: the accumulator's exact value (as Unpacked),
/// rounded once to TC.
template <class TC>
SOFTNUM_HOST_DEVICE constexpr TC output(const Unpacked& total, std::ptrdiff_t i, std::ptrdiff_t j,
                                        const Context& ctx) noexcept {
  return pack_any<TC>(total, ctx.output_mode, word(ctx.output_mode, ctx.seed, i, j, ctx.K, 3));
}

// =============================================================================================
// GenericPath: gemm_element's operations, split into steps.
template <class Model, class TA, class TB, class TC>
struct GenericPath {
  using P = or_type<typename Model::product, TC>;
  using A = or_type<typename Model::accumulator, TC>;
  static constexpr bool fused = std::is_same_v<P, exact_product>;
  static constexpr const char* name = "generic";
  // One output per thread and no unrolling: the state is large, and each inlined copy of a step
  // is a soft-float adder and multiplier (compile time and registers).
  static constexpr int tm = 1, tn = 1, k_unroll = 1;

  using a_type = TA;  // what shared memory holds
  using b_type = TB;
  using a_frag = Unpacked;  // what a thread keeps per k
  using b_frag = Unpacked;
  struct State {
    Unpacked total;
    Unpacked s;
  };

  static constexpr bool applies(const Context&) noexcept { return true; }
  SOFTNUM_HOST_DEVICE static constexpr a_type load_a(TA x) noexcept { return x; }
  SOFTNUM_HOST_DEVICE static constexpr b_type load_b(TB x) noexcept { return x; }
  SOFTNUM_HOST_DEVICE static constexpr a_type zero_a() noexcept { return TA{}; }
  SOFTNUM_HOST_DEVICE static constexpr b_type zero_b() noexcept { return TB{}; }
  SOFTNUM_HOST_DEVICE static constexpr a_frag expand_a(a_type x) noexcept { return unpack_any(x); }
  SOFTNUM_HOST_DEVICE static constexpr b_frag expand_b(b_type x) noexcept { return unpack_any(x); }

  SOFTNUM_HOST_DEVICE static constexpr State init(TC c_in, std::ptrdiff_t i, std::ptrdiff_t j,
                                                  const Context& ctx) noexcept {
    const Unpacked zero = make_special(Kind::zero, false);
    State st{zero, zero};
    if (ctx.accumulate) {
      st.total = unpack_any(
          pack_any<A>(unpack_any(c_in), ctx.mode, word(ctx.mode, ctx.seed, i, j, ctx.K, 2)));
    }
    if (ctx.chunk <= 0) st.s = st.total;
    return st;
  }
  SOFTNUM_HOST_DEVICE static constexpr void step(State& st, const a_frag& x, const b_frag& y,
                                                 std::ptrdiff_t k, std::ptrdiff_t i,
                                                 std::ptrdiff_t j, const Context& ctx) noexcept {
    Unpacked exact;
    if constexpr (fused) {
      exact = exact_fma(x, y, st.s, ctx.mode);
    } else {
      const P p = pack_any<P>(exact_mul(x, y), ctx.mode, word(ctx.mode, ctx.seed, i, j, k, 0));
      exact = exact_add(st.s, unpack_any(p), ctx.mode);
    }
    st.s = unpack_any(pack_any<A>(exact, ctx.mode, word(ctx.mode, ctx.seed, i, j, k, 1)));
  }
  SOFTNUM_HOST_DEVICE static constexpr void end_chunk(State& st, std::ptrdiff_t k, std::ptrdiff_t i,
                                                      std::ptrdiff_t j,
                                                      const Context& ctx) noexcept {
    st.total = unpack_any(pack_any<A>(exact_add(st.total, st.s, ctx.mode), ctx.mode,
                                      word(ctx.mode, ctx.seed, i, j, k, 2)));
    st.s = make_special(Kind::zero, false);
  }
  SOFTNUM_HOST_DEVICE static constexpr TC finish(const State& st, std::ptrdiff_t i,
                                                 std::ptrdiff_t j, const Context& ctx) noexcept {
    return output<TC>(ctx.chunk > 0 ? st.total : st.s, i, j, ctx);
  }
};

// =============================================================================================
// F32Path: accumulator float (or binary32), products rounded to float or fused, nearest-even.
// IEEE fp32 multiply, add and fma are the exact result rounded once to nearest-even, with
// subnormals (nvcc without -ftz, no fast math), so each step is the model's step. The only
// difference is the NaN payload: with K > 0 every NaN of the model is the positive canonical
// NaN (exact_add and exact_fma return it), so finish() maps every NaN to that.
template <class Model, class TA, class TB, class TC>
struct F32Path {
  using P = or_type<typename Model::product, TC>;
  using A = or_type<typename Model::accumulator, TC>;
  static constexpr bool fused = std::is_same_v<P, exact_product>;
  static constexpr bool a_is_f32 = std::is_same_v<A, float> || std::is_same_v<A, binary32>;
  static constexpr bool p_ok = fused || std::is_same_v<P, float> || std::is_same_v<P, binary32>;
  static constexpr bool types_ok =
      a_is_f32 && p_ok && float_facts<TA>::in_f32 && float_facts<TB>::in_f32;
  static constexpr const char* name = "f32";
  static constexpr int tm = 4, tn = 4, k_unroll = 2;

  using a_type = float;
  using b_type = float;
  using a_frag = float;
  using b_frag = float;
  struct State {
    float total;
    float s;
  };

  static constexpr bool applies(const Context& ctx) noexcept {
    return types_ok && ctx.mode == Round::nearest_even && ctx.K > 0;
  }
  SOFTNUM_HOST_DEVICE static constexpr float load_a(TA x) noexcept { return to_f32(x); }
  SOFTNUM_HOST_DEVICE static constexpr float load_b(TB x) noexcept { return to_f32(x); }
  SOFTNUM_HOST_DEVICE static constexpr float zero_a() noexcept { return 0.0f; }
  SOFTNUM_HOST_DEVICE static constexpr float zero_b() noexcept { return 0.0f; }
  SOFTNUM_HOST_DEVICE static constexpr float expand_a(float x) noexcept { return x; }
  SOFTNUM_HOST_DEVICE static constexpr float expand_b(float x) noexcept { return x; }

  SOFTNUM_HOST_DEVICE static constexpr State init(TC c_in, std::ptrdiff_t i, std::ptrdiff_t j,
                                                  const Context& ctx) noexcept {
    State st{0.0f, 0.0f};
    if (ctx.accumulate) {
      st.total =
          pack_any<float>(unpack_any(c_in), ctx.mode, word(ctx.mode, ctx.seed, i, j, ctx.K, 2));
    }
    if (ctx.chunk <= 0) st.s = st.total;
    return st;
  }
  SOFTNUM_HOST_DEVICE static void step(State& st, float a, float b, std::ptrdiff_t, std::ptrdiff_t,
                                       std::ptrdiff_t, const Context&) noexcept {
    if constexpr (fused) {
      st.s = fma_rn(a, b, st.s);
    } else {
      st.s = add_rn(st.s, mul_rn(a, b));
    }
  }
  SOFTNUM_HOST_DEVICE static void end_chunk(State& st, std::ptrdiff_t, std::ptrdiff_t,
                                            std::ptrdiff_t, const Context&) noexcept {
    st.total = add_rn(st.total, st.s);
    st.s = 0.0f;
  }
  SOFTNUM_HOST_DEVICE static constexpr TC finish(const State& st, std::ptrdiff_t i,
                                                 std::ptrdiff_t j, const Context& ctx) noexcept {
    const float t = ctx.chunk > 0 ? st.total : st.s;
    const Unpacked u = t == t ? unpack_any(t) : make_special(Kind::nan, false);
    return output<TC>(u, i, j, ctx);
  }
};

// =============================================================================================
// SmallFloatPath: P and A Float formats with FloatArith's float lanes (p <= 11, E <= 8),
// every P value an A value, products of TA and TB exact in fp32 (or TA = TB = P, FloatArith's
// own multiply), nearest-even, unfused. A step is then FloatArith<P>::mul followed by
// FloatArith<A>::add, which ROUNDING.md 1.1-1.2 and the exhaustive Float tests show to be
// correctly rounded: round_P(a*b) and round_A(s + p), the model's two roundings.
template <class Model, class TA, class TB, class TC>
struct SmallFloatPath {
  using P = or_type<typename Model::product, TC>;
  using A = or_type<typename Model::accumulator, TC>;
  static constexpr bool p_float = FloatFormat<P>;
  static constexpr bool a_float = FloatFormat<A>;
  static constexpr bool product_ok = [] {
    if constexpr (FloatFormat<P>) {
      return product_exact_in_f32<TA, TB>() ||
             (std::is_same_v<TA, P> && std::is_same_v<TB, P> && float_facts<P>::via_float);
    } else {
      return false;
    }
  }();
  static constexpr bool types_ok = [] {
    if constexpr (FloatFormat<P> && FloatFormat<A>) {
      // An accumulator whose overflow gives NaN carries that NaN's sign into the output rounding
      // (conversions keep a NaN's sign); the float lanes lose it, so such formats go generic.
      return float_facts<P>::via_float && float_facts<A>::via_float && float_subset<P, A>() &&
             product_ok && A::overflow != Overflow::nan && float_facts<TA>::in_f32 &&
             float_facts<TB>::in_f32;
    } else {
      return false;
    }
  }();
  static constexpr const char* name = "small_float";
  static constexpr int tm = 4, tn = 4, k_unroll = 2;

  using a_type = float;
  using b_type = float;
  using a_frag = float;
  using b_frag = float;
  struct State {
    float total;  // exact values of A
    float s;
  };

  static constexpr bool applies(const Context& ctx) noexcept {
    return types_ok && ctx.mode == Round::nearest_even && ctx.K > 0;
  }
  // Round a float to nearest-even in format T and back (exact afterwards).
  template <class T>
  SOFTNUM_HOST_DEVICE static float round_to(float x) noexcept {
    using L = FloatLanes<typename T::codec>;
    return L::decode(L::encode(x));
  }
  SOFTNUM_HOST_DEVICE static constexpr float load_a(TA x) noexcept { return to_f32(x); }
  SOFTNUM_HOST_DEVICE static constexpr float load_b(TB x) noexcept { return to_f32(x); }
  SOFTNUM_HOST_DEVICE static constexpr float zero_a() noexcept { return 0.0f; }
  SOFTNUM_HOST_DEVICE static constexpr float zero_b() noexcept { return 0.0f; }
  SOFTNUM_HOST_DEVICE static constexpr float expand_a(float x) noexcept { return x; }
  SOFTNUM_HOST_DEVICE static constexpr float expand_b(float x) noexcept { return x; }

  SOFTNUM_HOST_DEVICE static constexpr State init(TC c_in, std::ptrdiff_t i, std::ptrdiff_t j,
                                                  const Context& ctx) noexcept {
    State st{0.0f, 0.0f};
    if constexpr (types_ok) {
      if (ctx.accumulate) {
        st.total = to_f32(
            pack_any<A>(unpack_any(c_in), ctx.mode, word(ctx.mode, ctx.seed, i, j, ctx.K, 2)));
      }
    }
    if (ctx.chunk <= 0) st.s = st.total;
    return st;
  }
  SOFTNUM_HOST_DEVICE static void step(State& st, float a, float b, std::ptrdiff_t, std::ptrdiff_t,
                                       std::ptrdiff_t, const Context&) noexcept {
    if constexpr (types_ok) {
      const float p = round_to<P>(mul_rn(a, b));
      st.s = round_to<A>(add_rn(st.s, p));
    }
  }
  SOFTNUM_HOST_DEVICE static void end_chunk(State& st, std::ptrdiff_t, std::ptrdiff_t,
                                            std::ptrdiff_t, const Context&) noexcept {
    if constexpr (types_ok) {
      st.total = round_to<A>(add_rn(st.total, st.s));
      st.s = 0.0f;
    }
  }
  SOFTNUM_HOST_DEVICE static constexpr TC finish(const State& st, std::ptrdiff_t i,
                                                 std::ptrdiff_t j, const Context& ctx) noexcept {
    const float t = ctx.chunk > 0 ? st.total : st.s;
    Unpacked u = make_special(Kind::nan, false);
    if constexpr (types_ok) {
      if (t == t) u = A::from_bits(FloatLanes<typename A::codec>::encode(t)).unpack();  // exact
    }
    return output<TC>(u, i, j, ctx);
  }
};

// =============================================================================================
// DoublePath: P (or exact_product) and A Float formats with E <= 8, M <= 23 (FloatArith's double
// path), inputs whose products are exact in double (float, or Floats with p_a + p_b <= 53), any
// rounding mode; stochastic when A (and P) have M + 35 <= 53. A step keeps the exact product
// t = a * b as a double, makes the sum s + t (or s + round_P(t)) round-to-odd at 53 bits from its
// TwoSum error, and rounds that once to A with FloatArith::from_double: 53 >= p + 2 (+ the 32
// stochastic bits), so round-to-odd followed by one rounding is the correct rounding of the exact
// value in every mode (Boldo & Melquiond 2008; ROUNDING.md 1.4-1.5). This is FloatArith's own fma
// and add, which the Float tests check against the oracle. The state keeps A's bits, so NaN signs
// (Overflow::nan) and zero signs are those of the model.
template <class Model, class TA, class TB, class TC>
struct DoublePath {
  using P = or_type<typename Model::product, TC>;
  using A = or_type<typename Model::accumulator, TC>;
  static constexpr bool fused = std::is_same_v<P, exact_product>;
  template <class T>
  static constexpr bool double_format() {
    if constexpr (FloatFormat<T>)
      return T::arith::via_double;
    else
      return false;
  }
  template <class T>
  static constexpr int in_p() {  // significant bits of an input exactly held in double, or 99
    if constexpr (std::is_same_v<T, float>) {
      return 24;
    } else if constexpr (FloatFormat<T>) {
      return T::arith::via_double ? T::mantissa_bits + 1 : 99;
    } else {
      return 99;
    }
  }
  static constexpr bool types_ok =
      double_format<A>() && (fused || double_format<P>()) && in_p<TA>() + in_p<TB>() <= 53;
  static constexpr bool stochastic_ok = [] {
    if constexpr (types_ok) {
      bool ok = A::arith::stochastic_via_double;
      if constexpr (!fused) ok = ok && P::arith::stochastic_via_double;
      return ok;
    } else {
      return false;
    }
  }();
  static constexpr const char* name = "double";
  // 2 x 2 outputs per thread: a step is a soft rounding (~100 instructions), so a larger register
  // tile saves little shared-memory traffic and multiplies the code size.
  static constexpr int tm = 2, tn = 2, k_unroll = 1;

  using a_type = double;
  using b_type = double;
  using a_frag = double;
  using b_frag = double;
  using acc_bits = typename std::conditional_t<types_ok, A, binary16>::storage_type;
  struct State {
    acc_bits total;
    acc_bits s;
  };

  static constexpr bool applies(const Context& ctx) noexcept {
    return types_ok && (ctx.mode != Round::stochastic || stochastic_ok);
  }
  template <class T>
  SOFTNUM_HOST_DEVICE static constexpr double to_f64(T x) noexcept {
    if constexpr (std::is_same_v<T, float>) {
      return static_cast<double>(x);
    } else if constexpr (FloatFormat<T>) {
      return T::arith::to_double(x.bits());
    } else {
      return 0.0;
    }
  }
  SOFTNUM_HOST_DEVICE static constexpr double load_a(TA x) noexcept { return to_f64(x); }
  SOFTNUM_HOST_DEVICE static constexpr double load_b(TB x) noexcept { return to_f64(x); }
  SOFTNUM_HOST_DEVICE static constexpr double zero_a() noexcept { return 0.0; }
  SOFTNUM_HOST_DEVICE static constexpr double zero_b() noexcept { return 0.0; }
  SOFTNUM_HOST_DEVICE static constexpr double expand_a(double x) noexcept { return x; }
  SOFTNUM_HOST_DEVICE static constexpr double expand_b(double x) noexcept { return x; }

  /// round_A(x + y) for doubles x, y holding exact values (FloatArith::add / fma's tail).
  SOFTNUM_HOST_DEVICE static acc_bits round_sum(double x, double y, Round mode,
                                                std::uint32_t random) noexcept {
    if constexpr (types_ok) {
      using Ar = typename A::arith;
      const double s = add_f64(x, y);
      if (s == 0) return A::codec::zero_sum(sign_bit(x), sign_bit(y), mode);
      if (!(sub_f64(s, s) == 0)) return Ar::from_double(s, mode, random, false);  // inf or NaN
      const double bb = sub_f64(s, x);
      const double err =
          add_f64(sub_f64(x, sub_f64(s, bb)), sub_f64(y, bb));  // TwoSum: the exact error
      return Ar::from_double(round_to_odd_fix(s, err != 0, (err > 0) == (s > 0)), mode, random,
                             false);
    } else {
      return 0;
    }
  }
  SOFTNUM_HOST_DEVICE static double add_f64(double a, double b) noexcept {
#if defined(__CUDA_ARCH__)
    return __dadd_rn(a, b);
#else
    return a + b;
#endif
  }
  SOFTNUM_HOST_DEVICE static double sub_f64(double a, double b) noexcept {
#if defined(__CUDA_ARCH__)
    return __dsub_rn(a, b);
#else
    return a - b;
#endif
  }
  SOFTNUM_HOST_DEVICE static double mul_f64(double a, double b) noexcept {
#if defined(__CUDA_ARCH__)
    return __dmul_rn(a, b);
#else
    return a * b;
#endif
  }
  SOFTNUM_HOST_DEVICE static double value(acc_bits b) noexcept {
    if constexpr (types_ok)
      return A::arith::to_double(b);
    else
      return 0.0;
  }

  SOFTNUM_HOST_DEVICE static constexpr State init(TC c_in, std::ptrdiff_t i, std::ptrdiff_t j,
                                                  const Context& ctx) noexcept {
    State st{0, 0};
    if constexpr (types_ok) {
      if (ctx.accumulate) {
        st.total = pack_any<A>(unpack_any(c_in), ctx.mode, word(ctx.mode, ctx.seed, i, j, ctx.K, 2))
                       .bits();
      }
    }
    if (ctx.chunk <= 0) st.s = st.total;
    return st;
  }
  SOFTNUM_HOST_DEVICE static void step(State& st, double a, double b, std::ptrdiff_t k,
                                       std::ptrdiff_t i, std::ptrdiff_t j,
                                       const Context& ctx) noexcept {
    if constexpr (types_ok) {
      double t = mul_f64(a, b);  // exact
      if constexpr (!fused) {
        const auto p =
            P::arith::from_double(t, ctx.mode, word(ctx.mode, ctx.seed, i, j, k, 0), false);
        t = P::arith::to_double(p);
      }
      st.s = round_sum(value(st.s), t, ctx.mode, word(ctx.mode, ctx.seed, i, j, k, 1));
    }
  }
  SOFTNUM_HOST_DEVICE static void end_chunk(State& st, std::ptrdiff_t k, std::ptrdiff_t i,
                                            std::ptrdiff_t j, const Context& ctx) noexcept {
    st.total =
        round_sum(value(st.total), value(st.s), ctx.mode, word(ctx.mode, ctx.seed, i, j, k, 2));
    st.s = 0;
  }
  SOFTNUM_HOST_DEVICE static constexpr TC finish(const State& st, std::ptrdiff_t i,
                                                 std::ptrdiff_t j, const Context& ctx) noexcept {
    if constexpr (types_ok) {
      return output<TC>(A::from_bits(ctx.chunk > 0 ? st.total : st.s).unpack(), i, j, ctx);
    } else {
      return output<TC>(make_special(Kind::zero, false), i, j, ctx);
    }
  }
};

// =============================================================================================
// FixedPath: Fixed inputs, exact products, Fixed accumulator whose fraction bits F_A are at
// least those of the products. Raw integers: p = a * b << (F_A - F_a - F_b) is the exact product
// (no rounding, no overflow: the product format holds it), s + p is exact in int64, and the
// accumulator's overflow policy (saturate or wrap) is applied after every addition, as the
// model's pack to A does. Nothing is ever rounded, so the rounding mode does not matter.
template <class Model, class TA, class TB, class TC>
struct FixedPath {
  using P = or_type<typename Model::product, TC>;
  using A = or_type<typename Model::accumulator, TC>;
  static constexpr bool fused = std::is_same_v<P, exact_product>;
  static constexpr bool types_ok = [] {
    if constexpr (FixedFormat<TA> && FixedFormat<TB> && FixedFormat<A>) {
      constexpr int fp = TA::fraction_bits + TB::fraction_bits;
      constexpr int ip = TA::integer_bits + TB::integer_bits;  // |a*b| <= 2^(ip - 2)
      bool p_ok = fused;
      if constexpr (FixedFormat<P>) p_ok = P::fraction_bits >= fp && P::integer_bits >= ip;
      return p_ok && TA::width <= 32 && TB::width <= 32 && A::fraction_bits >= fp &&
             A::fraction_bits - fp <= 8 && A::width <= 62 &&
             TA::width + TB::width + (A::fraction_bits - fp) <= 62;
    } else {
      return false;
    }
  }();
  static constexpr const char* name = "fixed";
  static constexpr int tm = 4, tn = 4, k_unroll = 2;

  using a_type = std::int32_t;  // raw values (inputs of at most 32 bits)
  using b_type = std::int32_t;
  using a_frag = std::int64_t;
  using b_frag = std::int64_t;
  struct State {
    std::int64_t total;  // raw values of A
    std::int64_t s;
  };

  static constexpr bool applies(const Context&) noexcept { return types_ok; }
  static constexpr int shift = [] {
    if constexpr (types_ok)
      return A::fraction_bits - TA::fraction_bits - TB::fraction_bits;
    else
      return 0;
  }();
  SOFTNUM_HOST_DEVICE static constexpr a_type load_a(TA x) noexcept {
    if constexpr (types_ok)
      return static_cast<a_type>(x.raw());
    else
      return 0;
  }
  SOFTNUM_HOST_DEVICE static constexpr b_type load_b(TB x) noexcept {
    if constexpr (types_ok)
      return static_cast<b_type>(x.raw());
    else
      return 0;
  }
  SOFTNUM_HOST_DEVICE static constexpr a_type zero_a() noexcept { return 0; }
  SOFTNUM_HOST_DEVICE static constexpr b_type zero_b() noexcept { return 0; }
  SOFTNUM_HOST_DEVICE static constexpr a_frag expand_a(a_type x) noexcept { return x; }
  SOFTNUM_HOST_DEVICE static constexpr b_frag expand_b(b_type x) noexcept { return x; }
  SOFTNUM_HOST_DEVICE static constexpr std::int64_t narrow(std::int64_t x) noexcept {
    if constexpr (types_ok)
      return A::core::narrow(x);
    else
      return x;
  }

  SOFTNUM_HOST_DEVICE static constexpr State init(TC c_in, std::ptrdiff_t i, std::ptrdiff_t j,
                                                  const Context& ctx) noexcept {
    State st{0, 0};
    if constexpr (types_ok) {
      if (ctx.accumulate) {
        st.total =
            pack_any<A>(unpack_any(c_in), ctx.mode, word(ctx.mode, ctx.seed, i, j, ctx.K, 2)).raw();
      }
    }
    if (ctx.chunk <= 0) st.s = st.total;
    return st;
  }
  SOFTNUM_HOST_DEVICE static constexpr void step(State& st, std::int64_t a, std::int64_t b,
                                                 std::ptrdiff_t, std::ptrdiff_t, std::ptrdiff_t,
                                                 const Context&) noexcept {
    st.s = narrow(st.s + ((a * b) << shift));
  }
  SOFTNUM_HOST_DEVICE static constexpr void end_chunk(State& st, std::ptrdiff_t, std::ptrdiff_t,
                                                      std::ptrdiff_t, const Context&) noexcept {
    st.total = narrow(st.total + st.s);
    st.s = 0;
  }
  SOFTNUM_HOST_DEVICE static constexpr TC finish(const State& st, std::ptrdiff_t i,
                                                 std::ptrdiff_t j, const Context& ctx) noexcept {
    if constexpr (types_ok) {
      const auto raw = static_cast<typename A::raw_type>(ctx.chunk > 0 ? st.total : st.s);
      return output<TC>(A::from_raw(raw).unpack(), i, j, ctx);
    } else {
      return output<TC>(make_special(Kind::zero, false), i, j, ctx);
    }
  }
};

// =============================================================================================
/// One output by a path, in the order the kernel uses: what the host tests compare with
/// gemm_element.
template <class Path, class TA, class TB, class TC>
SOFTNUM_HOST_DEVICE constexpr TC run_element(const TA* a, std::ptrdiff_t a_step, const TB* b,
                                             std::ptrdiff_t b_step, TC c_in, std::ptrdiff_t i,
                                             std::ptrdiff_t j, const Context& ctx) noexcept {
  typename Path::State st = Path::init(c_in, i, j, ctx);
  for (std::ptrdiff_t k = 0; k < ctx.K; ++k) {
    Path::step(st, Path::expand_a(Path::load_a(a[k * a_step])),
               Path::expand_b(Path::load_b(b[k * b_step])), k, i, j, ctx);
    if (ctx.chunk > 0 && ((k + 1) % ctx.chunk == 0 || k + 1 == ctx.K))
      Path::end_chunk(st, k, i, j, ctx);
  }
  return Path::finish(st, i, j, ctx);
}

}  // namespace softnum::detail::gemm_paths
