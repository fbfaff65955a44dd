// Tests of the run-time format registry (softnum/registry.hpp):
//   * every card field against std::numeric_limits of its type, and the code counts (NaN,
//     infinities) and exponent biases against the formulas of each encoding;
//   * the array round hooks, bit for bit, against convert<T, R> for every mode (stochastic: with
//     the word random_word(seed, offset + i, 0)), on float and double storage, over sampled and
//     edge inputs, in place, and split into two calls;
//   * the scalar hooks against convert<T, R> and T's operators; the GEMM hook against
//     gemm_reference for one format of each family;
//   * names: every shared/DESIGN.md alias is listed, unknown names give nullptr and a message.
#include "support/registry_test.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace registry_test {

const FormatEntry& entry(const char* name) {
  const FormatEntry* e = softnum::find_format(name);
  REQUIRE(e != nullptr);
  return *e;
}

}  // namespace registry_test

using namespace registry_test;

namespace {

/// NaN and infinity codes of each encoding, counted by formula (not by decoding).
template <class T>
std::pair<double, double> expected_specials(int bits) {
  const double codes = std::ldexp(1.0, bits);
  if constexpr (std::is_floating_point_v<T>) {
    const int m = std::numeric_limits<T>::digits - 1;
    return {(std::ldexp(2.0, m) - 2) / codes, 2 / codes};
  } else if constexpr (softnum::PositFormat<T>) {
    return {1 / codes, 0.0};
  } else if constexpr (softnum::FixedFormat<T>) {
    return {0.0, 0.0};
  } else {
    // Unsigned formats have one code per kind where signed ones have two; P3109 extended formats
    // hold +-inf (+inf only, unsigned) beside their one NaN.
    const double sides = T::spec.signedness == softnum::Signedness::signed_ ? 2 : 1;
    const double p3109_inf = T::spec.p3109 && T::spec.domain == softnum::Domain::extended ? sides : 0;
    switch (T::specials) {
      case softnum::Specials::ieee:
        return {sides * (std::ldexp(1.0, T::mantissa_bits) - 1) / codes, sides / codes};
      case softnum::Specials::fn:
        return {sides / codes, p3109_inf / codes};
      case softnum::Specials::fnuz:
        return {1 / codes, p3109_inf / codes};
      default:
        return {0.0, 0.0};  // finite
    }
  }
}

template <class T>
int expected_bias() {
  if constexpr (std::is_same_v<T, float>) {
    return 127;
  } else if constexpr (std::is_same_v<T, double>) {
    return 1023;
  } else if constexpr (T::spec.p3109) {
    // IEEE P3109: 2^(K-P-1) signed, 2^(K-P) unsigned.
    constexpr int K = T::spec.signedness == softnum::Signedness::signed_ ? 1 + T::exponent_bits + T::mantissa_bits
                                                                          : T::exponent_bits + T::mantissa_bits;
    constexpr int P = T::mantissa_bits + 1;
    return T::spec.signedness == softnum::Signedness::signed_ ? 1 << (K - P - 1) : 1 << (K - P);
  } else if constexpr (T::spec.bias != softnum::FloatSpec::standard_bias) {
    return T::spec.bias;  // a free bias
  } else {
    const int half = 1 << (T::exponent_bits - 1);
    return T::specials == softnum::Specials::fnuz ? half : half - 1;
  }
}

}  // namespace

TEST_CASE("registry: every card matches numeric_limits and the encoding", "[registry]") {
  int visited = 0;
  softnum::for_each_standard_format(
      [&]<class T>(softnum::format_tag<T>, const char* name, const char* type, const char* note) {
        ++visited;
        using L = std::numeric_limits<T>;
        const FormatEntry& e = entry(name);
        INFO(name);
        CHECK(e.type == type);
        CHECK(e.note == note);
        CHECK(e.digits == L::digits);
        CHECK(e.max == static_cast<double>(L::max()));
        CHECK(e.min_positive == static_cast<double>(L::denorm_min()));
        CHECK(e.min_normal == static_cast<double>(L::min()));
        CHECK(e.epsilon == static_cast<double>(L::epsilon()));
        CHECK(e.has_infinity == L::has_infinity);
        CHECK(e.has_nan == L::has_quiet_NaN);
        // 1 + epsilon is the next value above 1.
        CHECK(softnum::convert<T, Round::up>(std::nextafter(1.0, 2.0)) ==
              softnum::convert<T>(1.0 + e.epsilon));
        if constexpr (std::is_floating_point_v<T>) {
          CHECK(e.family == softnum::FormatFamily::native);
          CHECK(e.bits == 8 * static_cast<int>(sizeof(T)));
        } else if constexpr (softnum::PositFormat<T>) {
          CHECK(e.family == softnum::FormatFamily::posit);
          CHECK(e.bits == T::nbits);
        } else if constexpr (softnum::FixedFormat<T>) {
          CHECK(e.family == softnum::FormatFamily::fixed);
          CHECK(e.bits == T::integer_bits + T::fraction_bits);
        } else {
          CHECK(e.family == softnum::FormatFamily::floating);
          CHECK(e.bits == (T::spec.signedness == softnum::Signedness::signed_ ? 1 : 0) + T::exponent_bits +
                              T::mantissa_bits);
        }
        const auto [nan, inf] = expected_specials<T>(e.bits);
        CHECK(e.nan_fraction == nan);
        CHECK(e.inf_fraction == inf);
        if constexpr (std::is_floating_point_v<T> || softnum::FloatFormat<T>) {
          CHECK(e.has_bias);
          CHECK(e.bias == expected_bias<T>());
        } else {
          CHECK_FALSE(e.has_bias);
        }
        // Values exact in float: at most 24 significant bits within float's range.
        const bool in_float = L::digits <= 24 &&
                              static_cast<double>(L::max()) <= 3.4028234663852886e38 &&
                              static_cast<double>(L::denorm_min()) >= 0x1p-149;
        CHECK(e.exact_in_float == in_float);
        CHECK(e.exact_in_double);  // every standard format
        CHECK(softnum::all_values_exact_in<T, float> == in_float);
        CHECK(softnum::all_values_exact_in<T, double>);
        CHECK((e.f.round != nullptr) == in_float);
        CHECK((e.f.gemm != nullptr) == in_float);
        CHECK(e.d.round != nullptr);
        CHECK(e.d.gemm != nullptr);
      });
  CHECK(visited == static_cast<int>(softnum::standard_formats().size()));
}

namespace {

template <class T, class S>
void check_gemm_hook(const char* name) {
  const FormatEntry& e = entry(name);
  INFO(name << " storage " << sizeof(S) * 8);
  const auto& h = e.hooks<S>();
  REQUIRE(h.gemm != nullptr);
  constexpr std::ptrdiff_t m = 5, k = 37, n = 4;
  const auto size = [](std::ptrdiff_t count) { return static_cast<std::size_t>(count); };
  std::vector<S> a(size(m * k)), b(size(k * n)), c(size(m * n)), want(size(m * n));
  std::mt19937 rng(3);
  std::vector<S> r(size(m * k + k * n));
  for (S& v : r) v = static_cast<S>(std::uniform_real_distribution<double>(-2, 2)(rng));
  h.round(r.data(), r.data(), r.size(), Round::nearest_even, 0, 0);  // inputs: values of T
  std::copy(r.begin(), r.begin() + m * k, a.begin());
  std::copy(r.begin() + m * k, r.end(), b.begin());
  for (Round mode : {Round::nearest_even, Round::stochastic}) {
    softnum::GemmOptions o;
    o.round = mode;
    o.seed = 11;
    o.chunk = 8;
    h.gemm(softnum::row_major(a.data(), m, k), softnum::row_major(b.data(), k, n),
           softnum::row_major(c.data(), m, n), o);
    softnum::gemm_reference<softnum::Accumulation<softnum::exact_product, T>>(
        softnum::row_major(std::as_const(a).data(), m, k),
        softnum::row_major(std::as_const(b).data(), k, n), softnum::row_major(want.data(), m, n),
        o);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < c.size(); ++i) bad += same(c[i], want[i]) ? 0u : 1u;
    CHECK(bad == 0);
  }
}

}  // namespace

TEST_CASE("registry: GEMM hooks equal gemm_reference", "[registry]") {
  check_gemm_hook<softnum::binary16, float>("binary16");
  check_gemm_hook<softnum::binary16, double>("binary16");
  check_gemm_hook<softnum::posit16, float>("posit16");
  check_gemm_hook<softnum::Fixed<8, 8>, double>("fixed8_8");
  check_gemm_hook<float, float>("float32");
  // Formats whose values are not all floats have no float hooks.
  CHECK(entry("binary64").f.gemm == nullptr);
  CHECK(entry("posit32").f.round == nullptr);
  CHECK(entry("fixed16_16").f.round == nullptr);
}

TEST_CASE("registry: names", "[registry]") {
  // The floating-point aliases of shared/DESIGN.md, the posits and the natives.
  for (const char* name :
       {"float32", "float64", "binary16", "bfloat16", "binary32", "binary64", "float8_e4m3fn",
        "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float6_e2m3fn", "float6_e3m2fn",
        "float4_e2m1fn", "float8_e4m3", "float8_e8m0fnu", "float8_ue4m3", "float8_e4m3b11fnuz", "float8_e3m4",
        "binary8p3se", "binary8p4se", "binary8p5se", "binary8p3sf", "binary8p4sf", "binary4p2sf", "binary8p1uf",
        "binary8p4ue", "posit8", "posit16", "posit32", "posit16_1", "fixed8_8"}) {
    INFO(name);
    const FormatEntry* e = softnum::find_format(name);
    REQUIRE(e != nullptr);
    CHECK(e->name == name);
  }
  const auto& all = softnum::standard_formats();
  for (std::size_t i = 0; i < all.size(); ++i) {
    for (std::size_t j = i + 1; j < all.size(); ++j) CHECK(all[i].name != all[j].name);
  }
  CHECK(softnum::find_format("posit7") == nullptr);
  CHECK(softnum::find_format("") == nullptr);
  CHECK(softnum::find_format("Binary16") == nullptr);
  const std::string message = softnum::unknown_format_message(all, "posit7");
  CHECK(message.rfind("unknown format 'posit7'; valid formats: float32, float64, ", 0) == 0);
  CHECK(message.find("posit16_1") != std::string::npos);
  CHECK(message.find("fixed16_16") != std::string::npos);
  // A program's own table (here: one entry) is searched the same way.
  const std::vector<FormatEntry> mine = {softnum::make_format_entry<softnum::binary16>("half")};
  CHECK(softnum::find_format(mine, "half") == &mine[0]);
  CHECK(softnum::find_format(mine, "binary16") == nullptr);
  // Without array hooks: the same card and scalar hooks, no storage hooks.
  const FormatEntry scalar = softnum::make_format_entry<softnum::binary16, false>("half");
  CHECK(scalar.max == mine[0].max);
  CHECK(scalar.epsilon == mine[0].epsilon);
  CHECK(scalar.nan_fraction == mine[0].nan_fraction);
  CHECK(scalar.exact_in_float);
  CHECK(scalar.round == mine[0].round);
  CHECK(scalar.div == mine[0].div);
  CHECK(scalar.f.round == nullptr);
  CHECK(scalar.d.gemm == nullptr);
  CHECK(mine[0].d.gemm != nullptr);
}
