#include "claim/epoch_reducers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace assay {
namespace {

// Expected values computed in Python with the formulas of
// inspect_ai/scorer/_reducer/reducer.py (statistics.median, Counter.most_common,
// pass_at's product in numpy's order, math.comb).

TEST(EpochReducers, EachReducerAsInspectComputesIt) {
  const std::vector<double> epochs = {1.0, 0.0, 0.0, 1.0, 0.0};
  EXPECT_DOUBLE_EQ(*ReduceEpochs("mean", epochs), 0.4);
  EXPECT_EQ(*ReduceEpochs("median", epochs), 0.0);
  EXPECT_EQ(*ReduceEpochs("max", epochs), 1.0);
  EXPECT_EQ(*ReduceEpochs("mode", epochs), 0.0);
  EXPECT_EQ(*ReduceEpochs("at_least_2", epochs), 1.0);
  EXPECT_EQ(*ReduceEpochs("at_least_3", epochs), 0.0);
  EXPECT_EQ(*ReduceEpochs("pass_at_2", epochs), 0.7);
  EXPECT_EQ(*ReduceEpochs("pass_at_1", epochs), 0.3999999999999999);  // numpy's product, not the exact 0.4
  EXPECT_EQ(*ReduceEpochs("pass_at_4", epochs), 1.0);                 // fewer than 4 failures
  EXPECT_EQ(*ReduceEpochs("pass_k_2", epochs), 0.1);                  // C(2,2) / C(5,2)
  EXPECT_EQ(*ReduceEpochs("median", std::vector<double>{0.25, 1.0, 0.5, 0.75}), 0.625);
  EXPECT_EQ(*ReduceEpochs("mode", std::vector<double>{0.5, 1.0, 0.5, 1.0}), 0.5);  // the first seen of a tie
}

TEST(EpochReducers, UnscoredEpochsAreDroppedAndUnknownReducersRefused) {
  const double nan = std::nan("");
  EXPECT_EQ(*ReduceEpochs("max", std::vector<double>{nan, 0.5, nan}), 0.5);
  EXPECT_TRUE(std::isnan(*ReduceEpochs("mean", std::vector<double>{nan, nan})));
  EXPECT_TRUE(std::isnan(*ReduceEpochs("pass_at_3", std::vector<double>{1.0, nan, 0.0})));  // 2 scored of 3 needed
  for (const char* unknown : {"top_3", "at_least_", "at_least_0", "pass_at_x", "majority", ""}) {
    EXPECT_FALSE(ReduceEpochs(unknown, std::vector<double>{1.0}).has_value()) << unknown;
  }
  EXPECT_EQ(EpochReducerOf("accuracy of epoch at_least_2"), "at_least_2");
  EXPECT_FALSE(EpochReducerOf("mean").has_value());
}

EvalSample Epoch(const std::string& id, double value) {
  EvalSample sample;
  sample.id = id;
  sample.metrics["match"] = value;
  return sample;
}

TEST(EpochReducers, AClaimOfSeveralEpochsRecomputesOverReducedSamples) {
  // Three samples of two epochs; "max" gives 1, 1, 0, so accuracy 2/3, and the
  // standard error is of those three values, not of the six rows.
  const std::vector<EvalSample> samples = {Epoch("a/1", 1), Epoch("b/1", 0), Epoch("c/1", 0),
                                           Epoch("a/2", 0), Epoch("b/2", 1), Epoch("c/2", 0)};
  EvalMetric accuracy;
  accuracy.name = "match/accuracy";
  accuracy.value = 2.0 / 3;
  accuracy.stderr_value = 0.3333333333333333;  // sqrt(1/3) / sqrt(3)
  accuracy.aggregation = "accuracy of epoch max";
  accuracy.per_sample_key = "match";
  ScoreRecomputation max = RecomputeScore(accuracy, samples);
  ASSERT_TRUE(max.recomputed) << max.why_not;
  EXPECT_TRUE(max.value_matches) << max.value_mismatch;
  EXPECT_EQ(max.n, 3u);
  ASSERT_TRUE(max.stderr_matches.has_value());
  EXPECT_TRUE(*max.stderr_matches) << max.stderr_mismatch;

  accuracy.aggregation = "accuracy of epoch mean";  // 0.5, 0.5, 0: mean 1/3
  ScoreRecomputation mean = RecomputeScore(accuracy, samples);
  ASSERT_TRUE(mean.recomputed);
  EXPECT_FALSE(mean.value_matches);
  EXPECT_DOUBLE_EQ(mean.value, 1.0 / 3);

  accuracy.aggregation = "accuracy of epoch majority";
  ScoreRecomputation unknown = RecomputeScore(accuracy, samples);
  EXPECT_FALSE(unknown.recomputed);
  EXPECT_EQ(unknown.why_not, "epoch reducer 'majority' is not one assay recomputes");
}

}  // namespace
}  // namespace assay
