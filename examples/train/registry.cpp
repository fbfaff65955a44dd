// softnum_train: the format table (name -> Format): the library registry's standard formats
// (softnum/registry.hpp), this program's e<E>m<M> family and the quire.
#include <cstdio>
#include <stdexcept>

#include "format.hpp"

namespace train {

const std::vector<Format>& all_formats() {
  static const std::vector<Format> formats = [] {
    std::vector<Format> v;
    register_float_formats(v);
    register_posit_formats(v);
    register_fixed_formats(v);
    register_e2_formats(v);
    register_e3_formats(v);
    register_e4_formats(v);
    register_e5_formats(v);
    register_e6_formats(v);
    register_e7_formats(v);
    register_e8_formats(v);
    // Every standard format of the library must be here: a family visitor added to
    // softnum::for_each_standard_format needs its register_*_formats above.
    softnum::for_each_standard_format(
        [&v]<class T>(softnum::format_tag<T>, const char* name, const char*, const char*) {
          if constexpr (softnum::all_values_exact_in<T, double>) {
            for (const Format& f : v) {
              if (f.name == name) return;
            }
            throw std::logic_error(std::string("softnum_train: the registry's format ") + name +
                                   " is not registered (examples/train/formats_*.cpp)");
          }
        });
    Format quire;
    quire.name = "quire";
    quire.type = "exact products summed in binary128, rounded once to the output role";
    quire.quire = true;
    quire.bits = 128;
    v.push_back(quire);
    return v;
  }();
  return formats;
}

std::string untrainable_reason(const Format& f) {
  if (f.quire || f.round == nullptr) return "";
  char buf[160];
  const double zero = f.round(0.0, Round::nearest_even, 0),
               minus_one = f.round(-1.0, Round::nearest_even, 0);
  if (zero != 0.0) {
    std::snprintf(buf, sizeof buf, "it has no zero (0 rounds to %g)", zero);
    return buf;
  }
  if (!(minus_one < 0.0)) {
    std::snprintf(buf, sizeof buf, "it has no negative values (-1 rounds to %g)", minus_one);
    return buf;
  }
  return "";
}

const Format& find_format(const std::string& name) {
  if (const Format* f = softnum::find_format(all_formats(), name)) {
    const std::string why = untrainable_reason(*f);
    if (!why.empty()) {
      throw std::invalid_argument(
          "format '" + name + "' cannot be a training format: " + why +
          "; every role (weights, activations, gradients, accumulator, master, loss) "
          "needs zero and negative values");
    }
    return *f;
  }
  // The named formats one by one, the e<E>m<M> family as a rule.
  std::vector<Format> named;
  for (const Format& f : all_formats()) {
    const bool small =
        f.name.size() >= 4 && f.name[0] == 'e' && f.name[1] >= '0' && f.name[1] <= '9';
    if (!small) named.push_back(f);
  }
  throw std::invalid_argument(
      softnum::unknown_format_message(named, name) +
      ", and e<E>m<M> (Float<E,M>, IEEE-style) for 2 <= E <= 8, 1 <= M <= 10, E + M <= 15"
      " (--list-formats shows their range and precision)");
}

std::string list_formats() {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-16s %4s %6s %12s %12s %12s  %s\n", "name", "bits", "digits",
                "max", "min>0", "min normal", "type");
  out += line;
  for (const Format& f : all_formats()) {
    if (f.quire) {
      std::snprintf(line, sizeof line, "%-16s %4s %6s %12s %12s %12s  %s\n", f.name.c_str(), "-",
                    "-", "-", "-", "-", ("accumulator only: " + f.type).c_str());
    } else {
      const std::string why = untrainable_reason(f);
      std::snprintf(line, sizeof line, "%-16s %4d %6d %12.5g %12.5g %12.5g  %s%s\n", f.name.c_str(),
                    f.bits, f.digits, f.max, f.min_positive, f.min_normal,
                    (f.note.empty() ? f.type : f.type + " (" + f.note + ")").c_str(),
                    why.empty() ? "" : (" [not trainable: " + why + "]").c_str());
    }
    out += line;
  }
  out +=
      "digits: significant bits (posits: at 1, fewer away from 1; fixed: bits after the sign).\n";
  out += "min normal: smallest normal (floats), minpos (posits), the step 2^-F (fixed).\n";
  return out;
}

}  // namespace train
