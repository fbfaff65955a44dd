// softnum_train: native and named floating-point formats (DESIGN.md aliases).
#include "format_impl.hpp"

namespace train {

void register_float_formats(std::vector<Format>& out) {
  using impl::make_format;
  using namespace softnum;
  out.push_back(make_format<float>("float32", "float (native hardware baseline)", Family::native, 32));
  out.push_back(make_format<double>("float64", "double (native)", Family::native, 64));
  out.push_back(make_format<binary64>("binary64", "Float<11, 52>", Family::floating, 64));
  out.push_back(make_format<binary32>("binary32", "Float<8, 23> (emulated, exactly rounded)", Family::floating, 32));
  out.push_back(make_format<binary16>("binary16", "Float<5, 10>", Family::floating, 16));
  out.push_back(make_format<bfloat16>("bfloat16", "Float<8, 7>", Family::floating, 16));
  out.push_back(make_format<float8_e4m3fn>("float8_e4m3fn", "Float<4, 3, Specials::fn> (OCP)", Family::floating, 8));
  out.push_back(make_format<float8_e4m3>("float8_e4m3", "Float<4, 3> (IEEE-style)", Family::floating, 8));
  out.push_back(make_format<float8_e5m2>("float8_e5m2", "Float<5, 2> (OCP)", Family::floating, 8));
  out.push_back(make_format<float8_e4m3fnuz>("float8_e4m3fnuz", "Float<4, 3, Specials::fnuz>", Family::floating, 8));
  out.push_back(make_format<float8_e5m2fnuz>("float8_e5m2fnuz", "Float<5, 2, Specials::fnuz>", Family::floating, 8));
  out.push_back(make_format<float6_e2m3fn>("float6_e2m3fn", "Float<2, 3, Specials::finite> (OCP MX)", Family::floating, 6));
  out.push_back(make_format<float6_e3m2fn>("float6_e3m2fn", "Float<3, 2, Specials::finite> (OCP MX)", Family::floating, 6));
  out.push_back(make_format<float4_e2m1fn>("float4_e2m1fn", "Float<2, 1, Specials::finite> (OCP MX)", Family::floating, 4));
}

}  // namespace train
