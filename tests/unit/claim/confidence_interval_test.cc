#include "claim/confidence_interval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "claim/score_recompute.h"

namespace assay {
namespace {

// Reference quantiles: bisection on Simpson integration of Student's t
// density in Python (independent of the incomplete-beta code under test);
// 1 degree of freedom is tan(0.475 pi) exactly.
TEST(ConfidenceInterval, StudentTQuantiles) {
  EXPECT_NEAR(StudentTQuantile975(1), 12.706204736174707, 1e-9);
  EXPECT_NEAR(StudentTQuantile975(2), 4.302652729749205, 1e-9);
  EXPECT_NEAR(StudentTQuantile975(3), 3.182446305283709, 1e-9);
  EXPECT_NEAR(StudentTQuantile975(5), 2.570581835636167, 1e-9);
  EXPECT_NEAR(StudentTQuantile975(19), 2.093024054408348, 1e-9);
  EXPECT_NEAR(StudentTQuantile975(38), 2.024394163911901, 1e-9);
  EXPECT_NEAR(StudentTQuantile975(999), 1.9623414611319987, 1e-9);
  EXPECT_NEAR(StudentTQuantile975(13999), 1.9601334590306618, 1e-9);
  EXPECT_NEAR(StudentTQuantile975(26.226993865030675), 2.0546639226384587, 1e-9);  // Welch: fractional
  // Tends to the normal quantile, from above, on both sides of the switch.
  EXPECT_GT(StudentTQuantile975(1e7), kNormalQuantile975);
  EXPECT_NEAR(StudentTQuantile975(1e7), kNormalQuantile975, 3e-7);
  EXPECT_NEAR(StudentTQuantile975(1.0001e7), StudentTQuantile975(1e7), 1e-10);
  EXPECT_TRUE(std::isinf(StudentTQuantile975(0.5)));
}

TEST(ConfidenceInterval, PairedMean) {
  std::optional<Interval> interval = PairedMeanInterval(std::vector<double>{1, 2, 3, 4});
  ASSERT_TRUE(interval.has_value());
  EXPECT_EQ(interval->estimate, 2.5);
  EXPECT_NEAR(interval->standard_error, std::sqrt(5.0 / 3) / 2, 1e-15);
  EXPECT_NEAR(interval->low, 0.445739743239121, 1e-9);
  EXPECT_NEAR(interval->high, 4.5542602567608785, 1e-9);
  EXPECT_FALSE(PairedMeanInterval(std::vector<double>{1}).has_value());
  EXPECT_FALSE(PairedMeanInterval(std::vector<double>{1, NAN}).has_value());
  // Every pair agrees: a zero-width interval, not an unknown one.
  interval = PairedMeanInterval(std::vector<double>(20, 0));
  ASSERT_TRUE(interval.has_value());
  EXPECT_EQ(interval->low, 0);
  EXPECT_EQ(interval->high, 0);
}

TEST(ConfidenceInterval, UnpairedUsesNormalOrWelch) {
  std::optional<Interval> normal = UnpairedDifferenceInterval(1, 3, 4, std::nullopt, 50);
  ASSERT_TRUE(normal.has_value());
  EXPECT_EQ(normal->standard_error, 5);
  EXPECT_DOUBLE_EQ(normal->low, 1 - 5 * kNormalQuantile975);
  EXPECT_DOUBLE_EQ(normal->high, 1 + 5 * kNormalQuantile975);
  // se 1 (n 10) and 2 (n 20): Welch-Satterthwaite gives 26.227 degrees.
  std::optional<Interval> welch = UnpairedDifferenceInterval(0, 1, 2, 10, 20);
  ASSERT_TRUE(welch.has_value());
  EXPECT_NEAR(welch->high, std::sqrt(5.0) * StudentTQuantile975(26.226993865030675), 1e-12);
  for (double bad : {0.0, -1.0, double(NAN), double(INFINITY)}) {
    EXPECT_FALSE(UnpairedDifferenceInterval(0, bad, 1, 10, 10).has_value()) << bad;
    EXPECT_FALSE(UnpairedDifferenceInterval(0, 1, bad, 10, 10).has_value()) << bad;
  }
  EXPECT_FALSE(UnpairedDifferenceInterval(INFINITY, 1, 1, 10, 10).has_value());
}

Statistic Median() {
  return [](std::span<const double> values) { return Aggregate("median", values); };
}

TEST(ConfidenceInterval, BootstrapIsDeterministicAndPaired) {
  std::vector<double> a, b;
  for (int i = 0; i < 200; ++i) {
    a.push_back(i % 7);
    b.push_back(i % 7 + (i % 3 == 0 ? 1 : 0));
  }
  std::optional<Interval> first = PairedBootstrapInterval(a, b, Median());
  std::optional<Interval> second = PairedBootstrapInterval(a, b, Median());
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->low, second->low);
  EXPECT_EQ(first->high, second->high);
  EXPECT_EQ(first->estimate, *Aggregate("median", b) - *Aggregate("median", a));
  EXPECT_LE(first->low, first->estimate);
  EXPECT_GE(first->high, first->estimate);
  // Pinned: std::mt19937_64 from kBootstrapSeed is the same everywhere.
  EXPECT_EQ(first->low, 0);
  EXPECT_EQ(first->high, 1);
  // The same values on both sides: every replicate is 0.
  std::optional<Interval> same = PairedBootstrapInterval(a, a, Median());
  EXPECT_EQ(same->low, 0);
  EXPECT_EQ(same->high, 0);
  EXPECT_EQ(same->standard_error, 0);
}

TEST(ConfidenceInterval, BootstrapRefusesWhatItCannotResample) {
  EXPECT_FALSE(PairedBootstrapInterval(std::vector<double>{1}, std::vector<double>{1}, Median()).has_value());
  EXPECT_FALSE(PairedBootstrapInterval(std::vector<double>{1, 2}, std::vector<double>{1}, Median()).has_value());
  EXPECT_FALSE(PairedBootstrapInterval(std::vector<double>{1, NAN}, std::vector<double>{1, 2}, Median()).has_value());
}

}  // namespace
}  // namespace assay
