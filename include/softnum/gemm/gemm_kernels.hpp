// softnum/gemm/gemm_kernels.hpp - the fast kernels behind softnum::gemm (included by gemm.hpp).
// SPDX-License-Identifier: MIT
//
// Every kernel here computes, for each output, exactly the sequence of roundings of
// detail::gemm_element (the model in gemm.hpp): vectorised across output columns j, with k
// sequential per output; only the arithmetic that carries out each rounding differs. Which model
// each kernel covers (try_rows() picks one, or returns false for the generic path):
//
//  float kernel   A, B: float or Float<E<=8, M<=23> (decoded once into float panels; 8-bit by a
//                 256-entry table). Product format: exact_product, float, or a small Float
//                 (E <= 8, M <= 10, subnormals, ieee/fn/fnuz). Accumulator: float or a small
//                 Float. Mode: nearest_even. Two variants, chosen per call from the data:
//                   V1 (float lanes, 16 per vector): when every product is exact in float
//                      (significand bits of A and B sum to <= 24 and all magnitudes lie in
//                      [2^-60, 2^60]); float add = one rounding for a float accumulator;
//                      a small accumulator rounds the float sum (innocuous when both operands are
//                      in the accumulator's format: 24 >= 2p + 1, Figueroa 1995) or the
//                      round-to-odd sum (TwoSum fix; Boldo & Melquiond 2008) otherwise.
//                   V2 (double lanes, 8 per vector): any float-representable inputs; products
//                      exact in double, sums made round-to-odd at 53 bits by TwoSum, then rounded
//                      once to float, or to odd float and then to the small format.
//  posit kernel   A, B, products and sums all Posit<N,ES> with p <= 25 (posit8, posit16, ...):
//                 double lanes; products exact in double, sums innocuous (ROUNDING.md §3.5);
//                 posit rounding by the bit trick at the value's fraction width. Lanes that reach
//                 the tapered ends (fewer than 0 fraction bits: near minpos/maxpos) are flagged
//                 and their outputs recomputed by gemm_element.
//  fixed kernel   A, B: Fixed of at most 16 bits; accumulator Fixed<32 - F, F> with F the sum of
//                 their fraction bits (products exact, e.g. Fixed<8,8> -> Fixed<16,16>), product
//                 exact_product or the accumulator type: int32 lanes, exact products, saturating
//                 (or wrapping) int32 adds, any rounding mode (nothing is ever rounded).
//  fused kernel   A, B: float; exact_product; accumulator a posit with a double path or a
//                 saturating Fixed (I + F <= 48): double lanes, products exact, sums made
//                 round-to-odd by TwoSum, then one rounding to the accumulator (bit trick).
//                 Modes: nearest_even, and stochastic where 32 random bits fit below a double's
//                 significand (posit8, posit16; Fixed with I + F <= 20): the model's Philox words
//                 are drawn in the kernel, 8 lanes at a time. Lanes that reach the posit's tapered
//                 ends or a non-finite value are recomputed by gemm_element.
//  exact sum      A, B: float or double; exact_product; accumulator binary128 (softnum_train's
//                 quire; exact_sum_acc): when the data's binary grid makes every partial sum
//                 exact in binary128 (span_A + span_B + ceil(log2 K) <= 113 bits, no inf/NaN,
//                 no C + A*B), the model's result is the exact sum, computed as integers: double
//                 lanes holding exact integer products and block sums, carried into 128-bit lanes
//                 (span_A + span_B <= 51), else int128 sums of 64 x 64-bit products; then one
//                 rounding to C's type. Any mode (nothing else is rounded); zero sums in
//                 Round::down are recomputed by gemm_element (their sign follows the term order).
//
// Instruction sets: each SIMD kernel is compiled three times from gemm_simd.inc (AVX-512, AVX2
// + F16C, and generic vector code for SSE2 / other targets; target attributes, no flags needed) and
// chosen at run time by detail::isa() (core/cpu_features.hpp); results are the same bits on each
// (tests run all three). On x86 the generic copy can be left out (SOFTNUM_GEMM_GENERIC_KERNELS
// below). Under nvcc (host code of .cu files) and other compilers only the generic
// path exists.
#pragma once

#include <softnum/core/convert.hpp>
#include <softnum/core/cpu_features.hpp>  // detail::isa(), SOFTNUM_X86_DISPATCH
#include <softnum/types/fixed.hpp>
#include <softnum/types/float.hpp>
#include <softnum/types/posit.hpp>

#include <array>        // decode tables
#include <cstddef>      // std::ptrdiff_t
#include <cstdint>      // fixed-width integers
#include <limits>       // fixed-point bounds
#include <type_traits>  // std::is_same_v
#include <vector>       // packed panels

#if !defined(__CUDACC__) && (defined(__GNUC__) || defined(__clang__)) && !defined(SOFTNUM_GEMM_NO_SIMD)
#  define SOFTNUM_GEMM_SIMD 1
#else
#  define SOFTNUM_GEMM_SIMD 0
#endif

#if SOFTNUM_GEMM_SIMD && SOFTNUM_X86_DISPATCH
#  define SOFTNUM_GEMM_X86 1
#  include <immintrin.h>
#else
#  define SOFTNUM_GEMM_X86 0
#endif

// SOFTNUM_GEMM_GENERIC_KERNELS (default 1): on x86, whether the generic-vector copy of the
// kernels (for CPUs without AVX2) is compiled. 0 leaves it out, about a third of the kernels'
// compile time; a CPU without AVX2 then gets the model's own loop (gemm_rows_generic: the same
// bits, many times slower). softnum's own programs build with 0 except gemm_test and gemm_bench,
// which check and time that copy (tests/CMakeLists.txt). Other targets always compile it, their
// only copy. All translation units of one program must see the same value.
#ifndef SOFTNUM_GEMM_GENERIC_KERNELS
#  define SOFTNUM_GEMM_GENERIC_KERNELS 1
#endif
#if SOFTNUM_GEMM_X86 && !SOFTNUM_GEMM_GENERIC_KERNELS
#  define SOFTNUM_GEMM_HAS_GENERIC 0
#else
#  define SOFTNUM_GEMM_HAS_GENERIC 1
#endif

#if SOFTNUM_GEMM_SIMD

// Vector arguments of always-inlined helpers "change the ABI" only for calls that are never made.
#  if defined(__clang__)
#    pragma clang diagnostic push
#    pragma clang diagnostic ignored "-Wpsabi"
#  elif defined(__GNUC__)
#    pragma GCC diagnostic push
#    pragma GCC diagnostic ignored "-Wpsabi"
#  endif

#  define SOFTNUM_GK_INLINE inline __attribute__((always_inline))
#  define SOFTNUM_GK_NOINLINE __attribute__((noinline))
// A bit cast between vector types (a macro: no function that returns a vector is ever emitted).
#  define SOFTNUM_GK_CAST(T, x) __builtin_bit_cast(T, x)
// Every lane x: x - (+0) is x in every case (-0 and NaN included) and compiles to one broadcast
// (x + 0 would turn -0 into +0).
#  define SOFTNUM_GK_SPLAT(V, x) ((x) - V{})
// m ? a : b per lane, m a comparison mask (all ones or all zeros) of the same size as a and b.
#  define SOFTNUM_GK_SELECT(m, a, b) \
    ((SOFTNUM_GK_CAST(__typeof__(a), m) & (a)) | (~SOFTNUM_GK_CAST(__typeof__(a), m) & (b)))

namespace softnum::detail::gemm_fast {

typedef float vf16 __attribute__((vector_size(64)));
typedef std::uint32_t vu16 __attribute__((vector_size(64)));
typedef std::int32_t vi16 __attribute__((vector_size(64)));
typedef float vf8 __attribute__((vector_size(32)));
typedef std::uint32_t vu8 __attribute__((vector_size(32)));
typedef std::int32_t vi8 __attribute__((vector_size(32)));
typedef double vd8 __attribute__((vector_size(64)));
typedef std::uint64_t vul8 __attribute__((vector_size(64)));
typedef std::int64_t vl8 __attribute__((vector_size(64)));
typedef std::uint64_t vul4 __attribute__((vector_size(32)));  // halves and quarters of vul8 for
typedef std::uint64_t vul2 __attribute__((vector_size(16)));  // the AVX2 / SSE2 multiplies

template <class V>
struct lane_of;
template <> struct lane_of<vf16> { using type = float; static constexpr int n = 16; };
template <> struct lane_of<vu16> { using type = std::uint32_t; static constexpr int n = 16; };
template <> struct lane_of<vi16> { using type = std::int32_t; static constexpr int n = 16; };
template <> struct lane_of<vf8> { using type = float; static constexpr int n = 8; };
template <> struct lane_of<vu8> { using type = std::uint32_t; static constexpr int n = 8; };
template <> struct lane_of<vi8> { using type = std::int32_t; static constexpr int n = 8; };
template <> struct lane_of<vd8> { using type = double; static constexpr int n = 8; };
template <> struct lane_of<vul8> { using type = std::uint64_t; static constexpr int n = 8; };
template <> struct lane_of<vl8> { using type = std::int64_t; static constexpr int n = 8; };

template <class VF>
struct lanes_u;
template <> struct lanes_u<vf16> { using type = vu16; };
template <> struct lanes_u<vf8> { using type = vu8; };

// ----- what the kernels can represent in lanes ------------------------------------------------

/// A product or accumulator format held exactly in float lanes. kind 1: float (binary32, IEEE);
/// kind 2: a small Float rounded by round_small; kind 0: not supported here.
template <class T>
struct lane_format {
  static constexpr int kind = 0;
  static constexpr bool is_binary16 = false;
};
template <>
struct lane_format<float> {
  static constexpr int kind = 1;
  static constexpr bool is_binary16 = false;
};
template <class T>
  requires FloatFormat<T>
struct lane_format<T> {
  using codec = typename T::codec;
  static constexpr int E = T::exponent_bits, M = T::mantissa_bits;
  static constexpr bool ieee_inf = T::specials == Specials::ieee && T::overflow == Overflow::infinity;
  static constexpr bool f32 = E == 8 && M == 23 && ieee_inf && T::has_subnormals;
  static constexpr bool small = E <= 8 && M >= 1 && M <= 10 && T::has_subnormals && T::specials != Specials::finite &&
                                codec::emin >= -126 && codec::standard_layout;
  static constexpr int kind = f32 ? 1 : (small ? 2 : 0);
  static constexpr bool is_binary16 = E == 5 && M == 10 && ieee_inf && T::has_subnormals;
};

/// Input element types decoded exactly into float: bits = significand bits (hidden included);
/// safe = every nonzero finite magnitude lies in [2^-60, 2^60], so products of two such values
/// with at most 24 significand bits in all are exact normal floats.
template <class T>
struct float_input {
  static constexpr bool ok = false;
};
template <>
struct float_input<float> {
  static constexpr bool ok = true;
  static constexpr int bits = 24;
  static constexpr bool safe = false;
};
template <class T>
  requires FloatFormat<T>
struct float_input<T> {
  using C = typename T::codec;
  static constexpr int M = T::mantissa_bits;
  static constexpr bool ok = T::exponent_bits <= 8 && M <= 23 && C::emin - M >= -149 && C::emax <= 127;
  static constexpr int bits = M + 1;
  static constexpr bool safe = C::emin - M >= -60 && C::emax + 1 <= 60;
};

template <class T>
float to_float_exact(const T& x) noexcept {
  if constexpr (std::is_same_v<T, float>) {
    return x;
  } else if constexpr (sizeof(typename T::storage_type) == 1) {
    static const std::array<float, 256> table = [] {
      std::array<float, 256> t{};
      for (unsigned b = 0; b < 256; ++b) {
        t[b] = unpacked_to_float(T::from_bits(static_cast<typename T::storage_type>(b)).unpack());
      }
      return t;
    }();
    return table[x.bits()];
  } else if constexpr (T::exponent_bits <= 8 && T::mantissa_bits <= 10 && T::mantissa_bits >= 1) {
    return FloatLanes<typename T::codec>::decode(x.bits());
  } else if constexpr (lane_format<T>::f32) {
    return bit_cast<float>(static_cast<std::uint32_t>(x.bits()));
  } else {
    return unpacked_to_float(x.unpack());
  }
}

/// Largest significand width and whether all magnitudes are in the safe range, over a panel.
struct FloatStats {
  int bits = 0;
  bool safe = true;
  void add(float x) noexcept {
    const std::uint32_t u = bit_cast<std::uint32_t>(x) & 0x7FFFFFFFu;
    if (u == 0 || u >= 0x7F800000u) return;  // zero, inf, NaN: exact in any product
    const std::uint32_t field = u >> 23;
    if (field < 127 - 60 || field >= 127 + 60) safe = false;  // also float subnormals
    const std::uint32_t sig = (u & 0x7FFFFFu) | 0x800000u;
    const int b = 24 - __builtin_ctz(sig);
    bits = b > bits ? b : bits;
  }
};

template <class P, class A>
struct FloatPlan {
  static constexpr bool fused = std::is_same_v<P, exact_product>;
  using pfmt = std::conditional_t<fused, lane_format<float>, lane_format<P>>;
  using afmt = lane_format<A>;
  static constexpr bool same = std::is_same_v<P, A> || (pfmt::kind == 1 && afmt::kind == 1);
  static constexpr bool ok = afmt::kind != 0 && (fused || pfmt::kind != 0);
};

template <bool Sat>
struct FixedTag {};

/// Run-time constants of fused_acc_tile. magic, lo, hi: the fixed-point grid rounding and bounds
/// (round_fixed); seed: the Philox key of stochastic rounding; sr_up = 2^(F+32), sr_down = 2^-F,
/// cap_pos / cap_neg: the largest positive and negative raw magnitudes (round_fixed_sr).
struct FusedParams {
  double magic = 0, lo = 0, hi = 0;
  std::uint64_t seed = 0;
  double sr_up = 0, sr_down = 0;
  std::uint64_t cap_pos = 0, cap_neg = 0;
  double (*lane)(double, std::uint32_t) noexcept = nullptr;  // fix_lanes: one lane, as the model
};

/// Whether the fused kernel rounds stochastically to Posit<N, ES> from a double rounded to odd:
/// that needs the discarded fraction to 32 + 2 bits (round_shift's F = RNE(tail 2^32) from a
/// round-to-odd tail), so at most 52 - 34 = 18 fraction bits (posit8, posit16; not posit32).
template <int N, int ES>
inline constexpr bool posit_sr_lanes = N - 3 - ES <= 18;

}  // namespace softnum::detail::gemm_fast

// ----- the SIMD kernels, once per instruction set ------------------------------------------------
#  if SOFTNUM_GEMM_X86
namespace softnum::detail::gemm_fast {
#    define SOFTNUM_GK_ISA 2
#    define SOFTNUM_GK_NS avx512
#    define SOFTNUM_GK_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma,f16c")))
#    include <softnum/gemm/gemm_simd.inc>
#    undef SOFTNUM_GK_TARGET
#    undef SOFTNUM_GK_NS
#    undef SOFTNUM_GK_ISA
#    define SOFTNUM_GK_ISA 1
#    define SOFTNUM_GK_NS avx2
#    define SOFTNUM_GK_TARGET __attribute__((target("avx2,fma,f16c")))
#    include <softnum/gemm/gemm_simd.inc>
#    undef SOFTNUM_GK_TARGET
#    undef SOFTNUM_GK_NS
#    undef SOFTNUM_GK_ISA
}  // namespace softnum::detail::gemm_fast
#  endif

#  if SOFTNUM_GEMM_HAS_GENERIC
namespace softnum::detail::gemm_fast {
#    define SOFTNUM_GK_ISA 0
#    define SOFTNUM_GK_NS generic
#    define SOFTNUM_GK_TARGET
#    include <softnum/gemm/gemm_simd.inc>
#    undef SOFTNUM_GK_TARGET
#    undef SOFTNUM_GK_NS
#    undef SOFTNUM_GK_ISA
}  // namespace softnum::detail::gemm_fast
#  endif

namespace softnum::detail::gemm_fast {

// The instruction set: one detection and one limit for every kernel family (tests and
// bench/gemm_bench.cpp lower detail::gemm_fast::isa_limit() to run each copy).
using detail::detected_isa;
using detail::isa;
using detail::isa_limit;

template <class Fn2, class Fn1, class Fn0>
auto pick(Fn2 f2, Fn1 f1, Fn0 f0) noexcept {
  const int i = isa();
#  if SOFTNUM_GEMM_X86
  return i >= 2 ? f2 : (i == 1 ? f1 : f0);
#  else
  (void)i;
  (void)f2;
  (void)f1;
  return f0;
#  endif
}
#  if SOFTNUM_GEMM_X86 && SOFTNUM_GEMM_HAS_GENERIC
#    define SOFTNUM_GK_PICK(name, ...) pick(&avx512::name<__VA_ARGS__>, &avx2::name<__VA_ARGS__>, &generic::name<__VA_ARGS__>)
#  elif SOFTNUM_GEMM_X86  // no generic copy: try_rows never runs a kernel below AVX2
#    define SOFTNUM_GK_PICK(name, ...) \
      pick(&avx512::name<__VA_ARGS__>, &avx2::name<__VA_ARGS__>, decltype(&avx2::name<__VA_ARGS__>){})
#  else
#    define SOFTNUM_GK_PICK(name, ...) pick(0, 0, &generic::name<__VA_ARGS__>)
#  endif

// ----- output: the accumulator value, rounded to C's type -------------------------------------

template <class L>
bool signbit_of(L v) noexcept {
  if constexpr (sizeof(L) == 4) return (bit_cast<std::uint32_t>(v) >> 31) != 0;
  else return (bit_cast<std::uint64_t>(v) >> 63) != 0;
}

/// C(i,j) from an accumulator value v (held exactly in float or double lanes): the model's
/// pack<TC>(unpack(total)) with total = pack<A>(v) exactly, so NaN signs and -0 follow A.
template <class A, class TC, class L>
TC finish(L v, Round output_mode, std::uint64_t seed, std::ptrdiff_t i, std::ptrdiff_t j, std::ptrdiff_t K) noexcept {
  const bool nan = v != v;
  if constexpr (std::is_same_v<TC, float> || std::is_same_v<TC, double>) {
    if (!nan) return static_cast<TC>(v);  // exact (the value of A fits float), or one RNE rounding
  } else if constexpr (std::is_same_v<TC, A> && lane_format<A>::kind == 2 && std::is_same_v<L, float>) {
    if (!nan) return TC::from_bits(FloatLanes<typename A::codec>::encode(v));  // exact
  }
  // A NaN of the model is positive (exact_add, exact_mul), except the NaN that overflow or an
  // infinity gives an Overflow::nan format, which keeps the sign: round_small makes the lanes
  // carry exactly that sign. Other NaN signs in lanes are whatever the hardware made.
  bool nan_sign = false;
  if constexpr (lane_format<A>::kind == 2) {
    if constexpr (A::overflow == Overflow::nan) nan_sign = nan && signbit_of(v);
  }
  const Unpacked exact = nan ? make_special(Kind::nan, nan_sign) : number_traits<L>::unpack(v);
  const Unpacked total = unpack_any(pack_any<A>(exact, Round::nearest_even, 0));
  return pack_any<TC>(total, output_mode, gemm_word(output_mode, seed, gemm_counter(i, j), K, 3));
}

/// The starting accumulator value of output (i, j): 0, or C(i,j) rounded to A (options.accumulate).
template <class A, class L, class TC>
L start(const TC& c, const GemmOptions& o, std::ptrdiff_t i, std::ptrdiff_t j, std::ptrdiff_t K) noexcept {
  if (!o.accumulate) return L{0};
  const Unpacked u =
      unpack_any(pack_any<A>(unpack_any(c), o.round, gemm_word(o.round, o.seed, gemm_counter(i, j), K, 2)));
  if constexpr (std::is_same_v<L, float>) return unpacked_to_float(u);
  else return unpacked_to_double(u);
}

// ----- the tile loop shared by all kernels ---------------------------------------------------------

/// Whether B(k, j) is contiguous along k (a transposed row-major matrix, such as the im2col
/// operand of softnum_train's convolutions): packing and scanning then walk it column by column.
template <class T>
bool by_columns(const MatrixView<const T>& B) noexcept {
  return B.row_stride == 1 && B.col_stride != 1;
}

/// f(B(k, j)) for every element, in B's memory order (by_columns), until f returns false: for
/// statistics that do not depend on the order.
template <class T, class F>
void scan_in_memory_order(const MatrixView<const T>& B, F f) {
  const bool cols = by_columns(B);
  const std::ptrdiff_t outer = cols ? B.cols : B.rows, inner = cols ? B.rows : B.cols;
  for (std::ptrdiff_t o = 0; o < outer; ++o)
    for (std::ptrdiff_t n = 0; n < inner; ++n)
      if (!f(cols ? B(n, o) : B(o, n))) return;
}

/// Packs A (rows x K, MR rows interleaved per k) and, per block of NR columns, B (K x NR), pads
/// with zeros (b_by_columns: B is read along k, see by_columns), runs the tile kernel on every
/// MR x NR block and finishes each valid output.
/// deca(r, k), decb(k, j): input values as lanes L; start(r, j): the initial accumulator value;
/// kern(a, b, tile, bad, r0, j0): the kernel for the tile whose first output is (r0, j0);
/// finish(r, j, value, bad): writes C.
template <int MR, int NR, class L, class DecA, class DecB, class Start, class Kern, class Finish>
void run_tiles(bool b_by_columns, std::ptrdiff_t rows, std::ptrdiff_t K, std::ptrdiff_t N, DecA deca, DecB decb,
               Start start, Kern kern, Finish finish) {
  const std::ptrdiff_t groups = (rows + MR - 1) / MR;
  std::vector<L> ap(static_cast<std::size_t>(groups * K * MR));
  for (std::ptrdiff_t g = 0; g < groups; ++g)
    for (std::ptrdiff_t r = 0; r < MR; ++r) {
      const std::ptrdiff_t row = g * MR + r;
      for (std::ptrdiff_t k = 0; k < K; ++k) {
        ap[static_cast<std::size_t>((g * K + k) * MR + r)] = row < rows ? deca(row, k) : L{0};
      }
    }
  std::vector<L> bp(static_cast<std::size_t>(K * NR));
  std::array<L, static_cast<std::size_t>(MR * NR)> tile{};
  std::array<std::uint64_t, static_cast<std::size_t>(MR * NR)> bad{};
  for (std::ptrdiff_t j0 = 0; j0 < N; j0 += NR) {
    const std::ptrdiff_t nc = NR < N - j0 ? NR : N - j0;
    // Column blocks of cb: all NR columns per k for a B contiguous along j; for one contiguous
    // along k, eight at a time, each read along k (the same values, in another order).
    const std::ptrdiff_t cb = b_by_columns && NR % 8 == 0 ? 8 : NR;
    for (std::ptrdiff_t c0 = 0; c0 < NR; c0 += cb)
      for (std::ptrdiff_t k = 0; k < K; ++k)
        for (std::ptrdiff_t c = c0; c < c0 + cb; ++c)
          bp[static_cast<std::size_t>(k * NR + c)] = c < nc ? decb(k, j0 + c) : L{0};
    for (std::ptrdiff_t g = 0; g < groups; ++g) {
      const std::ptrdiff_t nr = MR < rows - g * MR ? MR : rows - g * MR;
      for (std::ptrdiff_t r = 0; r < MR; ++r)
        for (std::ptrdiff_t c = 0; c < NR; ++c) {
          tile[static_cast<std::size_t>(r * NR + c)] = (r < nr && c < nc) ? start(g * MR + r, j0 + c) : L{0};
        }
      kern(ap.data() + g * K * MR, bp.data(), tile.data(), bad.data(), g * MR, j0);
      for (std::ptrdiff_t r = 0; r < nr; ++r)
        for (std::ptrdiff_t c = 0; c < nc; ++c) {
          const auto t = static_cast<std::size_t>(r * NR + c);
          finish(g * MR + r, j0 + c, tile[t], bad[t] != 0);
        }
    }
  }
}

// ----- float kernel driver ------------------------------------------------------------------------

template <class Model, class TA, class TB, class TC>
bool float_rows(const MatrixView<const TA>& A, const MatrixView<const TB>& B, const MatrixView<TC>& C,
                const GemmOptions& o, std::ptrdiff_t i0, std::ptrdiff_t i1) {
  using P = or_type<typename Model::product, TC>;
  using Acc = or_type<typename Model::accumulator, TC>;
  using Plan = FloatPlan<P, Acc>;
  if constexpr (!(float_input<TA>::ok && float_input<TB>::ok && Plan::ok)) {
    return false;
  } else {
    const std::ptrdiff_t K = A.cols, N = C.cols, rows = i1 - i0;
    if (o.round != Round::nearest_even || K == 0) return false;
    if (rows <= 0 || N == 0) return true;
    // Decode this thread's rows of A once, and find out whether products are exact in float.
    std::vector<float> a(static_cast<std::size_t>(rows * K));
    FloatStats sa, sb;
    for (std::ptrdiff_t r = 0; r < rows; ++r)
      for (std::ptrdiff_t k = 0; k < K; ++k) {
        const float x = to_float_exact(A(i0 + r, k));
        a[static_cast<std::size_t>(r * K + k)] = x;
        sa.add(x);
      }
    constexpr bool static_v1 = float_input<TA>::bits + float_input<TB>::bits <= 24 && float_input<TA>::safe &&
                               float_input<TB>::safe;
    // A fused float accumulator runs the float kernel's hardware fma for any float inputs.
    bool v1 = static_v1 || (Plan::fused && Plan::afmt::kind == 1 && isa() >= 1);
    if (!v1) {
      scan_in_memory_order(B, [&sb](const TB& x) {
        sb.add(to_float_exact(x));
        return true;
      });
      v1 = sa.safe && sb.safe && sa.bits + sb.bits <= 24;
    }
    const std::ptrdiff_t chunk = o.chunk;
    auto deca = [&](std::ptrdiff_t r, std::ptrdiff_t k) { return a[static_cast<std::size_t>(r * K + k)]; };
    auto fin = [&](std::ptrdiff_t r, std::ptrdiff_t j, auto v, bool) {
      C(i0 + r, j) = finish<Acc, TC>(v, o.output_round, o.seed, i0 + r, j, K);
    };
    if (v1) {
      constexpr int MR = (Plan::fused && Plan::afmt::kind == 1) ? 6 : 4, NR = 32;
      const auto tile_fn = SOFTNUM_GK_PICK(float_tile, Plan, MR);
      run_tiles<MR, NR, float>(
          by_columns(B), rows, K, N, deca,
          [&](std::ptrdiff_t k, std::ptrdiff_t j) { return to_float_exact(B(k, j)); },
          [&](std::ptrdiff_t r, std::ptrdiff_t j) {
            return start<Acc, float>(C(i0 + r, j), o, i0 + r, j, K);
          },
          [&](const float* ap, const float* bp, float* tile, std::uint64_t*, std::ptrdiff_t,
              std::ptrdiff_t) { tile_fn(ap, bp, K, chunk, tile); },
          fin);
    } else {
      constexpr int MR = 4, NR = 16;
      const auto tile_fn = SOFTNUM_GK_PICK(double_tile, Plan, MR);
      run_tiles<MR, NR, double>(
          by_columns(B), rows, K, N,
          [&](std::ptrdiff_t r, std::ptrdiff_t k) { return static_cast<double>(deca(r, k)); },
          [&](std::ptrdiff_t k, std::ptrdiff_t j) {
            return static_cast<double>(to_float_exact(B(k, j)));
          },
          [&](std::ptrdiff_t r, std::ptrdiff_t j) {
            return start<Acc, double>(C(i0 + r, j), o, i0 + r, j, K);
          },
          [&](const double* ap, const double* bp, double* tile, std::uint64_t*, std::ptrdiff_t,
              std::ptrdiff_t) { tile_fn(ap, bp, K, chunk, tile); },
          fin);
    }
    return true;
  }
}

// ----- posit kernel driver ------------------------------------------------------------------------

template <class T>
struct posit_lanes {
  static constexpr bool ok = false;
};
template <int N, int ES>
struct posit_lanes<Posit<N, ES>> {
  using arith = PositArith<N, ES>;
  static constexpr bool ok = arith::via_double && arith::plain && arith::exact_mul && N <= 32;
  static double decode(Posit<N, ES> x) noexcept {
    using C = PositCodec<N, ES>;
    const std::uint64_t b = x.bits();
    if (b == 0) return 0.0;
    if (b == C::nar) return __builtin_nan("");
    return arith::to_double(b);
  }
};

template <class Model, class TA, class TB, class TC>
bool posit_rows(const MatrixView<const TA>& A, const MatrixView<const TB>& B, const MatrixView<TC>& C,
                const GemmOptions& o, std::ptrdiff_t i0, std::ptrdiff_t i1) {
  using P = or_type<typename Model::product, TC>;
  using Acc = or_type<typename Model::accumulator, TC>;
  if constexpr (!(posit_lanes<Acc>::ok && std::is_same_v<TA, Acc> && std::is_same_v<TB, Acc> &&
                  std::is_same_v<P, Acc>)) {
    return false;
  } else {
    const std::ptrdiff_t K = A.cols, N = C.cols, rows = i1 - i0;
    if (o.round != Round::nearest_even || K == 0) return false;
    if (rows <= 0 || N == 0) return true;
    constexpr int MR = 4, NR = 16;
    constexpr int PN = Acc::codec::n, PES = Acc::codec::es;
    const auto tile_fn = SOFTNUM_GK_PICK(posit_tile, PN, PES, MR);
    const std::ptrdiff_t chunk = o.chunk;
    run_tiles<MR, NR, double>(
        by_columns(B), rows, K, N,
        [&](std::ptrdiff_t r, std::ptrdiff_t k) { return posit_lanes<Acc>::decode(A(i0 + r, k)); },
        [&](std::ptrdiff_t k, std::ptrdiff_t j) { return posit_lanes<Acc>::decode(B(k, j)); },
        [&](std::ptrdiff_t r, std::ptrdiff_t j) {
          return o.accumulate ? posit_lanes<Acc>::decode(pack_any<Acc>(
                                    unpack_any(C(i0 + r, j)), o.round,
                                    gemm_word(o.round, o.seed, gemm_counter(i0 + r, j), K, 2)))
                              : 0.0;
        },
        [&](const double* ap, const double* bp, double* tile, std::uint64_t* bad, std::ptrdiff_t,
            std::ptrdiff_t) { tile_fn(ap, bp, K, chunk, tile, bad); },
        [&](std::ptrdiff_t r, std::ptrdiff_t j, double v, bool bad) {
          const std::ptrdiff_t i = i0 + r;
          if (bad) {  // a rounding reached the tapered ends: the reference computes this output
            C(i, j) = gemm_element<Model>(&A(i, 0), A.col_stride, &B(0, j), B.row_stride, K, C(i, j), i, j, o.round,
                                          o.output_round, o.seed, o.chunk, o.accumulate);
            return;
          }
          const Acc total = Acc::from_bits(static_cast<typename Acc::storage_type>(
              v != v ? Acc::codec::nar : PositArith<PN, PES>::from_double(v)));
          if constexpr (std::is_same_v<TC, Acc>) {
            C(i, j) = total;
          } else {
            C(i, j) = pack_any<TC>(unpack_any(total), o.output_round,
                                   gemm_word(o.output_round, o.seed, gemm_counter(i, j), K, 3));
          }
        });
    return true;
  }
}

// ----- fixed-point kernel driver -------------------------------------------------------------------

template <class TA, class TB, class P, class Acc>
constexpr bool fixed_plan() {
  if constexpr (FixedFormat<TA> && FixedFormat<TB> && FixedFormat<Acc>) {
    return TA::width <= 16 && TB::width <= 16 && Acc::width == 32 &&
           Acc::fraction_bits == TA::fraction_bits + TB::fraction_bits &&
           (std::is_same_v<P, exact_product> || std::is_same_v<P, Acc>);
  } else {
    return false;
  }
}

template <class Model, class TA, class TB, class TC>
bool fixed_rows(const MatrixView<const TA>& A, const MatrixView<const TB>& B, const MatrixView<TC>& C,
                const GemmOptions& o, std::ptrdiff_t i0, std::ptrdiff_t i1) {
  using P = or_type<typename Model::product, TC>;
  using Acc = or_type<typename Model::accumulator, TC>;
  if constexpr (!fixed_plan<TA, TB, P, Acc>()) {
    return false;
  } else {
    // Products are exact and so are sums before the overflow policy: no mode ever rounds here,
    // so every mode (stochastic included) gives the same bits.
    const std::ptrdiff_t K = A.cols, N = C.cols, rows = i1 - i0;
    if (K == 0) return false;
    if (rows <= 0 || N == 0) return true;
    constexpr int MR = 4, NR = 32;
    constexpr bool sat = Acc::overflow == FixedOverflow::saturate;
    const auto tile_fn = SOFTNUM_GK_PICK(fixed_tile, sat, MR);
    const std::ptrdiff_t chunk = o.chunk;
    run_tiles<MR, NR, std::int32_t>(
        by_columns(B), rows, K, N,
        [&](std::ptrdiff_t r, std::ptrdiff_t k) {
          return static_cast<std::int32_t>(A(i0 + r, k).raw());
        },
        [&](std::ptrdiff_t k, std::ptrdiff_t j) {
          return static_cast<std::int32_t>(B(k, j).raw());
        },
        [&](std::ptrdiff_t r, std::ptrdiff_t j) {
          return o.accumulate ? static_cast<std::int32_t>(
                                    pack_any<Acc>(unpack_any(C(i0 + r, j)), o.round,
                                                  gemm_word(o.round, o.seed, gemm_counter(i0 + r, j), K, 2))
                                        .raw())
                              : std::int32_t{0};
        },
        [&](const std::int32_t* ap, const std::int32_t* bp, std::int32_t* tile, std::uint64_t*,
            std::ptrdiff_t, std::ptrdiff_t) { tile_fn(ap, bp, K, chunk, tile); },
        [&](std::ptrdiff_t r, std::ptrdiff_t j, std::int32_t v, bool) {
          const Acc total = Acc::from_raw(static_cast<typename Acc::raw_type>(v));
          if constexpr (std::is_same_v<TC, Acc>) {
            C(i0 + r, j) = total;
          } else {
            C(i0 + r, j) = pack_any<TC>(unpack_any(total), o.output_round,
                                        gemm_word(o.output_round, o.seed, gemm_counter(i0 + r, j), K, 3));
          }
        });
    return true;
  }
}

// ----- float inputs with a posit or fixed-point accumulator ----------------------------------

/// Which accumulators fused_rows handles: a posit with a double path (posit8, posit16, posit32 if
/// its inputs are floats), or a saturating Fixed whose range and grid leave double 2 spare bits
/// (I + F <= 48: fixed8_8, fixed4_12, fixed16_16, ...); stochastic: which of them leave 34 (the
/// 32 random bits and 2 for the round-to-odd tail).
template <class Acc>
struct fused_acc {
  static constexpr bool ok = false;
};
template <int N, int ES>
struct fused_acc<Posit<N, ES>> {
  static constexpr bool ok = PositArith<N, ES>::via_double && N <= 32;
  static constexpr bool stochastic = posit_sr_lanes<N, ES>;  // round_posit_sr
  static constexpr bool fixed = false;
  static constexpr int n = N, es = ES;
};
template <int I, int F, Round R>
struct fused_acc<Fixed<I, F, R, FixedOverflow::saturate>> {
  static constexpr bool ok = I + F <= 48;
  static constexpr bool stochastic = I + F <= 20;  // round_fixed_sr
  static constexpr bool fixed = true;
  static constexpr int n = 0, es = 0;
};

/// The model's rounding of a double (exact, or round-to-odd with enough bits: fix_lanes) to Acc
/// in mode Mode, as a double (exact: Acc's values are doubles).
template <class Acc, Round Mode>
double fused_lane(double v, std::uint32_t random) noexcept {
  return unpacked_to_double(unpack_any(pack_any<Acc>(unpack_double(v), Mode, random)));
}

template <class Model, class TA, class TB, class TC>
bool fused_rows(const MatrixView<const TA>& A, const MatrixView<const TB>& B,
                const MatrixView<TC>& C, const GemmOptions& o, std::ptrdiff_t i0,
                std::ptrdiff_t i1) {
  using P = or_type<typename Model::product, TC>;
  using Acc = or_type<typename Model::accumulator, TC>;
  if constexpr (!(fused_acc<Acc>::ok && std::is_same_v<TA, float> && std::is_same_v<TB, float> &&
                  std::is_same_v<P, exact_product>)) {
    return false;
  } else {
    using FA = fused_acc<Acc>;
    const std::ptrdiff_t K = A.cols, N = C.cols, rows = i1 - i0;
    const bool stochastic = o.round == Round::stochastic;
    if (!(o.round == Round::nearest_even || (stochastic && FA::stochastic)) || K == 0) return false;
    if (rows <= 0 || N == 0) return true;
    constexpr int MR = 4, NR = 16;
    auto tile_fn = SOFTNUM_GK_PICK(fused_acc_tile, FA::fixed, FA::n, FA::es, MR, false);
    if constexpr (FA::stochastic) {
      if (stochastic) tile_fn = SOFTNUM_GK_PICK(fused_acc_tile, FA::fixed, FA::n, FA::es, MR, true);
    }
    FusedParams prm;
    prm.seed = o.seed;
    prm.lane = &fused_lane<Acc, Round::nearest_even>;
    if constexpr (FA::stochastic) {
      if (stochastic) prm.lane = &fused_lane<Acc, Round::stochastic>;
    }
    if constexpr (FA::fixed) {
      constexpr int F = Acc::fraction_bits;
      prm.magic = 1.5 * static_cast<double>(std::uint64_t{1} << (52 - F));
      prm.lo = static_cast<double>(std::numeric_limits<Acc>::lowest());
      prm.hi = static_cast<double>(std::numeric_limits<Acc>::max());
      prm.sr_up = static_cast<double>(std::uint64_t{1} << (F + 32 <= 63 ? F + 32 : 63));
      prm.sr_down = 1.0 / static_cast<double>(std::uint64_t{1} << F);
      prm.cap_pos = static_cast<std::uint64_t>(std::numeric_limits<Acc>::max().raw());
      prm.cap_neg =
          std::uint64_t{0} - static_cast<std::uint64_t>(std::numeric_limits<Acc>::lowest().raw());
    }
    const std::ptrdiff_t chunk = o.chunk;
    run_tiles<MR, NR, double>(
        by_columns(B), rows, K, N,
        [&](std::ptrdiff_t r, std::ptrdiff_t k) { return static_cast<double>(A(i0 + r, k)); },
        [&](std::ptrdiff_t k, std::ptrdiff_t j) { return static_cast<double>(B(k, j)); },
        [&](std::ptrdiff_t r, std::ptrdiff_t j) {
          return start<Acc, double>(C(i0 + r, j), o, i0 + r, j, K);
        },
        [&](const double* ap, const double* bp, double* tile, std::uint64_t* bad, std::ptrdiff_t r0,
            std::ptrdiff_t j0) { tile_fn(ap, bp, K, chunk, tile, bad, prm, i0 + r0, j0); },
        [&](std::ptrdiff_t r, std::ptrdiff_t j, double v, bool bad) {
          const std::ptrdiff_t i = i0 + r;
          if (bad) {  // (fused_acc_tile finishes every lane itself: a safe fallback only)
            C(i, j) =
                gemm_element<Model>(&A(i, 0), A.col_stride, &B(0, j), B.row_stride, K, C(i, j), i,
                                    j, o.round, o.output_round, o.seed, o.chunk, o.accumulate);
            return;
          }
          // v is a finite value of Acc; the model's output rounding from it.
          C(i, j) = pack_any<TC>(
              unpack_any(pack_any<Acc>(unpack_double(v), Round::nearest_even, 0)), o.output_round,
              gemm_word(o.output_round, o.seed, gemm_counter(i, j), K, 3));
        });
    return true;
  }
}

// ----- float or double inputs, exact products, an accumulator that holds their exact sum -----

/// Accumulators of at least 64 bits of precision whose range holds every multiple of 2^-2148 (the
/// grid of products of doubles) up to 2^2112 (a sum of at most 2^64 such products): binary128.
/// With exact products, each rounding of the model is then exact while the partial sums stay on
/// the products' common grid 2^q and below 2^(q + p): the model's result is the exact sum.
template <class Acc>
struct exact_sum_acc {
  static constexpr bool ok = false;
  static constexpr int p = 0;
};
template <class T>
  requires FloatFormat<T>
struct exact_sum_acc<T> {
  using C = typename T::codec;
  static constexpr bool ok = T::mantissa_bits + 1 >= 64 && C::emin <= -2148 && C::emax >= 2112;
  // Partial sums below 2^p on the grid are values of T; 126 also keeps them in an int128.
  static constexpr int p = T::mantissa_bits + 1 < 126 ? T::mantissa_bits + 1 : 126;
};

/// x = (-1)^negative sig 2^exp for a float or double (sig = 0 for zeros); false for inf and NaN.
template <class T>
bool split_binary(T x, bool& negative, std::uint64_t& sig, int& exp) noexcept {
  constexpr bool dbl = sizeof(T) == 8;
  constexpr int mbits = dbl ? 52 : 23, bias = dbl ? 1075 : 150;  // value = sig 2^(field - bias)
  constexpr std::uint64_t field_max = dbl ? 0x7FF : 0xFF;
  std::uint64_t u;
  if constexpr (dbl)
    u = bit_cast<std::uint64_t>(x);
  else
    u = bit_cast<std::uint32_t>(x);
  negative = (u >> (dbl ? 63 : 31)) != 0;
  const std::uint64_t field = (u >> mbits) & field_max;
  if (field == field_max) return false;
  sig = u & ((std::uint64_t{1} << mbits) - 1);
  if (field != 0) sig |= std::uint64_t{1} << mbits;
  exp = static_cast<int>(field == 0 ? 1 : field) - bias;
  return true;
}

/// The binary grid of a set of floats or doubles: every finite nonzero value is an integer
/// multiple of 2^qmin below 2^(emax + 1) in magnitude, so an integer of span() bits on that grid.
struct GridStats {
  int qmin = 0, emax = 0;
  bool any = false, finite = true;
  template <class T>
  void add(T x) noexcept {
    bool negative;
    std::uint64_t sig;
    int exp;
    if (!split_binary(x, negative, sig, exp)) {
      finite = false;
      return;
    }
    if (sig == 0) return;
    const int low = exp + __builtin_ctzll(sig), high = exp + 63 - __builtin_clzll(sig);
    if (!any) {
      qmin = low;
      emax = high;
      any = true;
    }
    qmin = low < qmin ? low : qmin;
    emax = high > emax ? high : emax;
  }
  int span() const noexcept { return any ? emax + 1 - qmin : 0; }
};

/// x / 2^q as an integer (x finite, a multiple of 2^q, |x| < 2^(q + 63)).
template <class T>
std::int64_t on_grid(T x, int q) noexcept {
  bool negative;
  std::uint64_t sig;
  int exp;
  if (!split_binary(x, negative, sig, exp) || sig == 0) return 0;
  const int zeros = __builtin_ctzll(sig);  // sig 2^exp with sig odd: exp >= q
  const auto m = static_cast<std::int64_t>((sig >> zeros) << (exp + zeros - q));
  return negative ? -m : m;
}

/// Smallest c with 2^c >= n (n >= 1).
inline int ceil_log2(std::ptrdiff_t n) noexcept {
  int c = 0;
  while ((std::ptrdiff_t{1} << c) < n) ++c;
  return c;
}

/// v (a finite nonzero double, exact) rounded once to TC in mode: the conversions of the common
/// output types that start from a double (each one correct rounding of v), else the generic pack.
template <class TC>
TC round_exact_double(double v, Round mode, std::uint32_t random) noexcept {
  if constexpr (std::is_same_v<TC, float> || std::is_same_v<TC, double>) {
    if (mode == Round::nearest_even) return static_cast<TC>(v);
  } else if constexpr (FloatFormat<TC>) {
    if constexpr (TC::arith::via_double)
      return TC::from_bits(TC::arith::from_double(v, mode, random, false));
  } else if constexpr (PositFormat<TC>) {
    if constexpr (TC::arith::via_double) {
      if (mode == Round::nearest_even)
        return TC::from_bits(static_cast<typename TC::storage_type>(TC::arith::from_double(v)));
    }
  }
  return pack_any<TC>(unpack_double(v), mode, random);
}

/// How exact_sum_rows computes rows [i0, i1) of A * B: tier 0, not at all (the generic path);
/// 1, integers in double lanes (span <= 51); 2, int128 sums of 64 x 64-bit products. qa, qb: the
/// grids of A's rows and of B; span: bits of the largest product's magnitude on the grid qa + qb.
struct ExactSumPlan {
  int tier = 0;
  int qa = 0, qb = 0, span = 0;
};

template <class Acc, class TA, class TB>
ExactSumPlan exact_sum_plan(const MatrixView<const TA>& A, const MatrixView<const TB>& B,
                            std::ptrdiff_t i0, std::ptrdiff_t i1) noexcept {
  const std::ptrdiff_t K = A.cols;
  GridStats sa, sb;
  for (std::ptrdiff_t i = i0; i < i1 && sa.finite; ++i)
    for (std::ptrdiff_t k = 0; k < K; ++k) sa.add(A(i, k));
  scan_in_memory_order(B, [&sb](const TB& x) {
    sb.add(x);
    return sb.finite;
  });
  ExactSumPlan plan;
  if (!sa.finite || !sb.finite || K == 0) return plan;
  plan.qa = sa.qmin;
  plan.qb = sb.qmin;
  plan.span = sa.span() + sb.span();
  if (plan.span + ceil_log2(K) > exact_sum_acc<Acc>::p) return plan;  // the model may round
  if (plan.span <= 51)
    plan.tier = 1;
  else if (sa.span() <= 63 && sb.span() <= 63)
    plan.tier = 2;
  return plan;
}

/// float or double inputs, exact products, an exact_sum_acc accumulator (binary128: the quire of
/// softnum_train): each output is the exact sum of the products, computed as an integer on the
/// grid 2^(qa + qb) of the inputs' values (qa, qb: the smallest bit set in any value of A's rows,
/// of B), then rounded once to C's type. This is the model's result whenever every partial sum
/// stays below 2^(q + p): checked as span_A + span_B + ceil(log2 K) <= p (spans in bits of the
/// integers on the grid), so exactness follows from the data, not from the formats. Two tiers:
/// span_A + span_B <= 51: integer products and block sums exact in double lanes (exact_tile);
/// otherwise, spans of at most 63 bits each: 64 x 64 -> 128-bit products summed in int128.
/// Anything else (inf or NaN in the inputs, wider spans, C + A*B) takes the generic path. An exact
/// zero sum is +0 in the model (zero_sum) except when rounding down, where its sign depends on the
/// order of the terms: those outputs are recomputed by gemm_element.
template <class Model, class TA, class TB, class TC>
bool exact_sum_rows(const MatrixView<const TA>& A, const MatrixView<const TB>& B,
                    const MatrixView<TC>& C, const GemmOptions& o, std::ptrdiff_t i0,
                    std::ptrdiff_t i1) {
  using P = or_type<typename Model::product, TC>;
  using Acc = or_type<typename Model::accumulator, TC>;
  constexpr bool binary_in = (std::is_same_v<TA, float> || std::is_same_v<TA, double>)&&(
      std::is_same_v<TB, float> || std::is_same_v<TB, double>);
  if constexpr (!(exact_sum_acc<Acc>::ok && binary_in && std::is_same_v<P, exact_product>)) {
    return false;
  } else {
    const std::ptrdiff_t K = A.cols, N = C.cols, rows = i1 - i0;
    if (o.accumulate || K == 0) return false;
    if (rows <= 0 || N == 0) return true;
    const ExactSumPlan plan = exact_sum_plan<Acc>(A, B, i0, i1);
    if (plan.tier == 0) return false;
    const int span = plan.span;
    const bool narrow = plan.tier == 1;
    const int qa = plan.qa, qb = plan.qb, q = qa + qb;
    const bool in_double = q >= -1022 && q <= 1023 - 53;
    const double scale = in_double ? pow2_double(q) : 0.0;
    // C(i0 + r, j) from the exact sum (hi, lo) 2^q.
    auto out = [&](std::ptrdiff_t r, std::ptrdiff_t j, std::int64_t hi, std::uint64_t lo) {
      const std::ptrdiff_t i = i0 + r;
      Unpacked total = make_special(Kind::zero, false);
      const std::uint32_t word = gemm_word(o.output_round, o.seed, gemm_counter(i, j), K, 3);
      if (in_double && hi == (static_cast<std::int64_t>(lo) >> 63) &&
          lo + (std::uint64_t{1} << 53) <= (std::uint64_t{1} << 54) &&
          lo != 0) {  // |sum| <= 2^53 on a grid q in [-1022, 970]: the double sum 2^q exactly
        C(i, j) = round_exact_double<TC>(static_cast<double>(static_cast<std::int64_t>(lo)) * scale,
                                         o.output_round, word);
        return;
      }
      if (hi != 0 || lo != 0) {
        const bool negative = hi < 0;
        u128 m = (static_cast<u128>(static_cast<std::uint64_t>(hi)) << 64) | static_cast<u128>(lo);
        if (negative) m = u128{0} - m;
        total = Unpacked{Kind::finite, negative, q, m};
      } else if (o.round == Round::down) {
        C(i, j) = gemm_element<Model>(&A(i, 0), A.col_stride, &B(0, j), B.row_stride, K, C(i, j), i,
                                      j, o.round, o.output_round, o.seed, o.chunk, o.accumulate);
        return;
      }
      C(i, j) = pack_any<TC>(total, o.output_round, word);
    };
    if (narrow) {
      constexpr int MR = 4, NR = 16;
      const std::ptrdiff_t block = std::ptrdiff_t{1} << (51 - span < 40 ? 51 - span : 40);
      const auto tile_fn = SOFTNUM_GK_PICK(exact_tile, MR);
      std::array<std::int64_t, static_cast<std::size_t>(MR * NR)> hi{};
      std::array<std::uint64_t, static_cast<std::size_t>(MR * NR)> lo{};
      // x 2^-q is an integer below 2^51 in magnitude: two exact scalings by powers of two (one
      // when -q <= 1023; the first brings a double's subnormals up to >= 2^-51).
      auto first = [](int e) { return -e < 1023 ? -e : 1023; };
      const double a1 = pow2_double(first(qa)), a2 = pow2_double(-qa - first(qa));
      const double b1 = pow2_double(first(qb)), b2 = pow2_double(-qb - first(qb));
      run_tiles<MR, NR, double>(
          by_columns(B), rows, K, N,
          [&](std::ptrdiff_t r, std::ptrdiff_t k) {
            return static_cast<double>(A(i0 + r, k)) * a1 * a2;
          },
          [&](std::ptrdiff_t k, std::ptrdiff_t j) {
            return static_cast<double>(B(k, j)) * b1 * b2;
          },
          [](std::ptrdiff_t, std::ptrdiff_t) { return 0.0; },
          [&](const double* ap, const double* bp, double*, std::uint64_t*, std::ptrdiff_t,
              std::ptrdiff_t) { tile_fn(ap, bp, K, block, hi.data(), lo.data()); },
          // run_tiles finishes the tile just computed: its outputs are hi, lo at (r mod MR,
          // j mod NR).
          [&](std::ptrdiff_t r, std::ptrdiff_t j, double, bool) {
            const auto t = static_cast<std::size_t>((r % MR) * NR + j % NR);
            out(r, j, hi[t], lo[t]);
          });
    } else {
      std::vector<std::int64_t> a(static_cast<std::size_t>(rows * K)),
          b(static_cast<std::size_t>(K * N));
      for (std::ptrdiff_t r = 0; r < rows; ++r)
        for (std::ptrdiff_t k = 0; k < K; ++k)
          a[static_cast<std::size_t>(r * K + k)] = on_grid(A(i0 + r, k), qa);
      for (std::ptrdiff_t j = 0; j < N; ++j)  // columns of B, contiguous in k
        for (std::ptrdiff_t k = 0; k < K; ++k)
          b[static_cast<std::size_t>(j * K + k)] = on_grid(B(k, j), qb);
      for (std::ptrdiff_t r = 0; r < rows; ++r)
        for (std::ptrdiff_t j = 0; j < N; ++j) {
          const std::int64_t* x = a.data() + r * K;
          const std::int64_t* y = b.data() + j * K;
          i128 s = 0;
          for (std::ptrdiff_t k = 0; k < K; ++k)
            s += i128(x[k]) * i128(y[k]);  // exact: |s| < 2^113
          out(r, j, static_cast<std::int64_t>(s >> 64), static_cast<std::uint64_t>(s));
        }
    }
    return true;
  }
}

/// Rows [i0, i1) of C by the fastest kernel for the model and types; false: none applies.
template <class Model, class TA, class TB, class TC>
bool try_rows(const MatrixView<const TA>& A, const MatrixView<const TB>& B, const MatrixView<TC>& C,
              const GemmOptions& o, std::ptrdiff_t i0, std::ptrdiff_t i1) {
  if (!SOFTNUM_GEMM_HAS_GENERIC && isa() == 0) return false;  // see SOFTNUM_GEMM_GENERIC_KERNELS
  return float_rows<Model>(A, B, C, o, i0, i1) || posit_rows<Model>(A, B, C, o, i0, i1) ||
         fixed_rows<Model>(A, B, C, o, i0, i1) || fused_rows<Model>(A, B, C, o, i0, i1) ||
         exact_sum_rows<Model>(A, B, C, o, i0, i1);
}

}  // namespace softnum::detail::gemm_fast

#  if defined(__clang__)
#    pragma clang diagnostic pop
#  elif defined(__GNUC__)
#    pragma GCC diagnostic pop
#  endif

#endif  // SOFTNUM_GEMM_SIMD
