#include "claim/same_model_verdict.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "claim/transcript_comparison.h"
#include "claim_test_fixtures.h"

namespace assay {
namespace {

using claim_testing::HexSha256;
using nlohmann::json;
using ::testing::HasSubstr;

TEST(SameModelVerdictTest, DecodingComesFromDoSampleThenTemperature) {
  EXPECT_EQ(DecodingOf(json{{"temperature", 0}}), Decoding::kGreedy);
  EXPECT_EQ(DecodingOf(json{{"temperature", 0.7}}), Decoding::kSampled);
  EXPECT_EQ(DecodingOf(json{{"temperature", 0.7}, {"do_sample", false}}), Decoding::kGreedy);
  EXPECT_EQ(DecodingOf(json{{"do_sample", true}}), Decoding::kSampled);
  EXPECT_EQ(DecodingOf(json{{"temperature", "hot"}}), Decoding::kUnknown);
  EXPECT_EQ(DecodingOf(json{{"temperature", -1}}), Decoding::kUnknown);
  EXPECT_EQ(DecodingOf(json::object()), Decoding::kUnknown);
  EXPECT_EQ(DecodingOf(json(nullptr)), Decoding::kUnknown);
  EXPECT_EQ(ParseDecoding("sampled"), Decoding::kSampled);
  EXPECT_EQ(ParseDecoding("Greedy"), std::nullopt);
}

TEST(SameModelVerdictTest, BinomialTailIsExact) {
  EXPECT_DOUBLE_EQ(BinomialHalfUpperTail(10, 0), 1.0);
  EXPECT_NEAR(BinomialHalfUpperTail(10, 8), 56.0 / 1024, 1e-14);
  EXPECT_NEAR(BinomialHalfUpperTail(10, 3), 1 - 56.0 / 1024, 1e-14);
  EXPECT_DOUBLE_EQ(BinomialHalfUpperTail(10, 11), 0.0);
  EXPECT_NEAR(BinomialHalfUpperTail(1000000, 500000), 0.5 + 0.5 * 0.000797883, 1e-8);
}

TEST(SameModelVerdictTest, WilsonIntervalMatchesTheFormula) {
  const auto [low, high] = WilsonInterval(37, 50, 1.959963984540054);
  EXPECT_NEAR(low, 0.6044684273515117, 1e-12);
  EXPECT_NEAR(high, 0.8412847250644762, 1e-12);
  EXPECT_EQ(WilsonInterval(0, 0, 2.0), (std::pair<double, double>{0, 1}));
}

TEST(SameModelVerdictTest, BenjaminiHochbergRejectsTheStepUpPrefix) {
  // m = 5, q = 0.05: bounds 0.01 0.02 0.03 0.04 0.05; the third smallest
  // (0.029) is under its bound, so the three smallest go, even though the
  // second (0.021) alone is above 0.02.
  const std::vector<double> p = {0.5, 0.001, 0.021, 0.029, 0.2};
  EXPECT_EQ(BenjaminiHochberg(p, 0.05), (std::vector<bool>{false, true, true, true, false}));
  EXPECT_EQ(BenjaminiHochberg(std::vector<double>{0.5, 0.6}, 0.05), (std::vector<bool>{false, false}));
  EXPECT_TRUE(BenjaminiHochberg(std::vector<double>{}, 0.05).empty());
}

TEST(SameModelVerdictTest, GreedyWithoutBaselineIsDifferentOnlyUnderTheFloor) {
  const SameModelVerdict low = ExactMatchFloorTest(20, 200);
  EXPECT_EQ(low.finding, SameModelFinding::kDifferent);
  EXPECT_NEAR(*low.high, 0.16811391493607525, 1e-12);
  EXPECT_THAT(low.reason, HasSubstr("lies under the 50.0%"));
  const SameModelVerdict high = ExactMatchFloorTest(190, 200);
  EXPECT_EQ(high.finding, SameModelFinding::kInconclusive);
  EXPECT_THAT(high.reason, HasSubstr("--baseline"));
  const SameModelVerdict few = ExactMatchFloorTest(0, 20);
  EXPECT_EQ(few.finding, SameModelFinding::kInconclusive);
  EXPECT_EQ(few.reason, "20 prompts tested; a verdict needs at least 100");
}

TEST(SameModelVerdictTest, GreedyBaselineComparesDisagreements) {
  // 200 prompts: A2 matches A on 190, B on 150 (B matches only where A2 does).
  std::vector<MatchPair> prompts(200);
  for (size_t i = 0; i < prompts.size(); ++i) prompts[i] = {i < 150, i < 190};
  SameModelVerdict verdict = BaselineMatchTest(prompts);
  EXPECT_EQ(verdict.finding, SameModelFinding::kDifferent);
  EXPECT_DOUBLE_EQ(*verdict.p_value, std::ldexp(1.0, -40));
  EXPECT_DOUBLE_EQ(verdict.statistic, 0.75);
  EXPECT_DOUBLE_EQ(*verdict.baseline_rate, 0.95);
  // As many disagreements each way: consistent.
  for (size_t i = 0; i < prompts.size(); ++i) prompts[i] = {i < 185 || i >= 195, i < 190};
  verdict = BaselineMatchTest(prompts);
  EXPECT_EQ(verdict.finding, SameModelFinding::kSame);
  EXPECT_DOUBLE_EQ(*verdict.p_value, BinomialHalfUpperTail(10, 5));
}

// --- generated transcripts ------------------------------------------------

double Uniform(std::mt19937_64& generator) { return double(generator() >> 11) * 0x1p-53; }

// A model, as far as the test needs one: for each prompt, a probability for
// each way of answering it. Two models differ in those probabilities.
struct ToyModel {
  std::vector<std::vector<double>> weights;  // by prompt, by phrasing; rows sum to 1

  ToyModel(size_t prompts, uint64_t seed) {
    std::mt19937_64 generator(seed);
    for (size_t p = 0; p < prompts; ++p) {
      std::vector<double> row(4);
      double sum = 0;
      for (double& weight : row) sum += weight = 0.05 + Uniform(generator);
      for (double& weight : row) weight /= sum;
      weights.push_back(std::move(row));
    }
  }

  std::string Answer(size_t prompt, std::mt19937_64& generator) const {
    const std::string x = std::to_string(prompt), sum = std::to_string(2 * prompt);
    const std::string phrasings[] = {"The answer is " + sum + ".", "It is " + sum + ", since " + x + " plus " + x + " makes it.",
                                     "Adding " + x + " to itself gives " + sum + ".",
                                     "Let me think step by step: " + x + " + " + x + " = " + sum + "."};
    double draw = Uniform(generator);
    for (size_t i = 0; i < 3; ++i) {
      if ((draw -= weights[prompt][i]) < 0) return phrasings[i];
    }
    return phrasings[3];
  }
};

// A sampled run: `epochs` answers to each of the model's prompts, with
// Inspect's ids ("q7/2") and one input digest per prompt; `filtered` of the
// answers (chosen at random) replaced by a refusal.
TranscriptSide SampledRun(const ToyModel& model, size_t epochs, uint64_t seed, double filtered = 0) {
  std::mt19937_64 generator(seed);
  TranscriptSide side{"run", "inspect", "", Decoding::kSampled, {}, std::nullopt};
  for (size_t p = 0; p < model.weights.size(); ++p) {
    for (size_t epoch = 1; epoch <= epochs; ++epoch) {
      std::string answer = model.Answer(p, generator);
      if (Uniform(generator) < filtered) answer = "I cannot help with that.";
      EvalSample sample;
      sample.id = "q" + std::to_string(p) + "/" + std::to_string(epoch);
      sample.record = {{"id", sample.id}, {"input", "What is " + std::to_string(p) + " doubled?"}, {"response", answer}};
      sample.input_digest = HexSha256("prompt " + std::to_string(p));
      sample.output_digest = HexSha256(answer);
      side.samples.push_back(std::move(sample));
    }
  }
  return side;
}

SameModelVerdict Verdict(const TranscriptSide& a, const TranscriptSide& b) {
  Result<TranscriptComparison> comparison = CompareTranscripts(a, b, {});
  EXPECT_TRUE(comparison.ok()) << comparison.status().message();
  return comparison->verdict;
}

// The level: two runs of the same weights, with sampling noise, over 200
// seeds. A test at alpha = 0.01 may say "different model" in 1 % of them;
// two standard errors above that is sqrt(0.01 * 0.99 / 200) * 2 = 1.4 %, so
// at most 4 of 200.
TEST(SameModelVerdictCalibration, SameWeightsAreRarelyDifferent) {
  const ToyModel model(kSameModelMinPrompts, 1);
  int different = 0, same = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    const SameModelVerdict verdict = Verdict(SampledRun(model, 4, 2 * seed + 100), SampledRun(model, 4, 2 * seed + 101));
    different += verdict.finding == SameModelFinding::kDifferent;
    same += verdict.finding == SameModelFinding::kSame;
  }
  EXPECT_LE(different, 4);
  EXPECT_EQ(same + different, 200);
  std::printf("same weights, sampled: %d of 200 different\n", different);
}

// The same for greedy runs with a baseline: each run of the same weights
// flips 5 % of its answers at random (batching, hardware), A2 and B alike.
TEST(SameModelVerdictCalibration, GreedyRunsOfTheSameWeightsAreRarelyDifferent) {
  int different = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    std::mt19937_64 generator(seed);
    std::vector<MatchPair> prompts(300);
    for (MatchPair& prompt : prompts) {
      const bool a_flipped = Uniform(generator) < 0.05;
      // An answer matches A's when neither flipped (two flips rarely agree).
      prompt.with_baseline = !a_flipped && Uniform(generator) >= 0.05;
      prompt.with_b = !a_flipped && Uniform(generator) >= 0.05;
    }
    different += BaselineMatchTest(prompts).finding == SameModelFinding::kDifferent;
  }
  EXPECT_LE(different, 4);
  std::printf("same weights, greedy with a baseline: %d of 200 different\n", different);
}

TEST(SameModelVerdictPower, ADifferentModelIsDifferentAt500Prompts) {
  const ToyModel published(500, 1), other(500, 2);
  const SameModelVerdict verdict = Verdict(SampledRun(published, 5, 10), SampledRun(other, 5, 11));
  EXPECT_EQ(verdict.finding, SameModelFinding::kDifferent) << verdict.reason;
  EXPECT_EQ(verdict.prompts, 500u);
  EXPECT_LT(*verdict.p_value, kSameModelAlpha);
  EXPECT_EQ(verdict.test, "mmd-permutation");
}

TEST(SameModelVerdictPower, AFilterOnFivePercentOfAnswersIsDifferentAt500Prompts) {
  const ToyModel published(500, 1);
  const SameModelVerdict verdict = Verdict(SampledRun(published, 5, 10), SampledRun(published, 5, 11, 0.05));
  EXPECT_EQ(verdict.finding, SameModelFinding::kDifferent) << verdict.reason;
}

TEST(SameModelVerdictPower, TwentyPromptsAreInconclusive) {
  const ToyModel published(20, 1), other(20, 2);
  const SameModelVerdict verdict = Verdict(SampledRun(published, 5, 10), SampledRun(other, 5, 11, 0.5));
  EXPECT_EQ(verdict.finding, SameModelFinding::kInconclusive);
  EXPECT_EQ(verdict.reason, "20 prompts tested; a verdict needs at least 100");
}

TEST(SameModelVerdictTest, OneAnswerPerPromptCannotBeTestedWhenSampled) {
  const ToyModel published(200, 1);
  const SameModelVerdict verdict = Verdict(SampledRun(published, 1, 10), SampledRun(published, 1, 11));
  EXPECT_EQ(verdict.finding, SameModelFinding::kInconclusive);
  EXPECT_THAT(verdict.reason, HasSubstr("no prompt has two or more answers on each side"));
}

TEST(SameModelVerdictTest, DecodingThatDisagreesOrIsUnknownIsInconclusive) {
  const ToyModel published(120, 1);
  TranscriptSide a = SampledRun(published, 2, 10), b = SampledRun(published, 2, 11);
  b.decoding = Decoding::kGreedy;
  EXPECT_THAT(Verdict(a, b).reason, HasSubstr("A's log says sampled decoding and B's greedy: not comparable"));
  a.decoding = b.decoding = Decoding::kUnknown;
  EXPECT_THAT(Verdict(a, b).reason, HasSubstr("neither log says how it decoded"));
  // One side's decoding serves both; --decoding overrides the logs.
  b.decoding = Decoding::kSampled;
  EXPECT_EQ(Verdict(a, b).test, "mmd-permutation");
  TranscriptComparisonOptions options;
  options.decoding = Decoding::kGreedy;
  const Result<TranscriptComparison> greedy = CompareTranscripts(a, b, options);
  ASSERT_TRUE(greedy.ok());
  EXPECT_EQ(greedy->verdict.test, "exact-match-floor");
  EXPECT_EQ(greedy->decoding_source, "--decoding");
}

TEST(SameModelVerdictTest, AbsentWordsAreTestedAndCorrected) {
  // A says "acme" in 12 answers, B never; "zebra" once on each side's own.
  TranscriptSide a{"a", "jsonl", "", Decoding::kGreedy, {}, std::nullopt};
  TranscriptSide b{"b", "jsonl", "", Decoding::kGreedy, {}, std::nullopt};
  for (int i = 0; i < 100; ++i) {
    const std::string id = "q" + std::to_string(i);
    std::string left = "The answer is " + std::to_string(i) + (i % 8 == 0 ? " says acme" : "");
    std::string right = "The answer is " + std::to_string(i) + (i == 3 ? " zebra" : "");
    for (auto [side, text] : {std::pair{&a, left}, std::pair{&b, right}}) {
      EvalSample sample;
      sample.id = id;
      sample.record = {{"id", id}, {"input", id}, {"response", text}};
      sample.input_digest = HexSha256(id);
      sample.output_digest = HexSha256(text);
      side->samples.push_back(std::move(sample));
    }
  }
  const Result<TranscriptComparison> comparison = CompareTranscripts(a, b, {});
  ASSERT_TRUE(comparison.ok());
  ASSERT_EQ(comparison->words_only_in_a.size(), 2u);  // "acme" and "says", 13 samples each
  EXPECT_EQ(comparison->words_only_in_a[0].word, "acme");
  EXPECT_DOUBLE_EQ(comparison->words_only_in_a[0].p_value, std::ldexp(1.0, -13));
  EXPECT_TRUE(comparison->words_only_in_a[0].significant);
  EXPECT_EQ(comparison->significant_words_only_in_a, 2u);
  EXPECT_EQ(comparison->significant_words_only_in_b, 0u);  // "zebra": p = 0.5
}

}  // namespace
}  // namespace assay
