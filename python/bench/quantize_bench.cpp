// The C++ side of examples/python/bench_quantize.py: the time of softnum::quantize<T> called
// directly from C++ (no Python, no NumPy; for binary16, bfloat16, float8_e4m3fn and posit8, the
// module's table kernel for other names), and of the plain loop a C++ user writes with the scalar
// API (y[i] = float(convert<T, mode>(x[i]))), on the same input as the Python side.
//
//   softnum_quantize_bench N FORMAT MODE THREADS   ->  "kernel_seconds api_seconds" (best of 5)
// The input is x[i] = the float nearest sin(i) * 2^(i % 17 - 8) (the Python script builds the
// same).
#include <softnum/convert.hpp>
#include <softnum/float.hpp>
#include <softnum/posit.hpp>
#include <softnum/quantize.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "../src/formats.hpp"

namespace {

using softnum::Round;

Round parse_mode(const std::string& m) {
  if (m == "nearest_even") return Round::nearest_even;
  if (m == "stochastic") return Round::stochastic;
  throw std::invalid_argument("mode must be nearest_even or stochastic, got '" + m + "'");
}

template <class F>
double best_of(int runs, F&& f) {
  double best = 1e300;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const std::chrono::duration<double> d = std::chrono::steady_clock::now() - t0;
    best = std::min(best, d.count());
  }
  return best;
}

template <class T>
void api_loop(const std::vector<float>& x, std::vector<float>& y, Round mode, std::uint64_t seed) {
  if (mode == Round::stochastic) {
    for (std::size_t i = 0; i < x.size(); ++i) {
      y[i] = static_cast<float>(
          softnum::convert<T, Round::stochastic>(x[i], softnum::random_word(seed, i, 0)));
    }
  } else {
    for (std::size_t i = 0; i < x.size(); ++i)
      y[i] = static_cast<float>(softnum::convert<T, Round::nearest_even>(x[i]));
  }
}

template <class T>
void library_quantize(const float* x, float* y, std::size_t n, Round mode, std::uint64_t seed,
                      std::uint64_t offset) {
  softnum::quantize<T>(std::span<const float>(x, n), std::span<float>(y, n), mode, seed, offset);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc != 5)
      throw std::invalid_argument("usage: softnum_quantize_bench N FORMAT MODE THREADS");
    const auto n = static_cast<std::size_t>(std::stoull(argv[1]));
    const softnum_py::Format& f = softnum_py::find_format(argv[2]);
    const Round mode = parse_mode(argv[3]);
    const unsigned threads = static_cast<unsigned>(std::stoul(argv[4]));
    std::vector<float> x(n), y(n);
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = static_cast<float>(std::sin(static_cast<double>(i)) *
                                std::ldexp(1.0, static_cast<int>(i % 17) - 8));
    }
    const std::uint64_t seed = 1;
    const std::string name = argv[2];
    softnum_py::QuantizeFn<float> kernel_fn = f.quantize_f;
    if (name == "binary16") kernel_fn = &library_quantize<softnum::binary16>;
    if (name == "bfloat16") kernel_fn = &library_quantize<softnum::bfloat16>;
    if (name == "float8_e4m3fn") kernel_fn = &library_quantize<softnum::float8_e4m3fn>;
    if (name == "posit8") kernel_fn = &library_quantize<softnum::posit8>;
    const double kernel = best_of(5, [&] {
      if (threads <= 1) {
        kernel_fn(x.data(), y.data(), n, mode, seed, 0);
        return;
      }
      std::vector<std::thread> pool;
      const std::size_t part = (n + threads - 1) / threads;
      for (unsigned p = 0; p < threads; ++p) {
        const std::size_t i0 = std::min(n, p * part), i1 = std::min(n, i0 + part);
        pool.emplace_back(
            [&, i0, i1] { kernel_fn(x.data() + i0, y.data() + i0, i1 - i0, mode, seed, i0); });
      }
      for (std::thread& t : pool) t.join();
    });
    double api = -1;
    if (name == "binary16")
      api = best_of(3, [&] { api_loop<softnum::binary16>(x, y, mode, seed); });
    if (name == "bfloat16")
      api = best_of(3, [&] { api_loop<softnum::bfloat16>(x, y, mode, seed); });
    if (name == "float8_e4m3fn")
      api = best_of(3, [&] { api_loop<softnum::float8_e4m3fn>(x, y, mode, seed); });
    if (name == "posit8") api = best_of(3, [&] { api_loop<softnum::posit8>(x, y, mode, seed); });
    std::printf("%.6f %.6f\n", kernel, api);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "softnum_quantize_bench: %s\n", e.what());
    return 2;
  }
}
