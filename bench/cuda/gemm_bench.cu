// cuda_gemm_bench: GFLOP/s of softnum::cuda::gemm (per-op-rounded models, bit-identical to the
// CPU) and of the hardware mode (cuBLASLt tensor cores, not bit-exact) beside cuBLAS SGEMM and
// HGEMM, at square sizes (default 1024 4096 8192; pass sizes as arguments). FLOP = 2 M N K.
// Exits 77 without a CUDA device.
//
//   cuda_gemm_bench [--max-generic N] [size ...]
// Generic-kernel models (posit16, stochastic rounding) run only up to --max-generic (default
// 4096), since they take seconds per call at 8192.
#include <softnum/cuda/cublaslt.cuh>
#include <softnum/cuda/gemm.cuh>
#include <softnum/fixed.hpp>
#include <softnum/posit.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <cublas_v2.h>
#include <cuda_fp16.h>

#include "support/cuda_device.cuh"

namespace {

using namespace softnum;


template <class T>
T* device_random(std::size_t n, double scale, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> d(0.0, scale);
  std::vector<T> h(n);
  for (auto& x : h) {
    if constexpr (std::is_same_v<T, float>) {
      x = static_cast<float>(d(g));
    } else if constexpr (std::is_same_v<T, __half>) {
      x = __float2half_rn(static_cast<float>(d(g)));
    } else {
      x = T(d(g));
    }
  }
  T* p = nullptr;
  CUDA_OK(cudaMalloc(&p, n * sizeof(T)));
  CUDA_OK(cudaMemcpy(p, h.data(), n * sizeof(T), cudaMemcpyHostToDevice));
  return p;
}

// Median-free simple timing: one warm-up call, then repeat until >= 0.3 s (at least 1 call).
template <class F>
double seconds_per_call(F&& f) {
  cudaEvent_t start, stop;
  CUDA_OK(cudaEventCreate(&start));
  CUDA_OK(cudaEventCreate(&stop));
  f();
  CUDA_OK(cudaDeviceSynchronize());
  int reps = 0;
  float total_ms = 0;
  while (total_ms < 300.0f && reps < 200) {
    CUDA_OK(cudaEventRecord(start));
    f();
    CUDA_OK(cudaEventRecord(stop));
    CUDA_OK(cudaEventSynchronize(stop));
    float ms = 0;
    CUDA_OK(cudaEventElapsedTime(&ms, start, stop));
    total_ms += ms;
    ++reps;
  }
  CUDA_OK(cudaEventDestroy(start));
  CUDA_OK(cudaEventDestroy(stop));
  return total_ms / 1000.0 / reps;
}

void report(const char* name, const char* kernel, std::ptrdiff_t n, double s) {
  const double flop =
      2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
  std::printf("| %-44s | %-12s | %5td | %10.4f | %9.1f |\n", name, kernel, n, s * 1e3,
              flop / s * 1e-9);
  std::fflush(stdout);
}

template <class Model, class TA, class TB, class TC>
void bench_softnum(const char* name, std::ptrdiff_t n, GemmOptions o, double scale) {
  const auto nn = static_cast<std::size_t>(n * n);
  TA* a = device_random<TA>(nn, scale, 1);
  TB* b = device_random<TB>(nn, scale, 2);
  TC* c = nullptr;
  CUDA_OK(cudaMalloc(&c, nn * sizeof(TC)));
  CUDA_OK(cudaMemset(c, 0, nn * sizeof(TC)));
  const char* kernel = "";
  const double s = seconds_per_call([&] {
    const cuda::GemmStatus st =
        cuda::gemm<Model>(row_major(static_cast<const TA*>(a), n, n),
                          row_major(static_cast<const TB*>(b), n, n), row_major(c, n, n), o);
    CUDA_OK(st.error);
    kernel = st.kernel;
  });
  report(name, kernel, n, s);
  CUDA_OK(cudaFree(a));
  CUDA_OK(cudaFree(b));
  CUDA_OK(cudaFree(c));
}

// Hardware mode: row-major A, column-major B (the layout fp8 needs), row-major C.
template <class TA, class TC>
void bench_hardware(cuda::HardwareGemm& hw, const char* name, std::ptrdiff_t n) {
  const auto nn = static_cast<std::size_t>(n * n);
  TA* a = device_random<TA>(nn, 1.0, 1);
  TA* b = device_random<TA>(nn, 1.0, 2);
  TC* c = nullptr;
  CUDA_OK(cudaMalloc(&c, nn * sizeof(TC)));
  bool ok = true;
  const double s = seconds_per_call([&] {
    const cuda::HardwareStatus st =
        hw.gemm(row_major(static_cast<const TA*>(a), n, n),
                col_major(static_cast<const TA*>(b), n, n), row_major(c, n, n));
    if (!st.ok() && ok) {
      std::printf("| %-44s | failed: %s (status %d)\n", name, st.message,
                  static_cast<int>(st.status));
      ok = false;
    }
  });
  if (ok) report(name, "cublasLt", n, s);
  CUDA_OK(cudaFree(a));
  CUDA_OK(cudaFree(b));
  CUDA_OK(cudaFree(c));
}

void bench_cublas(cublasHandle_t h, std::ptrdiff_t n) {
  const auto nn = static_cast<std::size_t>(n * n);
  const int ni = static_cast<int>(n);
  {
    float* a = device_random<float>(nn, 1.0, 1);
    float* b = device_random<float>(nn, 1.0, 2);
    float* c = nullptr;
    CUDA_OK(cudaMalloc(&c, nn * sizeof(float)));
    const float alpha = 1, beta = 0;
    cublasSetMathMode(h, CUBLAS_PEDANTIC_MATH);  // true fp32 SIMT/FFMA, no TF32
    const double s = seconds_per_call([&] {
      cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, ni, ni, ni, &alpha, a, ni, b, ni, &beta, c, ni);
    });
    report("cuBLAS SGEMM (fp32, pedantic: no TF32)", "cublas", n, s);
    cublasSetMathMode(h, CUBLAS_DEFAULT_MATH);
    CUDA_OK(cudaFree(a));
    CUDA_OK(cudaFree(b));
    CUDA_OK(cudaFree(c));
  }
  {
    __half* a = device_random<__half>(nn, 1.0, 1);
    __half* b = device_random<__half>(nn, 1.0, 2);
    __half* c = nullptr;
    CUDA_OK(cudaMalloc(&c, nn * sizeof(__half)));
    const __half alpha = __float2half(1.0f), beta = __float2half(0.0f);
    const double s = seconds_per_call([&] {
      cublasHgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, ni, ni, ni, &alpha, a, ni, b, ni, &beta, c, ni);
    });
    report("cuBLAS HGEMM (fp16 in/out, tensor cores)", "cublas", n, s);
    CUDA_OK(cudaFree(a));
    CUDA_OK(cudaFree(b));
    CUDA_OK(cudaFree(c));
  }
}

}  // namespace

int main(int argc, char** argv) {
  cudaDeviceProp prop{};
  if (!cuda_support::device_present(prop)) return cuda_support::skip_code;
  std::vector<std::ptrdiff_t> sizes;
  std::ptrdiff_t max_generic = 4096;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--max-generic") == 0 && i + 1 < argc) {
      max_generic = std::atol(argv[++i]);
    } else {
      const long v = std::atol(argv[i]);
      if (v <= 0) {
        std::fprintf(stderr, "usage: cuda_gemm_bench [--max-generic N] [size ...]\n");
        return 2;
      }
      sizes.push_back(v);
    }
  }
  if (sizes.empty()) sizes = {1024, 4096, 8192};
  std::printf("device: %s (sm_%d%d, %d SMs)\n\n", prop.name, prop.major, prop.minor,
              prop.multiProcessorCount);
  std::printf("| %-44s | %-12s | %5s | %10s | %9s |\n", "model", "kernel", "n", "ms/call",
              "GFLOP/s");
  std::printf("|%s|%s|%s|%s|%s|\n", std::string(46, '-').c_str(), std::string(14, '-').c_str(),
              std::string(7, '-').c_str(), std::string(12, '-').c_str(),
              std::string(11, '-').c_str());

  cublasHandle_t h = nullptr;
  if (cublasCreate(&h) != CUBLAS_STATUS_SUCCESS) {
    std::fprintf(stderr, "cublasCreate failed\n");
    return 1;
  }
  cuda::HardwareGemm hw;
  using fixed8_8 = Fixed<8, 8>;
  using fixed40_16 = Fixed<40, 16>;
  for (const std::ptrdiff_t n : sizes) {
    GemmOptions rn;
    GemmOptions chunk64;
    chunk64.chunk = 64;
    GemmOptions sr;
    sr.round = Round::stochastic;
    sr.seed = 1;
    bench_softnum<Accumulation<>, binary16, binary16, binary16>(
        "binary16, per-op RNE (binary16 acc)", n, rn, 1.0);
    bench_softnum<Accumulation<exact_product, float>, bfloat16, bfloat16, float>(
        "bfloat16, fused fp32 acc", n, rn, 1.0);
    bench_softnum<Accumulation<>, bfloat16, bfloat16, bfloat16>(
        "bfloat16, per-op RNE (bfloat16 acc)", n, rn, 1.0);
    bench_softnum<Accumulation<float, float>, float8_e4m3fn, float8_e4m3fn, float>(
        "float8_e4m3fn, fp32 acc", n, rn, 4.0);
    bench_softnum<Accumulation<binary16, binary16>, float8_e4m3fn, float8_e4m3fn, binary16>(
        "float8_e4m3fn, binary16 acc, chunk 64", n, chunk64, 4.0);
    bench_softnum<Accumulation<exact_product, fixed40_16>, fixed8_8, fixed8_8, fixed8_8>(
        "Fixed<8,8>, exact acc (Fixed<40,16>)", n, rn, 4.0);
    bench_softnum<Accumulation<exact_product, Fixed<32, 14>>, Fixed<1, 7>, Fixed<1, 7>,
                  Fixed<32, 14>>("Fixed<1,7> (q7), exact acc (Fixed<32,14>)", n, rn, 0.3);
    if (n <= max_generic) {
      bench_softnum<Accumulation<>, posit16, posit16, posit16>("posit16, per-op (generic)", n, rn,
                                                               1.0);
      bench_softnum<Accumulation<>, binary16, binary16, binary16>(
          "binary16, per-op stochastic (generic)", n, sr, 1.0);
    }
    bench_hardware<binary16, float>(hw, "hardware: binary16 -> fp32 (cuBLASLt)", n);
    bench_hardware<bfloat16, float>(hw, "hardware: bfloat16 -> fp32 (cuBLASLt)", n);
    bench_hardware<float8_e4m3fn, float>(hw, "hardware: float8_e4m3fn -> fp32 (cuBLASLt)", n);
    bench_cublas(h, n);
  }
  cublasDestroy(h);
  return 0;
}
