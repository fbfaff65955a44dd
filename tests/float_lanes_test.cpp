// The float-lanes path of Float's nearest-even operators (FloatLanes and FloatArith in
// types/float.hpp: decode to float, one float operation, branch-free rounding back) against the
// scalar exact path (FloatCodec's integer soft-float), bit for bit:
//  - decode of every code (computed, and the host's 256-entry table) vs the exact value, and the
//    public operator float (which uses it) likewise;
//  - encode of floats at, next to and between every code's value, specials and random floats vs
//    the exact conversion, and the public constructor T(float) (which uses it) likewise;
//  - + - * / in plain array loops (the loops compilers vectorise) vs the integer path: every pair
//    for the 8-bit formats; sampled pairs plus the cross product of edge values for binary16,
//    bfloat16 and a saturating binary16.
// The integer path itself is checked against the oracle in float_test.cpp.
#include <softnum/float.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "support/test_scale.hpp"

using namespace softnum;

namespace {

enum class Op { add, sub, mul, div };
constexpr Op kOps[] = {Op::add, Op::sub, Op::mul, Op::div};
const char* op_name(Op op) {
  return op == Op::add ? "+" : op == Op::sub ? "-" : op == Op::mul ? "*" : "/";
}

/// c[i] = a[i] OP b[i]: the loop the benchmark times (not inlined into the checks, so that it is
/// compiled as a loop of its own and vectorised where the compiler can).
template <class T>
[[gnu::noinline]] void op_loop(Op op, const T* a, const T* b, T* c, std::size_t n) {
  switch (op) {
    case Op::add:
      for (std::size_t i = 0; i < n; ++i) c[i] = a[i] + b[i];
      break;
    case Op::sub:
      for (std::size_t i = 0; i < n; ++i) c[i] = a[i] - b[i];
      break;
    case Op::mul:
      for (std::size_t i = 0; i < n; ++i) c[i] = a[i] * b[i];
      break;
    case Op::div:
      for (std::size_t i = 0; i < n; ++i) c[i] = a[i] / b[i];
      break;
  }
}

/// The scalar exact path: FloatCodec's integer arithmetic, one rounding.
template <class T>
typename T::storage_type exact_op(Op op, typename T::storage_type a, typename T::storage_type b) {
  using C = typename T::codec;
  switch (op) {
    case Op::add:
      return C::add(a, b, Round::nearest_even, 0);
    case Op::sub:
      return C::sub(a, b, Round::nearest_even, 0);
    case Op::mul:
      return C::mul(a, b, Round::nearest_even, 0);
    case Op::div:
      return C::div(a, b, Round::nearest_even, 0);
  }
  return 0;
}

/// Runs every op over the pairs (a[i], b[i]) in a loop and compares with the exact path.
template <class T>
void check_pairs(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> c(a.size());
  for (Op op : kOps) {
    op_loop(op, a.data(), b.data(), c.data(), a.size());
    long bad = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto want = exact_op<T>(op, a[i].bits(), b[i].bits());
      if (c[i].bits() != want && ++bad <= 5) {
        FAIL_CHECK(std::hex << a[i].bits() << ' ' << op_name(op) << ' ' << b[i].bits() << ": lanes "
                            << c[i].bits() << ", exact " << want);
      }
    }
    CHECK(bad == 0);
  }
}

std::uint32_t f32_bits(float x) { return detail::bit_cast<std::uint32_t>(x); }

/// Every code decodes to its exact value (NaN codes to a NaN), by the computation and the table.
template <class T>
void check_decode() {
  using C = typename T::codec;
  using L = detail::FloatLanes<C>;
  long bad = 0;
  for (std::uint32_t i = 0; i < (std::uint32_t{1} << C::width); ++i) {
    const auto b = static_cast<typename C::storage>(i);
    const float want = detail::unpacked_to_float(C::decode(b));
    const float got[] = {L::decode_arith(b), L::decode(b)};
    for (float g : got) {
      const bool ok = C::is_nan(b) ? std::isnan(g) : f32_bits(g) == f32_bits(want);
      if (!ok && ++bad <= 5)
        FAIL_CHECK(std::hex << "code " << i << ": lanes " << f32_bits(g) << ", exact "
                            << f32_bits(want));
    }
    // The public conversion (which uses the lanes decode) equals the exact one, NaN bits included.
    const float pub = static_cast<float>(T::from_bits(b));
    if (f32_bits(pub) != f32_bits(want) && ++bad <= 5)
      FAIL_CHECK(std::hex << "float(code " << i << "): " << f32_bits(pub) << ", exact " << f32_bits(want));
  }
#if !defined(__CUDA_ARCH__)
  if constexpr (C::width <= 8) {
    // Bits above a narrower format's width index entries equal to the computation's.
    for (std::uint32_t i = 0; i < 256; ++i) {
      const auto b = static_cast<typename C::storage>(i);
      if (L::table.f32[i] != f32_bits(L::decode_arith(b)) && ++bad <= 5)
        FAIL_CHECK(std::hex << "table entry " << i);
    }
  }
#endif
  CHECK(bad == 0);
}

/// encode(x) equals the exact conversion of x (NaN: the canonical NaN of an arithmetic result).
template <class T>
long check_encode_one(float x) {
  using C = typename T::codec;
  const auto got = detail::FloatLanes<C>::encode(x);
  const auto want = std::isnan(x) ? C::nan_bits(false)
                                  : C::encode(detail::unpack_double(static_cast<double>(x)),
                                              Round::nearest_even, 0);
  if (got != want) {
    FAIL_CHECK(std::hex << "encode(" << f32_bits(x) << "): lanes " << got << ", exact " << want);
    return 1;
  }
  // The public constructor from float (which takes this path for non-NaN x) equals the exact
  // conversion, NaN sign included.
  const auto ctor = T(x).bits();
  const auto ctor_want =
      T::from_unpacked(detail::unpack_double(static_cast<double>(x)), Round::nearest_even, 0).bits();
  if (ctor != ctor_want) {
    FAIL_CHECK(std::hex << "T(float " << f32_bits(x) << "): " << ctor << ", exact " << ctor_want);
    return 1;
  }
  return 0;
}

template <class T>
void check_encode() {
  using C = typename T::codec;
  long bad = 0;
  auto near = [&](float x) {
    float lo = x, hi = x;
    bad += check_encode_one<T>(x);
    for (int k = 0; k < 3 && bad < 20; ++k) {
      lo = std::nextafter(lo, -std::numeric_limits<float>::infinity());
      hi = std::nextafter(hi, std::numeric_limits<float>::infinity());
      bad += check_encode_one<T>(lo) + check_encode_one<T>(hi);
    }
  };
  // Every finite code's value and the midpoint to the next code above it (exact in float: at
  // most 12 significant bits), both signs, with their float neighbours; beyond the largest
  // value, the overflow threshold.
  for (std::uint32_t i = 0; i < (std::uint32_t{1} << C::width) && bad < 20; ++i) {
    const auto b = static_cast<typename C::storage>(i);
    if (C::is_nan(b) || C::is_inf(b)) continue;
    const double v = static_cast<double>(detail::unpacked_to_float(C::decode(b)));
    near(static_cast<float>(v));
    if ((b & C::sign_mask) != 0) continue;
    const auto up = static_cast<typename C::storage>(b + 1);
    const double next = b == C::max_bits
                            ? v + (v - static_cast<double>(detail::unpacked_to_float(
                                           C::decode(static_cast<typename C::storage>(b - 1)))))
                            : static_cast<double>(detail::unpacked_to_float(C::decode(up)));
    near(static_cast<float>((v + next) / 2));
    near(static_cast<float>(-(v + next) / 2));
  }
  const float specials[] = {0.0f,
                            std::numeric_limits<float>::infinity(),
                            std::numeric_limits<float>::quiet_NaN(),
                            std::numeric_limits<float>::signaling_NaN(),
                            std::numeric_limits<float>::max(),
                            std::numeric_limits<float>::min(),
                            std::numeric_limits<float>::denorm_min(),
                            detail::bit_cast<float>(0x007FFFFFu),
                            detail::bit_cast<float>(0x7FFFFFFFu)};
  for (float s : specials) {
    near(s);
    near(-s);
  }
  std::mt19937 g(7);
  for (long k = 0; k < test_scale::samples(1L << 20) && bad < 20; ++k)
    bad += check_encode_one<T>(detail::bit_cast<float>(static_cast<std::uint32_t>(g())));
  CHECK(bad == 0);
}

/// Every pair of codes (8-bit formats and narrower).
template <class T>
void check_all_pairs() {
  using C = typename T::codec;
  const std::uint32_t n = std::uint32_t{1} << C::width;
  std::vector<T> a, b;
  a.reserve(n * n);
  b.reserve(n * n);
  for (std::uint32_t i = 0; i < n; ++i)
    for (std::uint32_t j = 0; j < n; ++j) {
      a.push_back(T::from_bits(static_cast<typename C::storage>(i)));
      b.push_back(T::from_bits(static_cast<typename C::storage>(j)));
    }
  check_pairs(a, b);
}

/// 16-bit formats: the cross product of edge codes, random pairs, and pairs steered to ties and
/// cancellation (b's exponent 0..M+2 below a's, or a's with a few low bits changed).
template <class T>
void check_sampled_pairs() {
  using C = typename T::codec;
  using st = typename C::storage;
  constexpr int M = C::mantissa_bits;
  const st one = static_cast<st>(static_cast<st>(C::bias) << M);
  std::vector<st> edges = {0,
                           1,
                           2,
                           static_cast<st>(C::frac_mask - 1),
                           C::frac_mask,
                           C::min_normal_bits(),
                           static_cast<st>(C::min_normal_bits() + 1),
                           static_cast<st>(one - 1),
                           one,
                           static_cast<st>(one + 1),
                           static_cast<st>(one + (st{1} << M)),
                           static_cast<st>(C::max_bits - 1),
                           C::max_bits,
                           static_cast<st>(C::max_bits + 1),
                           static_cast<st>(C::mag_mask - 1),
                           C::mag_mask,
                           static_cast<st>(one - (st{4} << M)),
                           static_cast<st>(one + (st{4} << M))};
  const std::size_t n_edges = edges.size();
  for (std::size_t i = 0; i < n_edges; ++i)
    edges.push_back(static_cast<st>(edges[i] | C::sign_mask));
  std::vector<T> a, b;
  for (st x : edges)
    for (st y : edges) {
      a.push_back(T::from_bits(x));
      b.push_back(T::from_bits(y));
    }
  std::mt19937_64 g(3);
  const long n = test_scale::samples(1L << 20);
  for (long k = 0; k < n; ++k) {
    const auto x = static_cast<st>(g());
    auto y = static_cast<st>(g());
    switch (k % 4) {
      case 1: {  // b a few binades below a: sums that tie or round at the last place
        const int field =
            static_cast<int>((x & C::mag_mask) >> M) - static_cast<int>(g() % (M + 3));
        y = static_cast<st>((y & (C::sign_mask | C::frac_mask)) |
                            (static_cast<st>(field > 0 ? field : 0) << M));
        break;
      }
      case 2:  // near a: cancellation
        y = static_cast<st>((x & ~static_cast<st>(0x3F)) | (y & 0x3F) | (y & C::sign_mask));
        break;
      case 3:  // significands with few bits: exact or tied products and quotients
        y = static_cast<st>(y & ~static_cast<st>(C::frac_mask >> 3));
        break;
      default:
        break;
    }
    a.push_back(T::from_bits(x));
    b.push_back(T::from_bits(y));
  }
  check_pairs(a, b);
}

template <class T>
void check_format() {
  static_assert(T::arith::via_float, "the format must take the float-lanes path");
  SECTION("decode") { check_decode<T>(); }
  SECTION("encode") { check_encode<T>(); }
  SECTION("+ - * / in loops") {
    if constexpr (T::codec::width <= 8) {
      check_all_pairs<T>();
    } else {
      check_sampled_pairs<T>();
    }
  }
}

}  // namespace

TEMPLATE_TEST_CASE(
    "float lanes: 8-bit and narrower formats, every code and pair, equal the exact path",
    "[float][lanes]", float8_e4m3fn, float8_e4m3, float8_e5m2, float8_e4m3fnuz, float8_e5m2fnuz,
    float8_e3m4, float6_e2m3fn, float6_e3m2fn, float4_e2m1fn,
    (with_overflow_t<float8_e4m3fn, Overflow::saturate>),
    (with_overflow_t<float8_e5m2, Overflow::saturate>),
    (with_overflow_t<float8_e5m2, Overflow::nan>),
    (Float<3, 4, Specials::ieee, Overflow::infinity, Round::nearest_even, false>),
    (Float<4, 2, Specials::fnuz, Overflow::saturate>)) {
  check_format<TestType>();
}

TEMPLATE_TEST_CASE(
    "float lanes: 16-bit formats, every code, sampled and edge pairs, equal the exact path",
    "[float][lanes]", binary16, bfloat16, (with_overflow_t<binary16, Overflow::saturate>),
    (Float<8, 7, Specials::ieee, Overflow::infinity, Round::nearest_even, false>)) {
  check_format<TestType>();
}
