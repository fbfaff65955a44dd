// softnum Python module: the format table (name -> Format).
#include <stdexcept>

#include "formats.hpp"

namespace softnum_py {

const std::vector<Format>& all_formats() {
  static const std::vector<Format> formats = [] {
    std::vector<Format> v;
    register_float_formats(v);
    register_posit_formats(v);
    register_fixed_formats(v);
    return v;
  }();
  return formats;
}

std::string format_names() {
  std::string names;
  for (const Format& f : all_formats()) names += (names.empty() ? "" : ", ") + f.name;
  return names;
}

const Format& find_format(const std::string& name) {
  for (const Format& f : all_formats()) {
    if (f.name == name) return f;
  }
  throw std::invalid_argument("unknown format '" + name + "'; valid formats: " + format_names());
}

}  // namespace softnum_py
