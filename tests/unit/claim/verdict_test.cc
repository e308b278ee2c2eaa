#include "claim/verdict.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "claim/confidence_interval.h"
#include "claim/score_recompute.h"
#include "verdict_fixtures.h"

namespace assay {
namespace {

using verdict_fixtures::BinaryRuns;
using verdict_fixtures::MeanMetric;
using verdict_fixtures::PairedRuns;
using verdict_fixtures::ScoredSample;

using verdict_fixtures::kInfinity;
using verdict_fixtures::kNaN;

MetricVerdict Aggregates(double claimed, std::optional<double> claimed_stderr, double reproduced,
                         std::optional<double> reproduced_stderr, VerdictOptions options = {}) {
  return CompareAggregates("acc,none", {claimed, claimed_stderr, std::nullopt},
                           {reproduced, reproduced_stderr, std::nullopt}, true, std::nullopt, options);
}

MetricVerdict Paired(const PairedRuns& runs, VerdictOptions options = {}) {
  return CompareMetric(MeanMetric(runs.claimed_mean, std::nullopt), runs.claimed,
                       MeanMetric(runs.reproduced_mean, std::nullopt), runs.reproduced, options);
}

TEST(Verdict, NamesRoundTrip) {
  for (VerdictKind kind : {VerdictKind::kReproduced, VerdictKind::kNotReproduced, VerdictKind::kInconclusive,
                           VerdictKind::kDifferentWeights}) {
    EXPECT_EQ(ParseVerdictKind(VerdictKindName(kind)), kind);
  }
  for (EvidenceTier tier :
       {EvidenceTier::kIdenticalOutputs, EvidenceTier::kSamePairedInputs, EvidenceTier::kAggregatesOnly}) {
    EXPECT_EQ(ParseEvidenceTier(EvidenceTierName(tier)), tier);
  }
  EXPECT_EQ(VerdictKindName(VerdictKind::kNotReproduced), "not reproduced");
  EXPECT_EQ(VerdictKindName(VerdictKind::kDifferentWeights), "different weights");
  EXPECT_EQ(EvidenceTierName(EvidenceTier::kSamePairedInputs), "same inputs");
  EXPECT_EQ(ParseVerdictKind("Reproduced"), std::nullopt);
  EXPECT_EQ(ParseEvidenceTier("paired"), std::nullopt);
  EXPECT_EQ(ParsePointScale(PointScaleName(PointScale::kMetricUnits)), PointScale::kMetricUnits);
  EXPECT_EQ(ParsePointScale("percent"), std::nullopt);
}

// An unpaired interval of half-width exactly 1 point: two standard errors s
// (as proportions) with 100 * z * sqrt(2) * s = 1.
constexpr double kUnitHalfWidthStderr = 1 / (100 * kNormalQuantile975 * 1.4142135623730951);

MetricVerdict WithDifference(double difference_points) {
  return Aggregates(0.5, kUnitHalfWidthStderr, 0.5 + difference_points / 100, kUnitHalfWidthStderr);
}

TEST(Verdict, IntervalTouchingTheMarginFromInsideIsReproduced) {
  MetricVerdict verdict = WithDifference(1);  // [0, 2]
  EXPECT_NEAR(*verdict.comparison->low, 0, 1e-12);
  EXPECT_NEAR(*verdict.comparison->high, 2, 1e-12);
  EXPECT_EQ(verdict.kind, VerdictKind::kReproduced) << verdict.reason;
  EXPECT_EQ(WithDifference(-1).kind, VerdictKind::kReproduced);       // [-2, 0]
  EXPECT_EQ(WithDifference(0.999).kind, VerdictKind::kReproduced);    // just inside
  EXPECT_EQ(WithDifference(1.001).kind, VerdictKind::kInconclusive);  // just outside: [0.001, 2.001]
  EXPECT_EQ(WithDifference(-1.001).kind, VerdictKind::kInconclusive);
}

TEST(Verdict, IntervalTouchingTheMarginFromOutsideIsInconclusive) {
  MetricVerdict verdict = WithDifference(3);  // [2, 4]: not wholly above +2
  EXPECT_NEAR(*verdict.comparison->low, 2, 1e-12);
  EXPECT_EQ(verdict.kind, VerdictKind::kInconclusive) << verdict.reason;
  EXPECT_EQ(WithDifference(-3).kind, VerdictKind::kInconclusive);
  EXPECT_EQ(WithDifference(3.001).kind, VerdictKind::kNotReproduced);  // just outside
  EXPECT_EQ(WithDifference(-3.001).kind, VerdictKind::kNotReproduced);
  EXPECT_EQ(WithDifference(2.999).kind, VerdictKind::kInconclusive);  // just inside
  EXPECT_EQ(WithDifference(3.001).reason,
            "aggregates only: the 95% interval [+2.00, +4.00] lies wholly above +2.00 points");
  EXPECT_EQ(WithDifference(-3.001).reason,
            "aggregates only: the 95% interval [-4.00, -2.00] lies wholly below -2.00 points");
  EXPECT_EQ(WithDifference(3).reason,
            "aggregates only: the 95% interval [+2.00, +4.00] is neither within ±2.00 points nor wholly outside");
}

TEST(Verdict, ExactDifferenceAtTheMarginIsReproduced) {
  // Identical outputs, rescored: exactly 2 points apart (2.0000000000000018 in doubles).
  PairedRuns runs = BinaryRuns(100, 45, 2, 0, /*identical_outputs=*/true);
  MetricVerdict verdict = Paired(runs);
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kIdenticalOutputs);
  EXPECT_EQ(verdict.kind, VerdictKind::kReproduced) << verdict.reason;
  EXPECT_EQ(verdict.comparison->low, verdict.comparison->high);
  EXPECT_EQ(verdict.reason,
            "identical outputs on all 100 samples: the difference is exactly -2.00 points, within ±2.00");
  // One more sample apart: 3 points, exactly, beyond the margin.
  verdict = Paired(BinaryRuns(100, 45, 3, 0, true));
  EXPECT_EQ(verdict.kind, VerdictKind::kNotReproduced);
  // Just beyond: 2.1 points.
  verdict =
      CompareMetric(MeanMetric(0.47, std::nullopt), runs.claimed, MeanMetric(0.449, std::nullopt), runs.reproduced, {});
  EXPECT_EQ(verdict.kind, VerdictKind::kNotReproduced) << verdict.reason;
}

TEST(Verdict, TheDifferenceIsSignedInTheMetricsDirection) {
  // Mean absolute error, lower is better: the reproducer's 20 is 10 worse.
  MetricVerdict verdict = CompareAggregates("mae,none", {10, 0.5, 100}, {20, 0.5, 100}, false, std::nullopt, {});
  EXPECT_EQ(verdict.comparison->scale, PointScale::kMetricUnits);
  EXPECT_FALSE(verdict.comparison->higher_is_better);
  EXPECT_EQ(verdict.comparison->claimed_points, 10);
  EXPECT_EQ(verdict.comparison->reproduced_points, 20);
  EXPECT_EQ(verdict.comparison->difference_points, -10);
  EXPECT_LT(*verdict.comparison->high, -2);
  EXPECT_EQ(verdict.kind, VerdictKind::kNotReproduced);
  EXPECT_NEAR(*verdict.comparison->difference_in_stderrs, -10 / std::sqrt(0.5), 1e-12);

  // Paired, lower is better: the reproduction's errors are smaller, so positive.
  std::vector<EvalSample> claimed, reproduced;
  for (int i = 0; i < 50; ++i) {
    std::string id = std::to_string(i);
    claimed.push_back(ScoredSample(id, 10 + i % 3, "c" + id, "mae,none"));
    reproduced.push_back(ScoredSample(id, 6 + i % 2, "r" + id, "mae,none"));
  }
  double claimed_sum = 0, reproduced_sum = 0;
  for (int i = 0; i < 50; ++i) {
    claimed_sum += 10 + i % 3;
    reproduced_sum += 6 + i % 2;
  }
  EvalMetric claimed_metric = MeanMetric(claimed_sum / 50, std::nullopt, "mae,none", false);
  EvalMetric reproduced_metric = MeanMetric(reproduced_sum / 50, std::nullopt, "mae,none", false);
  verdict = CompareMetric(claimed_metric, claimed, reproduced_metric, reproduced, {});
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kSamePairedInputs) << verdict.reason;
  EXPECT_NEAR(verdict.comparison->difference_points, claimed_metric.value - reproduced_metric.value, 1e-12);
  EXPECT_GT(*verdict.comparison->low, 2);
  EXPECT_EQ(verdict.kind, VerdictKind::kNotReproduced);  // better by more than the margin is not reproduced either
}

TEST(Verdict, DirectionFallsBackToTheReproductionThenToHigherIsBetter) {
  EvalMetric claimed = MeanMetric(0.5, 0.01), reproduced = MeanMetric(0.6, 0.01);
  claimed.higher_is_better = std::nullopt;
  reproduced.higher_is_better = false;
  MetricVerdict verdict = CompareMetric(claimed, {}, reproduced, {}, {});
  EXPECT_FALSE(verdict.comparison->higher_is_better);
  EXPECT_NEAR(verdict.comparison->difference_points, -10, 1e-12);
  reproduced.higher_is_better = std::nullopt;
  verdict = CompareMetric(claimed, {}, reproduced, {}, {});
  EXPECT_TRUE(verdict.comparison->higher_is_better);
  EXPECT_EQ(verdict.reason.rfind("direction unknown, taken as higher is better; aggregates only", 0), 0u)
      << verdict.reason;
}

TEST(Verdict, SameInputsGivePairedInterval) {
  // 14,000 samples, 0.700 claimed, 0.705 reproduced: 200 answers got worse, 270 better.
  PairedRuns runs = BinaryRuns(14000, 9600, 200, 270);
  MetricVerdict verdict = Paired(runs);
  const ScoreComparison& comparison = *verdict.comparison;
  EXPECT_EQ(comparison.tier, EvidenceTier::kSamePairedInputs);
  EXPECT_EQ(comparison.paired_samples, 14000u);
  EXPECT_EQ(comparison.scale, PointScale::kProportion);
  EXPECT_NEAR(comparison.difference_points, 0.5, 1e-12);
  // Python, with t(0.975, 13999) from Simpson integration.
  EXPECT_NEAR(*comparison.low, 0.19656876775992096, 1e-9);
  EXPECT_NEAR(*comparison.high, 0.8034312322400791, 1e-9);
  EXPECT_NEAR(*comparison.difference_in_stderrs, 3.229946773375947, 1e-9);
  EXPECT_EQ(verdict.kind, VerdictKind::kReproduced);
  EXPECT_EQ(verdict.reason, "14000 samples paired by input: the 95% interval [+0.20, +0.80] lies within ±2.00 points");
}

TEST(Verdict, PairedTierWithEveryPairAgreeingIsExactlyZeroWide) {
  MetricVerdict verdict = Paired(BinaryRuns(20, 9, 0, 0));
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kSamePairedInputs);
  EXPECT_EQ(*verdict.comparison->low, 0);
  EXPECT_EQ(*verdict.comparison->high, 0);
  EXPECT_FALSE(verdict.comparison->difference_in_stderrs.has_value());
  EXPECT_EQ(verdict.kind, VerdictKind::kReproduced);
}

TEST(Verdict, OnePairGivesNoInterval) {
  MetricVerdict verdict = Paired(BinaryRuns(1, 1, 0, 0));
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kSamePairedInputs);
  EXPECT_EQ(verdict.kind, VerdictKind::kInconclusive);
  EXPECT_FALSE(verdict.comparison->low.has_value());
  EXPECT_EQ(verdict.reason, "1 samples paired by input: no interval from fewer than two finite pairs");
}

TEST(Verdict, IdenticalOutputsAreExact) {
  PairedRuns runs = BinaryRuns(1000, 792, 0, 0, true);
  MetricVerdict verdict = Paired(runs);
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kIdenticalOutputs);
  EXPECT_EQ(verdict.comparison->paired_samples, 1000u);
  EXPECT_EQ(verdict.comparison->difference_points, 0);
  EXPECT_EQ(verdict.comparison->low, 0);
  EXPECT_EQ(verdict.comparison->high, 0);
  EXPECT_FALSE(verdict.comparison->difference_in_stderrs.has_value());
  EXPECT_EQ(verdict.kind, VerdictKind::kReproduced);
  // One output differs: no longer identical, still the same inputs.
  runs.reproduced[500].output_digest = verdict_fixtures::DigestOf("other");
  EXPECT_EQ(Paired(runs).comparison->tier, EvidenceTier::kSamePairedInputs);
  // An empty output digest is unknown, never equal.
  runs = BinaryRuns(10, 5, 0, 0, true);
  for (auto* side : {&runs.claimed, &runs.reproduced}) {
    for (EvalSample& sample : *side) sample.output_digest.clear();
  }
  EXPECT_EQ(Paired(runs).comparison->tier, EvidenceTier::kSamePairedInputs);
}

TEST(Verdict, PartialPairingFallsBackToAggregates) {
  PairedRuns runs = BinaryRuns(1000, 700, 0, 0);
  runs.reproduced.resize(980);  // the reproducer's run stopped early
  EvalMetric claimed = MeanMetric(0.7, 0.0145), reproduced = MeanMetric(700.0 / 980, 0.0146);
  MetricVerdict verdict = CompareMetric(claimed, runs.claimed, reproduced, runs.reproduced, {});
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kAggregatesOnly);
  EXPECT_EQ(verdict.comparison->paired_samples, 0u);
  EXPECT_EQ(verdict.reason.rfind("aggregates only (980 of 1000 claimed samples pair by id and input digest with "
                                 "the reproduction's 980): the 95% interval",
                                 0),
            0u)
      << verdict.reason;

  // Inputs that differ (another prompt template) do not pair either.
  runs = BinaryRuns(100, 70, 0, 0);
  for (int i = 0; i < 100; i += 2) runs.reproduced[i].input_digest = verdict_fixtures::DigestOf("other prompt");
  verdict = CompareMetric(MeanMetric(0.7, 0.046), runs.claimed, MeanMetric(0.7, 0.046), runs.reproduced, {});
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kAggregatesOnly);
  EXPECT_NE(verdict.reason.find("50 of 100 claimed samples pair"), std::string::npos) << verdict.reason;

  // The reproducer ran more samples than the claim covers: different sets.
  runs = BinaryRuns(100, 70, 0, 0);
  runs.reproduced.push_back(ScoredSample("100/none", 1, "x"));
  verdict = CompareMetric(MeanMetric(0.7, 0.046), runs.claimed, MeanMetric(71.0 / 101, 0.046), runs.reproduced, {});
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kAggregatesOnly);
  EXPECT_NE(verdict.reason.find("100 of 100 claimed samples pair by id and input digest with the reproduction's 101"),
            std::string::npos)
      << verdict.reason;

  // A repeated id makes pairing ambiguous.
  runs = BinaryRuns(10, 7, 0, 0);
  runs.claimed[3].id = runs.claimed[2].id;
  verdict = CompareMetric(MeanMetric(0.7, 0.15), runs.claimed, MeanMetric(0.7, 0.15), runs.reproduced, {});
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kAggregatesOnly);
  EXPECT_NE(verdict.reason.find("sample id '2/none' repeats in the claim"), std::string::npos) << verdict.reason;

  // No samples on one side.
  verdict = CompareMetric(MeanMetric(0.7, 0.15), runs.claimed, MeanMetric(0.7, 0.15), {}, {});
  EXPECT_EQ(verdict.reason.rfind("aggregates only (the reproduction has no samples): ", 0), 0u) << verdict.reason;
}

TEST(Verdict, AnUnsupportedClaimIsNotPaired) {
  // The claim says 0.899; its own samples average to 0.792.
  PairedRuns runs = BinaryRuns(1000, 792, 0, 0);
  MetricVerdict verdict =
      CompareMetric(MeanMetric(0.899, 0.009533), runs.claimed, MeanMetric(0.792, 0.012841), runs.reproduced, {});
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kAggregatesOnly);
  EXPECT_EQ(verdict.kind, VerdictKind::kNotReproduced);
  EXPECT_NE(verdict.reason.find("(the claim: per-sample 'acc,none' values of 1000 samples average to 0.792 "
                                "(79.2 points), not the 0.899 (89.9 points) the log reports)"),
            std::string::npos)
      << verdict.reason;
}

TEST(Verdict, AggregatesThatAreNotMeansUseTheSeededBootstrap) {
  std::vector<EvalSample> claimed, reproduced;
  std::vector<double> a, b;
  for (int i = 0; i < 300; ++i) {
    std::string id = std::to_string(i);
    a.push_back(100 + i % 17);
    b.push_back(100 + (i * 7) % 17 + (i % 5 == 0 ? 1 : 0));
    claimed.push_back(ScoredSample(id, a.back(), "c", "tokens,none"));
    reproduced.push_back(ScoredSample(id, b.back(), "r", "tokens,none"));
  }
  auto metric = [](double value) {
    EvalMetric m = MeanMetric(value, std::nullopt, "tokens,none");
    m.aggregation = "median";
    return m;
  };
  MetricVerdict verdict =
      CompareMetric(metric(*Aggregate("median", a)), claimed, metric(*Aggregate("median", b)), reproduced, {});
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kSamePairedInputs) << verdict.reason;
  EXPECT_EQ(verdict.comparison->scale, PointScale::kMetricUnits);
  ASSERT_TRUE(verdict.comparison->low.has_value());
  EXPECT_LE(*verdict.comparison->low, verdict.comparison->difference_points);
  EXPECT_GE(*verdict.comparison->high, verdict.comparison->difference_points);
  MetricVerdict again =
      CompareMetric(metric(*Aggregate("median", a)), claimed, metric(*Aggregate("median", b)), reproduced, {});
  EXPECT_EQ(again.comparison->low, verdict.comparison->low);
  EXPECT_EQ(again.comparison->high, verdict.comparison->high);

  // lm-eval's "median" (the middle element of the unsorted list) does not
  // recompute, so the comparison falls back to the aggregates.
  verdict = CompareMetric(metric(a[150]), claimed, metric(b[150]), reproduced, {});
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kAggregatesOnly);
  // An aggregation assay cannot compute at all.
  EvalMetric f1 = metric(0.5), f1_reproduced = metric(0.5);
  f1.aggregation = f1_reproduced.aggregation = "f1";
  verdict = CompareMetric(f1, claimed, f1_reproduced, reproduced, {});
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kAggregatesOnly);
  EXPECT_NE(verdict.reason.find("aggregation 'f1' is not a mean"), std::string::npos);
}

TEST(Verdict, UnknownUncertaintyIsInconclusiveNeverReproduced) {
  for (std::optional<double> unknown :
       {std::optional<double>(), std::optional<double>(0.0), std::optional<double>(kNaN), std::optional<double>(-0.01),
        std::optional<double>(kInfinity)}) {
    // Equal values with no usable standard error: still not "reproduced".
    MetricVerdict verdict = Aggregates(0.5, unknown, 0.5, 0.01);
    EXPECT_EQ(verdict.kind, VerdictKind::kInconclusive) << verdict.reason;
    EXPECT_FALSE(verdict.comparison->low.has_value());
    EXPECT_FALSE(verdict.comparison->difference_in_stderrs.has_value());
    EXPECT_EQ(Aggregates(0.5, 0.01, 0.5, unknown).kind, VerdictKind::kInconclusive);
    EXPECT_EQ(Aggregates(0.9, unknown, 0.5, unknown).kind, VerdictKind::kInconclusive);
  }
  EXPECT_EQ(Aggregates(0.302, std::nullopt, 0.302, 0.01).reason,
            "aggregates only: the claim gives no standard error: uncertainty unknown");
  EXPECT_EQ(Aggregates(0.302, 0.01, 0.302, 0.0).reason,
            "aggregates only: the reproduction gives a standard error of 0: uncertainty unknown");
}

TEST(Verdict, NonFiniteValuesAreInconclusive) {
  MetricVerdict verdict = Aggregates(kNaN, 0.01, 0.5, 0.01);
  EXPECT_EQ(verdict.kind, VerdictKind::kInconclusive);
  EXPECT_EQ(verdict.reason, "aggregates only: the claimed value is NaN: no finite difference");
  verdict = CompareAggregates("mae,none", {kInfinity, std::nullopt, 24}, {kInfinity, std::nullopt, 24}, false,
                              std::nullopt, {});
  EXPECT_EQ(verdict.kind, VerdictKind::kInconclusive);
  EXPECT_EQ(verdict.comparison->scale, PointScale::kMetricUnits);
  verdict = Aggregates(0.5, 0.01, kInfinity, 0.01);
  EXPECT_EQ(verdict.reason, "aggregates only: the reproduced value is Infinity: no finite difference");
  // Identical outputs do not make an infinite score comparable either.
  PairedRuns runs = BinaryRuns(10, 5, 0, 0, true);
  verdict = CompareMetric(MeanMetric(kInfinity, std::nullopt), runs.claimed, MeanMetric(kInfinity, std::nullopt),
                          runs.reproduced, {});
  EXPECT_EQ(verdict.kind, VerdictKind::kInconclusive);
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kIdenticalOutputs);
}

TEST(Verdict, TheMarginIsSettableAndRecorded) {
  // [+2, +4]: inconclusive at the default 2 points, reproduced at 4, not reproduced at 1.
  auto with_margin = [](double margin) {
    return Aggregates(0.5, kUnitHalfWidthStderr, 0.53, kUnitHalfWidthStderr, {.margin = margin});
  };
  EXPECT_EQ(WithDifference(3).margin, kDefaultMarginPoints);
  EXPECT_EQ(with_margin(4).kind, VerdictKind::kReproduced);
  EXPECT_EQ(with_margin(4).margin, 4);
  EXPECT_EQ(with_margin(4).reason, "aggregates only: the 95% interval [+2.00, +4.00] lies within ±4.00 points");
  EXPECT_EQ(with_margin(1).kind, VerdictKind::kNotReproduced);
  EXPECT_EQ(with_margin(0).kind, VerdictKind::kNotReproduced);
}

TEST(Verdict, ABadMarginIsRefused) {
  EXPECT_TRUE(CheckMargin(0).ok());
  EXPECT_TRUE(CheckMargin(2.5).ok());
  Status status = CheckMargin(-1);
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(status.message(), "margin must be a finite number of points >= 0, not -1");
  EXPECT_FALSE(CheckMargin(kNaN).ok());
  EXPECT_FALSE(CheckMargin(kInfinity).ok());
  MetricVerdict verdict = Paired(BinaryRuns(100, 50, 0, 0, true), {.margin = kNaN});
  EXPECT_EQ(verdict.kind, VerdictKind::kInconclusive);
  EXPECT_EQ(verdict.reason, "margin must be a finite number of points >= 0, not NaN");
  EXPECT_EQ(Aggregates(0.5, 0.01, 0.5, 0.01, {.margin = -2}).kind, VerdictKind::kInconclusive);
}

TEST(Verdict, DifferentWeightsCompareNoScores) {
  MetricVerdict verdict = DifferentWeightsVerdict("acc,none", "9c1e", "3f2a", {.margin = 3});
  EXPECT_EQ(verdict.kind, VerdictKind::kDifferentWeights);
  EXPECT_FALSE(verdict.comparison.has_value());
  EXPECT_EQ(verdict.metric, "acc,none");
  EXPECT_EQ(verdict.margin, 3);
  EXPECT_EQ(verdict.reason, "the reproduction ran on weights root 3f2a, the claim binds 9c1e: no score comparison");
}

TEST(Verdict, ScaleIsPointsForProportionsAndUnitsOtherwise) {
  MetricVerdict proportion = Aggregates(0.792, 0.01, 0.899, 0.01);
  EXPECT_EQ(proportion.comparison->scale, PointScale::kProportion);
  EXPECT_DOUBLE_EQ(proportion.comparison->claimed_points, 79.2);
  EXPECT_DOUBLE_EQ(proportion.comparison->reproduced_points, 89.9);
  // A score already on 0-100 stays as it is.
  MetricVerdict units = CompareAggregates("bleu", {31.5, 0.4, 500}, {30.1, 0.4, 500}, true, std::nullopt, {});
  EXPECT_EQ(units.comparison->scale, PointScale::kMetricUnits);
  EXPECT_NEAR(units.comparison->difference_points, -1.4, 1e-12);
  // Per-sample values outside [0, 1] make a metric whose means lie inside it metric units.
  PairedRuns runs = BinaryRuns(10, 5, 0, 0);
  runs.claimed[0].metrics["acc,none"] = 2;
  MetricVerdict mixed = CompareMetric(MeanMetric(0.6, 0.1), runs.claimed, MeanMetric(0.5, 0.1), runs.reproduced, {});
  EXPECT_EQ(mixed.comparison->scale, PointScale::kMetricUnits);
  // A recorded scale is used as recorded.
  MetricVerdict recorded =
      CompareAggregates("acc,none", {0.6, 0.1, 10}, {0.5, 0.1, 10}, true, PointScale::kMetricUnits, {});
  EXPECT_DOUBLE_EQ(recorded.comparison->difference_points, -0.1);
}

TEST(Verdict, RowsOfOtherFiltersDoNotBreakPairing) {
  std::vector<EvalSample> claimed, reproduced;
  for (int doc = 0; doc < 30; ++doc) {
    for (std::string filter : {"strict-match", "flexible-extract"}) {
      std::string id = std::to_string(doc) + "/" + filter, key = "exact_match," + filter;
      claimed.push_back(ScoredSample(id, doc % 2, "c" + id, key));
      reproduced.push_back(ScoredSample(id, doc % 2, "r" + id, key));
    }
  }
  MetricVerdict verdict = CompareMetric(MeanMetric(0.5, std::nullopt, "exact_match,strict-match"), claimed,
                                        MeanMetric(0.5, std::nullopt, "exact_match,strict-match"), reproduced, {});
  EXPECT_EQ(verdict.comparison->tier, EvidenceTier::kSamePairedInputs) << verdict.reason;
  EXPECT_EQ(verdict.comparison->paired_samples, 30u);
  EXPECT_EQ(verdict.kind, VerdictKind::kReproduced);
}

TEST(Verdict, AggregatesWithSampleCountsUseWelch) {
  // The real negotiationtom_belief stderr (n 20) on both sides: t with 38 degrees.
  MetricVerdict verdict = CompareAggregates("acc,none", {0.45, 0.11413288653790232, 20},
                                            {0.55, 0.11413288653790232, 20}, true, std::nullopt, {});
  double half = StudentTQuantile975(38) * 100 * 0.11413288653790232 * std::sqrt(2.0);
  EXPECT_NEAR(*verdict.comparison->low, 10 - half, 1e-9);
  EXPECT_NEAR(*verdict.comparison->high, 10 + half, 1e-9);
  EXPECT_EQ(verdict.kind, VerdictKind::kInconclusive);
}

TEST(Verdict, AnAggregatesVerdictRecomputesFromTheRecord) {
  PairedRuns runs = BinaryRuns(500, 350, 0, 0);
  runs.reproduced.resize(400);  // partial: aggregates only
  EvalMetric claimed = MeanMetric(0.7, 0.0205), reproduced = MeanMetric(350.0 / 400, 0.0166);
  MetricVerdict original = CompareMetric(claimed, runs.claimed, reproduced, runs.reproduced, {});
  ASSERT_EQ(original.comparison->tier, EvidenceTier::kAggregatesOnly);
  ReportedScore claimed_record = ReportedScoreOf(claimed, runs.claimed);
  ReportedScore reproduced_record = ReportedScoreOf(reproduced, runs.reproduced);
  EXPECT_EQ(claimed_record.n, 500u);
  EXPECT_EQ(reproduced_record.n, 400u);
  MetricVerdict again = CompareAggregates(original.metric, claimed_record, reproduced_record,
                                          original.comparison->higher_is_better, original.comparison->scale, {});
  EXPECT_EQ(again.kind, original.kind);
  EXPECT_EQ(again.comparison->low, original.comparison->low);
  EXPECT_EQ(again.comparison->high, original.comparison->high);
  EXPECT_EQ(again.comparison->difference_points, original.comparison->difference_points);
  EXPECT_EQ(again.comparison->difference_in_stderrs, original.comparison->difference_in_stderrs);
}

}  // namespace
}  // namespace assay
