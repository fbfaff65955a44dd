// softnum/ops/registry.hpp - number formats chosen by name at run time.
// SPDX-License-Identifier: MIT
//
// A FormatEntry binds a name to one softnum type: its card (range, precision, specials) and a few
// function pointers (array rounding and a GEMM accumulator on float/double storage, scalar
// operations on doubles). Each hook computes an exact result and rounds it once into the format,
// so programs that hold tensors in float or double (training, accuracy studies, language
// bindings) instantiate one small set of templates per format, not one per kernel.
//
// Including this header instantiates nothing: make_format_entry<T> and the standard list are
// templates, compiled only in the translation unit that calls them. standard_formats() compiles
// every hook of every standard format; a build with several programs that use it compiles that
// once, in the library target softnum::standard_formats (src/standard_formats_*.cpp), and links it.
#pragma once

#include <softnum/core/convert.hpp>
#include <softnum/core/random.hpp>
#include <softnum/gemm/gemm.hpp>
#include <softnum/ops/quantize.hpp>
#include <softnum/types/block.hpp>
#include <softnum/types/fixed.hpp>
#include <softnum/types/float.hpp>
#include <softnum/types/posit.hpp>

#include <cmath>        // std::isnan, std::isinf, std::ldexp, std::nextafter
#include <concepts>     // std::derived_from
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint32_t, std::uint64_t
#include <limits>       // std::numeric_limits
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_same_v
#include <vector>       // std::vector

namespace softnum {

enum class FormatFamily { native, floating, posit, fixed };

/// Hooks on one storage type S (float or double). Arrays hold exact values of the format.
template <class S>
struct StorageHooks {
  /// y[i] = round(x[i]) in `mode`, for i < n (softnum::quantize<T>); x and y may be the same
  /// array. Stochastic rounding uses the word random_word(seed, offset + i, 0) for element i, so
  /// the result does not depend on how an array is split into calls.
  void (*round)(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
                std::uint64_t offset) = nullptr;
  /// C = A * B (+ C if options.accumulate) by softnum::gemm<Accumulation<exact_product, T>>:
  /// exact products, every addition rounded to this format in options.round. C receives exact
  /// values of the format. Null when the format's values are not all exact in S.
  void (*gemm)(MatrixView<const S> A, MatrixView<const S> B, MatrixView<S> C,
               const GemmOptions& options) = nullptr;
};

/// One format: its card and its hooks. Hooks are null where the format cannot serve (a format
/// whose values are not all exact in float has no float hooks; the same for double).
struct FormatEntry {
  std::string name;  // run-time name, e.g. "float8_e4m3fn"
  std::string type;  // the C++ type, e.g. "Float<4, 3, Specials::fn>"
  std::string note;  // a short remark, e.g. "OCP" (may be empty)
  FormatFamily family = FormatFamily::floating;
  int bits = 0;               // storage width in bits
  int digits = 0;             // numeric_limits<T>::digits: significant bits (posits: at 1;
                              // fixed: the bits after the sign)
  double max = 0;             // largest finite value
  double min_positive = 0;    // smallest positive value (denorm_min)
  double min_normal = 0;      // numeric_limits<T>::min(): smallest normal (floats), minpos
                              // (posits), the step 2^-F (fixed)
  double epsilon = 0;         // numeric_limits<T>::epsilon(): next value above 1, minus 1
  bool has_infinity = false;  // numeric_limits<T>::has_infinity
  bool has_nan = false;       // numeric_limits<T>::has_quiet_NaN (posits: NaR)
  double nan_fraction = 0;    // the fraction of the 2^bits codes that are NaN (NaR)
  double inf_fraction = 0;    // the fraction of the codes that are infinite
  bool has_bias = false;      // floating point formats: exponent bias
  int bias = 0;
  bool exact_in_float = false;   // every finite value is exactly a float
  bool exact_in_double = false;  // every finite value is exactly a double
  // The layout and the specials in more detail (the format atlas, docs/formats.md, prints them).
  bool is_signed = true;  // numeric_limits<T>::is_signed: a sign bit
  double lowest = 0;      // numeric_limits<T>::lowest(): the most negative value (unsigned: the
                          // smallest, 0 or the least positive value where there is no zero)
  int exponent_bits = 0;  // floats: the exponent field; posits: es; fixed: 0
  int fraction_bits = 0;  // floats: the fraction field; posits: the most fraction bits (at 1,
                          // nbits - 3 - es); fixed: F
  int zeros = 0;          // zero codes read as distinct values: 2 (+0 and -0), 1 or 0 (none)
  std::vector<std::uint64_t> nan_codes;  // the NaN (NaR) codes when there are at most 4
  std::vector<std::uint64_t> inf_codes;  // the infinity codes when there are at most 4
  double overflow_value = 0;  // what 2^16384 becomes in round-to-nearest-even: +inf, NaN or max
  std::string saturation;     // IEEE P3109 formats: "SatNone", "SatFinite" or "SatPropagate"
  // Where the format comes from (format_origin; empty when none): the standard that defines it,
  // its ml_dtypes name and its PyTorch dtype.
  std::string standard;
  std::string ml_dtypes;
  std::string torch;
  StorageHooks<float> f;
  StorageHooks<double> d;
  /// Scalar operations on doubles, each rounded once into the format (random: the word for
  /// Round::stochastic). Null unless every value is exactly a double.
  double (*round)(double x, Round mode, std::uint32_t random) = nullptr;
  double (*add)(double a, double b, Round mode, std::uint32_t random) = nullptr;  // a + b
  double (*mul)(double a, double b, Round mode, std::uint32_t random) = nullptr;  // a * b
  /// a / b: the binary64 quotient (correctly rounded) rounded once into the format: the correctly
  /// rounded quotient in the nearest modes for formats of at most 25 significant bits
  /// (53 >= 2p + 2, Figueroa 1995), within an ulp otherwise.
  double (*div)(double a, double b, Round mode, std::uint32_t random) = nullptr;

  template <class S>
  const StorageHooks<S>& hooks() const noexcept {
    static_assert(std::is_same_v<S, float> || std::is_same_v<S, double>,
                  "storage is float or double");
    if constexpr (std::is_same_v<S, float>) {
      return f;
    } else {
      return d;
    }
  }
};

/// Where a standard format comes from: the document that defines it, its ml_dtypes name and its
/// PyTorch dtype ("" where there is none).
struct FormatOrigin {
  const char* name;
  const char* standard;
  const char* ml_dtypes;
  const char* torch;
};

/// The origin of the standard format (or block format) named `name`, or nullptr. Names of
/// documents: IEEE 754-2019; OCP 8-bit Floating Point Specification (OFP8) Revision 1.0;
/// OCP Microscaling Formats (MX) Specification v1.0; IEEE P3109 Interim Report v4.0 (June 2026);
/// Posit Standard (2022).
inline const FormatOrigin* format_origin(std::string_view name) noexcept {
  static constexpr FormatOrigin origins[] = {
      {"float32", "IEEE 754-2019 binary32 (hardware)", "float32 (NumPy)", "torch.float32"},
      {"float64", "IEEE 754-2019 binary64 (hardware)", "float64 (NumPy)", "torch.float64"},
      {"binary64", "IEEE 754-2019 binary64", "float64 (NumPy)", "torch.float64"},
      {"binary32", "IEEE 754-2019 binary32", "float32 (NumPy)", "torch.float32"},
      {"binary16", "IEEE 754-2019 binary16", "float16 (NumPy)", "torch.float16"},
      {"bfloat16", "bfloat16 (Google Brain; Intel BF16)", "bfloat16", "torch.bfloat16"},
      {"float8_e4m3fn", "OCP OFP8 v1.0 E4M3", "float8_e4m3fn", "torch.float8_e4m3fn"},
      {"float8_e4m3", "IEEE 754-style E4M3 (inf and NaN in the top binade)", "float8_e4m3", ""},
      {"float8_e5m2", "OCP OFP8 v1.0 E5M2", "float8_e5m2", "torch.float8_e5m2"},
      {"float8_e4m3fnuz", "Graphcore / AMD FP8 E4M3 (fnuz)", "float8_e4m3fnuz",
       "torch.float8_e4m3fnuz"},
      {"float8_e5m2fnuz", "Graphcore / AMD FP8 E5M2 (fnuz)", "float8_e5m2fnuz",
       "torch.float8_e5m2fnuz"},
      {"float6_e2m3fn", "OCP MX v1.0 FP6 E2M3", "float6_e2m3fn", ""},
      {"float6_e3m2fn", "OCP MX v1.0 FP6 E3M2", "float6_e3m2fn", ""},
      {"float4_e2m1fn", "OCP MX v1.0 FP4 E2M1", "float4_e2m1fn",
       "torch.float4_e2m1fn_x2 (two per byte)"},
      {"float8_e8m0fnu", "OCP MX v1.0 E8M0 scale", "float8_e8m0fnu", "torch.float8_e8m0fnu"},
      {"float8_ue4m3", "NVFP4 block scale (CUTLASS float_ue4m3_t)", "", ""},
      {"float8_e4m3b11fnuz", "E4M3 fnuz with bias 11 (ml_dtypes)", "float8_e4m3b11fnuz", ""},
      {"float8_e3m4", "IEEE 754-style E3M4", "float8_e3m4", ""},
      {"binary8p3se", "IEEE P3109 v4.0 binary8p3se", "", ""},
      {"binary8p4se", "IEEE P3109 v4.0 binary8p4se", "", ""},
      {"binary8p5se", "IEEE P3109 v4.0 binary8p5se", "", ""},
      {"binary8p3sf", "IEEE P3109 v4.0 binary8p3sf", "", ""},
      {"binary8p4sf", "IEEE P3109 v4.0 binary8p4sf", "", ""},
      {"binary4p2sf", "IEEE P3109 v4.0 binary4p2sf", "", ""},
      {"binary8p1uf", "IEEE P3109 v4.0 binary8p1uf", "", ""},
      {"binary8p4ue", "IEEE P3109 v4.0 binary8p4ue", "", ""},
      {"posit8_0", "posit, es = 0 (SoftPosit posit8_t; before the 2022 standard)", "", ""},
      {"posit8_1", "posit, es = 1 (before the 2022 standard)", "", ""},
      {"posit8", "Posit Standard (2022) posit8", "", ""},
      {"posit10", "Posit Standard (2022) layout, n = 10", "", ""},
      {"posit12", "Posit Standard (2022) layout, n = 12", "", ""},
      {"posit16_1", "posit, es = 1 (SoftPosit posit16_t; before the 2022 standard)", "", ""},
      {"posit16", "Posit Standard (2022) posit16", "", ""},
      {"posit32", "Posit Standard (2022) posit32", "", ""},
      {"fixed2_6", "OCP MX v1.0 MXINT8 element", "", ""},
      {"mxfp8_e4m3", "OCP MX v1.0 MXFP8 (E4M3)", "", ""},
      {"mxfp8_e5m2", "OCP MX v1.0 MXFP8 (E5M2)", "", ""},
      {"mxfp6_e3m2", "OCP MX v1.0 MXFP6 (E3M2)", "", ""},
      {"mxfp6_e2m3", "OCP MX v1.0 MXFP6 (E2M3)", "", ""},
      {"mxfp4", "OCP MX v1.0 MXFP4", "", ""},
      {"mxint8", "OCP MX v1.0 MXINT8", "", ""},
      {"nvfp4", "NVIDIA NVFP4 (TransformerEngine's recipe)", "", ""},
  };
  for (const FormatOrigin& o : origins) {
    if (name == o.name) return &o;
  }
  return nullptr;
}

namespace detail::registry {

/// Every finite value of T is exactly a value of S.
template <class T, class S>
constexpr bool exact_in() {
  using L = std::numeric_limits<T>;
  using LS = std::numeric_limits<S>;
  if constexpr (std::is_same_v<T, S>) {
    return true;
  } else if constexpr (std::is_same_v<T, double>) {
    return false;
  } else {
    // A max beyond double converts to inf and fails the last test.
    return L::digits <= LS::digits &&
           static_cast<double>(L::denorm_min()) >= static_cast<double>(LS::denorm_min()) &&
           static_cast<double>(L::max()) <= static_cast<double>(LS::max());
  }
}

template <class T>
constexpr FormatFamily family() {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    return FormatFamily::native;
  } else if constexpr (PositFormat<T>) {
    return FormatFamily::posit;
  } else if constexpr (FixedFormat<T>) {
    return FormatFamily::fixed;
  } else {
    return FormatFamily::floating;
  }
}

/// The softnum type with T's encoding (natives: binary32 / binary64).
template <class T>
struct encoding {
  using type = T;
};
template <>
struct encoding<float> {
  using type = binary32;
};
template <>
struct encoding<double> {
  using type = binary64;
};

template <class T>
constexpr int bits() {
  using C = typename encoding<T>::type;
  if constexpr (PositFormat<C>) {
    return C::nbits;
  } else if constexpr (FixedFormat<C>) {
    return C::width;
  } else {
    return C::codec::width;  // 1 + E + M, or E + M for unsigned formats
  }
}

/// The fractions of codes that are NaN and infinite, and those codes when there are at most 4 of
/// a kind. Up to 16 bits: every code. Wider: for each of the 2^16 top halves, the low halves 0, 1
/// (standing for all but the two extremes) and all-ones. Exact for floats with at least 16
/// fraction bits (a code is special through its low half only as "zero", "all ones" or
/// "other"), posits (one NaR) and fixed point (none).
template <class T>
void count_specials(double& nan_fraction, double& inf_fraction,
                    std::vector<std::uint64_t>& nan_codes, std::vector<std::uint64_t>& inf_codes) {
  using C = typename encoding<T>::type;
  using Bits = typename C::storage_type;
  constexpr int n = bits<T>();
  constexpr std::size_t listed = 4;
  double nan = 0, inf = 0;
  nan_codes.clear();
  inf_codes.clear();
  auto classify = [&](std::uint64_t code, double weight) {
    const double v = static_cast<double>(C::from_bits(static_cast<Bits>(code)));
    if (std::isnan(v)) {
      nan += weight;
      if (weight == 1 && nan_codes.size() <= listed) nan_codes.push_back(code);
    }
    if (std::isinf(v)) {
      inf += weight;
      if (weight == 1 && inf_codes.size() <= listed) inf_codes.push_back(code);
    }
  };
  if constexpr (n <= 16) {
    for (std::uint64_t c = 0; c < (std::uint64_t{1} << n); ++c) classify(c, 1);
  } else {
    constexpr int low = n - 16;
    constexpr std::uint64_t ones = low >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << low) - 1;
    for (std::uint64_t hi = 0; hi < (std::uint64_t{1} << 16); ++hi) {
      const std::uint64_t top = low >= 64 ? 0 : hi << low;
      classify(top, 1);
      classify(top | ones, 1);
      classify(top | 1, static_cast<double>(ones - 1));
    }
  }
  // A list is kept only when it holds every code of its kind.
  if (nan > static_cast<double>(listed) || nan != static_cast<double>(nan_codes.size()))
    nan_codes.clear();
  if (inf > static_cast<double>(listed) || inf != static_cast<double>(inf_codes.size()))
    inf_codes.clear();
  nan_fraction = nan / std::ldexp(1.0, n);
  inf_fraction = inf / std::ldexp(1.0, n);
}

/// The number of zero codes that read as distinct values: 2 (+0 and -0), 1, or 0 (no zero).
template <class T>
int zero_count() {
  const double z = static_cast<double>(convert<T>(-0.0));
  if (std::isnan(z) || z != 0) return 0;  // no zero code (OCP E8M0: NaN; else the least value)
  return std::signbit(z) ? 2 : 1;
}

template <class T>
T pack(const Unpacked& u, Round mode, std::uint32_t random) noexcept {
  return number_traits<T>::pack(u, mode, random);
}

/// y[i] = convert<T, mode>(x[i]) stored in S (stochastic: the word random_word(seed, offset + i,
/// 0)): softnum::quantize<T>, after two shortcuts that give the same bits (a native type in its own
/// storage, float from double storage, both in round-to-nearest-even).
template <class T, class S>
void round_array(const S* x, S* y, std::size_t n, Round mode, std::uint64_t seed,
                 std::uint64_t offset) {
  if (mode == Round::nearest_even) {
    if constexpr (std::is_same_v<T, S>) {
      if (x != y) {
        for (std::size_t i = 0; i < n; ++i) y[i] = x[i];
      }
      return;
    } else if constexpr (std::is_same_v<T, float>) {
      for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<S>(static_cast<float>(x[i]));
      return;
    }
  }
  quantize<T>(std::span<const S>(x, n), std::span<S>(y, n), mode, seed, offset);
}

template <class T, class S>
void gemm_accumulate(MatrixView<const S> A, MatrixView<const S> B, MatrixView<S> C,
                     const GemmOptions& options) {
  gemm<Accumulation<exact_product, T>>(A, B, C, options);
}

template <class T>
double round1(double x, Round mode, std::uint32_t random) {
  return static_cast<double>(pack<T>(unpack_double(x), mode, random));
}

template <class T>
double add1(double a, double b, Round mode, std::uint32_t random) {
  if constexpr (std::is_same_v<T, float>) {
    if (mode == Round::nearest_even)
      return static_cast<double>(static_cast<float>(a) + static_cast<float>(b));
  }
  return static_cast<double>(
      pack<T>(exact_add(unpack_double(a), unpack_double(b), mode), mode, random));
}

template <class T>
double mul1(double a, double b, Round mode, std::uint32_t random) {
  return static_cast<double>(pack<T>(exact_mul(unpack_double(a), unpack_double(b)), mode, random));
}

template <class T>
double div1(double a, double b, Round mode, std::uint32_t random) {
  if constexpr (std::is_same_v<T, float>) {
    if (mode == Round::nearest_even)
      return static_cast<double>(static_cast<float>(a) / static_cast<float>(b));
  }
  return round1<T>(a / b, mode, random);
}

}  // namespace detail::registry

/// Every finite value of format T is exactly a value of storage S (float or double): whether
/// make_format_entry<T> fills the hooks on S.
template <class T, class S>
inline constexpr bool all_values_exact_in = detail::registry::exact_in<T, S>();

/// The entry of format T under `name` (type: its C++ spelling; note: a short remark). Compiles
/// T's hooks; call it once per format, from the translation unit that builds a table.
/// array_hooks = false leaves the storage hooks (f, d) null: a program that works on scalars
/// compiles no array rounding and no GEMM.
template <class T, bool array_hooks = true>
FormatEntry make_format_entry(const char* name, const char* type = "", const char* note = "") {
  namespace reg = detail::registry;
  using L = std::numeric_limits<T>;
  FormatEntry e;
  e.name = name;
  e.type = type;
  e.note = note;
  e.family = reg::family<T>();
  e.bits = reg::bits<T>();
  e.digits = L::digits;
  e.max = static_cast<double>(L::max());
  e.min_positive = static_cast<double>(L::denorm_min());
  e.min_normal = static_cast<double>(L::min());
  e.epsilon = static_cast<double>(L::epsilon());
  e.has_infinity = L::has_infinity;
  e.has_nan = L::has_quiet_NaN;
  reg::count_specials<T>(e.nan_fraction, e.inf_fraction, e.nan_codes, e.inf_codes);
  using C = typename reg::encoding<T>::type;
  if constexpr (FloatFormat<C>) {
    e.has_bias = true;
    e.bias = C::bias;
    e.exponent_bits = C::exponent_bits;
    e.fraction_bits = C::mantissa_bits;
    if constexpr (C::spec.p3109) {
      e.saturation = C::spec.saturation == Saturation::none     ? "SatNone"
                     : C::spec.saturation == Saturation::finite ? "SatFinite"
                                                                : "SatPropagate";
    }
  } else if constexpr (PositFormat<C>) {
    e.exponent_bits = C::es;
    e.fraction_bits = C::nbits - 3 - C::es > 0 ? C::nbits - 3 - C::es : 0;
  } else if constexpr (FixedFormat<C>) {
    e.fraction_bits = C::fraction_bits;
  }
  e.is_signed = L::is_signed;
  e.lowest = static_cast<double>(L::lowest());
  e.zeros = reg::zero_count<T>();
  e.overflow_value = static_cast<double>(reg::pack<T>(
      detail::Unpacked{detail::Kind::finite, false, 16384, 1}, Round::nearest_even, 0));
  if (const FormatOrigin* o = format_origin(name)) {
    e.standard = o->standard;
    e.ml_dtypes = o->ml_dtypes;
    e.torch = o->torch;
  }
  e.exact_in_float = reg::exact_in<T, float>();
  e.exact_in_double = reg::exact_in<T, double>();
  if constexpr (reg::exact_in<T, double>()) {
    if constexpr (array_hooks) {
      e.d = StorageHooks<double>{&reg::round_array<T, double>, &reg::gemm_accumulate<T, double>};
    }
    e.round = &reg::round1<T>;
    e.add = &reg::add1<T>;
    e.mul = &reg::mul1<T>;
    e.div = &reg::div1<T>;
  }
  if constexpr (array_hooks && reg::exact_in<T, float>()) {
    e.f = StorageHooks<float>{&reg::round_array<T, float>, &reg::gemm_accumulate<T, float>};
  }
  return e;
}

/// Tag that carries a format type through the visitors below.
template <class T>
struct format_tag {
  using type = T;
};

// The standard formats, by family: each visitor calls visit(format_tag<T>{}, name, type, note)
// once per format, in listing order. Adding a format is one line here.

/// Native float and double, then the floating-point aliases of shared/DESIGN.md.
template <class Visit>
void for_each_standard_float_format(Visit&& visit) {
  visit(format_tag<float>{}, "float32", "float", "native hardware baseline");
  visit(format_tag<double>{}, "float64", "double", "native");
  visit(format_tag<binary64>{}, "binary64", "Float<11, 52>", "");
  visit(format_tag<binary32>{}, "binary32", "Float<8, 23>", "emulated, exactly rounded");
  visit(format_tag<binary16>{}, "binary16", "Float<5, 10>", "");
  visit(format_tag<bfloat16>{}, "bfloat16", "Float<8, 7>", "");
  visit(format_tag<float8_e4m3fn>{}, "float8_e4m3fn", "Float<4, 3, Specials::fn>", "OCP");
  visit(format_tag<float8_e4m3>{}, "float8_e4m3", "Float<4, 3>", "IEEE-style");
  visit(format_tag<float8_e5m2>{}, "float8_e5m2", "Float<5, 2>", "OCP");
  visit(format_tag<float8_e4m3fnuz>{}, "float8_e4m3fnuz", "Float<4, 3, Specials::fnuz>", "");
  visit(format_tag<float8_e5m2fnuz>{}, "float8_e5m2fnuz", "Float<5, 2, Specials::fnuz>", "");
  visit(format_tag<float6_e2m3fn>{}, "float6_e2m3fn", "Float<2, 3, Specials::finite>", "OCP MX");
  visit(format_tag<float6_e3m2fn>{}, "float6_e3m2fn", "Float<3, 2, Specials::finite>", "OCP MX");
  visit(format_tag<float4_e2m1fn>{}, "float4_e2m1fn", "Float<2, 1, Specials::finite>", "OCP MX");
  visit(format_tag<float8_e8m0fnu>{}, "float8_e8m0fnu",
        "Float<8, 0, Specials::fn, Overflow::nan, Round::nearest_even, false, FloatSpec{127, "
        "Signedness::unsigned_, false}>",
        "OCP MX scale (E8M0), unsigned, no zero");
  visit(format_tag<float8_ue4m3>{}, "float8_ue4m3",
        "Float<4, 3, Specials::fn, Overflow::nan, Round::nearest_even, true, FloatSpec{FloatSpec::standard_bias, "
        "Signedness::unsigned_}>",
        "unsigned E4M3, NVFP4 block scale");
  visit(format_tag<float8_e4m3b11fnuz>{}, "float8_e4m3b11fnuz",
        "Float<4, 3, Specials::fnuz, Overflow::nan, Round::nearest_even, true, FloatSpec{11}>", "bias 11");
  visit(format_tag<float8_e3m4>{}, "float8_e3m4", "Float<3, 4>", "IEEE-style");
  visit(format_tag<binary8p3se>{}, "binary8p3se", "P3109<8, 3, Signedness::signed_, Domain::extended>", "P3109");
  visit(format_tag<binary8p4se>{}, "binary8p4se", "P3109<8, 4, Signedness::signed_, Domain::extended>", "P3109");
  visit(format_tag<binary8p5se>{}, "binary8p5se", "P3109<8, 5, Signedness::signed_, Domain::extended>", "P3109");
  visit(format_tag<binary8p3sf>{}, "binary8p3sf", "P3109<8, 3, Signedness::signed_, Domain::finite>", "P3109");
  visit(format_tag<binary8p4sf>{}, "binary8p4sf", "P3109<8, 4, Signedness::signed_, Domain::finite>", "P3109");
  visit(format_tag<binary4p2sf>{}, "binary4p2sf", "P3109<4, 2, Signedness::signed_, Domain::finite>", "P3109");
  visit(format_tag<binary8p1uf>{}, "binary8p1uf", "P3109<8, 1, Signedness::unsigned_, Domain::finite>",
        "P3109 scale");
  visit(format_tag<binary8p4ue>{}, "binary8p4ue", "P3109<8, 4, Signedness::unsigned_, Domain::extended>", "P3109");
}

/// Posits (posit64 is left out: its values are not all exact in double, so it has no hooks).
template <class Visit>
void for_each_standard_posit_format(Visit&& visit) {
  visit(format_tag<Posit<8, 0>>{}, "posit8_0", "Posit<8, 0>", "");
  visit(format_tag<Posit<8, 1>>{}, "posit8_1", "Posit<8, 1>", "");
  visit(format_tag<posit8>{}, "posit8", "Posit<8, 2>", "");
  visit(format_tag<Posit<10, 2>>{}, "posit10", "Posit<10, 2>", "");
  visit(format_tag<Posit<12, 2>>{}, "posit12", "Posit<12, 2>", "");
  visit(format_tag<posit16_1>{}, "posit16_1", "Posit<16, 1>", "");
  visit(format_tag<posit16>{}, "posit16", "Posit<16, 2>", "");
  visit(format_tag<posit32>{}, "posit32", "Posit<32, 2>", "");
}

/// Fixed point, Fixed<I, F>: I integer bits including the sign, F fraction bits, saturating.
template <class Visit>
void for_each_standard_fixed_format(Visit&& visit) {
  visit(format_tag<Fixed<2, 6>>{}, "fixed2_6", "Fixed<2, 6>", "");
  visit(format_tag<Fixed<4, 4>>{}, "fixed4_4", "Fixed<4, 4>", "");
  visit(format_tag<Fixed<4, 8>>{}, "fixed4_8", "Fixed<4, 8>", "");
  visit(format_tag<Fixed<4, 10>>{}, "fixed4_10", "Fixed<4, 10>", "");
  visit(format_tag<Fixed<4, 12>>{}, "fixed4_12", "Fixed<4, 12>", "");
  visit(format_tag<Fixed<8, 8>>{}, "fixed8_8", "Fixed<8, 8>", "");
  visit(format_tag<Fixed<4, 16>>{}, "fixed4_16", "Fixed<4, 16>", "");
  visit(format_tag<Fixed<16, 16>>{}, "fixed16_16", "Fixed<16, 16>", "");
}

/// All standard formats: floats, posits, fixed point.
template <class Visit>
void for_each_standard_format(Visit&& visit) {
  for_each_standard_float_format(visit);
  for_each_standard_posit_format(visit);
  for_each_standard_fixed_format(visit);
}

/// The family of standard formats visited by append_standard_formats<Family>.
enum class StandardFamily { floating, posit, fixed };

/// Appends the entries (make_format_entry<T>: card and every hook) of one family's standard
/// formats to v, in listing order. standard_formats() calls it once per family. A program that
/// links the compiled table (the CMake target softnum::standard_formats, built from
/// src/standard_formats_*.cpp, which defines SOFTNUM_STANDARD_FORMATS_COMPILED for it) finds the
/// three instantiations there, compiled once, instead of compiling every hook of every format in
/// each program that asks for the table by name.
template <StandardFamily Family>
void append_standard_formats(std::vector<FormatEntry>& v) {
  auto add = [&v]<class T>(format_tag<T>, const char* name, const char* type, const char* note) {
    v.push_back(make_format_entry<T>(name, type, note));
  };
  if constexpr (Family == StandardFamily::floating) {
    for_each_standard_float_format(add);
  } else if constexpr (Family == StandardFamily::posit) {
    for_each_standard_posit_format(add);
  } else {
    for_each_standard_fixed_format(add);
  }
}
#if defined(SOFTNUM_STANDARD_FORMATS_COMPILED)
extern template void append_standard_formats<StandardFamily::floating>(std::vector<FormatEntry>&);
extern template void append_standard_formats<StandardFamily::posit>(std::vector<FormatEntry>&);
extern template void append_standard_formats<StandardFamily::fixed>(std::vector<FormatEntry>&);
#endif

/// The standard formats (built on first use), in for_each_standard_format's order. A template
/// only so that including this header compiles nothing; call it as softnum::standard_formats().
template <int = 0>
const std::vector<FormatEntry>& standard_formats() {
  static const std::vector<FormatEntry> formats = [] {
    std::vector<FormatEntry> v;
    append_standard_formats<StandardFamily::floating>(v);
    append_standard_formats<StandardFamily::posit>(v);
    append_standard_formats<StandardFamily::fixed>(v);
    return v;
  }();
  return formats;
}

// Block-scaled formats ---------------------------------------------------------------------------

/// NVFP4 (quantize_nvfp4, ops/block_quantize.hpp) as a layout: E2M1 elements, an unsigned E4M3
/// scale per 16 elements and an FP32 scale per tensor. Not a Block type (Block's scales are E8M0).
struct nvfp4_layout {
  using element_type = float4_e2m1fn;
  using scale_type = float8_ue4m3;
  using tensor_scale_type = float;
  static constexpr int block_size = 16;
};

/// One block-scaled format's card. Value i of a block: scale * element_i (times the tensor scale
/// where there is one). Element and scale formats are standard formats (their own cards).
struct BlockFormatEntry {
  std::string name;             // run-time name, e.g. "mxfp8_e4m3"
  std::string type;             // the C++ type, e.g. "Block<float8_e4m3fn, 32>"
  std::string note;             // a short remark (may be empty)
  std::string element;          // the standard format name of the elements,
  std::string scale;            // of the per-block scale
  std::string tensor_scale;     // and of the per-tensor scale ("" when none)
  int block_size = 0;           // elements per scale
  int element_bits = 0;         // the element's width
  int scale_bits = 0;           // the scale's storage width (an unsigned E4M3 scale fills a byte)
  double bits_per_value = 0;    // element_bits + scale_bits / block_size
  std::size_t block_bytes = 0;  // one block: packed elements and the scale
  double max = 0;               // the largest scale times the largest element
  double min_positive = 0;      // the smallest scale times the smallest positive element
  std::string standard;         // format_origin(name)
};

namespace detail::registry {

template <class B>
struct tensor_scale_of {
  using type = void;
};
template <class B>
  requires requires { typename B::tensor_scale_type; }
struct tensor_scale_of<B> {
  using type = typename B::tensor_scale_type;
};

/// The name under which T is a standard format (the first one), or "".
template <class T>
std::string standard_name() {
  std::string found;
  for_each_standard_format(
      [&found]<class U>(format_tag<U>, const char* name, const char*, const char*) {
        if constexpr (std::is_same_v<U, T>) {
          if (found.empty()) found = name;
        }
      });
  return found;
}

}  // namespace detail::registry

/// The card of block format B (a Block<...> or nvfp4_layout) under `name`.
template <class B>
BlockFormatEntry make_block_format_entry(const char* name, const char* type = "",
                                         const char* note = "") {
  namespace reg = detail::registry;
  using Element = typename B::element_type;
  using Scale = typename B::scale_type;
  using TensorScale = typename reg::tensor_scale_of<B>::type;
  using LE = std::numeric_limits<Element>;
  using LS = std::numeric_limits<Scale>;
  BlockFormatEntry e;
  e.name = name;
  e.type = type;
  e.note = note;
  e.element = reg::standard_name<Element>();
  e.scale = reg::standard_name<Scale>();
  if constexpr (!std::is_void_v<TensorScale>) e.tensor_scale = reg::standard_name<TensorScale>();
  e.block_size = B::block_size;
  e.element_bits = reg::bits<Element>();
  e.scale_bits = 8 * static_cast<int>(sizeof(typename Scale::storage_type));
  e.bits_per_value = e.element_bits + static_cast<double>(e.scale_bits) / e.block_size;
  e.block_bytes = (static_cast<std::size_t>(e.block_size * e.element_bits) + 7) / 8 +
                  static_cast<std::size_t>(e.scale_bits / 8);
  e.max = static_cast<double>(LS::max()) * static_cast<double>(LE::max());
  e.min_positive = static_cast<double>(LS::denorm_min()) * static_cast<double>(LE::denorm_min());
  if (const FormatOrigin* o = format_origin(name)) e.standard = o->standard;
  return e;
}

/// The block-scaled formats: the OCP MX v1.0 formats (types/block.hpp) and NVFP4. Each call is
/// visit(format_tag<B>{}, name, type, note).
template <class Visit>
void for_each_standard_block_format(Visit&& visit) {
  visit(format_tag<mxfp8_e4m3>{}, "mxfp8_e4m3", "Block<float8_e4m3fn, 32>", "");
  visit(format_tag<mxfp8_e5m2>{}, "mxfp8_e5m2", "Block<float8_e5m2, 32>", "");
  visit(format_tag<mxfp6_e3m2>{}, "mxfp6_e3m2", "Block<float6_e3m2fn, 32>", "");
  visit(format_tag<mxfp6_e2m3>{}, "mxfp6_e2m3", "Block<float6_e2m3fn, 32>", "");
  visit(format_tag<mxfp4>{}, "mxfp4", "Block<float4_e2m1fn, 32>", "");
  visit(format_tag<mxint8>{}, "mxint8", "Block<Fixed<2, 6>, 32>", "elements clamped to +-127/64");
  visit(format_tag<nvfp4_layout>{}, "nvfp4", "quantize_nvfp4 (nvfp4_layout)",
        "block values before the FP32 tensor scale");
}

/// The block-scaled formats' cards (built on first use).
template <int = 0>
const std::vector<BlockFormatEntry>& standard_block_formats() {
  static const std::vector<BlockFormatEntry> formats = [] {
    std::vector<BlockFormatEntry> v;
    for_each_standard_block_format(
        [&v]<class B>(format_tag<B>, const char* name, const char* type, const char* note) {
          v.push_back(make_block_format_entry<B>(name, type, note));
        });
    return v;
  }();
  return formats;
}

/// The block format named `name`, or nullptr.
template <int = 0>
const BlockFormatEntry* find_block_format(const std::string& name) {
  for (const BlockFormatEntry& f : standard_block_formats()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

/// The entry named `name` in `formats`, or nullptr. A program's table may hold its own type
/// derived from FormatEntry (the entry plus the program's kernels).
template <std::derived_from<FormatEntry> Entry>
const Entry* find_format(const std::vector<Entry>& formats, const std::string& name) noexcept {
  for (const Entry& f : formats) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

/// The standard format named `name`, or nullptr.
template <int = 0>
const FormatEntry* find_format(const std::string& name) {
  return find_format(standard_formats(), name);
}

/// "unknown format 'NAME'; valid formats: a, b, c" for an error message.
template <std::derived_from<FormatEntry> Entry>
std::string unknown_format_message(const std::vector<Entry>& formats, const std::string& name) {
  std::string out = "unknown format '" + name + "'; valid formats: ";
  for (std::size_t i = 0; i < formats.size(); ++i) out += (i == 0 ? "" : ", ") + formats[i].name;
  return out;
}

}  // namespace softnum
