// softnum/gemm/block_gemm_kernels.hpp - the CPU kernel behind gemm_block_parallel (included by
// gemm/block_gemm.hpp, whose model it computes bit for bit).
// SPDX-License-Identifier: MIT
//
// How: every block is decoded once into integers on its element's quantum grid (element value =
// q * 2^qexp, |q| < 2^qbits) plus its scale exponent and a flag for the rare blocks the fast path
// leaves to block_dot (a NaN scale, an infinite or NaN element). A block pair's exact sum
// S = sum q_a * q_b is then formed by one of four paths, chosen at compile time from the bound
// |S| < 2^(qbits_A + qbits_B + bit_width(N)) (static_asserts below):
//   int32 (MXFP4, MXFP6, MXINT8): |q| < 2^15 and the bound <= 31: q as int16 pairs, products
//         summed in int32 lanes by pairs (vpmaddwd on AVX2 / AVX-512);
//   f64   (MXFP8 E4M3, and mixes up to the bound 53): q in float (exact: few significant bits),
//         products and their sums in double lanes, every one an integer below 2^53, hence exact;
//   f64_split (MXFP8 E5M2, E5M2 x E4M3, binary16 elements: sums of up to 70 or more bits): the
//         same products split into two double sums that are each exact (sum_path), added once
//         (53 bits); a lane whose sum lands exactly halfway between two floats, the only case
//         where that extra rounding could matter, is redone by block_dot;
//   wide  (elements whose sums need more): block_dot itself (i128 sums).
// Then, per lane, d = S * 2^(qexp_A + qexp_B + kA + kB) in double (exact: a power-of-two scaling
// far inside double's range) and r = (float)d, one IEEE rounding to nearest even: the model's
// step 2. Lanes whose r is zero, at
// or below 2^-126 (subnormal: this keeps the result right under flush-to-zero too), infinite or
// NaN, and lanes of flagged blocks are recomputed by block_dot, which also gives zero sums their
// sign. Step 3: r is added to the output's float accumulator in increasing t. Vectorised across 16
// output columns, 4 rows at a time; rows are split among threads (softnum::gemm's pool), so every
// output is the same sequence of operations on any thread count, instruction set or compiler.
#pragma once

#include <softnum/core/bits.hpp>
#include <softnum/core/cpu_features.hpp>  // detail::isa(), SOFTNUM_X86_DISPATCH
#include <softnum/gemm/gemm.hpp>          // GemmOptions, GemmPool, gemm_threads
#include <softnum/types/block.hpp>

#include <algorithm>  // std::min
#include <cstddef>    // std::size_t
#include <cstdint>    // fixed-width integers
#include <cstring>    // std::memcpy
#include <vector>     // decoded operands

#if !defined(__CUDACC__) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(SOFTNUM_GEMM_NO_SIMD)
#  define SOFTNUM_BLOCK_GEMM_SIMD 1
#else
#  define SOFTNUM_BLOCK_GEMM_SIMD 0
#endif

#if SOFTNUM_BLOCK_GEMM_SIMD && SOFTNUM_X86_DISPATCH
#  define SOFTNUM_BLOCK_GEMM_X86 1
#  include <immintrin.h>
#else
#  define SOFTNUM_BLOCK_GEMM_X86 0
#endif

namespace softnum::detail::block_gemm {

/// Element values on the quantum grid: v = q * 2^qexp, q an integer with |q| < 2^qbits and at
/// most sig_bits significant bits; in_float: every q is a float (so float panels hold them).
template <class E>
struct grid {
  static constexpr int qexp = block::element_quantum<E>::exp;
  static constexpr int qbits = block::element_max<E>::emax - qexp + 1;
  static constexpr int sig_bits =
      block::element_traits<E>::is_float ? block::element_max<E>::top + 1 : qbits;
  static constexpr bool in_float = sig_bits <= 24 && qbits <= 127;
};

/// Which exact sum a block pair takes (see the top of this file). |S| < 2^bound.
template <class EA, class EB, int N>
struct sum_path {
  static constexpr int pad = N + (N & 1);  // int16 pairs: an odd block gets a zero element
  static constexpr int bound =
      grid<EA>::qbits + grid<EB>::qbits + bit_width(static_cast<std::uint64_t>(pad));
  static constexpr bool int32 = grid<EA>::qbits <= 15 && grid<EB>::qbits <= 15 && bound <= 31;
  static constexpr bool in_float = grid<EA>::in_float && grid<EB>::in_float;
  static constexpr bool f64 = !int32 && in_float && bound <= 53;
  // f64_split: every product p is an exact double (sig_bits_A + sig_bits_B <= 53) and an
  // integer below 2^qsum; it is split as p = hi + lo with hi = (p + C) - C, C = 1.5 * 2^(split +
  // 52) (hi: p rounded to a multiple of 2^split, exact for |p| <= 2^(split + 51)) and lo = p - hi
  // (an integer, |lo| <= 2^(split - 1)). The lo sums stay below 2^(split - 1 + bit_width(pad))
  // <= 2^53 and the hi sums are multiples of 2^split below 2^(bound + 1) <= 2^(split + 53): two
  // double sums, each exact.
  static constexpr int product_bits = grid<EA>::sig_bits + grid<EB>::sig_bits;
  static constexpr int qsum = grid<EA>::qbits + grid<EB>::qbits;
  static constexpr int split = 54 - bit_width(static_cast<std::uint64_t>(pad));
  static constexpr bool f64_split =
      !int32 && !f64 && in_float && product_bits <= 53 && qsum <= split + 51 && bound <= split + 52;
};

/// 2^k as a double, k in [-1022, 1023].
inline double pow2d(int k) noexcept {
  return bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
}

/// One element decoded: q, its sign (zeros included), and whether it is infinite or NaN (the
/// block goes to block_dot).
struct Decoded {
  double q = 0;  // exact: at most 24 significant bits
  bool negative = false;
  bool special = false;
};

template <class E>
Decoded decode_element(E e) noexcept {
  static_assert(grid<E>::in_float, "softnum::gemm_block_parallel: q must be a float here");
  const Unpacked u = number_traits<E>::unpack(e);
  Decoded d;
  d.negative = u.sign;
  if (u.kind == Kind::finite) {  // sig < 2^24 (a normalised significand of sig_bits bits)
    const double mag =
        static_cast<double>(static_cast<std::uint64_t>(u.sig)) * pow2d(u.exp - grid<E>::qexp);
    d.q = u.sign ? -mag : mag;
  } else {
    d.special = u.kind == Kind::inf || u.kind == Kind::nan;
  }
  return d;
}

/// decode_element of every code, for elements of at most 8 bits (built once).
template <class E>
const Decoded* decode_table() noexcept {
  static_assert(block::element_traits<E>::width <= 8);
  static const auto table = [] {
    constexpr unsigned n = 1u << block::element_traits<E>::width;
    std::vector<Decoded> t(n);
    for (unsigned c = 0; c < n; ++c) {
      t[c] = decode_element(E::from_bits(static_cast<typename E::storage_type>(c)));
    }
    return t;
  }();
  return table.data();
}

/// One block decoded: q per element (N of them), the masks of nonzero and negative elements
/// (the first 64), and whether block_dot must take it (NaN scale, infinite or NaN element).
struct BlockInfo {
  std::uint64_t nonzero = 0, negative = 0;
  bool special = false;
};

template <class B>
BlockInfo decode_block(const B& blk, double* q) noexcept {
  using E = typename B::element_type;
  constexpr int N = B::block_size, W = B::element_bits;
  BlockInfo info;
  info.special = blk.scale().bits() == block::scale_nan_code;
  auto put = [&](int e, const Decoded& x) {
    q[e] = x.q;
    info.special = info.special || x.special;
    if (e < 64) {
      info.nonzero |= static_cast<std::uint64_t>(x.q != 0) << e;
      info.negative |= static_cast<std::uint64_t>(x.negative) << e;
    }
  };
  if constexpr (W <= 8) {
    const Decoded* table = decode_table<E>();
    const std::uint8_t* p = blk.packed();
    for (int e = 0; e < N; ++e) {
      unsigned code;
      if constexpr (W == 8) {
        code = p[e];
      } else if constexpr (W == 4) {
        code = (static_cast<unsigned>(p[e / 2]) >> (4 * (e % 2))) & 15u;
      } else {
        code = static_cast<unsigned>(blk.element(e).bits());
      }
      put(e, table[code]);
    }
  } else {
    for (int e = 0; e < N; ++e) put(e, decode_element(blk.element(e)));
  }
  return info;
}

inline constexpr std::size_t lanes =
    16;  // output columns per panel (one vector of 16 int32 / float)
inline constexpr int tile_rows = 4;

/// The decoded operands. A: per block (row i, block t) at index i*kb + t; B: per panel of 16
/// columns and block t at index panel*kb + t, lane l = column panel*16 + l (zero past n).
/// int32 path: P = ceil(N/2) words per block, word p = q[2p] | q[2p+1] << 16 (int16 each);
/// B holds P words x 16 lanes. f64 path: A holds N doubles per block, B N floats x 16 lanes.
/// a_scale = 2^(qexp_A + qexp_B + kA), b_scale = 2^kB per lane; *_flag: -1 = use block_dot.
/// Blocks of at most 64 elements also keep bit masks of their nonzero and negative elements, from
/// which a zero sum gets its sign (-0 exactly when every product is a zero of negative sign).
struct Decoded2 {
  std::vector<std::int32_t> a_words, b_words;
  std::vector<double> a_values;
  std::vector<float> b_values;
  std::vector<double> a_scale, b_scale;
  std::vector<std::int32_t> a_flag, b_flag;
  std::vector<std::uint64_t> a_nonzero, a_negative, b_nonzero, b_negative;
};

/// Two q of at most 15 bits as the int16 pair lo | hi << 16.
inline std::uint32_t word(double lo, double hi) noexcept {
  return static_cast<std::uint32_t>(static_cast<std::uint16_t>(static_cast<std::int16_t>(lo))) |
         (static_cast<std::uint32_t>(static_cast<std::uint16_t>(static_cast<std::int16_t>(hi)))
          << 16);
}

template <class BA, class BB>
void decode_a(const BA* a, std::size_t kb, std::size_t i0, std::size_t i1, Decoded2& d) noexcept {
  using EA = typename BA::element_type;
  using EB = typename BB::element_type;
  constexpr int N = BA::block_size;
  using path = sum_path<EA, EB, N>;
  constexpr std::size_t P = path::pad / 2, NS = N;
  constexpr int base = grid<EA>::qexp + grid<EB>::qexp;
  double q[path::pad] = {};
  for (std::size_t x = i0 * kb; x < i1 * kb; ++x) {
    const BlockInfo info = decode_block(a[x], q);
    d.a_scale[x] = info.special ? 0.0 : pow2d(base + static_cast<int>(a[x].scale().bits()) - 127);
    d.a_flag[x] = info.special ? -1 : 0;
    d.a_nonzero[x] = info.nonzero;
    d.a_negative[x] = info.negative;
    if constexpr (path::int32) {
      for (std::size_t p = 0; p < P; ++p) {
        d.a_words[x * P + p] = static_cast<std::int32_t>(word(q[2 * p], q[2 * p + 1]));
      }
    } else {
      for (std::size_t e = 0; e < NS; ++e) d.a_values[x * NS + e] = q[e];
    }
  }
}

template <class BA, class BB>
void decode_b(const BB* b, std::size_t n, std::size_t kb, std::size_t p0, std::size_t p1,
              Decoded2& d) noexcept {
  using EA = typename BA::element_type;
  using EB = typename BB::element_type;
  constexpr int N = BB::block_size;
  using path = sum_path<EA, EB, N>;
  constexpr std::size_t P = path::pad / 2, NS = N;
  double q[path::pad] = {};
  for (std::size_t panel = p0; panel < p1; ++panel) {
    for (std::size_t t = 0; t < kb; ++t) {
      const std::size_t x = panel * kb + t;
      for (std::size_t l = 0; l < lanes; ++l) {
        const std::size_t j = panel * lanes + l;
        const std::size_t at = x * lanes + l;
        BlockInfo info;
        if (j < n) {
          info = decode_block(b[j * kb + t], q);
          d.b_scale[at] =
              info.special ? 0.0 : pow2d(static_cast<int>(b[j * kb + t].scale().bits()) - 127);
        } else {  // padding: zero sums, never read back
          for (double& v : q) v = 0;
          d.b_scale[at] = 1.0;
        }
        d.b_flag[at] = info.special ? -1 : 0;
        d.b_nonzero[at] = info.nonzero;
        d.b_negative[at] = info.negative;
        if constexpr (path::int32) {
          for (std::size_t p = 0; p < P; ++p) {
            d.b_words[(x * P + p) * lanes + l] =
                static_cast<std::int32_t>(word(q[2 * p], q[2 * p + 1]));
          }
        } else {
          for (std::size_t e = 0; e < NS; ++e) {
            d.b_values[(x * NS + e) * lanes + l] = static_cast<float>(q[e]);  // exact: in_float
          }
        }
      }
    }
  }
}

/// Everything a tile kernel reads.
template <class BA, class BB>
struct TileArgs {
  const Decoded2* d;
  const BA* a;
  const BB* b;
  std::size_t m, n, kb;

  /// block_dot of block pair (i, j, t), whose value (when neither block is flagged) is v =
  /// S * 2^(qexps + kA + kB) in double, exact except on the f64_split path: v rounded once to
  /// float by integer code (no float arithmetic: flush-to-zero modes cannot touch it); a zero sum
  /// (v = 0 exactly when S = 0, on every path) with the model's sign; flagged blocks (NaN scale,
  /// infinite or NaN elements) and inexact v by block_dot itself.
  float fix(std::size_t i, std::size_t j, std::size_t t, double v) const noexcept {
    const std::size_t xa = i * kb + t;
    const std::size_t xb = (j / lanes * kb + t) * lanes + j % lanes;
    using path = sum_path<typename BA::element_type, typename BB::element_type, BA::block_size>;
    if (d->a_flag[xa] != 0 || d->b_flag[xb] != 0 || (v == 0 && BA::block_size > 64) ||
        (v != 0 && path::f64_split)) {
      return block_dot(a[xa], b[j * kb + t]);
    }
    if (v == 0) {  // -0 exactly when every product is a zero of negative sign
      constexpr std::uint64_t all = BA::block_size == 64
                                        ? ~std::uint64_t{0}
                                        : (std::uint64_t{1} << (BA::block_size % 64)) - 1u;
      const bool negative = (d->a_nonzero[xa] & d->b_nonzero[xb]) == 0 &&
                            (d->a_negative[xa] ^ d->b_negative[xb]) == all;
      return bit_cast<float>(negative ? 0x80000000u : 0u);
    }
    return number_traits<float>::pack(number_traits<double>::unpack(v), Round::nearest_even, 0u);
  }
};

}  // namespace softnum::detail::block_gemm

#if SOFTNUM_BLOCK_GEMM_SIMD

#  if defined(__clang__)
#    pragma clang diagnostic push
#    pragma clang diagnostic ignored "-Wpsabi"
#  elif defined(__GNUC__)
#    pragma GCC diagnostic push
#    pragma GCC diagnostic ignored "-Wpsabi"
#  endif

#  define SOFTNUM_BK_INLINE inline __attribute__((always_inline))
#  define SOFTNUM_BK_CAST(T, x) __builtin_bit_cast(T, x)

namespace softnum::detail::block_gemm {
typedef std::int32_t vi32x16 __attribute__((vector_size(64)));
typedef std::uint32_t vu32x16 __attribute__((vector_size(64)));
typedef float vf32x16 __attribute__((vector_size(64)));
typedef double vf64x16 __attribute__((vector_size(128)));
typedef std::int64_t vi64x16 __attribute__((vector_size(128)));
}  // namespace softnum::detail::block_gemm

#  if SOFTNUM_BLOCK_GEMM_X86
namespace softnum::detail::block_gemm {
#    define SOFTNUM_BK_ISA 2
#    define SOFTNUM_BK_NS avx512
#    define SOFTNUM_BK_TARGET \
      __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma,f16c")))
#    include <softnum/gemm/block_gemm_simd.inc>
#    undef SOFTNUM_BK_TARGET
#    undef SOFTNUM_BK_NS
#    undef SOFTNUM_BK_ISA
#    define SOFTNUM_BK_ISA 1
#    define SOFTNUM_BK_NS avx2
#    define SOFTNUM_BK_TARGET __attribute__((target("avx2,fma,f16c")))
#    include <softnum/gemm/block_gemm_simd.inc>
#    undef SOFTNUM_BK_TARGET
#    undef SOFTNUM_BK_NS
#    undef SOFTNUM_BK_ISA
}  // namespace softnum::detail::block_gemm
#  endif

namespace softnum::detail::block_gemm {
#  define SOFTNUM_BK_ISA 0
#  define SOFTNUM_BK_NS generic
#  define SOFTNUM_BK_TARGET
#  include <softnum/gemm/block_gemm_simd.inc>
#  undef SOFTNUM_BK_TARGET
#  undef SOFTNUM_BK_NS
#  undef SOFTNUM_BK_ISA
}  // namespace softnum::detail::block_gemm

#  if defined(__clang__)
#    pragma clang diagnostic pop
#  elif defined(__GNUC__)
#    pragma GCC diagnostic pop
#  endif

#endif  // SOFTNUM_BLOCK_GEMM_SIMD

namespace softnum::detail::block_gemm {

/// Rows [i0, i1) of c by the wide path (block_dot and float additions, as gemm_block).
template <class BA, class BB>
void rows_wide(const BA* a, const BB* b, std::size_t n, std::size_t kb, float* c, std::size_t i0,
               std::size_t i1) noexcept {
  for (std::size_t i = i0; i < i1; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const BA* ar = a + i * kb;
      const BB* br = b + j * kb;
      float acc = block_dot(ar[0], br[0]);
      for (std::size_t t = 1; t < kb; ++t) acc = acc + block_dot(ar[t], br[t]);
      c[i * n + j] = acc;
    }
  }
}

template <class BA, class BB>
void run(std::size_t m, std::size_t n, std::size_t kb, const BA* a, const BB* b, float* c,
         unsigned threads) {
  GemmPool& pool = GemmPool::instance();
  auto split = [](std::size_t count, unsigned parts, unsigned t, std::size_t& lo, std::size_t& hi) {
    const std::size_t per = (count + parts - 1) / parts;
    lo = std::min(count, per * t);
    hi = std::min(count, per * (t + 1));
  };
#if SOFTNUM_BLOCK_GEMM_SIMD
  constexpr int N = BA::block_size;
  using path = sum_path<typename BA::element_type, typename BB::element_type, N>;
  if constexpr (path::int32 || path::f64 || path::f64_split) {
    static_assert(path::int32 ? path::bound <= 31
                  : path::f64
                      ? path::bound <= 53
                      : path::split - 1 + bit_width(static_cast<std::uint64_t>(path::pad)) <= 53 &&
                            path::qsum <= path::split + 51 && path::bound <= path::split + 52,
                  "softnum::gemm_block_parallel: the exact block sum must fit its lanes");
    constexpr std::size_t P = path::pad / 2;
    const std::size_t panels = (n + lanes - 1) / lanes;
    // The decoded operands live in a per-thread workspace that only grows: a fresh allocation
    // per call would cost page faults and zero-filling comparable to the products themselves.
    // (Workers reach it through the reference d, never through their own thread_local copy.)
    thread_local Decoded2 workspace;
    Decoded2& d = workspace;
    if constexpr (path::int32) {
      d.a_words.resize(m * kb * P);
      d.b_words.resize(panels * kb * P * lanes);
    } else {
      d.a_values.resize(m * kb * N);
      d.b_values.resize(panels * kb * N * lanes);
    }
    d.a_scale.resize(m * kb);
    d.a_flag.resize(m * kb);
    d.a_nonzero.resize(m * kb);
    d.a_negative.resize(m * kb);
    d.b_scale.resize(panels * kb * lanes);
    d.b_flag.resize(panels * kb * lanes);
    d.b_nonzero.resize(panels * kb * lanes);
    d.b_negative.resize(panels * kb * lanes);
    // Decode: A's rows and B's panels, split among the threads.
    auto decode = [&](unsigned t) {
      std::size_t lo, hi;
      split(m, threads, t, lo, hi);
      decode_a<BA, BB>(a, kb, lo, hi, d);
      split(panels, threads, t, lo, hi);
      decode_b<BA, BB>(b, n, kb, lo, hi, d);
    };
    const TileArgs<BA, BB> args{&d, a, b, m, n, kb};
    const std::size_t groups = (m + tile_rows - 1) / tile_rows;
    auto compute = [&](unsigned t) {
      std::size_t lo, hi;
      split(groups, threads, t, lo, hi);
      const int isa_level = isa();
      for (std::size_t g = lo; g < hi; ++g) {
        for (std::size_t panel = 0; panel < panels; ++panel) {
#  if SOFTNUM_BLOCK_GEMM_X86
          if (isa_level >= 2) {
            avx512::tile(args, g * tile_rows, panel, c);
            continue;
          }
          if (isa_level == 1) {
            avx2::tile(args, g * tile_rows, panel, c);
            continue;
          }
#  endif
          (void)isa_level;
          generic::tile(args, g * tile_rows, panel, c);
        }
      }
    };
    if (threads <= 1) {
      decode(0);
      compute(0);
    } else {
      pool.run(threads, decode);
      pool.run(threads, compute);
    }
  } else
#endif
  {
    auto part = [&](unsigned t) {
      std::size_t lo, hi;
      split(m, threads, t, lo, hi);
      rows_wide(a, b, n, kb, c, lo, hi);
    };
    if (threads <= 1) {
      part(0);
    } else {
      pool.run(threads, part);
    }
  }
  // The model's NaN is the positive quiet NaN (see the top of gemm/block_gemm.hpp).
  for (std::size_t x = 0; x < m * n; ++x) {
    if (c[x] != c[x]) c[x] = bit_cast<float>(0x7FC00000u);
  }
}

}  // namespace softnum::detail::block_gemm
