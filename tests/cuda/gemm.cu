// cuda_gemm: softnum::cuda::gemm against the CPU gemm, bit for bit, for every model of the GEMM
// issues, on random and edge-size matrices with NaN/inf/subnormal entries, plus strided views
// and reproducible stochastic rounding. Exits 77 (CTest "Skipped") without a CUDA device.
#include <softnum/cuda/gemm.cuh>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "support/cuda_device.cuh"
#include "support/gemm_models.hpp"

using namespace softnum_test;

namespace {

int failures = 0;
int checks = 0;


template <class T>
struct DeviceBuffer {
  T* p = nullptr;
  explicit DeviceBuffer(const std::vector<T>& h) {
    CUDA_OK(cudaMalloc(&p, (h.empty() ? 1 : h.size()) * sizeof(T)));
    if (!h.empty()) CUDA_OK(cudaMemcpy(p, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice));
  }
  ~DeviceBuffer() { cudaFree(p); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  std::vector<T> get(std::size_t n) const {
    std::vector<T> h(n);
    if (n != 0) CUDA_OK(cudaMemcpy(h.data(), p, n * sizeof(T), cudaMemcpyDeviceToHost));
    return h;
  }
};

struct Shape {
  std::ptrdiff_t M, N, K;
};

enum class Layout { row, col };  // A row-major + B row-major, or A col-major + B col-major

// One comparison: CPU gemm vs GPU (kernel k) for case C, shape s, options o.
template <class C>
void run(const char* label, std::mt19937_64& g, Shape s, GemmOptions o,
         softnum::cuda::Kernel kernel, int edge_pct, double scale, Layout layout = Layout::row) {
  using TA = typename C::TA;
  using TB = typename C::TB;
  using TC = typename C::TC;
  using Model = typename C::Model;
  const auto a = random_matrix<TA>(g, s.M * s.K, edge_pct, scale);
  const auto b = random_matrix<TB>(g, s.K * s.N, edge_pct, scale);
  const auto c0 = random_matrix<TC>(g, s.M * s.N, edge_pct, scale);
  auto view = [&](auto* p, std::ptrdiff_t r, std::ptrdiff_t c) {
    return layout == Layout::row ? softnum::row_major(p, r, c) : softnum::col_major(p, r, c);
  };
  std::vector<TC> want = c0;
  softnum::gemm<Model>(view(a.data(), s.M, s.K), view(b.data(), s.K, s.N),
                       view(want.data(), s.M, s.N), o);

  DeviceBuffer<TA> da(a);
  DeviceBuffer<TB> db(b);
  DeviceBuffer<TC> dc(c0);
  const softnum::cuda::GemmStatus st = softnum::cuda::gemm<Model>(
      view(static_cast<const TA*>(da.p), s.M, s.K), view(static_cast<const TB*>(db.p), s.K, s.N),
      view(dc.p, s.M, s.N), o, nullptr, kernel);
  ++checks;
  if (!st.ok()) {
    ++failures;
    std::printf("FAIL %-28s %4tdx%4tdx%4td: launch of %s failed: %s\n", label, s.M, s.N, s.K,
                st.kernel, cudaGetErrorString(st.error));
    return;
  }
  CUDA_OK(cudaDeviceSynchronize());
  const std::vector<TC> got = dc.get(want.size());
  std::ptrdiff_t bad = 0, first = -1;
  for (std::size_t idx = 0; idx < want.size(); ++idx) {
    if (!same_bits(got[idx], want[idx])) {
      if (first < 0) first = static_cast<std::ptrdiff_t>(idx);
      ++bad;
    }
  }
  if (bad != 0) {
    ++failures;
    const auto f = static_cast<std::size_t>(first);
    std::printf(
        "FAIL %-28s %4tdx%4tdx%4td chunk=%td acc=%d round=%d kernel=%s: %td of %zu outputs differ; "
        "first at "
        "%td: gpu 0x%llx cpu 0x%llx\n",
        label, s.M, s.N, s.K, o.chunk, int{o.accumulate}, static_cast<int>(o.round), st.kernel, bad,
        want.size(), first, bits_of(got[f]), bits_of(want[f]));
  } else if (s.M * s.N * s.K >= 1000000) {
    std::printf("ok   %-28s %4tdx%4tdx%4td chunk=%td acc=%d round=%d kernel=%s\n", label, s.M, s.N,
                s.K, o.chunk, int{o.accumulate}, static_cast<int>(o.round), st.kernel);
  }
}

const Shape shapes[] = {{1, 1, 1},    {1, 300, 77},    {300, 1, 77},   {5, 7, 0},
                        {1, 1, 1000}, {33, 65, 17},    {64, 64, 64},   {65, 129, 130},
                        {17, 3, 513}, {257, 190, 300}, {128, 256, 64}, {3, 1000, 31}};

template <class C>
void suite(const char* label, int edge_pct, double scale, bool stochastic,
           bool generic_too = true) {
  std::mt19937_64 g(0xC0DA0008u);
  using K = softnum::cuda::Kernel;
  for (const Shape& s : shapes) {
    for (std::ptrdiff_t chunk : {std::ptrdiff_t{0}, std::ptrdiff_t{64}, std::ptrdiff_t{5}}) {
      for (bool acc : {false, true}) {
        GemmOptions o;
        o.chunk = chunk;
        o.accumulate = acc;
        o.seed = 0x1234;
        run<C>(label, g, s, o, K::automatic, edge_pct, scale);
        if (generic_too && s.M * s.N * s.K <= 3000000)
          run<C>(label, g, s, o, K::generic, edge_pct, scale);
        if (stochastic && s.M * s.N * s.K <= 3000000) {
          o.round = Round::stochastic;
          o.output_round = Round::stochastic;
          run<C>(label, g, s, o, K::automatic, edge_pct, scale);
        }
      }
    }
  }
  // Strided (column-major) views.
  run<C>(label, g, Shape{70, 45, 90}, GemmOptions{}, K::automatic, edge_pct, scale, Layout::col);
}

// Stochastic rounding: two runs with one seed give the same bits; another seed differs.
void stochastic_reproducible() {
  std::mt19937_64 g(7);
  const Shape s{100, 90, 200};
  const auto a = random_matrix<binary16>(g, s.M * s.K, 0, 1.0);
  const auto b = random_matrix<binary16>(g, s.K * s.N, 0, 1.0);
  std::vector<binary16> zero(static_cast<std::size_t>(s.M * s.N));
  DeviceBuffer<binary16> da(a), db(b), dc1(zero), dc2(zero), dc3(zero);
  GemmOptions o;
  o.round = Round::stochastic;
  o.seed = 99;
  auto go = [&](binary16* c, std::uint64_t seed) {
    o.seed = seed;
    CUDA_OK(softnum::cuda::gemm(softnum::row_major(static_cast<const binary16*>(da.p), s.M, s.K),
                                softnum::row_major(static_cast<const binary16*>(db.p), s.K, s.N),
                                softnum::row_major(c, s.M, s.N), o)
                .error);
  };
  go(dc1.p, 99);
  go(dc2.p, 99);
  go(dc3.p, 100);
  CUDA_OK(cudaDeviceSynchronize());
  const auto r1 = dc1.get(zero.size()), r2 = dc2.get(zero.size()), r3 = dc3.get(zero.size());
  std::size_t same12 = 0, same13 = 0;
  for (std::size_t i = 0; i < r1.size(); ++i) {
    same12 += r1[i].bits() == r2[i].bits();
    same13 += r1[i].bits() == r3[i].bits();
  }
  ++checks;
  if (same12 != r1.size() || same13 == r1.size()) {
    ++failures;
    std::printf(
        "FAIL stochastic reproducibility: same seed %zu/%zu equal, other seed %zu/%zu equal\n",
        same12, r1.size(), same13, r1.size());
  } else {
    std::printf(
        "ok   stochastic rounding: same seed identical, other seed differs in %zu of %zu outputs\n",
        r1.size() - same13, r1.size());
  }
}

}  // namespace

int main() {
  cudaDeviceProp prop{};
  if (!cuda_support::device_present(prop)) return cuda_support::skip_code;
  std::printf("device: %s (sm_%d%d)\n", prop.name, prop.major, prop.minor);

  suite<case_binary16>("binary16 per-op", 5, 1.0, true);
  suite<case_binary16>("binary16 per-op tiny", 0, 1e-3, false, false);
  suite<case_bf16_f32>("bfloat16 fused fp32", 5, 1.0, false);
  suite<case_bf16_f32_out_bf16>("bfloat16 fused fp32 ->bf16", 5, 1e-19, false, false);
  suite<case_bf16>("bfloat16 per-op", 5, 1.0, false);
  suite<case_e4m3_f32>("e4m3fn fp32 acc", 5, 10.0, false);
  suite<case_e4m3_f32_fused>("e4m3fn fused fp32", 5, 10.0, false, false);
  suite<case_e4m3_h16>("e4m3fn binary16 acc", 5, 30.0, true);
  suite<case_e5m2_h16>("e5m2 binary16 acc", 5, 100.0, false, false);
  suite<case_train_binary16>("train: float -> binary16 acc", 5, 1.0, true,
                             false);  // softnum_train's model
  suite<case_train_e4m3>("train: float -> e4m3fn acc", 5, 30.0, true, false);
  suite<case_posit16>("posit16", 5, 1.0, true, false);
  suite<case_fixed8_8>("Fixed<8,8> exact", 5, 4.0, true);
  suite<case_fixed8_8_sat>("Fixed<8,8> saturating", 5, 30.0, false, false);
  suite<case_q7>("Fixed<1,7> exact (int8)", 5, 0.5, false, false);
  suite<case_fixed4_4_sat>("Fixed<4,4> saturating", 5, 3.0, false, false);
  stochastic_reproducible();

  std::printf("%d of %d comparisons bit-identical\n", checks - failures, checks);
  return failures == 0 ? 0 : 1;
}
