// softnum/cuda/cublaslt.cuh - the "hardware" GEMM mode: cuBLASLt on tensor cores.
// SPDX-License-Identifier: MIT
//
// NOT the accumulation model of gemm.hpp and NOT bit-exact. softnum::cuda::HardwareGemm runs
// C = A * B (+ C) for binary16, bfloat16 and float8_e4m3fn / float8_e5m2 inputs through
// cublasLtMatmul with CUBLAS_COMPUTE_32F. Tensor cores compute products exactly but add them in
// an internal fixed-point or reduced-precision accumulator with truncation and in an order of
// their own (Fasi et al. 2021; the fp8 accumulator on Hopper keeps about 22 bits, CUDA.md 2.2),
// and cuBLASLt picks the algorithm (split-K included) per shape and GPU. Results therefore differ
// from softnum::gemm and softnum::cuda::gemm, may differ between GPUs and library versions, and
// stochastic rounding is not available. Use it for speed where a format's storage matters and
// its arithmetic does not; use softnum::cuda::gemm for experiments about arithmetic.
//
// Link CUDA::cublasLt. fp8 needs sm_89 or newer and the "TN" layout: A row-major, B column-major
// (cuBLASLt's requirement); other layouts are rejected with CUBLAS_STATUS_NOT_SUPPORTED.
#pragma once

#ifndef __CUDACC__
#  error "softnum/cuda/cublaslt.cuh must be compiled by nvcc (include it from a .cu file)"
#endif

#include <softnum/gemm/gemm.hpp>
#include <softnum/types/float.hpp>

#include <cstddef>      // std::size_t, std::ptrdiff_t
#include <cstdint>      // std::int64_t
#include <type_traits>  // std::is_same_v

#include <cublasLt.h>
#include <cuda_runtime.h>

namespace softnum::cuda {

/// Result of a hardware GEMM call.
struct HardwareStatus {
  cublasStatus_t status = CUBLAS_STATUS_SUCCESS;
  const char* message = "";
  bool ok() const noexcept { return status == CUBLAS_STATUS_SUCCESS; }
};

namespace detail {

template <class T>
constexpr cudaDataType_t cuda_type() {
  if constexpr (std::is_same_v<T, binary16>) {
    return CUDA_R_16F;
  } else if constexpr (std::is_same_v<T, bfloat16>) {
    return CUDA_R_16BF;
  } else if constexpr (std::is_same_v<T, float8_e4m3fn>) {
    return CUDA_R_8F_E4M3;
  } else if constexpr (std::is_same_v<T, float8_e5m2>) {
    return CUDA_R_8F_E5M2;
  } else {
    static_assert(
        std::is_same_v<T, float>,
        "softnum::cuda::HardwareGemm: types are binary16, bfloat16, float8_e4m3fn, float8_e5m2 "
        "(inputs) and float, binary16, bfloat16 (output)");
    return CUDA_R_32F;
  }
}

/// How cuBLASLt sees a column-major operand X (logical r x c): op, stored rows, stored cols, ld.
struct LtOperand {
  cublasOperation_t op = CUBLAS_OP_N;
  std::uint64_t rows = 0, cols = 0;
  std::int64_t ld = 0;
  bool ok = false;
};

template <class T>
LtOperand lt_operand(const MatrixView<T>& x) {
  LtOperand o;
  if (x.row_stride == 1 || x.cols <= 1) {  // column-major
    o.op = CUBLAS_OP_N;
    o.rows = static_cast<std::uint64_t>(x.rows);
    o.cols = static_cast<std::uint64_t>(x.cols);
    o.ld = x.cols <= 1 ? (x.rows > 0 ? x.rows : 1) : x.col_stride;
    o.ok = o.ld >= x.rows;
  } else if (x.col_stride == 1 || x.rows <= 1) {  // row-major: stored as its transpose
    o.op = CUBLAS_OP_T;
    o.rows = static_cast<std::uint64_t>(x.cols);
    o.cols = static_cast<std::uint64_t>(x.rows);
    o.ld = x.rows <= 1 ? (x.cols > 0 ? x.cols : 1) : x.row_stride;
    o.ok = o.ld >= x.cols;
  }
  return o;
}

}  // namespace detail

/// A cuBLASLt handle and workspace. Not thread-safe; one per stream is the usual pattern.
class HardwareGemm {
 public:
  explicit HardwareGemm(std::size_t workspace_bytes = std::size_t{32} << 20)
      : workspace_bytes_(workspace_bytes) {
    status_ = cublasLtCreate(&handle_);
    if (status_ == CUBLAS_STATUS_SUCCESS &&
        cudaMalloc(&workspace_, workspace_bytes_) != cudaSuccess) {
      workspace_ = nullptr;
      workspace_bytes_ = 0;
    }
  }
  ~HardwareGemm() {
    if (workspace_ != nullptr) cudaFree(workspace_);
    if (status_ == CUBLAS_STATUS_SUCCESS) cublasLtDestroy(handle_);
  }
  HardwareGemm(const HardwareGemm&) = delete;
  HardwareGemm& operator=(const HardwareGemm&) = delete;

  /// Whether cublasLtCreate succeeded (it fails without a driver or device).
  cublasStatus_t init_status() const noexcept { return status_; }

  /// C = A * B, or C = A * B + C when accumulate. Device memory; asynchronous on stream.
  template <class TA, class TB, class TC>
  HardwareStatus gemm(MatrixView<TA> A, MatrixView<TB> B, MatrixView<TC> C, bool accumulate = false,
                      cudaStream_t stream = nullptr) {
    using A_ = std::remove_const_t<TA>;
    using B_ = std::remove_const_t<TB>;
    if (status_ != CUBLAS_STATUS_SUCCESS) return {status_, "cublasLtCreate failed"};
    if (A.cols != B.rows || C.rows != A.rows || C.cols != B.cols) {
      return {CUBLAS_STATUS_INVALID_VALUE, "shapes do not match (need A: MxK, B: KxN, C: MxN)"};
    }
    if (C.rows == 0 || C.cols == 0) return {};
    // cuBLASLt is column-major. A column-major C is C = A * B; a row-major C is computed as
    // C^T = B^T * A^T, whose operands are the same memory read the other way.
    detail::LtOperand la, lb, lc;
    const void* pa = nullptr;
    const void* pb = nullptr;
    cudaDataType_t ta = CUDA_R_32F, tb = CUDA_R_32F;
    const detail::LtOperand c_col = detail::lt_operand(C);
    if (c_col.ok && c_col.op == CUBLAS_OP_N) {
      la = detail::lt_operand(A);
      lb = detail::lt_operand(B);
      lc = c_col;
      pa = A.data;
      pb = B.data;
      ta = detail::cuda_type<A_>();
      tb = detail::cuda_type<B_>();
    } else {
      la = detail::lt_operand(B.transpose());
      lb = detail::lt_operand(A.transpose());
      lc = detail::lt_operand(C.transpose());
      pa = B.data;
      pb = A.data;
      ta = detail::cuda_type<B_>();
      tb = detail::cuda_type<A_>();
    }
    if (!la.ok || !lb.ok || !lc.ok || lc.op != CUBLAS_OP_N) {
      return {CUBLAS_STATUS_NOT_SUPPORTED,
              "operands must be row- or column-major with unit stride"};
    }
    const bool fp8 = ta == CUDA_R_8F_E4M3 || ta == CUDA_R_8F_E5M2;
    if (fp8 && (la.op != CUBLAS_OP_T || lb.op != CUBLAS_OP_N)) {
      return {CUBLAS_STATUS_NOT_SUPPORTED,
              "fp8 needs the TN layout: A row-major and B column-major"};
    }
    const std::uint64_t m = la.op == CUBLAS_OP_N ? la.rows : la.cols;
    const std::uint64_t k = la.op == CUBLAS_OP_N ? la.cols : la.rows;
    const std::uint64_t n = lb.op == CUBLAS_OP_N ? lb.cols : lb.rows;

    cublasLtMatmulDesc_t op_desc = nullptr;
    cublasLtMatrixLayout_t da = nullptr, db = nullptr, dc = nullptr;
    HardwareStatus r;
    auto check = [&](cublasStatus_t s, const char* what) {
      if (r.ok() && s != CUBLAS_STATUS_SUCCESS) r = {s, what};
      return r.ok();
    };
    if (check(cublasLtMatmulDescCreate(&op_desc, CUBLAS_COMPUTE_32F, CUDA_R_32F),
              "cublasLtMatmulDescCreate") &&
        check(cublasLtMatmulDescSetAttribute(op_desc, CUBLASLT_MATMUL_DESC_TRANSA, &la.op,
                                             sizeof(la.op)),
              "TRANSA") &&
        check(cublasLtMatmulDescSetAttribute(op_desc, CUBLASLT_MATMUL_DESC_TRANSB, &lb.op,
                                             sizeof(lb.op)),
              "TRANSB") &&
        check(cublasLtMatrixLayoutCreate(&da, ta, la.rows, la.cols, la.ld), "layout A") &&
        check(cublasLtMatrixLayoutCreate(&db, tb, lb.rows, lb.cols, lb.ld), "layout B") &&
        check(cublasLtMatrixLayoutCreate(&dc, detail::cuda_type<TC>(), m, n, lc.ld), "layout C")) {
      (void)k;
      const float alpha = 1.0f, beta = accumulate ? 1.0f : 0.0f;
      check(cublasLtMatmul(handle_, op_desc, &alpha, pa, da, pb, db, &beta, C.data, dc, C.data, dc,
                           nullptr, workspace_, workspace_bytes_, stream),
            "cublasLtMatmul (no algorithm for these types and layouts on this GPU?)");
    }
    if (dc != nullptr) cublasLtMatrixLayoutDestroy(dc);
    if (db != nullptr) cublasLtMatrixLayoutDestroy(db);
    if (da != nullptr) cublasLtMatrixLayoutDestroy(da);
    if (op_desc != nullptr) cublasLtMatmulDescDestroy(op_desc);
    return r;
  }

 private:
  cublasLtHandle_t handle_ = nullptr;
  cublasStatus_t status_ = CUBLAS_STATUS_NOT_INITIALIZED;
  void* workspace_ = nullptr;
  std::size_t workspace_bytes_ = 0;
};

}  // namespace softnum::cuda
