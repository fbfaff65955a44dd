// How much of the sampled and exhaustive work a test run does.
//
// The optimised build (the README's test command) does all of it. Sanitizer builds run the same
// code paths 20-50x slower, so .ci/run sets SOFTNUM_TEST_SCALE=<d> for its ASan/UBSan stage: the
// random samples shrink d-fold and the pair loops of the exhaustive 8-bit suites visit every
// d-th pair (a different residue class per row, so every operand still appears). Looking for
// undefined behaviour needs the paths, not every operand; the optimised run checks every value.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace test_scale {

/// The divisor from SOFTNUM_TEST_SCALE (default 1). A malformed value stops the test run with
/// a message, so that a typo cannot silently shrink or skip the checks.
inline long divisor() {
  static const long d = [] {
    const char* s = std::getenv("SOFTNUM_TEST_SCALE");
    if (s == nullptr || *s == '\0') return 1L;
    char* end = nullptr;
    const long v = std::strtol(s, &end, 10);
    if (*end != '\0' || v < 1 || v > 1000000) {
      throw std::invalid_argument(std::string("SOFTNUM_TEST_SCALE must be an integer in [1, 1000000], got '") +
                                  s + "'");
    }
    if (v > 1) std::fprintf(stderr, "note: SOFTNUM_TEST_SCALE=%ld: sampled checks reduced %ld-fold\n", v, v);
    return v;
  }();
  return d;
}

/// n samples reduced by the divisor (at least 1).
inline long samples(long n) {
  const long r = n / divisor();
  return r > 0 ? r : 1;
}
inline int samples(int n) { return static_cast<int>(samples(static_cast<long>(n))); }

/// First index of row i in a pair loop stepping by divisor(): rows start on different residues.
inline long first(long i) { return i % divisor(); }

}  // namespace test_scale
