// softnum_train: format specs ("posit8+master=posit16+accumulator=quire"), presets, rounding specs.
#include "train.hpp"

#include <stdexcept>

namespace train {

namespace {

struct Preset {
  const char* name;
  const char* spec;
  const char* what;
};

// Named configurations from the literature (notes/TRAINING.md).
constexpr Preset kPresets[] = {
    {"fp8_recipe", "float8_e4m3fn+gradients=float8_e5m2+accumulator=float32+master=float32+loss=float32",
     "E4M3 weights/activations, E5M2 gradients, fp32 accumulation, master and loss (Micikevicius 2022)"},
    {"fp8_wang", "float8_e5m2+accumulator=e6m9+master=e6m9+loss=e6m9+rounding=master:stochastic",
     "E5M2 everywhere, (1,6,9) accumulation/update with stochastic rounding (Wang 2018; use --chunk 64)"},
    {"fp16_naive", "binary16", "binary16 everywhere, no master copy (Langroudi 2019's failing FP16)"},
    {"fp16_mixed", "binary16+accumulator=float32+master=float32+loss=float32",
     "binary16 tensors, fp32 accumulation and master weights (Micikevicius 2018)"},
    {"positnn_mixed", "posit8+master=posit16+loss=posit16+accumulator=quire",
     "PositNN's Posit8 + O16-L16q: posit8 F/B/G, posit16 optimizer and loss, quire"},
    {"positnn_o12l12", "posit8+master=posit12+loss=posit12+accumulator=quire", "PositNN's Posit8 + O12-L12q"},
    // Scaled recipes (scaling.hpp): fp32 tensors, accumulation, master weights and loss; every GEMM
    // operand fake-quantized with its scale.
    {"fp8_current", "float32+scaling=fp8_current",
     "TransformerEngine's Float8CurrentScaling: per-tensor fp32 scale from the tensor's amax, E4M3 "
     "weights/activations, E5M2 gradients"},
    {"fp8_delayed", "float32+scaling=fp8_delayed:16",
     "TransformerEngine's DelayedScaling (margin 0, max of a 16-step amax history), E4M3/E5M2 as above"},
    {"mxfp8", "float32+scaling=mxfp8:ceil",
     "MXFP8 E4M3, blocks of 32 along K, E8M0 scale rounded up (TE, Mishra 2025), SR on gradients"},
    {"mxfp6", "float32+scaling=mxfp6:ceil", "MXFP6 E3M2, blocks of 32 along K, E8M0 scale rounded up, SR on gradients"},
    {"mxfp4", "float32+scaling=mxfp4:ceil", "MXFP4 E2M1, blocks of 32 along K, E8M0 scale rounded up, SR on gradients"},
    {"nvfp4", "float32+scaling=nvfp4",
     "NVFP4: E2M1, E4M3 scale per 16 along K, fp32 scale per tensor (TE's reference), SR on gradients"},
};

int role_index(const std::string& name) {
  for (std::size_t r = 0; r < kRoles; ++r) {
    if (name == kRoleNames[r]) return static_cast<int>(r);
  }
  return -1;
}

std::string role_list() {
  std::string s;
  for (const char* r : kRoleNames) s += (s.empty() ? "" : ", ") + std::string(r);
  return s;
}

Round parse_mode(const std::string& m) {
  if (m == "nearest") return Round::nearest_even;
  if (m == "stochastic") return Round::stochastic;
  throw std::invalid_argument("unknown rounding mode '" + m + "'; valid modes: nearest, stochastic");
}

}  // namespace

std::string presets_help() {
  std::string s;
  for (const Preset& p : kPresets) s += "  " + std::string(p.name) + ": " + p.what + "\n      = " + p.spec + "\n";
  return s;
}

void parse_rounding(const std::string& text, char sep, std::array<int, kRoles>& modes) {
  std::size_t pos = 0;
  if (text.empty()) throw std::invalid_argument("empty rounding spec; use nearest, stochastic or ROLE=MODE,...");
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, end - pos);
    const std::size_t eq = item.find(sep);
    if (eq == std::string::npos) {
      modes.fill(static_cast<int>(parse_mode(item)));
    } else {
      const std::string role = item.substr(0, eq);
      const int r = role_index(role);
      if (r < 0) throw std::invalid_argument("unknown role '" + role + "' in rounding spec; valid roles: " + role_list());
      modes[static_cast<std::size_t>(r)] = static_cast<int>(parse_mode(item.substr(eq + 1)));
    }
    pos = end + 1;
  }
}

FormatSpec parse_spec(const std::string& text) {
  std::string spec = text;
  for (const Preset& p : kPresets) {  // a preset may be the base of a spec
    const std::string name = p.name;
    if (spec == name || spec.rfind(name + "+", 0) == 0) spec = p.spec + spec.substr(name.size());
  }
  FormatSpec out;
  std::size_t pos = 0;
  bool first = true;
  while (pos <= spec.size()) {
    const std::size_t end = std::min(spec.find('+', pos), spec.size());
    const std::string item = spec.substr(pos, end - pos);
    if (first) {
      out.base = item;
      find_format(item);  // validates
      first = false;
    } else {
      const std::size_t eq = item.find('=');
      if (eq == std::string::npos) {
        throw std::invalid_argument("bad item '" + item + "' in format spec '" + text +
                                    "'; expected ROLE=FORMAT, rounding=ROLE:MODE,... or scaling=RECIPE");
      }
      const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
      if (key == "rounding") {
        parse_rounding(value, ':', out.override_mode);
      } else if (key == "scaling") {
        parse_scaling(value);  // validates
        out.scaling = value;
      } else {
        const int r = role_index(key);
        if (r < 0) {
          throw std::invalid_argument("unknown role '" + key + "' in format spec '" + text + "'; valid roles: " +
                                      role_list() + ", rounding, scaling");
        }
        find_format(value);
        out.override_format[static_cast<std::size_t>(r)] = value;
      }
    }
    pos = end + 1;
  }
  return out;
}

Roles resolve(const FormatSpec& spec, const FormatSpec& cli) {
  Roles roles;
  const Format& base = find_format(spec.base);
  for (std::size_t r = 0; r < kRoles; ++r) {
    const std::string& name = !cli.override_format[r].empty()    ? cli.override_format[r]
                              : !spec.override_format[r].empty() ? spec.override_format[r]
                                                                 : spec.base;
    roles.format[r] = name == spec.base ? &base : &find_format(name);
    const int m = cli.override_mode[r] >= 0 ? cli.override_mode[r] : spec.override_mode[r];
    roles.mode[r] = m >= 0 ? static_cast<Round>(m) : Round::nearest_even;
  }
  for (std::size_t r = 0; r < kRoles; ++r) {
    if (roles.format[r]->quire && r != kAccumulator) {
      throw std::invalid_argument(std::string("quire can only be the accumulator, not the ") + kRoleNames[r] +
                                  " format");
    }
  }
  if (roles.format[kAccumulator]->quire) {
    for (const Role r : {kActivations, kGradients}) {
      if (roles.format[r]->kernels<double>().gemm_quire == nullptr) {
        throw std::invalid_argument("accumulator quire: the " + std::string(kRoleNames[r]) + " format " +
                                    roles.format[r]->name +
                                    " cannot receive a quire result (the e<E>m<M> family has no quire GEMM; "
                                    "use a named format, e.g. float8_e5m2, binary16, a posit or a fixed format)");
      }
    }
    roles.mode[kAccumulator] = Round::nearest_even;  // exact: nothing to round until the output
  }
  const std::string& scaling = !cli.scaling.empty() ? cli.scaling : spec.scaling;
  if (!scaling.empty()) roles.scaling = parse_scaling(scaling);
  if (roles.scaling.active()) {
    for (std::size_t r = 0; r < kRoles; ++r) {
      if (!roles.format[r]->quire && roles.format[r]->needs_double()) {
        throw std::invalid_argument("scaling " + roles.scaling.describe() + " quantizes float tensors; the " +
                                    kRoleNames[r] + " format " + roles.format[r]->name +
                                    " needs double containers (use a format whose values are floats)");
      }
    }
  }
  return roles;
}

std::string Roles::describe() const {
  std::string s;
  for (std::size_t r = 0; r < kRoles; ++r) {
    s += (s.empty() ? "" : " ") + std::string(kRoleNames[r]) + "=" + format[r]->name;
    if (mode[r] == Round::stochastic) s += "(SR)";
  }
  if (scaling.active()) s += " scaling=" + scaling.describe();
  return s;
}

}  // namespace train
