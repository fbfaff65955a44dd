#!/usr/bin/env bash
# scripts/gpu-check.sh - everything softnum checks on an NVIDIA GPU, in one call: the GPU tests
# (bit-identity of every GEMM model and the elementwise kernels with the CPU), softnum_train
# --backend cuda against --backend cpu (identical CSVs), and the GEMM benchmark beside cuBLAS.
#
#   scripts/gpu-check.sh [build dir (default build/gpu)] [benchmark sizes ... (default 1024 4096 8192)]
#
# Environment:
#   PREBUILT  a directory with programs built elsewhere for this GPU (tests/cuda_*,
#             bench/cuda_gemm_bench, train/softnum_train; `scripts/gpu-check.sh --stage DIR` on a
#             build machine fills it from build/gpu): no build here. A program that does not start
#             (missing shared library) is rebuilt here with nvcc (tests and benchmark only).
#   DATA      Fashion-MNIST directory for softnum_train (default: its own default).
#   CUDA_ARCH (default: the device's own, e.g. 90 on an H200), JOBS (default: nproc),
#   OUT       a directory for the logs and the summary (default: <build dir>/logs).
#   STEP_TIMEOUT  seconds allowed to each program (default 240).
# Warnings are not errors here (CI checks those). Exit status 0 only when every step passed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ${1:-} == --stage ]]; then
  # Copy the programs of a finished CUDA build (build/gpu or $3) into DIR for PREBUILT.
  dest=${2:?usage: gpu-check.sh --stage DIR [build dir]}
  from=${3:-build/gpu}
  mkdir -p "$dest/tests" "$dest/bench" "$dest/train"
  cp "$from"/tests/cuda_* "$dest/tests/"
  cp "$from"/bench/cuda_* "$dest/bench/"
  [[ -x $from/examples/train/softnum_train ]] && cp "$from/examples/train/softnum_train" "$dest/train/"
  strip "$dest"/tests/* "$dest"/bench/* "$dest"/train/* 2>/dev/null || true
  du -sh "$dest"
  exit 0
fi

build=${1:-build/gpu}
shift || true
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(1024 4096 8192)
nvcc=${CUDACXX:-/usr/local/cuda/bin/nvcc}
jobs=${JOBS:-$(nproc)}
log_dir=${OUT:-$build/logs}
step_timeout=${STEP_TIMEOUT:-240}
mkdir -p "$log_dir"
summary=$log_dir/summary.txt
: > "$summary"
say() { echo "$*" | tee -a "$summary"; }

nvidia-smi -L || { echo "error: no NVIDIA device (nvidia-smi -L failed)" >&2; exit 1; }
nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total,clocks.max.sm --format=csv | tee -a "$summary"
arch=${CUDA_ARCH:-$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '.')}
say "== device arch sm_$arch, $jobs jobs, build dir $build, nvcc $("$nvcc" --version | tail -1)"
export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/usr/local/cuda/lib64
start=$SECONDS

tests_dir=$build/tests
bench_dir=$build/bench
train=$build/examples/train/softnum_train

build_direct() {  # the CUDA programs with nvcc alone (they need only the headers and cuBLAS)
  mkdir -p "$build/tests" "$build/bench"
  local flags=(-std=c++20 -O3 -DNDEBUG -fmad=false -Xcompiler=-ffp-contract=off -Iinclude -Itests)
  local a src stem dir pids=()
  for a in ${arch//;/ }; do flags+=(--generate-code="arch=compute_$a,code=sm_$a"); done
  for src in tests/cuda/*.cu bench/cuda/*.cu; do
    stem=$(basename "$src" .cu)
    dir=$build/tests
    [[ $src == bench/* ]] && dir=$build/bench
    "$nvcc" "${flags[@]}" "$src" -o "$dir/cuda_$stem" -lcublasLt -lcublas > "$log_dir/build_$stem.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { cat "$log_dir"/build_*.log | tail -40; return 1; }; done
  tests_dir=$build/tests
  bench_dir=$build/bench
}

if [[ -n ${PREBUILT:-} ]]; then
  tests_dir=$PREBUILT/tests
  bench_dir=$PREBUILT/bench
  train=$PREBUILT/train/softnum_train
  chmod +x "$PREBUILT"/*/* 2>/dev/null || true
  missing=$(ldd "$tests_dir"/cuda_gemm "$bench_dir"/cuda_gemm_bench "$train" 2>&1 | grep -c 'not found' || true)
  if [[ $missing -ne 0 ]]; then
    ldd "$tests_dir"/cuda_gemm "$bench_dir"/cuda_gemm_bench "$train" 2>&1 | grep 'not found' | sort -u
    say "   prebuilt programs miss shared libraries: building the CUDA programs here with nvcc"
    build_direct || { say "FAIL: build"; exit 1; }
  else
    say "== prebuilt programs from $PREBUILT"
  fi
elif CUDACXX=$nvcc CUDAHOSTCXX=${CUDAHOSTCXX:-g++} cmake -S . -B "$build" -G Ninja \
       -DCMAKE_BUILD_TYPE=Release -DSOFTNUM_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES="$arch" \
       -DSOFTNUM_WERROR=OFF -DSOFTNUM_BUILD_BENCHMARKS=ON -DSOFTNUM_BUILD_EXAMPLES=ON > "$log_dir/configure.log" 2>&1; then
  cmake --build "$build" -j"$jobs" --target softnum_cuda_tests softnum_cuda_benches softnum_train \
    > "$log_dir/build.log" 2>&1 || { tail -50 "$log_dir/build.log"; say "FAIL: build"; exit 1; }
else
  # No Catch2 / Google Benchmark / Eigen / Boost / MPFR / zlib here: the CUDA programs only.
  say "   CMake configure failed (missing dependencies? see $log_dir/configure.log): nvcc only"
  build_direct || { say "FAIL: build"; exit 1; }
fi
say "== build: $((SECONDS - start)) s"

status=0
# --- GPU tests (what `ctest -L gpu` runs) ------------------------------------------------------
for t in "$tests_dir"/cuda_*; do
  [[ -x $t ]] || continue
  name=$(basename "$t")
  t0=$SECONDS
  timeout "$step_timeout" "$t" > "$log_dir/$name.log" 2>&1
  rc=$?
  grep -v '^ok ' "$log_dir/$name.log" | tail -25
  say "   test $name: exit $rc, $(grep -c '^ok ' "$log_dir/$name.log") ok lines," \
      "$(grep -c '^FAIL' "$log_dir/$name.log") FAIL lines, $((SECONDS - t0)) s"
  [[ $rc -eq 0 ]] || status=1
done

# --- softnum_train: --backend cuda must write the CPU backend's CSV (timing column 7 aside) -------
data_args=()
[[ -n ${DATA:-} ]] && data_args=(--data "$DATA")
no_data=0
compare_backends() {  # compare_backends TAG SPEC ROUNDING [more softnum_train options...]
  local tag=$1 spec=$2 rounding=$3
  shift 3
  local args=(--train-limit 2000 --test-limit 1000 --progress never --skip-missing-data
              "${data_args[@]}" --format "$spec" "$@")
  [[ $rounding == stochastic ]] && args+=(--rounding stochastic)
  tag=${tag}_$rounding
  timeout "$step_timeout" "$train" "${args[@]}" --backend cpu --csv "$log_dir/train_${tag}_cpu.csv" \
    > "$log_dir/train_${tag}_cpu.log" 2>&1
  local rc_cpu=$?
  [[ $rc_cpu -eq 77 ]] && { say "   skipped: no Fashion-MNIST data (set DATA)"; no_data=1; return; }
  timeout "$step_timeout" "$train" "${args[@]}" --backend cuda --csv "$log_dir/train_${tag}_cuda.csv" \
    > "$log_dir/train_${tag}_cuda.log" 2>&1
  local rc_cuda=$?
  if [[ $rc_cpu -ne 0 || $rc_cuda -ne 0 ]]; then
    say "   FAIL $tag: exit cpu $rc_cpu, cuda $rc_cuda: $(tail -2 "$log_dir/train_${tag}_cuda.log" | tr '\n' ' ')"
    status=1
    return
  fi
  local acc sec_cpu sec_cuda
  acc=$(grep -h 'final test accuracy' "$log_dir/train_${tag}_cuda.log")
  sec_cpu=$(cut -d, -f7 "$log_dir/train_${tag}_cpu.csv" | tail -1)
  sec_cuda=$(cut -d, -f7 "$log_dir/train_${tag}_cuda.csv" | tail -1)
  if cmp -s <(cut -d, -f1-6,8- "$log_dir/train_${tag}_cpu.csv") <(cut -d, -f1-6,8- "$log_dir/train_${tag}_cuda.csv"); then
    say "   ok   $tag: identical CSV ($(wc -l < "$log_dir/train_${tag}_cpu.csv") lines); $acc; s/epoch cpu $sec_cpu, cuda $sec_cuda"
  else
    say "   FAIL $tag: CSVs differ"
    diff <(cut -d, -f1-6,8- "$log_dir/train_${tag}_cpu.csv") \
      <(cut -d, -f1-6,8- "$log_dir/train_${tag}_cuda.csv") | head -6 | tee -a "$summary"
    status=1
  fi
}
if [[ ! -x $train ]]; then
  say "== softnum_train: skipped, it was not built"
else
  say "== softnum_train --backend cuda vs --backend cpu (MLP 784-64-10, 2000 images, 1 epoch)"
  for spec in float32 binary16 fp8_recipe posit16 fixed8_8; do
    for rounding in nearest stochastic; do
      [[ $no_data -eq 0 ]] && compare_backends "$spec" "$spec" "$rounding" --epochs 1 --hidden 64
    done
  done
  say "== softnum_train --backend cuda vs --backend cpu (LeNet-5, 2000 images, 2 epochs)"
  for spec in float32:nearest binary16:stochastic posit16:nearest fp8_recipe:nearest; do
    [[ $no_data -eq 0 ]] && compare_backends "lenet5_${spec%%:*}" "${spec%%:*}" "${spec#*:}" --epochs 2 --model lenet5
  done
fi

# --- benchmark ---------------------------------------------------------------------------------
say "== benchmark: cuda_gemm_bench ${sizes[*]}"
timeout "$((step_timeout * 2))" "$bench_dir/cuda_gemm_bench" "${sizes[@]}" | tee "$log_dir/cuda_gemm_bench.log"
[[ ${PIPESTATUS[0]} -eq 0 ]] || { say "FAIL: benchmark"; status=1; }
cat "$log_dir/cuda_gemm_bench.log" >> "$summary"
say "== total $((SECONDS - start)) s, status $status"
exit $status
