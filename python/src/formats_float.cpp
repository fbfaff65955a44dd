// softnum Python module: native and named floating-point formats (DESIGN.md aliases).
#include "formats_impl.hpp"

namespace softnum_py {

void register_float_formats(std::vector<Format>& out) {
  // `true`: also the model with products rounded to the format (softnum.matmul(product=name)).
  using impl::make_format;
  using namespace softnum;
  out.push_back(make_format<float, true>("float32", "float (native)", "native", 32));
  out.push_back(make_format<double>("float64", "double (native)", "native", 64));
  out.push_back(make_format<binary64>("binary64", "Float<11, 52>", "float", 64));
  out.push_back(make_format<binary32>("binary32", "Float<8, 23>", "float", 32));
  out.push_back(make_format<binary16, true>("binary16", "Float<5, 10>", "float", 16));
  out.push_back(make_format<bfloat16, true>("bfloat16", "Float<8, 7>", "float", 16));
  out.push_back(make_format<float8_e4m3fn, true>("float8_e4m3fn", "Float<4, 3, Specials::fn> (OCP)",
                                                 "float", 8));
  out.push_back(make_format<float8_e4m3>("float8_e4m3", "Float<4, 3> (IEEE-style)", "float", 8));
  out.push_back(make_format<float8_e5m2, true>("float8_e5m2", "Float<5, 2> (OCP)", "float", 8));
  out.push_back(
      make_format<float8_e4m3fnuz>("float8_e4m3fnuz", "Float<4, 3, Specials::fnuz>", "float", 8));
  out.push_back(
      make_format<float8_e5m2fnuz>("float8_e5m2fnuz", "Float<5, 2, Specials::fnuz>", "float", 8));
  out.push_back(make_format<float6_e2m3fn>("float6_e2m3fn",
                                           "Float<2, 3, Specials::finite> (OCP MX)", "float", 6));
  out.push_back(make_format<float6_e3m2fn>("float6_e3m2fn",
                                           "Float<3, 2, Specials::finite> (OCP MX)", "float", 6));
  out.push_back(make_format<float4_e2m1fn>("float4_e2m1fn",
                                           "Float<2, 1, Specials::finite> (OCP MX)", "float", 4));
}

}  // namespace softnum_py
