#include "model/difference_stats.h"

#include <algorithm>
#include <cmath>
#include <cstring>

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

namespace {

// Four lanes of doubles (GCC's vector extension): floating-point sums are
// never reordered by the compiler, so a loop of scalar running sums would
// stay scalar; lanes of independent partial sums use the vector unit (two SSE2
// registers each, one AVX register where the CPU has it).
using Lanes = double __attribute__((vector_size(32)));
constexpr size_t kSumLanes = sizeof(Lanes) / sizeof(double);

// The two loops below are compiled twice on x86-64, for AVX2 and for the
// baseline, and the CPU picks at load time (GCC's target_clones).
#if defined(__x86_64__)
#define ASSAY_AVX2_CLONE __attribute__((target_clones("avx2", "default")))
#else
#define ASSAY_AVX2_CLONE
#endif

// Sums over one line, the squared terms kept squared.
struct LineSums {
  double a2 = 0, b2 = 0, ab = 0, d2 = 0, max_abs = 0;
};

// One pair of finite elements, one at a time: its difference, added in.
inline double AddElement(double x, double y, LineSums& sums, double& cross_a2, double& cross_b2) {
  const double d = y - x;
  sums.a2 += x * x;
  sums.b2 += y * y;
  sums.ab += x * y;
  sums.d2 += d * d;
  sums.max_abs = std::max(sums.max_abs, std::abs(d));
  cross_a2 += x * x;
  cross_b2 += y * y;
  return d;
}

// Whether every element of both lines is finite: a branch-free pass, so
// that the common case takes the branch-free loop below.
ASSAY_AVX2_CLONE bool AllFinite(const double* a, const double* b, uint64_t n) {
  // x - x is 0 for a finite x and NaN for an infinite or NaN one; a NaN stays in a sum.
  Lanes sum = {};
  uint64_t i = 0;
  for (; i + kSumLanes <= n; i += kSumLanes) {
    Lanes x, y;
    std::memcpy(&x, a + i, sizeof x);
    std::memcpy(&y, b + i, sizeof y);
    sum += (x - x) + (y - y);
  }
  double total = 0;
  for (size_t j = 0; j < kSumLanes; ++j) total += sum[j];
  for (; i < n; ++i) total += (a[i] - a[i]) + (b[i] - b[i]);
  return total == 0;
}

// One line without NaN or infinity: b becomes B - A, and the sums and the
// per-position cross sums grow.
ASSAY_AVX2_CLONE LineSums FiniteLine(const double* a, double* b, double* cross_a2, double* cross_b2, uint64_t n) {
  Lanes a2 = {}, b2 = {}, ab = {}, d2 = {}, max_abs = {};
  uint64_t i = 0;
  for (; i + kSumLanes <= n; i += kSumLanes) {
    // memcpy: unaligned loads and stores without aliasing casts.
    Lanes x, y, cross_x, cross_y;
    std::memcpy(&x, a + i, sizeof x);
    std::memcpy(&y, b + i, sizeof y);
    std::memcpy(&cross_x, cross_a2 + i, sizeof cross_x);
    std::memcpy(&cross_y, cross_b2 + i, sizeof cross_y);
    const Lanes d = y - x, abs_d = d < 0 ? -d : d;
    std::memcpy(b + i, &d, sizeof d);
    a2 += x * x;
    b2 += y * y;
    ab += x * y;
    d2 += d * d;
    max_abs = max_abs > abs_d ? max_abs : abs_d;
    cross_x += x * x;
    cross_y += y * y;
    std::memcpy(cross_a2 + i, &cross_x, sizeof cross_x);
    std::memcpy(cross_b2 + i, &cross_y, sizeof cross_y);
  }
  LineSums sums;
  for (size_t j = 0; j < kSumLanes; ++j) {
    sums.a2 += a2[j];
    sums.b2 += b2[j];
    sums.ab += ab[j];
    sums.d2 += d2[j];
    sums.max_abs = std::max(sums.max_abs, max_abs[j]);
  }
  for (; i < n; ++i) b[i] = AddElement(a[i], b[i], sums, cross_a2[i], cross_b2[i]);  // the last few
  return sums;
}

// A line holding NaN or infinity: those elements are counted and left out
// (their difference is set to 0, so the sketch ignores them too).
LineSums LineWithNonfinite(const double* a, double* b, double* cross_a2, double* cross_b2, uint64_t n,
                           uint64_t& nonfinite) {
  LineSums sums;
  for (uint64_t i = 0; i < n; ++i) {
    if (!std::isfinite(a[i]) || !std::isfinite(b[i])) {
      ++nonfinite;
      b[i] = 0;
      continue;
    }
    b[i] = AddElement(a[i], b[i], sums, cross_a2[i], cross_b2[i]);
  }
  return sums;
}

}  // namespace

void DifferenceAccumulator::Add(std::span<const double> a, std::span<double> b, uint64_t count) {
  bool any_difference = false;
  for (uint64_t line = 0; line < count; ++line) {
    const double* a_line = a.data() + line * line_length_;
    double* b_line = b.data() + line * line_length_;
    const LineSums sums =
        AllFinite(a_line, b_line, line_length_)
            ? FiniteLine(a_line, b_line, cross_a2_.data(), cross_b2_.data(), line_length_)
            : LineWithNonfinite(a_line, b_line, cross_a2_.data(), cross_b2_.data(), line_length_, nonfinite_);
    sum_a2_ += sums.a2;
    sum_b2_ += sums.b2;
    sum_ab_ += sums.ab;
    sum_d2_ += sums.d2;
    max_abs_difference_ = std::max(max_abs_difference_, sums.max_abs);
    max_line_a2_ = std::max(max_line_a2_, sums.a2);
    max_line_b2_ = std::max(max_line_b2_, sums.b2);
    any_difference |= sums.max_abs != 0;  // not d2: the square of a tiny difference can underflow to 0
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
