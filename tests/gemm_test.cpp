// Tests for softnum/gemm.hpp.
//  (a) gemm_reference (the model code) against an independent loop written on the oracle
//      (tests/oracle/oracle.hpp, Boost cpp_int), rounding per op as the model paragraph says:
//      Float formats, fused and unfused, chunked, directed and stochastic modes, accumulate.
//  (b) gemm (the SIMD kernels, on 1, 2 and 3 threads, on every instruction set the machine has:
//      AVX-512, AVX2 and the generic copy) bit-identical to gemm_reference for every model with a
//      fast kernel, on random and edge-case matrices (odd sizes, 1xK, Kx1, K = 0, K not a
//      multiple of the chunk or of the SIMD width, NaN/inf/overflow/subnormal entries).
#include <softnum/gemm.hpp>
#include <softnum/softnum.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

#include "support/float_oracle_bridge.hpp"

using namespace softnum;

namespace {

using Idx = std::ptrdiff_t;

std::size_t uz(Idx x) { return static_cast<std::size_t>(x); }

// ----- value generators: mostly ordinary values, some arbitrary bit patterns (every special) ----

template <class T>
T random_value(std::mt19937_64& g, double special_rate, double scale = 1.0) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> n(0.0, scale);
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    if (u(g) < special_rate) {
      const auto b = static_cast<std::uint64_t>(g());
      T f;
      std::memcpy(&f, &b, sizeof f);
      return f;
    }
    return static_cast<T>(n(g));
  } else {
    if (u(g) < special_rate) return T::from_bits(static_cast<typename T::storage_type>(g()));
    return T(n(g));
  }
}

template <class T>
std::vector<T> random_matrix(std::mt19937_64& g, Idx count, double special_rate, double scale = 1.0) {
  std::vector<T> v(uz(count));
  for (T& x : v) x = random_value<T>(g, special_rate, scale);
  return v;
}

template <class T>
bool same_bits(const T& a, const T& b) {
  return std::memcmp(&a, &b, sizeof(T)) == 0;
}

// ----- (a) the independent oracle loop ------------------------------------------------------------

template <class T>
oracle::Format fmt() {
  if constexpr (std::is_same_v<T, float>) {
    return oracle::Format{8, 23};
  } else {
    return bridge::format<T>();
  }
}

template <class T>
oracle::Bits bits_of(const T& x) {
  if constexpr (std::is_same_v<T, float>) {
    std::uint32_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
  } else {
    return static_cast<oracle::Bits>(x.bits());
  }
}

template <class T>
int sr_bits_of() {
  if constexpr (std::is_same_v<T, float>) return detail::stochastic_bits(23);
  else return bridge::sr_bits<T>();
}

/// The model, written again on the oracle: one Exact per value, one oracle::round per rounding.
template <class P, class Acc, class TA, class TB, class TC>
oracle::Bits oracle_element(const std::vector<TA>& a, const std::vector<TB>& b, Idx K, Idx N, Idx i, Idx j,
                            const TC& c_in, const GemmOptions& o) {
  constexpr bool fused = std::is_same_v<P, exact_product>;
  const oracle::Mode mode = bridge::mode(o.round);
  const oracle::Format fa = fmt<Acc>();
  const std::uint64_t element = (static_cast<std::uint64_t>(i) << 32) | static_cast<std::uint64_t>(j);
  auto word = [&](Round m, Idx k, unsigned role) -> std::uint32_t {
    return m == Round::stochastic ? random_word(o.seed, element, 4 * static_cast<std::uint64_t>(k) + role) : 0u;
  };
  auto to_acc = [&](const oracle::Exact& e, Idx k, unsigned role) {
    return oracle::decode(oracle::round(e, fa, mode, word(o.round, k, role), sr_bits_of<Acc>()), fa);
  };
  oracle::Exact total = oracle::Exact{oracle::Exact::zero, false, 0, 0, false};
  if (o.accumulate) total = to_acc(oracle::decode(bits_of(c_in), fmt<TC>()), K, 2);
  const Idx c = o.chunk > 0 ? o.chunk : K;
  for (Idx k0 = 0; k0 < K; k0 += c) {
    const Idx k1 = std::min(K, k0 + c);
    oracle::Exact s = o.chunk > 0 ? oracle::Exact{oracle::Exact::zero, false, 0, 0, false} : total;
    for (Idx k = k0; k < k1; ++k) {
      const oracle::Exact x = oracle::decode(bits_of(a[uz(i * K + k)]), fmt<TA>());
      const oracle::Exact y = oracle::decode(bits_of(b[uz(k * N + j)]), fmt<TB>());
      oracle::Exact e;
      if constexpr (fused) {
        e = oracle::fma(x, y, s, mode);
      } else {
        const oracle::Format fp = fmt<P>();
        const oracle::Exact p =
            oracle::decode(oracle::round(oracle::mul(x, y), fp, mode, word(o.round, k, 0), sr_bits_of<P>()), fp);
        e = oracle::add(s, p, mode);
      }
      s = to_acc(e, k, 1);
    }
    total = o.chunk > 0 ? to_acc(oracle::add(total, s, mode), k1 - 1, 2) : s;
  }
  return oracle::round(total, fmt<TC>(), bridge::mode(o.output_round), word(o.output_round, K, 3),
                       sr_bits_of<TC>());
}

template <class Model, class TA, class TB, class TC>
void check_against_oracle(Idx M, Idx K, Idx N, GemmOptions o, std::uint64_t seed, double special_rate) {
  using P = detail::or_type<typename Model::product, TC>;
  using Acc = detail::or_type<typename Model::accumulator, TC>;
  std::mt19937_64 g(seed);
  const auto a = random_matrix<TA>(g, M * K, special_rate);
  const auto b = random_matrix<TB>(g, K * N, special_rate);
  auto c = random_matrix<TC>(g, M * N, special_rate);
  const auto c_in = c;
  gemm_reference<Model>(row_major(a.data(), M, K), row_major(b.data(), K, N), row_major(c.data(), M, N), o);
  long bad = 0;
  for (Idx i = 0; i < M; ++i)
    for (Idx j = 0; j < N; ++j) {
      const oracle::Bits want = oracle_element<P, Acc>(a, b, K, N, i, j, c_in[uz(i * N + j)], o);
      const oracle::Bits got = bits_of(c[uz(i * N + j)]);
      const oracle::Format f = fmt<TC>();
      if (want != got && !(oracle::is_nan(want, f) && oracle::is_nan(got, f))) {
        if (++bad <= 3) {
          FAIL_CHECK("(" << i << "," << j << ") mode " << bridge::mode_name(o.round) << " chunk " << o.chunk
                         << ": oracle " << oracle::describe(want, f) << ", gemm_reference "
                         << oracle::describe(got, f));
        }
      }
    }
  CHECK(bad == 0);
}

template <class T>
std::string bits_hex(const T& x) {
  std::uint64_t b = 0;
  std::memcpy(&b, &x, sizeof(T) < sizeof b ? sizeof(T) : sizeof b);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(b));
  return buf;
}

// ----- (b) gemm against gemm_reference ------------------------------------------------------------

struct Shape {
  Idx M, K, N;
};
// Odd sizes, 1xK, Kx1, K = 0, K = 1, K not a multiple of 64 or 16; three large enough for the
// driver to use threads (M*N*K >= 2^15).
constexpr Shape kShapes[] = {{1, 1, 1}, {1, 37, 1}, {1, 70, 33}, {29, 70, 1}, {5, 0, 7},  {3, 1, 40},
                             {37, 53, 45}, {13, 130, 70}, {64, 64, 64}, {6, 200, 33}, {70, 9, 65}};

template <class Model, class TA, class TB, class TC>
void check_fast(GemmOptions o, double special_rate, std::uint64_t seed, double scale = 1.0) {
  const int isa_max = detail::gemm_fast::detected_isa();
  for (const Shape& s : kShapes) {
    std::mt19937_64 g(seed ^ static_cast<std::uint64_t>(s.M * 1000003 + s.K * 1009 + s.N));
    const auto a = random_matrix<TA>(g, s.M * s.K, special_rate, scale);
    const auto b = random_matrix<TB>(g, s.K * s.N, special_rate, scale);
    const auto c0 = random_matrix<TC>(g, s.M * s.N, special_rate, scale);
    // Column-major B as well: the kernels read any strides.
    std::vector<TB> bt(b.size());
    for (Idx k = 0; k < s.K; ++k)
      for (Idx j = 0; j < s.N; ++j) bt[uz(j * s.K + k)] = b[uz(k * s.N + j)];
    auto want = c0;
    gemm_reference<Model>(row_major(a.data(), s.M, s.K), row_major(b.data(), s.K, s.N),
                          row_major(want.data(), s.M, s.N), o);
    for (int isa = 0; isa <= isa_max; ++isa) {
      detail::gemm_fast::isa_limit() = isa;
      for (unsigned threads : {1u, 2u, 3u}) {
        GemmOptions ot = o;
        ot.threads = threads;
        auto got = c0;
        if (threads == 2) {
          gemm<Model>(row_major(a.data(), s.M, s.K), col_major(bt.data(), s.K, s.N), row_major(got.data(), s.M, s.N), ot);
        } else {
          gemm<Model>(row_major(a.data(), s.M, s.K), row_major(b.data(), s.K, s.N), row_major(got.data(), s.M, s.N), ot);
        }
        long bad = 0;
        for (std::size_t t = 0; t < got.size(); ++t) {
          if (!same_bits(got[t], want[t]) && ++bad <= 3) {
            FAIL_CHECK("shape " << s.M << "x" << s.K << "x" << s.N << " isa " << isa << " threads " << threads
                                << " element " << t << ": gemm " << static_cast<double>(got[t]) << " (bits "
                                << bits_hex(got[t]) << "), reference " << static_cast<double>(want[t]) << " (bits "
                                << bits_hex(want[t]) << ")");
          }
        }
        CHECK(bad == 0);
      }
    }
    detail::gemm_fast::isa_limit() = -1;
  }
}

/// Float inputs that hold values of a narrower format T (as training code passes them).
template <class T>
std::vector<float> as_float(const std::vector<T>& v) {
  std::vector<float> f(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) f[i] = static_cast<float>(v[i]);
  return f;
}

}  // namespace

// ======================================================================================================

TEST_CASE("gemm_reference follows the model (oracle loop)", "[gemm][oracle]") {
  const Round modes[] = {Round::nearest_even, Round::toward_zero, Round::up, Round::stochastic};
  for (Round r : modes) {
    GemmOptions o;
    o.round = r;
    o.seed = 0x1234;
    for (Idx chunk : {Idx{0}, Idx{5}}) {
      o.chunk = chunk;
      o.accumulate = chunk == 5;
      check_against_oracle<Accumulation<>, binary16, binary16, binary16>(4, 13, 5, o, 1, 0.1);
      check_against_oracle<Accumulation<exact_product, binary32>, bfloat16, bfloat16, binary32>(4, 13, 5, o, 2, 0.1);
      check_against_oracle<Accumulation<exact_product, binary16>, float8_e4m3fn, float8_e4m3fn, binary16>(4, 13, 5, o, 3,
                                                                                                         0.1);
      check_against_oracle<Accumulation<float8_e5m2, binary16>, float8_e5m2, float8_e5m2, float8_e5m2>(4, 13, 5, o, 4,
                                                                                                      0.1);
      check_against_oracle<Accumulation<exact_product, float>, float8_e5m2, float8_e4m3fn, float>(3, 9, 4, o, 5, 0.1);
      check_against_oracle<Accumulation<bfloat16, float8_e4m3fnuz>, bfloat16, binary16, binary16>(3, 9, 4, o, 6, 0.2);
    }
  }
  // A different output rounding.
  GemmOptions o;
  o.output_round = Round::up;
  check_against_oracle<Accumulation<binary16, float>, binary16, binary16, float8_e4m3fn>(4, 13, 5, o, 7, 0.05);
}

TEST_CASE("gemm is bit-identical to gemm_reference: binary16 per-op", "[gemm][fast]") {
  check_fast<Accumulation<>, binary16, binary16, binary16>({}, 0.02, 11);
  check_fast<Accumulation<>, binary16, binary16, binary16>({}, 0.02, 12, 300.0);  // overflow to inf
  GemmOptions o;
  o.accumulate = true;
  o.chunk = 16;
  check_fast<Accumulation<>, binary16, binary16, binary16>(o, 0.02, 13);
}

TEST_CASE("gemm is bit-identical to gemm_reference: bfloat16 and fp8 with float accumulation", "[gemm][fast]") {
  check_fast<Accumulation<exact_product, float>, bfloat16, bfloat16, float>({}, 0.02, 21);
  check_fast<Accumulation<exact_product, float>, bfloat16, bfloat16, float>({}, 0.3, 22);  // wide ranges: V2
  check_fast<Accumulation<exact_product, float>, float8_e4m3fn, float8_e4m3fn, float>({}, 0.05, 23);
  check_fast<Accumulation<exact_product, float>, float8_e5m2, float8_e4m3fn, bfloat16>({}, 0.05, 24);
  GemmOptions o;
  o.accumulate = true;
  check_fast<Accumulation<exact_product, float>, float8_e4m3fn, float8_e4m3fn, float>(o, 0.05, 25);
  check_fast<Accumulation<bfloat16, float>, bfloat16, bfloat16, double>({}, 0.05, 26);
}

TEST_CASE("gemm is bit-identical to gemm_reference: fp8 with binary16 accumulation, chunked", "[gemm][fast]") {
  GemmOptions o;
  o.chunk = 64;
  check_fast<Accumulation<exact_product, binary16>, float8_e4m3fn, float8_e4m3fn, float>(o, 0.05, 31);
  check_fast<Accumulation<float8_e5m2, binary16>, float8_e5m2, float8_e5m2, binary16>(o, 0.05, 32);
  o.chunk = 7;
  check_fast<Accumulation<exact_product, binary16>, float8_e5m2, float8_e5m2, float8_e5m2>(o, 0.05, 33, 100.0);
  check_fast<Accumulation<exact_product, float8_e4m3fnuz>, float8_e4m3fn, float8_e4m3fn, float>(o, 0.05, 34);
  check_fast<Accumulation<float8_e4m3fn, float8_e4m3fn>, float8_e4m3fn, float8_e4m3fn, float8_e4m3fn>(o, 0.05, 35);
}

TEST_CASE("gemm is bit-identical to gemm_reference: float inputs holding narrow values", "[gemm][fast]") {
  // The kernels find out from the data whether products are exact in float (V1) or need double (V2).
  for (std::uint64_t seed : {41u, 42u}) {
    std::mt19937_64 g(seed);
    const Idx M = 37, K = 130, N = 45;
    const auto a16 = random_matrix<bfloat16>(g, M * K, 0.0), b16 = random_matrix<bfloat16>(g, K * N, 0.0);
    std::vector<float> a = as_float(a16), b = as_float(b16);
    if (seed == 42) a[5] = 1.0f + 0x1p-20f;  // one wide significand: the double kernel
    for (int isa = 0; isa <= detail::gemm_fast::detected_isa(); ++isa) {
      detail::gemm_fast::isa_limit() = isa;
      for (unsigned threads : {1u, 2u}) {
        GemmOptions o;
        o.threads = threads;
        std::vector<float> want(uz(M * N)), got(uz(M * N));
        gemm_reference<Accumulation<exact_product, float>>(row_major(a.data(), M, K), row_major(b.data(), K, N),
                                                           row_major(want.data(), M, N), o);
        gemm<Accumulation<exact_product, float>>(row_major(a.data(), M, K), row_major(b.data(), K, N),
                                                 row_major(got.data(), M, N), o);
        CHECK(std::memcmp(want.data(), got.data(), want.size() * sizeof(float)) == 0);
        o.chunk = 32;
        gemm_reference<Accumulation<binary16, binary16>>(row_major(a.data(), M, K), row_major(b.data(), K, N),
                                                         row_major(want.data(), M, N), o);
        gemm<Accumulation<binary16, binary16>>(row_major(a.data(), M, K), row_major(b.data(), K, N),
                                               row_major(got.data(), M, N), o);
        CHECK(std::memcmp(want.data(), got.data(), want.size() * sizeof(float)) == 0);
      }
    }
    detail::gemm_fast::isa_limit() = -1;
  }
  check_fast<Accumulation<exact_product, float>, float, float, float>({}, 0.02, 43);
  check_fast<Accumulation<bfloat16, binary16>, float, float, float>({}, 0.02, 44);
}

TEST_CASE("gemm is bit-identical to gemm_reference: posit16", "[gemm][fast][posit]") {
  check_fast<Accumulation<>, posit16, posit16, posit16>({}, 0.05, 51);
  check_fast<Accumulation<>, posit16, posit16, posit16>({}, 0.05, 52, 1e6);  // near maxpos: recomputed
  GemmOptions o;
  o.chunk = 16;
  o.accumulate = true;
  check_fast<Accumulation<>, posit8, posit8, posit8>(o, 0.05, 53);
  check_fast<Accumulation<posit16, posit16>, posit16, posit16, float>(o, 0.05, 54);
}

TEST_CASE("gemm is bit-identical to gemm_reference: Fixed<8,8> with int32 accumulation", "[gemm][fast][fixed]") {
  using Q8 = Fixed<8, 8>;
  using Q16 = Fixed<16, 16>;
  check_fast<Accumulation<exact_product, Q16>, Q8, Q8, Q8>({}, 0.05, 61);
  check_fast<Accumulation<exact_product, Q16>, Q8, Q8, Q8>({}, 1.0, 62);  // raw bits: saturation
  GemmOptions o;
  o.chunk = 64;
  o.accumulate = true;
  o.round = Round::stochastic;  // nothing is rounded before the output: any mode
  o.output_round = Round::stochastic;
  check_fast<Accumulation<Q16, Q16>, Q8, Q8, Q16>(o, 1.0, 63);
  check_fast<Accumulation<exact_product, with_fixed_overflow_t<Q16, FixedOverflow::wrap>>, Q8, Q8, float>({}, 1.0, 64);
}

TEST_CASE("gemm is bit-identical to gemm_reference: float inputs, posit accumulator",
          "[gemm][fast][posit]") {
  // Float containers (as softnum_train passes them), exact products fused into a posit
  // accumulator: the double-lane kernel with round-to-odd sums and posit rounding.
  check_fast<Accumulation<exact_product, posit16>, float, float, float>({}, 0.02, 71);
  check_fast<Accumulation<exact_product, posit16>, float, float, float>({}, 0.02, 72,
                                                                        1e6);  // tapered ends
  check_fast<Accumulation<exact_product, posit16>, float, float, float>({}, 0.0, 73, 1e-5);
  // Lanes at the tapered ends are rounded one by one inside the kernel (fix_lanes).
  check_fast<Accumulation<exact_product, posit8>, float, float, float>({}, 0.0, 79, 1e-3);
  check_fast<Accumulation<exact_product, posit16>, float, float, float>({}, 0.1, 70, 1e-9);
  check_fast<Accumulation<exact_product, Posit<16, 1>>, float, float, Posit<16, 1>>({}, 0.05, 74);
  GemmOptions o;
  o.chunk = 16;
  o.accumulate = true;
  check_fast<Accumulation<exact_product, posit8>, float, float, float>(o, 0.05, 75);
  check_fast<Accumulation<exact_product, posit32>, float, float, float>(o, 0.05, 76);
  o.output_round = Round::stochastic;
  check_fast<Accumulation<exact_product, posit16>, float, float, binary16>(o, 0.02, 77);
  o.round = Round::stochastic;  // the kernel's stochastic copy (more below)
  check_fast<Accumulation<exact_product, posit16>, float, float, float>(o, 0.02, 78);
}

namespace {

/// Whether the fast kernels (not the generic model) compute gemm<Model> of float inputs with
/// options o: so that a stochastic test below cannot pass by falling back to the reference.
template <class Model, class TC>
bool kernel_applies(const GemmOptions& o) {
#if SOFTNUM_GEMM_SIMD
  std::vector<float> a(6, 1.0f), b(6, 1.0f);
  std::vector<TC> c(4);
  const MatrixView<const float> A = row_major(a.data(), 2, 3), B = row_major(b.data(), 3, 2);
  return detail::gemm_fast::try_rows<Model>(A, B, row_major(c.data(), 2, 2), o, 0, 2);
#else
  (void)o;
  return false;
#endif
}

}  // namespace

TEST_CASE(
    "gemm is bit-identical to gemm_reference: stochastic rounding into a posit or fixed "
    "accumulator",
    "[gemm][fast][stochastic]") {
  // Float containers with exact products fused into a posit or saturating fixed-point
  // accumulator, Round::stochastic: the kernel draws the model's Philox words across lanes.
  // Random values with specials (NaN, inf, huge: the lanes that fall back to the model), K not a
  // multiple of the vector width, chunks, C + A*B, large and tiny scales (posit tapered ends,
  // fixed saturation, products far below the fixed grid), seeds with both key halves used.
  using Q8 = Fixed<8, 8>;
  using Q4 = Fixed<4, 12>;
  GemmOptions o;
  o.round = Round::stochastic;
  o.seed = 0x9E3779B97F4A7C15u;
#if SOFTNUM_GEMM_SIMD
  CHECK(kernel_applies<Accumulation<exact_product, posit16>, float>(o));
  CHECK(kernel_applies<Accumulation<exact_product, posit16_1>, float>(o));
  CHECK(kernel_applies<Accumulation<exact_product, posit8>, float>(o));
  CHECK(kernel_applies<Accumulation<exact_product, Q8>, float>(o));
  CHECK(kernel_applies<Accumulation<exact_product, Q4>, float>(o));
  // Too many fraction bits for 32 random bits below a double's 53: the generic model.
  CHECK_FALSE(kernel_applies<Accumulation<exact_product, posit32>, float>(o));
  CHECK_FALSE(kernel_applies<Accumulation<exact_product, Fixed<16, 16>>, float>(o));
  o.round = Round::toward_zero;
  CHECK_FALSE(kernel_applies<Accumulation<exact_product, posit16>, float>(o));
  o.round = Round::stochastic;
#endif
  check_fast<Accumulation<exact_product, posit16>, float, float, float>(o, 0.02, 91);
  check_fast<Accumulation<exact_product, posit16>, float, float, float>(o, 0.02, 92,
                                                                        1e6);  // tapered ends
  check_fast<Accumulation<exact_product, posit16>, float, float, float>(o, 0.0, 93, 1e-5);
  check_fast<Accumulation<exact_product, posit16_1>, float, float, posit16_1>(o, 0.05, 94);
  check_fast<Accumulation<exact_product, posit8>, float, float, float>(o, 0.05, 95, 4.0);
  check_fast<Accumulation<exact_product, posit8>, float, float, float>(o, 0.0, 107,
                                                                       1e-3);  // tapered ends
  check_fast<Accumulation<exact_product, posit16>, float, float, float>(o, 0.0, 108,
                                                                        1e-9);  // tapered ends
  check_fast<Accumulation<exact_product, Q8>, float, float, float>(o, 0.02, 96);
  check_fast<Accumulation<exact_product, Q8>, float, float, float>(o, 0.0, 97, 30.0);  // saturation
  check_fast<Accumulation<exact_product, Q8>, float, float, float>(o, 0.0, 98,
                                                                   0x1p-6);  // below the grid
  check_fast<Accumulation<exact_product, Q4>, float, float, float>(o, 0.05, 99);
  o.seed = 7;
  o.chunk = 7;
  o.accumulate = true;
  check_fast<Accumulation<exact_product, posit16>, float, float, float>(o, 0.02, 101);
  check_fast<Accumulation<exact_product, posit8>, float, float, float>(o, 0.05, 102);
  check_fast<Accumulation<exact_product, Q8>, float, float, float>(o, 0.05, 103, 4.0);
  check_fast<Accumulation<exact_product, Q4>, float, float, float>(o, 0.05, 104);
  o.chunk = 64;
  o.output_round = Round::stochastic;
  check_fast<Accumulation<exact_product, posit16>, float, float, binary16>(o, 0.02, 105);
  check_fast<Accumulation<exact_product, Q8>, float, float, bfloat16>(o, 0.02, 106, 8.0);
}

TEST_CASE("gemm is bit-identical to gemm_reference: float inputs, fixed-point accumulator",
          "[gemm][fast][fixed]") {
  using Q8 = Fixed<8, 8>;
  check_fast<Accumulation<exact_product, Q8>, float, float, float>({}, 0.02, 81);
  check_fast<Accumulation<exact_product, Q8>, float, float, float>({}, 0.0, 82,
                                                                   30.0);  // saturation
  check_fast<Accumulation<exact_product, Q8>, float, float, float>({}, 0.0, 83,
                                                                   0x1p-5);  // ties, tiny products
  GemmOptions o;
  o.chunk = 7;
  o.accumulate = true;
  check_fast<Accumulation<exact_product, Fixed<4, 12>>, float, float, float>(o, 0.05, 84);
  check_fast<Accumulation<exact_product, Fixed<16, 16>>, float, float, Q8>(o, 0.05, 85, 100.0);
  check_fast<Accumulation<exact_product, with_fixed_overflow_t<Q8, FixedOverflow::wrap>>, float,
             float, float>({}, 0.02, 86);  // wrapping: the reference
  // Fixed inputs held in float: products on the 2^-16 grid, sums rounded to 2^-8.
  for (std::uint64_t seed : {87u, 88u}) {
    std::mt19937_64 g(seed);
    const Idx M = 19, K = 300, N = 37;
    const auto a = as_float(random_matrix<Q8>(g, M * K, 0.0)),
               b = as_float(random_matrix<Q8>(g, K * N, 0.0));
    for (unsigned threads : {1u, 2u, 3u}) {
      GemmOptions ot;
      ot.threads = threads;
      std::vector<float> want(uz(M * N)), got(uz(M * N));
      gemm_reference<Accumulation<exact_product, Q8>>(
          row_major(a.data(), M, K), row_major(b.data(), K, N), row_major(want.data(), M, N), ot);
      gemm<Accumulation<exact_product, Q8>>(row_major(a.data(), M, K), row_major(b.data(), K, N),
                                            row_major(got.data(), M, N), ot);
      CHECK(std::memcmp(want.data(), got.data(), want.size() * sizeof(float)) == 0);
    }
  }
}

namespace {

/// The quire model of softnum_train: exact products summed in binary128, one rounding to C.
using ExactSum128 = Accumulation<exact_product, binary128>;

/// Which exact_sum_rows tier takes all rows of A * B (0: the generic path; 1: integers in double
/// lanes; 2: int128 sums), or -1 without the SIMD kernels.
template <class S>
int quire_tier(const std::vector<S>& a, const std::vector<S>& b, Idx M, Idx K, Idx N) {
#if SOFTNUM_GEMM_SIMD
  const MatrixView<const S> A = row_major(a.data(), M, K), B = row_major(b.data(), K, N);
  return detail::gemm_fast::exact_sum_plan<binary128>(A, B, 0, M).tier;
#else
  (void)a, (void)b, (void)M, (void)K, (void)N;
  return -1;
#endif
}

/// gemm<ExactSum128> against gemm_reference<ExactSum128>, bit for bit, on every instruction set and
/// 1, 2, 3 threads (column-major B with 2), for S (float or double) matrices made by fill(g, a, b,
/// M, K, N); want_tier: the exact_sum_rows tier the whole product must take (-1: not checked).
template <class TC, class S, class Fill>
void check_quire(GemmOptions o, std::uint64_t seed, Fill fill, int want_tier,
                 const std::vector<Shape>& shapes) {
  const int isa_max = detail::gemm_fast::detected_isa();
  for (const Shape& s : shapes) {
    std::mt19937_64 g(seed ^ static_cast<std::uint64_t>(s.M * 1000003 + s.K * 1009 + s.N));
    std::vector<S> a(uz(s.M * s.K)), b(uz(s.K * s.N));
    fill(g, a, b, s.M, s.K, s.N);
    std::vector<S> bt(b.size());
    for (Idx k = 0; k < s.K; ++k)
      for (Idx j = 0; j < s.N; ++j) bt[uz(j * s.K + k)] = b[uz(k * s.N + j)];
    if (want_tier >= 0 && s.K > 0 && SOFTNUM_GEMM_SIMD) {
      INFO("shape " << s.M << "x" << s.K << "x" << s.N);
      CHECK(quire_tier(a, b, s.M, s.K, s.N) == want_tier);
    }
    std::vector<TC> want(uz(s.M * s.N));
    gemm_reference<ExactSum128>(row_major(a.data(), s.M, s.K), row_major(b.data(), s.K, s.N),
                                row_major(want.data(), s.M, s.N), o);
    for (int isa = 0; isa <= isa_max; ++isa) {
      detail::gemm_fast::isa_limit() = isa;
      for (unsigned threads : {1u, 2u, 3u}) {
        GemmOptions ot = o;
        ot.threads = threads;
        std::vector<TC> got(want.size());
        if (threads == 2) {
          gemm<ExactSum128>(row_major(a.data(), s.M, s.K), col_major(bt.data(), s.K, s.N),
                            row_major(got.data(), s.M, s.N), ot);
        } else {
          gemm<ExactSum128>(row_major(a.data(), s.M, s.K), row_major(b.data(), s.K, s.N),
                            row_major(got.data(), s.M, s.N), ot);
        }
        long bad = 0;
        for (std::size_t t = 0; t < got.size(); ++t) {
          if (!same_bits(got[t], want[t]) && ++bad <= 3) {
            FAIL_CHECK("shape " << s.M << "x" << s.K << "x" << s.N << " isa " << isa << " threads "
                                << threads << " element " << t << ": gemm "
                                << static_cast<double>(got[t]) << " (bits " << bits_hex(got[t])
                                << "), reference " << static_cast<double>(want[t]) << " (bits "
                                << bits_hex(want[t]) << ")");
          }
        }
        CHECK(bad == 0);
      }
    }
    detail::gemm_fast::isa_limit() = -1;
  }
}

/// Fills A and B with values of format T (normal with the given scale; special_rate of them
/// arbitrary bit patterns: NaR), stored in S.
template <class T>
auto values_of(double scale, double special_rate = 0.0) {
  return [=]<class S>(std::mt19937_64& g, std::vector<S>& a, std::vector<S>& b, Idx, Idx, Idx) {
    for (auto* v : {&a, &b})
      for (S& x : *v)
        x = static_cast<S>(static_cast<double>(random_value<T>(g, special_rate, scale)));
  };
}

// Odd sizes, K = 0 and 1, K up to a few thousand, enough work for the threads, and few columns
// with many rows (a convolution's channels).
const std::vector<Shape> kQuireShapes = {{1, 1, 1},    {5, 0, 7},     {3, 1, 40},   {1, 70, 33},
                                         {37, 53, 45}, {13, 130, 70}, {6, 200, 33}, {7, 3000, 19},
                                         {70, 9, 65},  {70, 25, 6},   {45, 150, 15}};

}  // namespace

TEST_CASE("gemm is bit-identical to gemm_reference: binary128 quire on float and double inputs",
          "[gemm][fast][quire]") {
  GemmOptions o;
#if SOFTNUM_GEMM_SIMD
  // The kernel takes the quire model (kernel_applies: all-ones float inputs), but not C + A*B.
  CHECK(kernel_applies<ExactSum128, posit8>(o));
  CHECK(kernel_applies<ExactSum128, float>(o));
  o.accumulate = true;
  CHECK_FALSE(kernel_applies<ExactSum128, posit8>(o));
  o.accumulate = false;
#endif
  // posit8 and posit16 values, as softnum_train's quire formats pass them: integers in double
  // lanes (posit8: spans of about 20 bits per matrix) or int128 sums (posit16's 12 fraction bits).
  check_quire<posit8, float>(o, 1, values_of<posit8>(1.0), 1, kQuireShapes);
  check_quire<posit8, double>(o, 2, values_of<posit8>(1e-3), 1, kQuireShapes);
  check_quire<posit16, double>(o, 3, values_of<posit16>(1.0), -1, kQuireShapes);
  check_quire<posit16, float>(o, 4, values_of<posit16>(30.0), -1, kQuireShapes);
  check_quire<float, float>(o, 5, values_of<posit8>(1e4), 1, kQuireShapes);
  // Sums beyond posit8's maxpos (saturate) and below its minpos (never 0).
  check_quire<posit8, float>(o, 12, values_of<posit8>(1e4), 1, {{37, 53, 45}, {70, 25, 6}});
  check_quire<posit8, float>(o, 13, values_of<posit8>(1e-5), 1, {{37, 53, 45}, {70, 25, 6}});
  // Full float significands over a few binades: int128 sums; other output types.
  check_quire<float, float>(o, 6, values_of<float>(1.0), 2,
                            {{37, 53, 45}, {13, 130, 70}, {7, 3000, 19}});
  check_quire<double, float>(o, 7, values_of<float>(1.0), 2, {{37, 53, 45}, {13, 130, 70}});
  // Spans too wide for binary128 to stay exact (53-bit doubles, floats over 2^+-60), infinities
  // and NaN: the generic path.
  check_quire<double, double>(o, 8, values_of<double>(1.0), 0, {{37, 53, 45}, {6, 200, 33}});
  check_quire<float, float>(
      o, 9,
      [](std::mt19937_64& g, std::vector<float>& a, std::vector<float>& b, Idx, Idx, Idx) {
        std::uniform_int_distribution<int> e(-60, 60);
        for (auto* v : {&a, &b})
          for (float& x : *v)
            x = std::ldexp(static_cast<float>(random_value<posit8>(g, 0.0)), e(g));
      },
      0, {{37, 53, 45}, {6, 200, 33}});
  check_quire<posit8, float>(o, 10, values_of<posit8>(1.0, 0.02), 0,
                             {{37, 53, 45}, {13, 130, 70}});  // NaR
  for (float special :
       {std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
        std::numeric_limits<float>::quiet_NaN()}) {
    auto with_special = [special](std::mt19937_64& g, std::vector<float>& a, std::vector<float>& b,
                                  Idx M, Idx K, Idx N) {
      values_of<posit8>(1.0)(g, a, b, M, K, N);
      (g() % 2 == 0 ? a : b)[g() % a.size()] = special;
    };
    check_quire<posit8, float>(o, 11, with_special, 0, {{37, 53, 45}, {13, 130, 70}});
  }
  // Rounding modes: nothing but the output is ever rounded, so every mode gives the exact sum;
  // stochastic output rounding through each output conversion; chunks change nothing either.
  for (Round r : {Round::nearest_even, Round::up, Round::stochastic, Round::odd}) {
    GemmOptions om;
    om.round = r;
    om.output_round = r == Round::odd ? Round::toward_zero : r;
    om.seed = 0x5EED;
    om.chunk = r == Round::up ? 7 : 0;
    check_quire<posit8, float>(om, 20, values_of<posit8>(1.0), 1, {{37, 53, 45}, {13, 130, 70}});
    check_quire<binary16, double>(om, 21, values_of<posit16>(0.1), -1, {{37, 53, 45}});
    check_quire<posit16, double>(om, 24, values_of<float>(1.0), 2, {{37, 53, 45}});
    check_quire<posit16_1, float>(om, 22, values_of<posit8>(1.0), 1, {{37, 53, 45}});
    check_quire<float, float>(om, 23, values_of<posit8>(1.0), 1, {{37, 53, 45}});
  }
}

TEST_CASE("binary128 quire: signed zeros and exact cancellation", "[gemm][fast][quire]") {
  // Every sum cancels exactly (B's odd rows negate its even rows, A's columns come in equal
  // pairs) or is made of signed zeros: the model's zero is +0, except in Round::down, where its
  // sign depends on the order of the terms (recomputed by the model itself).
  auto cancelling = [](double zero_rate) {
    return [=]<class S>(std::mt19937_64& g, std::vector<S>& a, std::vector<S>& b, Idx M, Idx K,
                        Idx N) {
      std::uniform_real_distribution<double> u(0.0, 1.0);
      auto value = [&] {
        if (u(g) < zero_rate) return static_cast<S>(u(g) < 0.5 ? -0.0 : 0.0);
        return static_cast<S>(static_cast<double>(random_value<posit8>(g, 0.0)));
      };
      for (Idx i = 0; i < M; ++i)
        for (Idx k = 0; k < K; ++k) a[uz(i * K + k)] = k % 2 == 1 ? a[uz(i * K + k - 1)] : value();
      for (Idx k = 0; k < K; ++k)
        for (Idx j = 0; j < N; ++j)
          b[uz(k * N + j)] = k % 2 == 1 ? static_cast<S>(-b[uz((k - 1) * N + j)]) : value();
    };
  };
  const std::vector<Shape> even_k = {{1, 2, 1}, {37, 54, 45}, {13, 130, 70}, {6, 2000, 17}};
  for (Round r : {Round::nearest_even, Round::down, Round::toward_zero, Round::stochastic}) {
    GemmOptions o;
    o.round = r;
    o.output_round = r == Round::stochastic ? Round::stochastic : Round::nearest_even;
    for (double zeros : {0.0, 0.5, 1.0}) {
      INFO("mode " << static_cast<int>(r) << " zero rate " << zeros);
      check_quire<posit8, float>(o, 30, cancelling(zeros), 1, even_k);
      check_quire<float, double>(o, 31, cancelling(zeros), 1, even_k);
      check_quire<binary16, float>(o, 32, cancelling(zeros), -1,
                                   {{29, 1, 3}, {5, 3, 70}});  // odd K
    }
  }
}

TEST_CASE("gemm falls back to the reference for other models", "[gemm]") {
  GemmOptions o;
  o.round = Round::stochastic;
  o.seed = 99;
  check_fast<Accumulation<binary16, binary16>, binary16, binary16, float>(o, 0.02, 71);
  o.round = Round::toward_zero;
  check_fast<Accumulation<exact_product, float>, bfloat16, bfloat16, float>(o, 0.02, 72);
  check_fast<Accumulation<>, posit32, posit32, posit32>({}, 0.02, 73);
}

TEST_CASE("gemm reports bad shapes", "[gemm]") {
  std::vector<float> a(6), b(6), c(9);
  CHECK_THROWS_AS(gemm(row_major(a.data(), 2, 3), row_major(b.data(), 2, 3), row_major(c.data(), 3, 3)),
                  std::invalid_argument);
  GemmOptions o;
  o.chunk = -1;
  CHECK_THROWS_AS(gemm(row_major(a.data(), 2, 3), row_major(b.data(), 3, 2), row_major(c.data(), 2, 2), o),
                  std::invalid_argument);
}
