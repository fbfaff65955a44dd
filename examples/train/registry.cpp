// softnum_train: the format registry (name -> Format).
#include "format.hpp"

#include <cstdio>
#include <stdexcept>

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
    Format quire;
    quire.name = "quire";
    quire.type = "exact products summed in binary128, rounded once to the output role";
    quire.family = Family::quire;
    quire.bits = 128;
    v.push_back(quire);
    return v;
  }();
  return formats;
}

namespace {

std::string names_list() {
  std::string named, family;
  for (const Format& f : all_formats()) {
    const bool small = f.name.size() >= 4 && f.name[0] == 'e' && f.name[1] >= '0' && f.name[1] <= '9';
    if (small) continue;
    named += (named.empty() ? "" : ", ") + f.name;
  }
  return named + ", and e<E>m<M> (Float<E,M>, IEEE-style) for 2 <= E <= 8, 1 <= M <= 10, E + M <= 15";
}

}  // namespace

const Format& find_format(const std::string& name) {
  for (const Format& f : all_formats()) {
    if (f.name == name) return f;
  }
  throw std::invalid_argument("unknown format '" + name + "'; valid formats: " + names_list() +
                              " (--list-formats shows their range and precision)");
}

std::string list_formats() {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-16s %4s %6s %12s %12s %12s  %s\n", "name", "bits", "digits", "max",
                "min>0", "min normal", "type");
  out += line;
  for (const Format& f : all_formats()) {
    if (f.family == Family::quire) {
      std::snprintf(line, sizeof line, "%-16s %4s %6s %12s %12s %12s  %s\n", f.name.c_str(), "-", "-", "-", "-",
                    "-", ("accumulator only: " + f.type).c_str());
    } else {
      std::snprintf(line, sizeof line, "%-16s %4d %6d %12.5g %12.5g %12.5g  %s\n", f.name.c_str(), f.bits,
                    f.digits, f.max, f.min_positive, f.min_normal, f.type.c_str());
    }
    out += line;
  }
  out += "digits: significant bits (posits: at 1, fewer away from 1; fixed: bits after the sign).\n";
  out += "min normal: smallest normal (floats), minpos (posits), the step 2^-F (fixed).\n";
  return out;
}

}  // namespace train
