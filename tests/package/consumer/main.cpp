// A minimal consumer of the installed / embedded softnum package.
#include <softnum/softnum.hpp>

int main() {
  const bool ok = softnum::binary16(1.5) + softnum::binary16(2.0) == softnum::binary16(3.5);
  return ok ? 0 : 1;
}
