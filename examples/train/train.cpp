// softnum_train: the network, the training loop and the evaluation.
//
// Every tensor lives in a container of S (float, or double when a format needs it) and always
// holds exact values of its role's format. Which operation rounds to which role: docs/training.md.
#include "train.hpp"

#include "energy.hpp"

#include <softnum/random.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <numbers>
#include <numeric>

namespace train {

namespace {

using softnum::MatrixView;
using softnum::row_major;

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t x = a ^ (b + 0x9E3779B97F4A7C15ull + (a << 6) + (a >> 2));
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return x;
}

/// A GEMM operand: its role and, for the scaled recipes, which tensor it is (the key of its
/// per-tensor scale: layer id * 3 + 0 input, 1 weights, 2 output gradient; -1 none).
struct Operand {
  Role role;
  int tensor = -1;
  bool exact_last_line = false;  // the last row of A or column of B (the ones of the bias) stays exact
};

/// Per-tensor scaling state (scaling.hpp): the delayed-scaling history and the scale this tensor
/// was quantized with in the current training step, which its later uses in the step reuse (the
/// backward GEMMs use the tensor quantized in the forward pass, as TransformerEngine does).
struct TensorScale {
  AmaxHistory history;
  float scale = 1.0f;
  std::uint64_t step = 0;  // 0: not yet quantized
};

/// Shared state of one run: formats, backend, the counters that make every rounding's random
/// words a pure function of (seed, call number, element), and the energy tally.
template <class S>
struct Ctx {
  Backend& be;
  Roles roles;
  std::uint64_t seed;
  std::uint64_t calls = 0;  // increments on every rounding call: the Philox stream
  std::ptrdiff_t chunk = 0;
  double energy_pj = 0;
  bool training = false;    // a training step (not the test pass): scales are recorded
  std::uint64_t step = 0;   // training steps so far
  std::vector<TensorScale> scales;
  std::vector<S> qa, qb;    // quantized operands

  const Format& fmt(Role r) const { return *roles.format[r]; }
  Round mode(Role r) const { return roles.mode[r]; }
  std::uint64_t next() { return ++calls; }

  /// C = A * B, the accumulator model, rounded to role `dest`. bias_k: the last index along K is
  /// the bias term (weights' bias column times the activations' ones), which a scaled recipe
  /// leaves in full precision as TransformerEngine adds the bias after the GEMM.
  void matmul(MatrixView<const S> A, MatrixView<const S> B, MatrixView<S> C, Operand a, Operand b, Role dest,
              bool bias_k = false) {
    const Format& acc = fmt(kAccumulator);
    double mul = mul_pj(fmt(a.role), fmt(b.role));
    if (roles.scaling.active()) {
      A = quantize_operand(A, a, true, bias_k, qa);
      B = quantize_operand(B, b, false, bias_k, qb);
      mul = mul_pj(find_format(element_format(roles.scaling, a.role == kGradients)),
                   find_format(element_format(roles.scaling, b.role == kGradients)));
    }
    be.matmul(acc, mode(kAccumulator), fmt(dest), mode(dest), A, B, C, mix(seed, next()), chunk);
    const double macs = static_cast<double>(A.rows) * static_cast<double>(A.cols) * static_cast<double>(B.cols);
    const double outs = static_cast<double>(C.rows) * static_cast<double>(C.cols);
    energy_pj += macs * (mul + add_pj(acc)) + outs * add_pj(fmt(dest));
  }

  /// The scaled recipe's fake quantization of a GEMM operand (A: M x K, a_side; B: K x N), into
  /// buf with K contiguous per line (row of A, column of B), zero-padded to whole blocks. The
  /// bias term (bias_k) and an exact last line are zero while the scale is taken and restored after.
  MatrixView<const S> quantize_operand(MatrixView<const S> V, const Operand& op, bool a_side, bool bias_k,
                                       std::vector<S>& buf) {
    if constexpr (!std::is_same_v<S, float>) {
      (void)V, (void)op, (void)a_side, (void)bias_k, (void)buf;
      throw std::logic_error("scaled recipes need float containers (checked by resolve)");
    } else {
      const Scaling& sc = roles.scaling;
      const std::ptrdiff_t lines = a_side ? V.rows : V.cols, K = a_side ? V.cols : V.rows;
      const std::ptrdiff_t bs = sc.block(), L = (K + bs - 1) / bs * bs;
      buf.assign(static_cast<std::size_t>(lines * L), 0.0f);
      for (std::ptrdiff_t i = 0; i < lines; ++i) {
        float* line = buf.data() + i * L;
        for (std::ptrdiff_t k = 0; k < K; ++k) line[k] = a_side ? V(i, k) : V(k, i);
        if (bias_k) line[K - 1] = 0.0f;
      }
      if (op.exact_last_line) std::fill_n(buf.data() + (lines - 1) * L, K, 0.0f);
      const std::size_t n = buf.size();
      const bool gradient = op.role == kGradients;
      if (sc.per_tensor()) {
        const float fp8_max = gradient ? kE5M2Max : kE4M3Max;
        fake_quantize_fp8(buf.data(), buf.data(), n, tensor_scale(op.tensor, buf.data(), n, fp8_max), gradient);
      } else {
        fake_quantize_blocks(sc, buf.data(), buf.data(), n, gradient ? Round::stochastic : Round::nearest_even,
                             mix(seed, next()));
      }
      for (std::ptrdiff_t i = 0; i < lines; ++i) {
        if (bias_k) buf[static_cast<std::size_t>(i * L + K - 1)] = a_side ? V(i, K - 1) : V(K - 1, i);
      }
      if (op.exact_last_line) {
        for (std::ptrdiff_t k = 0; k < K; ++k)
          buf[static_cast<std::size_t>((lines - 1) * L + k)] = a_side ? V(lines - 1, k) : V(k, lines - 1);
      }
      return a_side ? MatrixView<const S>{buf.data(), V.rows, V.cols, L, 1}
                    : MatrixView<const S>{buf.data(), V.rows, V.cols, 1, L};
    }
  }

  /// The per-tensor scale of tensor `key` whose values are x[0..n) (see TensorScale).
  float tensor_scale(int key, const float* x, std::size_t n, float fp8_max) {
    if (key < 0) throw std::logic_error("per-tensor scaling of an operand without a tensor key");
    if (scales.size() <= static_cast<std::size_t>(key))
      scales.resize(static_cast<std::size_t>(key) + 1, TensorScale{AmaxHistory(roles.scaling.history), 1.0f, 0});
    TensorScale& t = scales[static_cast<std::size_t>(key)];
    if (training && t.step == step) return t.scale;
    float s;
    if (roles.scaling.kind == ScalingKind::fp8_current) {
      s = current_scale(amax_of(x, n), fp8_max, roles.scaling.pow2);
    } else {
      s = t.history.scale();
      if (training) t.history.record(amax_of(x, n), fp8_max);
    }
    if (training) {
      t.scale = s;
      t.step = step;
    }
    return s;
  }
  void round(Role r, const S* x, S* y, std::size_t n) { round(fmt(r), mode(r), x, y, n); }
  void round(const Format& f, Round m, const S* x, S* y, std::size_t n) {
    be.round(f, x, y, n, m, seed, next());
    energy_pj += static_cast<double>(n) * add_pj(f);
  }
  void axpby(Role r, double a, const S* x, double b, const S* z, S* y, std::size_t n) {
    be.axpby(fmt(r), a, x, b, z, y, n, mode(r), seed, next());
    energy_pj += static_cast<double>(n) * ((z != nullptr ? 2 : 1) * mul_pj(fmt(r)) + add_pj(fmt(r)));
  }
};

/// A parameter tensor (rows x cols, the last column is the bias) in its three roles.
template <class S>
struct Param {
  int rows = 0, cols = 0;
  std::vector<S> master, momentum, weights, grad;
  std::size_t size() const { return static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols); }
};

template <class S>
class Layer {
 public:
  virtual ~Layer() = default;
  virtual void forward(Ctx<S>& c, const std::vector<S>& x, std::vector<S>& y, int batch) = 0;
  /// dy -> dx (dx only when need_dx); weight gradients into param()->grad.
  virtual void backward(Ctx<S>& c, const std::vector<S>& dy, std::vector<S>& dx, int batch, bool need_dx) = 0;
  virtual Param<S>* param() { return nullptr; }
  virtual std::string name() const = 0;
  int id = 0;  // position in the network: the per-tensor scaling keys 3 id + (0 input, 1 weights, 2 dy)
  Operand input() const { return {kActivations, 3 * id, false}; }
  Operand input_with_ones() const { return {kActivations, 3 * id, true}; }
  Operand weights() const { return {kWeights, 3 * id + 1, false}; }
  Operand dy() const { return {kGradients, 3 * id + 2, false}; }
};

/// y = x W^T + b: x (batch x in), W (out x (in + 1)), the bias is the last column and the input
/// gets a column of ones, so the bias is the last term of each dot product.
template <class S>
class Dense final : public Layer<S> {
 public:
  Dense(int in, int out) : in_(in), out_(out) {
    p_.rows = out;
    p_.cols = in + 1;
  }
  void forward(Ctx<S>& c, const std::vector<S>& x, std::vector<S>& y, int batch) override {
    const std::ptrdiff_t k = in_ + 1;
    xa_.resize(static_cast<std::size_t>(batch * k));
    for (int b = 0; b < batch; ++b) {
      std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(b) * in_, in_, xa_.begin() + b * k);
      xa_[static_cast<std::size_t>(b * k + in_)] = S(1);
    }
    y.resize(static_cast<std::size_t>(batch) * static_cast<std::size_t>(out_));
    const MatrixView<const S> W = row_major(p_.weights.data(), out_, k);
    c.matmul(row_major(static_cast<const S*>(xa_.data()), batch, k), W.transpose(), row_major(y.data(), batch, out_),
             this->input(), this->weights(), kActivations, true);
  }
  void backward(Ctx<S>& c, const std::vector<S>& dy, std::vector<S>& dx, int batch, bool need_dx) override {
    const std::ptrdiff_t k = in_ + 1;
    const MatrixView<const S> D = row_major(dy.data(), batch, out_);
    c.matmul(D.transpose(), row_major(static_cast<const S*>(xa_.data()), batch, k), row_major(p_.grad.data(), out_, k),
             this->dy(), this->input_with_ones(), kGradients);
    if (need_dx) {
      dx.resize(static_cast<std::size_t>(batch) * static_cast<std::size_t>(in_));
      const MatrixView<const S> Wv{p_.weights.data(), out_, in_, k, 1};  // W without the bias column
      c.matmul(D, Wv, row_major(dx.data(), batch, in_), this->dy(), this->weights(), kGradients);
    }
  }
  Param<S>* param() override { return &p_; }
  std::string name() const override { return "fc " + std::to_string(in_) + "->" + std::to_string(out_); }

 private:
  int in_, out_;
  Param<S> p_;
  std::vector<S> xa_;
};

/// Stride-1 convolution on NHWC tensors through im2col: y = cols W^T, W (cout x (k*k*cin + 1)).
template <class S>
class Conv final : public Layer<S> {
 public:
  Conv(int h, int w, int cin, int cout, int k, int pad)
      : h_(h), w_(w), cin_(cin), cout_(cout), k_(k), pad_(pad), ho_(h + 2 * pad - k + 1), wo_(w + 2 * pad - k + 1) {
    p_.rows = cout;
    p_.cols = k * k * cin + 1;
  }
  int out_h() const { return ho_; }
  int out_w() const { return wo_; }

  void forward(Ctx<S>& c, const std::vector<S>& x, std::vector<S>& y, int batch) override {
    const std::ptrdiff_t K = p_.cols, M = static_cast<std::ptrdiff_t>(batch) * ho_ * wo_;
    // Zeroed only when the shape changes: the loops below write every entry except the padding
    // positions, which are the same for every call of one shape and stay zero.
    if (cols_.size() != static_cast<std::size_t>(M * K)) cols_.assign(static_cast<std::size_t>(M * K), S(0));
    for (int b = 0; b < batch; ++b) {
      for (int oy = 0; oy < ho_; ++oy) {
        for (int ox = 0; ox < wo_; ++ox) {
          S* row = cols_.data() + ((static_cast<std::ptrdiff_t>(b) * ho_ + oy) * wo_ + ox) * K;
          for (int ky = 0; ky < k_; ++ky) {
            const int iy = oy + ky - pad_;
            if (iy < 0 || iy >= h_) continue;
            for (int kx = 0; kx < k_; ++kx) {
              const int ix = ox + kx - pad_;
              if (ix < 0 || ix >= w_) continue;
              const S* src = x.data() + ((static_cast<std::ptrdiff_t>(b) * h_ + iy) * w_ + ix) * cin_;
              std::copy_n(src, cin_, row + (ky * k_ + kx) * cin_);
            }
          }
          row[K - 1] = S(1);
        }
      }
    }
    y.resize(static_cast<std::size_t>(M * cout_));
    // Computed as y^T = W cols^T: the GEMM kernels vectorise across the columns of their output,
    // here the M = batch*ho*wo positions rather than the few output channels.
    c.matmul(row_major(static_cast<const S*>(p_.weights.data()), cout_, K),
             row_major(static_cast<const S*>(cols_.data()), M, K).transpose(),
             MatrixView<S>{y.data(), cout_, M, 1, cout_}, this->weights(), this->input(), kActivations, true);
  }

  void backward(Ctx<S>& c, const std::vector<S>& dy, std::vector<S>& dx, int batch, bool need_dx) override {
    const std::ptrdiff_t K = p_.cols, M = static_cast<std::ptrdiff_t>(batch) * ho_ * wo_;
    const MatrixView<const S> D = row_major(dy.data(), M, cout_);
    c.matmul(D.transpose(), row_major(static_cast<const S*>(cols_.data()), M, K), row_major(p_.grad.data(), cout_, K),
             this->dy(), this->input_with_ones(), kGradients);
    if (!need_dx) return;
    // dx[b,iy,ix,c] = sum over (ky,kx,co) of dy[b, iy-ky+pad, ix-kx+pad, co] * W[co, ky, kx, c]:
    // a GEMM of the "full" im2col of dy with W rearranged as (cin x k*k*cout).
    const std::ptrdiff_t K2 = static_cast<std::ptrdiff_t>(k_) * k_ * cout_, M2 = static_cast<std::ptrdiff_t>(batch) * h_ * w_;
    if (dcols_.size() != static_cast<std::size_t>(M2 * K2))  // as cols_ in forward
      dcols_.assign(static_cast<std::size_t>(M2 * K2), S(0));
    for (int b = 0; b < batch; ++b) {
      for (int iy = 0; iy < h_; ++iy) {
        for (int ix = 0; ix < w_; ++ix) {
          S* row = dcols_.data() + ((static_cast<std::ptrdiff_t>(b) * h_ + iy) * w_ + ix) * K2;
          for (int ky = 0; ky < k_; ++ky) {
            const int oy = iy - ky + pad_;
            if (oy < 0 || oy >= ho_) continue;
            for (int kx = 0; kx < k_; ++kx) {
              const int ox = ix - kx + pad_;
              if (ox < 0 || ox >= wo_) continue;
              const S* src = dy.data() + ((static_cast<std::ptrdiff_t>(b) * ho_ + oy) * wo_ + ox) * cout_;
              std::copy_n(src, cout_, row + (ky * k_ + kx) * cout_);
            }
          }
        }
      }
    }
    wr_.resize(static_cast<std::size_t>(cin_ * K2));
    for (int ci = 0; ci < cin_; ++ci) {
      for (int kk = 0; kk < k_ * k_; ++kk) {
        for (int co = 0; co < cout_; ++co) {
          wr_[static_cast<std::size_t>(ci * K2 + kk * cout_ + co)] =
              p_.weights[static_cast<std::size_t>(co * K + kk * cin_ + ci)];
        }
      }
    }
    dx.resize(static_cast<std::size_t>(M2 * cin_));
    // dx^T = wr dcols^T, vectorised across the M2 positions (as in forward).
    c.matmul(row_major(static_cast<const S*>(wr_.data()), cin_, K2),
             row_major(static_cast<const S*>(dcols_.data()), M2, K2).transpose(),
             MatrixView<S>{dx.data(), cin_, M2, 1, cin_}, this->weights(), this->dy(), kGradients);
  }
  Param<S>* param() override { return &p_; }
  std::string name() const override {
    return "conv " + std::to_string(cin_) + "->" + std::to_string(cout_) + " " + std::to_string(k_) + "x" +
           std::to_string(k_) + (pad_ ? " pad " + std::to_string(pad_) : "");
  }

 private:
  int h_, w_, cin_, cout_, k_, pad_, ho_, wo_;
  Param<S> p_;
  std::vector<S> cols_, dcols_, wr_;
};

/// 2x2 max pooling, stride 2, NHWC (exact: selects a value).
template <class S>
class MaxPool final : public Layer<S> {
 public:
  MaxPool(int h, int w, int ch) : h_(h), w_(w), c_(ch) {}
  void forward(Ctx<S>&, const std::vector<S>& x, std::vector<S>& y, int batch) override {
    const int ho = h_ / 2, wo = w_ / 2;
    const std::size_t n = static_cast<std::size_t>(batch) * static_cast<std::size_t>(ho * wo * c_);
    y.resize(n);
    arg_.resize(n);
    std::size_t o = 0;
    for (int b = 0; b < batch; ++b) {
      for (int oy = 0; oy < ho; ++oy) {
        for (int ox = 0; ox < wo; ++ox) {
          for (int ch = 0; ch < c_; ++ch, ++o) {
            std::size_t best = 0;
            bool first = true;
            for (int dy = 0; dy < 2; ++dy) {
              for (int dx = 0; dx < 2; ++dx) {
                const auto i = static_cast<std::size_t>(((b * h_ + 2 * oy + dy) * w_ + 2 * ox + dx) * c_ + ch);
                if (first || x[i] > x[best] || std::isnan(x[i])) best = i;
                first = false;
              }
            }
            y[o] = x[best];
            arg_[o] = best;
          }
        }
      }
    }
  }
  void backward(Ctx<S>&, const std::vector<S>& dy, std::vector<S>& dx, int batch, bool) override {
    dx.assign(static_cast<std::size_t>(batch) * static_cast<std::size_t>(h_ * w_ * c_), S(0));
    for (std::size_t o = 0; o < arg_.size(); ++o) dx[arg_[o]] = dy[o];
  }
  std::string name() const override { return "maxpool 2x2"; }

 private:
  int h_, w_, c_;
  std::vector<std::size_t> arg_;
};

/// max(x, 0), exact; NaN passes through so that divergence is seen.
template <class S>
class Relu final : public Layer<S> {
 public:
  void forward(Ctx<S>&, const std::vector<S>& x, std::vector<S>& y, int) override {
    y.resize(x.size());
    mask_.resize(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      mask_[i] = x[i] > S(0);
      y[i] = mask_[i] || std::isnan(x[i]) ? x[i] : S(0);
    }
  }
  void backward(Ctx<S>&, const std::vector<S>& dy, std::vector<S>& dx, int, bool) override {
    dx.resize(dy.size());
    for (std::size_t i = 0; i < dy.size(); ++i) dx[i] = mask_[i] ? dy[i] : S(0);
  }
  std::string name() const override { return "relu"; }

 private:
  std::vector<char> mask_;
};

constexpr double kMean = 0.2860, kStd = 0.3300;  // Fashion-MNIST normalisation (PositNN)
constexpr int kClasses = 10;

std::uint64_t fnv1a(std::uint64_t h, const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001B3ull;
  }
  return h;
}

double uniform01(softnum::Philox& g) {
  const std::uint64_t hi = g(), lo = g();
  return (static_cast<double>((hi << 21) ^ lo) + 0.5) * 0x1p-53;
}

template <class S>
class Trainer {
 public:
  Trainer(const Config& cfg, const Dataset& tr, const Dataset& te, Backend& be)
      : cfg_(cfg), train_(tr), test_(te), ctx_{be, resolve_epoch(1), mix(cfg.seed, 0x5EED), 0, cfg.chunk, 0, false, 0, {}, {}, {}} {
    build();
    init_weights();
  }

  RunResult run(const std::function<void(const EpochResult&)>& on_epoch) {
    RunResult result;
    result.label = cfg_.label;
    const bool lenet = cfg_.model == "lenet5";
    const int decay_from = cfg_.lr_decay_from >= 0 ? cfg_.lr_decay_from : (lenet ? 5 : 4);
    const int decay_every = cfg_.lr_decay_every > 0 ? cfg_.lr_decay_every : (lenet ? 4 : 1);
    double lr = cfg_.lr >= 0 ? cfg_.lr : (lenet ? 0.0625 : 0.02);
    const double momentum = cfg_.momentum >= 0 ? cfg_.momentum : (lenet ? 0.5 : 0.9);
    scale_ = cfg_.dynamic_scale ? 65536.0 : cfg_.loss_scale;
    for (int epoch = 1; epoch <= cfg_.epochs; ++epoch) {
      switch_formats(epoch);
      if (epoch >= decay_from && (epoch - decay_from) % decay_every == 0) lr *= cfg_.lr_decay;
      const auto t0 = std::chrono::steady_clock::now();
      const double e0 = ctx_.energy_pj;
      EpochResult r;
      r.epoch = epoch;
      r.lr = lr;
      train_epoch(epoch, lr, momentum, r);
      r.energy_mj = (ctx_.energy_pj - e0) * 1e-9;
      r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      r.test_acc = evaluate();
      r.loss_scale = scale_;
      r.skipped = skipped_;
      r.formats = ctx_.roles.describe();
      std::uint64_t h = 0xCBF29CE484222325ull;
      for (auto& l : layers_) {
        if (Param<S>* p = l->param()) h = fnv1a(h, p->master.data(), p->master.size() * sizeof(S));
      }
      r.fnv = h;
      result.epochs.push_back(r);
      on_epoch(r);
    }
    result.final_test = result.epochs.empty() ? 0 : result.epochs.back().test_acc;
    if (!cfg_.export_weights.empty()) export_header(result.final_test);
    return result;
  }

  /// --export-weights: the master weights as constexpr arrays of softnum values (binary32 or
  /// binary64, the type that holds them exactly) and the first test images, for
  /// examples/firmware. The file is a pure function of the options (no date, no timing).
  void export_header(double accuracy) const {
    const bool f32 = sizeof(S) == 4;
    const char* type = f32 ? "softnum::binary32" : "softnum::binary64";
    std::string h;
    char buf[512];
    h += "// Generated by softnum_train --export-weights; do not edit (docs/firmware.md regenerates it).\n";
    std::string desc = describe(cfg_, train_, test_);
    for (std::size_t pos = 0; (pos = desc.find('\n', pos)) != std::string::npos && pos + 1 < desc.size(); pos += 4)
      desc.replace(pos, 1, "\n// ");
    h += "// " + desc;
    std::snprintf(buf, sizeof buf, "// final test accuracy (host, %zu test images): %.2f%%\n", test_.size(), accuracy);
    h += buf;
    h += "#pragma once\n\n#include <softnum/float.hpp>\n\n#include <cstdint>\n\nnamespace softnum_model {\n\n";
    h += std::string("using master_type = ") + type + ";\n";
    h += "/// Master weights from their bits: the exact values training ended with.\n";
    h += std::string("constexpr master_type w(std::uint") + (f32 ? "32" : "64") +
         "_t bits) { return master_type::from_bits(bits); }\n\n";
    std::vector<const Param<S>*> params;
    for (const auto& l : layers_) {
      if (Layer<S>* p = l.get(); p != nullptr && const_cast<Layer<S>*>(p)->param() != nullptr)
        params.push_back(const_cast<Layer<S>*>(p)->param());
    }
    std::snprintf(buf, sizeof buf,
                  "inline constexpr int kInputs = %d, kRows = %d, kCols = %d, kOutputs = %d, kLayers = %zu;\n",
                  pixels(), train_.rows, train_.cols, kClasses, params.size());
    h += buf;
    h += "/// Input pixel v (0..255) becomes fl32((v / 255 - kMean) / kStd), as in training.\n";
    std::snprintf(buf, sizeof buf, "inline constexpr double kMean = %.17g, kStd = %.17g;\n", kMean, kStd);
    h += buf;
    std::snprintf(buf, sizeof buf, "inline constexpr double kHostTestAccuracy = %.2f;  // percent\n\n", accuracy);
    h += buf;
    for (std::size_t li = 0; li < params.size(); ++li) {
      const Param<S>& p = *params[li];
      std::snprintf(buf, sizeof buf,
                    "// Layer %zu: y = relu?(W x + b), W %d x %d, row-major; the last column is the bias.\n"
                    "inline constexpr int kLayer%zuOut = %d, kLayer%zuIn = %d;\n"
                    "inline constexpr master_type kLayer%zu[%zu] = {\n",
                    li, p.rows, p.cols - 1, li, p.rows, li, p.cols - 1, li, p.size());
      h += buf;
      for (std::size_t i = 0; i < p.size(); ++i) {
        if constexpr (sizeof(S) == 4) {
          std::uint32_t b;
          std::memcpy(&b, &p.master[i], 4);
          std::snprintf(buf, sizeof buf, "w(0x%08x),", b);
        } else {
          std::uint64_t b;
          std::memcpy(&b, &p.master[i], 8);
          std::snprintf(buf, sizeof buf, "w(0x%016llx),", static_cast<unsigned long long>(b));
        }
        h += buf;
        h += (i % 8 == 7 || i + 1 == p.size()) ? "\n" : " ";
      }
      h += "};\n\n";
    }
    const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(cfg_.export_images), test_.size()));
    std::snprintf(buf, sizeof buf, "/// The first %d test images (pixels 0..255, row-major) and their labels.\n"
                  "inline constexpr int kImages = %d;\ninline constexpr std::uint8_t kImage[kImages][kInputs] = {\n", n, n);
    h += buf;
    const int px = pixels();
    for (int k = 0; k < n; ++k) {
      h += "{";
      for (int i = 0; i < px; ++i) {
        h += std::to_string(test_.images[static_cast<std::size_t>(k * px + i)]);
        h += i + 1 < px ? "," : "},\n";
      }
    }
    h += "};\ninline constexpr std::uint8_t kLabel[kImages] = {";
    for (int k = 0; k < n; ++k) h += std::to_string(test_.labels[static_cast<std::size_t>(k)]) + (k + 1 < n ? "," : "};\n");
    h += "\n}  // namespace softnum_model\n";
    std::FILE* f = std::fopen(cfg_.export_weights.c_str(), "wb");
    if (f == nullptr) throw std::runtime_error("cannot write --export-weights file " + cfg_.export_weights);
    const bool ok = std::fwrite(h.data(), 1, h.size(), f) == h.size();
    if (std::fclose(f) != 0 || !ok) throw std::runtime_error("error writing --export-weights file " + cfg_.export_weights);
    std::printf("weights exported to %s\n", cfg_.export_weights.c_str());
  }

 private:
  Roles resolve_epoch(int epoch) const {
    std::string base = cfg_.cli.base;
    for (const auto& [from, spec] : cfg_.schedule) {
      if (epoch >= from) base = spec;
    }
    return resolve(parse_spec(base), cfg_.cli);
  }

  int pixels() const { return train_.rows * train_.cols; }

  void build() {
    if (cfg_.model == "lenet5") {
      auto c1 = std::make_unique<Conv<S>>(28, 28, 1, 6, 5, 2);
      layers_.push_back(std::move(c1));
      layers_.push_back(std::make_unique<MaxPool<S>>(28, 28, 6));
      layers_.push_back(std::make_unique<Relu<S>>());
      layers_.push_back(std::make_unique<Conv<S>>(14, 14, 6, 16, 5, 0));
      layers_.push_back(std::make_unique<MaxPool<S>>(10, 10, 16));
      layers_.push_back(std::make_unique<Relu<S>>());
      layers_.push_back(std::make_unique<Conv<S>>(5, 5, 16, 120, 5, 0));
      layers_.push_back(std::make_unique<Relu<S>>());
      layers_.push_back(std::make_unique<Dense<S>>(120, 84));
      layers_.push_back(std::make_unique<Relu<S>>());
      layers_.push_back(std::make_unique<Dense<S>>(84, kClasses));
    } else {
      int in = pixels();
      for (int h : cfg_.hidden) {
        layers_.push_back(std::make_unique<Dense<S>>(in, h));
        layers_.push_back(std::make_unique<Relu<S>>());
        in = h;
      }
      layers_.push_back(std::make_unique<Dense<S>>(in, kClasses));
    }
    for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->id = static_cast<int>(i);
  }

  /// Initial weights drawn in float32 from Philox(seed, layer), identical for every format; the
  /// master copy is round_master(w32), the weights round_weights(master).
  void init_weights() {
    const bool he = cfg_.init.empty() ? cfg_.model != "lenet5" : cfg_.init == "he";
    std::uint64_t index = 0;
    for (auto& l : layers_) {
      Param<S>* p = l->param();
      if (p == nullptr) continue;
      softnum::Philox g(cfg_.seed, 0x1000 + index++);
      const int fan_in = p->cols - 1;
      std::vector<S> w32(p->size());
      for (int r = 0; r < p->rows; ++r) {
        for (int c = 0; c < p->cols; ++c) {
          double v;
          if (he) {
            const double u1 = uniform01(g), u2 = uniform01(g);
            v = c == fan_in ? 0.0 : std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2) * std::sqrt(2.0 / fan_in);
          } else {  // PyTorch's default for Linear and Conv2d: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), bias too
            v = (2 * uniform01(g) - 1) / std::sqrt(static_cast<double>(fan_in));
          }
          w32[static_cast<std::size_t>(r * p->cols + c)] = static_cast<S>(static_cast<float>(v));
        }
      }
      p->master.resize(p->size());
      p->weights.resize(p->size());
      p->momentum.assign(p->size(), S(0));
      p->grad.assign(p->size(), S(0));
      ctx_.round(kMaster, w32.data(), p->master.data(), p->size());
      ctx_.round(kWeights, p->master.data(), p->weights.data(), p->size());
    }
  }

  /// At a schedule boundary: the optimizer state is rounded from its exact values into the new
  /// master format, the weights from the master copy.
  void switch_formats(int epoch) {
    const Roles next = resolve_epoch(epoch);
    if (next.format == ctx_.roles.format && next.mode == ctx_.roles.mode && next.scaling == ctx_.roles.scaling) return;
    if (!(next.scaling == ctx_.roles.scaling)) ctx_.scales.clear();  // a new recipe starts its own histories
    ctx_.roles = next;
    for (auto& l : layers_) {
      if (Param<S>* p = l->param()) {
        ctx_.round(kMaster, p->master.data(), p->master.data(), p->size());
        ctx_.round(kMaster, p->momentum.data(), p->momentum.data(), p->size());
        ctx_.round(kWeights, p->master.data(), p->weights.data(), p->size());
      }
    }
  }

  void load_batch(const Dataset& ds, const std::vector<std::size_t>& order, std::size_t start, int batch) {
    const int px = pixels();
    x_.resize(static_cast<std::size_t>(batch) * static_cast<std::size_t>(px));
    for (int b = 0; b < batch; ++b) {
      const std::uint8_t* img = ds.images.data() + order[start + static_cast<std::size_t>(b)] * static_cast<std::size_t>(px);
      for (int i = 0; i < px; ++i) x_[static_cast<std::size_t>(b * px + i)] = lut_[img[i]];
    }
    // The input is fl32((x/255 - mean)/std), rounded once to the activation format.
    ctx_.round(kActivations, x_.data(), x_.data(), x_.size());
  }

  void forward(int batch) {
    acts_.resize(layers_.size() + 1);
    acts_[0] = x_;
    for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->forward(ctx_, acts_[i], acts_[i + 1], batch);
  }

  /// Softmax cross-entropy in the loss format, gradient at the logits into delta_ (gradients
  /// format, times scale / batch). Returns the summed loss; counts correct predictions.
  double loss_and_grad(const std::vector<std::size_t>& order, std::size_t start, const Dataset& ds, int batch,
                       int& correct, bool grad) {
    const std::vector<S>& z = acts_.back();
    const Format& L = ctx_.fmt(kLoss);
    const Round lm = ctx_.mode(kLoss);
    softnum::Philox gen(ctx_.seed, ctx_.next());
    auto rw = [&] { return lm == Round::stochastic ? gen() : 0u; };
    double total = 0;
    std::vector<S> p(static_cast<std::size_t>(batch) * kClasses), onehot(p.size(), S(0));
    for (int b = 0; b < batch; ++b) {
      const int y = ds.labels[order[start + static_cast<std::size_t>(b)]];
      const S* zb = z.data() + b * kClasses;
      int arg = 0;
      for (int i = 1; i < kClasses; ++i) {
        if (zb[i] > zb[arg]) arg = i;
      }
      correct += arg == y;
      double zl[kClasses], d[kClasses], e[kClasses];
      double m = -HUGE_VAL;
      bool nan = false;
      for (int i = 0; i < kClasses; ++i) {
        zl[i] = L.round(static_cast<double>(zb[i]), lm, rw());
        nan = nan || std::isnan(zl[i]);
        m = std::max(m, zl[i]);
      }
      double s = 0;
      for (int i = 0; i < kClasses; ++i) {
        d[i] = L.add(zl[i], -m, lm, rw());
        e[i] = L.round(std::exp(d[i]), lm, rw());
        s = L.add(s, e[i], lm, rw());
      }
      const double loss = L.add(L.round(std::log(s), lm, rw()), -d[y], lm, rw());
      total += nan ? std::numeric_limits<double>::quiet_NaN() : loss;
      for (int i = 0; i < kClasses; ++i) {
        p[static_cast<std::size_t>(b * kClasses + i)] = static_cast<S>(L.div(e[i], s, lm, rw()));
      }
      onehot[static_cast<std::size_t>(b * kClasses + y)] = S(1);
    }
    if (grad) {
      // delta = round_gradients((p - onehot) * scale / batch), from the exact value.
      const double c = scale_ / batch;
      delta_.resize(p.size());
      ctx_.axpby(kGradients, c, p.data(), -c, onehot.data(), delta_.data(), p.size());
      ctx_.energy_pj += static_cast<double>(batch) * kClasses * 6 * add_pj(L);
    }
    return total;
  }

  void backward(int batch) {
    // Two buffers kept across steps (swapped layer by layer): after the first step they have
    // their largest size, so a step allocates nothing (fresh vectors cost page faults and fills).
    std::vector<S>& d = back_a_;
    std::vector<S>& dx = back_b_;
    d.assign(delta_.begin(), delta_.end());
    for (std::size_t i = layers_.size(); i-- > 0;) {
      layers_[i]->backward(ctx_, d, dx, batch, i > 0);
      std::swap(d, dx);
    }
  }

  /// Whether a weight gradient overflowed: inf/NaN, or at the bound of a saturating format.
  bool overflowed() const {
    const Format& G = ctx_.fmt(kGradients);
    for (const auto& l : layers_) {
      const Param<S>* p = l->param();
      if (p == nullptr) continue;
      for (S g : p->grad) {
        if (!std::isfinite(g)) return true;
        if (G.saturates() && std::fabs(static_cast<double>(g)) >= G.max) return true;
      }
    }
    return false;
  }

  void update(double lr, double momentum) {
    if (cfg_.dynamic_scale) {
      if (overflowed()) {
        scale_ = std::max(1.0, scale_ / 2);
        ++skipped_;
        good_steps_ = 0;
        return;
      }
      if (++good_steps_ >= cfg_.scale_window) {
        scale_ *= 2;
        good_steps_ = 0;
      }
    }
    const double inv = 1.0 / applied_scale_;
    for (auto& l : layers_) {
      Param<S>* p = l->param();
      if (p == nullptr) continue;
      const std::size_t n = p->size();
      if (momentum != 0) {
        // v = round_master(momentum * v + g / scale); master = round_master(master - lr * v)
        ctx_.axpby(kMaster, momentum, p->momentum.data(), inv, p->grad.data(), p->momentum.data(), n);
        ctx_.axpby(kMaster, 1.0, p->master.data(), -lr, p->momentum.data(), p->master.data(), n);
      } else {
        // master = round_master(master - (lr / scale) * g), one fused rounding
        ctx_.axpby(kMaster, 1.0, p->master.data(), -lr * inv, p->grad.data(), p->master.data(), n);
      }
      ctx_.round(kWeights, p->master.data(), p->weights.data(), n);
    }
  }

  void progress(int epoch, std::size_t done, std::size_t total, double elapsed) const {
    const int width = 30;
    const auto filled = static_cast<int>(static_cast<double>(width) * static_cast<double>(done) / static_cast<double>(total));
    char bar[width + 1];
    for (int i = 0; i < width; ++i) bar[i] = i < filled ? '#' : '.';
    bar[width] = 0;
    const double eta = done > 0 ? elapsed * static_cast<double>(total - done) / static_cast<double>(done) : 0;
    std::fprintf(stderr, "\r  epoch %d/%d [%s] %3d%% %zu/%zu  %.0fs  ETA %.0fs   ", epoch, cfg_.epochs, bar,
                 static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)), done, total,
                 elapsed, eta);
    std::fflush(stderr);
  }

  void train_epoch(int epoch, double lr, double momentum, EpochResult& r) {
    const std::size_t n = train_.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    softnum::Philox g(cfg_.seed, std::uint64_t{0x5A5A0000} + static_cast<std::uint64_t>(epoch));
    for (std::size_t i = n; i > 1; --i) {  // Fisher-Yates with a portable generator
      const std::uint64_t w = (std::uint64_t{g()} << 32) | g();
      std::swap(order[i - 1], order[static_cast<std::size_t>(w % i)]);
    }
    double loss = 0;
    int correct = 0;
    const auto t0 = std::chrono::steady_clock::now();
    auto last = t0;
    for (std::size_t start = 0; start < n; start += static_cast<std::size_t>(cfg_.batch)) {
      const int batch = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(cfg_.batch), n - start));
      ctx_.training = true;
      ++ctx_.step;
      load_batch(train_, order, start, batch);
      forward(batch);
      applied_scale_ = scale_;
      const double l = loss_and_grad(order, start, train_, batch, correct, true);
      if (!std::isfinite(l)) {
        if (cfg_.progress) std::fputc('\n', stderr);
        char msg[512];
        std::snprintf(msg, sizeof msg,
                      "training diverged in epoch %d at sample %zu: the loss is %s (%s). Formats: %s. Try a wider "
                      "loss/master format, a smaller --lr, or --loss-scale dynamic.",
                      epoch, start, std::isnan(l) ? "NaN" : "infinite",
                      std::isnan(l) ? "NaN, NaR or overflow in the outputs" : "overflow",
                      ctx_.roles.describe().c_str());
        throw Diverged(msg);
      }
      loss += l;
      backward(batch);
      update(lr, momentum);
      const auto now = std::chrono::steady_clock::now();
      if (cfg_.progress && (now - last > std::chrono::milliseconds(200) || start + static_cast<std::size_t>(batch) >= n)) {
        last = now;
        progress(epoch, start + static_cast<std::size_t>(batch), n, std::chrono::duration<double>(now - t0).count());
      }
    }
    if (cfg_.progress) std::fprintf(stderr, "\r%100s\r", "");
    r.loss = loss / static_cast<double>(n);
    r.train_acc = 100.0 * correct / static_cast<double>(n);
  }

  double evaluate() {
    const std::size_t n = test_.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    int correct = 0;
    const int eb = 500;
    const double energy = ctx_.energy_pj;  // the energy figure is for training only
    ctx_.training = false;                   // the test pass does not change the scaling state
    for (std::size_t start = 0; start < n; start += eb) {
      const int batch = static_cast<int>(std::min<std::size_t>(eb, n - start));
      load_batch(test_, order, start, batch);
      forward(batch);
      const std::vector<S>& z = acts_.back();
      for (int b = 0; b < batch; ++b) {
        const S* zb = z.data() + b * kClasses;
        int arg = 0;
        for (int i = 1; i < kClasses; ++i) {
          if (zb[i] > zb[arg]) arg = i;
        }
        correct += arg == test_.labels[order[start + static_cast<std::size_t>(b)]];
      }
    }
    ctx_.energy_pj = energy;
    return 100.0 * correct / static_cast<double>(n);
  }

 public:
  void init_lut() {
    for (int v = 0; v < 256; ++v) lut_[v] = static_cast<S>(static_cast<float>((v / 255.0 - kMean) / kStd));
  }

 private:
  const Config& cfg_;
  const Dataset& train_;
  const Dataset& test_;
  Ctx<S> ctx_;
  std::vector<std::unique_ptr<Layer<S>>> layers_;
  std::vector<S> x_, delta_;
  std::vector<S> back_a_, back_b_;  // backward's gradient buffers
  std::vector<std::vector<S>> acts_;
  S lut_[256]{};
  double scale_ = 1, applied_scale_ = 1;
  long long skipped_ = 0;
  int good_steps_ = 0;
};

bool any_needs_double(const Config& cfg) {
  std::vector<std::string> bases{cfg.cli.base};
  for (const auto& s : cfg.schedule) bases.push_back(s.second);
  for (const auto& b : bases) {
    const Roles r = resolve(parse_spec(b), cfg.cli);
    for (const Format* f : r.format) {
      if (!f->quire && f->needs_double()) return true;
    }
  }
  return false;
}

}  // namespace

RunResult run_training(const Config& cfg, const Dataset& train_set, const Dataset& test_set, Backend& backend,
                       const std::function<void(const EpochResult&)>& on_epoch) {
  if (any_needs_double(cfg)) {
    Trainer<double> t(cfg, train_set, test_set, backend);
    t.init_lut();
    return t.run(on_epoch);
  }
  Trainer<float> t(cfg, train_set, test_set, backend);
  t.init_lut();
  return t.run(on_epoch);
}

std::string describe(const Config& cfg, const Dataset& train_set, const Dataset& test_set) {
  const bool lenet = cfg.model == "lenet5";
  std::string arch;
  if (lenet) {
    arch = "lenet5 (conv 6@5x5 pad 2, pool, conv 16@5x5, pool, conv 120@5x5, fc 84, fc 10)";
  } else {
    arch = "mlp " + std::to_string(train_set.rows * train_set.cols);
    for (int h : cfg.hidden) arch += "-" + std::to_string(h);
    arch += "-10";
  }
  char buf[1024], scale[64];
  std::snprintf(scale, sizeof scale, "%g", cfg.loss_scale);
  const double lr = cfg.lr >= 0 ? cfg.lr : (lenet ? 0.0625 : 0.02);
  const double mom = cfg.momentum >= 0 ? cfg.momentum : (lenet ? 0.5 : 0.9);
  const int from = cfg.lr_decay_from >= 0 ? cfg.lr_decay_from : (lenet ? 5 : 4);
  const int every = cfg.lr_decay_every > 0 ? cfg.lr_decay_every : (lenet ? 4 : 1);
  std::snprintf(buf, sizeof buf,
                "model: %s\ndata: %zu training images, %zu test images; batch %d, %d epochs, seed %llu\n"
                "optimizer: SGD lr %g, momentum %g, lr x%g every %d epoch(s) from epoch %d; loss scale %s\n",
                arch.c_str(), train_set.size(), test_set.size(), cfg.batch, cfg.epochs,
                static_cast<unsigned long long>(cfg.seed), lr, mom, cfg.lr_decay, every, from,
                cfg.dynamic_scale ? "dynamic (from 65536)" : scale);
  std::string out = buf;
  out += "formats: " + resolve(parse_spec(cfg.cli.base), cfg.cli).describe() + "\n";
  if (!cfg.schedule.empty()) {
    out += "schedule:";
    for (const auto& [e, s] : cfg.schedule) out += " from epoch " + std::to_string(e) + ": " + s + ";";
    out += "\n";
  }
  return out;
}

}  // namespace train
