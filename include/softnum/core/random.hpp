// softnum/core/random.hpp - Philox4x32-10 counter-based generator for stochastic rounding.
// SPDX-License-Identifier: MIT
//
// Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy as 1, 2, 3",
// SC'11): a bijection of a 128-bit counter under a 64-bit key, 10 rounds of 32x32->64 multiplies.
// Counter-based means the random word for (seed, element, step) is a pure function, so
// stochastic rounding is bit-reproducible whatever the thread count, tile shape, vector width,
// or CPU versus GPU. The same ~30 lines run on both.
#pragma once

#include <softnum/config.hpp>

#include <cstdint>  // std::uint32_t, std::uint64_t

namespace softnum {

/// Four 32-bit words: a Philox counter or output block.
struct PhiloxBlock {
  std::uint32_t w[4] = {0, 0, 0, 0};
  friend constexpr bool operator==(const PhiloxBlock&, const PhiloxBlock&) = default;
};

/// The Philox4x32-10 bijection itself: output = philox4x32_10(counter, key).
SOFTNUM_HOST_DEVICE constexpr PhiloxBlock philox4x32_10(PhiloxBlock ctr, std::uint32_t k0,
                                                        std::uint32_t k1) noexcept {
  constexpr std::uint64_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;
  constexpr std::uint32_t w0 = 0x9E3779B9u, w1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    const std::uint64_t p0 = m0 * ctr.w[0], p1 = m1 * ctr.w[2];
    const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
    const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
    ctr = PhiloxBlock{{hi1 ^ ctr.w[1] ^ k0, lo1, hi0 ^ ctr.w[3] ^ k1, lo0}};
    k0 += w0;
    k1 += w1;
  }
  return ctr;
}

/// One random word, a pure function of (seed, a, b): word b % 4 of the block at counter
/// {a, a >> 32, b / 4, b >> 34}. Use a = element index, b = step (e.g. the k of a GEMM).
SOFTNUM_HOST_DEVICE constexpr std::uint32_t random_word(std::uint64_t seed, std::uint64_t a,
                                                        std::uint64_t b) noexcept {
  const PhiloxBlock out = philox4x32_10(
      PhiloxBlock{{static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(a >> 32),
                   static_cast<std::uint32_t>(b >> 2), static_cast<std::uint32_t>(b >> 34)}},
      static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32));
  return out.w[b & 3];
}

/// A stream of random words: Philox4x32-10 over counters {n, n >> 32, stream, stream >> 32},
/// n = 0, 1, 2, ... Two generators with the same (seed, stream) give the same words.
class Philox {
 public:
  SOFTNUM_HOST_DEVICE constexpr explicit Philox(std::uint64_t seed = 0,
                                                std::uint64_t stream = 0) noexcept
      : seed_(seed), stream_(stream) {}

  using result_type = std::uint32_t;
  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return 0xFFFFFFFFu; }

  /// The next 32-bit word.
  SOFTNUM_HOST_DEVICE constexpr std::uint32_t operator()() noexcept {
    if (used_ == 4) {
      block_ = philox4x32_10(
          PhiloxBlock{{static_cast<std::uint32_t>(n_), static_cast<std::uint32_t>(n_ >> 32),
                       static_cast<std::uint32_t>(stream_), static_cast<std::uint32_t>(stream_ >> 32)}},
          static_cast<std::uint32_t>(seed_), static_cast<std::uint32_t>(seed_ >> 32));
      ++n_;
      used_ = 0;
    }
    return block_.w[used_++];
  }

  /// Skip ahead to word number `word` of the stream.
  SOFTNUM_HOST_DEVICE constexpr void seek(std::uint64_t word) noexcept {
    n_ = word / 4;
    used_ = 4;
    const auto skip = static_cast<int>(word % 4);
    for (int i = 0; i < skip; ++i) (*this)();
  }

  SOFTNUM_HOST_DEVICE constexpr std::uint64_t seed() const noexcept { return seed_; }
  SOFTNUM_HOST_DEVICE constexpr std::uint64_t stream() const noexcept { return stream_; }

 private:
  std::uint64_t seed_;
  std::uint64_t stream_;
  std::uint64_t n_ = 0;
  PhiloxBlock block_{};
  int used_ = 4;
};

#if !SOFTNUM_DEVICE_PASS
namespace detail {
inline Philox& thread_generator() noexcept {
#if SOFTNUM_THREAD_LOCAL_GENERATOR
  thread_local Philox generator{0x5EED5EED5EED5EEDull, 0};
#else
  // Bare metal (config.hpp): one generator, constant-initialised (no guard, no TLS).
  constinit static Philox generator{0x5EED5EED5EED5EEDull, 0};
#endif
  return generator;
}
}  // namespace detail

/// Seeds the calling thread's generator, used by the operators of types whose default rounding
/// is Round::stochastic. Each thread has its own stream; for results that do not depend on the
/// thread count, use the per-call forms with random_word(seed, element, step) instead.
inline void seed(std::uint64_t value, std::uint64_t stream = 0) noexcept {
  detail::thread_generator() = Philox{value, stream};
}

namespace detail {
inline std::uint32_t thread_random_word() noexcept { return thread_generator()(); }
}  // namespace detail
#endif

}  // namespace softnum
