// cuda_elementwise: softnum/cuda/elementwise.cuh against the host loops it documents, bit for
// bit (conversion in nearest-even and stochastic rounding, axpby, ReLU, SGD momentum). Exits 77
// without a CUDA device.
#include <softnum/cuda/elementwise.cuh>

#include <cstdio>
#include <random>
#include <vector>

#include "support/cuda_device.cuh"
#include "support/gemm_models.hpp"

using namespace softnum_test;
namespace sd = softnum::detail;

namespace {

int failures = 0;

template <class T>
T* to_device(const std::vector<T>& h) {
  T* p = nullptr;
  cudaMalloc(&p, (h.empty() ? 1 : h.size()) * sizeof(T));
  cudaMemcpy(p, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice);
  return p;
}
template <class T>
std::vector<T> from_device(const T* p, std::size_t n) {
  std::vector<T> h(n);
  cudaMemcpy(h.data(), p, n * sizeof(T), cudaMemcpyDeviceToHost);
  return h;
}

template <class T>
void expect_same(const char* what, cudaError_t e, const std::vector<T>& got,
                 const std::vector<T>& want) {
  std::size_t bad = 0, first = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (!same_bits(got[i], want[i])) {
      if (bad++ == 0) first = i;
    }
  }
  if (e != cudaSuccess || bad != 0) {
    ++failures;
    std::printf("FAIL %s: %s, %zu of %zu differ (first %zu: gpu 0x%llx host 0x%llx)\n", what,
                cudaGetErrorString(e), bad, want.size(), first, bad ? bits_of(got[first]) : 0ull,
                bad ? bits_of(want[first]) : 0ull);
  } else {
    std::printf("ok   %s (%zu elements)\n", what, want.size());
  }
}

template <class To, class From>
void check_convert(const char* what, Round mode, double scale) {
  std::mt19937_64 g(3);
  const std::size_t n = 100003;
  const auto in = random_matrix<From>(g, static_cast<std::ptrdiff_t>(n), 5, scale);
  std::vector<To> want(n);
  softnum::Philox gen(77, 5);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t r = gen();
    want[i] = sd::number_traits<To>::pack(sd::number_traits<From>::unpack(in[i]), mode,
                                          mode == Round::stochastic ? r : 0u);
  }
  From* din = to_device(in);
  To* dout = to_device(std::vector<To>(n));
  const cudaError_t e = softnum::cuda::convert(din, dout, n, mode, 77, 5);
  cudaDeviceSynchronize();
  expect_same(what, e, from_device(dout, n), want);
  cudaFree(din);
  cudaFree(dout);
}

template <class T, class S>
void check_axpby(const char* what, Round mode) {
  std::mt19937_64 g(4);
  const std::size_t n = 50001;
  const auto x = random_matrix<S>(g, static_cast<std::ptrdiff_t>(n), 5, 1.0);
  const auto z = random_matrix<S>(g, static_cast<std::ptrdiff_t>(n), 5, 1.0);
  const double a = 0.3, b = -1.7;
  std::vector<T> want(n);
  softnum::Philox gen(9, 2);
  for (std::size_t i = 0; i < n; ++i) {
    const sd::Unpacked s = sd::exact_add(
        sd::exact_mul(sd::unpack_double(a), sd::number_traits<S>::unpack(x[i])),
        sd::exact_mul(sd::unpack_double(b), sd::number_traits<S>::unpack(z[i])), mode);
    const std::uint32_t r = gen();
    want[i] = sd::number_traits<T>::pack(s, mode, mode == Round::stochastic ? r : 0u);
  }
  S* dx = to_device(x);
  S* dz = to_device(z);
  T* dy = to_device(std::vector<T>(n));
  const cudaError_t e = softnum::cuda::axpby(a, dx, b, dz, dy, n, mode, 9, 2);
  cudaDeviceSynchronize();
  expect_same(what, e, from_device(dy, n), want);
  cudaFree(dx);
  cudaFree(dz);
  cudaFree(dy);
}

template <class T>
void check_relu_sgd(const char* what) {
  std::mt19937_64 g(5);
  const std::size_t n = 4099;
  const auto x = random_matrix<T>(g, static_cast<std::ptrdiff_t>(n), 10, 1.0);
  const auto dy = random_matrix<T>(g, static_cast<std::ptrdiff_t>(n), 10, 1.0);
  const T zero =
      sd::number_traits<T>::pack(sd::make_special(sd::Kind::zero, false), Round::nearest_even, 0u);
  std::vector<T> want_y(n), want_dx(n);
  for (std::size_t i = 0; i < n; ++i) {
    const sd::Unpacked u = sd::number_traits<T>::unpack(x[i]);
    const bool positive = (u.kind == sd::Kind::finite || u.kind == sd::Kind::inf) && !u.sign;
    want_y[i] = positive || u.kind == sd::Kind::nan ? x[i] : zero;
    want_dx[i] = positive ? dy[i] : zero;
  }
  T* dxp = to_device(x);
  T* dyp = to_device(dy);
  T* out = to_device(std::vector<T>(n));
  cudaError_t e = softnum::cuda::relu(dxp, out, n);
  cudaDeviceSynchronize();
  expect_same((std::string(what) + " relu").c_str(), e, from_device(out, n), want_y);
  e = softnum::cuda::relu_backward(dxp, dyp, out, n);
  cudaDeviceSynchronize();
  expect_same((std::string(what) + " relu_backward").c_str(), e, from_device(out, n), want_dx);

  // SGD momentum, stochastic: w (T), v (T), g = dy.
  std::vector<T> w = x, v = random_matrix<T>(g, static_cast<std::ptrdiff_t>(n), 0, 0.1);
  T* dw = to_device(w);
  T* dv = to_device(v);
  e = softnum::cuda::sgd_momentum(dw, dv, dyp, n, 0.01, 0.9, Round::stochastic, 123, 8);
  cudaDeviceSynchronize();
  softnum::Philox gv(123, 8), gw(123, 9);
  for (std::size_t i = 0; i < n; ++i) {
    const sd::Unpacked vs =
        sd::exact_add(sd::exact_mul(sd::unpack_double(0.9), sd::number_traits<T>::unpack(v[i])),
                      sd::number_traits<T>::unpack(dy[i]), Round::stochastic);
    v[i] = sd::number_traits<T>::pack(vs, Round::stochastic, gv());
    const sd::Unpacked ws =
        sd::exact_add(sd::number_traits<T>::unpack(w[i]),
                      sd::exact_mul(sd::unpack_double(-0.01), sd::number_traits<T>::unpack(v[i])),
                      Round::stochastic);
    w[i] = sd::number_traits<T>::pack(ws, Round::stochastic, gw());
  }
  expect_same((std::string(what) + " sgd_momentum v").c_str(), e, from_device(dv, n), v);
  expect_same((std::string(what) + " sgd_momentum w").c_str(), e, from_device(dw, n), w);
  cudaFree(dxp);
  cudaFree(dyp);
  cudaFree(out);
  cudaFree(dw);
  cudaFree(dv);
}

}  // namespace

int main() {
  cudaDeviceProp prop{};
  if (!cuda_support::device_present(prop)) return cuda_support::skip_code;
  check_convert<binary16, float>("float -> binary16 nearest", Round::nearest_even, 1e3);
  check_convert<binary16, float>("float -> binary16 stochastic", Round::stochastic, 1.0);
  check_convert<float8_e4m3fn, float>("float -> e4m3fn stochastic", Round::stochastic, 100.0);
  check_convert<posit16, float>("float -> posit16 stochastic", Round::stochastic, 1.0);
  check_convert<Fixed<8, 8>, binary16>("binary16 -> Fixed<8,8> stochastic", Round::stochastic,
                                       10.0);
  check_axpby<bfloat16, float>("axpby float -> bfloat16 nearest", Round::nearest_even);
  check_axpby<binary16, float>("axpby float -> binary16 stochastic", Round::stochastic);
  check_relu_sgd<binary16>("binary16");
  check_relu_sgd<posit16>("posit16");
  return failures == 0 ? 0 : 1;
}
