// cuda_hardware: the hardware GEMM mode (softnum/cuda/cublaslt.cuh, cuBLASLt tensor cores) runs
// for binary16, bfloat16 and float8_e4m3fn and is close to the exact result. It is not bit-exact
// by design, so this checks a relative error bound, not bits. Exits 77 without a CUDA device.
#include <softnum/cuda/cublaslt.cuh>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "support/cuda_device.cuh"
#include "support/gemm_models.hpp"

using namespace softnum_test;

namespace {

int failures = 0;

template <class T>
T* to_device(const std::vector<T>& h) {
  T* p = nullptr;
  if (cudaMalloc(&p, h.size() * sizeof(T)) != cudaSuccess) return nullptr;
  cudaMemcpy(p, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice);
  return p;
}

// Row-major A (MxK), column-major B (KxN), row-major float C; error relative to sum |a||b|.
template <class T>
void check(softnum::cuda::HardwareGemm& hw, const char* name, std::ptrdiff_t M, std::ptrdiff_t N,
           std::ptrdiff_t K, double tolerance) {
  std::mt19937_64 g(11);
  const auto a = random_matrix<T>(g, M * K, 0, 1.0);
  const auto b = random_matrix<T>(g, K * N, 0, 1.0);
  T* da = to_device(a);
  T* db = to_device(b);
  float* dc = nullptr;
  cudaMalloc(&dc, static_cast<std::size_t>(M * N) * sizeof(float));
  const softnum::cuda::HardwareStatus st =
      hw.gemm(softnum::row_major(static_cast<const T*>(da), M, K),
              softnum::col_major(static_cast<const T*>(db), K, N), softnum::row_major(dc, M, N));
  std::vector<float> c(static_cast<std::size_t>(M * N));
  const cudaError_t e = cudaMemcpy(c.data(), dc, c.size() * sizeof(float), cudaMemcpyDeviceToHost);
  cudaFree(da);
  cudaFree(db);
  cudaFree(dc);
  if (!st.ok() || e != cudaSuccess) {
    ++failures;
    std::printf("FAIL %s: %s (cublas status %d, %s)\n", name, st.message,
                static_cast<int>(st.status), cudaGetErrorString(e));
    return;
  }
  double worst = 0;
  for (std::ptrdiff_t i = 0; i < M; ++i) {
    for (std::ptrdiff_t j = 0; j < N; ++j) {
      double exact = 0, mag = 0;
      for (std::ptrdiff_t k = 0; k < K; ++k) {
        const double x = static_cast<double>(a[static_cast<std::size_t>(i * K + k)]);
        const double y =
            static_cast<double>(b[static_cast<std::size_t>(j * K + k)]);  // column-major
        exact += x * y;
        mag += std::fabs(x * y);
      }
      const double err =
          std::fabs(static_cast<double>(c[static_cast<std::size_t>(i * N + j)]) - exact) /
          (mag > 0 ? mag : 1.0);
      worst = err > worst ? err : worst;
    }
  }
  const bool ok = worst <= tolerance;
  failures += ok ? 0 : 1;
  std::printf("%s %s %tdx%tdx%td: max error / sum|ab| = %.3g (bound %.3g)\n", ok ? "ok  " : "FAIL",
              name, M, N, K, worst, tolerance);
}

}  // namespace

int main() {
  cudaDeviceProp prop{};
  if (!cuda_support::device_present(prop)) return cuda_support::skip_code;
  softnum::cuda::HardwareGemm hw;
  if (hw.init_status() != CUBLAS_STATUS_SUCCESS) {
    std::printf("FAIL cublasLtCreate: status %d\n", static_cast<int>(hw.init_status()));
    return 1;
  }
  check<binary16>(hw, "binary16 -> fp32", 256, 192, 320, 1e-4);
  check<bfloat16>(hw, "bfloat16 -> fp32", 256, 192, 320, 1e-4);
  check<binary16>(hw, "binary16 -> fp32 (odd)", 37, 53, 71, 1e-4);
  if (prop.major * 10 + prop.minor >= 89) {
    check<float8_e4m3fn>(hw, "float8_e4m3fn -> fp32", 256, 192, 320, 1e-2);  // ~e8m13 accumulator
  } else {
    std::printf("skip float8_e4m3fn: needs sm_89 or newer\n");
  }
  return failures == 0 ? 0 : 1;
}
