// examples/firmware/startup.cpp - the minimum a Cortex-M program needs under QEMU's mps2 boards:
// a vector table, a reset handler that sets up .data/.bss and calls main, and semihosting for
// output and the exit status. No C library start-up code, no heap.
// SPDX-License-Identifier: MIT
#include <cstdint>

extern "C" {
extern std::uint32_t __data_load__, __data_start__, __data_end__, __bss_start__, __bss_end__,
    __stack_top__;
extern void (*__init_array_start)();
extern void (*__init_array_end)();
int main();

/// ARM semihosting call (bkpt 0xAB on M-profile): r0 = operation, r1 = argument.
static std::uint32_t semihost(std::uint32_t op, const void* arg) {
  register std::uint32_t r0 __asm__("r0") = op;
  register const void* r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void firmware_write(const char* text) { semihost(0x04, text); }  // SYS_WRITE0

[[noreturn]] static void firmware_exit(int status) {
  // SYS_EXIT with ADP_Stopped_ApplicationExit (0x20026): QEMU exits with status 0; any other
  // reason (RunTimeErrorUnknown, 0x20023) makes it exit with status 1.
  semihost(0x18, reinterpret_cast<const void*>(status == 0 ? 0x20026u : 0x20023u));
  for (;;) {
  }
}

[[noreturn]] void Reset_Handler() {
  std::uint32_t* src = &__data_load__;
  for (std::uint32_t* p = &__data_start__; p < &__data_end__;) *p++ = *src++;
  for (std::uint32_t* p = &__bss_start__; p < &__bss_end__;) *p++ = 0;
#if defined(__ARM_FP)
  // Enable the FPU (CP10, CP11 full access in CPACR) before any floating-point instruction.
  volatile std::uint32_t* const cpacr = reinterpret_cast<volatile std::uint32_t*>(0xE000ED88u);
  *cpacr = *cpacr | (0xFu << 20);
  __asm__ volatile("dsb\n isb" ::: "memory");
#endif
  // Paint the free RAM below the current stack with a pattern to measure the stack's high-water
  // mark afterwards (reported on a line of its own that the host comparison leaves out).
  std::uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (std::uint32_t* p = &__bss_end__; p < sp - 16;) *p++ = 0x5AC4F00Du;
  for (void (**f)() = &__init_array_start; f < &__init_array_end; ++f) (*f)();
  const int status = main();
  const std::uint32_t* low = &__bss_end__;
  while (low < sp && *low == 0x5AC4F00Du) ++low;
  char line[48] = "firmware stack: ";
  int n = 16;
  char digits[12];
  int k = 0;
  for (auto used = static_cast<std::uint32_t>(reinterpret_cast<const char*>(&__stack_top__) -
                                              reinterpret_cast<const char*>(low));
       k == 0 || used != 0; used /= 10)
    digits[k++] = static_cast<char>('0' + used % 10);
  while (k > 0) line[n++] = digits[--k];
  for (const char* t = " bytes\n"; *t != '\0'; ++t) line[n++] = *t;
  line[n] = '\0';
  firmware_write(line);
  firmware_exit(status);
}

[[noreturn]] void Fault_Handler() {
  firmware_write("hard fault\n");
  firmware_exit(2);
}

__attribute__((section(".vectors"), used)) void (*const vector_table[16])() = {
    reinterpret_cast<void (*)()>(&__stack_top__),
    Reset_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    Fault_Handler,
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    Fault_Handler,
    Fault_Handler,
    nullptr,
    Fault_Handler,
    Fault_Handler};
}
