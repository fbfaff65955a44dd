// softnum Python module: the format table (name -> Format): the library registry's standard
// formats (softnum/registry.hpp), so that a format added there is offered here.
#include <stdexcept>

#include "formats.hpp"

namespace softnum_py {

const std::vector<Format>& all_formats() {
  static const std::vector<Format> formats = [] {
    std::vector<Format> v;
    register_float_formats(v);
    register_posit_formats(v);
    register_fixed_formats(v);
    // Every standard format of the library must be here: a family visitor added to
    // softnum::for_each_standard_format needs its register_*_formats above.
    softnum::for_each_standard_format(
        [&v]<class T>(softnum::format_tag<T>, const char* name, const char*, const char*) {
          if constexpr (softnum::all_values_exact_in<T, double>) {
            if (softnum::find_format(v, name) == nullptr) {
              throw std::logic_error(std::string("softnum module: the registry's format ") + name +
                                     " is not registered (python/src/formats_*.cpp)");
            }
          }
        });
    return v;
  }();
  return formats;
}

const char* family_name(softnum::FormatFamily family) {
  switch (family) {
    case softnum::FormatFamily::native:
      return "native";
    case softnum::FormatFamily::posit:
      return "posit";
    case softnum::FormatFamily::fixed:
      return "fixed";
    default:
      return "float";
  }
}

const Format& find_format(const std::string& name) {
  if (const Format* f = softnum::find_format(all_formats(), name)) return *f;
  throw std::invalid_argument(softnum::unknown_format_message(all_formats(), name));
}

}  // namespace softnum_py
