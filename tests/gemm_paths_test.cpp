// Host test of the GPU GEMM's step sequences (include/softnum/gemm/gemm_paths.hpp): every path
// that applies to a model gives the bits of gemm_reference, run on the host with the same
// SOFTNUM_HOST_DEVICE code the CUDA kernels run. The device itself is tested by tests/cuda/.
#include <softnum/gemm/gemm_paths.hpp>

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/gemm_models.hpp"

using namespace softnum_test;
namespace gp = softnum::detail::gemm_paths;

namespace {

struct Shape {
  std::ptrdiff_t M, N, K;
};

// Runs Path over all outputs of row-major A (MxK), B (KxN), C (MxN) and compares with
// gemm_reference. Returns the number of outputs compared (0 if the path does not apply).
template <class Path, class C>
std::ptrdiff_t check_path(const std::vector<typename C::TA>& a,
                          const std::vector<typename C::TB>& b,
                          const std::vector<typename C::TC>& c0,
                          const std::vector<typename C::TC>& want, Shape s, const GemmOptions& o) {
  const gp::Context ctx = gp::make_context(o, s.K);
  if (!Path::applies(ctx)) return 0;
  for (std::ptrdiff_t i = 0; i < s.M; ++i) {
    for (std::ptrdiff_t j = 0; j < s.N; ++j) {
      const auto idx = static_cast<std::size_t>(i * s.N + j);
      const typename C::TC got =
          gp::run_element<Path>(a.data() + i * s.K, 1, b.data() + j, s.N, c0[idx], i, j, ctx);
      if (!same_bits(got, want[idx])) {
        FAIL_CHECK(Path::name << " differs at (" << i << "," << j << ") M=" << s.M << " N=" << s.N
                              << " K=" << s.K << " chunk=" << o.chunk
                              << " accumulate=" << o.accumulate << ": got 0x" << std::hex
                              << bits_of(got) << " want 0x" << bits_of(want[idx]));
        return -1;
      }
    }
  }
  return s.M * s.N;
}

// All paths against the reference for one case, options and shape. `expect` names the fast
// path that must apply (nullptr: only the generic one).
template <class C>
void check_case(std::mt19937_64& g, Shape s, GemmOptions o, int edge_pct, const char* expect,
                double scale = 1.0) {
  using TA = typename C::TA;
  using TB = typename C::TB;
  using TC = typename C::TC;
  using Model = typename C::Model;
  const auto a = random_matrix<TA>(g, s.M * s.K, edge_pct, scale);
  const auto b = random_matrix<TB>(g, s.K * s.N, edge_pct, scale);
  const auto c0 = random_matrix<TC>(g, s.M * s.N, edge_pct, scale);
  std::vector<TC> want = c0;
  gemm_reference<Model>(row_major(a.data(), s.M, s.K), row_major(b.data(), s.K, s.N),
                        row_major(want.data(), s.M, s.N), o);
  CHECK(check_path<gp::GenericPath<Model, TA, TB, TC>, C>(a, b, c0, want, s, o) == s.M * s.N);
  const std::ptrdiff_t f32 = check_path<gp::F32Path<Model, TA, TB, TC>, C>(a, b, c0, want, s, o);
  const std::ptrdiff_t small =
      check_path<gp::SmallFloatPath<Model, TA, TB, TC>, C>(a, b, c0, want, s, o);
  const std::ptrdiff_t fixed =
      check_path<gp::FixedPath<Model, TA, TB, TC>, C>(a, b, c0, want, s, o);
  const std::ptrdiff_t dbl = check_path<gp::DoublePath<Model, TA, TB, TC>, C>(a, b, c0, want, s, o);
  CHECK(dbl >= 0);
  CHECK(f32 >= 0);
  CHECK(small >= 0);
  CHECK(fixed >= 0);
  if (expect != nullptr && s.K > 0) {
    const std::string e = expect;
    const std::ptrdiff_t n = e == "f32"           ? f32
                             : e == "small_float" ? small
                             : e == "double"      ? dbl
                                                  : fixed;
    CHECK(n == s.M * s.N);
  }
}

const Shape shapes[] = {{1, 1, 1},  {1, 7, 33},  {6, 1, 17},  {3, 5, 0},    {5, 4, 64},
                        {4, 3, 65}, {7, 9, 130}, {2, 3, 200}, {16, 16, 16}, {3, 2, 1000}};

template <class C>
void check_all(const char* expect, int edge_pct, double scale = 1.0, bool stochastic = false,
               const char* stochastic_expect = nullptr) {
  std::mt19937_64 g(0x5EED0008u);
  for (const Shape& s : shapes) {
    for (std::ptrdiff_t chunk : {std::ptrdiff_t{0}, std::ptrdiff_t{64}, std::ptrdiff_t{7}}) {
      for (bool acc : {false, true}) {
        GemmOptions o;
        o.chunk = chunk;
        o.accumulate = acc;
        o.seed = 42;
        check_case<C>(g, s, o, edge_pct, expect, scale);
        if (stochastic) {
          o.round = Round::stochastic;
          o.output_round = Round::stochastic;
          check_case<C>(g, s, o, edge_pct, stochastic_expect, scale);
          o.round = Round::down;  // a directed mode: zero signs of exact cancellations
          o.output_round = Round::nearest_even;
          check_case<C>(g, s, o, edge_pct, stochastic_expect, scale);
        }
      }
    }
  }
}

}  // namespace

TEST_CASE("gemm paths: binary16 per-op nearest-even", "[gemm_paths]") {
  check_all<case_binary16>("small_float", 0);
  check_all<case_binary16>("small_float", 10, 1.0, true, "double");
  check_all<case_binary16>("small_float", 0, 1e4);   // overflow to inf
  check_all<case_binary16>("small_float", 0, 1e-4);  // subnormal products and sums
}

TEST_CASE("gemm paths: bfloat16 with fused fp32 accumulation", "[gemm_paths]") {
  check_all<case_bf16_f32>("f32", 0);
  check_all<case_bf16_f32>("f32", 10);
  check_all<case_bf16_f32>("f32", 0, 1e-20);
  check_all<case_bf16_f32_out_bf16>("f32", 10);
}

TEST_CASE("gemm paths: bfloat16 per-op", "[gemm_paths]") {
  check_all<case_bf16>("small_float", 10);
  check_all<case_bf16>("small_float", 0, 1e-19);  // products below fp32's normal range
}

TEST_CASE("gemm paths: float8_e4m3fn with fp32 accumulation", "[gemm_paths]") {
  check_all<case_e4m3_f32>("f32", 0);
  check_all<case_e4m3_f32>("f32", 10);
  check_all<case_e4m3_f32_fused>("f32", 10);
}

TEST_CASE("gemm paths: fp8 with binary16 accumulation (chunked)", "[gemm_paths]") {
  check_all<case_e4m3_h16>("small_float", 0, 30.0);
  check_all<case_e4m3_h16>("small_float", 10);
  check_all<case_e5m2_h16>("small_float", 10, 100.0);
  check_all<case_e4m3_p_e5m2_h16>("small_float", 10, 30.0, true, "double");  // P != A
}

TEST_CASE("gemm paths: fused small-format accumulation of float storage (the training model)",
          "[gemm_paths]") {
  check_all<case_train_binary16>("double", 10, 1.0, true, "double");
  check_all<case_train_e4m3>("double", 10, 30.0, true, "double");
  check_all<case_train_bf16>("double", 10, 1e-20, true, "double");
  check_all<case_e4m3_h16>("small_float", 0, 30.0, true, "double");
}

TEST_CASE("gemm paths: posit16", "[gemm_paths]") {
  check_all<case_posit16>(nullptr, 10, 1.0, true);
}

TEST_CASE("gemm paths: Fixed<8,8> exact accumulation", "[gemm_paths]") {
  check_all<case_fixed8_8>("fixed", 10, 4.0, true);
  check_all<case_fixed8_8_sat>("fixed", 10, 30.0, true);  // the accumulator saturates
  check_all<case_q7>("fixed", 10, 0.5, true);
  check_all<case_fixed4_4_sat>("fixed", 10, 3.0, true);
}
