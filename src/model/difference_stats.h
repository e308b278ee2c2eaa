// Everything weight forensics measures about D = B - A for one tensor,
// gathered in a single pass over matching lines of A and B (docs/forensics.md):
// the norms behind the relative change and the cosine similarity, the largest
// element difference, the line and cross norms behind the rounding noise
// floor, and the low-rank sketch of D.
//
// Lines are rows of the tensor's matrix, or its columns when read by columns
// (tensor_matrix.h); "cross" norms run the other way. Accumulators over
// disjoint line ranges of one tensor (sharing the test matrix) add up with
// Merge. One accumulator belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/low_rank.h"

namespace assay {

// The measures of one tensor pair, once every line has been added.
struct DifferenceMeasures {
  double norm_a = 0;           // ||A||_F
  double norm_b = 0;           // ||B||_F
  double norm_difference = 0;  // ||B - A||_F
  double inner_product = 0;    // <A, B>
  double max_abs_difference = 0;
  // Elements where A or B is NaN or infinite: left out of every measure and
  // of the sketch (counted, so a report can say so).
  uint64_t nonfinite_elements = 0;
  // Largest line and cross norms of A and B: what RoundingNoiseFloor takes.
  double max_line_norm_a = 0, max_cross_norm_a = 0;
  double max_line_norm_b = 0, max_cross_norm_b = 0;

  std::optional<double> RelativeChange() const;    // ||B-A|| / ||A||; none when A = 0 and B != A
  std::optional<double> CosineSimilarity() const;  // <A,B> / (||A|| ||B||); none when A or B = 0
};

class DifferenceAccumulator {
 public:
  // Lines of `line_length` values; `omega` (cols = line_length) may be null
  // for no sketch, and must outlive the accumulator.
  DifferenceAccumulator(uint64_t line_length, const SketchTestMatrix* omega);

  // `a` and `b` hold `count` lines each; `b` is overwritten with B - A.
  void Add(std::span<const double> a, std::span<double> b, uint64_t count);
  void Merge(const DifferenceAccumulator& other);

  DifferenceMeasures Measures() const;
  // The sketch's singular values; empty without a sketch or when D = 0.
  std::vector<double> SingularValues() const;

 private:
  uint64_t line_length_;
  std::optional<LowRankSketch> sketch_;
  double sum_a2_ = 0, sum_b2_ = 0, sum_d2_ = 0, sum_ab_ = 0;
  double max_abs_difference_ = 0;
  uint64_t nonfinite_ = 0;
  double max_line_a2_ = 0, max_line_b2_ = 0;  // squared
  std::vector<double> cross_a2_, cross_b2_;  // squared, per position along a line
};

}  // namespace assay
