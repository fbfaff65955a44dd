// softnum/cuda/gemm.cuh - C = A * B on a CUDA device, bit-identical to softnum::gemm (gemm.hpp).
// SPDX-License-Identifier: MIT
//
// softnum::cuda::gemm<Model>(A, B, C, options, stream) takes MatrixViews of device memory and the
// CPU's GemmOptions (options.threads is ignored) and computes every output by the accumulation
// model of gemm.hpp: the same roundings, in the same sequential k order, with the same Philox
// counters for stochastic rounding. No split-K, no atomics, no reassociation: each output is
// owned by one thread, which walks k = 0 .. K-1 in order. Compile softnum's .cu files with
// -fmad=false and without --use_fast_math (the fast paths also use explicit _rn intrinsics, so
// they do not depend on the flag, but the shared scalar code does).
//
// Kernels (docs/cuda.md has the exactness argument of each):
//   generic      any model and mode: detail::gemm_element's operations on exact unpacked values
//   half         binary16 products and accumulator (inputs binary16 or fp8), nearest-even:
//                native __hmul2_rn / __hadd2_rn, two outputs per instruction
//   f32          fp32 accumulator, products in fp32 or fused, nearest-even: __fmul_rn/__fadd_rn
//                or __fmaf_rn on inputs decoded exactly to float
//   small_float  product/accumulator Float formats of <= 11 bits, nearest-even: fp32 op plus one
//                integer rounding (innocuous double rounding)
//   fixed        Fixed inputs, exact products, Fixed accumulator: int64 with the overflow policy
//   int8_dp4a    Fixed inputs of <= 8 bits whose exact sum cannot reach the accumulator's
//                bound: __dp4a (4 int8 products per instruction, exact integer sums)
//   f64          Float product/accumulator with E <= 8, M <= 23, any mode (stochastic: M <= 18):
//                exact double product, round-to-odd double sum, one integer rounding
// All kernels tile A and B through shared memory (16 k at a time, decoded once) and give each
// thread a register tile of outputs (4x4 or 4x8; one output for the generic kernel).
#pragma once

#ifndef __CUDACC__
#  error "softnum/cuda/gemm.cuh must be compiled by nvcc (include it from a .cu file)"
#endif

#include <softnum/gemm/gemm.hpp>
#include <softnum/gemm/gemm_paths.hpp>

#include <cstddef>      // std::ptrdiff_t
#include <type_traits>  // std::is_same_v

#include <cuda_fp16.h>  // __half2, __hmul2_rn, __hadd2_rn
#include <cuda_runtime.h>

namespace softnum::cuda {

/// Which kernel runs a GEMM. automatic picks the fastest one whose exactness conditions hold
/// for the types and options; naming one that does not apply is an error
/// (cudaErrorInvalidValue), never a silent fallback.
enum class Kernel { automatic, generic, half, f32, small_float, fixed, f64, int8 };

/// Result of a launch: the CUDA error (cudaSuccess when the launch was accepted) and the name of
/// the kernel that ran. Launches are asynchronous: errors during execution show up at the next
/// synchronisation.
struct GemmStatus {
  cudaError_t error = cudaSuccess;
  const char* kernel = "none";
  bool ok() const noexcept { return error == cudaSuccess; }
};

namespace detail {

using softnum::detail::gemm_paths::Context;

/// binary16 on the fp16 ALUs: the model's two roundings per step are IEEE binary16
/// round-to-nearest-even multiply and add (__hmul2_rn/__hadd2_rn: PTX mul.rn/add.rn.f16x2,
/// never contracted into an fma), with subnormals. The host equivalent is SmallFloatPath with
/// P = A = binary16, which the host tests check against gemm_reference.
template <class Model, class TA, class TB, class TC>
struct HalfPath {
  using P = softnum::detail::or_type<typename Model::product, TC>;
  using A = softnum::detail::or_type<typename Model::accumulator, TC>;
  static constexpr bool types_ok = std::is_same_v<P, binary16> && std::is_same_v<A, binary16> &&
                                   softnum::detail::gemm_paths::float_subset<TA, binary16>() &&
                                   softnum::detail::gemm_paths::float_subset<TB, binary16>();
  static constexpr const char* name = "half";
  static constexpr int tm = 4, tn = 8, k_unroll = 2;  // tn / 2 pairs of columns per thread
  static constexpr bool pairs = true;

  using a_type = __half;
  using b_type = __half;
  using a_frag = __half2;  // a broadcast to both lanes
  using b_frag = __half;
  struct State {
    __half2 total;  // two outputs
    __half2 s;
  };

  static constexpr bool applies(const Context& ctx) noexcept {
    return types_ok && ctx.mode == Round::nearest_even && ctx.K > 0;
  }
  template <class T>
  __device__ static __half load(T x) {
    if constexpr (std::is_same_v<T, binary16>) {
      return __ushort_as_half(x.bits());
    } else {
      return __float2half_rn(softnum::detail::gemm_paths::to_f32(x));  // exact: T is a subset
    }
  }
  __device__ static a_type load_a(TA x) { return load(x); }
  __device__ static b_type load_b(TB x) { return load(x); }
  __device__ static a_type zero_a() { return __ushort_as_half(0); }
  __device__ static b_type zero_b() { return __ushort_as_half(0); }
  __device__ static a_frag expand_a(a_type x) { return __half2half2(x); }
  __device__ static b_frag expand_b(b_type x) { return x; }

  __device__ __noinline__ static __half init_one(TC c_in, std::ptrdiff_t i, std::ptrdiff_t j,
                                                 const Context& ctx) {
    if (!ctx.accumulate) return __ushort_as_half(0);
    const A t = softnum::detail::pack_any<A>(
        softnum::detail::unpack_any(c_in), ctx.mode,
        softnum::detail::gemm_paths::word(ctx.mode, ctx.seed, i, j, ctx.K, 2));
    return __ushort_as_half(t.bits());
  }
  __device__ static State init2(TC c0, TC c1, std::ptrdiff_t i, std::ptrdiff_t j0,
                                std::ptrdiff_t j1, const Context& ctx) {
    State st;
    st.total = __halves2half2(init_one(c0, i, j0, ctx), init_one(c1, i, j1, ctx));
    st.s = ctx.chunk > 0 ? __half2half2(__ushort_as_half(0)) : st.total;
    return st;
  }
  __device__ static void step2(State& st, __half2 a, __half b0, __half b1) {
    st.s = __hadd2_rn(st.s, __hmul2_rn(a, __halves2half2(b0, b1)));
  }
  __device__ static void end_chunk2(State& st) {
    st.total = __hadd2_rn(st.total, st.s);
    st.s = __half2half2(__ushort_as_half(0));
  }
  __device__ __noinline__ static TC finish_one(__half t, std::ptrdiff_t i, std::ptrdiff_t j,
                                               const Context& ctx) {
    const unsigned short bits = __half_as_ushort(t);
    const softnum::detail::Unpacked u =
        (bits & 0x7FFFu) > 0x7C00u
            ? softnum::detail::make_special(softnum::detail::Kind::nan, false)
            : binary16::from_bits(bits).unpack();
    return softnum::detail::gemm_paths::output<TC>(u, i, j, ctx);
  }
  __device__ static TC finish_lo(const State& st, std::ptrdiff_t i, std::ptrdiff_t j,
                                 const Context& ctx) {
    return finish_one(__low2half(ctx.chunk > 0 ? st.total : st.s), i, j, ctx);
  }
  __device__ static TC finish_hi(const State& st, std::ptrdiff_t i, std::ptrdiff_t j,
                                 const Context& ctx) {
    return finish_one(__high2half(ctx.chunk > 0 ? st.total : st.s), i, j, ctx);
  }
};

/// Element (i, j) of a view (MatrixView::operator() is host-only).
template <class T>
__device__ T& at(const MatrixView<T>& v, std::ptrdiff_t i, std::ptrdiff_t j) {
  return v.data[i * v.row_stride + j * v.col_stride];
}

template <class Path>
concept PairPath = requires { Path::pairs; };

// The first and last steps of an output run once per output and go through the generic
// (soft-float) conversions: out of line, so that the unrolled register tile does not inline
// TM x TN copies of them.
template <class Path, class TC>
__device__ __noinline__ typename Path::State init_output(TC c_in, std::ptrdiff_t i,
                                                         std::ptrdiff_t j, Context ctx) {
  return Path::init(c_in, i, j, ctx);
}
template <class Path, class TC>
__device__ __noinline__ TC finish_output(typename Path::State st, std::ptrdiff_t i,
                                         std::ptrdiff_t j, Context ctx) {
  return Path::finish(st, i, j, ctx);
}

constexpr int block_dim = 16;  // 16 x 16 threads
constexpr int block_k = 16;    // k per shared-memory tile

/// The tiled kernel. Block (bx, by) computes rows [by*BM, by*BM + BM) and columns
/// [bx*BN, bx*BN + BN) of C; thread (tx, ty) owns rows by*BM + ty + 16*m and columns
/// bx*BN + tx + 16*n. Each output runs Path's steps for k = 0 .. K-1 in order.
template <class Path, class TA, class TB, class TC>
__global__ void __launch_bounds__(block_dim* block_dim)
    gemm_kernel(MatrixView<const TA> A, MatrixView<const TB> B, MatrixView<TC> C, Context ctx) {
  constexpr int TM = Path::tm, TN = Path::tn;
  constexpr int BM = block_dim * TM, BN = block_dim * TN, BK = block_k;
  constexpr int threads = block_dim * block_dim;
  __shared__ typename Path::a_type As[BK][BM];
  __shared__ typename Path::b_type Bs[BK][BN];

  const int tx = static_cast<int>(threadIdx.x), ty = static_cast<int>(threadIdx.y);
  const int tid = ty * block_dim + tx;
  const std::ptrdiff_t i0 = static_cast<std::ptrdiff_t>(blockIdx.y) * BM;
  const std::ptrdiff_t j0 = static_cast<std::ptrdiff_t>(blockIdx.x) * BN;
  const std::ptrdiff_t M = C.rows, N = C.cols, K = ctx.K;

  std::ptrdiff_t row[TM], col[TN];
#pragma unroll
  for (int m = 0; m < TM; ++m) row[m] = i0 + ty + block_dim * m;
#pragma unroll
  for (int n = 0; n < TN; ++n) col[n] = j0 + tx + block_dim * n;
  auto c_in = [&](int m, int n) -> TC {
    return (ctx.accumulate && row[m] < M && col[n] < N) ? at(C, row[m], col[n]) : TC{};
  };

  constexpr int SN = PairPath<Path> ? TN / 2 : TN;
  typename Path::State st[TM][SN];
#pragma unroll
  for (int m = 0; m < TM; ++m) {
#pragma unroll
    for (int n = 0; n < SN; ++n) {
      if constexpr (PairPath<Path>) {
        st[m][n] = Path::init2(c_in(m, 2 * n), c_in(m, 2 * n + 1), row[m], col[2 * n],
                               col[2 * n + 1], ctx);
      } else {
        st[m][n] = init_output<Path>(c_in(m, n), row[m], col[n], ctx);
      }
    }
  }

  std::ptrdiff_t next_end = ctx.chunk > 0 ? (ctx.chunk < K ? ctx.chunk : K) - 1 : -1;
  for (std::ptrdiff_t kt = 0; kt < K; kt += BK) {
    // Tiles, decoded once: consecutive threads read consecutive k of A and j of B.
    for (int e = tid; e < BM * BK; e += threads) {
      const int r = e / BK, kk = e % BK;
      const std::ptrdiff_t i = i0 + r, k = kt + kk;
      As[kk][r] = (i < M && k < K) ? Path::load_a(at(A, i, k)) : Path::zero_a();
    }
    for (int e = tid; e < BN * BK; e += threads) {
      const int kk = e / BN, c = e % BN;
      const std::ptrdiff_t j = j0 + c, k = kt + kk;
      Bs[kk][c] = (j < N && k < K) ? Path::load_b(at(B, k, j)) : Path::zero_b();
    }
    __syncthreads();
    const int kn = K - kt < BK ? static_cast<int>(K - kt) : BK;
#pragma unroll(Path::k_unroll)
    for (int kk = 0; kk < kn; ++kk) {
      const std::ptrdiff_t k = kt + kk;
      typename Path::a_frag af[TM];
      typename Path::b_frag bf[TN];
#pragma unroll
      for (int m = 0; m < TM; ++m) af[m] = Path::expand_a(As[kk][ty + block_dim * m]);
#pragma unroll
      for (int n = 0; n < TN; ++n) bf[n] = Path::expand_b(Bs[kk][tx + block_dim * n]);
#pragma unroll
      for (int m = 0; m < TM; ++m) {
#pragma unroll
        for (int n = 0; n < SN; ++n) {
          if constexpr (PairPath<Path>) {
            Path::step2(st[m][n], af[m], bf[2 * n], bf[2 * n + 1]);
          } else {
            Path::step(st[m][n], af[m], bf[n], k, row[m], col[n], ctx);
          }
        }
      }
      if (k == next_end) {
#pragma unroll
        for (int m = 0; m < TM; ++m) {
#pragma unroll
          for (int n = 0; n < SN; ++n) {
            if constexpr (PairPath<Path>) {
              Path::end_chunk2(st[m][n]);
            } else {
              Path::end_chunk(st[m][n], k, row[m], col[n], ctx);
            }
          }
        }
        next_end = next_end + ctx.chunk < K - 1 ? next_end + ctx.chunk : K - 1;
      }
    }
    __syncthreads();
  }

#pragma unroll
  for (int m = 0; m < TM; ++m) {
#pragma unroll
    for (int n = 0; n < SN; ++n) {
      if constexpr (PairPath<Path>) {
        if (row[m] < M && col[2 * n] < N)
          at(C, row[m], col[2 * n]) = Path::finish_lo(st[m][n], row[m], col[2 * n], ctx);
        if (row[m] < M && col[2 * n + 1] < N) {
          at(C, row[m], col[2 * n + 1]) = Path::finish_hi(st[m][n], row[m], col[2 * n + 1], ctx);
        }
      } else {
        if (row[m] < M && col[n] < N)
          at(C, row[m], col[n]) = finish_output<Path, TC>(st[m][n], row[m], col[n], ctx);
      }
    }
  }
}

template <class Path, class TA, class TB, class TC>
GemmStatus launch(const MatrixView<const TA>& A, const MatrixView<const TB>& B,
                  const MatrixView<TC>& C, const Context& ctx, cudaStream_t stream) {
  constexpr std::ptrdiff_t BM = block_dim * Path::tm, BN = block_dim * Path::tn;
  const std::ptrdiff_t gx = (C.cols + BN - 1) / BN, gy = (C.rows + BM - 1) / BM;
  if (gy > 65535 || gx > 0x7FFFFFFF) return GemmStatus{cudaErrorInvalidConfiguration, Path::name};
  const dim3 grid(static_cast<unsigned>(gx), static_cast<unsigned>(gy));
  const dim3 block(block_dim, block_dim);
  gemm_kernel<Path, TA, TB, TC><<<grid, block, 0, stream>>>(A, B, C, ctx);
  return GemmStatus{cudaGetLastError(), Path::name};
}

// ---------------------------------------------------------------------------------------------
// int8 dot products (DP4A) for Fixed inputs of at most 8 bits. The model's fixed-point steps
// (FixedPath) are exact integer additions followed by the accumulator's overflow policy. When no
// partial sum can leave the accumulator's range (K * max|a*b| below its bound, C not accumulated),
// the policy never acts, every chunk sum and the total are the exact integer sum of the products,
// and any association of the additions gives the same integer: four products per __dp4a with an
// int32 sum per 16-k tile (at most 16 * 2^14), added into an int64 total.
template <class Model, class TA, class TB, class TC>
struct Int8Path {
  using Fix = softnum::detail::gemm_paths::FixedPath<Model, TA, TB, TC>;
  using A = typename Fix::A;
  static constexpr bool types_ok = [] {
    if constexpr (Fix::types_ok)
      return TA::width <= 8 && TB::width <= 8;
    else
      return false;
  }();
  static constexpr const char* name = "int8_dp4a";
  static constexpr int tm = 4, tn = 4;

  static bool applies(const Context& ctx) noexcept {
    if constexpr (types_ok) {
      if (ctx.accumulate || ctx.K <= 0) return false;
      // |sum| <= K * 2^(Wa - 1) * 2^(Wb - 1) * 2^shift must stay <= the accumulator's max raw.
      const int bits = TA::width - 1 + TB::width - 1 + Fix::shift;  // <= 14 + 8
      const auto max_raw = static_cast<double>(A::core::max_raw);
      return static_cast<double>(ctx.K) * static_cast<double>(std::int64_t{1} << bits) <= max_raw;
    } else {
      return false;
    }
  }
};

template <class T>
__device__ inline int raw8(T x) {
  return static_cast<int>(x.raw()) & 0xFF;  // the two's complement byte
}

template <class Path, class TA, class TB, class TC>
__global__ void __launch_bounds__(block_dim* block_dim)
    int8_kernel(MatrixView<const TA> A, MatrixView<const TB> B, MatrixView<TC> C, Context ctx) {
  constexpr int TM = Path::tm, TN = Path::tn;
  constexpr int BM = block_dim * TM, BN = block_dim * TN, BK = block_k, BQ = BK / 4;
  constexpr int threads = block_dim * block_dim;
  __shared__ int As[BQ][BM];  // 4 consecutive k of a row, one byte each
  __shared__ int Bs[BQ][BN];
  const int tx = static_cast<int>(threadIdx.x), ty = static_cast<int>(threadIdx.y);
  const int tid = ty * block_dim + tx;
  const std::ptrdiff_t i0 = static_cast<std::ptrdiff_t>(blockIdx.y) * BM;
  const std::ptrdiff_t j0 = static_cast<std::ptrdiff_t>(blockIdx.x) * BN;
  const std::ptrdiff_t M = C.rows, N = C.cols, K = ctx.K;
  std::int64_t total[TM][TN] = {};
  for (std::ptrdiff_t kt = 0; kt < K; kt += BK) {
    for (int e = tid; e < BM * BQ; e += threads) {
      const int r = e / BQ, q = e % BQ;
      const std::ptrdiff_t i = i0 + r;
      int packed = 0;
#pragma unroll
      for (int t = 0; t < 4; ++t) {
        const std::ptrdiff_t k = kt + 4 * q + t;
        packed |= (i < M && k < K ? raw8(at(A, i, k)) : 0) << (8 * t);
      }
      As[q][r] = packed;
    }
    for (int e = tid; e < BN * BQ; e += threads) {
      const int q = e / BN, c = e % BN;
      const std::ptrdiff_t j = j0 + c;
      int packed = 0;
#pragma unroll
      for (int t = 0; t < 4; ++t) {
        const std::ptrdiff_t k = kt + 4 * q + t;
        packed |= (j < N && k < K ? raw8(at(B, k, j)) : 0) << (8 * t);
      }
      Bs[q][c] = packed;
    }
    __syncthreads();
    int sum[TM][TN] = {};
#pragma unroll
    for (int q = 0; q < BQ; ++q) {
      int a[TM], b[TN];
#pragma unroll
      for (int m = 0; m < TM; ++m) a[m] = As[q][ty + block_dim * m];
#pragma unroll
      for (int n = 0; n < TN; ++n) b[n] = Bs[q][tx + block_dim * n];
#pragma unroll
      for (int m = 0; m < TM; ++m) {
#pragma unroll
        for (int n = 0; n < TN; ++n) sum[m][n] = __dp4a(a[m], b[n], sum[m][n]);
      }
    }
#pragma unroll
    for (int m = 0; m < TM; ++m) {
#pragma unroll
      for (int n = 0; n < TN; ++n) total[m][n] += sum[m][n];
    }
    __syncthreads();
  }
  using Fix = typename Path::Fix;
#pragma unroll
  for (int m = 0; m < TM; ++m) {
#pragma unroll
    for (int n = 0; n < TN; ++n) {
      const std::ptrdiff_t i = i0 + ty + block_dim * m, j = j0 + tx + block_dim * n;
      if (i < M && j < N) {
        typename Fix::State st{0, total[m][n] << Fix::shift};  // exact: no overflow by applies()
        if (ctx.chunk > 0) {
          st.total = st.s;
        }
        at(C, i, j) = finish_output<Fix, TC>(st, i, j, ctx);
      }
    }
  }
}

template <class Path, class TA, class TB, class TC>
GemmStatus launch_int8(const MatrixView<const TA>& A, const MatrixView<const TB>& B,
                       const MatrixView<TC>& C, const Context& ctx, cudaStream_t stream) {
  constexpr std::ptrdiff_t BM = block_dim * Path::tm, BN = block_dim * Path::tn;
  const std::ptrdiff_t gx = (C.cols + BN - 1) / BN, gy = (C.rows + BM - 1) / BM;
  if (gy > 65535 || gx > 0x7FFFFFFF) return GemmStatus{cudaErrorInvalidConfiguration, Path::name};
  int8_kernel<Path, TA, TB, TC><<<dim3(static_cast<unsigned>(gx), static_cast<unsigned>(gy)),
                                  dim3(block_dim, block_dim), 0, stream>>>(A, B, C, ctx);
  return GemmStatus{cudaGetLastError(), Path::name};
}

}  // namespace detail

/// C = A * B (or C += A * B) on the device by the model, bit-identical to softnum::gemm and
/// gemm_reference. A, B and C view device memory (any strides). Asynchronous on `stream`.
/// Shape errors throw std::invalid_argument like the CPU gemm.
template <class Model = Accumulation<>, class TA, class TB, class TC>
GemmStatus gemm(MatrixView<TA> A, MatrixView<TB> B, MatrixView<TC> C,
                const GemmOptions& options = {}, cudaStream_t stream = nullptr,
                Kernel kernel = Kernel::automatic) {
  using A_ = std::remove_const_t<TA>;
  using B_ = std::remove_const_t<TB>;
  const MatrixView<const A_> a = A;
  const MatrixView<const B_> b = B;
  softnum::detail::check_gemm_shapes(a, b, C, options);
  namespace gp = softnum::detail::gemm_paths;
  const gp::Context ctx = gp::make_context(options, a.cols);
  using Generic = gp::GenericPath<Model, A_, B_, TC>;
  using Half = detail::HalfPath<Model, A_, B_, TC>;
  using F32 = gp::F32Path<Model, A_, B_, TC>;
  using Small = gp::SmallFloatPath<Model, A_, B_, TC>;
  using Fix = gp::FixedPath<Model, A_, B_, TC>;
  using F64 = gp::DoublePath<Model, A_, B_, TC>;
  using I8 = detail::Int8Path<Model, A_, B_, TC>;
  if (C.rows == 0 || C.cols == 0) return GemmStatus{cudaSuccess, "none"};
  switch (kernel) {
    case Kernel::automatic:
      if constexpr (I8::types_ok) {
        if (I8::applies(ctx)) return detail::launch_int8<I8>(a, b, C, ctx, stream);
      }
      if constexpr (Half::types_ok) {
        if (Half::applies(ctx)) return detail::launch<Half>(a, b, C, ctx, stream);
      }
      if constexpr (Fix::types_ok) {
        if (Fix::applies(ctx)) return detail::launch<Fix>(a, b, C, ctx, stream);
      }
      if constexpr (F32::types_ok) {
        if (F32::applies(ctx)) return detail::launch<F32>(a, b, C, ctx, stream);
      }
      if constexpr (Small::types_ok) {
        if (Small::applies(ctx)) return detail::launch<Small>(a, b, C, ctx, stream);
      }
      if constexpr (F64::types_ok) {
        if (F64::applies(ctx)) return detail::launch<F64>(a, b, C, ctx, stream);
      }
      return detail::launch<Generic>(a, b, C, ctx, stream);
    case Kernel::generic:
      return detail::launch<Generic>(a, b, C, ctx, stream);
    case Kernel::half:
      if constexpr (Half::types_ok) {
        if (Half::applies(ctx)) return detail::launch<Half>(a, b, C, ctx, stream);
      }
      break;
    case Kernel::f32:
      if constexpr (F32::types_ok) {
        if (F32::applies(ctx)) return detail::launch<F32>(a, b, C, ctx, stream);
      }
      break;
    case Kernel::small_float:
      if constexpr (Small::types_ok) {
        if (Small::applies(ctx)) return detail::launch<Small>(a, b, C, ctx, stream);
      }
      break;
    case Kernel::fixed:
      if constexpr (Fix::types_ok) {
        if (Fix::applies(ctx)) return detail::launch<Fix>(a, b, C, ctx, stream);
      }
      break;
    case Kernel::int8:
      if constexpr (I8::types_ok) {
        if (I8::applies(ctx)) return detail::launch_int8<I8>(a, b, C, ctx, stream);
      }
      break;
    case Kernel::f64:
      if constexpr (F64::types_ok) {
        if (F64::applies(ctx)) return detail::launch<F64>(a, b, C, ctx, stream);
      }
      break;
  }
  return GemmStatus{cudaErrorInvalidValue, "not applicable"};
}

}  // namespace softnum::cuda
