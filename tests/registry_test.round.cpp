// registry_test, part 2: the array round hooks against convert<T, R> (see registry_test.cpp).
#include "support/registry_test.hpp"

using namespace registry_test;

namespace {

template <class T, class S>
void check_round_hook(const FormatEntry& e) {
  const auto& h = e.hooks<S>();
  REQUIRE(h.round != nullptr);
  const std::vector<S> x = inputs<T, S>(0x5EED);
  const std::size_t n = x.size();
  const std::uint64_t seed = 0x0123456789ABCDEFull, offset = 1000;
  for (Round mode : kModes) {
    INFO(e.name << " mode " << static_cast<int>(mode) << " storage " << sizeof(S) * 8);
    std::vector<S> y(n), y_split(n), y_inplace = x;
    h.round(x.data(), y.data(), n, mode, seed, offset);
    std::size_t bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const S want = expected_round<T, S>(x[i], mode, softnum::random_word(seed, offset + i, 0));
      if (!same(y[i], want)) {
        if (bad++ < 3) {
          UNSCOPED_INFO("x = " << x[i] << ": hook " << y[i] << ", convert " << want);
        }
      }
    }
    CHECK(bad == 0);
    // The same words whatever the split of the array, and in place.
    const std::size_t half = n / 3;
    h.round(x.data(), y_split.data(), half, mode, seed, offset);
    h.round(x.data() + half, y_split.data() + half, n - half, mode, seed, offset + half);
    h.round(y_inplace.data(), y_inplace.data(), n, mode, seed, offset);
    std::size_t split_bad = 0, inplace_bad = 0;
    for (std::size_t i = 0; i < n; ++i) {
      split_bad += same(y[i], y_split[i]) ? 0u : 1u;
      inplace_bad += same(y[i], y_inplace[i]) ? 0u : 1u;
    }
    CHECK(split_bad == 0);
    CHECK(inplace_bad == 0);
  }
}

}  // namespace

TEST_CASE("registry: round hooks equal convert<T, R> in every mode", "[registry]") {
  softnum::for_each_standard_format(
      [&]<class T>(softnum::format_tag<T>, const char* name, const char*, const char*) {
        const FormatEntry& e = entry(name);
        check_round_hook<T, double>(e);
        if (e.exact_in_float) check_round_hook<T, float>(e);
      });
}
