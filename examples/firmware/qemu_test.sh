#!/bin/bash
# examples/firmware/qemu_test.sh CPU HOST_EXE SRC_DIR INCLUDE_DIR WORK_DIR [FORMAT]
# Builds the firmware for CPU (m4: Cortex-M4F on QEMU's mps2-an386; m0plus: Cortex-M0+ code on
# mps2-an385, whose Cortex-M3 runs the ARMv6-M subset), fails if the image contains heap,
# exception, RTTI, stream, TLS or libm fma/sqrt symbols, runs it under QEMU with semihosting and
# compares its output with the host build's (HOST_EXE). Exit 77 (skipped) without the tools.
# FORMAT (0..5) builds one format only, for the size table of docs/firmware.md; no run then.
# FIRMWARE_COMPILER=clang compiles with clang++ (--target thumbv7em/thumbv6m, newlib's headers)
# and links with arm-none-eabi-g++: the same output is expected from both compilers.
set -euo pipefail
cpu=$1 host=$2 src=$3 inc=$4 work=$5 format=${6:-}
for tool in arm-none-eabi-g++ arm-none-eabi-nm arm-none-eabi-size qemu-system-arm; do
  if ! command -v "$tool" > /dev/null; then
    echo "firmware test skipped: $tool not found (bash scripts/install-deps.sh --firmware installs the ARM toolchain and QEMU)"
    exit 77
  fi
done
compiler=${FIRMWARE_COMPILER:-gcc}
if [ "$compiler" = clang ] && ! command -v clang++ > /dev/null; then
  echo "firmware test skipped: clang++ not found"
  exit 77
fi
case $cpu in
  m4) flags=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16); machine=mps2-an386
      clang_target=thumbv7em-none-eabihf ;;
  m0plus) flags=(-mcpu=cortex-m0plus -mthumb -mfloat-abi=soft); machine=mps2-an385
      clang_target=thumbv6m-none-eabi ;;
  *) echo "qemu_test.sh: unknown CPU '$cpu' (m4, m0plus)"; exit 2 ;;
esac
mkdir -p "$work"
defs=(-DSOFTNUM_FIRMWARE_TARGET)
[ -n "$format" ] && defs+=(-DFIRMWARE_FORMAT="$format")
suffix=""; [ "$compiler" = clang ] && suffix=_clang
elf=$work/firmware_$cpu$suffix${format:+_f$format}.elf
common=(-std=c++20 -Os "${flags[@]}" -ffunction-sections -fdata-sections -fno-exceptions -fno-rtti -Wall -Wextra
        -Werror -I"$inc" "${defs[@]}")
link=(-nostartfiles --specs=nosys.specs -T "$src/mps2.ld" -Wl,--gc-sections -o "$elf")
if [ "$compiler" = clang ]; then
  # clang has no ARM C++ library of its own: GCC's arm-none-eabi libstdc++ and newlib headers;
  # -fshort-enums as arm-none-eabi-gcc's ABI (the linker checks it against newlib's objects).
  v=$(arm-none-eabi-g++ -dumpversion)
  sys=(-isystem "/usr/include/newlib/c++/$v" -isystem "/usr/include/newlib/c++/$v/arm-none-eabi"
       -isystem /usr/include/newlib)
  for f in main startup; do
    clang++ --target="$clang_target" "${common[@]}" -fshort-enums "${sys[@]}" -c "$src/$f.cpp" -o "$work/$f.clang.o"
  done
  arm-none-eabi-g++ "${flags[@]}" "$work/main.clang.o" "$work/startup.clang.o" -Wl,-z,noexecstack "${link[@]}"
else
  arm-none-eabi-g++ "${common[@]}" -fconstexpr-ops-limit=4294967296 "$src/main.cpp" "$src/startup.cpp" "${link[@]}"
fi
# Nothing from the heap, exceptions, RTTI, streams, TLS, or libm's (possibly unfused) fma/sqrt.
bad=$(arm-none-eabi-nm "$elf" | grep -E ' [A-Za-z] (malloc|free|calloc|realloc|_malloc_r|_free_r|_Znwj|_Znaj|_ZdlPv.*|__cxa_[a-z_]*|__gxx_personality_v0|_Unwind_[A-Za-z_]*|__aeabi_read_tp|__emutls_[a-z_]*|_ZTI.*|_ZNSt8ios_base.*|fma|fmaf|sqrt|sqrtf)$' || true)
if [ -n "$bad" ]; then
  echo "FAIL: $elf links symbols a softnum firmware image must not have:"
  echo "$bad"
  exit 1
fi
arm-none-eabi-size "$elf"
[ -n "$format" ] && exit 0
rm -f "$work/qemu.txt"
qemu_rc=0
timeout 600 qemu-system-arm -M "$machine" -nographic -monitor none -serial none \
  -chardev file,id=semi,path="$work/qemu.txt" -semihosting-config enable=on,target=native,chardev=semi \
  -kernel "$elf" || qemu_rc=$?
host_rc=0
"$host" > "$work/host.txt" || host_rc=$?
grep -v '^firmware stack: ' "$work/qemu.txt" > "$work/qemu_output.txt" || true
if ! diff -u "$work/host.txt" "$work/qemu_output.txt"; then
  echo "FAIL: QEMU ($machine, $cpu) and host outputs differ (above: - host, + QEMU)"
  exit 1
fi
echo "QEMU $machine ($cpu, $compiler) output identical to the host's:"
cat "$work/qemu.txt"  # includes the stack high-water mark, which only the firmware prints
if [ "$qemu_rc" -ne 0 ] || [ "$host_rc" -ne 0 ]; then
  echo "FAIL: exit status QEMU $qemu_rc (semihosting SYS_EXIT), host $host_rc"
  exit 1
fi
