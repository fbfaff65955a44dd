#!/usr/bin/env python3
"""Speed of softnum's Python front end, measured side by side in one run.

1. softnum.quantize on N float32 values (default 10^7) against the same kernels called from C++
   (softnum_quantize_bench, built next to the module; goal: within 2x) and against the same
   rounding written with NumPy operations (binary16, nearest-even; goal: softnum at least 5x faster).
2. One LeNet-5 epoch on Fashion-MNIST in PyTorch with binary16 quantizers against plain fp32
   (goal: at most 3x), one thread each.

Run from the repository root after building the module and the C++ side:
  cmake --build build/release -j2 --target softnum_python softnum_quantize_bench
  PYTHONPATH=build/release/python /usr/bin/python3 examples/python/bench_quantize.py
"""

import argparse
import os
import subprocess
import sys
import time

import numpy as np

import softnum

HERE = os.path.dirname(os.path.abspath(__file__))


def best_of(runs, f):
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - t0)
    return best


def numpy_binary16(x):
    """Round to binary16, nearest-even, with NumPy operations only (no float16 cast): scale each
    value by its quantum 2^(max(e, -14) - 10) (e the exponent of the leading bit), round to an
    integer with np.rint (ties to even), scale back; overflow beyond 65504 gives infinity."""
    _, e = np.frexp(x)  # x = m 2^e, 0.5 <= |m| < 1: the leading bit is 2^(e-1)
    quantum = np.ldexp(np.float32(1), np.maximum(e - 1, -14) - 10)
    r = np.rint(x / quantum) * quantum
    return np.where(np.abs(r) > 65504, np.copysign(np.float32(np.inf), x), r).astype(np.float32)


def quantize_rows(n, cpp, threads_all):
    i = np.arange(n, dtype=np.float64)
    x = (np.sin(i) * np.exp2(i % 17 - 8)).astype(np.float32)  # as softnum_quantize_bench builds it
    y = np.empty_like(x)
    print(f"softnum.quantize on {n} float32 values (best of 5; seconds)")
    print(f"{'format':<14} {'mode':<13} {'py 1 thr':>9} {'C++ 1 thr':>10} {'ratio':>6} "
          f"{'py ' + str(threads_all) + ' thr':>9} {'C++ API loop':>13}")
    for fmt in ("binary16", "bfloat16", "float8_e4m3fn", "posit8"):
        for mode in ("nearest_even", "stochastic"):
            py1 = best_of(5, lambda: softnum.quantize(x, fmt, mode, seed=1, out=y, threads=1))
            pyn = best_of(5, lambda: softnum.quantize(x, fmt, mode, seed=1, out=y, threads=0))
            if cpp:
                out = subprocess.run([cpp, str(n), fmt, mode, "1"], check=True, capture_output=True, text=True)
                kernel, api = (float(v) for v in out.stdout.split())
                c = f"{kernel:10.4f} {py1 / kernel:6.2f}"
                a = f"{api:13.4f}" if api >= 0 else f"{'-':>13}"
            else:
                c, a = f"{'-':>10} {'-':>6}", f"{'-':>13}"
            print(f"{fmt:<14} {mode:<13} {py1:9.4f} {c} {pyn:9.4f} {a}")
    want = softnum.quantize(x, "binary16")
    got = numpy_binary16(x)
    assert np.array_equal(got.view(np.uint32), want.view(np.uint32)), "NumPy version disagrees with softnum"
    t_np = best_of(3, lambda: numpy_binary16(x))
    t_sn = best_of(5, lambda: softnum.quantize(x, "binary16", out=y, threads=1))
    t_cast = best_of(3, lambda: x.astype(np.float16).astype(np.float32))
    print(f"binary16 nearest-even: NumPy operations {t_np:.4f} s (same bits), softnum (1 thread) {t_sn:.4f} s: "
          f"softnum {t_np / t_sn:.1f}x faster (goal >= 5x); NumPy's own float16 cast {t_cast:.4f} s")


def lenet_rows(train_limit, repeats):
    try:
        import torch  # noqa: F401
    except ImportError:
        print("LeNet-5 epoch: skipped (PyTorch not installed; Debian: python3-torch)")
        return
    sys.path.insert(0, HERE)
    import lenet5

    times = {}
    for _ in range(repeats):  # interleaved, so that a change of machine load hits every format alike
        for fmt in ("float32", "binary16", "fp8", "posit8"):
            args = lenet5.parser().parse_args(["--format", fmt, "--train-limit", str(train_limit), "--test-limit",
                                               "1000", "--epochs", "1", "--threads", "1", "--quiet"])
            times[fmt] = min(times.get(fmt, float("inf")), lenet5.run(args)[0][1])
    print(f"LeNet-5, one epoch of {train_limit} images, 1 thread (best of {repeats}; seconds)")
    for fmt, t in times.items():
        print(f"  {fmt:<9} {t:7.3f}  {t / times['float32']:5.2f}x fp32" + ("  (goal <= 3x)" if fmt == "binary16" else ""))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", type=int, default=10**7, help="array size (default 10^7)")
    p.add_argument("--cpp", default=None, help="softnum_quantize_bench (default: next to the module)")
    p.add_argument("--lenet-images", type=int, default=6000, help="training images of the LeNet-5 epoch")
    p.add_argument("--lenet-repeats", type=int, default=3)
    p.add_argument("--skip-lenet", action="store_true")
    args = p.parse_args()
    cpp = args.cpp or os.path.join(os.path.dirname(os.path.dirname(softnum.__file__)), "softnum_quantize_bench")
    if not os.path.exists(cpp):
        print(f"note: {cpp} not found (build the target softnum_quantize_bench): no C++ column")
        cpp = None
    threads_all = os.cpu_count()
    quantize_rows(args.n, cpp, threads_all)
    if not args.skip_lenet:
        lenet_rows(args.lenet_images, args.lenet_repeats)


if __name__ == "__main__":
    main()
