// What every CUDA test and benchmark program starts with: error checking and the device probe
// that turns "no GPU" into exit code 77 (CTest SKIP_RETURN_CODE: reported as Skipped).
#pragma once

#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

/// Stops the program with file, line, expression and CUDA's message when expr fails.
#define CUDA_OK(expr)                                                                             \
  do {                                                                                            \
    const cudaError_t e_ = (expr);                                                                \
    if (e_ != cudaSuccess) {                                                                      \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #expr, cudaGetErrorString(e_)); \
      std::exit(1);                                                                               \
    }                                                                                             \
  } while (0)

namespace cuda_support {

/// The skip exit code: CTest reports the test as Skipped, not failed.
inline constexpr int skip_code = 77;

/// True and prop filled (device 0) when a CUDA device is usable; otherwise prints why the
/// program skips, so the caller returns skip_code.
inline bool device_present(cudaDeviceProp& prop) {
  int devices = 0;
  const cudaError_t e = cudaGetDeviceCount(&devices);
  if (e != cudaSuccess || devices == 0) {
    std::printf("SKIP: no CUDA device (%s)\n", e != cudaSuccess ? cudaGetErrorString(e) : "device count is 0");
    return false;
  }
  CUDA_OK(cudaGetDeviceProperties(&prop, 0));
  return true;
}

}  // namespace cuda_support
