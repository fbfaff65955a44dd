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
// All kernels tile A and B through shared memory (16 k at a time, decoded once) and give each
// thread a register tile of outputs (4x4; 2x2 for the generic kernel).
#pragma once

#ifndef __CUDACC__
#  error "softnum/cuda/gemm.cuh must be compiled by nvcc (include it from a .cu file)"
#endif

#include <softnum/detail/gemm_paths.hpp>
#include <softnum/gemm.hpp>

#include <cuda_fp16.h>  // __half2, __hmul2_rn, __hadd2_rn
#include <cuda_runtime.h>

#include <cstddef>      // std::ptrdiff_t
#include <type_traits>  // std::is_same_v

namespace softnum::cuda {

/// Which kernel runs a GEMM. automatic picks the fastest one whose exactness conditions hold
/// for the types and options; naming one that does not apply is an error
/// (cudaErrorInvalidValue), never a silent fallback.
enum class Kernel { automatic, generic, half, f32, small_float, fixed };

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
  static constexpr bool types_ok =
      std::is_same_v<P, binary16> && std::is_same_v<A, binary16> &&
      softnum::detail::gemm_paths::float_subset<TA, binary16>() && softnum::detail::gemm_paths::float_subset<TB, binary16>();
  static constexpr const char* name = "half";
  static constexpr int tm = 4, tn = 8;  // tn / 2 pairs of columns per thread
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

  __device__ static __half init_one(TC c_in, std::ptrdiff_t i, std::ptrdiff_t j, const Context& ctx) {
    if (!ctx.accumulate) return __ushort_as_half(0);
    const A t = softnum::detail::pack_any<A>(softnum::detail::unpack_any(c_in), ctx.mode,
                                             softnum::detail::gemm_paths::word(ctx.mode, ctx.seed, i, j, ctx.K, 2));
    return __ushort_as_half(t.bits());
  }
  __device__ static State init2(TC c0, TC c1, std::ptrdiff_t i, std::ptrdiff_t j0, std::ptrdiff_t j1,
                                const Context& ctx) {
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
  __device__ static TC finish_one(__half t, std::ptrdiff_t i, std::ptrdiff_t j, const Context& ctx) {
    const unsigned short bits = __half_as_ushort(t);
    const softnum::detail::Unpacked u = (bits & 0x7FFFu) > 0x7C00u
                                            ? softnum::detail::make_special(softnum::detail::Kind::nan, false)
                                            : binary16::from_bits(bits).unpack();
    return softnum::detail::gemm_paths::output<TC>(u, i, j, ctx);
  }
  __device__ static TC finish_lo(const State& st, std::ptrdiff_t i, std::ptrdiff_t j, const Context& ctx) {
    return finish_one(__low2half(ctx.chunk > 0 ? st.total : st.s), i, j, ctx);
  }
  __device__ static TC finish_hi(const State& st, std::ptrdiff_t i, std::ptrdiff_t j, const Context& ctx) {
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

constexpr int block_dim = 16;  // 16 x 16 threads
constexpr int block_k = 16;    // k per shared-memory tile

/// The tiled kernel. Block (bx, by) computes rows [by*BM, by*BM + BM) and columns
/// [bx*BN, bx*BN + BN) of C; thread (tx, ty) owns rows by*BM + ty + 16*m and columns
/// bx*BN + tx + 16*n. Each output runs Path's steps for k = 0 .. K-1 in order.
template <class Path, class TA, class TB, class TC>
__global__ void __launch_bounds__(block_dim * block_dim)
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
        st[m][n] = Path::init2(c_in(m, 2 * n), c_in(m, 2 * n + 1), row[m], col[2 * n], col[2 * n + 1], ctx);
      } else {
        st[m][n] = Path::init(c_in(m, n), row[m], col[n], ctx);
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
#pragma unroll 2
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
        if (row[m] < M && col[2 * n] < N) at(C, row[m], col[2 * n]) = Path::finish_lo(st[m][n], row[m], col[2 * n], ctx);
        if (row[m] < M && col[2 * n + 1] < N) {
          at(C, row[m], col[2 * n + 1]) = Path::finish_hi(st[m][n], row[m], col[2 * n + 1], ctx);
        }
      } else {
        if (row[m] < M && col[n] < N) at(C, row[m], col[n]) = Path::finish(st[m][n], row[m], col[n], ctx);
      }
    }
  }
}

template <class Path, class TA, class TB, class TC>
GemmStatus launch(const MatrixView<const TA>& A, const MatrixView<const TB>& B, const MatrixView<TC>& C,
                  const Context& ctx, cudaStream_t stream) {
  constexpr std::ptrdiff_t BM = block_dim * Path::tm, BN = block_dim * Path::tn;
  const std::ptrdiff_t gx = (C.cols + BN - 1) / BN, gy = (C.rows + BM - 1) / BM;
  if (gy > 65535 || gx > 0x7FFFFFFF) return GemmStatus{cudaErrorInvalidConfiguration, Path::name};
  const dim3 grid(static_cast<unsigned>(gx), static_cast<unsigned>(gy));
  const dim3 block(block_dim, block_dim);
  gemm_kernel<Path, TA, TB, TC><<<grid, block, 0, stream>>>(A, B, C, ctx);
  return GemmStatus{cudaGetLastError(), Path::name};
}

}  // namespace detail

/// C = A * B (or C += A * B) on the device by the model, bit-identical to softnum::gemm and
/// gemm_reference. A, B and C view device memory (any strides). Asynchronous on `stream`.
/// Shape errors throw std::invalid_argument like the CPU gemm.
template <class Model = Accumulation<>, class TA, class TB, class TC>
GemmStatus gemm(MatrixView<TA> A, MatrixView<TB> B, MatrixView<TC> C, const GemmOptions& options = {},
                cudaStream_t stream = nullptr, Kernel kernel = Kernel::automatic) {
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
  if (C.rows == 0 || C.cols == 0) return GemmStatus{cudaSuccess, "none"};
  switch (kernel) {
    case Kernel::automatic:
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
      return detail::launch<Generic>(a, b, C, ctx, stream);
    case Kernel::generic: return detail::launch<Generic>(a, b, C, ctx, stream);
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
  }
  return GemmStatus{cudaErrorInvalidValue, "not applicable"};
}

}  // namespace softnum::cuda
