#!/usr/bin/env bash
# scripts/gpu-check.sh - build softnum's CUDA tests and benchmark on a machine with an NVIDIA GPU,
# run the bit-identity tests, then the GEMM benchmark, and print the device and the figures.
#
#   scripts/gpu-check.sh [build dir (default build/gpu)] [benchmark sizes ... (default 1024 4096 8192)]
#
# Environment: CUDA_ARCH (default: the device's own, e.g. 90 on an H100), JOBS (default: nproc),
# OUT (a directory to copy the logs to). Needs nvcc at /usr/local/cuda/bin/nvcc (or CUDACXX),
# cmake (optional: without it, or without the test/bench dependencies, the CUDA programs are built
# directly with nvcc and only they run). Warnings are not errors here (CI checks those).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=${1:-build/gpu}
shift || true
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(1024 4096 8192)
nvcc=${CUDACXX:-/usr/local/cuda/bin/nvcc}
jobs=${JOBS:-$(nproc)}
log_dir=${OUT:-$build/logs}
mkdir -p "$log_dir"

nvidia-smi -L || { echo "error: no NVIDIA device (nvidia-smi -L failed)" >&2; exit 1; }
arch=${CUDA_ARCH:-$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '.')}
echo "== device arch sm_$arch, $jobs jobs, build dir $build"

gen=()
command -v ninja >/dev/null 2>&1 && [[ ! -f $build/CMakeCache.txt ]] && gen=(-G Ninja)
start=$SECONDS
direct=0
if CUDACXX=$nvcc CUDAHOSTCXX=${CUDAHOSTCXX:-g++} cmake -S . -B "$build" "${gen[@]}" \
     -DCMAKE_BUILD_TYPE=Release -DSOFTNUM_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$arch" \
     -DSOFTNUM_WERROR=OFF -DSOFTNUM_BUILD_BENCHMARKS=ON -DSOFTNUM_BUILD_EXAMPLES=ON > "$log_dir/configure.log" 2>&1; then
  cmake --build "$build" -j"$jobs" --target softnum_cuda_tests softnum_cuda_benches gemm_paths_test softnum_train \
    > "$log_dir/build.log" 2>&1 || { tail -50 "$log_dir/build.log"; exit 1; }
else
  # No Catch2 / Google Benchmark / Eigen / Boost / MPFR / zlib here: build the CUDA programs
  # directly with nvcc (they need only the headers and cuBLAS); no host test, no softnum_train.
  echo "   CMake configure failed (missing dependencies? see $log_dir/configure.log):" \
       "building the CUDA programs directly with nvcc"
  direct=1
  mkdir -p "$build/tests" "$build/bench"
  flags=(-std=c++20 -O3 -DNDEBUG -fmad=false -Xcompiler=-ffp-contract=off -Iinclude -Itests)
  for a in ${arch//;/ }; do flags+=(--generate-code="arch=compute_$a,code=sm_$a"); done
  pids=()
  for src in tests/cuda/*.cu bench/cuda/*.cu; do
    stem=$(basename "$src" .cu)
    dir=$build/tests
    [[ $src == bench/* ]] && dir=$build/bench
    "$nvcc" "${flags[@]}" "$src" -o "$dir/cuda_$stem" -lcublasLt -lcublas > "$log_dir/build_$stem.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { cat "$log_dir"/build_*.log | tail -40; exit 1; }; done
fi
echo "== build: $((SECONDS - start)) s"

status=0
if [[ $direct -eq 0 ]]; then
  echo "== host test of the kernels' step sequences"
  "$build/tests/gemm_paths_test" | tail -2 | tee "$log_dir/gemm_paths_test.log" || status=1
fi
for t in "$build"/tests/cuda_*; do
  [[ -x $t ]] || continue
  echo "== $(basename "$t")"
  set +e
  "$t" > "$log_dir/$(basename "$t").log" 2>&1
  rc=$?
  set -e
  grep -v '^ok ' "$log_dir/$(basename "$t").log" | tail -40
  echo "   (exit $rc; $(grep -c '^ok ' "$log_dir/$(basename "$t").log" || true) ok lines; full log in $log_dir)"
  [[ $rc -eq 0 ]] || status=1
done

# softnum_train: --backend cuda must write the CPU backend's CSV (timing column 7 aside).
train=$build/examples/train/softnum_train
echo "== softnum_train --backend cuda vs --backend cpu"
[[ -x $train ]] || echo "   skipped: softnum_train was not built"
[[ -x $train ]] && for fmt in "--format float32" "--format binary16 --rounding stochastic" "--format float8_e4m3fn --accumulator binary16" \
           "--format posit16"; do
  args=(--train-limit 2000 --test-limit 1000 --epochs 1 --hidden 64 --progress never --skip-missing-data $fmt)
  set +e
  "$train" "${args[@]}" --backend cpu --csv "$log_dir/train_cpu.csv" > "$log_dir/train_cpu.log" 2>&1
  rc_cpu=$?
  "$train" "${args[@]}" --backend cuda --csv "$log_dir/train_cuda.csv" > "$log_dir/train_cuda.log" 2>&1
  rc_cuda=$?
  set -e
  if [[ $rc_cpu -eq 77 ]]; then
    echo "   skipped: no Fashion-MNIST data (Debian dataset-fashion-mnist) on this machine"
    break
  fi
  if [[ $rc_cpu -ne 0 || $rc_cuda -ne 0 ]]; then
    echo "   FAIL $fmt: exit cpu $rc_cpu, cuda $rc_cuda"; tail -3 "$log_dir/train_cuda.log"; status=1; continue
  fi
  if cmp -s <(cut -d, -f1-6,8- "$log_dir/train_cpu.csv") <(cut -d, -f1-6,8- "$log_dir/train_cuda.csv"); then
    echo "   ok   $fmt: identical CSV; $(grep -h 'final test accuracy' "$log_dir/train_cuda.log")" \
         "(cpu $(grep -h '^ *1 ' "$log_dir/train_cpu.log" | awk '{print $6}') s," \
         "cuda $(grep -h '^ *1 ' "$log_dir/train_cuda.log" | awk '{print $6}') s per epoch)"
  else
    echo "   FAIL $fmt: CSVs differ"; diff <(cut -d, -f1-6,8- "$log_dir/train_cpu.csv") \
      <(cut -d, -f1-6,8- "$log_dir/train_cuda.csv") | head -5; status=1
  fi
done

echo "== benchmark: $build/bench/cuda_gemm_bench ${sizes[*]}"
"$build/bench/cuda_gemm_bench" "${sizes[@]}" | tee "$log_dir/cuda_gemm_bench.log" || status=1
echo "== total $((SECONDS - start)) s, status $status"
exit $status
