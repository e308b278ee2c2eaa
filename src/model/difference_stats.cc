#include "model/difference_stats.h"

#include <algorithm>
#include <cmath>

namespace assay {

std::optional<double> DifferenceMeasures::RelativeChange() const {
  if (norm_a > 0) return norm_difference / norm_a;
  if (norm_difference == 0) return 0.0;
  return std::nullopt;
}

std::optional<double> DifferenceMeasures::CosineSimilarity() const {
  if (norm_a == 0 || norm_b == 0) return std::nullopt;
  return std::clamp(inner_product / (norm_a * norm_b), -1.0, 1.0);
}

DifferenceAccumulator::DifferenceAccumulator(uint64_t line_length, const SketchTestMatrix* omega)
    : line_length_(line_length), cross_a2_(line_length, 0.0), cross_b2_(line_length, 0.0) {
  if (omega != nullptr) sketch_.emplace(*omega);
}

void DifferenceAccumulator::Add(std::span<const double> a, std::span<double> b, uint64_t count) {
  bool any_difference = false;
  for (uint64_t line = 0; line < count; ++line) {
    const double* a_line = a.data() + line * line_length_;
    double* b_line = b.data() + line * line_length_;
    double line_a2 = 0, line_b2 = 0;
    for (uint64_t i = 0; i < line_length_; ++i) {
      const double x = a_line[i], y = b_line[i];
      if (!std::isfinite(x) || !std::isfinite(y)) {
        ++nonfinite_;
        b_line[i] = 0;
        continue;
      }
      const double d = y - x;
      b_line[i] = d;
      line_a2 += x * x;
      line_b2 += y * y;
      cross_a2_[i] += x * x;
      cross_b2_[i] += y * y;
      sum_ab_ += x * y;
      sum_d2_ += d * d;
      max_abs_difference_ = std::max(max_abs_difference_, std::abs(d));
      any_difference |= d != 0;
    }
    sum_a2_ += line_a2;
    sum_b2_ += line_b2;
    max_line_a2_ = std::max(max_line_a2_, line_a2);
    max_line_b2_ = std::max(max_line_b2_, line_b2);
  }
  // Lines where B = A add nothing to the sketch: skipping them is what makes
  // a tensor changed in a few rows cheap.
  if (sketch_ && any_difference) sketch_->AddRows(b.data(), count);
}

void DifferenceAccumulator::Merge(const DifferenceAccumulator& other) {
  if (sketch_ && other.sketch_) sketch_->Merge(*other.sketch_);
  sum_a2_ += other.sum_a2_;
  sum_b2_ += other.sum_b2_;
  sum_d2_ += other.sum_d2_;
  sum_ab_ += other.sum_ab_;
  max_abs_difference_ = std::max(max_abs_difference_, other.max_abs_difference_);
  nonfinite_ += other.nonfinite_;
  max_line_a2_ = std::max(max_line_a2_, other.max_line_a2_);
  max_line_b2_ = std::max(max_line_b2_, other.max_line_b2_);
  for (uint64_t i = 0; i < line_length_; ++i) {
    cross_a2_[i] += other.cross_a2_[i];
    cross_b2_[i] += other.cross_b2_[i];
  }
}

DifferenceMeasures DifferenceAccumulator::Measures() const {
  DifferenceMeasures measures;
  measures.norm_a = std::sqrt(sum_a2_);
  measures.norm_b = std::sqrt(sum_b2_);
  measures.norm_difference = std::sqrt(sum_d2_);
  measures.inner_product = sum_ab_;
  measures.max_abs_difference = max_abs_difference_;
  measures.nonfinite_elements = nonfinite_;
  measures.max_line_norm_a = std::sqrt(max_line_a2_);
  measures.max_line_norm_b = std::sqrt(max_line_b2_);
  auto largest = [](const std::vector<double>& values) {
    return values.empty() ? 0.0 : *std::max_element(values.begin(), values.end());
  };
  measures.max_cross_norm_a = std::sqrt(largest(cross_a2_));
  measures.max_cross_norm_b = std::sqrt(largest(cross_b2_));
  return measures;
}

std::vector<double> DifferenceAccumulator::SingularValues() const {
  return sketch_ ? sketch_->SingularValues() : std::vector<double>();
}

}  // namespace assay
