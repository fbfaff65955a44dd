// softnum_train: IDX reader (http://yann.lecun.com/exdb/mnist/ format) through zlib, which reads
// gzip and plain files alike.
#include "data.hpp"

#include <zlib.h>

#include <sys/stat.h>

#include <memory>

namespace train {

namespace {

const char* kInstallHint =
    "install Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist, or "
    "bash scripts/install-deps.sh), or pass --data DIR with the four IDX files of Fashion-MNIST";

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

/// The IDX file at base (with ".gz" or without): its dimensions and up to `limit` items.
std::vector<std::uint8_t> read_idx(const std::string& base, std::uint32_t magic, int ndims,
                                   std::vector<std::uint32_t>& dims, std::size_t limit, std::string& used) {
  used = base + ".gz";
  if (!exists(used)) used = base;
  if (!exists(used)) {
    throw DataError("data file not found: " + base + ".gz (nor " + base + "); " + kInstallHint);
  }
  std::unique_ptr<gzFile_s, GzCloser> f(gzopen(used.c_str(), "rb"));
  if (!f) throw DataError("cannot open data file " + used + "; " + kInstallHint);
  auto read_exact = [&](void* dst, std::size_t n, const char* what) {
    std::size_t got = 0;
    while (got < n) {
      const std::size_t want = std::min<std::size_t>(n - got, std::size_t{1} << 30);
      const int r = gzread(f.get(), static_cast<char*>(dst) + got, static_cast<unsigned>(want));
      if (r < 0) {
        int errnum = 0;
        const char* msg = gzerror(f.get(), &errnum);
        throw DataError("data file " + used + (errnum == Z_BUF_ERROR ? " is truncated" : " is corrupt") + " (zlib: " +
                        msg + ") while reading the " + what + "; " + kInstallHint);
      }
      if (r == 0) {
        throw DataError("data file " + used + " is truncated: it ends inside the " + what + " (read " +
                        std::to_string(got) + " of " + std::to_string(n) + " bytes); " + kInstallHint);
      }
      got += static_cast<std::size_t>(r);
    }
  };
  unsigned char head[4];
  read_exact(head, 4, "header");
  if (be32(head) != magic) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%08x", be32(head));
    char want[32];
    std::snprintf(want, sizeof want, "0x%08x", magic);
    throw DataError("data file " + used + " has the wrong magic number " + buf + " (an IDX " +
                    (ndims == 3 ? "image" : "label") + " file starts with " + want + "); " + kInstallHint);
  }
  dims.assign(static_cast<std::size_t>(ndims), 0);
  std::size_t item = 1;
  for (int d = 0; d < ndims; ++d) {
    read_exact(head, 4, "header");
    dims[static_cast<std::size_t>(d)] = be32(head);
    if (d > 0) item *= be32(head);
  }
  if (dims[0] == 0 || item == 0 || item > (1u << 20)) {
    throw DataError("data file " + used + " has implausible dimensions; " + kInstallHint);
  }
  const std::size_t n = limit > 0 && limit < dims[0] ? limit : dims[0];
  std::vector<std::uint8_t> data(n * item);
  read_exact(data.data(), data.size(), ndims == 3 ? "pixels" : "labels");
  dims[0] = static_cast<std::uint32_t>(n);
  return data;
}

}  // namespace

Dataset load_fashion_mnist(const std::string& dir, const std::string& prefix, std::size_t limit) {
  Dataset ds;
  std::vector<std::uint32_t> idims, ldims;
  std::string ifile, lfile;
  ds.images = read_idx(dir + "/" + prefix + "-images-idx3-ubyte", 0x00000803u, 3, idims, limit, ifile);
  ds.labels = read_idx(dir + "/" + prefix + "-labels-idx1-ubyte", 0x00000801u, 1, ldims, limit, lfile);
  if (idims[0] != ldims[0]) {
    throw DataError("data files " + ifile + " and " + lfile + " disagree: " + std::to_string(idims[0]) +
                    " images but " + std::to_string(ldims[0]) + " labels; " + kInstallHint);
  }
  if (idims[1] != 28 || idims[2] != 28) {
    throw DataError("data file " + ifile + " holds " + std::to_string(idims[1]) + "x" + std::to_string(idims[2]) +
                    " images; Fashion-MNIST images are 28x28");
  }
  for (std::uint8_t l : ds.labels) {
    if (l > 9) throw DataError("data file " + lfile + " holds a label > 9: not Fashion-MNIST; " + kInstallHint);
  }
  ds.rows = static_cast<int>(idims[1]);
  ds.cols = static_cast<int>(idims[2]);
  return ds;
}

Dataset downsample(const Dataset& ds, int factor) {
  if (factor <= 1) return ds;
  Dataset out;
  out.rows = ds.rows / factor;
  out.cols = ds.cols / factor;
  out.labels = ds.labels;
  const std::size_t in_px = static_cast<std::size_t>(ds.rows) * static_cast<std::size_t>(ds.cols);
  const std::size_t out_px = static_cast<std::size_t>(out.rows) * static_cast<std::size_t>(out.cols);
  out.images.resize(ds.size() * out_px);
  const int n = factor * factor;
  for (std::size_t k = 0; k < ds.size(); ++k) {
    const std::uint8_t* src = ds.images.data() + k * in_px;
    std::uint8_t* dst = out.images.data() + k * out_px;
    for (int r = 0; r < out.rows; ++r) {
      for (int c = 0; c < out.cols; ++c) {
        int sum = 0;
        for (int dr = 0; dr < factor; ++dr) {
          for (int dc = 0; dc < factor; ++dc) sum += src[(r * factor + dr) * ds.cols + c * factor + dc];
        }
        dst[r * out.cols + c] = static_cast<std::uint8_t>((sum + n / 2) / n);
      }
    }
  }
  return out;
}

}  // namespace train
