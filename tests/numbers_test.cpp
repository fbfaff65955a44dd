// Tests for softnum/numbers.hpp, the header firmware includes: it must not pull in streams,
// strings, the heap containers, exceptions or RTTI (checked here on the host through the
// standard library's include guards, before anything else is included), and it offers every
// number type with printing and parsing on character buffers. The link-level check (no malloc,
// __cxa_*, TLS in a Cortex-M image) is the `firmware` test (examples/firmware).
#include <softnum/numbers.hpp>

#if defined(__GLIBCXX__)
#  if defined(_GLIBCXX_STRING) || defined(_GLIBCXX_OSTREAM) || defined(_GLIBCXX_IOSTREAM) || \
      defined(_GLIBCXX_ISTREAM) || defined(_GLIBCXX_SSTREAM)
#    error "softnum/numbers.hpp pulls in <string> or a stream header"
#  endif
#  if defined(_GLIBCXX_MEMORY) || defined(_GLIBCXX_VECTOR) || defined(_GLIBCXX_STDEXCEPT) || \
      defined(_TYPEINFO) || defined(_GLIBCXX_FUNCTIONAL) || defined(_GLIBCXX_THREAD)
#    error \
        "softnum/numbers.hpp pulls in <memory>, <vector>, <stdexcept>, <typeinfo>, <functional> or <thread>"
#  endif
#endif

#include <cstring>

#include <catch2/catch.hpp>

TEST_CASE("numbers.hpp: every family prints and parses on character buffers", "[numbers]") {
  char buf[64];
  const auto check = [&](auto x, const char* want) {
    using T = decltype(x);
    const softnum::ToCharsResult r = softnum::to_chars(buf, buf + sizeof buf, x);
    REQUIRE(r.ok);
    *r.ptr = '\0';
    CHECK(std::strcmp(buf, want) == 0);
    const auto back =
        softnum::from_string<T>(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
    CHECK(back.value.bits() == x.bits());
  };
  check(softnum::binary16(0.1), "0.1");
  check(softnum::float8_e4m3fn(-448.0), "-448");
  check(softnum::posit16(3.0), "3");
  check(softnum::Fixed<8, 8>(1.5), "1.5");
}
