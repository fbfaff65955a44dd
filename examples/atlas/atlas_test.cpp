// The atlas against facts written from the standards, not from softnum: OCP OFP8 v1.0 (E4M3 and
// E5M2 tables), OCP MX v1.0 (§5.3 FP6/FP4, §5.4 INT8 and E8M0, §5.2 block size 32), IEEE P3109
// Interim Report v4.0 (bias 2^(K-P-1) signed / 2^(K-P) unsigned, one zero, NaN at 0x80 signed /
// 0xFF unsigned, +-inf below NaN in the extended domain), IEEE 754-2019 binary16/32, the NVFP4
// layout (16 E2M1 values per unsigned E4M3 scale), ml_dtypes' fnuz and e3m4 types.
#include "atlas.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace {

using softnum::BlockFormatEntry;
using softnum::FormatEntry;

const FormatEntry& entry(const std::string& name) {
  const FormatEntry* e = softnum::find_format(atlas::formats(), name);
  REQUIRE(e != nullptr);
  return *e;
}

const BlockFormatEntry& block(const std::string& name) {
  for (const BlockFormatEntry& b : atlas::block_formats()) {
    if (b.name == name) return b;
  }
  FAIL("no block format " << name);
  throw;  // not reached
}

std::uint64_t nan_count(const FormatEntry& e) {
  return static_cast<std::uint64_t>(std::ldexp(e.nan_fraction, e.bits));
}

struct Fact {
  const char* name;
  int bits, exponent_bits, fraction_bits, bias;
  double max, min_normal, min_subnormal;
  bool inf;
  std::uint64_t nans;
  int zeros;
};

// Written from the documents named at the top of this file.
const Fact facts[] = {
    // name             bits E  M  bias max            min normal  min subnormal inf  NaNs  zeros
    {"binary16", 16, 5, 10, 15, 65504, 0x1p-14, 0x1p-24, true, 2046, 2},
    {"binary32", 32, 8, 23, 127, 3.4028234663852886e38, 1.1754943508222875e-38,
     1.401298464324817e-45, true, (std::uint64_t{1} << 24) - 2, 2},
    {"bfloat16", 16, 8, 7, 127, 3.3895313892515355e38, 0x1p-126, 0x1p-133, true, 254, 2},
    {"float8_e4m3fn", 8, 4, 3, 7, 448, 0.015625, 0.001953125, false, 2, 2},  // OFP8 Table 1
    {"float8_e5m2", 8, 5, 2, 15, 57344, 0.00006103515625, 0.0000152587890625, true, 6,
     2},  // OFP8 Table 1
    {"float8_e4m3fnuz", 8, 4, 3, 8, 240, 0x1p-7, 0x1p-10, false, 1, 1},
    {"float8_e5m2fnuz", 8, 5, 2, 16, 57344, 0x1p-15, 0x1p-17, false, 1, 1},
    {"float8_e4m3b11fnuz", 8, 4, 3, 11, 30, 0x1p-10, 0x1p-13, false, 1, 1},
    {"float8_e3m4", 8, 3, 4, 3, 15.5, 0.25, 0.015625, true, 30, 2},
    {"float6_e2m3fn", 6, 2, 3, 1, 7.5, 1.0, 0.125, false, 0, 2},   // MX Table 3
    {"float6_e3m2fn", 6, 3, 2, 3, 28, 0.25, 0.0625, false, 0, 2},  // MX Table 3
    {"float4_e2m1fn", 4, 2, 1, 1, 6, 1.0, 0.5, false, 0, 2},       // MX Table 5
    {"float8_e8m0fnu", 8, 8, 0, 127, 0x1p127, 0x1p-127, 0x1p-127, false, 1,
     0},  // MX Table 7: NaN 0xFF
    {"float8_ue4m3", 7, 4, 3, 7, 448, 0.015625, 0.001953125, false, 1, 1},
    // IEEE P3109 v4.0: binary<K>p<P>; the largest finite value sits below +inf (extended) or NaN.
    {"binary8p3se", 8, 5, 2, 16, 49152, 0x1p-15, 0x1p-17, true, 1, 1},
    {"binary8p4se", 8, 4, 3, 8, 224, 0x1p-7, 0x1p-10, true, 1, 1},
    {"binary8p5se", 8, 3, 4, 4, 15, 0.125, 0x1p-7, true, 1, 1},
    {"binary8p3sf", 8, 5, 2, 16, 57344, 0x1p-15, 0x1p-17, false, 1, 1},
    {"binary8p4sf", 8, 4, 3, 8, 240, 0x1p-7, 0x1p-10, false, 1, 1},
    {"binary4p2sf", 4, 2, 1, 2, 3, 0.5, 0.25, false, 1, 1},
    {"binary8p1uf", 8, 8, 0, 128, 0x1p126, 0x1p-127, 0x1p-127, false, 1, 1},
    {"binary8p4ue", 8, 5, 3, 16, 53248, 0x1p-15, 0x1p-18, true, 1, 1},
};

}  // namespace

TEST_CASE("atlas: scalar cards match the standards' values", "[atlas]") {
  for (const Fact& f : facts) {
    INFO(f.name);
    const FormatEntry& e = entry(f.name);
    CHECK(e.bits == f.bits);
    CHECK(e.exponent_bits == f.exponent_bits);
    CHECK(e.fraction_bits == f.fraction_bits);
    CHECK(e.bias == f.bias);
    CHECK(e.max == f.max);
    CHECK(e.min_normal == f.min_normal);
    CHECK(e.min_positive == f.min_subnormal);
    CHECK(e.has_infinity == f.inf);
    CHECK(nan_count(e) == f.nans);
    CHECK(e.zeros == f.zeros);
  }
}

TEST_CASE("atlas: special codes and overflow as the standards give them", "[atlas]") {
  using V = std::vector<std::uint64_t>;
  CHECK(entry("float8_e4m3fn").nan_codes == V{0x7F, 0xFF});  // OFP8: S.1111.111
  CHECK(entry("float8_e5m2").inf_codes == V{0x7C, 0xFC});    // OFP8: S.11111.00
  CHECK(entry("float8_e8m0fnu").nan_codes == V{0xFF});       // MX §5.4.2
  CHECK(entry("float8_e4m3fnuz").nan_codes == V{0x80});
  CHECK(entry("binary8p4se").nan_codes == V{0x80});  // P3109: NaN at the -0 code
  CHECK(entry("binary8p4se").inf_codes == V{0x7F, 0xFF});
  CHECK(entry("binary8p4ue").nan_codes == V{0xFF});
  CHECK(entry("binary8p4ue").inf_codes == V{0xFE});
  CHECK(entry("posit8").nan_codes == V{0x80});  // Posit Standard: NaR = 1000...0
  CHECK(entry("binary16").inf_codes == V{0x7C00, 0xFC00});
  CHECK(std::isinf(entry("binary16").overflow_value));
  CHECK(std::isnan(entry("float8_e4m3fn").overflow_value));
  CHECK(entry("float4_e2m1fn").overflow_value == 6);       // MX: no inf/NaN, saturates
  CHECK(entry("binary8p4sf").overflow_value == 240);       // P3109 finite domain
  CHECK(std::isinf(entry("binary8p4se").overflow_value));  // P3109 SatNone, extended
  CHECK(entry("binary8p4se").saturation == "SatNone");     // the aliases' default mode
  CHECK(entry("binary8p4sf").saturation == "SatNone");
  CHECK(entry("float8_e4m3fn").saturation.empty());
  CHECK(entry("posit8").max == 0x1p24);  // Posit Standard: maxpos = 2^(4n-8)
  CHECK(entry("posit16").max == 0x1p56);
  CHECK(entry("posit32").max == 0x1p120);
  CHECK(entry("fixed2_6").max == 127.0 / 64);  // MX §5.4.1 INT8: 1.6 two's complement
  CHECK(entry("fixed2_6").lowest == -2);
}

TEST_CASE("atlas: block cards match OCP MX v1.0 and NVFP4", "[atlas]") {
  for (const char* name :
       {"mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e3m2", "mxfp6_e2m3", "mxfp4", "mxint8"}) {
    INFO(name);
    const BlockFormatEntry& b = block(name);
    CHECK(b.block_size == 32);  // MX §5.2, Table 1: k = 32
    CHECK(b.scale == "float8_e8m0fnu");
    CHECK(b.scale_bits == 8);
    CHECK(b.tensor_scale.empty());
  }
  CHECK(block("mxfp8_e4m3").max == 448 * 0x1p127);  // largest E8M0 scale times the largest element
  CHECK(block("mxfp8_e5m2").max == 57344 * 0x1p127);
  CHECK(block("mxfp4").max == 6 * 0x1p127);
  CHECK(block("mxfp4").min_positive == 0x1p-128);  // 2^-127 * 0.5
  CHECK(block("mxfp4").bits_per_value == 4.25);
  CHECK(block("mxfp4").block_bytes == 17);
  CHECK(block("mxfp6_e2m3").block_bytes == 25);
  CHECK(block("mxfp8_e4m3").bits_per_value == 8.25);
  const BlockFormatEntry& nv = block("nvfp4");
  CHECK(nv.element == "float4_e2m1fn");
  CHECK(nv.block_size == 16);
  CHECK(nv.scale == "float8_ue4m3");
  CHECK(nv.tensor_scale == "float32");
  CHECK(nv.bits_per_value == 4.5);
  CHECK(nv.block_bytes == 9);
  CHECK(nv.max == 448 * 6);
}

TEST_CASE("atlas: exact decimals and powers of two", "[atlas]") {
  CHECK(atlas::decimal(448) == "448");
  CHECK(atlas::decimal(0x1p-9) == "0.001953125");
  CHECK(atlas::decimal(0x1p-24) == "5.9604644775390625e-8");
  CHECK(atlas::decimal(-65504) == "-65504");
  CHECK(atlas::decimal(0x1p69) == "590295810358705651712");  // 21 digits: exact
  CHECK(atlas::decimal(0x1p70) == "≈1.18059162072e21");      // 22 digits: rounded
  CHECK(atlas::decimal(0x1p60) == "1152921504606846976");    // 19 digits, exact
  CHECK(atlas::decimal(3.4028234663852886e38) == "≈3.40282346639e38");
  CHECK(atlas::decimal(0x1p-149) == "≈1.40129846432e-45");
  CHECK(atlas::decimal(0x1.fffffffffffffp1023) == "≈1.79769313486e308");
  CHECK(atlas::decimal(0x1p-1074) == "≈4.94065645841e-324");
  CHECK(atlas::decimal(9.999999999999999e22) == "≈1e23");  // rounding carries into a new digit
  CHECK(atlas::power_of_two(448) == "1.75 × 2^8");
  CHECK(atlas::power_of_two(0x1p-9) == "2^-9");
  CHECK(atlas::power_of_two(1) == "2^0");
  CHECK(atlas::power_of_two(1.5) == "1.5");
  CHECK(atlas::power_of_two(-6) == "-1.5 × 2^2");
  CHECK(atlas::power_of_two(3.4028234663852886e38) == "(2 - 2^-23) × 2^127");
  CHECK(atlas::power_of_two(127.0 / 64) == "(2 - 2^-6)");
  CHECK(atlas::power_of_two(15.5) == "1.9375 × 2^3");  // 5 bits: a short decimal
  CHECK(atlas::value(448) == "448 = 1.75 × 2^8");
  CHECK(atlas::value(1.5) == "1.5");
  CHECK(atlas::value(0x1p-149) == "2^-149 ≈1.40129846432e-45");
}

TEST_CASE("atlas: the document has one card per registered format", "[atlas]") {
  const std::string md = atlas::markdown();
  for (const FormatEntry& e : atlas::formats()) {
    INFO(e.name);
    CHECK(md.find("\n### " + e.name + "\n") != std::string::npos);
  }
  for (const BlockFormatEntry& e : atlas::block_formats()) {
    INFO(e.name);
    CHECK(md.find("\n### " + e.name + "\n") != std::string::npos);
  }
  CHECK(md.find("| largest finite | 448 = 1.75 × 2^8 |") != std::string::npos);
  CHECK(md.find("| largest finite | 57344 = 1.75 × 2^15 |") != std::string::npos);
  CHECK(atlas::card(entry("float8_e8m0fnu")).find("| largest finite | 2^127 ≈1.7014118346e38 |") !=
        std::string::npos);
}
