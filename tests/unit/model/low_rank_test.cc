#include "model/low_rank.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <random>

#include "bf16_rounding.h"
#include "model/tensor_decode.h"

namespace assay {
namespace {

constexpr double kBf16Roundoff = 0x1p-8;
constexpr double kTolerance = 1e-3;
constexpr uint32_t kMaxRank = 32;
constexpr uint32_t kOversampling = 8;

using model_testing::RoundToBf16;

struct Matrix {
  size_t rows = 0, cols = 0;
  std::vector<double> values;  // row-major
  double& at(size_t r, size_t c) { return values[r * cols + c]; }
};

Matrix Gaussian(size_t rows, size_t cols, double scale, std::mt19937_64& random) {
  std::normal_distribution<double> normal(0.0, scale);
  Matrix m{rows, cols, std::vector<double>(rows * cols)};
  for (double& x : m.values) x = normal(random);
  return m;
}

double FrobeniusNorm(const std::vector<double>& values) {
  double sum = 0;
  for (double x : values) sum += x * x;
  return std::sqrt(sum);
}

// Weights as a model stores them: small Gaussian values rounded to bf16.
Matrix Bf16Weights(size_t rows, size_t cols, std::mt19937_64& random) {
  Matrix a = Gaussian(rows, cols, 0.02, random);
  for (double& x : a.values) x = RoundToBf16(x);
  return a;
}

// B = bf16(A + U V^T) with U V^T of rank `rank` and Frobenius norm
// `relative` times A's: a merged LoRA, saved in bf16.
Matrix PlantLowRank(const Matrix& a, size_t rank, double relative, std::mt19937_64& random) {
  Matrix u = Gaussian(a.rows, rank, 1.0, random);
  Matrix v = Gaussian(a.cols, rank, 1.0, random);
  std::vector<double> update(a.rows * a.cols, 0.0);
  for (size_t r = 0; r < a.rows; ++r) {
    for (size_t c = 0; c < a.cols; ++c) {
      double sum = 0;
      for (size_t k = 0; k < rank; ++k) sum += u.values[r * rank + k] * v.values[c * rank + k];
      update[r * a.cols + c] = sum;
    }
  }
  const double scale = relative * FrobeniusNorm(a.values) / FrobeniusNorm(update);
  Matrix b = a;
  for (size_t i = 0; i < b.values.size(); ++i) b.values[i] = RoundToBf16(a.values[i] + scale * update[i]);
  return b;
}

Matrix PlantNoise(const Matrix& a, double relative, std::mt19937_64& random) {
  Matrix noise = Gaussian(a.rows, a.cols, 0.02 * relative, random);
  Matrix b = a;
  for (size_t i = 0; i < b.values.size(); ++i) b.values[i] = RoundToBf16(a.values[i] + noise.values[i]);
  return b;
}

double MaxRowNorm(const Matrix& m) {
  double largest = 0;
  for (size_t r = 0; r < m.rows; ++r) {
    double sum = 0;
    for (size_t c = 0; c < m.cols; ++c) sum += m.values[r * m.cols + c] * m.values[r * m.cols + c];
    largest = std::max(largest, std::sqrt(sum));
  }
  return largest;
}

Matrix Transposed(const Matrix& m) {
  Matrix t{m.cols, m.rows, std::vector<double>(m.values.size())};
  for (size_t r = 0; r < m.rows; ++r) {
    for (size_t c = 0; c < m.cols; ++c) t.values[c * m.rows + r] = m.values[r * m.cols + c];
  }
  return t;
}

// The rank of B - A as forensics estimates it: the rows stream by in blocks
// of 7 into two partial sketches (odd and even blocks), which are merged.
RankEstimate EstimateDifferenceRank(const Matrix& a, const Matrix& b, double roundoff = kBf16Roundoff,
                                    uint32_t max_rank = kMaxRank) {
  const uint32_t s = SketchSize(a.rows, a.cols, max_rank, kOversampling);
  SketchTestMatrix omega(a.cols, s, 42);
  LowRankSketch even(omega), odd(omega);
  std::vector<double> d(a.values.size());
  for (size_t i = 0; i < d.size(); ++i) d[i] = b.values[i] - a.values[i];
  constexpr size_t kBlock = 7;
  for (size_t row = 0, block = 0; row < a.rows; row += kBlock, ++block) {
    size_t count = std::min(kBlock, a.rows - row);
    (block % 2 == 0 ? even : odd).AddRows(d.data() + row * a.cols, count);
  }
  even.Merge(odd);
  const double floor = RoundingNoiseFloor(roundoff, MaxRowNorm(a), MaxRowNorm(Transposed(a))) +
                       RoundingNoiseFloor(roundoff, MaxRowNorm(b), MaxRowNorm(Transposed(b)));
  return CountRank(even.SingularValues(), {kTolerance, floor, max_rank}, s, s == std::min(a.rows, a.cols));
}

class PlantedRankTest : public ::testing::TestWithParam<size_t> {};

TEST_P(PlantedRankTest, FindsThePlantedRankThroughBf16RoundingNoise) {
  std::mt19937_64 random(GetParam());
  Matrix a = Bf16Weights(256, 192, random);
  Matrix b = PlantLowRank(a, GetParam(), 0.05, random);
  RankEstimate estimate = EstimateDifferenceRank(a, b);
  EXPECT_EQ(estimate.rank, GetParam());
  EXPECT_FALSE(estimate.saturated);
  // The rounding noise is present (D is not exactly low-rank) but stays under the threshold.
  ASSERT_GT(estimate.singular_values.size(), GetParam());
  EXPECT_GT(estimate.singular_values[GetParam()], 0.0);
  EXPECT_LT(estimate.singular_values[GetParam()], estimate.threshold);
}

INSTANTIATE_TEST_SUITE_P(Ranks, PlantedRankTest, ::testing::Values(1, 8, 16));

TEST(LowRankTest, FindsThePlantedRankInWideMatrices) {
  std::mt19937_64 random(7);
  Matrix a = Bf16Weights(96, 320, random);
  EXPECT_EQ(EstimateDifferenceRank(a, PlantLowRank(a, 8, 0.05, random)).rank, 8u);
}

TEST(LowRankTest, FullRankNoiseSaturatesTheSketch) {
  std::mt19937_64 random(3);
  Matrix a = Bf16Weights(256, 192, random);
  RankEstimate estimate = EstimateDifferenceRank(a, PlantNoise(a, 0.05, random));
  EXPECT_TRUE(estimate.saturated);
  EXPECT_GT(estimate.rank, kMaxRank);
}

TEST(LowRankTest, RoundingAloneCountsAsRankZero) {
  // B is A + a change far below bf16's resolution, rounded: what is left is
  // rounding noise, which must not read as a full-rank change.
  std::mt19937_64 random(4);
  Matrix a = Gaussian(200, 150, 0.02, random);  // held in f64: A is exact
  Matrix b = a;
  for (double& x : b.values) x = RoundToBf16(x);
  RankEstimate estimate = EstimateDifferenceRank(a, b);
  EXPECT_EQ(estimate.rank, 0u);
  EXPECT_FALSE(estimate.singular_values.empty());
}

TEST(LowRankTest, ZeroDifferenceHasNoSingularValues) {
  std::mt19937_64 random(5);
  Matrix a = Bf16Weights(64, 48, random);
  RankEstimate estimate = EstimateDifferenceRank(a, a);
  EXPECT_EQ(estimate.rank, 0u);
  EXPECT_TRUE(estimate.singular_values.empty());
}

TEST(LowRankTest, ExactSketchOfASmallMatrixGivesItsSingularValues) {
  // D = diag(5, 3, 1) padded to 6 x 5, in exact arithmetic: the sketch has
  // min(rows, cols) = 5 columns, so it spans D's range and is exact.
  Matrix a{6, 5, std::vector<double>(30, 0.0)};
  Matrix b = a;
  b.at(0, 0) = 5;
  b.at(2, 1) = -3;
  b.at(4, 3) = 1;
  RankEstimate estimate = EstimateDifferenceRank(a, b, 0.0);
  ASSERT_EQ(estimate.rank, 3u);
  EXPECT_NEAR(estimate.singular_values[0], 5.0, 1e-9);
  EXPECT_NEAR(estimate.singular_values[1], 3.0, 1e-9);
  EXPECT_NEAR(estimate.singular_values[2], 1.0, 1e-9);
  EXPECT_FALSE(estimate.saturated);
}

TEST(LowRankTest, VectorDifferenceHasRankOne) {
  // A 1-D tensor is a 1 x n matrix.
  std::mt19937_64 random(6);
  Matrix a = Bf16Weights(1, 300, random);
  Matrix b = PlantNoise(a, 0.2, random);
  RankEstimate estimate = EstimateDifferenceRank(a, b);
  EXPECT_EQ(estimate.rank, 1u);
  EXPECT_FALSE(estimate.saturated);
}

TEST(LowRankTest, ThreeDimensionalTensorIsFlattenedToFirstDimensionByTheRest) {
  // A [8, 16, 12] tensor is the 8 x 192 matrix of its rows; a change of rank
  // 2 in that view is found whatever the inner dimensions were.
  std::mt19937_64 random(8);
  Matrix a = Bf16Weights(8, 16 * 12, random);
  RankEstimate estimate = EstimateDifferenceRank(a, PlantLowRank(a, 2, 0.1, random));
  EXPECT_EQ(estimate.rank, 2u);
}

TEST(LowRankTest, NoiseNearTheThresholdIsFullRankNotAPartialLowRank) {
  // Full-rank noise whose singular values straddle the threshold: some of
  // them count, but the sketch's tail stays near the threshold with no gap.
  for (double relative : {0.01, 0.015}) {
    std::mt19937_64 random(3);
    Matrix a = Bf16Weights(256, 192, random);
    RankEstimate estimate = EstimateDifferenceRank(a, PlantNoise(a, relative, random));
    EXPECT_LE(estimate.rank, kMaxRank) << relative;
    EXPECT_TRUE(estimate.saturated) << relative;
  }
}

TEST(LowRankTest, CountRankAppliesTheLargerOfTheTwoThresholds) {
  RankEstimate by_tolerance = CountRank({10, 5, 0.5, 0.001}, {0.01, 0.0, 2}, 4, false);
  EXPECT_EQ(by_tolerance.rank, 3u);
  EXPECT_DOUBLE_EQ(by_tolerance.threshold, 0.1);
  EXPECT_TRUE(by_tolerance.saturated);  // 3 > max_rank 2 in an inexact sketch
  RankEstimate by_floor = CountRank({10, 5, 0.5, 0.001}, {0.01, 1.0, 2}, 4, false);
  EXPECT_EQ(by_floor.rank, 2u);
  EXPECT_FALSE(by_floor.saturated);
  EXPECT_FALSE(CountRank({10, 5, 0.5}, {0.0, 0.0, 2}, 3, /*sketch_exact=*/true).saturated);
}

TEST(LowRankTest, CountRankSaturatesWhenTheWholeSketchIsNearTheThreshold) {
  EXPECT_TRUE(CountRank({1.2, 1.1, 0.9, 0.6}, {0.0, 1.0, 8}, 4, false).saturated);
  EXPECT_FALSE(CountRank({1.2, 1.1, 0.9, 0.1}, {0.0, 1.0, 8}, 4, false).saturated);
  // Fewer values than the sketch size: D Omega had lower rank, all of D was seen.
  EXPECT_FALSE(CountRank({1.2, 1.1, 0.9}, {0.0, 1.0, 8}, 4, false).saturated);
}

TEST(LowRankTest, SketchSizeIsCappedAtTheSmallerDimension) {
  EXPECT_EQ(SketchSize(4096, 4096, 32, 8), 40u);
  EXPECT_EQ(SketchSize(16, 4096, 32, 8), 16u);
  EXPECT_EQ(SketchSize(1, 4096, 32, 8), 1u);
}

TEST(LowRankTest, SameSeedGivesTheSameTestMatrix) {
  SketchTestMatrix first(10, 3, 99), second(10, 3, 99), other(10, 3, 100);
  const size_t entries = 10 * first.stride();
  EXPECT_TRUE(std::equal(first.data(), first.data() + entries, second.data()));
  EXPECT_FALSE(std::equal(first.data(), first.data() + entries, other.data()));
  for (size_t row = 0; row < 10; ++row) {  // the padding past `size` is zero
    for (size_t j = 3; j < first.stride(); ++j) EXPECT_EQ(first.data()[row * first.stride() + j], 0.0);
  }
}

}  // namespace
}  // namespace assay
