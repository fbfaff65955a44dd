// cuda_block_gemm: softnum::cuda::gemm_block (softnum/cuda/block_gemm.cuh) against the CPU's
// gemm_block (the scalar definition of the model) bit for bit, for every OCP MX alias and mixed
// element types: blocks encoded from random floats, random element codes with random scales
// (infinite and NaN elements, the NaN scale, the smallest and largest scales: results below
// float's subnormals and past its largest value), all-zero, all -0 and cancelling blocks, ragged
// m and n, kb = 1. The CPU's gemm_block_parallel is checked against the same reference here too
// (in this nvcc-compiled program it takes its portable path). Exits 77 without a CUDA device.
#include <softnum/block.hpp>
#include <softnum/cuda/block_gemm.cuh>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "support/cuda_device.cuh"

namespace {

int failures = 0, checks = 0;

std::uint32_t bits_of(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

template <class T>
T* to_device(const std::vector<T>& h) {
  T* p = nullptr;
  CUDA_OK(cudaMalloc(&p, (h.empty() ? 1 : h.size()) * sizeof(T)));
  CUDA_OK(cudaMemcpy(p, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice));
  return p;
}

/// Blocks of type B: kind 0 encoded from normal floats of random magnitude, kind 1 random codes
/// (specials included) with scales in [lo, hi], kind 2 hand-made zero / -0 / cancelling blocks.
template <class B>
std::vector<B> blocks(std::mt19937_64& g, std::size_t count, int kind, int lo, int hi) {
  using E = typename B::element_type;
  using S = typename B::scale_type;
  std::vector<B> out;
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_int_distribution<int> mag(-40, 40), scale(lo, hi);
  std::uniform_int_distribution<unsigned> code(0, (1u << B::element_bits) - 1u);
  std::vector<float> x(B::block_size);
  std::vector<E> e(B::block_size);
  for (std::size_t n = 0; n < count; ++n) {
    if (kind == 0) {
      const float s = std::ldexp(1.0f, mag(g));
      for (float& v : x) v = normal(g) * s;
      out.push_back(
          B::encode(x.data(), n % 2 ? softnum::ScaleRule::ceil : softnum::ScaleRule::floor));
      continue;
    }
    const auto sc = S::from_bits(static_cast<std::uint8_t>(scale(g)));
    for (int i = 0; i < B::block_size; ++i) {
      unsigned c = code(g);
      if (kind == 2) {
        const E one = E(1.0);
        switch (n % 4) {
          case 0:
            c = 0u;
            break;  // +0
          case 1:
            c = static_cast<unsigned>((-E(0.0)).bits());
            break;  // -0 (where it exists)
          case 2:
            c = static_cast<unsigned>((i % 2 ? -one : one).bits());
            break;  // cancels
          default:
            c = i == 0 ? c : 0u;
            break;  // one element
        }
      }
      e[static_cast<std::size_t>(i)] = E::from_bits(static_cast<typename E::storage_type>(c));
    }
    out.push_back(B::from_elements(sc, e.data()));
  }
  return out;
}

template <class BA, class BB>
void check(const char* what, std::mt19937_64& g, std::size_t m, std::size_t n, std::size_t kb,
           int kind, int lo, int hi) {
  const std::vector<BA> a = blocks<BA>(g, m * kb, kind, lo, hi);
  const std::vector<BB> b = blocks<BB>(g, n * kb, kind, lo, hi);
  std::vector<float> ref(m * n), par(m * n), gpu(m * n);
  softnum::gemm_block(m, n, kb, a.data(), b.data(), ref.data());
  softnum::gemm_block_parallel(m, n, kb, a.data(), b.data(), par.data());
  BA* da = to_device(a);
  BB* db = to_device(b);
  float* dc = to_device(std::vector<float>(m * n, 12345.0f));
  const cudaError_t e = softnum::cuda::gemm_block(m, n, kb, da, db, dc);
  CUDA_OK(cudaDeviceSynchronize());
  CUDA_OK(cudaMemcpy(gpu.data(), dc, m * n * sizeof(float), cudaMemcpyDeviceToHost));
  cudaFree(da);
  cudaFree(db);
  cudaFree(dc);
  std::size_t bad = 0, first = 0, bad_cpu = 0;
  for (std::size_t x = 0; x < m * n; ++x) {
    if (bits_of(gpu[x]) != bits_of(ref[x]) && bad++ == 0) first = x;
    bad_cpu += bits_of(par[x]) != bits_of(ref[x]);
  }
  ++checks;
  if (e != cudaSuccess || bad != 0 || bad_cpu != 0) {
    ++failures;
    std::printf(
        "FAIL %s %zux%zux%zu kind %d scales [%d, %d]: %s, %zu of %zu differ (first %zu: "
        "gpu 0x%08x cpu 0x%08x), gemm_block_parallel: %zu differ\n",
        what, m, n, kb, kind, lo, hi, cudaGetErrorString(e), bad, m * n, first,
        bad ? bits_of(gpu[first]) : 0u, bad ? bits_of(ref[first]) : 0u, bad_cpu);
  } else {
    std::printf("ok   %s %zux%zux%zu kind %d scales [%d, %d] (%zu outputs)\n", what, m, n, kb, kind,
                lo, hi, m * n);
  }
}

template <class BA, class BB>
void check_all(const char* what, std::mt19937_64& g) {
  check<BA, BB>(what, g, 67, 45, 8, 0, 0, 0);      // random floats
  check<BA, BB>(what, g, 33, 70, 5, 1, 110, 145);  // random codes, ordinary scales
  check<BA, BB>(what, g, 17, 19, 3, 1, 0, 255);    // any scale (NaN included)
  check<BA, BB>(what, g, 20, 21, 4, 1, 0, 12);     // results below and in the subnormals
  check<BA, BB>(what, g, 20, 21, 4, 1, 240, 254);  // results past float's largest value
  check<BA, BB>(what, g, 16, 16, 1, 2, 100, 140);  // zeros, -0, cancellation; kb = 1
  check<BA, BB>(what, g, 9, 31, 3, 2, 0, 254);
  check<BA, BB>(what, g, 1, 1, 1, 0, 0, 0);
}

}  // namespace

int main() {
  cudaDeviceProp prop;
  if (!cuda_support::device_present(prop)) return cuda_support::skip_code;
  std::printf("device: %s (sm_%d%d)\n", prop.name, prop.major, prop.minor);
  std::mt19937_64 g(15);
  check_all<softnum::mxfp8_e4m3, softnum::mxfp8_e4m3>("mxfp8_e4m3", g);
  check_all<softnum::mxfp8_e5m2, softnum::mxfp8_e5m2>("mxfp8_e5m2", g);
  check_all<softnum::mxfp6_e3m2, softnum::mxfp6_e3m2>("mxfp6_e3m2", g);
  check_all<softnum::mxfp6_e2m3, softnum::mxfp6_e2m3>("mxfp6_e2m3", g);
  check_all<softnum::mxfp4, softnum::mxfp4>("mxfp4", g);
  check_all<softnum::mxint8, softnum::mxint8>("mxint8", g);
  check_all<softnum::mxfp8_e4m3, softnum::mxfp8_e5m2>("mxfp8_e4m3 x mxfp8_e5m2", g);
  check_all<softnum::mxfp4, softnum::mxfp8_e4m3>("mxfp4 x mxfp8_e4m3", g);
  check_all<softnum::mxfp6_e3m2, softnum::mxfp6_e2m3>("mxfp6_e3m2 x mxfp6_e2m3", g);
  std::printf("%d of %d comparisons bit-identical\n", checks - failures, checks);
  return failures == 0 ? 0 : 1;
}
