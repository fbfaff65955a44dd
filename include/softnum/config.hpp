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

#if !defined(__SIZEOF_INT128__)
#  error "softnum needs a compiler with unsigned __int128 (GCC, Clang, NVCC)"
#endif

// -ffast-math breaks correct rounding (flush to zero, contraction, reassociation).
#if defined(__FAST_MATH__)
#  error "softnum: do not compile with -ffast-math; it breaks correct rounding"
#endif
