// examples/firmware/main.cpp - classifies the test images embedded in model.hpp with the MLP
// trained by softnum_train, in several number formats, and prints the accuracy and the exact
// bits of a few outputs. The same file builds for the host (output on stdout) and for a
// Cortex-M under QEMU (output and exit status through semihosting, startup.cpp); the
// `firmware` test checks that both print the same lines (docs/firmware.md).
// SPDX-License-Identifier: MIT
#include <cstdint>

#include "mlp.hpp"

// Output: one line at a time. Host: stdout. Firmware: semihosting (startup.cpp).
#if defined(SOFTNUM_FIRMWARE_TARGET)
extern "C" void firmware_write(const char* text);
#else
#  include <cstdio>
extern "C" void firmware_write(const char* text) { std::fputs(text, stdout); }
#endif

namespace {

/// A line buffer with the few formatting helpers needed (no printf: no heap, small code).
struct Line {
  char buf[256];
  int n = 0;
  Line& str(const char* s) {
    while (*s != '\0' && n < 254) buf[n++] = *s++;
    return *this;
  }
  Line& dec(long v) {
    char t[24];
    int k = 0;
    const bool neg = v < 0;
    unsigned long u = neg ? 0ul - static_cast<unsigned long>(v) : static_cast<unsigned long>(v);
    do {
      t[k++] = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (neg) t[k++] = '-';
    while (k > 0 && n < 254) buf[n++] = t[--k];
    return *this;
  }
  Line& hex(std::uint64_t v, int digits) {
    str("0x");
    for (int i = digits - 1; i >= 0 && n < 254; --i)
      buf[n++] = "0123456789abcdef"[(v >> (4 * i)) & 15];
    return *this;
  }
  template <class T>
  Line& num(T x) {  // shortest decimal that reads back to x (softnum::to_chars)
    const softnum::ToCharsResult r = softnum::to_chars(buf + n, buf + 254, x);
    if (r.ok) n = static_cast<int>(r.ptr - buf);
    return *this;
  }
  void end() {
    buf[n++] = '\n';
    buf[n] = '\0';
    firmware_write(buf);
    n = 0;
  }
};

/// Runs every embedded image in format T; prints accuracy, the bits of image 0's outputs and
/// the decimal value of its largest output. Returns the number of correct classifications.
template <class T>
int run_format(const char* name) {
  namespace model = softnum_model;
  int correct = 0;
  T first[model::kOutputs];
  for (int k = 0; k < model::kImages; ++k) {
    T out[model::kOutputs];
    firmware::infer<T>(model::kImage[k], out);
    int arg = 0;
    for (int i = 1; i < model::kOutputs; ++i) {
      if (out[i] > out[arg]) arg = i;
    }
    correct += arg == model::kLabel[k];
    if (k == 0) {
      for (int i = 0; i < model::kOutputs; ++i) first[i] = out[i];
    }
  }
  Line line;
  line.str(name).str(": ").dec(correct).str("/").dec(model::kImages).str(" correct").end();
  line.str(name).str(": image 0 outputs");
  constexpr int digits = static_cast<int>(sizeof(typename T::storage_type) * 2);
  for (int i = 0; i < model::kOutputs; ++i)
    line.str(" ").hex(static_cast<std::uint64_t>(first[i].bits()), digits);
  line.end();
  int arg = 0;
  for (int i = 1; i < model::kOutputs; ++i) {
    if (first[i] > first[arg]) arg = i;
  }
  line.str(name)
      .str(": image 0 class ")
      .dec(arg)
      .str(" (label ")
      .dec(model::kLabel[0])
      .str("), output ")
      .num(first[arg])
      .end();
  return correct;
}

#if !defined(FIRMWARE_FORMAT)
#  define FIRMWARE_FORMAT -1  // all formats; 0..5 builds one (size measurements)
#endif

}  // namespace

int main() {
  namespace model = softnum_model;
  Line line;
  line.str("softnum firmware MLP ")
      .dec(model::kLayer0In)
      .str("-")
      .dec(model::kLayer0Out)
      .str("-")
      .dec(model::kOutputs)
      .str(", ")
      .dec(model::kImages)
      .str(" test images")
      .end();
  // Flush-to-zero check (docs/firmware.md): a binary32 product whose exact value is subnormal.
  // With the FPU's FZ bit set (FPSCR), hardware float would return 0 and softnum's binary32 and
  // the float-computed paths of smaller formats would no longer match the host.
  volatile float tiny = 0x1p-100f;
  const softnum::binary32 sub =
      softnum::binary32(static_cast<float>(tiny)) * softnum::binary32(0x1p-30f);
  line.str("binary32 0x1p-100 * 0x1p-30 = ")
      .num(sub)
      .str(sub.bits() != 0 ? " (subnormals kept)" : " (FLUSHED TO ZERO)")
      .end();
  int worst = model::kImages;
  const auto note = [&](int c) { worst = c < worst ? c : worst; };
  if (FIRMWARE_FORMAT < 0 || FIRMWARE_FORMAT == 0) note(run_format<softnum::binary32>("binary32"));
  if (FIRMWARE_FORMAT < 0 || FIRMWARE_FORMAT == 1) note(run_format<softnum::binary16>("binary16"));
  if (FIRMWARE_FORMAT < 0 || FIRMWARE_FORMAT == 2)
    note(run_format<softnum::float8_e4m3fn>("float8_e4m3fn"));
  if (FIRMWARE_FORMAT < 0 || FIRMWARE_FORMAT == 3) note(run_format<softnum::posit16>("posit16"));
  if (FIRMWARE_FORMAT < 0 || FIRMWARE_FORMAT == 4) note(run_format<softnum::posit8>("posit8"));
  if (FIRMWARE_FORMAT < 0 || FIRMWARE_FORMAT == 5)
    note(run_format<softnum::Fixed<8, 8>>("fixed8_8"));
  // Exit status 1 when a format classifies fewer than half the images: the model is broken.
  const bool ok = sub.bits() != 0 && 2 * worst >= model::kImages;
  line.str(ok ? "done" : "FAILED").end();
  return ok ? 0 : 1;
}
