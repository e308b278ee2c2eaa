#include "claim/score_recompute.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "test_support.h"
#include "verdict_fixtures.h"

namespace assay {
namespace {

using verdict_fixtures::BinaryRuns;
using verdict_fixtures::MeanMetric;
using verdict_fixtures::ScoredSample;

using verdict_fixtures::kInfinity;
using verdict_fixtures::kNaN;

std::vector<EvalSample> SamplesWithValues(const std::vector<double>& values, const std::string& key = "acc,none") {
  std::vector<EvalSample> samples;
  for (size_t i = 0; i < values.size(); ++i) {
    samples.push_back(ScoredSample(std::to_string(i) + "/none", values[i], "answer", key));
  }
  return samples;
}

// 9 of 20 right: the real negotiationtom_belief run (lm-eval 0.4.13, Qwen3-8B,
// limit 20), whose results file reports acc 0.45 and acc_stderr 0.11413288653790232.
std::vector<double> NegotiationTomBelief() { return {0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}; }

TEST(ScoreRecompute, MeanAndStandardErrorMatchTheHarness) {
  ScoreRecomputation result =
      RecomputeScore(MeanMetric(0.45, 0.11413288653790232), SamplesWithValues(NegotiationTomBelief()));
  ASSERT_TRUE(result.recomputed) << result.why_not;
  EXPECT_EQ(result.n, 20u);
  EXPECT_EQ(result.value, 0.45);
  ASSERT_TRUE(result.stderr_value.has_value());
  EXPECT_NEAR(*result.stderr_value, 0.11413288653790232, 1e-16);
  EXPECT_TRUE(result.value_matches);
  EXPECT_EQ(result.stderr_matches, true);
  EXPECT_TRUE(result.supported());
  EXPECT_EQ(result.value_mismatch, "");
}

// The same check on the real files, read directly (not through the eval log
// readers): the per-sample "acc" of each row and the results file's numbers.
TEST(ScoreRecompute, RealLmEvalRunRecomputes) {
  ASSAY_REQUIRE_REALDATA();
  std::string folder = testing::RealDataDir() + "/eval/";
  std::ifstream rows(folder + "lm-evaluation-harness__samples_negotiationtom_belief_2026-07-08T16-04-34.219874.jsonl");
  ASSERT_TRUE(rows) << "samples file missing";
  std::vector<EvalSample> samples;
  for (std::string line; std::getline(rows, line);) {
    nlohmann::json row = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(row.is_discarded());
    std::string id = std::to_string(row["doc_id"].get<int>()) + "/" + row["filter"].get<std::string>();
    samples.push_back(ScoredSample(id, row["acc"].get<double>(), row["resps"].dump()));
  }
  nlohmann::json results = nlohmann::json::parse(
      testing::ReadFileOrDie(folder + "lm-evaluation-harness__results_2026-07-08T16-04-34.219874.json"), nullptr,
      false);
  ASSERT_FALSE(results.is_discarded());
  const nlohmann::json& task = results["results"]["negotiationtom_belief"];
  EvalMetric metric = MeanMetric(task["acc,none"].get<double>(), task["acc_stderr,none"].get<double>());

  ScoreRecomputation result = RecomputeScore(metric, samples);
  ASSERT_TRUE(result.recomputed) << result.why_not;
  EXPECT_EQ(result.n, 20u);
  EXPECT_TRUE(result.value_matches) << result.value_mismatch;
  EXPECT_EQ(result.stderr_matches, true) << result.stderr_mismatch;
  EXPECT_NEAR(*result.stderr_value, 0.11413288653790232, 1e-16);
}

TEST(ScoreRecompute, RefusesAClaimTheSamplesDoNotSupport) {
  // 792 of 1000 right, but the log says 0.899: the example.
  auto runs = BinaryRuns(1000, 792, 0, 0);
  ScoreRecomputation result = RecomputeScore(MeanMetric(0.899, 0.0095), runs.claimed);
  ASSERT_TRUE(result.recomputed);
  EXPECT_EQ(result.value, 0.792);
  EXPECT_FALSE(result.value_matches);
  EXPECT_FALSE(result.supported());
  EXPECT_EQ(result.value_mismatch,
            "per-sample 'acc,none' values of 1000 samples average to 0.792 (79.2 points), "
            "not the 0.899 (89.9 points) the log reports");
}

TEST(ScoreRecompute, AMismatchTooSmallForSixDigitsStillShowsTwoNumbers) {
  ScoreRecomputation result = RecomputeScore(MeanMetric(0.7920001, std::nullopt), BinaryRuns(1000, 792, 0, 0).claimed);
  EXPECT_FALSE(result.value_matches);
  EXPECT_EQ(result.value_mismatch,
            "per-sample 'acc,none' values of 1000 samples average to 0.792 (79.2 points), "
            "not the 0.7920001 (79.20001 points) the log reports");
}

TEST(ScoreRecompute, SummationOrderIsNotAMismatch) {
  // Python's sum(arr) / len(arr) over 100,000 values of 0.1 gives
  // 0.10000000000018848; the exact mean of the doubles is 0.1.
  std::vector<double> values(100000, 0.1);
  double naive = 0;
  for (double v : values) naive += v;
  naive /= static_cast<double>(values.size());
  EXPECT_EQ(naive, 0.10000000000018848);
  ScoreRecomputation result = RecomputeScore(MeanMetric(naive, std::nullopt), SamplesWithValues(values));
  EXPECT_TRUE(result.value_matches) << result.value_mismatch;
  EXPECT_EQ(result.value, 0.1);
  // One part in a million is not rounding.
  EXPECT_FALSE(RecomputeScore(MeanMetric(0.1000001, std::nullopt), SamplesWithValues(values)).value_matches);
}

TEST(ScoreRecompute, AnAggregateThatIsNotAMeanIsNotRecomputed) {
  EvalMetric f1 = MeanMetric(0.30188679245283023, std::nullopt, "micro_f1,none");
  f1.aggregation = "f1";
  ScoreRecomputation result = RecomputeScore(f1, SamplesWithValues({1, 0}, "micro_f1,none"));
  EXPECT_FALSE(result.recomputed);
  EXPECT_EQ(result.why_not,
            "aggregation 'f1' is not a mean of per-sample values, nor another aggregate assay recomputes");
}

TEST(ScoreRecompute, NoPerSampleValues) {
  EXPECT_EQ(RecomputeScore(MeanMetric(0.5, 0.1), {}).why_not, "no per-sample values for 'acc,none'");
  EXPECT_EQ(RecomputeScore(MeanMetric(0.5, 0.1), SamplesWithValues({1, 0}, "acc_norm,none")).why_not,
            "no per-sample values for 'acc,none'");
  EvalMetric keyless = MeanMetric(0.5, 0.1);
  keyless.per_sample_key = "";
  EXPECT_EQ(RecomputeScore(keyless, SamplesWithValues({1, 0})).why_not, "no per-sample values for 'acc,none'");
}

TEST(ScoreRecompute, SamplesLackingTheKeyMakeItNotRecomputable) {
  std::vector<EvalSample> samples = SamplesWithValues(std::vector<double>(100, 1));
  for (int i : {17, 40, 99}) {
    samples[i].metrics.clear();
    samples[i].metrics["acc_norm,none"] = 1;
  }
  ScoreRecomputation result = RecomputeScore(MeanMetric(1, 0), samples);
  EXPECT_FALSE(result.recomputed);
  EXPECT_EQ(result.why_not, "3 of 100 samples lack 'acc,none' (first: 17/none)");
}

TEST(ScoreRecompute, RowsOfAnotherFilterAreNotTheMetricsSamples) {
  // gsm8k writes one row per document and filter.
  std::vector<EvalSample> samples;
  for (int doc = 0; doc < 4; ++doc) {
    samples.push_back(
        ScoredSample(std::to_string(doc) + "/strict-match", doc < 1 ? 1 : 0, "a", "exact_match,strict-match"));
    samples.push_back(
        ScoredSample(std::to_string(doc) + "/flexible-extract", doc < 3 ? 1 : 0, "a", "exact_match,flexible-extract"));
  }
  ScoreRecomputation strict = RecomputeScore(MeanMetric(0.25, std::nullopt, "exact_match,strict-match"), samples);
  ASSERT_TRUE(strict.recomputed) << strict.why_not;
  EXPECT_EQ(strict.n, 4u);
  EXPECT_TRUE(strict.value_matches);
  ScoreRecomputation flexible = RecomputeScore(MeanMetric(0.75, std::nullopt, "exact_match,flexible-extract"), samples);
  EXPECT_EQ(flexible.n, 4u);
  EXPECT_TRUE(flexible.value_matches);
}

// The real polymer_tg_prediction run (lm-eval 0.4.8): 16 of 24 answers could
// not be parsed, so their mae is Infinity, the reported mae is Infinity and
// its stderr NaN.
std::vector<double> PolymerMae() {
  return {kInfinity,  259.6069226, kInfinity,   kInfinity,     kInfinity, kInfinity,   kInfinity,    kInfinity,
          238.413054, kInfinity,   140.4411622, 175.526682925, kInfinity, 144.0828985, 103.42511779, kInfinity,
          kInfinity,  246.8012872, kInfinity,   kInfinity,     kInfinity, kInfinity,   kInfinity,    kInfinity};
}

TEST(ScoreRecompute, InfinityMatchesAMeanContainingInfinity) {
  EvalMetric mae = MeanMetric(kInfinity, std::nullopt, "mae,none", false);
  ScoreRecomputation result = RecomputeScore(mae, SamplesWithValues(PolymerMae(), "mae,none"));
  ASSERT_TRUE(result.recomputed);
  EXPECT_EQ(result.value, kInfinity);
  EXPECT_TRUE(result.value_matches);
  EXPECT_FALSE(result.stderr_value.has_value());  // the harness's is NaN
  EXPECT_FALSE(result.stderr_matches.has_value());

  mae.value = 150;
  result = RecomputeScore(mae, SamplesWithValues(PolymerMae(), "mae,none"));
  EXPECT_FALSE(result.value_matches);
  EXPECT_EQ(result.value_mismatch,
            "per-sample 'mae,none' values of 24 samples average to Infinity, not the 150 the log reports");
  // Opposite infinities make NaN, as in Python.
  EXPECT_TRUE(std::isnan(RecomputeScore(mae, SamplesWithValues({kInfinity, -kInfinity}, "mae,none")).value));
}

TEST(ScoreRecompute, NaNNeverMatchesANumber) {
  EXPECT_FALSE(RecomputeScore(MeanMetric(kNaN, std::nullopt), SamplesWithValues({1, 0})).value_matches);
  ScoreRecomputation result = RecomputeScore(MeanMetric(0.5, std::nullopt), SamplesWithValues({1, kNaN}));
  EXPECT_TRUE(std::isnan(result.value));
  EXPECT_FALSE(result.value_matches);
  EXPECT_EQ(result.value_mismatch,
            "per-sample 'acc,none' values of 2 samples average to NaN, not the 0.5 (50 points) the log reports");
  // A NaN the samples produce is the NaN the log reports.
  EXPECT_TRUE(RecomputeScore(MeanMetric(kNaN, std::nullopt), SamplesWithValues({1, kNaN})).value_matches);
}

TEST(ScoreRecompute, AStandardErrorMismatchIsReportedButDoesNotUnsupportTheValue) {
  ScoreRecomputation result = RecomputeScore(MeanMetric(0.45, 0.2), SamplesWithValues(NegotiationTomBelief()));
  EXPECT_TRUE(result.supported());
  EXPECT_EQ(result.stderr_matches, false);
  EXPECT_EQ(result.stderr_mismatch,
            "per-sample 'acc,none' values give standard error 0.114133, not the 0.2 the log reports");
}

TEST(ScoreRecompute, OneSampleHasNoStandardError) {
  ScoreRecomputation result = RecomputeScore(MeanMetric(1, 0), SamplesWithValues({1}));
  EXPECT_TRUE(result.supported());
  EXPECT_FALSE(result.stderr_value.has_value());
  EXPECT_FALSE(result.stderr_matches.has_value());
  EXPECT_FALSE(MeanStandardError(std::vector<double>{}).has_value());
  // Equal values: a standard error of exactly 0, which the log's 0 matches.
  result = RecomputeScore(MeanMetric(0.3, 0), SamplesWithValues(std::vector<double>(7, 0.3)));
  EXPECT_EQ(result.stderr_value, 0.0);
  EXPECT_EQ(result.stderr_matches, true);
}

TEST(ScoreRecompute, OtherAggregatesAssayComputes) {
  std::vector<double> values = {3, 1, 4, 1, 5, 9};
  EXPECT_EQ(Aggregate("median", values), 3.5);
  EXPECT_EQ(Aggregate("median", std::vector<double>{3, 1, 4}), 3);
  EXPECT_EQ(Aggregate("nanmean", std::vector<double>{1, kNaN, 2}), 1.5);
  EXPECT_TRUE(std::isnan(*Aggregate("nanmean", std::vector<double>{kNaN})));
  EXPECT_DOUBLE_EQ(*Aggregate("perplexity", std::vector<double>{-1, -2}), std::exp(1.5));
  EXPECT_FALSE(Aggregate("bleu", values).has_value());
  EXPECT_FALSE(Aggregate("mean", std::vector<double>{}).has_value());

  EvalMetric median = MeanMetric(3.5, std::nullopt, "len,none");
  median.aggregation = "median";
  ScoreRecomputation result = RecomputeScore(median, SamplesWithValues(values, "len,none"));
  EXPECT_TRUE(result.supported());
  EXPECT_FALSE(result.stderr_value.has_value());  // harnesses bootstrap these
  median.value = 4;
  result = RecomputeScore(median, SamplesWithValues(values, "len,none"));
  EXPECT_EQ(result.value_mismatch,
            "per-sample 'len,none' values of 6 samples give median 3.5, not the 4 the log reports");
}

}  // namespace
}  // namespace assay
