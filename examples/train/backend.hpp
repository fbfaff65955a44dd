// softnum_train: the compute backend. The training loop calls only these kernels for the work
// that scales with the model (GEMMs, roundings, the update); the small per-sample steps (im2col,
// pooling, softmax) run on the host. The CPU backend forwards to the format's kernels; a CUDA
// backend (examples/train/backend_cuda.*, built only with SOFTNUM_ENABLE_CUDA) implements the same
// interface with the same results bit for bit (softnum's GEMM model and Philox counters are
// identical on both sides). Arrays are host arrays.
#pragma once

#include "format.hpp"

#include <memory>
#include <string>

namespace train {

/// The kernels of one storage type S (float or double).
template <class S>
class BackendKernels {
 public:
  virtual ~BackendKernels() = default;
  /// C = A * B in the accumulation model of `acc` (rounding mode acc_mode, chunk > 0 for chunked
  /// accumulation), then every C(i,j) rounded once to `dest` in dest_mode. With acc = quire the
  /// exact sum is rounded once to dest. C must be contiguous row-major (row_stride = cols).
  virtual void matmul(const Format& acc, Round acc_mode, const Format& dest, Round dest_mode,
                      softnum::MatrixView<const S> A, softnum::MatrixView<const S> B, softnum::MatrixView<S> C,
                      std::uint64_t seed, std::ptrdiff_t chunk) = 0;
  /// y = round_f(x), elementwise.
  virtual void round(const Format& f, const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
                     std::uint64_t stream) = 0;
  /// y = round_f(a * x + b * z), elementwise, from the exact value (z may be null).
  virtual void axpby(const Format& f, double a, const S* x, double b, const S* z, S* y, std::size_t n, Round mode,
                     std::uint64_t seed, std::uint64_t stream) = 0;
};

class Backend : public BackendKernels<float>, public BackendKernels<double> {
 public:
  using BackendKernels<float>::matmul;
  using BackendKernels<double>::matmul;
  using BackendKernels<float>::round;
  using BackendKernels<double>::round;
  using BackendKernels<float>::axpby;
  using BackendKernels<double>::axpby;
  virtual std::string name() const = 0;
};

/// "cpu" (threads: 0 = all cores) or "cuda". Throws std::invalid_argument for an unknown name or a
/// backend this build does not have.
std::unique_ptr<Backend> make_backend(const std::string& name, unsigned threads);

#ifdef SOFTNUM_TRAIN_HAVE_CUDA
/// Defined by the CUDA backend's translation unit.
std::unique_ptr<Backend> make_cuda_backend(unsigned threads);
#endif

}  // namespace train
