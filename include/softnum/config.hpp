// softnum/config.hpp - version, host/device annotations, feature macros.
// SPDX-License-Identifier: MIT
#pragma once

#define SOFTNUM_VERSION_MAJOR 0
#define SOFTNUM_VERSION_MINOR 1
#define SOFTNUM_VERSION_PATCH 0
#define SOFTNUM_VERSION 100  // major * 10000 + minor * 100 + patch

// Every scalar operation is annotated so that the same code runs in CUDA kernels.
#if defined(__CUDACC__) || (defined(__clang__) && defined(__CUDA__))
#  define SOFTNUM_HOST_DEVICE __host__ __device__
#else
#  define SOFTNUM_HOST_DEVICE
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define SOFTNUM_FORCEINLINE inline __attribute__((always_inline))
#else
#  define SOFTNUM_FORCEINLINE inline
#endif

// std::is_constant_evaluated() is a host-only function for nvcc (warning 20013 in __host__
// __device__ code); the builtin behind it works everywhere (GCC >= 9, Clang >= 9, NVCC).
#define SOFTNUM_IS_CONSTANT_EVALUATED() __builtin_is_constant_evaluated()

// Device code has no thread_local; the per-thread generator of stochastic operators is host only.
#if defined(__CUDA_ARCH__)
#  define SOFTNUM_DEVICE_PASS 1
#else
#  define SOFTNUM_DEVICE_PASS 0
#endif

// The generator behind the operators of Round::stochastic types is thread_local on an operating
// system, and one plain global in a freestanding or bare-metal build (no OS: no threads, and
// thread_local would need __aeabi_read_tp / emulated TLS with malloc). The rule: thread_local
// when hosted (__STDC_HOSTED__) on Unix-like systems, Windows or Apple platforms; otherwise not.
// On an RTOS with several tasks using stochastic operators, use the per-call forms instead.
#if !defined(SOFTNUM_THREAD_LOCAL_GENERATOR)
#  if __STDC_HOSTED__ && (defined(__unix__) || defined(__unix) || defined(__APPLE__) || \
                          defined(_WIN32) || defined(__linux__))
#    define SOFTNUM_THREAD_LOCAL_GENERATOR 1
#  else
#    define SOFTNUM_THREAD_LOCAL_GENERATOR 0
#  endif
#endif

// -ffast-math breaks correct rounding (flush to zero, contraction, reassociation).
#if defined(__FAST_MATH__)
#  error "softnum: do not compile with -ffast-math; it breaks correct rounding"
#endif
