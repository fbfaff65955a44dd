// softnum_train: the scaled recipes' arithmetic (see scaling.hpp).
#include "scaling.hpp"

#include <softnum/quantize.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <stdexcept>

namespace train {

namespace {

using E4M3Sat = softnum::with_overflow_t<softnum::float8_e4m3fn, softnum::Overflow::saturate>;
using E5M2Sat = softnum::with_overflow_t<softnum::float8_e5m2, softnum::Overflow::saturate>;

struct Name {
  const char* name;
  ScalingKind kind;
  const char* what;
};

constexpr Name kNames[] = {
    {"none", ScalingKind::none, "no scaling: each role's format rounds element by element"},
    {"fp8_current", ScalingKind::fp8_current,
     "per-tensor fp32 scale fp8_max/amax of the tensor now; E4M3 weights/activations, E5M2 "
     "gradients; :pow2 rounds the scale down to a power of two"},
    {"fp8_delayed", ScalingKind::fp8_delayed,
     "per-tensor fp32 scale fp8_max/max(amax history), updated after use; :N history length (16)"},
    {"mxfp8", ScalingKind::mxfp8,
     "MXFP8: E4M3 elements, E8M0 scale per 32 along K; :floor|:ceil scale rule (ceil)"},
    {"mxfp6", ScalingKind::mxfp6,
     "MXFP6: E3M2 elements, E8M0 scale per 32 along K; :floor|:ceil (ceil)"},
    {"mxfp4", ScalingKind::mxfp4,
     "MXFP4: E2M1 elements, E8M0 scale per 32 along K; :floor|:ceil (ceil)"},
    {"nvfp4", ScalingKind::nvfp4,
     "NVFP4: E2M1 elements, E4M3 scale per 16 along K, fp32 scale per tensor"},
};

std::string valid_names() {
  std::string s;
  for (const Name& n : kNames) s += (s.empty() ? "" : ", ") + std::string(n.name);
  return s;
}

bool is_mx(ScalingKind k) {
  return k == ScalingKind::mxfp8 || k == ScalingKind::mxfp6 || k == ScalingKind::mxfp4;
}

}  // namespace

int Scaling::block() const {
  if (is_mx(kind)) return 32;
  if (kind == ScalingKind::nvfp4) return 16;
  return 1;
}

std::string Scaling::describe() const {
  std::string s;
  for (const Name& n : kNames) {
    if (n.kind == kind) s = n.name;
  }
  if (kind == ScalingKind::fp8_delayed) s += ":" + std::to_string(history);
  if (kind == ScalingKind::fp8_current && pow2) s += ":pow2";
  if (is_mx(kind)) s += rule == softnum::ScaleRule::ceil ? ":ceil" : ":floor";
  return s;
}

Scaling parse_scaling(const std::string& text) {
  const std::size_t colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const std::string arg = colon == std::string::npos ? "" : text.substr(colon + 1);
  Scaling s;
  bool found = false;
  for (const Name& n : kNames) {
    if (name == n.name) {
      s.kind = n.kind;
      found = true;
    }
  }
  if (!found)
    throw std::invalid_argument("unknown scaling '" + text + "'; valid: " + valid_names());
  if (colon == std::string::npos) return s;
  if (s.kind == ScalingKind::fp8_current && arg == "pow2") {
    s.pow2 = true;
  } else if (s.kind == ScalingKind::fp8_delayed) {
    char* end = nullptr;
    const long v = std::strtol(arg.c_str(), &end, 10);
    if (arg.empty() || *end != '\0' || v < 1 || v > 1000000) {
      throw std::invalid_argument("scaling '" + text +
                                  "': the amax history length must be an integer in [1, 1000000]");
    }
    s.history = static_cast<int>(v);
  } else if (is_mx(s.kind)) {
    if (arg == "ceil") {
      s.rule = softnum::ScaleRule::ceil;
    } else if (arg == "floor") {
      s.rule = softnum::ScaleRule::floor;
    } else {
      throw std::invalid_argument("scaling '" + text +
                                  "': the MX scale rule must be floor or ceil");
    }
  } else {
    throw std::invalid_argument("scaling '" + text + "': " + name + " takes no ':' parameter");
  }
  return s;
}

std::string scaling_help() {
  std::string s;
  for (const Name& n : kNames) s += "  " + std::string(n.name) + ": " + n.what + "\n";
  return s;
}

float amax_of(const float* x, std::size_t n) {
  float m = 0.0f;
  for (std::size_t i = 0; i < n; ++i) m = std::fmax(m, std::fabs(x[i]));
  return m;
}

float current_scale(float amax, float fp8_max, bool pow2) {
  if (!(amax > 0.0f) || std::isinf(amax)) return 1.0f;  // 0, NaN, inf
  float scale = fp8_max / amax;
  if (std::isinf(scale)) scale = std::numeric_limits<float>::max();
  if (pow2) {  // scale >= 448 / FLT_MAX is normal: clearing the significand keeps 2^floor(log2)
    std::uint32_t bits;
    std::memcpy(&bits, &scale, sizeof bits);
    bits &= 0xFF800000u;
    std::memcpy(&scale, &bits, sizeof bits);
  }
  return scale;
}

void fake_quantize_fp8(const float* x, float* y, std::size_t n, float scale, bool e5m2) {
  const float scale_inv = 1.0f / scale;
  for (std::size_t i = 0; i < n; ++i) y[i] = x[i] * scale;
  const std::span<float> ys(y, n);
  if (e5m2) {
    softnum::quantize<E5M2Sat>(ys, ys);
  } else {
    softnum::quantize<E4M3Sat>(ys, ys);
  }
  for (std::size_t i = 0; i < n; ++i) y[i] *= scale_inv;
}

void AmaxHistory::record(float amax, float fp8_max) {
  window_.push_back(amax);
  if (static_cast<int>(window_.size()) > length_) window_.erase(window_.begin());
  float m = 0.0f;
  for (float a : window_) m = std::fmax(m, a);
  if (std::isfinite(m) && m > 0.0f) scale_ = fp8_max / m;
}

const char* element_format(const Scaling& s, bool gradient) {
  switch (s.kind) {
    case ScalingKind::fp8_current:
    case ScalingKind::fp8_delayed:
      return gradient ? "float8_e5m2" : "float8_e4m3fn";
    case ScalingKind::mxfp8:
      return "float8_e4m3fn";
    case ScalingKind::mxfp6:
      return "float6_e3m2fn";
    case ScalingKind::mxfp4:
    case ScalingKind::nvfp4:
      return "float4_e2m1fn";
    default:
      return "float32";
  }
}

void fake_quantize_blocks(const Scaling& s, const float* x, float* y, std::size_t n,
                          softnum::Round mode, std::uint64_t seed) {
  const std::span<const float> xs(x, n);
  const std::span<float> ys(y, n);
  switch (s.kind) {
    case ScalingKind::mxfp8:
      softnum::quantize<softnum::mxfp8_e4m3>(xs, ys, s.rule, mode, seed);
      return;
    case ScalingKind::mxfp6:
      softnum::quantize<softnum::mxfp6_e3m2>(xs, ys, s.rule, mode, seed);
      return;
    case ScalingKind::mxfp4:
      softnum::quantize<softnum::mxfp4>(xs, ys, s.rule, mode, seed);
      return;
    case ScalingKind::nvfp4:
      softnum::quantize_nvfp4(xs, ys, mode, seed);
      return;
    default:
      throw std::logic_error("fake_quantize_blocks: not a block recipe");
  }
}

}  // namespace train
