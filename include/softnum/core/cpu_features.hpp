// softnum/core/cpu_features.hpp - the instruction set the SIMD kernels run with (GEMM, quantize,
// block quantize): detected once per process, with one limit that tests and benchmarks lower to
// run every copy of the kernels.
// SPDX-License-Identifier: MIT
//
// Levels: 2 AVX-512 (F, BW, DQ, VL), 1 AVX2 + FMA + F16C, 0 generic (any other CPU, compiler or
// target). The kernel copies are compiled with target attributes for exactly these sets.
#pragma once

#include <softnum/config.hpp>

// x86 kernels and CPU detection need GCC-style builtins, and never appear in a CUDA translation
// unit: nvcc's front end rejects x86 intrinsics in its host pass, and host code there takes the
// generic path, which gives the same bits.
#if !SOFTNUM_DEVICE_PASS && !defined(__CUDACC__) && (defined(__x86_64__) || defined(__i386__)) && \
    (defined(__GNUC__) || defined(__clang__))
#  define SOFTNUM_X86_DISPATCH 1
#  include <cpuid.h>  // __get_cpuid, bit_F16C
#else
#  define SOFTNUM_X86_DISPATCH 0
#endif

namespace softnum::detail {

/// The best level this CPU (and operating system: __builtin_cpu_supports checks that the vector
/// registers are enabled) supports; computed once.
inline int detected_isa() noexcept {
#if SOFTNUM_X86_DISPATCH
  static const int level = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) {
      return 2;
    }
    // clang 14 has no "f16c" in __builtin_cpu_supports: CPUID leaf 1, ECX bit 29.
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    const bool f16c = __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0 && (ecx & bit_F16C) != 0;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && f16c) return 1;
    return 0;
  }();
  return level;
#else
  return 0;
#endif
}

/// Upper limit on the level (tests lower it to run every copy of the kernels; -1: no limit).
/// One limit for every kernel family.
inline int& isa_limit() noexcept {
  static int limit = -1;
  return limit;
}

/// The level the kernels use: the detected one, lowered to isa_limit() if that is set.
inline int isa() noexcept {
  const int d = detected_isa(), l = isa_limit();
  return l >= 0 && l < d ? l : d;
}

}  // namespace softnum::detail
