// softnum_train: Fashion-MNIST from IDX files (.gz or plain).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace train {

/// Where Debian's dataset-fashion-mnist package installs the files.
inline constexpr const char* kDefaultDataDir = "/usr/share/datasets/fashion-mnist";

struct Dataset {
  int rows = 0, cols = 0;
  std::vector<std::uint8_t> images;  // n * rows * cols pixels, row-major
  std::vector<std::uint8_t> labels;  // n labels, 0..9
  std::size_t size() const { return labels.size(); }
};

/// A missing, truncated or malformed data file.
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Loads <dir>/<prefix>-images-idx3-ubyte[.gz] and <dir>/<prefix>-labels-idx1-ubyte[.gz]
/// (prefix "train" or "t10k"), at most `limit` samples (0: all).
Dataset load_fashion_mnist(const std::string& dir, const std::string& prefix, std::size_t limit);

/// Averages factor x factor blocks of pixels (rounded to nearest, ties up): 28x28 -> 14x14 for
/// factor 2, so that a small MLP fits a microcontroller's flash (examples/firmware).
Dataset downsample(const Dataset& ds, int factor);

}  // namespace train
