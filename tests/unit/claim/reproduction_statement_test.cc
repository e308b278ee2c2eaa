#include "claim/verdict.h"
#include "record/reproduction_statement.h"

#include <gtest/gtest.h>

#include "claim_test_fixtures.h"
#include "record/model_statement.h"

namespace assay {
namespace {

using json = nlohmann::json;
using claim_testing::AccuracyMetric;
using claim_testing::ChoiceSamples;

using claim_testing::kClaimId;
const std::string kRoot = ToHex(claim_testing::FilledDigest(0xab));

EvalSummary EvaluatorSummary(double value) {
  EvalSummary summary = SummarizeRun(claim_testing::MmluRun(ChoiceSamples(10, 7), value));
  summary.metrics[0].recomputed = true;
  summary.metrics[0].samples = 10;
  summary.transcript = TranscriptCommitment{
      .root = ToHex(claim_testing::FilledDigest(0x44)), .samples = 10, .format = "lm-eval", .harness_hash_rows = 0};
  return summary;
}

// Same weights: a score comparison per metric, by the Verdicts rules.
Reproduction SameWeights() {
  Reproduction reproduction;
  reproduction.claim_id = kClaimId;
  reproduction.observed_weights_root = kRoot;
  reproduction.weights_format = "safetensors";
  reproduction.weights_match = true;
  reproduction.eval = EvaluatorSummary(0.7);
  reproduction.margin = 2.0;
  const std::vector<EvalSample> claimed = ChoiceSamples(10, 8), mine = ChoiceSamples(10, 7);
  reproduction.verdicts.push_back(
      CompareMetric(AccuracyMetric(0.8, 0.133), claimed, AccuracyMetric(0.7, 0.153), mine, {.margin = 2.0}));
  reproduction.verdicts.push_back(
      CompareMetric(AccuracyMetric(0.8, std::nullopt), {}, AccuracyMetric(0.7, std::nullopt), {}, {.margin = 2.0}));
  return reproduction;
}

// Other weights: "different weights" and no numbers.
Reproduction DifferentWeights() {
  Reproduction reproduction;
  reproduction.claim_id = kClaimId;
  reproduction.observed_weights_root = ToHex(claim_testing::FilledDigest(0xcd));
  reproduction.weights_format = "safetensors";
  reproduction.weights_match = false;
  reproduction.eval = EvaluatorSummary(0.7);
  reproduction.margin = 2.0;
  reproduction.verdicts.push_back(
      DifferentWeightsVerdict("acc,none", kRoot, reproduction.observed_weights_root, {.margin = 2.0}));
  return reproduction;
}

std::string ReproductionBytes(const json& statement) { return *StatementBytes(statement); }

void ExpectReproductionRefused(const json& statement, const std::string& message_part) {
  const Status status = ParseReproductionStatement(ReproductionBytes(statement)).status();
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput) << message_part;
  EXPECT_NE(status.message().find(message_part), std::string::npos) << status.message();
}

TEST(ReproductionStatement, SameWeightsRoundTrips) {
  const Reproduction reproduction = SameWeights();
  ASSERT_EQ(reproduction.verdicts[0].comparison->tier, EvidenceTier::kSamePairedInputs);
  const json statement = ReproductionStatement(reproduction);
  EXPECT_EQ(statement["predicateType"], "https://assay.dev/reproduction/v1");
  EXPECT_EQ(statement["subject"], json::parse(R"([{"name":"claim","digest":{"sha256":")" + kClaimId + R"("}}])"));
  EXPECT_EQ(statement["predicate"]["verdicts"][0]["tier"], "same inputs");
  EXPECT_EQ(statement["predicate"]["verdicts"][1]["tier"], "aggregates only");
  EXPECT_EQ(statement["predicate"]["verdicts"][1]["verdict"], "inconclusive");
  EXPECT_TRUE(statement["predicate"]["verdicts"][1]["intervalLow"].is_null());
  const std::string bytes = ReproductionBytes(statement);
  Result<Reproduction> parsed = ParseReproductionStatement(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->claim_id, kClaimId);
  EXPECT_TRUE(parsed->weights_match);
  EXPECT_EQ(parsed->observed_weights_root, kRoot);
  ASSERT_EQ(parsed->verdicts.size(), 2u);
  const MetricVerdict& verdict = parsed->verdicts[0];
  const MetricVerdict& original = reproduction.verdicts[0];
  EXPECT_EQ(verdict.kind, original.kind);
  EXPECT_EQ(verdict.reason, original.reason);
  EXPECT_EQ(verdict.comparison->difference_points, original.comparison->difference_points);
  EXPECT_EQ(verdict.comparison->low, original.comparison->low);
  EXPECT_EQ(verdict.comparison->high, original.comparison->high);
  EXPECT_EQ(verdict.comparison->paired_samples, 10u);
  EXPECT_EQ(ReproductionBytes(ReproductionStatement(*parsed)), bytes);
}

TEST(ReproductionStatement, DifferentWeightsCarriesNoNumbers) {
  const json statement = ReproductionStatement(DifferentWeights());
  EXPECT_EQ(statement["predicate"]["weightsMatch"], false);
  const json& verdict = statement["predicate"]["verdicts"][0];
  EXPECT_EQ(verdict["verdict"], "different weights");
  for (const char* number : {"tier", "scale", "claimedPoints", "reproducedPoints", "differencePoints", "intervalLow",
                             "intervalHigh", "differenceInStderrs", "pairedSamples"}) {
    EXPECT_FALSE(verdict.contains(number)) << number;
  }
  const std::string bytes = ReproductionBytes(statement);
  Result<Reproduction> parsed = ParseReproductionStatement(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_FALSE(parsed->weights_match);
  EXPECT_EQ(parsed->verdicts[0].kind, VerdictKind::kDifferentWeights);
  EXPECT_FALSE(parsed->verdicts[0].comparison.has_value());
  EXPECT_EQ(ReproductionBytes(ReproductionStatement(*parsed)), bytes);
}

TEST(ReproductionStatement, VerdictsMustAgreeWithWeightsMatch) {
  // A "different weights" verdict in a reproduction that says the weights matched.
  json mixed = ReproductionStatement(SameWeights());
  mixed["predicate"]["verdicts"].push_back(ReproductionStatement(DifferentWeights())["predicate"]["verdicts"][0]);
  ExpectReproductionRefused(mixed, "predicate.verdicts[2]: verdict \"different weights\" contradicts weightsMatch");
  // A score comparison in a reproduction on other weights.
  json compared = ReproductionStatement(DifferentWeights());
  compared["predicate"]["verdicts"].push_back(ReproductionStatement(SameWeights())["predicate"]["verdicts"][0]);
  ExpectReproductionRefused(compared, "predicate.verdicts[1]: verdict \"" +
                              std::string(VerdictKindName(SameWeights().verdicts[0].kind)) +
                              "\" contradicts weightsMatch");
  json flipped = ReproductionStatement(DifferentWeights());
  flipped["predicate"]["weightsMatch"] = true;
  ExpectReproductionRefused(flipped, "contradicts weightsMatch");
  // A different-weights verdict that smuggles numbers in.
  json numbered = ReproductionStatement(DifferentWeights());
  numbered["predicate"]["verdicts"][0]["tier"] = "aggregates only";
  ExpectReproductionRefused(numbered, "a different-weights verdict compares no scores");
}

TEST(ReproductionStatement, SubjectIsTheClaim) {
  const json good = ReproductionStatement(SameWeights());
  json other = good;
  other["subject"][0]["digest"]["sha256"] = std::string(64, '0');
  ExpectReproductionRefused(other, "disagrees with the predicate");
  json extra = good;
  extra["subject"].push_back({{"name", "model-record"}, {"digest", {{"sha256", std::string(64, '0')}}}});
  ExpectReproductionRefused(extra, "subject: 2 subjects where the predicate names 1");
  json renamed = good;
  renamed["subject"][0]["name"] = "claim-record";
  ExpectReproductionRefused(renamed, "\"claim-record\" is not in the predicate");
  json type = good;
  type["predicateType"] = "https://assay.dev/claim/v1";
  ExpectReproductionRefused(type, "is not a reproduction record");
}

TEST(ReproductionStatement, RefusesMalformedVerdicts) {
  const json good = ReproductionStatement(SameWeights());
  struct Case {
    std::string pointer;
    json value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"/predicate/verdicts/0/verdict", "reproducible", "predicate.verdicts[0].verdict: unknown verdict"},
      {"/predicate/verdicts/0/tier", "vibes", "predicate.verdicts[0].tier: unknown tier"},
      {"/predicate/verdicts/0/scale", "percent", "predicate.verdicts[0].scale: unknown scale"},
      {"/predicate/verdicts/0/intervalHigh", nullptr, "an interval needs both ends or neither"},
      {"/predicate/verdicts/0/pairedSamples", 1.5,
       "predicate.verdicts[0].pairedSamples: expected a non-negative integer"},
      {"/predicate/verdicts/0/margin", "2", "predicate.verdicts[0].margin: expected a number"},
      {"/predicate/weightsMatch", 1, "predicate.weightsMatch: expected true or false"},
      {"/predicate/claim", std::string(64, 'G'), "predicate.claim: expected 64 lowercase hex digits"},
      {"/predicate/verdicts", json::object(), "predicate.verdicts: expected an array"},
  };
  for (const Case& c : cases) {
    json statement = good;
    statement[json::json_pointer(c.pointer)] = c.value;
    ExpectReproductionRefused(statement, c.message);
  }
}

TEST(ReproductionStatement, EveryRequiredFieldIsRequired) {
  const std::vector<std::pair<json, std::vector<std::string>>> statements = {
      {ReproductionStatement(SameWeights()),
       {"/_type",
        "/subject",
        "/predicateType",
        "/predicate",
        "/predicate/claim",
        "/predicate/weightsMatch",
        "/predicate/margin",
        "/predicate/weightsFormat",
        "/predicate/benchmark",
        "/predicate/benchmark/name",
        "/predicate/harness",
        "/predicate/evalConfig",
        "/predicate/metrics",
        "/predicate/metrics/0/value",
        "/predicate/logModel",
        "/predicate/transcript/root",
        "/predicate/verdicts",
        "/predicate/verdicts/0/metric",
        "/predicate/verdicts/0/verdict",
        "/predicate/verdicts/0/margin",
        "/predicate/verdicts/0/reason",
        "/predicate/verdicts/0/tier",
        "/predicate/verdicts/0/scale",
        "/predicate/verdicts/0/higherIsBetter",
        "/predicate/verdicts/0/claimedPoints",
        "/predicate/verdicts/0/reproducedPoints",
        "/predicate/verdicts/0/differencePoints",
        "/predicate/verdicts/0/intervalLow",
        "/predicate/verdicts/0/intervalHigh",
        "/predicate/verdicts/0/differenceInStderrs",
        "/predicate/verdicts/0/pairedSamples"}},
      {ReproductionStatement(DifferentWeights()),
       {"/predicate/verdicts/0/metric", "/predicate/verdicts/0/verdict", "/predicate/verdicts/0/reason"}},
  };
  for (const auto& [good, required] : statements) {
    ASSERT_TRUE(ParseReproductionStatement(ReproductionBytes(good)).ok());
    for (const std::string& pointer : required) {
      json statement = good;
      const json::json_pointer field(pointer);
      ASSERT_TRUE(statement.contains(field)) << pointer;
      statement[field.parent_pointer()].erase(field.back());
      ExpectReproductionRefused(statement, claim_testing::FieldPath(pointer) + ": missing");
    }
  }
}

TEST(ReproductionStatement, EndpointReproductionHasNoWeightsRoot) {
  Reproduction reproduction = SameWeights();
  reproduction.observed_weights_root.clear();
  reproduction.weights_format.clear();
  const json statement = ReproductionStatement(reproduction);
  EXPECT_FALSE(statement["predicate"].contains("weightsRoot"));
  Result<Reproduction> parsed = ParseReproductionStatement(ReproductionBytes(statement));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->observed_weights_root.empty());
}

}  // namespace
}  // namespace assay
