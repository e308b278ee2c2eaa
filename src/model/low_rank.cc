#include "model/low_rank.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <cblas.h>

namespace assay {
namespace {

// SplitMix64 (Steele, Lea and Flood 2014): a fixed, portable stream, so the
// same seed gives the same Omega on every platform (std::normal_distribution
// is implementation-defined).
class Gaussians {
 public:
  explicit Gaussians(uint64_t seed) : state_(seed) {}

  // Box-Muller, one value of each pair used: simple, and Omega is small.
  double Next() {
    const double u1 = (double(NextBits() >> 11) + 1.0) * 0x1p-53;  // (0, 1]
    const double u2 = double(NextBits() >> 11) * 0x1p-53;          // [0, 1)
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  uint64_t NextBits() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  uint64_t state_;
};

// The eigenvalues (in `values`) and eigenvectors (the columns of `vectors`,
// row-major n x n) of the symmetric n x n matrix `a`, by cyclic Jacobi
// rotations (Golub and Van Loan, section 8.5): accurate for the small
// matrices here (n is the sketch size), O(n^3) per sweep, a few sweeps.
void SymmetricEigen(std::vector<double> a, size_t n, std::vector<double>& values, std::vector<double>& vectors) {
  vectors.assign(n * n, 0.0);
  for (size_t i = 0; i < n; ++i) vectors[i * n + i] = 1.0;
  auto at = [&](size_t row, size_t col) -> double& { return a[row * n + col]; };
  double total = 0;
  for (double x : a) total += x * x;
  constexpr int kMaxSweeps = 64;
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    double off = 0;
    for (size_t p = 0; p < n; ++p) {
      for (size_t q = p + 1; q < n; ++q) off += at(p, q) * at(p, q);
    }
    if (off <= 1e-30 * total) break;
    for (size_t p = 0; p < n; ++p) {
      for (size_t q = p + 1; q < n; ++q) {
        const double apq = at(p, q);
        if (apq == 0) continue;
        const double theta = (at(q, q) - at(p, p)) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1);
        const double s = t * c;
        for (size_t k = 0; k < n; ++k) {  // columns p and q
          const double kp = at(k, p), kq = at(k, q);
          at(k, p) = c * kp - s * kq;
          at(k, q) = s * kp + c * kq;
        }
        for (size_t k = 0; k < n; ++k) {  // rows p and q
          const double pk = at(p, k), qk = at(q, k);
          at(p, k) = c * pk - s * qk;
          at(q, k) = s * pk + c * qk;
        }
        for (size_t k = 0; k < n; ++k) {
          double& kp = vectors[k * n + p];
          double& kq = vectors[k * n + q];
          const double vp = kp, vq = kq;
          kp = c * vp - s * vq;
          kq = s * vp + c * vq;
        }
      }
    }
  }
  values.resize(n);
  for (size_t i = 0; i < n; ++i) values[i] = at(i, i);
}

// Omega, Z and the scratch Y keep their rows a multiple of four doubles
// long (zero-padded), so each row starts on a 32-byte boundary for the
// library's vector loads.
constexpr size_t kLanes = 4;

size_t PaddedStride(uint32_t size) { return (size + kLanes - 1) / kLanes * kLanes; }

// Directions of D Omega below this fraction of its largest (in the squared
// scale of G) are dropped as numerically null: dividing by them would turn
// the rounding error of Z into spurious singular values. sqrt(1e-12) = 1e-6
// of the largest, far below any threshold CountRank applies.
constexpr double kNullGramFraction = 1e-12;

}  // namespace

SketchTestMatrix::SketchTestMatrix(uint64_t cols, uint32_t size, uint64_t seed)
    : cols_(cols), size_(size), stride_(PaddedStride(size)), entries_(cols * stride_, 0.0) {
  Gaussians gaussians(seed);
  for (uint64_t c = 0; c < cols; ++c) {
    for (uint32_t j = 0; j < size; ++j) entries_[c * stride_ + j] = gaussians.Next();
  }
}

LowRankSketch::LowRankSketch(const SketchTestMatrix& omega)
    : omega_(&omega),
      z_(omega.cols() * omega.stride(), 0.0),
      g_(size_t{omega.size()} * omega.size(), 0.0),
      y_() {}

void LowRankSketch::AddRows(const double* rows, size_t count) {
  if (count == 0) return;
  // CBLAS takes int dimensions: a block of rows and a tensor's columns are
  // far below 2^31 (a block is 64 Ki elements, forensics.cc).
  const int n_rows = int(count), cols = int(omega_->cols()), s = int(omega_->size());
  const int stride = int(omega_->stride());
  y_.resize(count * omega_->stride());
  // The three products are nearly all of forensics' arithmetic: BLIS's
  // kernels for this CPU do them (docs/forensics.md says why this library).
  // Y = D_i Omega (count x s)
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n_rows, s, cols, 1.0, rows, cols, omega_->data(), stride, 0.0,
              y_.data(), stride);
  // Z += D_i^T Y (cols x s)
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, cols, s, n_rows, 1.0, rows, cols, y_.data(), stride, 1.0,
              z_.data(), stride);
  // G += Y^T Y (s x s)
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, s, s, n_rows, 1.0, y_.data(), stride, y_.data(), stride, 1.0,
              g_.data(), s);
}

void LowRankSketch::Merge(const LowRankSketch& other) {
  for (size_t i = 0; i < z_.size(); ++i) z_[i] += other.z_[i];
  for (size_t i = 0; i < g_.size(); ++i) g_[i] += other.g_[i];
}

std::vector<double> LowRankSketch::SingularValues() const {
  const size_t cols = omega_->cols();
  const size_t s = omega_->size();
  const size_t stride = omega_->stride();
  // G = W L W^T; Q = Y W L^(-1/2) is an orthonormal basis of range(Y).
  std::vector<double> lambda, w;
  SymmetricEigen(g_, s, lambda, w);
  const double largest = s == 0 ? 0.0 : *std::max_element(lambda.begin(), lambda.end());
  if (!(largest > 0)) return {};  // D Omega = 0: D is zero (Omega is Gaussian)
  std::vector<size_t> kept;
  for (size_t j = 0; j < s; ++j) {
    if (lambda[j] > kNullGramFraction * largest) kept.push_back(j);
  }
  // T = D^T Q = Z W L^(-1/2), cols x kept; formed explicitly (not through
  // Z^T Z) so that its small singular values keep their accuracy.
  const size_t k = kept.size();
  std::vector<double> scaled(s * k);  // the kept columns of W L^(-1/2), s x k
  for (size_t i = 0; i < s; ++i) {
    for (size_t jj = 0; jj < k; ++jj) scaled[i * k + jj] = w[i * s + kept[jj]] / std::sqrt(lambda[kept[jj]]);
  }
  std::vector<double> t(cols * k, 0.0);
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(cols), int(k), int(s), 1.0, z_.data(), int(stride),
              scaled.data(), int(k), 0.0, t.data(), int(k));
  std::vector<double> h(k * k, 0.0);  // T^T T: its eigenvalues are the squared singular values
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, int(k), int(k), int(cols), 1.0, t.data(), int(k), t.data(),
              int(k), 0.0, h.data(), int(k));
  std::vector<double> squares, unused;
  SymmetricEigen(std::move(h), k, squares, unused);
  std::vector<double> singular_values;
  for (double square : squares) singular_values.push_back(std::sqrt(std::max(0.0, square)));
  std::sort(singular_values.begin(), singular_values.end(), std::greater<>());
  return singular_values;
}

RankEstimate CountRank(std::vector<double> singular_values, const RankCriteria& criteria, uint32_t sketch_size,
                       bool sketch_exact) {
  RankEstimate estimate;
  const double largest = singular_values.empty() ? 0.0 : singular_values.front();
  estimate.threshold = std::max(criteria.tolerance * largest, criteria.noise_floor);
  for (double sigma : singular_values) {
    if (sigma > estimate.threshold) ++estimate.rank;
  }
  // Rounding noise sits several times below the floor (docs/forensics.md);
  // a whole sketch within a factor 2 of the threshold is a full-rank change.
  // A sketch that lost null directions saw all of D's range: no saturation.
  const bool whole_sketch_near_threshold =
      singular_values.size() == sketch_size && singular_values.back() > estimate.threshold / 2;
  estimate.saturated = !sketch_exact && (estimate.rank > criteria.max_rank || whole_sketch_near_threshold);
  estimate.singular_values = std::move(singular_values);
  return estimate;
}

double RoundingNoiseFloor(double unit_roundoff, double max_row_norm, double max_column_norm) {
  return unit_roundoff * (max_row_norm + max_column_norm);
}

uint32_t SketchSize(uint64_t rows, uint64_t cols, uint32_t max_rank, uint32_t oversampling) {
  const uint64_t wanted = uint64_t{max_rank} + oversampling;
  return static_cast<uint32_t>(std::min({wanted, rows, cols}));
}

}  // namespace assay
