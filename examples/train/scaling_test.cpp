// train_scaling_test: the per-tensor fp8 scaling of softnum_train (scaling.hpp) against an
// independent computation: the E4M3 / E5M2 value sets enumerated from their definitions (OCP
// OFP8: E4M3 bias 7, no inf, S.1111.111 NaN, max 448; E5M2 bias 15, IEEE specials, max 57344),
// nearest-even by search over that set, saturation by clamping, and the fp32 steps of
// TransformerEngine's recipe evaluated in double and rounded once to float (the products of two
// floats are exact in double; a quotient of floats rounded to double then to float is the
// correctly rounded float quotient, 53 >= 2 * 24 + 2). No softnum code is used for the expected
// values. Exit status 0 when every check holds.
#include "scaling.hpp"

#include <softnum/random.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const char* what, double got = 0, double want = 0) {
  if (!ok) {
    ++failures;
    if (failures <= 20) std::printf("FAIL: %s (got %.9g, want %.9g)\n", what, got, want);
  }
}

void check(bool ok, const char* what, float got, float want) {
  check(ok, what, static_cast<double>(got), static_cast<double>(want));
}

bool same_bits(float a, float b) {
  std::uint32_t x, y;
  std::memcpy(&x, &a, 4);
  std::memcpy(&y, &b, 4);
  return x == y || (std::isnan(a) && std::isnan(b));
}

/// The non-negative values of an OFP8 format in code order, with "even" = last mantissa bit 0.
struct Grid {
  std::vector<double> value;
  std::vector<bool> even;
  double max = 0;
};

Grid make_grid(int E, int M, int bias, bool e4m3) {
  Grid g;
  for (int e = 0; e < (1 << E); ++e) {
    for (int m = 0; m < (1 << M); ++m) {
      if (e4m3 && e == (1 << E) - 1 && m == (1 << M) - 1) continue;  // NaN
      if (!e4m3 && e == (1 << E) - 1) continue;                      // inf / NaN
      const double frac = static_cast<double>(m) / (1 << M);
      const double v = e == 0 ? std::ldexp(frac, 1 - bias) : std::ldexp(1 + frac, e - bias);
      g.value.push_back(v);
      g.even.push_back(m % 2 == 0);
    }
  }
  g.max = g.value.back();
  return g;
}

/// Round to nearest, ties to the even code, saturating at +-max.
double ref_round(const Grid& g, double t) {
  if (std::isnan(t)) return t;
  const double a = std::fmin(std::fabs(t), g.max);
  std::size_t best = 0;
  for (std::size_t i = 1; i < g.value.size(); ++i) {
    const double d = std::fabs(g.value[i] - a), db = std::fabs(g.value[best] - a);
    if (d < db || (d == db && g.even[i])) best = i;
  }
  return std::copysign(g.value[best], t);
}

float ref_scale(float amax, float fp8_max) {
  if (!(amax > 0) || std::isinf(amax)) return 1.0f;
  const double s = static_cast<double>(fp8_max) / static_cast<double>(amax);
  return s > static_cast<double>(std::numeric_limits<float>::max())
             ? std::numeric_limits<float>::max()
             : static_cast<float>(s);
}

float ref_fake(const Grid& g, float x, float scale) {
  const auto t = static_cast<float>(static_cast<double>(x) * static_cast<double>(scale));
  const double q = ref_round(g, static_cast<double>(t));
  const auto inv = static_cast<float>(1.0 / static_cast<double>(scale));
  return static_cast<float>(q * static_cast<double>(inv));
}

float random_float(softnum::Philox& gen, int emin, int emax) {
  const double u = (gen() + 0.5) * 0x1p-32, m = 1 + (gen() + 0.5) * 0x1p-32;
  const int e = emin + static_cast<int>(gen() % static_cast<std::uint32_t>(emax - emin + 1));
  return static_cast<float>((u < 0.5 ? -1 : 1) * std::ldexp(m, e));
}

}  // namespace

int main() {
  using namespace train;
  const Grid e4m3 = make_grid(4, 3, 7, true), e5m2 = make_grid(5, 2, 15, false);
  check(e4m3.max == 448 && kE4M3Max == 448.0f, "E4M3 max", e4m3.max, 448);
  check(e5m2.max == 57344 && kE5M2Max == 57344.0f, "E5M2 max", e5m2.max, 57344);

  // Scale values: ordinary, exact, subnormal amax (scale overflows fp32: FLT_MAX), 0, inf, NaN.
  const float amaxes[] = {1.0f, 3.0f,     448.0f, 0.1f,  1e-30f,         1e-40f,
                          0.0f, INFINITY, NAN,    7e30f, 1.17549435e-38f};
  for (float a : amaxes) {
    for (float mx : {kE4M3Max, kE5M2Max})
      check(same_bits(current_scale(a, mx), ref_scale(a, mx)), "current_scale",
            current_scale(a, mx), ref_scale(a, mx));
  }
  // Power-of-two scales: 2^floor(log2(fp8_max / amax)) of the correctly rounded quotient.
  for (float a : amaxes) {
    for (float mx : {kE4M3Max, kE5M2Max}) {
      const float r = ref_scale(a, mx);
      int e = 0;
      std::frexp(static_cast<double>(r), &e);
      const auto want = static_cast<float>(std::ldexp(1.0, e - 1));
      check(same_bits(current_scale(a, mx, true), want), "current_scale pow2",
            current_scale(a, mx, true), want);
    }
  }
  check(current_scale(3.0f, kE4M3Max, true) == 128.0f &&
            current_scale(448.0f, kE4M3Max, true) == 1.0f,
        "pow2 examples: 448/3 -> 128, 448/448 -> 1");
  check(parse_scaling("fp8_current:pow2").pow2 && !parse_scaling("fp8_current").pow2,
        "fp8_current:pow2");
  check(current_scale(0.0f, kE4M3Max) == 1.0f && current_scale(NAN, kE4M3Max) == 1.0f &&
            current_scale(INFINITY, kE5M2Max) == 1.0f,
        "scale 1 for amax 0, NaN, inf");
  check(current_scale(1e-40f, kE4M3Max) == std::numeric_limits<float>::max(),
        "scale FLT_MAX when 448/amax overflows");

  // amax: NaN skipped, inf kept, sign ignored.
  {
    const float v[] = {-3.0f, NAN, 2.0f};
    check(amax_of(v, 3) == 3.0f, "amax skips NaN", amax_of(v, 3), 3);
    const float w[] = {1.0f, -INFINITY};
    check(std::isinf(amax_of(w, 2)), "amax keeps inf");
  }

  // Fake quantization, bit for bit against the reference: random tensors scaled by their own
  // amax (current scaling), and by scales that push values past fp8_max (saturation).
  softnum::Philox gen(2026, 15);
  for (int trial = 0; trial < 200; ++trial) {
    const bool e5 = trial % 2 == 1;
    const Grid& g = e5 ? e5m2 : e4m3;
    const float mx = e5 ? kE5M2Max : kE4M3Max;
    std::vector<float> x(257), y(x.size());
    for (float& v : x) v = random_float(gen, -40 + trial % 30, trial % 20);
    x[3] = 0.0f;
    x[4] = -0.0f;
    float scale = current_scale(amax_of(x.data(), x.size()), mx);
    if (trial % 4 >= 2) scale *= 64.0f;  // as a stale delayed scale: most of the top saturates
    if (trial % 8 == 1) scale = current_scale(amax_of(x.data(), x.size()), mx, true);  // pow2
    fake_quantize_fp8(x.data(), y.data(), x.size(), scale, e5);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const float want = ref_fake(g, x[i], scale);
      check(same_bits(y[i], want), e5 ? "fake_quantize_fp8 E5M2" : "fake_quantize_fp8 E4M3", y[i],
            want);
    }
    // With the tensor's own fp32 scale the largest element maps onto fp8_max.
    if (trial % 4 < 2 && trial % 8 != 1) {
      float top = 0;
      for (std::size_t i = 0; i < x.size(); ++i) top = std::fmax(top, std::fabs(x[i] * scale));
      check(std::fabs(top - mx) <= mx * 0x1p-23f, "amax * scale == fp8_max (within fp32 rounding)",
            top, mx);
    }
  }
  // Saturation and ties on chosen values (E4M3 with scale 1): 464 is the midpoint between 448 and
  // the next binade's first step (saturates), 1e6 saturates, 1.0625 ties to 1, 1.1875 ties to 1.25.
  {
    const float x[] = {464.0f, -1e6f, 1.0625f, 1.1875f, 0x1p-10f, 0x1p-11f, 0x1.8p-10f};
    // E4M3's smallest subnormal is 2^-9: 2^-10 is a tie with 0 (even) -> 0, 1.5 * 2^-10 -> 2^-9.
    const float want[] = {448.0f, -448.0f, 1.0f, 1.25f, 0.0f, 0.0f, 0x1p-9f};
    float y[7];
    fake_quantize_fp8(x, y, 7, 1.0f, false);
    for (int i = 0; i < 7; ++i)
      check(same_bits(y[i], want[i]), "E4M3 chosen values", y[i], want[i]);
    // E5M2 with scale 1: 61440 (midpoint above 57344) and 1e9 saturate to 57344.
    const float x5[] = {61440.0f, 1e9f, -70000.0f};
    float y5[3];
    fake_quantize_fp8(x5, y5, 3, 1.0f, true);
    for (int i = 0; i < 3; ++i) check(std::fabs(y5[i]) == 57344.0f, "E5M2 saturates", y5[i], 57344);
  }

  // Delayed scaling: the scale in use starts at 1 and, after each recorded step, is fp8_max over
  // the max of the last `length` amaxes (finite and > 0), else unchanged.
  for (int length : {1, 3, 16}) {
    AmaxHistory h(length);
    std::vector<float> seen;
    float want = 1.0f;
    check(h.scale() == 1.0f, "initial delayed scale is 1");
    for (int t = 0; t < 60; ++t) {
      float a = random_float(gen, -8, 8);
      a = std::fabs(a);
      if (t == 10) a = 1000.0f;         // a spike: dominates the next `length` scales
      if (t >= 30 && t < 35) a = 0.0f;  // zero amaxes
      if (t == 40) a = NAN;             // skipped by the max
      if (t == 45) a = INFINITY;        // max is inf: the scale is kept
      check(same_bits(h.scale(), want), "delayed scale in use", h.scale(), want);
      h.record(a, kE4M3Max);
      seen.push_back(a);
      double m = 0;
      for (std::size_t i = seen.size() > static_cast<std::size_t>(length)
                               ? seen.size() - static_cast<std::size_t>(length)
                               : 0;
           i < seen.size(); ++i)
        if (!std::isnan(seen[i])) m = std::fmax(m, static_cast<double>(seen[i]));
      if (std::isfinite(m) && m > 0) want = static_cast<float>(448.0 / m);
      check(
          h.window().size() == std::min<std::size_t>(seen.size(), static_cast<std::size_t>(length)),
          "history length");
    }
  }
  // Worked example with a history of 3: amaxes 4, 1, 1, 1 give scales 1, 112, 112, 112, 448.
  {
    AmaxHistory h(3);
    const float a[] = {4, 1, 1, 1};
    const float want[] = {1, 112, 112, 112, 448};
    for (int t = 0; t < 4; ++t) {
      check(h.scale() == want[t], "history-3 example", h.scale(), want[t]);
      h.record(a[t], kE4M3Max);
    }
    check(h.scale() == want[4], "history-3 example, last", h.scale(), want[4]);
  }

  // Block recipes: stochastic rounding reproducible from the seed, and each result one of the
  // two neighbours the nearest mode could give (MXFP4 ceil: this block's scale is 1, since its
  // amax 6 is the largest E2M1 value, so the element grid is {0, .5, 1, 1.5, 2, 3, 4, 6}).
  {
    Scaling s = parse_scaling("mxfp4");
    std::vector<float> x(32), y1(32), y2(32), y3(32);
    for (int i = 0; i < 32; ++i)
      x[static_cast<std::size_t>(i)] = 6.0f * static_cast<float>(i) / 31.0f;
    fake_quantize_blocks(s, x.data(), y1.data(), 32, softnum::Round::stochastic, 7);
    fake_quantize_blocks(s, x.data(), y2.data(), 32, softnum::Round::stochastic, 7);
    fake_quantize_blocks(s, x.data(), y3.data(), 32, softnum::Round::stochastic, 8);
    const double grid[] = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
    bool differs = false;
    for (std::size_t i = 0; i < 32; ++i) {
      check(same_bits(y1[i], y2[i]), "SR reproducible from the seed", y1[i], y2[i]);
      differs = differs || !same_bits(y1[i], y3[i]);
      double lo = 0, hi = 6;
      for (double v : grid) {
        if (v <= static_cast<double>(x[i])) lo = v;
      }
      for (int j = 7; j >= 0; --j) {
        if (grid[j] >= static_cast<double>(x[i])) hi = grid[j];
      }
      check(static_cast<double>(y1[i]) == lo || static_cast<double>(y1[i]) == hi,
            "SR gives a neighbour", static_cast<double>(y1[i]), static_cast<double>(x[i]));
    }
    check(differs, "another seed gives other roundings");
  }

  // Recipe names and parameters.
  check(parse_scaling("fp8_delayed").history == 16 &&
            parse_scaling("fp8_delayed:1024").history == 1024,
        "fp8_delayed history");
  check(parse_scaling("mxfp8").rule == softnum::ScaleRule::ceil &&
            parse_scaling("mxfp8:floor").rule == softnum::ScaleRule::floor,
        "mx scale rule");
  check(parse_scaling("nvfp4").block() == 16 && parse_scaling("mxfp6").block() == 32 &&
            parse_scaling("fp8_current").block() == 1,
        "block sizes");
  for (const char* bad : {"fp8", "fp8_delayed:0", "fp8_delayed:x", "mxfp4:up", "nvfp4:2",
                          "fp8_current:3", "fp8_delayed:pow2", ""}) {
    bool threw = false;
    try {
      parse_scaling(bad);
    } catch (const std::invalid_argument&) {
      threw = true;
    }
    check(threw, "bad scaling name rejected");
  }

  std::printf("%s: %d failure(s)\n", failures == 0 ? "ok" : "FAILED", failures);
  return failures == 0 ? 0 : 1;
}
