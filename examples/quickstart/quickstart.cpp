// quickstart: a tour of softnum's formats. Prints each named format's range and precision and a
// few correctly rounded operations in it, then shows rounding modes and overflow policies.
#include <softnum/softnum.hpp>

#include <cstdio>
#include <limits>

namespace {

template <class T>
void row(const char* name) {
  using L = std::numeric_limits<T>;
  const T one(1.0), two(2.0), three(3.0), tenth(0.1), fifth(0.2);
  std::printf("%-16s %3d %4d %13.6g %13.6g %11.4g  %-11.6g %-11.6g %-11.6g %s\n", name,
              1 + T::exponent_bits + T::mantissa_bits, L::digits, static_cast<double>(L::max()),
              static_cast<double>(L::denorm_min()), static_cast<double>(L::epsilon()),
              static_cast<double>(one / three), static_cast<double>(softnum::sqrt(two)),
              static_cast<double>(tenth + fifth),
              softnum::isnan(L::max() * two) ? "NaN" : (softnum::isinf(L::max() * two) ? "inf" : "max"));
}

}  // namespace

int main() {
  using namespace softnum;
  std::printf("softnum %d.%d.%d: every operation rounded once, correctly.\n\n", SOFTNUM_VERSION_MAJOR,
              SOFTNUM_VERSION_MINOR, SOFTNUM_VERSION_PATCH);
  std::printf("%-16s %3s %4s %13s %13s %11s  %-11s %-11s %-11s %s\n", "format", "bits", "p", "max",
              "min>0", "epsilon", "1/3", "sqrt(2)", "0.1+0.2", "max*2");
  row<binary64>("binary64");
  row<binary32>("binary32");
  row<bfloat16>("bfloat16");
  row<binary16>("binary16");
  row<float8_e4m3>("float8_e4m3");
  row<float8_e4m3fn>("float8_e4m3fn");
  row<float8_e4m3fnuz>("float8_e4m3fnuz");
  row<float8_e5m2>("float8_e5m2");
  row<float8_e5m2fnuz>("float8_e5m2fnuz");
  row<float6_e2m3fn>("float6_e2m3fn");
  row<float6_e3m2fn>("float6_e3m2fn");
  row<float4_e2m1fn>("float4_e2m1fn");
  row<Float<6, 9>>("Float<6,9>");

  std::printf("\nOne value, seven rounding modes: 1 + 2^-12 + 2^-14 in binary16 (neighbours 1 and 1+2^-10)\n");
  const binary16 one(1.0), tiny(0x1p-12 + 0x1p-14);
  std::printf("  nearest_even %.8g  nearest_away %.8g  toward_zero %.8g  up %.8g  down %.8g  odd %.8g\n",
              static_cast<double>(add<Round::nearest_even>(one, tiny)),
              static_cast<double>(add<Round::nearest_away>(one, tiny)),
              static_cast<double>(add<Round::toward_zero>(one, tiny)), static_cast<double>(add<Round::up>(one, tiny)),
              static_cast<double>(add<Round::down>(one, tiny)), static_cast<double>(add<Round::odd>(one, tiny)));
  Philox gen(42);
  int ups = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) ups += add<Round::stochastic>(one, tiny, gen) != one;
  std::printf("  stochastic: rounded up %d of %d times (exact fraction 5/16 = %.4f, observed %.4f)\n", ups, n,
              5.0 / 16.0, static_cast<double>(ups) / n);

  std::printf("\nfma rounds once: (1+2^-9)*1.25 + 2^-24 in binary16 = %.10g (separate * then + gives %.10g)\n",
              static_cast<double>(fma(binary16(1.0 + 0x1p-9), binary16(1.25), binary16(0x1p-24))),
              static_cast<double>(binary16(1.0 + 0x1p-9) * binary16(1.25) + binary16(0x1p-24)));
  std::printf("Overflow policies for 448*2 in E4M3FN: nan -> %s, saturate -> %g\n",
              isnan(float8_e4m3fn(448.0) * float8_e4m3fn(2.0)) ? "NaN" : "?",
              static_cast<double>(with_overflow_t<float8_e4m3fn, Overflow::saturate>(448.0) *
                                  with_overflow_t<float8_e4m3fn, Overflow::saturate>(2.0)));
  std::printf("Conversion in one step: binary64 0.1 -> binary16 = %.10g, -> float8_e5m2 = %g\n",
              static_cast<double>(convert<binary16>(0.1)), static_cast<double>(convert<float8_e5m2>(0.1)));
  return 0;
}
