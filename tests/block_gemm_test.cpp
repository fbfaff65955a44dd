// Tests of softnum/gemm/block_gemm.hpp beyond block_test's oracle check of the model:
//   * block_dot on infinite and NaN elements, against values written out by hand from the model
//     (an exact IEEE sum of the products);
//   * gemm_block_parallel (SIMD kernels, threads) equal to gemm_block (the scalar definition) bit
//     for bit: every MX alias and mixed element types, random blocks (encoded from floats, and
//     random element codes with random scales), NaN scales, infinite and NaN elements, all-zero
//     and all -0 blocks, cancellation to zero, results in float's subnormal range and past its
//     largest value, the largest and smallest scales, ragged M and N, kb = 1; on 1, 2 and 3
//     threads and every instruction set this machine has;
//   * the output NaN is 0x7FC00000; bad arguments throw.
#include <softnum/block.hpp>

#include <cstdint>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace {

using softnum::ScaleRule;
using E8M0 = softnum::float8_e8m0fnu;

std::uint32_t bits_of(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
constexpr std::uint32_t qnan = 0x7FC00000u;

template <class B>
B make_block(std::uint8_t scale, const std::vector<unsigned>& codes) {
  using E = typename B::element_type;
  std::vector<E> e;
  for (int i = 0; i < B::block_size; ++i) {
    e.push_back(E::from_bits(
        static_cast<typename E::storage_type>(codes[static_cast<std::size_t>(i) % codes.size()])));
  }
  return B::from_elements(E8M0::from_bits(scale), e.data());
}

template <class E>
unsigned code_of(double v) {
  return static_cast<unsigned>(E(v).bits());
}

template <class E>
bool is_special_code(unsigned code) {
  const E e = E::from_bits(static_cast<typename E::storage_type>(code));
  const auto k = e.unpack().kind;
  return k == softnum::detail::Kind::inf || k == softnum::detail::Kind::nan;
}

/// Random blocks of type B: kind 0 encoded from floats of random magnitude (either scale rule),
/// kind 1 random finite element codes with a scale in [lo, hi], kind 2 any code (specials
/// included) with any scale.
template <class B>
std::vector<B> random_blocks(std::mt19937_64& rng, std::size_t count, int kind, int lo = 100,
                             int hi = 150) {
  using E = typename B::element_type;
  constexpr unsigned codes = 1u << B::element_bits;
  std::vector<B> out;
  std::uniform_int_distribution<unsigned> code(0, codes - 1);
  std::uniform_int_distribution<int> scale(lo, hi);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::uniform_int_distribution<int> mag(-30, 30);
  for (std::size_t x = 0; x < count; ++x) {
    if (kind == 0) {
      std::vector<float> v(B::block_size);
      const float s = std::ldexp(1.0f, mag(rng));
      for (float& f : v) f = normal(rng) * s;
      out.push_back(B::encode(v.data(), x % 2 == 0 ? ScaleRule::floor : ScaleRule::ceil));
    } else {
      std::vector<unsigned> c(B::block_size);
      for (unsigned& u : c) {
        do u = code(rng);
        while (kind == 1 && is_special_code<E>(u));
      }
      const int s = kind == 1 ? scale(rng) : static_cast<int>(code(rng) % 256u);
      out.push_back(make_block<B>(static_cast<std::uint8_t>(s), c));
    }
  }
  return out;
}

/// gemm_block_parallel against gemm_block on every thread count and instruction set; returns
/// the number of differing outputs (and reports the first).
template <class BA, class BB>
std::size_t compare(std::size_t m, std::size_t n, std::size_t kb, const std::vector<BA>& a,
                    const std::vector<BB>& b) {
  std::vector<float> ref(m * n), got(m * n);
  softnum::gemm_block(m, n, kb, a.data(), b.data(), ref.data());
  std::size_t bad = 0;
  const int top = softnum::detail::detected_isa();
  for (int level = 0; level <= top; ++level) {
    softnum::detail::isa_limit() = level;
    for (unsigned threads : {1u, 2u, 3u}) {
      softnum::GemmOptions o;
      o.threads = threads;
      std::fill(got.begin(), got.end(), 12345.0f);
      softnum::gemm_block_parallel(m, n, kb, a.data(), b.data(), got.data(), o);
      for (std::size_t x = 0; x < m * n; ++x) {
        if (bits_of(got[x]) != bits_of(ref[x])) {
          if (bad == 0) {
            FAIL_CHECK("m n kb " << m << " " << n << " " << kb << " isa " << level << " threads "
                                 << threads << " at " << x << ": " << std::hex << bits_of(got[x])
                                 << " vs reference " << bits_of(ref[x]));
          }
          ++bad;
        }
      }
    }
  }
  softnum::detail::isa_limit() = -1;
  return bad;
}

struct Shape {
  std::size_t m, n, kb;
};
constexpr Shape shapes[] = {
    {1, 1, 1},  {4, 16, 1}, {5, 17, 3}, {7, 33, 2},
    {9, 31, 4}, {3, 50, 6}, {37, 70, 5}};  // 9x31x4 and 37x70x5 reach 2^15 MACs: threads run

template <class BA, class BB>
void check_random(std::mt19937_64& rng) {
  INFO(typeid(BA).name() << " x " << typeid(BB).name());
  for (const Shape& s : shapes) {
    for (int kind = 0; kind < 3; ++kind) {
      const auto a = random_blocks<BA>(rng, s.m * s.kb, kind);
      const auto b = random_blocks<BB>(rng, s.n * s.kb, kind);
      CHECK(compare(s.m, s.n, s.kb, a, b) == 0);
    }
  }
  // 2^(kA + kB) from 2^-254 to 2^254: results far below float's subnormals, through them, and
  // past its largest value.
  for (int lo : {0, 20, 60, 200, 240}) {
    const auto a = random_blocks<BA>(rng, 6 * 3, 1, lo, lo + 14);
    const auto b = random_blocks<BB>(rng, 21 * 3, 1, lo, lo + 14);
    CHECK(compare(6, 21, 3, a, b) == 0);
  }
}

/// Hand-made blocks in every combination: zeros of both signs, cancellation, specials, extreme
/// scales, one element set; each operand list is crossed with the other through the GEMM.
template <class BA, class BB>
void check_constructed() {
  using EA = typename BA::element_type;
  using EB = typename BB::element_type;
  INFO(typeid(BA).name() << " x " << typeid(BB).name());
  const unsigned one_a = code_of<EA>(1.0), one_b = code_of<EB>(1.0);
  const unsigned max_a = static_cast<unsigned>(std::numeric_limits<EA>::max().bits());
  const unsigned max_b = static_cast<unsigned>(std::numeric_limits<EB>::max().bits());
  const unsigned min_a = static_cast<unsigned>(std::numeric_limits<EA>::denorm_min().bits());
  const unsigned min_b = static_cast<unsigned>(std::numeric_limits<EB>::denorm_min().bits());
  const unsigned neg_a = static_cast<unsigned>((-EA(1.0)).bits());
  const unsigned neg_b = static_cast<unsigned>((-EB(1.0)).bits());
  const unsigned nz_a = static_cast<unsigned>((-EA(0.0)).bits());
  const unsigned nz_b = static_cast<unsigned>((-EB(0.0)).bits());
  std::vector<BA> as;
  std::vector<BB> bs;
  for (unsigned scale : {0u, 1u, 30u, 100u, 127u, 128u, 200u, 254u, 255u}) {
    const auto sc = static_cast<std::uint8_t>(scale);
    as.push_back(make_block<BA>(sc, {0u}));               // +0
    as.push_back(make_block<BA>(sc, {nz_a}));             // -0
    as.push_back(make_block<BA>(sc, {one_a, neg_a}));     // cancels against equal pairs
    as.push_back(make_block<BA>(sc, {one_a}));            // all ones
    as.push_back(make_block<BA>(sc, {max_a}));            // largest
    as.push_back(make_block<BA>(sc, {min_a, 0u, nz_a}));  // smallest, zeros
    as.push_back(make_block<BA>(sc, {max_a, neg_a, min_a}));
    bs.push_back(make_block<BB>(sc, {0u}));
    bs.push_back(make_block<BB>(sc, {nz_b}));
    bs.push_back(make_block<BB>(sc, {one_b, one_b}));
    bs.push_back(make_block<BB>(sc, {neg_b}));
    bs.push_back(make_block<BB>(sc, {max_b}));
    bs.push_back(make_block<BB>(sc, {min_b}));
    bs.push_back(make_block<BB>(sc, {max_b, min_b, nz_b, neg_b}));
  }
  // Infinite and NaN elements, where the element type has them.
  for (unsigned c = 0; c < (1u << BA::element_bits); ++c) {
    if (is_special_code<EA>(c)) {
      as.push_back(make_block<BA>(127, {c, one_a}));
      as.push_back(make_block<BA>(120, {one_a, c, 0u}));
    }
  }
  for (unsigned c = 0; c < (1u << BB::element_bits); ++c) {
    if (is_special_code<EB>(c)) {
      bs.push_back(make_block<BB>(127, {c}));
      bs.push_back(make_block<BB>(131, {0u, one_b, c}));
    }
  }
  // kb = 1: every pair once.
  CHECK(compare(as.size(), bs.size(), 1, as, bs) == 0);
  // kb = 3: rows of three consecutive blocks (cyclically), so results combine across blocks.
  const std::size_t m = as.size(), n = bs.size();
  std::vector<BA> a3;
  std::vector<BB> b3;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t t = 0; t < 3; ++t) a3.push_back(as[(i + t * 7) % m]);
  }
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t t = 0; t < 3; ++t) b3.push_back(bs[(j + t * 5) % n]);
  }
  CHECK(compare(m, n, 3, a3, b3) == 0);
}

}  // namespace

TEST_CASE("block_dot: infinite and NaN elements as in an exact IEEE sum of the products",
          "[block][gemm]") {
  using B = softnum::mxfp8_e5m2;
  using E = softnum::float8_e5m2;
  const unsigned one = code_of<E>(1.0), two = code_of<E>(2.0), zero = 0u;
  const unsigned pinf = 0x7Cu, ninf = 0xFCu, nan = 0x7Eu;
  const auto ones = make_block<B>(127, {one});
  // 31 ones and +inf, times ones: +inf; with X = 2^-127 too (inf times any scale).
  CHECK(bits_of(softnum::block_dot(make_block<B>(127, {pinf, one, one, one}), ones)) ==
        0x7F800000u);
  CHECK(bits_of(softnum::block_dot(make_block<B>(0, {pinf, one}), make_block<B>(0, {two}))) ==
        0x7F800000u);
  CHECK(bits_of(softnum::block_dot(make_block<B>(127, {ninf, one}), ones)) == 0xFF800000u);
  // -inf * -1 = +inf.
  CHECK(bits_of(softnum::block_dot(make_block<B>(127, {ninf}),
                                   make_block<B>(127, {code_of<E>(-1.0)}))) == 0x7F800000u);
  // inf * 0, +inf + -inf, a NaN element, a NaN scale with finite elements: NaN.
  CHECK(bits_of(softnum::block_dot(make_block<B>(127, {pinf, one}),
                                   make_block<B>(127, {zero, one}))) == qnan);
  CHECK(bits_of(softnum::block_dot(make_block<B>(127, {pinf, ninf}), ones)) == qnan);
  CHECK(bits_of(softnum::block_dot(make_block<B>(127, {nan, one}), ones)) == qnan);
  CHECK(bits_of(softnum::block_dot(make_block<B>(255, {one}), ones)) == qnan);
  // E4M3's NaN code, S.1111.111.
  using B4 = softnum::mxfp8_e4m3;
  const unsigned one4 = code_of<softnum::float8_e4m3fn>(1.0);
  CHECK(bits_of(softnum::block_dot(make_block<B4>(127, {0xFFu, one4}),
                                   make_block<B4>(127, {one4}))) == qnan);
  // Finite blocks keep their value: 32 * 2 * 1 * 2^(1 + 0).
  CHECK(softnum::block_dot(make_block<B>(128, {two}), ones) == 128.0f);
}

TEST_CASE("block sums wider than 53 bits round once (E5M2: 2^28 + 2^4 + 2^-32)", "[block][gemm]") {
  // Products 2^14 * 2^14, 4 * 4 and 2^-16 * 2^-16: the exact sum lies just above the midpoint
  // 2^28 + 2^4 of two floats, so it rounds up to 2^28 + 2^5; a double sum (53 bits) would lose
  // the 2^-32 and round the tie to even, 2^28. Every 4th element so that lanes of both paths see
  // it; also with the scales 2^-60 and 2^60 around it and as a kb = 2 row.
  using B = softnum::mxfp8_e5m2;
  using E = softnum::float8_e5m2;
  const std::vector<unsigned> codes = {code_of<E>(16384.0), code_of<E>(4.0),
                                       code_of<E>(std::ldexp(1.0, -16)), 0u};
  const B x = make_block<B>(
      127, {codes[0], codes[1], codes[2], 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u,
            0u,       0u,       0u,       0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u});
  CHECK(softnum::block_dot(x, x) == std::ldexp(1.0f, 28) + 32.0f);
  std::vector<B> a, b;
  for (unsigned s : {127u, 67u, 187u}) {
    const B y = make_block<B>(static_cast<std::uint8_t>(s), {codes[0], codes[1], codes[2], 0u});
    a.push_back(y);
    a.push_back(y);
    b.push_back(y);
    b.push_back(make_block<B>(static_cast<std::uint8_t>(s), {codes[1]}));
  }
  // Eight copies: 2^31 + 2^7 + 2^-29 rounds up to 2^31 + 2^8.
  CHECK(softnum::block_dot(a[0], b[0]) == std::ldexp(1.0f, 31) + 256.0f);
  CHECK(compare(3, 3, 2, a, b) == 0);
}

TEST_CASE("gemm_block: a NaN output is 0x7FC00000 (here +inf + -inf across blocks)",
          "[block][gemm]") {
  using B = softnum::mxfp8_e5m2;
  const auto ones = make_block<B>(127, {code_of<softnum::float8_e5m2>(1.0)});
  const std::vector<B> a = {make_block<B>(127, {0x7Cu}), make_block<B>(127, {0xFCu})};
  const std::vector<B> b = {ones, ones};
  float c = 0, d = 0;
  softnum::gemm_block(1, 1, 2, a.data(), b.data(), &c);
  softnum::gemm_block_parallel(1, 1, 2, a.data(), b.data(), &d);
  CHECK(bits_of(c) == qnan);
  CHECK(bits_of(d) == qnan);
}

TEST_CASE("gemm_block_parallel equals gemm_block bit for bit: random blocks", "[block][gemm]") {
  std::mt19937_64 rng(15);
  check_random<softnum::mxfp8_e4m3, softnum::mxfp8_e4m3>(rng);
  check_random<softnum::mxfp8_e5m2, softnum::mxfp8_e5m2>(rng);
  check_random<softnum::mxfp6_e3m2, softnum::mxfp6_e3m2>(rng);
  check_random<softnum::mxfp6_e2m3, softnum::mxfp6_e2m3>(rng);
  check_random<softnum::mxfp4, softnum::mxfp4>(rng);
  check_random<softnum::mxint8, softnum::mxint8>(rng);
  // Mixed element types: each sum path (int32, f64, f64_split) and the boundaries between them.
  check_random<softnum::mxfp8_e4m3, softnum::mxfp8_e5m2>(rng);
  check_random<softnum::mxfp8_e4m3, softnum::mxfp4>(rng);
  check_random<softnum::mxfp6_e3m2, softnum::mxfp6_e2m3>(rng);
  check_random<softnum::mxfp4, softnum::mxint8>(rng);
  check_random<softnum::mxfp8_e5m2, softnum::mxfp4>(rng);
  // Other block sizes: odd (a padded int16 pair), 1, 16, 64 (E5M2: the widest split sums), and
  // binary16 elements (split sums of up to 84 bits).
  check_random<softnum::Block<softnum::float4_e2m1fn, 7>,
               softnum::Block<softnum::float4_e2m1fn, 7>>(rng);
  check_random<softnum::Block<softnum::float8_e4m3fn, 1>,
               softnum::Block<softnum::float8_e4m3fn, 1>>(rng);
  check_random<softnum::Block<softnum::float6_e3m2fn, 16>,
               softnum::Block<softnum::float6_e2m3fn, 16>>(rng);
  check_random<softnum::Block<softnum::float8_e5m2, 64>, softnum::Block<softnum::float8_e5m2, 64>>(
      rng);
  check_random<softnum::Block<softnum::binary16, 8>, softnum::Block<softnum::binary16, 8>>(rng);
}

TEST_CASE("gemm_block_parallel equals gemm_block bit for bit: constructed blocks",
          "[block][gemm]") {
  check_constructed<softnum::mxfp8_e4m3, softnum::mxfp8_e4m3>();
  check_constructed<softnum::mxfp8_e5m2, softnum::mxfp8_e5m2>();
  check_constructed<softnum::mxfp6_e3m2, softnum::mxfp6_e3m2>();
  check_constructed<softnum::mxfp6_e2m3, softnum::mxfp6_e2m3>();
  check_constructed<softnum::mxfp4, softnum::mxfp4>();
  check_constructed<softnum::mxint8, softnum::mxint8>();
  check_constructed<softnum::mxfp8_e4m3, softnum::mxfp8_e5m2>();
  check_constructed<softnum::mxfp4, softnum::mxfp8_e4m3>();
}

TEST_CASE("gemm_block_parallel: sum paths and bad arguments", "[block][gemm]") {
  using softnum::detail::block_gemm::sum_path;
  // The paths the MX formats take (see gemm/block_gemm_kernels.hpp).
  STATIC_REQUIRE(sum_path<softnum::float4_e2m1fn, softnum::float4_e2m1fn, 32>::int32);
  STATIC_REQUIRE(sum_path<softnum::float6_e3m2fn, softnum::float6_e3m2fn, 32>::int32);
  STATIC_REQUIRE(sum_path<softnum::float6_e2m3fn, softnum::float6_e2m3fn, 32>::int32);
  STATIC_REQUIRE(sum_path<softnum::Fixed<2, 6>, softnum::Fixed<2, 6>, 32>::int32);
  STATIC_REQUIRE(sum_path<softnum::float8_e4m3fn, softnum::float8_e4m3fn, 32>::f64);
  STATIC_REQUIRE(sum_path<softnum::float8_e5m2, softnum::float8_e5m2, 32>::f64_split);
  STATIC_REQUIRE(sum_path<softnum::float8_e5m2, softnum::float8_e4m3fn, 32>::f64_split);
  STATIC_REQUIRE(sum_path<softnum::binary16, softnum::binary16, 8>::f64_split);
  const std::vector<softnum::mxfp4> a(2), b(2);
  std::vector<float> c(1);
  CHECK_THROWS_AS(softnum::gemm_block_parallel(1, 1, 0, a.data(), b.data(), c.data()),
                  std::invalid_argument);
  softnum::GemmOptions o;
  o.chunk = 4;
  CHECK_THROWS_AS(softnum::gemm_block_parallel(1, 1, 2, a.data(), b.data(), c.data(), o),
                  std::invalid_argument);
  // m = 0 or n = 0: nothing is written.
  softnum::gemm_block_parallel(0, 1, 2, a.data(), b.data(), c.data());
  softnum::gemm_block_parallel(1, 0, 2, a.data(), b.data(), c.data());
}
