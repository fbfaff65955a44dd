// softnum_train: the CPU backend (softnum::gemm on all requested threads).
#include "backend.hpp"

#include <stdexcept>

namespace train {

namespace {

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(unsigned threads) : threads_(threads) {}
  std::string name() const override { return "cpu"; }

  void matmul(const Format& acc, Round acc_mode, const Format& dest, Round dest_mode,
              softnum::MatrixView<const float> A, softnum::MatrixView<const float> B, softnum::MatrixView<float> C,
              std::uint64_t seed, std::ptrdiff_t chunk) override {
    run(acc, acc_mode, dest, dest_mode, A, B, C, seed, chunk);
  }
  void matmul(const Format& acc, Round acc_mode, const Format& dest, Round dest_mode,
              softnum::MatrixView<const double> A, softnum::MatrixView<const double> B,
              softnum::MatrixView<double> C, std::uint64_t seed, std::ptrdiff_t chunk) override {
    run(acc, acc_mode, dest, dest_mode, A, B, C, seed, chunk);
  }
  void round(const Format& f, const float* x, float* y, std::size_t n, Round mode, std::uint64_t seed,
             std::uint64_t stream) override {
    f.round_array(x, y, n, mode, seed, stream);
  }
  void round(const Format& f, const double* x, double* y, std::size_t n, Round mode, std::uint64_t seed,
             std::uint64_t stream) override {
    f.round_array(x, y, n, mode, seed, stream);
  }
  void axpby(const Format& f, double a, const float* x, double b, const float* z, float* y, std::size_t n,
             Round mode, std::uint64_t seed, std::uint64_t stream) override {
    f.kernels<float>().axpby(a, x, b, z, y, n, mode, seed, stream);
  }
  void axpby(const Format& f, double a, const double* x, double b, const double* z, double* y, std::size_t n,
             Round mode, std::uint64_t seed, std::uint64_t stream) override {
    f.kernels<double>().axpby(a, x, b, z, y, n, mode, seed, stream);
  }

 private:
  template <class S>
  void run(const Format& acc, Round acc_mode, const Format& dest, Round dest_mode, softnum::MatrixView<const S> A,
           softnum::MatrixView<const S> B, softnum::MatrixView<S> C, std::uint64_t seed, std::ptrdiff_t chunk) {
    softnum::GemmOptions o;
    o.round = acc_mode;
    o.seed = seed;
    o.chunk = chunk;
    o.threads = threads_;
    if (acc.quire) {
      o.output_round = dest_mode;
      dest.kernels<S>().gemm_quire(A, B, C, o);
      return;
    }
    acc.hooks<S>().gemm(A, B, C, o);
    // The accumulator's values are exact in S; one rounding to the destination role.
    const auto n = static_cast<std::size_t>(C.rows * C.cols);
    dest.round_array(C.data, C.data, n, dest_mode, seed, 3);
  }

  unsigned threads_;
};

}  // namespace

std::unique_ptr<Backend> make_backend(const std::string& name, unsigned threads) {
  if (name == "cpu") return std::make_unique<CpuBackend>(threads);
  if (name == "cuda") {
#ifdef SOFTNUM_TRAIN_HAVE_CUDA
    return make_cuda_backend(threads);
#else
    throw std::invalid_argument(
        "--backend cuda: this build of softnum_train has no CUDA backend (it is built only with "
        "-DSOFTNUM_ENABLE_CUDA=ON and a CUDA backend source in examples/train); use --backend cpu");
#endif
  }
  throw std::invalid_argument("unknown backend '" + name + "'; valid backends: cpu, cuda");
}

}  // namespace train
