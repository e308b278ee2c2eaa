// The numerical rank of a difference matrix D = B - A, estimated in one
// streaming pass over D's rows (docs/forensics.md, "The rank estimate").
//
// The sketch is the randomized range finder of Halko, Martinsson and Tropp
// (2011, sections 4.1 and 5.1) with a Gaussian test matrix Omega of s = k + p
// columns, arranged so that one pass suffices: as each block of rows D_i
// streams by, it adds
//     Y_i = D_i Omega        (used at once, never stored)
//     Z  += D_i^T Y_i        (cols x s: Z = D^T D Omega)
//     G  += Y_i^T Y_i        (s x s:   G = Y^T Y)
// With Y = D Omega = Q R, the singular values of Q^T D are those of
// D^T Q = Z W L^(-1/2), where G = W L W^T. These are what the two-pass range
// finder without power iterations computes, from the same Omega, in one pass
// (it is the Nystrom view of D^T D: Tropp, Yurtsever, Udell and Cevher 2017).
// Because Q^T D is a projection of D, its singular values never exceed D's
// (interlacing), so noise in the sketch cannot invent rank: a count above a
// threshold is a lower bound that is exact when the gap is clear.
//
// Memory is O(cols * s) for Z and Omega plus the caller's block; rows are
// never stored. Partial sketches over disjoint row ranges (sharing Omega) add
// up with Merge, so one matrix can be sketched by several threads.
//
// Thread safety: a SketchTestMatrix is read-only once built and may be shared;
// a LowRankSketch belongs to one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace assay {

// Omega: `cols` x `size` standard normal entries from a fixed generator, so a
// run is reproducible given the seed.
class SketchTestMatrix {
 public:
  SketchTestMatrix(uint64_t cols, uint32_t size, uint64_t seed);

  uint64_t cols() const { return cols_; }
  uint32_t size() const { return size_; }
  // Row-major, cols x stride(): each row holds `size` entries, then zeros up
  // to a multiple of the SIMD width.
  size_t stride() const { return stride_; }
  const double* data() const { return entries_.data(); }

 private:
  uint64_t cols_;
  uint32_t size_;
  size_t stride_;
  std::vector<double> entries_;
};

class LowRankSketch {
 public:
  // `omega` must outlive the sketch.
  explicit LowRankSketch(const SketchTestMatrix& omega);

  // Adds `count` rows of D, each omega.cols() values, row after row.
  void AddRows(const double* rows, size_t count);
  // Adds another partial sketch of the same matrix (same omega, other rows).
  void Merge(const LowRankSketch& other);

  // The singular values of Q^T D, largest first (at most s of them; fewer when
  // D Omega has lower rank, and none when D Omega is zero).
  std::vector<double> SingularValues() const;

 private:
  const SketchTestMatrix* omega_;
  std::vector<double> z_;  // cols x stride
  std::vector<double> g_;  // s x s
  std::vector<double> y_;  // scratch: the rows of one AddRows times Omega
};

// What counts as a direction of the change (docs/forensics.md, "Tolerance").
struct RankCriteria {
  double tolerance = 1e-3;  // relative to the largest singular value
  double noise_floor = 0;   // absolute: what rounding alone can produce (RoundingNoiseFloor)
  uint32_t max_rank = 32;   // the largest rank the sketch is asked to resolve (k)
};

// How many sketched singular values stand out, and what they were measured against.
struct RankEstimate {
  uint64_t rank = 0;  // singular values above `threshold`
  // The sketch cannot bound the rank ("full-rank-like"): more than max_rank
  // values stand out, or the sketch's smallest value is within a factor of 2
  // of the threshold, so the spectrum runs on past the sketch without the gap
  // a low-rank change leaves above the rounding noise. Never set for an exact sketch.
  bool saturated = false;
  double threshold = 0;  // max(tolerance * sigma_max, noise_floor)
  std::vector<double> singular_values;  // the sketch's, largest first
};

// Counts `singular_values` (largest first, from a sketch of `sketch_size`
// columns) above the threshold. When the sketch was exact (sketch_size =
// min(rows, cols)) the count is D's rank at that threshold.
RankEstimate CountRank(std::vector<double> singular_values, const RankCriteria& criteria, uint32_t sketch_size,
                       bool sketch_exact);

// The spectral norm that rounding a matrix M to a type of unit roundoff u can
// add, estimated as u * (largest row norm + largest column norm) of M. An
// error E with |E_ij| <= u |M_ij| whose signs are not aligned has
// ||E|| about rms(E) (sqrt(rows) + sqrt(cols)) (Bandeira and van Handel 2016
// for a matrix whose entries have unequal sizes), and rms(E) <= u rms(M), so
// this bounds the noise with a margin of about two (the rounding error of a
// uniform mantissa averages well under u).
double RoundingNoiseFloor(double unit_roundoff, double max_row_norm, double max_column_norm);

// The sketch size for a rows x cols matrix: k + p columns, but no more than
// min(rows, cols), where the sketch is exact.
uint32_t SketchSize(uint64_t rows, uint64_t cols, uint32_t max_rank, uint32_t oversampling);

}  // namespace assay
