#include "model/difference_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace assay {
namespace {

// The measures written out element by element, the way the definitions in
// difference_stats.h read: what the vectorised loop must agree with.
struct Reference {
  double a2 = 0, b2 = 0, d2 = 0, ab = 0, max_abs = 0, max_line_a2 = 0, max_line_b2 = 0;
  uint64_t nonfinite = 0;
  std::vector<double> cross_a2, cross_b2, differences;
};

Reference Measure(const std::vector<double>& a, const std::vector<double>& b, uint64_t length) {
  Reference out;
  out.cross_a2.assign(length, 0);
  out.cross_b2.assign(length, 0);
  for (uint64_t line = 0; line < a.size() / length; ++line) {
    double line_a2 = 0, line_b2 = 0;
    for (uint64_t i = 0; i < length; ++i) {
      const double x = a[line * length + i], y = b[line * length + i];
      if (!std::isfinite(x) || !std::isfinite(y)) {
        ++out.nonfinite;
        out.differences.push_back(0);
        continue;
      }
      out.differences.push_back(y - x);
      line_a2 += x * x;
      line_b2 += y * y;
      out.cross_a2[i] += x * x;
      out.cross_b2[i] += y * y;
      out.ab += x * y;
      out.d2 += (y - x) * (y - x);
      out.max_abs = std::max(out.max_abs, std::abs(y - x));
    }
    out.a2 += line_a2;
    out.b2 += line_b2;
    out.max_line_a2 = std::max(out.max_line_a2, line_a2);
    out.max_line_b2 = std::max(out.max_line_b2, line_b2);
  }
  return out;
}

void ExpectNear(double actual, double expected, const char* what) {
  EXPECT_NEAR(actual, expected, 1e-12 * std::max(1.0, std::abs(expected))) << what;
}

// Lines whose length is not a multiple of the vector width, some holding
// NaN or infinity (in A, in B, or both), some where B = A.
TEST(DifferenceAccumulator, AgreesWithTheElementByElementDefinitions) {
  for (const uint64_t length : {1u, 3u, 4u, 37u, 64u}) {
    constexpr uint64_t kLines = 6;
    std::mt19937_64 random(length);
    std::normal_distribution<double> normal(0, 1);
    std::vector<double> a(kLines * length), b(kLines * length);
    for (uint64_t i = 0; i < a.size(); ++i) {
      a[i] = normal(random);
      b[i] = a[i] + 0.01 * normal(random);
    }
    for (uint64_t i = 0; i < length; ++i) b[2 * length + i] = a[2 * length + i];  // an unchanged line
    a[3 * length] = std::numeric_limits<double>::quiet_NaN();
    b[4 * length + length / 2] = std::numeric_limits<double>::infinity();
    a[5 * length + length - 1] = -std::numeric_limits<double>::infinity();
    b[5 * length + length - 1] = std::numeric_limits<double>::quiet_NaN();
    const Reference expected = Measure(a, b, length);

    DifferenceAccumulator accumulator(length, nullptr);
    accumulator.Add(a, b, kLines);
    const DifferenceMeasures measures = accumulator.Measures();
    EXPECT_EQ(measures.nonfinite_elements, 3u) << length;
    EXPECT_EQ(measures.nonfinite_elements, expected.nonfinite);
    ExpectNear(measures.norm_a, std::sqrt(expected.a2), "norm a");
    ExpectNear(measures.norm_b, std::sqrt(expected.b2), "norm b");
    ExpectNear(measures.norm_difference, std::sqrt(expected.d2), "norm of the difference");
    ExpectNear(measures.inner_product, expected.ab, "inner product");
    EXPECT_EQ(measures.max_abs_difference, expected.max_abs) << length;
    ExpectNear(measures.max_line_norm_a, std::sqrt(expected.max_line_a2), "line norm a");
    ExpectNear(measures.max_line_norm_b, std::sqrt(expected.max_line_b2), "line norm b");
    ExpectNear(measures.max_cross_norm_a,
               std::sqrt(*std::max_element(expected.cross_a2.begin(), expected.cross_a2.end())), "cross norm a");
    ExpectNear(measures.max_cross_norm_b,
               std::sqrt(*std::max_element(expected.cross_b2.begin(), expected.cross_b2.end())), "cross norm b");
    ASSERT_EQ(b.size(), expected.differences.size());
    for (uint64_t i = 0; i < b.size(); ++i) EXPECT_EQ(b[i], expected.differences[i]) << length << " " << i;
  }
}

}  // namespace
}  // namespace assay
