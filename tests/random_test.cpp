// Tests for softnum/random.hpp: Philox4x32-10 known answers and stream semantics.
#include <softnum/random.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <thread>
#include <vector>

using softnum::Philox;
using softnum::PhiloxBlock;
using softnum::philox4x32_10;

TEST_CASE("Philox4x32-10 matches the Random123 known-answer vectors", "[random]") {
  // From the kat_vectors file of the Random123 distribution (D. E. Shaw Research).
  CHECK(philox4x32_10(PhiloxBlock{{0, 0, 0, 0}}, 0, 0) ==
        PhiloxBlock{{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}});
  CHECK(philox4x32_10(PhiloxBlock{{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}}, 0xffffffffu,
                      0xffffffffu) == PhiloxBlock{{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}});
  CHECK(philox4x32_10(PhiloxBlock{{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}}, 0xa4093822u,
                      0x299f31d0u) == PhiloxBlock{{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}});
}

TEST_CASE("Philox is usable at compile time", "[random]") {
  constexpr PhiloxBlock b = philox4x32_10(PhiloxBlock{{0, 0, 0, 0}}, 0, 0);
  static_assert(b.w[0] == 0x6627e8d5u);
  constexpr std::uint32_t w = softnum::random_word(0, 0, 1);
  static_assert(w == 0xe169c58du);  // word 1 of the block at counter {0,0,0,0}
}

TEST_CASE("Philox streams: same seed same words, seek, distinct streams", "[random]") {
  Philox a(42, 7), b(42, 7), c(42, 8), d(43, 7);
  std::vector<std::uint32_t> wa, wc, wd;
  for (int i = 0; i < 1000; ++i) {
    wa.push_back(a());
    CHECK(b() == wa.back());
    wc.push_back(c());
    wd.push_back(d());
  }
  CHECK(wa != wc);
  CHECK(wa != wd);
  Philox e(42, 7);
  e.seek(513);
  CHECK(e() == wa[513]);
  // The stream is the block sequence over counters {n, n>>32, stream, stream>>32}.
  const PhiloxBlock first = philox4x32_10(PhiloxBlock{{0, 0, 7, 0}}, 42, 0);
  CHECK(wa[0] == first.w[0]);
  CHECK(wa[3] == first.w[3]);
}

TEST_CASE("random_word is a pure function of (seed, a, b)", "[random]") {
  std::set<std::uint32_t> seen;
  for (std::uint64_t a = 0; a < 64; ++a)
    for (std::uint64_t b = 0; b < 64; ++b) {
      const std::uint32_t w = softnum::random_word(99, a, b);
      CHECK(w == softnum::random_word(99, a, b));
      seen.insert(w);
    }
  CHECK(seen.size() > 4090);  // 4096 draws of 32 bits: collisions are rare
}

TEST_CASE("Philox output is roughly uniform", "[random]") {
  Philox g(1);
  const int n = 1 << 20;
  long long ones = 0;
  int buckets[16] = {};
  for (int i = 0; i < n; ++i) {
    const std::uint32_t w = g();
    ones += __builtin_popcount(w);
    ++buckets[w >> 28];
  }
  // Bit frequency: mean 16 per word, sd sqrt(8 n): 5-sigma band.
  const double mean = static_cast<double>(ones) / n;
  CHECK(mean > 16.0 - 5.0 * 2.8284 / 1024.0);
  CHECK(mean < 16.0 + 5.0 * 2.8284 / 1024.0);
  for (int k : buckets) {
    CHECK(k > n / 16 - 5 * 248);  // sd = sqrt(n * 1/16 * 15/16) ~ 248
    CHECK(k < n / 16 + 5 * 248);
  }
}

TEST_CASE("seed() makes the per-thread generator reproducible in every thread", "[random]") {
  auto draw = [] {
    softnum::seed(1234);
    std::vector<std::uint32_t> v;
    for (int i = 0; i < 10; ++i) v.push_back(softnum::detail::thread_random_word());
    return v;
  };
  const auto here = draw();
  std::vector<std::uint32_t> there;
  std::thread t([&] { there = draw(); });
  t.join();
  CHECK(here == there);
}
