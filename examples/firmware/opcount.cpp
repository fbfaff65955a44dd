// examples/firmware/opcount.cpp - instructions per operation on a Cortex-M4 under QEMU, for
// docs/firmware.md. QEMU's -icount shift=0 advances the virtual clock by 1 ns per instruction,
// and SysTick counts the 25 MHz system clock of the mps2 boards, so one tick is 40 instructions;
// each operation runs on 256 different operands and the loop without the operation is
// subtracted. Instruction counts, not cycles (QEMU does not model the pipeline):
//   arm-none-eabi-g++ -std=c++20 -Os -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
//     -fno-exceptions -fno-rtti -Iinclude -DSOFTNUM_FIRMWARE_TARGET examples/firmware/opcount.cpp
//     examples/firmware/startup.cpp -nostartfiles --specs=nosys.specs -T examples/firmware/mps2.ld -o opcount.elf
//   qemu-system-arm -M mps2-an386 -icount shift=0 -nographic -monitor none -serial none
//     -semihosting-config enable=on,target=native -kernel opcount.elf
// SPDX-License-Identifier: MIT
#include <softnum/numbers.hpp>

#include <cstdint>

extern "C" void firmware_write(const char* text);

namespace {

volatile std::uint32_t& reg(std::uint32_t address) { return *reinterpret_cast<volatile std::uint32_t*>(address); }
std::uint32_t now() { return reg(0xE000E018u); }  // SysTick current value (counts down)

constexpr int kN = 256;

void print(const char* name, const char* op, std::uint32_t ticks_x256) {
  char line[96];
  int n = 0;
  for (const char* s = name; *s != '\0';) line[n++] = *s++;
  line[n++] = ' ';
  for (const char* s = op; *s != '\0';) line[n++] = *s++;
  line[n++] = ':';
  line[n++] = ' ';
  // instructions per op = ticks * 40 / 256, printed with one decimal
  const std::uint32_t tenths = (ticks_x256 * 400u + kN / 2) / kN;
  char d[12];
  int k = 0;
  std::uint32_t whole = tenths / 10;
  do {
    d[k++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole != 0);
  while (k > 0) line[n++] = d[--k];
  line[n++] = '.';
  line[n++] = static_cast<char>('0' + tenths % 10);
  for (const char* s = " instructions\n"; *s != '\0';) line[n++] = *s++;
  line[n] = '\0';
  firmware_write(line);
}

template <class T, class F>
std::uint32_t measure(const T* a, const T* b, const T* c, T* r, F op) {
  const std::uint32_t t0 = now();
  for (int i = 0; i < kN; ++i) r[i] = op(a[i], b[i], c[i]);
  const std::uint32_t t1 = now();
  return t0 - t1;
}

template <class T>
void run(const char* name) {
  static T a[kN], b[kN], c[kN], r[kN];
  softnum::Philox gen(7);
  for (int i = 0; i < kN; ++i) {  // values spread over a few binades, both signs
    const auto u = [&] { return static_cast<float>(static_cast<std::int32_t>(gen() >> 8) - (1 << 23)) * 0x1p-21f; };
    a[i] = T(u());
    b[i] = T(u());
    c[i] = T(u());
  }
  const std::uint32_t base = measure(a, b, c, r, [](T x, T, T) { return x; });
  const auto report = [&](const char* op, std::uint32_t t) { print(name, op, t > base ? t - base : 0); };
  report("add", measure(a, b, c, r, [](T x, T y, T) { return x + y; }));
  report("mul", measure(a, b, c, r, [](T x, T y, T) { return x * y; }));
  report("div", measure(a, b, c, r, [](T x, T y, T) { return x / y; }));
  report("fma", measure(a, b, c, r, [](T x, T y, T z) { return fma(x, y, z); }));
  report("sqrt", measure(a, b, c, r, [](T x, T, T) { return sqrt(abs(x)); }));
}

}  // namespace

int main() {
  reg(0xE000E014u) = 0xFFFFFFu;  // reload
  reg(0xE000E018u) = 0;
  reg(0xE000E010u) = 5;  // enable, processor clock
  run<softnum::binary32>("binary32");
  run<softnum::binary16>("binary16");
  run<softnum::bfloat16>("bfloat16");
  run<softnum::float8_e4m3fn>("float8_e4m3fn");
  run<softnum::posit8>("posit8");
  run<softnum::posit16>("posit16");
  run<softnum::posit32>("posit32");
  run<softnum::Fixed<8, 8>>("fixed8_8");
  return 0;
}
