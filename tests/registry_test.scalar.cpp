// registry_test, part 3: the scalar hooks against convert<T, R> and T's operators (see
// registry_test.cpp).
#include "support/registry_test.hpp"

using namespace registry_test;

namespace {

template <class T>
void check_scalar_hooks(const FormatEntry& e) {
  REQUIRE(e.round != nullptr);
  REQUIRE(e.add != nullptr);
  REQUIRE(e.mul != nullptr);
  REQUIRE(e.div != nullptr);
  const std::vector<double> x = inputs<T, double>(7);
  for (Round mode : kModes) {
    INFO(e.name << " mode " << static_cast<int>(mode));
    std::size_t bad = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const auto word = static_cast<std::uint32_t>(i * 0x9E3779B9u);
      bad += same(e.round(x[i], mode, word), expected_round<T, double>(x[i], mode, word)) ? 0u : 1u;
    }
    CHECK(bad == 0);
  }
  // add, mul, div in round-to-nearest-even against T's own operators, on values of T.
  std::vector<T> v;
  for (double xi : x) {
    const T t = softnum::convert<T, Round::nearest_even>(xi);
    if (std::isfinite(static_cast<double>(t))) v.push_back(t);
  }
  std::size_t bad_add = 0, bad_mul = 0, bad_div = 0;
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    const T a = v[i], b = v[i + 1];
    const auto da = static_cast<double>(a), db = static_cast<double>(b);
    bad_add += same(e.add(da, db, Round::nearest_even, 0), static_cast<double>(a + b)) ? 0u : 1u;
    bad_mul += same(e.mul(da, db, Round::nearest_even, 0), static_cast<double>(a * b)) ? 0u : 1u;
    if (db != 0 && e.digits <= 25) {  // the documented exactness of div (53 >= 2p + 2)
      bad_div += same(e.div(da, db, Round::nearest_even, 0), static_cast<double>(a / b)) ? 0u : 1u;
    }
  }
  INFO(e.name);
  CHECK(bad_add == 0);
  CHECK(bad_mul == 0);
  CHECK(bad_div == 0);
}

}  // namespace

TEST_CASE("registry: scalar hooks equal convert<T, R> and T's operators", "[registry]") {
  softnum::for_each_standard_format(
      [&]<class T>(softnum::format_tag<T>, const char* name, const char*, const char*) {
        check_scalar_hooks<T>(entry(name));
      });
}
