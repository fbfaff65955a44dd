// The compiled standard-format table (softnum::standard_formats(), ops/registry.hpp): the
// fixed family's entries, every hook instantiated once here for all the programs of the build that
// link softnum::standard_formats (one translation unit per family, built in parallel).
#include <softnum/registry.hpp>

template void softnum::append_standard_formats<softnum::StandardFamily::fixed>(std::vector<softnum::FormatEntry>&);
