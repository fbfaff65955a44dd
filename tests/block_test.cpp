// Tests of the block-scaled formats (softnum/block.hpp): Block<Element, N>::encode/decode, the MX
// aliases, quantize<Block> on arrays and quantize_nvfp4.
//
// The reference below is written from the OCP MX v1.0 rules (FORMATS.md §2.1-2.2) and NVIDIA's
// NVFP4 recipe (FORMATS.md §2.3), without softnum's Block, codecs or rounding core: element grids
// are enumerated from the format definitions (sign, exponent, fraction, bias, which codes are
// special) as long double values, the scale exponent is found by plain comparisons with powers
// of two, x / X is exact in long double, and rounding picks a grid neighbour by comparing exact
// distances. Only the stochastic word, random_word(seed, i, 0), comes from softnum (the Philox
// convention that quantize() defines; random_test.cpp checks Philox against its published
// vectors).
//   * clipping (957 -> 896), all-zero blocks, NaN/inf blocks, float subnormal inputs, values whose
//     x / X underflows float, ties in every mode, random blocks, MXINT8's asymmetric range;
//   * every pair of neighbouring element values, their midpoint and the floats next to it, in
//     every mode and both signs, for each of the six MX element types;
//   * quantize<B> (the vectorised path) equal to the scalar encode/decode bit for bit, on every
//     instruction-set copy, in place too;
//   * packed storage: two FP4 per byte, low nibble first; FP6 as a little-endian bit string;
//   * quantize_nvfp4 against the recipe written out in float arithmetic.
#include <softnum/block.hpp>
#include <softnum/quantize.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>

#include "oracle/oracle.hpp"

namespace {

using softnum::Round;
using softnum::ScaleRule;
using LD = long double;
static_assert(LDBL_MANT_DIG >= 64, "the reference needs a 64-bit long double significand");

constexpr Round all_modes[] = {Round::nearest_even, Round::nearest_away, Round::toward_zero,
                               Round::up,           Round::down,         Round::odd,
                               Round::stochastic};
constexpr ScaleRule both_rules[] = {ScaleRule::floor, ScaleRule::ceil};

std::uint32_t bits_of(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
float float_of(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}
constexpr std::uint32_t qnan = 0x7FC00000u;

// ----- the reference ------------------------------------------------------------------------

/// An element format as a sorted list of magnitudes with their codes, per sign.
struct Grid {
  std::vector<LD> pos, neg;  // magnitudes, ascending, from 0
  std::vector<unsigned> pos_code, neg_code;
  int emax = 0;  // floor(log2(largest positive value))
  LD max = 0;    // largest positive value
};

enum class FpKind { ieee, fn, finite };

/// A sign-magnitude float: 1 sign bit, E exponent bits, M fraction bits, bias; codes that are
/// NaN or infinite (by kind) are left out.
Grid fp_grid(int E, int M, int bias, FpKind kind) {
  Grid g;
  const unsigned sign = 1u << (E + M);
  for (unsigned c = 0; c < sign; ++c) {
    const unsigned e = c >> M, m = c & ((1u << M) - 1u);
    if (kind == FpKind::ieee && e == (1u << E) - 1u) continue;
    if (kind == FpKind::fn && c == sign - 1u) continue;
    const LD v = e == 0
                     ? std::ldexp(static_cast<LD>(m), 1 - bias - M)
                     : std::ldexp(static_cast<LD>((1u << M) + m), static_cast<int>(e) - bias - M);
    g.pos.push_back(v);
    g.pos_code.push_back(c);
    g.neg.push_back(v);
    g.neg_code.push_back(c | sign);
  }
  g.max = g.pos.back();
  g.emax = std::ilogb(g.max);
  return g;
}

/// OCP MXINT8: two's complement n * 2^-6, n in [-127, 127] (-128 left unused, as OCP MX §5.4.1
/// allows and microxcaling does: its int8 elements clamp to +-127/64).
Grid int8_grid() {
  Grid g;
  for (int n = 0; n <= 127; ++n) {
    g.pos.push_back(std::ldexp(static_cast<LD>(n), -6));
    g.pos_code.push_back(static_cast<unsigned>(n));
  }
  for (int n = 0; n <= 127; ++n) {
    g.neg.push_back(std::ldexp(static_cast<LD>(n), -6));
    g.neg_code.push_back(static_cast<unsigned>(-n) & 0xFFu);
  }
  g.max = g.pos.back();
  g.emax = 0;
  return g;
}

/// Rounds the magnitude a >= 0 (of a value with sign neg) onto grid g (ascending magnitudes) in
/// `mode`, saturating at the largest magnitude; returns the index. Parity of the index is the
/// parity of the code's last bit.
std::size_t round_on(const std::vector<LD>& g, LD a, Round mode, bool neg, std::uint32_t word) {
  if (a >= g.back()) return g.size() - 1;
  const std::size_t i =
      static_cast<std::size_t>(std::upper_bound(g.begin(), g.end(), a) - g.begin()) - 1;
  if (g[i] == a) return i;
  const std::size_t j = i + 1;
  const LD dlo = a - g[i], dhi = g[j] - a;  // exact
  switch (mode) {
    case Round::nearest_even:
      return dlo < dhi ? i : (dlo > dhi ? j : (i % 2 == 0 ? i : j));
    case Round::nearest_away:
      return dlo < dhi ? i : j;
    case Round::toward_zero:
      return i;
    case Round::up:
      return neg ? i : j;
    case Round::down:
      return neg ? j : i;
    case Round::odd:
      return i % 2 == 1 ? i : j;
    case Round::stochastic: {
      // F = the discarded fraction at 32 bits, rounded to nearest even; up iff F + word >= 2^32.
      const LD t = std::ldexp(dlo / (g[j] - g[i]), 32);
      LD f = std::floor(t);
      const LD rest = t - f;
      if (rest > 0.5L || (rest == 0.5L && std::fmod(f, 2.0L) != 0)) f += 1;
      return f + static_cast<LD>(word) >= std::ldexp(1.0L, 32) ? j : i;
    }
  }
  return i;
}

struct RefElem {
  unsigned code;
  LD value;
};

RefElem ref_round(const Grid& g, LD v, Round mode, std::uint32_t word) {
  const bool neg = std::signbit(v);
  const LD a = std::fabs(v);
  if (neg) {
    const std::size_t i = round_on(g.neg, a, mode, true, word);
    return {g.neg_code[i], -g.neg[i]};  // -0 for float grids; MXINT8's code 0 is +0 below
  }
  const std::size_t i = round_on(g.pos, a, mode, false, word);
  return {g.pos_code[i], g.pos[i]};
}

float ref_to_float(LD v) {
  if (std::fabs(v) >= std::ldexp(1.0L, 128)) return v < 0 ? -INFINITY : INFINITY;
  return static_cast<float>(v);
}

struct RefBlock {
  unsigned scale_code;  // 0..254: 2^(code - 127); 255: NaN
  std::vector<unsigned> codes;
  std::vector<std::uint32_t> decoded;  // float bits
};

/// OCP MX v1.0 §6.3 with the scale rule as a parameter, from the text: X = 2^(floor(log2 amax) -
/// emax_elem) (floor) or the smallest power of two with amax / X <= max_elem (ceil), within
/// [2^-127, 2^127]; NaN/inf -> NaN scale (§5.1); zero block -> 2^-127.
RefBlock ref_block(const Grid& g, bool fixed, const float* x, int n, ScaleRule rule, Round mode,
                   std::uint64_t seed, std::uint64_t offset) {
  RefBlock r;
  bool special = false;
  LD amax = 0;
  for (int i = 0; i < n; ++i) {
    if (std::isnan(x[i]) || std::isinf(x[i]))
      special = true;
    else
      amax = std::max(amax, std::fabs(static_cast<LD>(x[i])));
  }
  int k = -127;
  if (special) {
    r.scale_code = 255;
  } else {
    if (amax > 0) {
      if (rule == ScaleRule::floor) {
        int e = 0;
        while (std::ldexp(1.0L, e) > amax) --e;
        while (std::ldexp(1.0L, e + 1) <= amax) ++e;
        k = e - g.emax;
      } else {
        k = 127;
        for (int c = -127; c <= 127; ++c) {
          if (amax <= g.max * std::ldexp(1.0L, c)) {
            k = c;
            break;
          }
        }
      }
      if (k < -127) k = -127;
    }
    r.scale_code = k > 127 ? 255u : static_cast<unsigned>(k + 127);
  }
  for (int i = 0; i < n; ++i) {
    if (r.scale_code == 255) {
      r.codes.push_back(0);
      r.decoded.push_back(qnan);
      continue;
    }
    const std::uint32_t word =
        mode == Round::stochastic
            ? softnum::random_word(seed, offset + static_cast<std::uint64_t>(i), 0)
            : 0u;
    const RefElem e = ref_round(g, std::ldexp(static_cast<LD>(x[i]), -k), mode, word);
    r.codes.push_back(e.code);
    LD v = std::ldexp(e.value, k);
    if (fixed && v == 0) v = 0;  // MXINT8 has no -0
    r.decoded.push_back(bits_of(ref_to_float(v)));
  }
  return r;
}

// ----- the formats under test -----------------------------------------------------------------

template <class B>
struct Spec;
template <>
struct Spec<softnum::mxfp8_e4m3> {
  static Grid grid() { return fp_grid(4, 3, 7, FpKind::fn); }
  static constexpr bool fixed = false;
  static constexpr const char* name = "mxfp8_e4m3";
};
template <>
struct Spec<softnum::mxfp8_e5m2> {
  static Grid grid() { return fp_grid(5, 2, 15, FpKind::ieee); }
  static constexpr bool fixed = false;
  static constexpr const char* name = "mxfp8_e5m2";
};
template <>
struct Spec<softnum::mxfp6_e3m2> {
  static Grid grid() { return fp_grid(3, 2, 3, FpKind::finite); }
  static constexpr bool fixed = false;
  static constexpr const char* name = "mxfp6_e3m2";
};
template <>
struct Spec<softnum::mxfp6_e2m3> {
  static Grid grid() { return fp_grid(2, 3, 1, FpKind::finite); }
  static constexpr bool fixed = false;
  static constexpr const char* name = "mxfp6_e2m3";
};
template <>
struct Spec<softnum::mxfp4> {
  static Grid grid() { return fp_grid(2, 1, 1, FpKind::finite); }
  static constexpr bool fixed = false;
  static constexpr const char* name = "mxfp4";
};
template <>
struct Spec<softnum::mxint8> {
  static Grid grid() { return int8_grid(); }
  static constexpr bool fixed = true;
  static constexpr const char* name = "mxint8";
};

/// Block::encode and decode against the reference on one block (x has B::block_size values).
template <class B>
void check_block(const Grid& g, const float* x, ScaleRule rule, Round mode, std::uint64_t seed,
                 std::uint64_t offset) {
  constexpr int n = B::block_size;
  const RefBlock r = ref_block(g, Spec<B>::fixed, x, n, rule, mode, seed, offset);
  const B b = B::encode(x, rule, mode, seed, offset);
  float y[B::block_size];
  b.decode(y);
  bool ok = b.scale().bits() == r.scale_code;
  for (int i = 0; i < n && ok; ++i) {
    ok = b.element(i).bits() == r.codes[static_cast<std::size_t>(i)] &&
         bits_of(y[i]) == r.decoded[static_cast<std::size_t>(i)];
  }
  if (!ok) {
    std::string s =
        std::string(Spec<B>::name) + " rule " + (rule == ScaleRule::floor ? "floor" : "ceil") +
        " mode " + std::to_string(static_cast<int>(mode)) + " scale " +
        std::to_string(b.scale().bits()) + " (ref " + std::to_string(r.scale_code) + ")\n";
    for (int i = 0; i < n; ++i) {
      char line[200];
      std::snprintf(line, sizeof line, "  x %.9g (0x%08x): code %u ref %u, y 0x%08x ref 0x%08x\n",
                    static_cast<double>(x[i]), bits_of(x[i]),
                    static_cast<unsigned>(b.element(i).bits()),
                    r.codes[static_cast<std::size_t>(i)], bits_of(y[i]),
                    r.decoded[static_cast<std::size_t>(i)]);
      s += line;
    }
    FAIL(s);
  }
  SUCCEED();
}

template <class B>
std::vector<float> random_blocks(std::mt19937_64& rng, std::size_t nblocks) {
  constexpr int n = B::block_size;
  std::vector<float> x(nblocks * static_cast<std::size_t>(n));
  std::uniform_int_distribution<int> base(-150, 127), spread(0, 40), pick(0, 15);
  std::uniform_int_distribution<std::uint32_t> mant(0, 0x7FFFFFu);
  for (std::size_t b = 0; b < nblocks; ++b) {
    const int e0 = base(rng), sp = spread(rng);
    for (int i = 0; i < n; ++i) {
      const int e = std::max(-149, e0 - std::uniform_int_distribution<int>(0, sp)(rng));
      float v = std::ldexp(1.0f + static_cast<float>(mant(rng)) * 0x1p-23f, e);
      if (pick(rng) == 0) v = 0.0f;
      if (pick(rng) == 1 && v != 0.0f)
        v = std::ldexp(std::round(std::ldexp(v, 3 - std::ilogb(v))), std::ilogb(v) - 3);
      if (rng() & 1) v = -v;
      x[b * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)] =
          std::isfinite(v) ? v : FLT_MAX;
    }
  }
  return x;
}

#define SOFTNUM_MX_TYPES                                                              \
  softnum::mxfp8_e4m3, softnum::mxfp8_e5m2, softnum::mxfp6_e3m2, softnum::mxfp6_e2m3, \
      softnum::mxfp4, softnum::mxint8

// ----- tests ----------------------------------------------------------------------------------

TEST_CASE("block: the six MX formats have the OCP element types, 32 elements and packed widths",
          "[block]") {
  STATIC_REQUIRE(softnum::mxfp8_e4m3::block_size == 32);
  STATIC_REQUIRE(std::is_same_v<softnum::mxfp8_e4m3::scale_type, softnum::float8_e8m0fnu>);
  // The E8M0 codes the reference uses: 2^(code - 127), 0xFF NaN.
  for (unsigned c = 0; c < 255; ++c) {
    CHECK(static_cast<LD>(static_cast<double>(softnum::float8_e8m0fnu::from_bits(
              static_cast<std::uint8_t>(c)))) == std::ldexp(1.0L, static_cast<int>(c) - 127));
  }
  CHECK(std::isnan(static_cast<double>(softnum::float8_e8m0fnu::from_bits(0xFF))));
  STATIC_REQUIRE(std::is_same_v<softnum::mxfp4::element_type, softnum::float4_e2m1fn>);
  STATIC_REQUIRE(std::is_same_v<softnum::mxint8::element_type, softnum::Fixed<2, 6>>);
  STATIC_REQUIRE(softnum::mxfp4::packed_bytes == 16);
  STATIC_REQUIRE(softnum::mxfp6_e2m3::packed_bytes == 24);
  STATIC_REQUIRE(softnum::mxfp8_e5m2::packed_bytes == 32);
  STATIC_REQUIRE(sizeof(softnum::mxfp4) == 17);
  // The reference grids agree with the standard's maxima (FORMATS.md §2.1).
  CHECK(Spec<softnum::mxfp8_e4m3>::grid().max == 448);
  CHECK(Spec<softnum::mxfp8_e5m2>::grid().max == 57344);
  CHECK(Spec<softnum::mxfp6_e3m2>::grid().max == 28);
  CHECK(Spec<softnum::mxfp6_e2m3>::grid().max == 7.5L);
  CHECK(Spec<softnum::mxfp4>::grid().max == 6);
  CHECK(Spec<softnum::mxint8>::grid().max == 127.0L / 64);
  CHECK(Spec<softnum::mxfp8_e5m2>::grid().emax == 15);
  CHECK(Spec<softnum::mxfp8_e4m3>::grid().emax == 8);
  CHECK(Spec<softnum::mxfp6_e3m2>::grid().emax == 4);
  CHECK(Spec<softnum::mxfp6_e2m3>::grid().emax == 2);
  CHECK(Spec<softnum::mxfp4>::grid().emax == 2);
  CHECK(Spec<softnum::mxint8>::grid().emax == 0);
  // MXINT8 leaves -128 unused: -1.999 (X = 1) clamps to -127/64 in every mode.
  float x[32] = {-1.999f, 1.0f};
  for (Round mode : all_modes)
    CHECK(softnum::mxint8::encode(x, ScaleRule::floor, mode).element(0).raw() == -127);
}

TEST_CASE("block: quantize<Block> and quantize<scalar> are distinct overloads", "[block]") {
  std::vector<float> x(32, 1.3f), y(32), z(32);
  softnum::quantize<softnum::mxfp4>(x, y);
  softnum::quantize<softnum::binary16>(x, z);
  softnum::quantize<softnum::float4_e2m1fn>(x, z);
  CHECK(y[0] == 1.5f);
  CHECK(z[0] == 1.5f);
  STATIC_REQUIRE(!softnum::ScalarNumber<softnum::mxfp4>);
  STATIC_REQUIRE(softnum::BlockFormat<softnum::mxfp4>);
  STATIC_REQUIRE(!softnum::BlockFormat<softnum::float4_e2m1fn>);
}

TEST_CASE("block: the floor rule clips the block maximum (957 becomes 896), ceil never clips",
          "[block]") {
  float x[32] = {};
  x[0] = 960.0f;
  x[1] = 957.0f;
  x[2] = -0.25f;
  float y[32];
  const auto fl = softnum::mxfp8_e4m3::encode(x, ScaleRule::floor);
  fl.decode(y);
  CHECK(fl.scale().bits() == 128);  // X = 2^(9 - 8)
  CHECK(static_cast<double>(fl.scale()) == 2.0);
  CHECK(y[0] == 896.0f);
  CHECK(y[1] == 896.0f);  // 957 / 2 = 478.5 saturates to 448 (microxcaling issue 4)
  CHECK(y[2] == -0.25f);
  const auto ce = softnum::mxfp8_e4m3::encode(x, ScaleRule::ceil);
  ce.decode(y);
  CHECK(ce.scale().bits() == 129);  // 960 / 2 > 448: X = 4
  CHECK(y[0] == 960.0f);
  CHECK(y[1] == 960.0f);  // 957 / 4 = 239.25 -> 240
  // FP4: amax/X in [4, 8) under floor; 7 saturates to 6, while ceil takes X = 2 and 3.5 -> 4.
  float z[32] = {7.0f, 5.0f, 0.75f};
  const auto f4 = softnum::mxfp4::encode(z, ScaleRule::floor);
  f4.decode(y);
  CHECK(y[0] == 6.0f);
  CHECK(y[1] == 4.0f);  // tie 4 | 6: even code
  CHECK(y[2] == 1.0f);  // tie 0.5 | 1: the even code is 1.0
  const auto c4 = softnum::mxfp4::encode(z, ScaleRule::ceil);
  c4.decode(y);
  CHECK(c4.scale().bits() == 128);
  CHECK(y[0] == 8.0f);
  CHECK(y[1] == 4.0f);
  CHECK(y[2] == 1.0f);
  // amax exactly the largest element times a power of two: both rules agree, nothing clips.
  float w[32] = {-6.0f * 1024, 1.0f};
  CHECK(softnum::mxfp4::encode(w, ScaleRule::floor).scale().bits() ==
        softnum::mxfp4::encode(w, ScaleRule::ceil).scale().bits());
  const Grid g4 = Spec<softnum::mxfp4>::grid();
  const Grid g8 = Spec<softnum::mxfp8_e4m3>::grid();
  for (ScaleRule rule : both_rules) {
    for (Round mode : all_modes) {
      check_block<softnum::mxfp8_e4m3>(g8, x, rule, mode, 5, 0);
      check_block<softnum::mxfp4>(g4, z, rule, mode, 5, 0);
      check_block<softnum::mxfp4>(g4, w, rule, mode, 5, 0);
    }
  }
}

TEMPLATE_TEST_CASE("block: all-zero blocks, NaN and infinity blocks", "[block]", SOFTNUM_MX_TYPES) {
  using B = TestType;
  const Grid g = Spec<B>::grid();
  float x[32] = {};
  float y[32];
  B::encode(x).decode(y);
  CHECK(B::encode(x).scale().bits() == 0);  // 2^-127
  for (float v : y) CHECK(bits_of(v) == 0u);
  x[3] = -0.0f;
  B::encode(x).decode(y);
  CHECK(bits_of(y[3]) == (Spec<B>::fixed ? 0u : 0x80000000u));
  const float specials[] = {NAN, -NAN, INFINITY, -INFINITY};
  for (float s : specials) {
    for (int at : {0, 17, 31}) {
      float z[32];
      for (int i = 0; i < 32; ++i) z[i] = static_cast<float>(i) - 3.5f;
      z[at] = s;
      for (ScaleRule rule : both_rules) {
        const B b = B::encode(z, rule);
        CHECK(b.scale().bits() == 0xFF);
        b.decode(y);
        for (float v : y) CHECK(bits_of(v) == qnan);
        for (Round mode : all_modes) check_block<B>(g, z, rule, mode, 9, 64);
      }
    }
  }
  for (ScaleRule rule : both_rules) {
    for (Round mode : all_modes) check_block<B>(g, x, rule, mode, 1, 0);
  }
}

TEMPLATE_TEST_CASE("block: subnormal inputs and scaled values below the float range", "[block]",
                   SOFTNUM_MX_TYPES) {
  using B = TestType;
  const Grid g = Spec<B>::grid();
  std::mt19937_64 rng(42);
  std::vector<std::vector<float>> blocks;
  // All float subnormals (the scale clamps at 2^-127).
  for (int rep = 0; rep < 8; ++rep) {
    std::vector<float> x(32);
    for (auto& v : x) v = float_of(static_cast<std::uint32_t>(rng() & 0x807FFFFFu) >> (rep % 20));
    blocks.push_back(x);
  }
  // Normal amax with tiny elements: x / X falls below 2^-126 (and below 2^-149).
  for (int e : {-20, 0, 60, 127}) {
    std::vector<float> x(32);
    x[0] = std::ldexp(1.75f, e);
    for (int i = 1; i < 32; ++i) {
      const float tiny = float_of(static_cast<std::uint32_t>(rng() % 0x01000000u));
      x[static_cast<std::size_t>(i)] =
          (i % 2 ? -1.0f : 1.0f) * tiny * (i % 3 == 0 ? 1.0f : 0x1p24f);
    }
    x[5] = -FLT_TRUE_MIN;
    x[6] = FLT_TRUE_MIN;
    x[7] = FLT_MIN;
    blocks.push_back(x);
  }
  // The largest floats (scale 2^127; MXINT8 elements near -2 clamp to -127/64).
  {
    std::vector<float> x(32, -FLT_MAX);
    x[1] = FLT_MAX;
    x[2] = std::ldexp(1.0f, 127);
    x[3] = -std::ldexp(1.9f, 127);
    blocks.push_back(x);
  }
  for (const auto& x : blocks) {
    for (ScaleRule rule : both_rules) {
      for (Round mode : all_modes) check_block<B>(g, x.data(), rule, mode, 77, 3200);
    }
  }
}

/// Blocks whose x[0] pins amax to the largest element times 2^k (so X = 2^k under both rules)
/// and whose other 31 values run through the grid: every grid point, midpoint and quarter point
/// and the floats one ulp either side, scaled by 2^k, both signs, for several k.
std::vector<float> neighbour_blocks(const Grid& g) {
  std::vector<float> values;
  for (std::size_t i = 0; i + 1 < g.pos.size(); ++i) {
    const LD lo = g.pos[i], hi = g.pos[i + 1], mid = (lo + hi) / 2, q1 = lo + (hi - lo) / 4;
    for (LD v : {lo, mid, q1, hi - (hi - lo) / 4}) {
      const float f = static_cast<float>(v);
      values.push_back(f);
      values.push_back(std::nextafter(f, 0.0f));
      values.push_back(std::nextafter(f, INFINITY));
    }
  }
  values.push_back(static_cast<float>(g.max) * 1.25f);  // beyond the largest element: saturates
  values.push_back(static_cast<float>(g.neg.back()));
  std::vector<float> out;
  for (int k : {-127, -3, 0, 5, 100}) {
    for (std::size_t start = 0; start < values.size(); start += 31) {
      for (int sign = 0; sign < 2; ++sign) {
        out.push_back(std::ldexp(static_cast<float>(g.max), k));
        for (std::size_t i = 1; i < 32; ++i) {
          const std::size_t at = start + i - 1;
          const float v = at < values.size() ? values[at] : 0.0f;
          out.push_back(std::ldexp(sign ? -v : v, k));
        }
      }
    }
  }
  return out;
}

TEMPLATE_TEST_CASE(
    "block: every pair of neighbouring element values, midpoints and ties, all modes", "[block]",
    SOFTNUM_MX_TYPES) {
  using B = TestType;
  const Grid g = Spec<B>::grid();
  const std::vector<float> x = neighbour_blocks(g);
  for (std::size_t b = 0; b < x.size() / 32; ++b) {
    for (ScaleRule rule : both_rules) {
      for (Round mode : all_modes)
        check_block<B>(g, x.data() + 32 * b, rule, mode, 1234 + b, b * 32);
    }
  }
}

TEMPLATE_TEST_CASE(
    "block: every float with a 16-bit significand from 2^-30 up to 4 * max, all modes",
    "[block][.exhaustive]", SOFTNUM_MX_TYPES) {
  using B = TestType;
  const Grid g = Spec<B>::grid();
  // x[0] = the largest element pins X = 1 under both rules; the other 31 run through the floats.
  const std::uint32_t lo = bits_of(0x1p-30f), hi = bits_of(static_cast<float>(g.max) * 4.0f);
  float x[32];
  x[0] = static_cast<float>(g.max);
  int fill = 1;
  std::uint64_t blocks = 0;
  for (std::uint32_t sign = 0; sign < 2; ++sign) {
    for (std::uint32_t u = lo; u <= hi; u += 0x80u) {
      x[fill++] = float_of(u | (sign << 31));
      if (fill == 32 || u + 0x80u > hi) {
        for (; fill < 32; ++fill) x[fill] = 0.0f;
        for (Round mode : all_modes)
          check_block<B>(g, x, ScaleRule::floor, mode, blocks, 32 * blocks);
        ++blocks;
        fill = 1;
      }
    }
  }
}

TEMPLATE_TEST_CASE("block: random blocks against the reference", "[block]", SOFTNUM_MX_TYPES) {
  using B = TestType;
  const Grid g = Spec<B>::grid();
  std::mt19937_64 rng(2026);
  const std::vector<float> x = random_blocks<B>(rng, 300);
  for (std::size_t b = 0; b < 300; ++b) {
    for (ScaleRule rule : both_rules) {
      for (Round mode : all_modes) check_block<B>(g, x.data() + b * 32, rule, mode, b + 7, b * 32);
    }
  }
}

TEMPLATE_TEST_CASE(
    "block: quantize<B> equals encode/decode block by block, on every instruction set", "[block]",
    SOFTNUM_MX_TYPES) {
  using B = TestType;
  // Every MX format takes the vectorised path (MXINT8 through its float twin).
  STATIC_REQUIRE(softnum::detail::block::fast_path_ok<typename B::element_type>::value);
  std::mt19937_64 rng(7);
  std::vector<float> x = random_blocks<B>(rng, 257);
  x[40] = NAN;
  x[32 * 100 + 5] = -INFINITY;
  for (int i = 0; i < 32; ++i) x[32 * 7 + static_cast<std::size_t>(i)] = 0.0f;
  for (int i = 0; i < 32; ++i)
    x[32 * 9 + static_cast<std::size_t>(i)] = float_of(rng() & 0x807FFFFFu);
  // Large amax with tiny elements: x / X underflows float (to subnormals and to zero).
  for (std::size_t b : {11u, 12u, 13u}) {
    for (std::size_t i = 0; i < 32; ++i) {
      const float tiny =
          float_of(static_cast<std::uint32_t>(rng() % (b == 11 ? 0x00800000u : 0x10000000u)));
      x[32 * b + i] = (i % 2 ? -tiny : tiny);
    }
    x[32 * b] = std::ldexp(1.5f, b == 13 ? 127 : 100);
  }
  const std::vector<float> ties = neighbour_blocks(Spec<B>::grid());
  x.insert(x.end(), ties.begin(), ties.end());
  const int detected = softnum::detail::quant::detected_isa();
  for (int level = detected; level >= 0; --level) {
    softnum::detail::quant::isa_limit() = level;
    for (ScaleRule rule : both_rules) {
      for (Round mode : all_modes) {
        const std::uint64_t seed = 99;
        std::vector<float> y(x.size()), z(x.size());
        softnum::quantize<B>(x, y, rule, mode, seed);
        for (std::size_t b = 0; b < x.size() / 32; ++b) {
          B::encode(x.data() + 32 * b, rule, mode, seed, 32 * b).decode(z.data() + 32 * b);
        }
        std::size_t bad = 0;
        for (std::size_t i = 0; i < x.size(); ++i) bad += bits_of(y[i]) != bits_of(z[i]);
        INFO(Spec<B>::name << " isa " << level << " rule " << static_cast<int>(rule) << " mode "
                           << static_cast<int>(mode));
        CHECK(bad == 0);
        std::vector<float> w = x;  // in place
        softnum::quantize<B>(w, w, rule, mode, seed);
        CHECK(std::memcmp(w.data(), y.data(), w.size() * sizeof(float)) == 0);
      }
    }
  }
  softnum::detail::quant::isa_limit() = -1;
}

TEST_CASE("block: packed storage, two FP4 per byte low nibble first, FP6 as a bit string",
          "[block]") {
  std::mt19937_64 rng(3);
  std::vector<float> x = random_blocks<softnum::mxfp4>(rng, 1);
  const auto b = softnum::mxfp4::encode(x.data());
  for (int j = 0; j < 16; ++j) {
    CHECK(b.packed()[j] == (b.element(2 * j).bits() | (b.element(2 * j + 1).bits() << 4)));
  }
  const auto c = softnum::mxfp4::from_packed(b.scale(), b.packed());
  for (int i = 0; i < 32; ++i) CHECK(c.element(i).bits() == b.element(i).bits());
  CHECK(c.scale().bits() == b.scale().bits());
  // FP6: element i in bits [6i, 6i + 6) of the little-endian byte string.
  const auto d = softnum::mxfp6_e3m2::encode(x.data(), ScaleRule::ceil);
  for (int i = 0; i < 32; ++i) {
    unsigned v = 0;
    for (int t = 0; t < 6; ++t) {
      const int bit = 6 * i + t;
      v |= ((d.packed()[bit / 8] >> (bit % 8)) & 1u) << t;
    }
    CHECK(v == d.element(i).bits());
  }
  softnum::float6_e3m2fn es[32];
  for (int i = 0; i < 32; ++i) es[i] = d.element(i);
  const auto e = softnum::mxfp6_e3m2::from_elements(d.scale(), es);
  CHECK(std::memcmp(e.packed(), d.packed(), softnum::mxfp6_e3m2::packed_bytes) == 0);
}

TEST_CASE("block: encode and decode are constexpr", "[block]") {
  constexpr auto b = [] {
    float x[32] = {};
    x[0] = 957.0f;
    x[1] = 960.0f;
    return softnum::mxfp8_e4m3::encode(x);
  }();
  STATIC_REQUIRE(b.scale().bits() == 128);
  STATIC_REQUIRE(static_cast<double>(b.element(0)) == 448.0);
  constexpr float y0 = [] {
    float x[32] = {3.0f, 1.0f};
    float y[32] = {};
    softnum::mxfp4::encode(x, ScaleRule::floor, Round::up).decode(y);
    return y[1];
  }();
  STATIC_REQUIRE(y0 == 1.0f);
}

// ----- block_dot and gemm_block ----------------------------------------------------------------

/// The value of an element code on a reference grid.
LD grid_value(const Grid& g, unsigned code) {
  for (std::size_t i = 0; i < g.pos.size(); ++i) {
    if (g.pos_code[i] == code) return g.pos[i];
    if (g.neg_code[i] == code) return -g.neg[i];
  }
  throw std::logic_error("no such code");
}

/// The model of gemm/block_gemm.hpp on the oracle's exact arithmetic: products and their sum exact
/// (cpp_int), the scales applied, one rounding to binary32; then float additions in block order
/// (a NaN output is 0x7FC00000). Blocks of finite elements only (block_gemm_test checks infinite
/// and NaN elements).
template <class BA, class BB>
float ref_dot(const Grid& ga, const Grid& gb, const BA& a, const BB& b) {
  if (a.scale().bits() == 0xFF || b.scale().bits() == 0xFF) return float_of(qnan);
  oracle::Exact sum{};
  for (int i = 0; i < BA::block_size; ++i) {
    const auto x = oracle::from_double(static_cast<double>(grid_value(ga, a.element(i).bits())));
    const auto y = oracle::from_double(static_cast<double>(grid_value(gb, b.element(i).bits())));
    const oracle::Exact p = oracle::mul(x, y);
    sum = i == 0 ? p : oracle::add(sum, p, oracle::Mode::nearest_even);
  }
  if (sum.kind == oracle::Exact::finite)
    sum.exp += (a.scale().bits() - 127) + (b.scale().bits() - 127);
  const auto r = oracle::round(sum, oracle::Format{8, 23}, oracle::Mode::nearest_even);
  return float_of(static_cast<std::uint32_t>(r));
}

template <class BA, class BB>
void check_gemm(std::mt19937_64& rng, std::size_t m, std::size_t n, std::size_t kb) {
  const Grid ga = Spec<BA>::grid(), gb = Spec<BB>::grid();
  const std::vector<float> xa = random_blocks<BA>(rng, m * kb), xb = random_blocks<BB>(rng, n * kb);
  std::vector<BA> a;
  std::vector<BB> b;
  for (std::size_t t = 0; t < m * kb; ++t)
    a.push_back(BA::encode(xa.data() + 32 * t, ScaleRule::ceil));
  for (std::size_t t = 0; t < n * kb; ++t)
    b.push_back(BB::encode(xb.data() + 32 * t, ScaleRule::floor));
  // Zero blocks, a NaN block, and blocks of negative zeros.
  a[0] = BA::encode(std::vector<float>(32, -0.0f).data());
  b[1] = BB::encode(std::vector<float>(32, 0.0f).data());
  if (m * kb > 3) {
    std::vector<float> z(xa.begin() + 96, xa.begin() + 128);
    z[7] = NAN;
    a[3] = BA::encode(z.data());
  }
  std::vector<float> c(m * n);
  softnum::gemm_block(m, n, kb, a.data(), b.data(), c.data());
  std::size_t bad = 0;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      float acc = ref_dot(ga, gb, a[i * kb], b[j * kb]);
      for (std::size_t t = 1; t < kb; ++t)
        acc = acc + ref_dot(ga, gb, a[i * kb + t], b[j * kb + t]);
      if (acc != acc) acc = float_of(qnan);  // the model's NaN (+inf + -inf gives x86's -NaN)
      bad += bits_of(acc) != bits_of(c[i * n + j]);
      if (i == 0 && j < 2)
        CHECK(bits_of(softnum::block_dot(a[0], b[j * kb])) ==
              bits_of(ref_dot(ga, gb, a[0], b[j * kb])));
    }
  }
  INFO(Spec<BA>::name << " x " << Spec<BB>::name);
  CHECK(bad == 0);
}

TEST_CASE("gemm_block: exact block sums, scales applied exactly, float accumulation over blocks",
          "[block][gemm]") {
  std::mt19937_64 rng(5);
  check_gemm<softnum::mxfp8_e4m3, softnum::mxfp8_e4m3>(rng, 5, 4, 6);
  check_gemm<softnum::mxfp8_e5m2, softnum::mxfp8_e5m2>(rng, 4, 3, 5);  // the widest exact sums
  check_gemm<softnum::mxfp8_e4m3, softnum::mxfp8_e5m2>(rng, 3, 3, 4);
  check_gemm<softnum::mxfp6_e3m2, softnum::mxfp6_e2m3>(rng, 3, 4, 4);
  check_gemm<softnum::mxfp4, softnum::mxfp4>(rng, 6, 5, 7);
  check_gemm<softnum::mxint8, softnum::mxint8>(rng, 4, 4, 4);
  // One block pair: X = 4 with elements 4, and X = 1/4 with elements 6: 32 * 16 * 1.5.
  float x[32], y[32];
  for (int i = 0; i < 32; ++i) {
    x[i] = 16.0f;
    y[i] = 1.5f;
  }
  const auto a = softnum::mxfp4::encode(x), b = softnum::mxfp4::encode(y);
  CHECK(softnum::block_dot(a, b) == 32.0f * 16.0f * 1.5f);
}

// ----- NVFP4 --------------------------------------------------------------------------------

/// The NVFP4 recipe (FORMATS.md §2.3) written out: float arithmetic where the recipe computes in
/// float, the E4M3 and E2M1 roundings on the reference grids.
std::vector<std::uint32_t> ref_nvfp4(const std::vector<float>& x, Round mode, std::uint64_t seed) {
  static const Grid e4m3 = fp_grid(4, 3, 7, FpKind::fn);
  static const Grid e2m1 = fp_grid(2, 1, 1, FpKind::finite);
  bool any_nan = false;
  float amax = 0;
  for (float v : x) {
    if (std::isnan(v))
      any_nan = true;
    else
      amax = std::max(amax, std::fabs(v));
  }
  std::vector<std::uint32_t> out(x.size(), qnan);
  if (any_nan) return out;
  float s_enc = 448.0f * 6.0f / amax;
  if (s_enc > FLT_MAX) s_enc = FLT_MAX;
  if (s_enc == 0) s_enc = 1;
  const float s_dec = 1.0f / s_enc;
  for (std::size_t b = 0; b < x.size() / 16; ++b) {
    float bmax = 0;
    for (std::size_t i = 0; i < 16; ++i) bmax = std::max(bmax, std::fabs(x[16 * b + i]));
    const float s = std::min(bmax * (s_enc / 6.0f), 448.0f);
    const float sf = static_cast<float>(
        e4m3.pos[round_on(e4m3.pos, static_cast<LD>(s), Round::nearest_even, false, 0)]);
    const float enc = std::min(1.0f / (sf * s_dec), FLT_MAX);
    for (std::size_t i = 0; i < 16; ++i) {
      const std::size_t at = 16 * b + i;
      const float t = std::clamp(x[at] * enc, -6.0f, 6.0f);
      const std::uint32_t word = mode == Round::stochastic ? softnum::random_word(seed, at, 0) : 0u;
      const RefElem q = ref_round(e2m1, static_cast<LD>(t), mode, word);
      out[at] = bits_of(static_cast<float>(q.value * static_cast<LD>(sf) * static_cast<LD>(s_dec)));
    }
  }
  return out;
}

void check_nvfp4(const std::vector<float>& x, Round mode, std::uint64_t seed) {
  std::vector<float> y(x.size());
  softnum::quantize_nvfp4(x, y, mode, seed);
  const auto r = ref_nvfp4(x, mode, seed);
  std::size_t bad = 0, first = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (bits_of(y[i]) != r[i] && bad++ == 0) first = i;
  }
  INFO("mode " << static_cast<int>(mode) << " first bad " << first << " x " << x[first] << " y "
               << y[first] << " ref " << float_of(r[first]));
  CHECK(bad == 0);
}

TEST_CASE("nvfp4: quantize_nvfp4 against the recipe", "[block][nvfp4]") {
  std::mt19937_64 rng(11);
  for (int rep = 0; rep < 20; ++rep) {
    std::vector<float> x = random_blocks<softnum::mxfp4>(rng, 8);  // 256 values, wide ranges
    if (rep % 3 == 0) {
      // One exponent range for the tensor, so the block scales stay in E4M3 range.
      for (auto& v : x)
        v = std::ldexp(v == 0 ? 0.0f : std::ldexp(1.0f, -std::ilogb(v)) * v,
                       rep - 10 - static_cast<int>(rng() % 12));
    }
    for (Round mode : all_modes) check_nvfp4(x, mode, static_cast<std::uint64_t>(rep));
  }
  // More than one chunk of blocks (the stochastic words continue across chunks).
  {
    std::vector<float> x = random_blocks<softnum::mxfp4>(rng, 100);
    for (auto& v : x)
      v = std::ldexp(v == 0 ? 0.0f : std::ldexp(1.0f, -std::ilogb(v)) * v,
                     static_cast<int>(rng() % 16));
    for (Round mode : all_modes) check_nvfp4(x, mode, 77);
  }
  // Ties of E2M1 after the scale (0.25 -> 0, 0.75 -> 1, 1.25 -> 1, 2.5 -> 2, 5 -> 4) and all zeros.
  std::vector<float> t(32, 0.0f);
  const float ties[] = {6.0f, 0.25f, 0.75f, 1.25f, 1.75f, 2.5f, 3.5f, 5.0f, -5.0f, -0.25f};
  for (std::size_t i = 0; i < std::size(ties); ++i) t[i] = ties[i];
  for (Round mode : all_modes) {
    check_nvfp4(t, mode, 1);
    check_nvfp4(std::vector<float>(48, 0.0f), mode, 1);
  }
  std::vector<float> y(32);
  softnum::quantize_nvfp4(t, y);
  CHECK(y[1] == 0.0f);
  CHECK(y[2] == 1.0f);
  CHECK(y[3] == 1.0f);
  CHECK(y[5] == 2.0f);
  CHECK(y[7] == 4.0f);
  CHECK(y[8] == -4.0f);
  // An infinity: S_enc = 1, its block saturates; a NaN: everything NaN.
  std::vector<float> s(32, 1.0f);
  s[3] = INFINITY;
  for (Round mode : all_modes) check_nvfp4(s, mode, 2);
  softnum::quantize_nvfp4(s, y);
  CHECK(y[3] == 2688.0f);
  s[20] = NAN;
  for (Round mode : all_modes) check_nvfp4(s, mode, 2);
}

}  // namespace
