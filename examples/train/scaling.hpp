// softnum_train: scaled low-precision recipes applied to the operands of every GEMM (fake
// quantization: each operand is quantized with its scale and dequantized back to float before the
// GEMM, which then runs in the run's accumulator format). docs/training.md, "Scaled recipes".
//
// Per-tensor fp8 (TransformerEngine's Float8CurrentScaling and DelayedScaling, margin 0, HYBRID
// format: E4M3 for weights and activations, E5M2 for gradients). The scale is an fp32 value, as TE
// computes it: scale = fl32(fp8_max / amax), scale_inv = fl32(1 / scale), and an element becomes
//   y = fl32(Q(fl32(x * scale)) * scale_inv),  Q = round to nearest even into the fp8 format,
//                                              saturating at +-fp8_max (TE casts with satfinite).
// An fp32 scale maps amax exactly onto fp8_max (a power of two would leave up to half a binade of
// the fp8 range unused); the price is that x * scale and q * scale_inv are rounded in fp32, as on
// TE's GPUs. Current scaling: the amax of the tensor being quantized (amax 0, inf or NaN: scale 1;
// a scale that overflows fp32: FLT_MAX, TE's compute_scale_from_amax with epsilon 0). Delayed
// scaling: the scale in use starts at 1; after a training step has quantized a tensor, its amax is
// appended to the tensor's history (the last `history` amaxes) and the next scale is
// fp8_max / max(history) when that is finite and positive, else the previous scale (TE's
// amax_and_scale_update with amax_compute_algo "max").
//
// Block-scaled (OCP MX v1.0; NVFP4 as TE's reference quantizer): softnum::quantize<Block> and
// softnum::quantize_nvfp4 with blocks along the GEMM's reduction dimension K (each operand row of
// A, each column of B, zero-padded to a whole number of blocks). Gradient operands use stochastic
// rounding (random words from the run's seed and the call number), the others nearest even.
#pragma once

#include <softnum/block.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace train {

enum class ScalingKind { none, fp8_current, fp8_delayed, mxfp8, mxfp6, mxfp4, nvfp4 };

/// A scaled recipe: which one, and its parameter.
struct Scaling {
  ScalingKind kind = ScalingKind::none;
  int history = 16;                                    // fp8_delayed: amax history length
  softnum::ScaleRule rule = softnum::ScaleRule::ceil;  // mx*: how the E8M0 block scale is chosen
  bool pow2 = false;  // fp8_current: the scale rounded down to a power of two (TE's power_2_scale)
  bool active() const { return kind != ScalingKind::none; }
  bool per_tensor() const {
    return kind == ScalingKind::fp8_current || kind == ScalingKind::fp8_delayed;
  }
  /// Block size along K (1 for per-tensor scaling).
  int block() const;
  std::string describe() const;
  bool operator==(const Scaling&) const = default;
};

/// "none", "fp8_current[:pow2]", "fp8_delayed[:N]" (history length N >= 1, default 16),
/// "mxfp8|mxfp6|mxfp4[:floor|:ceil]" (default ceil), "nvfp4". Throws std::invalid_argument.
Scaling parse_scaling(const std::string& text);
/// One line per recipe, for --help and --list-formats.
std::string scaling_help();

/// Largest finite values of the per-tensor fp8 formats.
inline constexpr float kE4M3Max = 448.0f, kE5M2Max = 57344.0f;

/// max |x_i| over finite and infinite x_i; NaN is skipped (fmaxf, as TE's amax kernels).
float amax_of(const float* x, std::size_t n);
/// Current scaling's scale from the tensor's amax (see the top of this file); pow2: rounded down
/// to a power of two by clearing the fp32 significand, as TE's compute_scale_from_amax does with
/// force_pow_2_scales (dequantization is then exact, at the cost of up to a binade of range).
float current_scale(float amax, float fp8_max, bool pow2 = false);
/// y = fl32(Q(fl32(x * scale)) * fl32(1 / scale)) with Q into E4M3 (e5m2 false) or E5M2, nearest
/// even, saturating. x and y may be the same array.
void fake_quantize_fp8(const float* x, float* y, std::size_t n, float scale, bool e5m2);

/// Delayed scaling's state of one tensor.
class AmaxHistory {
 public:
  explicit AmaxHistory(int length = 16) : length_(length) {}
  /// The scale to quantize with now.
  float scale() const { return scale_; }
  /// After the tensor was quantized with scale(): records its amax and computes the next scale.
  void record(float amax, float fp8_max);
  /// The amaxes recorded, oldest first (at most `length`).
  const std::vector<float>& window() const { return window_; }

 private:
  int length_;
  float scale_ = 1.0f;
  std::vector<float> window_;
};

/// The registry name of the element format of a weights/activations operand (gradient false)
/// or of a gradients operand.
const char* element_format(const Scaling& s, bool gradient);

/// y = the block recipe's fake quantization of x (size a multiple of the block), elements in
/// `kind`'s element format (mxfp8: E4M3, mxfp6: E3M2, mxfp4 and nvfp4: E2M1).
void fake_quantize_blocks(const Scaling& s, const float* x, float* y, std::size_t n,
                          softnum::Round mode, std::uint64_t seed);

}  // namespace train
