// scripts/peers/softnum_dump.cpp - prints softnum's decode tables, roundings and MX blocks as text,
// for scripts/peers/gfloat_compare.py to check against gfloat (docs/peers.md).
// SPDX-License-Identifier: MIT
//
// Not part of the build. Compile: g++ -O2 -std=c++20 -I include scripts/peers/softnum_dump.cpp
// Output, one record a line, doubles in C99 hex (%a), "nan", "inf" or "-inf":
//   F <format> <width>                                a format follows
//   D <format> <code> <value>                         decode table, every code
//   R <format> <sat> <mode> <input> <value>           rounding of one double
//     sat: ovf (the type's own overflow), sat (Overflow::saturate), or P3109's none / finite /
//     propagate; mode: rne rna rtz up down odd, or srA|srB|srC:<N>:<R> (stochastic variant, N
//     random bits, R the random integer: the top N bits of the word softnum takes)
//   B <block> floor <mode> <id> <scale> x <32 inputs> y <32 outputs>   one MX block, encoded then
//     decoded (scale: the E8M0 scale's value)
#include <softnum/block.hpp>
#include <softnum/convert.hpp>
#include <softnum/fixed.hpp>
#include <softnum/float.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace {

using softnum::Domain;
using softnum::Round;
using softnum::Saturation;
using softnum::Signedness;

void put(double v) {
  if (std::isnan(v)) {
    std::printf(" nan");
  } else if (std::isinf(v)) {
    std::printf(v > 0 ? " inf" : " -inf");
  } else {
    std::printf(" %a", v);
  }
}

struct Mode {
  const char* name;
  Round round;
};
constexpr Mode modes[] = {{"rne", Round::nearest_even}, {"rna", Round::nearest_away},
                          {"rtz", Round::toward_zero},  {"up", Round::up},
                          {"down", Round::down},        {"odd", Round::odd}};

// Stochastic rounding: (N random bits, R) pairs.
struct SrCase {
  int bits;
  std::uint32_t r;
};
constexpr SrCase sr_cases[] = {{1, 0}, {1, 1},   {3, 0},   {3, 3},  {3, 7},
                               {8, 0}, {8, 127}, {8, 128}, {8, 255}};

template <class T>
int width_of() {
  if constexpr (requires { T::codec::width; }) {
    return T::codec::width;
  } else {
    return T::integer_bits + T::fraction_bits;
  }
}

template <class T>
double value_of(std::uint64_t code) {
  return static_cast<double>(T::from_bits(static_cast<typename T::storage_type>(code)));
}

// Inputs: every code's value, its neighbours in double, the midpoints of neighbouring values and
// their neighbours, values beyond the largest and below the smallest, zeros, inf, NaN; both signs.
// stride > 1 keeps every stride-th neighbour pair (16-bit formats) plus the first and last 64.
std::vector<double> inputs_from(std::vector<double> v, int stride) {
  std::vector<double> pos;
  for (double x : v)
    if (std::isfinite(x) && x >= 0) pos.push_back(x);
  std::sort(pos.begin(), pos.end());
  pos.erase(std::unique(pos.begin(), pos.end()), pos.end());
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> in;
  const std::size_t n = pos.size();
  for (std::size_t i = 0; i + 1 < n; ++i) {
    if (stride > 1 && i % stride != 0 && i > 64 && i + 65 < n) continue;
    const double a = pos[i], b = pos[i + 1], mid = a + (b - a) / 2;
    for (double x : {a, std::nextafter(a, inf), mid, std::nextafter(mid, -inf),
                     std::nextafter(mid, inf), std::nextafter(b, -inf)})
      in.push_back(x);
  }
  const double max = pos.back(), low = pos[0] > 0 ? pos[0] : pos[1];
  const double step = n >= 2 ? max - pos[n - 2] : max;
  for (double x :
       {max, std::nextafter(max, inf), max + step / 2, std::nextafter(max + step / 2, -inf),
        std::nextafter(max + step / 2, inf), max + step, max * 1.5, max * 2, max * 4, 0x1p127,
        0x1.fffffep127, 0x1p128, 1e300, std::numeric_limits<double>::max(), inf})
    in.push_back(x);
  for (double x :
       {low / 2, std::nextafter(low / 2, -inf), std::nextafter(low / 2, inf), low / 4, low * 0.75,
        low / 1024, 0x1p-126, 0x1p-149, std::numeric_limits<double>::denorm_min(), 0.0})
    in.push_back(x);
  const std::size_t half = in.size();
  for (std::size_t i = 0; i < half; ++i) in.push_back(-in[i]);
  in.push_back(std::numeric_limits<double>::quiet_NaN());
  return in;
}

template <class T>
void dump_decode(const char* name, std::vector<double>& values) {
  const int w = width_of<T>();
  std::printf("F %s %d\n", name, w);
  for (std::uint64_t c = 0; c < (std::uint64_t{1} << w); ++c) {
    const double v = value_of<T>(c);
    values.push_back(v);
    std::printf("D %s %llu", name, static_cast<unsigned long long>(c));
    put(v);
    std::printf("\n");
  }
}

// x rounded once to T in mode r.
template <class T>
T round_to(double x, Round r) {
  using softnum::convert;
  switch (r) {
    case Round::nearest_even:
      return convert<T, Round::nearest_even>(x);
    case Round::nearest_away:
      return convert<T, Round::nearest_away>(x);
    case Round::toward_zero:
      return convert<T, Round::toward_zero>(x);
    case Round::up:
      return convert<T, Round::up>(x);
    case Round::down:
      return convert<T, Round::down>(x);
    case Round::odd:
      return convert<T, Round::odd>(x);
    case Round::stochastic:
      break;
  }
  return convert<T, Round::nearest_even>(x);
}

template <class T>
void dump_round(const char* name, const char* sat, const std::vector<double>& in, bool sr) {
  for (const Mode& m : modes)
    for (double x : in) {
      const T r = round_to<T>(x, m.round);
      std::printf("R %s %s %s", name, sat, m.name);
      put(x);
      put(static_cast<double>(r));
      std::printf("\n");
    }
  if constexpr (requires { T::codec::width; }) {
    if (!sr) return;
    constexpr softnum::SRVariant variants[] = {softnum::SRVariant::A, softnum::SRVariant::B,
                                               softnum::SRVariant::C};
    for (int v = 0; v < 3; ++v)
      for (const SrCase& c : sr_cases)
        for (double x : in) {
          const std::uint32_t word = c.r << (32 - c.bits);
          // binary64(x) is exact: its unpacked value is x's.
          const T r = T::from_unpacked(softnum::binary64(x).unpack(),
                                       softnum::Stochastic{variants[v], c.bits}, word);
          std::printf("R %s %s sr%c:%d:%u", name, sat, "ABC"[v], c.bits,
                      static_cast<unsigned>(c.r));
          put(x);
          put(static_cast<double>(r));
          std::printf("\n");
        }
  }
}

// An OCP-style or ml_dtypes-style format: its own overflow, and saturating where that differs.
template <class T>
void scalar(const char* name, int stride = 1) {
  std::vector<double> values;
  dump_decode<T>(name, values);
  const auto in = inputs_from(values, stride);
  const bool sr = width_of<T>() <= 8;
  if constexpr (requires { T::codec::width; }) {
    if constexpr (T::overflow == softnum::Overflow::saturate) {
      dump_round<T>(name, "sat", in, sr);
    } else {
      dump_round<T>(name, "ovf", in, sr);
      dump_round<softnum::with_overflow_t<T, softnum::Overflow::saturate>>(name, "sat", in, false);
    }
  } else {
    dump_round<T>(name, "sat", in, false);  // Fixed: saturating
  }
}

template <int K, int P, Signedness Sg, Domain D>
void p3109() {
  using T = softnum::P3109<K, P, Sg, D>;
  const std::string name = "binary" + std::to_string(K) + "p" + std::to_string(P) +
                           (Sg == Signedness::signed_ ? "s" : "u") +
                           (D == Domain::extended ? "e" : "f");
  std::vector<double> values;
  dump_decode<T>(name.c_str(), values);
  const auto in = inputs_from(values, 1);
  dump_round<T>(name.c_str(), "none", in, true);
  dump_round<softnum::with_saturation_t<T, Saturation::finite>>(name.c_str(), "finite", in, false);
  dump_round<softnum::with_saturation_t<T, Saturation::propagate>>(name.c_str(), "propagate", in,
                                                                   false);
}

template <int K, int P>
void p3109_all_signed() {
  p3109<K, P, Signedness::signed_, Domain::extended>();
  p3109<K, P, Signedness::signed_, Domain::finite>();
}
template <int K, int P>
void p3109_all_unsigned() {
  p3109<K, P, Signedness::unsigned_, Domain::extended>();
  p3109<K, P, Signedness::unsigned_, Domain::finite>();
}

// Blocks ------------------------------------------------------------------------------------------
struct Lcg {
  std::uint64_t s;
  std::uint32_t next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(s >> 32);
  }
  double uniform() { return (next() >> 8) * 0x1p-24; }
};

std::vector<std::vector<float>> block_inputs() {
  std::vector<std::vector<float>> out;
  const float inf = std::numeric_limits<float>::infinity(),
              nan = std::numeric_limits<float>::quiet_NaN();
  auto filled = [](float v) { return std::vector<float>(32, v); };
  std::vector<float> b(32, 0.0f);
  for (int i = 0; i < 32; ++i) b[i] = static_cast<float>(i) * 30.0f;  // 930 is the max
  b[31] = 960.0f;
  b[30] = 957.0f;  // microxcaling issue 4: 957 becomes 896 in MXFP8 E4M3
  out.push_back(b);
  out.push_back(filled(0.0f));
  out.push_back(filled(-0.0f));
  b = filled(1.0f);
  b[5] = nan;
  out.push_back(b);
  b = filled(1.0f);
  b[7] = inf;
  out.push_back(b);
  b = filled(-2.5f);
  b[0] = -inf;
  out.push_back(b);
  // amax at, just below and just above a power of two; amax with each element's clipping edge.
  for (float top : {1.0f, 0x1.fffffep0f, 0x1.000002p0f, 1.5f, 1.75f, 1.875f, 0x1.8p-130f, 0x1p-149f,
                    0x1.fffffep127f}) {
    b = filled(0.0f);
    for (int i = 0; i < 32; ++i) b[i] = top * (static_cast<float>(i - 16) / 16.0f);
    b[3] = top;
    out.push_back(b);
  }
  // Ties: x / X on every midpoint of a 1/16 grid, both signs.
  b = filled(0.0f);
  for (int i = 0; i < 32; ++i)
    b[i] = (static_cast<float>(i) + 0.5f) / 8.0f * (i % 2 ? -1.0f : 1.0f);
  b[0] = 4.0f;
  out.push_back(b);
  // Random blocks: signed values with exponents over a wide range, some subnormal floats.
  Lcg g{12345};
  for (int k = 0; k < 40; ++k) {
    const int e0 = static_cast<int>(g.next() % 260) - 150;
    const int spread = static_cast<int>(g.next() % 12);
    for (int i = 0; i < 32; ++i) {
      const int e = e0 - static_cast<int>(g.next() % (spread + 1));
      const double m = 1.0 + g.uniform();
      b[i] = static_cast<float>(std::ldexp(g.next() % 2 ? -m : m, std::clamp(e, -149, 127)));
    }
    out.push_back(b);
  }
  return out;
}

template <class B>
void block(const char* name, const std::vector<std::vector<float>>& inputs) {
  for (const Mode& m : modes) {
    if (m.round == Round::odd) continue;
    for (std::size_t id = 0; id < inputs.size(); ++id) {
      const auto& x = inputs[id];
      const B b = B::encode(x.data(), softnum::ScaleRule::floor, m.round);
      float y[32];
      b.decode(y);
      std::printf("B %s floor %s %zu", name, m.name, id);
      put(static_cast<double>(b.scale()));
      std::printf(" x");
      for (float v : x) put(v);
      std::printf(" y");
      for (float v : y) put(v);
      std::printf("\n");
    }
  }
}

}  // namespace

int main() {
  using namespace softnum;
  scalar<float8_e4m3fn>("float8_e4m3fn");
  scalar<float8_e5m2>("float8_e5m2");
  scalar<float6_e2m3fn>("float6_e2m3fn");
  scalar<float6_e3m2fn>("float6_e3m2fn");
  scalar<float4_e2m1fn>("float4_e2m1fn");
  scalar<float8_e8m0fnu>("float8_e8m0fnu");
  scalar<float8_ue4m3>("float8_ue4m3");
  scalar<float8_e4m3>("float8_e4m3");
  scalar<float8_e4m3fnuz>("float8_e4m3fnuz");
  scalar<float8_e5m2fnuz>("float8_e5m2fnuz");
  scalar<float8_e4m3b11fnuz>("float8_e4m3b11fnuz");
  scalar<float8_e3m4>("float8_e3m4");
  scalar<Fixed<2, 6>>("fixed2_6");
  scalar<binary16>("binary16", 41);
  scalar<bfloat16>("bfloat16", 41);
  p3109_all_signed<8, 1>();
  p3109_all_signed<8, 2>();
  p3109_all_signed<8, 3>();
  p3109_all_signed<8, 4>();
  p3109_all_signed<8, 5>();
  p3109_all_signed<8, 6>();
  p3109_all_signed<8, 7>();
  p3109_all_unsigned<8, 1>();
  p3109_all_unsigned<8, 2>();
  p3109_all_unsigned<8, 3>();
  p3109_all_unsigned<8, 4>();
  p3109_all_unsigned<8, 5>();
  p3109_all_unsigned<8, 6>();
  p3109_all_unsigned<8, 7>();
  p3109_all_unsigned<8, 8>();
  p3109_all_signed<3, 2>();
  p3109_all_signed<4, 2>();
  p3109_all_signed<4, 3>();
  p3109_all_signed<6, 3>();
  p3109_all_signed<6, 4>();
  p3109_all_unsigned<4, 2>();
  const auto in = block_inputs();
  block<mxfp8_e4m3>("mxfp8_e4m3", in);
  block<mxfp8_e5m2>("mxfp8_e5m2", in);
  block<mxfp6_e3m2>("mxfp6_e3m2", in);
  block<mxfp6_e2m3>("mxfp6_e2m3", in);
  block<mxfp4>("mxfp4", in);
  block<mxint8>("mxint8", in);
  return 0;
}
