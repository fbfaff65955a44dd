// softnum_train: the CUDA backend (--backend cuda; built with -DSOFTNUM_CUDA=ON, docs/cuda.md).
//
// The GEMMs, the work that scales with the model, run on the GPU through softnum::cuda::gemm,
// which computes the accumulation model bit for bit like the CPU's softnum::gemm (same k order,
// same roundings, same Philox counters); the one rounding of C to the destination role then runs
// through the same host kernel as the CPU backend. So every number is the CPU backend's.
//
// Covered on the GPU: float-storage tensors with the accumulator formats in kGpuFormats below
// (the float and fp8/16-bit Float formats use the round-to-odd double kernel, also for stochastic
// rounding; posits and fixed point the generic kernel). Everything else (double storage, the
// quire, other accumulators) and the elementwise kernels (host arrays of a few thousand elements,
// where a transfer costs more than the work) run the CPU backend's code.
#include <softnum/cuda/gemm.cuh>
#include <softnum/fixed.hpp>
#include <softnum/posit.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>

#include <cuda_runtime.h>

#include "backend.hpp"

namespace train {

namespace {

using softnum::MatrixView;

void check_cuda(cudaError_t e, const char* what) {
  if (e != cudaSuccess)
    throw std::runtime_error(std::string("CUDA backend: ") + what + ": " + cudaGetErrorString(e));
}

/// A grow-only device buffer.
struct DeviceBuffer {
  void* p = nullptr;
  std::size_t bytes = 0;
  DeviceBuffer() = default;
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  ~DeviceBuffer() {
    if (p != nullptr) cudaFree(p);
  }
  void* reserve(std::size_t n) {
    if (n > bytes) {
      if (p != nullptr) cudaFree(p);
      p = nullptr;
      check_cuda(cudaMalloc(&p, n), "cudaMalloc");
      bytes = n;
    }
    return p;
  }
};

/// Elements a strided view (non-negative strides) spans in memory.
template <class T>
std::size_t span_of(const MatrixView<T>& v) {
  if (v.rows == 0 || v.cols == 0) return 0;
  return static_cast<std::size_t>((v.rows - 1) * v.row_stride + (v.cols - 1) * v.col_stride + 1);
}

/// Accumulator formats whose GEMM runs on the GPU (name, type).
template <class F>
bool with_gpu_format(const std::string& name, F&& f) {
  using namespace softnum;
  if (name == "float32") return f(static_cast<float*>(nullptr)), true;
  if (name == "binary32") return f(static_cast<binary32*>(nullptr)), true;
  if (name == "binary16") return f(static_cast<binary16*>(nullptr)), true;
  if (name == "bfloat16") return f(static_cast<bfloat16*>(nullptr)), true;
  if (name == "float8_e4m3fn") return f(static_cast<float8_e4m3fn*>(nullptr)), true;
  if (name == "float8_e5m2") return f(static_cast<float8_e5m2*>(nullptr)), true;
  if (name == "posit8") return f(static_cast<Posit<8, 2>*>(nullptr)), true;
  if (name == "posit16") return f(static_cast<Posit<16, 2>*>(nullptr)), true;
  if (name == "fixed8_8") return f(static_cast<Fixed<8, 8>*>(nullptr)), true;
  return false;
}

class CudaBackend final : public Backend {
 public:
  explicit CudaBackend(unsigned threads) : cpu_(make_backend("cpu", threads)) {
    int devices = 0;
    const cudaError_t e = cudaGetDeviceCount(&devices);
    if (e != cudaSuccess || devices == 0) {
      throw std::invalid_argument(std::string("--backend cuda: no usable CUDA device (") +
                                  (e != cudaSuccess ? cudaGetErrorString(e) : "device count is 0") +
                                  "), so no CUDA backend; use --backend cpu");
    }
    cudaDeviceProp prop{};
    check_cuda(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties");
    device_ = prop.name;
    check_cuda(cudaStreamCreate(&stream_), "cudaStreamCreate");
  }
  ~CudaBackend() override {
    if (stream_ != nullptr) cudaStreamDestroy(stream_);
  }
  CudaBackend(const CudaBackend&) = delete;
  CudaBackend& operator=(const CudaBackend&) = delete;

  std::string name() const override { return "cuda (" + device_ + ")"; }

  void matmul(const Format& acc, Round acc_mode, const Format& dest, Round dest_mode,
              MatrixView<const float> A, MatrixView<const float> B, MatrixView<float> C,
              std::uint64_t seed, std::ptrdiff_t chunk) override {
    if (!acc.quire && C.row_stride == C.cols && C.col_stride == 1 &&
        with_gpu_format(acc.name, [&](auto* tag) {
          gpu_gemm<std::remove_pointer_t<decltype(tag)>>(A, B, C, acc_mode, seed, chunk);
        })) {
      // The accumulator's values are exact in float; one rounding to the destination role, by the
      // CPU backend's own kernel (Philox stream 3, as there).
      dest.round_array(C.data, C.data, static_cast<std::size_t>(C.rows * C.cols), dest_mode,
                       seed, 3);
      return;
    }
    cpu_->matmul(acc, acc_mode, dest, dest_mode, A, B, C, seed, chunk);
  }
  void matmul(const Format& acc, Round acc_mode, const Format& dest, Round dest_mode,
              MatrixView<const double> A, MatrixView<const double> B, MatrixView<double> C,
              std::uint64_t seed, std::ptrdiff_t chunk) override {
    cpu_->matmul(acc, acc_mode, dest, dest_mode, A, B, C, seed, chunk);
  }
  void round(const Format& f, const float* x, float* y, std::size_t n, Round mode,
             std::uint64_t seed, std::uint64_t stream) override {
    cpu_->round(f, x, y, n, mode, seed, stream);
  }
  void round(const Format& f, const double* x, double* y, std::size_t n, Round mode,
             std::uint64_t seed, std::uint64_t stream) override {
    cpu_->round(f, x, y, n, mode, seed, stream);
  }
  void axpby(const Format& f, double a, const float* x, double b, const float* z, float* y,
             std::size_t n, Round mode, std::uint64_t seed, std::uint64_t stream) override {
    cpu_->axpby(f, a, x, b, z, y, n, mode, seed, stream);
  }
  void axpby(const Format& f, double a, const double* x, double b, const double* z, double* y,
             std::size_t n, Round mode, std::uint64_t seed, std::uint64_t stream) override {
    cpu_->axpby(f, a, x, b, z, y, n, mode, seed, stream);
  }

 private:
  /// C = A * B with Accumulation<exact_product, T> on the device (the CPU backend's model).
  template <class T>
  void gpu_gemm(MatrixView<const float> A, MatrixView<const float> B, MatrixView<float> C,
                Round mode, std::uint64_t seed, std::ptrdiff_t chunk) {
    const std::size_t na = span_of(A), nb = span_of(B), nc = span_of(C);
    auto* da = static_cast<float*>(a_.reserve((na + 1) * sizeof(float)));
    auto* db = static_cast<float*>(b_.reserve((nb + 1) * sizeof(float)));
    auto* dc = static_cast<float*>(c_.reserve((nc + 1) * sizeof(float)));
    check_cuda(cudaMemcpyAsync(da, A.data, na * sizeof(float), cudaMemcpyHostToDevice, stream_),
               "copy A");
    check_cuda(cudaMemcpyAsync(db, B.data, nb * sizeof(float), cudaMemcpyHostToDevice, stream_),
               "copy B");
    softnum::GemmOptions o;
    o.round = mode;
    o.seed = seed;
    o.chunk = chunk;
    const softnum::cuda::GemmStatus st =
        softnum::cuda::gemm<softnum::Accumulation<softnum::exact_product, T>>(
            MatrixView<const float>{da, A.rows, A.cols, A.row_stride, A.col_stride},
            MatrixView<const float>{db, B.rows, B.cols, B.row_stride, B.col_stride},
            MatrixView<float>{dc, C.rows, C.cols, C.row_stride, C.col_stride}, o, stream_);
    check_cuda(st.error, "softnum::cuda::gemm");
    check_cuda(cudaMemcpyAsync(C.data, dc, nc * sizeof(float), cudaMemcpyDeviceToHost, stream_),
               "copy C");
    check_cuda(cudaStreamSynchronize(stream_), "softnum::cuda::gemm (execution)");
  }

  std::unique_ptr<Backend> cpu_;
  std::string device_;
  cudaStream_t stream_ = nullptr;
  DeviceBuffer a_, b_, c_;
};

}  // namespace

std::unique_ptr<Backend> make_cuda_backend(unsigned threads) {
  return std::make_unique<CudaBackend>(threads);
}

}  // namespace train
