#!/usr/bin/env bash
# Installs the Debian packages softnum's build, tests, benchmarks and examples need.
# Idempotent: does nothing (and needs no network) when everything is installed.
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail

required=(
  cmake ninja-build g++ clang pkg-config        # toolchain
  catch2 libboost-dev libmpfr-dev libgmp-dev    # tests (Catch2 v2, Boost.Multiprecision, MPFR)
  libbenchmark-dev libeigen3-dev libqd-dev      # benchmarks, Eigen integration
  zlib1g-dev dataset-fashion-mnist              # training examples (Fashion-MNIST .gz files)
  gnuplot-nox                                   # figures
  pybind11-dev python3-dev python3-numpy        # Python module (python/, SOFTNUM_PYTHON)
  python3-pytest                                # its tests
)
# Optional, tried once with the rest: ccache (faster rebuilds); python3-torch (PyTorch, CPU: the
# softnum.torch tests, examples/python/lenet5.py; large, and the torch tests skip without it).
optional=(ccache python3-torch)
# The optional firmware group (`install-deps.sh --firmware`, installed by .ci/run): Debian's
# bare-metal ARM toolchain and QEMU for examples/firmware and the `firmware` tests (about
# 410 MB, 70 s; the tests skip without it). Only this group is installed with --firmware.
firmware=(gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib libnewlib-arm-none-eabi qemu-system-arm)
if [[ ${1:-} == --firmware ]]; then
  required=("${firmware[@]}")
  optional=()
elif [[ $# -gt 0 ]]; then
  echo "usage: install-deps.sh [--firmware]" >&2
  exit 2
fi

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for pkg in "${required[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "all dependencies present"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "error: missing Debian packages: ${missing[*]}" >&2
  echo "Not root and no sudo: install them as root with" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

extra=()
for pkg in "${optional[@]}"; do
  installed "$pkg" || extra+=("$pkg")
done

echo "installing: ${missing[*]}${extra:+ (optional: ${extra[*]})}"
apt_install() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "$@"
}
if ! "${as_root[@]}" apt-get update; then
  echo "error: apt-get update failed; still missing: ${missing[*]}" >&2
  exit 1
fi
# Optional packages ride along; if they are the reason the install fails, retry without them.
if ! apt_install "${missing[@]}" "${extra[@]}"; then
  if [[ ${#extra[@]} -eq 0 ]] || ! apt_install "${missing[@]}"; then
    failed=()
    for pkg in "${missing[@]}"; do
      installed "$pkg" || failed+=("$pkg")
    done
    echo "error: apt-get install failed; still missing: ${failed[*]:-${missing[*]}}" >&2
    exit 1
  fi
  echo "note: optional packages not installed: ${extra[*]}"
fi

still=()
for pkg in "${missing[@]}"; do
  installed "$pkg" || still+=("$pkg")
done
if [[ ${#still[@]} -ne 0 ]]; then
  echo "error: still missing after apt-get install: ${still[*]}" >&2
  exit 1
fi
echo "all dependencies present"
