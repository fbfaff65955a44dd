// softnum Python module (_softnum): NumPy bindings over the softnum array kernels and GEMM.
// The Python package softnum/ (__init__.py, torch.py) wraps it; docs/python.md is the manual.
//
// Every kernel runs with the GIL released. Large arrays are split at element offsets over
// threads; stochastic rounding takes element i's word from random_word(seed, i, 0) (i the
// index in C order), so results never depend on the split.
#include <softnum/config.hpp>
#include <softnum/gemm.hpp>
#include <softnum/random.hpp>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "formats.hpp"

namespace py = pybind11;

namespace softnum_py {
namespace {

struct RoundName {
  const char* name;
  Round mode;
};
constexpr RoundName kRoundNames[] = {
    {"nearest_even", Round::nearest_even},
    {"nearest_away", Round::nearest_away},
    {"toward_zero", Round::toward_zero},
    {"up", Round::up},
    {"down", Round::down},
    {"odd", Round::odd},
    {"stochastic", Round::stochastic},
    {"nearest", Round::nearest_even},  // QPyTorch's name
};

Round parse_round(const std::string& name) {
  for (const RoundName& r : kRoundNames) {
    if (name == r.name) return r.mode;
  }
  throw std::invalid_argument(
      "unknown rounding '" + name +
      "'; valid: nearest_even (or nearest), nearest_away, toward_zero, up, down, odd, "
      "stochastic");
}

std::vector<std::string> rounding_names() {
  std::vector<std::string> v;
  for (const RoundName& r : kRoundNames) {
    if (std::string(r.name) != "nearest") v.emplace_back(r.name);
  }
  return v;
}

std::string shape_string(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t d = 0; d < a.ndim(); ++d) {
    s += std::to_string(a.shape(d));
    if (d + 1 < a.ndim() || a.ndim() == 1) s += d + 1 < a.ndim() ? ", " : ",";
  }
  return s + ")";
}

bool is_float32(const py::array& a) { return a.dtype().is(py::dtype::of<float>()); }
bool is_float64(const py::array& a) { return a.dtype().is(py::dtype::of<double>()); }

py::array as_float_array(const py::handle& x, const char* function, const char* argument) {
  if (!py::isinstance<py::array>(x)) {
    throw py::type_error(std::string(function) + ": " + argument +
                         " must be a NumPy array of float32 or float64, got " +
                         std::string(py::str(py::type::of(x))));
  }
  auto a = py::reinterpret_borrow<py::array>(x);
  if (!is_float32(a) && !is_float64(a)) {
    throw py::type_error(std::string(function) + ": " + argument +
                         " must have dtype float32 or float64, got " +
                         std::string(py::str(a.dtype())));
  }
  return a;
}

unsigned thread_count(unsigned requested, std::size_t work, std::size_t grain) {
  unsigned t = requested != 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t useful = std::max<std::size_t>(1, work / grain);
  return static_cast<unsigned>(std::min<std::size_t>(t, useful));
}

/// Runs fn over [0, n) in `threads` contiguous parts, part p with element offset i0.
template <class S>
void split_quantize(QuantizeFn<S> fn, const S* x, S* y, std::size_t n, Round mode,
                    std::uint64_t seed, unsigned threads) {
  if (threads <= 1) {
    fn(x, y, n, mode, seed, 0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  const std::size_t part = (n + threads - 1) / threads;
  for (unsigned p = 1; p < threads; ++p) {
    const std::size_t i0 = std::min(n, p * part), i1 = std::min(n, i0 + part);
    if (i0 < i1) pool.emplace_back([=] { fn(x + i0, y + i0, i1 - i0, mode, seed, i0); });
  }
  fn(x, y, std::min(n, part), mode, seed, 0);
  for (std::thread& t : pool) t.join();
}

template <class S>
py::array quantize_typed(const py::array& x_in, const Format& f, Round mode, std::uint64_t seed,
                         const py::object& out, unsigned threads, bool reference) {
  auto x = py::array_t<S, py::array::c_style>::ensure(x_in);  // no copy when already C-contiguous
  if (!x) throw py::error_already_set();
  py::array_t<S> y;
  if (out.is_none()) {
    y = py::array_t<S>(std::vector<py::ssize_t>(x.shape(), x.shape() + x.ndim()));
  } else {
    py::array o = as_float_array(out, "softnum.quantize", "out");
    if (!o.dtype().is(x.dtype())) {
      throw py::type_error("softnum.quantize: out has dtype " + std::string(py::str(o.dtype())) +
                           " but x has " + std::string(py::str(x.dtype())));
    }
    if (o.ndim() != x.ndim() || !std::equal(x.shape(), x.shape() + x.ndim(), o.shape())) {
      throw std::invalid_argument("softnum.quantize: out has shape " + shape_string(o) +
                                  " but x has " + shape_string(x));
    }
    if (!(o.flags() & py::array::c_style))
      throw std::invalid_argument("softnum.quantize: out must be C-contiguous");
    if (!o.writeable()) throw std::invalid_argument("softnum.quantize: out is read-only");
    y = py::reinterpret_borrow<py::array_t<S>>(o);
  }
  const auto n = static_cast<std::size_t>(x.size());
  const S* xp = x.data();
  S* yp = y.mutable_data();
  if (n > 0 && xp != yp && xp < yp + n && yp < xp + n) {
    throw std::invalid_argument(
        "softnum.quantize: out overlaps x without being x (pass out=x to round in place)");
  }
  QuantizeFn<S> kernel;
  if constexpr (std::is_same_v<S, float>) {
    kernel = reference ? f.reference_f : f.quantize_f;
  } else {
    kernel = reference ? f.reference_d : f.quantize_d;
  }
  {
    py::gil_scoped_release release;
    split_quantize<S>(kernel, xp, yp, n, mode, seed,
                      reference ? 1u : thread_count(threads, n, std::size_t{1} << 16));
  }
  return y;
}

py::array quantize(const py::object& x_obj, const std::string& format, const std::string& rounding,
                   std::uint64_t seed, const py::object& out, unsigned threads, bool reference) {
  const py::array x = as_float_array(x_obj, "softnum.quantize", "x");
  const Format& f = find_format(format);
  const Round mode = parse_round(rounding);
  if (is_float32(x)) return quantize_typed<float>(x, f, mode, seed, out, threads, reference);
  return quantize_typed<double>(x, f, mode, seed, out, threads, reference);
}

/// A 2-D float64 view of a (a copy only when a is float32 or its strides are not whole elements).
struct DoubleMatrix {
  py::array_t<double> keep;
  softnum::MatrixView<const double> view;
};

DoubleMatrix double_matrix(const py::array& a) {
  DoubleMatrix m;
  py::array_t<double> d;
  if (is_float64(a) && a.strides(0) % 8 == 0 && a.strides(1) % 8 == 0) {
    d = py::reinterpret_borrow<py::array_t<double>>(a);
  } else {
    d = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(
        a);  // float32 -> float64: exact
    if (!d) throw py::error_already_set();
  }
  m.view = {d.data(), d.shape(0), d.shape(1), d.strides(0) / 8, d.strides(1) / 8};
  m.keep = d;
  return m;
}

/// A 2-D float32 view of a float32 array (a copy only when its strides are not whole elements).
struct FloatMatrix {
  py::array_t<float> keep;
  softnum::MatrixView<const float> view;
};

FloatMatrix float_matrix(const py::array& a) {
  FloatMatrix m;
  py::array_t<float> d;
  if (a.strides(0) % 4 == 0 && a.strides(1) % 4 == 0) {
    d = py::reinterpret_borrow<py::array_t<float>>(a);
  } else {
    d = py::array_t<float, py::array::c_style>::ensure(a);
    if (!d) throw py::error_already_set();
  }
  m.view = {d.data(), d.shape(0), d.shape(1), d.strides(0) / 4, d.strides(1) / 4};
  m.keep = d;
  return m;
}

py::array matmul(const py::object& a_obj, const py::object& b_obj, const std::string& accumulator,
                 const std::string& product, std::ptrdiff_t chunk, const std::string& rounding,
                 std::uint64_t seed, const py::object& output, const std::string& output_rounding,
                 unsigned threads, bool reference) {
  const char* fn = "softnum.matmul";
  const py::array a = as_float_array(a_obj, fn, "a"), b = as_float_array(b_obj, fn, "b");
  if (a.ndim() != 2 || b.ndim() != 2) {
    throw std::invalid_argument(std::string(fn) + ": a and b must be 2-D, got shapes " +
                                shape_string(a) + " and " + shape_string(b));
  }
  if (a.shape(1) != b.shape(0)) {
    throw std::invalid_argument(std::string(fn) + ": shapes " + shape_string(a) + " and " +
                                shape_string(b) + " do not match (a has " +
                                std::to_string(a.shape(1)) + " columns, b has " +
                                std::to_string(b.shape(0)) + " rows)");
  }
  if (chunk < 0)
    throw std::invalid_argument(std::string(fn) + ": chunk must be >= 0 (0: no chunks)");
  const Format& acc = find_format(accumulator);
  GemmFn gemm = reference ? acc.gemm_reference : acc.d.gemm;
  if (product != "exact") {
    find_format(product);  // an unknown name says so first
    if (product != accumulator || acc.gemm_rounded_product == nullptr) {
      std::string offered;
      for (const Format& f : all_formats()) {
        if (f.gemm_rounded_product != nullptr) offered += (offered.empty() ? "" : ", ") + f.name;
      }
      throw std::invalid_argument(
          std::string(fn) + ": product='" + product + "' with accumulator='" + accumulator +
          "' is not offered; product must be 'exact' (exact products, one rounding per "
          "multiply-add), or equal to the accumulator for one of: " +
          (offered.empty() ? std::string("(none)") : offered));
    }
    gemm = reference ? acc.gemm_rounded_product_reference : acc.gemm_rounded_product;
  }
  const Round mode = parse_round(rounding), out_mode = parse_round(output_rounding);
  const bool single = is_float32(a) && is_float32(b);
  const Format& out_format = output.is_none() ? find_format(single ? "float32" : "float64")
                                              : find_format(py::cast<std::string>(output));
  softnum::GemmOptions o;
  o.round = mode;
  o.seed = seed;
  o.chunk = chunk;
  o.threads = reference ? 1u : threads;
  const std::ptrdiff_t M = a.shape(0), N = b.shape(1), K = a.shape(1);
  py::array result =
      single ? py::array(py::array_t<float>({M, N})) : py::array(py::array_t<double>({M, N}));
  void* out_data = result.mutable_data();
  // float32 inputs and an accumulator whose values are floats: softnum::gemm on float storage
  // (the library's SIMD kernels), else on float64 copies. Either way C receives the
  // accumulator's value exactly, or (float path, no output format) rounded to float32 by gemm's
  // own output step, which is the model's.
  if (single && !reference && product == "exact" && acc.f.gemm != nullptr) {
    const FloatMatrix A = float_matrix(a), B = float_matrix(b);
    std::vector<float> c;
    float* c_data = static_cast<float*>(out_data);
    if (!output.is_none()) {
      c.resize(static_cast<std::size_t>(M * N));
      c_data = c.data();
    }
    o.output_round = out_mode;
    {
      py::gil_scoped_release release;
      acc.f.gemm(A.view, B.view, softnum::row_major(c_data, M, N), o);
      if (!output.is_none()) {
        for (std::ptrdiff_t i = 0; i < M; ++i) {
          for (std::ptrdiff_t j = 0; j < N; ++j) {
            const auto idx = static_cast<std::size_t>(i * N + j);
            const std::uint32_t word = softnum::detail::gemm_word(
                out_mode, seed, softnum::detail::gemm_counter(i, j), K, 3);
            static_cast<float*>(out_data)[idx] =
                static_cast<float>(out_format.round(static_cast<double>(c[idx]), out_mode, word));
          }
        }
      }
    }
    return result;
  }
  const DoubleMatrix A = double_matrix(a), B = double_matrix(b);
  std::vector<double> c(static_cast<std::size_t>(M * N));
  o.output_round = Round::nearest_even;  // C holds the accumulator exactly; the output step follows
  {
    py::gil_scoped_release release;
    gemm(A.view, B.view, softnum::row_major(c.data(), M, N), o);
    // The model's output step, C(i,j) = round_O(s), its word at (k = K, role 3).
    for (std::ptrdiff_t i = 0; i < M; ++i) {
      for (std::ptrdiff_t j = 0; j < N; ++j) {
        const auto idx = static_cast<std::size_t>(i * N + j);
        const std::uint32_t word =
            softnum::detail::gemm_word(out_mode, seed, softnum::detail::gemm_counter(i, j), K, 3);
        const double v = out_format.round(c[idx], out_mode, word);
        if (single) {
          static_cast<float*>(out_data)[idx] = static_cast<float>(v);
        } else {
          static_cast<double*>(out_data)[idx] = v;
        }
      }
    }
  }
  return result;
}

py::dict card(const Format& f) {
  py::dict d;
  d["name"] = f.name;
  d["type"] = f.type;
  d["note"] = f.note;
  d["family"] = family_name(f.family);
  d["bits"] = f.bits;
  d["digits"] = f.digits;
  d["max"] = f.max;
  d["min_positive"] = f.min_positive;
  d["min_normal"] = f.min_normal;
  d["epsilon"] = f.epsilon;
  d["has_infinity"] = f.has_infinity;
  d["has_nan"] = f.has_nan;
  d["exact_in_float32"] = f.exact_in_float;
  d["rounded_product_gemm"] = f.gemm_rounded_product != nullptr;
  return d;
}

}  // namespace
}  // namespace softnum_py

PYBIND11_MODULE(_softnum, m) {
  using namespace softnum_py;
  m.doc() = "softnum: NumPy bindings of the softnum C++ library (correctly rounded custom formats)";
  m.attr("__version__") = std::to_string(SOFTNUM_VERSION_MAJOR) + "." +
                          std::to_string(SOFTNUM_VERSION_MINOR) + "." +
                          std::to_string(SOFTNUM_VERSION_PATCH);
  m.def(
      "formats",
      [] {
        std::vector<std::string> v;
        for (const Format& f : all_formats()) v.push_back(f.name);
        return v;
      },
      "Names of every format, in registry order.");
  m.def(
      "info", [](const std::string& name) { return card(find_format(name)); }, py::arg("name"),
      "The format's card: bits, digits, range, specials, C++ type.");
  m.def("roundings", &rounding_names, "Names of the rounding modes.");
  m.def(
      "quantize",
      [](const py::object& x, const std::string& fmt, const std::string& rounding,
         std::uint64_t seed, const py::object& out,
         unsigned threads) { return quantize(x, fmt, rounding, seed, out, threads, false); },
      py::arg("x"), py::arg("fmt"), py::arg("rounding") = "nearest_even", py::arg("seed") = 0,
      py::arg("out") = py::none(), py::arg("threads") = 0,
      "Round every element of x (float32/float64, any shape) once to format fmt; the result is "
      "stored exactly in "
      "x's dtype. out=x rounds in place. Stochastic rounding uses random_word(seed, i, 0) for "
      "element i (C order).");
  m.def(
      "matmul",
      [](const py::object& a, const py::object& b, const std::string& accumulator,
         const std::string& product, std::ptrdiff_t chunk, const std::string& rounding,
         std::uint64_t seed, const py::object& output, const std::string& output_rounding,
         unsigned threads) {
        return matmul(a, b, accumulator, product, chunk, rounding, seed, output, output_rounding,
                      threads, false);
      },
      py::arg("a"), py::arg("b"), py::kw_only(), py::arg("accumulator") = "float32",
      py::arg("product") = "exact", py::arg("chunk") = 0, py::arg("rounding") = "nearest_even",
      py::arg("seed") = 0, py::arg("output") = py::none(),
      py::arg("output_rounding") = "nearest_even", py::arg("threads") = 0,
      "a @ b by the accumulation model of softnum/gemm.hpp (bit-identical to softnum::gemm).");
  // Test-only: the C++ definitions the tests compare against (scalar loop, gemm_reference).
  m.def(
      "_reference_quantize",
      [](const py::object& x, const std::string& fmt, const std::string& rounding,
         std::uint64_t seed) { return quantize(x, fmt, rounding, seed, py::none(), 1, true); },
      py::arg("x"), py::arg("fmt"), py::arg("rounding") = "nearest_even", py::arg("seed") = 0);
  m.def(
      "_reference_matmul",
      [](const py::object& a, const py::object& b, const std::string& accumulator,
         const std::string& product, std::ptrdiff_t chunk, const std::string& rounding,
         std::uint64_t seed, const py::object& output, const std::string& output_rounding) {
        return matmul(a, b, accumulator, product, chunk, rounding, seed, output, output_rounding, 1,
                      true);
      },
      py::arg("a"), py::arg("b"), py::kw_only(), py::arg("accumulator") = "float32",
      py::arg("product") = "exact", py::arg("chunk") = 0, py::arg("rounding") = "nearest_even",
      py::arg("seed") = 0, py::arg("output") = py::none(),
      py::arg("output_rounding") = "nearest_even");
}
