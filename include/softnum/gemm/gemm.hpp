// softnum/gemm/gemm.hpp - C = A * B on the CPU with a stated accumulation model.
// SPDX-License-Identifier: MIT
//
// The accumulation model (the contract; cuda/gemm.cuh follows it bit for bit) ---------------
// For each output C(i,j), with a = A(i,k), b = B(k,j), k = 0 .. K-1 in increasing order:
//   product:    p_k = round_P(a * b), the exact product rounded once to the product format P;
//               or, with P = exact_product, no rounding here: the exact product is fused into
//               the accumulation, which is then one rounding per multiply-add (an fma).
//   accumulate: s = round_A(s + p_k), the exact sum rounded once to the accumulator format A,
//               starting from s = 0 (or from round_A(C(i,j)) when options.accumulate is set).
//   chunks:     with options.chunk = c > 0, the k range is cut into chunks of c (the last may be
//               shorter); each chunk is summed as above from 0 into t, and after each chunk
//               s = round_A(s + t) (Wang et al., NeurIPS 2018, "chunk-based accumulation").
//   output:     C(i,j) = round_O(s) in options.output_round, O the element type of C.
// Every rounding in the product and accumulate steps uses options.round. Stochastic rounding
// takes its random word from random_word(seed, (i << 32) | j, 4 * k + role), role 0 for the
// product, 1 for the accumulation of term k, 2 for combining the chunk that ends at k; the
// initial conversion of C(i,j) uses k = K, role 2, the output rounding k = K, role 3. So a
// result depends only on (seed, i, j, k), never on threads, tiling or SIMD width.
// Any softnum type (Float, Posit, Fixed, Expansion) or float/double may serve as A, B, P, the
// accumulator or C: each rounding goes through the exact value (detail::Unpacked), so mixing
// formats never rounds twice. gemm() computes exactly gemm_reference(), only faster.
#pragma once

#include <softnum/core/convert.hpp>
#include <softnum/core/random.hpp>
#include <softnum/core/round.hpp>
#include <softnum/types/float.hpp>

#include <algorithm>           // std::min, std::max
#include <atomic>              // the pool's work counters
#include <condition_variable>  // the pool's wake-ups
#include <cstddef>             // std::ptrdiff_t
#include <cstdint>             // std::uint32_t, std::uint64_t
#include <deque>               // the pool's queue
#include <mutex>               // the pool's lock
#include <stdexcept>           // std::invalid_argument
#include <string>              // std::to_string (error messages)
#include <thread>              // std::thread::hardware_concurrency, the pool's workers
#include <type_traits>         // std::is_same_v, std::remove_const_t
#include <vector>              // worker threads

namespace softnum {

/// Product format tag: products are exact and fused into the accumulation (one rounding per
/// multiply-add).
struct exact_product {};

/// The formats of a GEMM model. void means "the element type of C" (the default model: products
/// and sums rounded to the output type, which is what Eigen's A * B does for softnum scalars).
template <class Product = void, class Accumulator = void>
struct Accumulation {
  using product = Product;
  using accumulator = Accumulator;
};

/// Run-time options of the model.
struct GemmOptions {
  Round round = Round::nearest_even;         // every product and accumulation rounding
  Round output_round = Round::nearest_even;  // the final rounding to C's type
  std::uint64_t seed = 0;                    // stochastic rounding: Philox key
  std::ptrdiff_t chunk = 0;                  // > 0: chunk-based accumulation with chunks of this size
  bool accumulate = false;                   // C = C + A*B (the sum starts from C) instead of C = A*B
  unsigned threads = 0;                      // 0: std::thread::hardware_concurrency()
};

/// A strided matrix: element (i, j) is data[i * row_stride + j * col_stride]. Row-major,
/// column-major and transposed views are all of this form.
template <class T>
struct MatrixView {
  T* data = nullptr;
  std::ptrdiff_t rows = 0, cols = 0;
  std::ptrdiff_t row_stride = 0, col_stride = 1;

  constexpr T& operator()(std::ptrdiff_t i, std::ptrdiff_t j) const noexcept {
    return data[i * row_stride + j * col_stride];
  }
  constexpr MatrixView<T> transpose() const noexcept { return {data, cols, rows, col_stride, row_stride}; }
  template <class U = T>
    requires(!std::is_const_v<U>)
  constexpr operator MatrixView<const U>() const noexcept {
    return {data, rows, cols, row_stride, col_stride};
  }
};

/// Row-major view (leading dimension ld >= cols, default cols).
template <class T>
constexpr MatrixView<T> row_major(T* data, std::ptrdiff_t rows, std::ptrdiff_t cols,
                                  std::ptrdiff_t ld = 0) noexcept {
  return {data, rows, cols, ld > 0 ? ld : cols, 1};
}

/// Column-major view (leading dimension ld >= rows, default rows), as Eigen and BLAS store.
template <class T>
constexpr MatrixView<T> col_major(T* data, std::ptrdiff_t rows, std::ptrdiff_t cols,
                                  std::ptrdiff_t ld = 0) noexcept {
  return {data, rows, cols, 1, ld > 0 ? ld : rows};
}

namespace detail {

// ----- exact arithmetic on unpacked values: the one place the model's roundings come from -----

SOFTNUM_HOST_DEVICE constexpr Unpacked from_wide(const Wide& w) noexcept {
  int shift = 0;
  const u128 sig = narrow_jam(w.sig, shift);
  return Unpacked{Kind::finite, w.sign, w.exp + shift, sig};
}

/// x * y exact when both significands have at most 64 bits, else its round-to-odd image at
/// >= 125 bits (operands of at most 113 bits: the 226-bit product narrowed with a sticky bit).
SOFTNUM_HOST_DEVICE constexpr Unpacked exact_mul(const Unpacked& x, const Unpacked& y) noexcept {
  const bool negative = x.sign != y.sign;
  if (x.kind == Kind::nan || y.kind == Kind::nan) return make_special(Kind::nan, false);
  if (x.kind == Kind::inf || y.kind == Kind::inf) {
    if (x.kind == Kind::zero || y.kind == Kind::zero) return make_special(Kind::nan, false);
    return make_special(Kind::inf, negative);
  }
  if (x.kind == Kind::zero || y.kind == Kind::zero) return make_special(Kind::zero, negative);
  if ((x.sig >> 64) == 0 && (y.sig >> 64) == 0) {
    return Unpacked{Kind::finite, negative, x.exp + y.exp, x.sig * y.sig};
  }
  return from_wide(Wide{negative, x.exp + y.exp, mul_wide(x.sig, y.sig)});
}

/// Sign of an exact zero sum (IEEE 754 §6.3): +0 unless both are -0, or -0 when rounding down.
SOFTNUM_HOST_DEVICE constexpr Unpacked zero_sum(bool sx, bool sy, Round mode) noexcept {
  return make_special(Kind::zero, mode == Round::down ? (sx || sy) : (sx && sy));
}

SOFTNUM_HOST_DEVICE constexpr Wide to_wide(const Unpacked& x) noexcept {
  return Wide{x.sign, x.exp, u256{0, x.sig}};
}

/// The exact sum of x and w (w: an exact product as Wide, or a value), kept round-to-odd.
SOFTNUM_HOST_DEVICE constexpr Unpacked exact_add_wide(const Unpacked& x, Kind wk, const Wide& w,
                                                      Round mode) noexcept {
  if (x.kind == Kind::nan || wk == Kind::nan) return make_special(Kind::nan, false);
  if (x.kind == Kind::inf) {
    if (wk == Kind::inf && x.sign != w.sign) return make_special(Kind::nan, false);
    return x;
  }
  if (wk == Kind::inf) return make_special(Kind::inf, w.sign);
  if (x.kind == Kind::zero && wk == Kind::zero) return zero_sum(x.sign, w.sign, mode);
  if (wk == Kind::zero) return x;
  if (x.kind == Kind::zero) return from_wide(w);
  const Wide s = wide_add(to_wide(x), w);
  if (is_zero(s.sig)) return zero_sum(true, false, mode);
  return from_wide(s);
}

/// x + y, exact or round-to-odd at >= 125 bits.
SOFTNUM_HOST_DEVICE constexpr Unpacked exact_add(const Unpacked& x, const Unpacked& y, Round mode) noexcept {
  return exact_add_wide(x, y.kind, to_wide(y), mode);
}

/// x * y + z with one round-to-odd step at >= 125 bits (operand significands <= 113 bits).
SOFTNUM_HOST_DEVICE constexpr Unpacked exact_fma(const Unpacked& x, const Unpacked& y,
                                                 const Unpacked& z, Round mode) noexcept {
  const bool negative = x.sign != y.sign;
  if (x.kind == Kind::finite && y.kind == Kind::finite) {
    return exact_add_wide(z, Kind::finite, Wide{negative, x.exp + y.exp, mul_wide(x.sig, y.sig)}, mode);
  }
  const Unpacked p = exact_mul(x, y);  // special or zero product
  return exact_add_wide(z, p.kind, to_wide(p), mode);
}

template <class T>
SOFTNUM_HOST_DEVICE constexpr Unpacked unpack_any(const T& x) noexcept {
  return number_traits<T>::unpack(x);
}

template <class T>
SOFTNUM_HOST_DEVICE constexpr T pack_any(const Unpacked& u, Round mode, std::uint32_t random) noexcept {
  return number_traits<T>::pack(u, mode, random);
}

/// Resolves void in a model to the output type.
template <class T, class Fallback>
using or_type = std::conditional_t<std::is_void_v<T>, Fallback, T>;

/// The element index of (i, j) in the random counter.
SOFTNUM_HOST_DEVICE constexpr std::uint64_t gemm_counter(std::ptrdiff_t i, std::ptrdiff_t j) noexcept {
  return (static_cast<std::uint64_t>(i) << 32) | static_cast<std::uint64_t>(j);
}

/// The random word of one rounding of the model (0 unless the mode is stochastic, so that the
/// deterministic modes never pay for Philox).
SOFTNUM_HOST_DEVICE constexpr std::uint32_t gemm_word(Round mode, std::uint64_t seed, std::uint64_t element,
                                                      std::ptrdiff_t k, unsigned role) noexcept {
  return mode == Round::stochastic
             ? random_word(seed, element, 4 * static_cast<std::uint64_t>(k) + role)
             : 0u;
}

/// One output of the model, exactly as the contract above describes it. Generic (every type
/// through Unpacked); the kernels below and in cuda/ must give the same bits.
template <class Model, class TA, class TB, class TC>
SOFTNUM_HOST_DEVICE constexpr TC gemm_element(const TA* a, std::ptrdiff_t a_step, const TB* b,
                                              std::ptrdiff_t b_step, std::ptrdiff_t K, TC c_in,
                                              std::ptrdiff_t i, std::ptrdiff_t j, Round mode,
                                              Round output_mode, std::uint64_t seed,
                                              std::ptrdiff_t chunk, bool accumulate) noexcept {
  using P = or_type<typename Model::product, TC>;
  using A = or_type<typename Model::accumulator, TC>;
  constexpr bool fused = std::is_same_v<P, exact_product>;
  const std::uint64_t element = gemm_counter(i, j);
  const Unpacked zero = make_special(Kind::zero, false);
  Unpacked total = zero;  // the accumulator's value (always a value of A, kept unpacked)
  if (accumulate) {
    total = unpack_any(pack_any<A>(unpack_any(c_in), mode, gemm_word(mode, seed, element, K, 2)));
  }
  const std::ptrdiff_t c = chunk > 0 ? chunk : K;
  for (std::ptrdiff_t k0 = 0; k0 < K; k0 += c) {
    const std::ptrdiff_t k1 = k0 + c < K ? k0 + c : K;
    const bool chunked = chunk > 0;
    Unpacked s = chunked ? zero : total;
    for (std::ptrdiff_t k = k0; k < k1; ++k) {
      const Unpacked x = unpack_any(a[k * a_step]), y = unpack_any(b[k * b_step]);
      Unpacked exact;
      if constexpr (fused) {
        exact = exact_fma(x, y, s, mode);
      } else {
        const P p = pack_any<P>(exact_mul(x, y), mode, gemm_word(mode, seed, element, k, 0));
        exact = exact_add(s, unpack_any(p), mode);
      }
      s = unpack_any(pack_any<A>(exact, mode, gemm_word(mode, seed, element, k, 1)));
    }
    if (chunked) {
      total = unpack_any(pack_any<A>(exact_add(total, s, mode), mode, gemm_word(mode, seed, element, k1 - 1, 2)));
    } else {
      total = s;
    }
  }
  return pack_any<TC>(total, output_mode, gemm_word(output_mode, seed, element, K, 3));
}

template <class TA, class TB, class TC>
void check_gemm_shapes(const MatrixView<const TA>& A, const MatrixView<const TB>& B,
                       const MatrixView<TC>& C, const GemmOptions& options) {
  auto dims = [](std::ptrdiff_t r, std::ptrdiff_t c) {
    return std::to_string(r) + "x" + std::to_string(c);
  };
  if (A.rows < 0 || A.cols < 0 || B.rows < 0 || B.cols < 0 || C.rows < 0 || C.cols < 0) {
    throw std::invalid_argument("softnum::gemm: negative matrix dimension");
  }
  if (A.cols != B.rows || C.rows != A.rows || C.cols != B.cols) {
    throw std::invalid_argument("softnum::gemm: shapes do not match: A is " + dims(A.rows, A.cols) +
                                ", B is " + dims(B.rows, B.cols) + ", C is " + dims(C.rows, C.cols) +
                                " (need A: MxK, B: KxN, C: MxN)");
  }
  if (options.chunk < 0) throw std::invalid_argument("softnum::gemm: chunk must be >= 0");
  if (A.rows >= (std::ptrdiff_t{1} << 32) || B.cols >= (std::ptrdiff_t{1} << 32)) {
    throw std::invalid_argument("softnum::gemm: more than 2^32 rows or columns");
  }
}

/// Rows [i0, i1) of C by the generic model: the reference loop itself.
template <class Model, class TA, class TB, class TC>
void gemm_rows_generic(const MatrixView<const TA>& A, const MatrixView<const TB>& B, const MatrixView<TC>& C,
                       const GemmOptions& o, std::ptrdiff_t i0, std::ptrdiff_t i1) {
  const std::ptrdiff_t K = A.cols;
  for (std::ptrdiff_t i = i0; i < i1; ++i) {
    for (std::ptrdiff_t j = 0; j < C.cols; ++j) {
      // With K = 0 no element of A or B exists (their data may be null): nothing is addressed.
      const TA* a = K > 0 ? &A(i, 0) : A.data;
      const TB* b = K > 0 ? &B(0, j) : B.data;
      C(i, j) = gemm_element<Model>(a, A.col_stride, b, B.row_stride, K, C(i, j), i, j, o.round, o.output_round,
                                    o.seed, o.chunk, o.accumulate);
    }
  }
}

}  // namespace detail
}  // namespace softnum

#include <softnum/gemm/gemm_kernels.hpp>  // the SIMD kernels (need the model above)

namespace softnum {
namespace detail {

/// Rows [i0, i1) of C: the fastest kernel that applies to the model and types. A kernel may
/// compute its rows in any order and vectorise across j, but each output's roundings are those
/// of gemm_element, in increasing k (gemm/gemm_kernels.hpp lists which kernel covers what).
template <class Model, class TA, class TB, class TC>
void gemm_rows(const MatrixView<const TA>& A, const MatrixView<const TB>& B, const MatrixView<TC>& C,
               const GemmOptions& o, std::ptrdiff_t i0, std::ptrdiff_t i1) {
#if SOFTNUM_GEMM_SIMD
  if (gemm_fast::try_rows<Model>(A, B, C, o, i0, i1)) return;
#endif
  gemm_rows_generic<Model>(A, B, C, o, i0, i1);
}

/// The worker threads of gemm(), started once and kept (a GEMM of a training step takes
/// microseconds; starting threads for each call costs as much). run(n, f) calls f(0) .. f(n-1):
/// f(0) on the calling thread, the others on whichever thread takes them first, the caller
/// included, so nested or concurrent calls from several threads always finish.
class GemmPool {
 public:
  static GemmPool& instance() {
    static GemmPool pool;
    return pool;
  }
  GemmPool(const GemmPool&) = delete;
  GemmPool& operator=(const GemmPool&) = delete;
  ~GemmPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

  template <class F>
  void run(unsigned n, F& f) {
    Batch batch{&call<F>, &f, n};
    {
      std::lock_guard<std::mutex> lock(mutex_);
      while (workers_.size() + 1 < n) workers_.emplace_back([this] { work(); });
      queue_.push_back(&batch);
    }
    wake_.notify_all();
    f(0);
    while (take(batch)) {
    }
    // Every index is started; wait until the workers that joined this batch are out of it.
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return batch.users == 0; });
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      if (*it == &batch) {
        queue_.erase(it);
        break;
      }
    }
  }

 private:
  struct Batch {
    void (*fn)(void*, unsigned);
    void* ctx;
    unsigned n;
    std::atomic<unsigned> next{1};
    unsigned users = 0;  // workers inside the batch (under mutex_)
  };
  template <class F>
  static void call(void* f, unsigned i) {
    (*static_cast<F*>(f))(i);
  }
  GemmPool() = default;

  /// Runs one unstarted index of b; false when none is left.
  static bool take(Batch& b) {
    const unsigned i = b.next.fetch_add(1);
    if (i >= b.n) return false;
    b.fn(b.ctx, i);
    return true;
  }

  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      Batch* b = queue_.front();
      if (b->next.load() >= b->n) {  // every index started: the batch leaves the queue
        queue_.pop_front();
        continue;
      }
      ++b->users;  // b stays alive until users is back to 0 (its caller waits for that)
      lock.unlock();
      while (take(*b)) {
      }
      lock.lock();
      if (--b->users == 0) done_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::deque<Batch*> queue_;
  std::vector<std::thread> workers_;
  bool stop_ = false;
};

inline unsigned gemm_threads(const GemmOptions& o, std::ptrdiff_t rows, std::ptrdiff_t work) {
  unsigned t = o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  if (work < (std::ptrdiff_t{1} << 15)) t = 1;  // too small to pay for a thread
  return static_cast<unsigned>(std::min<std::ptrdiff_t>(t, std::max<std::ptrdiff_t>(rows, 1)));
}

}  // namespace detail

/// The model's naive triple loop, one thread, no fast paths: the definition of the result.
/// A and B may be views of const or mutable elements.
template <class Model = Accumulation<>, class TA, class TB, class TC>
void gemm_reference(MatrixView<TA> A, MatrixView<TB> B, MatrixView<TC> C, const GemmOptions& options = {}) {
  const MatrixView<const std::remove_const_t<TA>> a = A;
  const MatrixView<const std::remove_const_t<TB>> b = B;
  detail::check_gemm_shapes(a, b, C, options);
  detail::gemm_rows_generic<Model>(a, b, C, options, 0, C.rows);
}

/// C = A * B (or C += A * B) by the model, on options.threads threads (rows split in blocks).
/// Bit-identical to gemm_reference for every thread count.
template <class Model = Accumulation<>, class TA, class TB, class TC>
void gemm(MatrixView<TA> A, MatrixView<TB> B, MatrixView<TC> C, const GemmOptions& options = {}) {
  const MatrixView<const std::remove_const_t<TA>> a = A;
  const MatrixView<const std::remove_const_t<TB>> b = B;
  detail::check_gemm_shapes(a, b, C, options);
  const std::ptrdiff_t work = C.rows * C.cols * std::max<std::ptrdiff_t>(A.cols, 1);
  const unsigned threads = detail::gemm_threads(options, C.rows, work);
  if (threads <= 1) {
    detail::gemm_rows<Model>(a, b, C, options, 0, C.rows);
    return;
  }
  const std::ptrdiff_t rows = C.rows, per = (rows + threads - 1) / threads;
  auto part = [&](unsigned t) {
    const std::ptrdiff_t i0 = std::min(rows, per * t), i1 = std::min(rows, per * (t + 1));
    detail::gemm_rows<Model>(a, b, C, options, i0, i1);
  };
  detail::GemmPool::instance().run(threads, part);
}

}  // namespace softnum
