#!/bin/sh
# scripts/peers/run_gfloat_compare.sh - softnum against gfloat (docs/peers.md).
# Usage: scripts/peers/run_gfloat_compare.sh GFLOAT_CHECKOUT [PYTHON]
#   GFLOAT_CHECKOUT: a checkout of github.com/graphcore-research/gfloat (its src/ is imported).
# Exits 77 (skipped) when the checkout, a C++20 compiler or Python with NumPy is missing.
# Not part of the build or of ctest.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
gfloat=${1:-}
python=${2:-python3}
if [ -z "$gfloat" ] || [ ! -f "$gfloat/src/gfloat/__init__.py" ]; then
  echo "run_gfloat_compare: no gfloat checkout given (${gfloat:-none}); skipped" >&2
  exit 77
fi
cxx=${CXX:-g++}
if ! command -v "$cxx" >/dev/null 2>&1 || ! "$python" -c "import numpy" >/dev/null 2>&1; then
  echo "run_gfloat_compare: needs $cxx and $python with NumPy; skipped" >&2
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cxx" -O2 -std=c++20 -I "$root/include" "$root/scripts/peers/softnum_dump.cpp" -o "$work/softnum_dump"
"$work/softnum_dump" > "$work/dump.txt"
"$python" "$root/scripts/peers/gfloat_compare.py" "$gfloat/src" "$work/dump.txt"
