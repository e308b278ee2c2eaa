#include "record/claim_statement.h"

#include <gtest/gtest.h>

#include <cmath>

#include "claim_test_fixtures.h"
#include "record/model_statement.h"

namespace assay {
namespace {

using json = nlohmann::json;
using claim_testing::kModelRecordId;

// A claim as `assay attest claim` makes one: a recomputed accuracy, a metric
// that cannot be recomputed, a committed transcript.
EvalSummary MmluSummary() {
  EvalRun run = claim_testing::MmluRun(claim_testing::ChoiceSamples(10, 8), 0.8);
  run.metrics.push_back({.name = "f1,none",
                         .value = std::nan(""),
                         .stderr_value = std::nullopt,
                         .higher_is_better = std::nullopt,
                         .aggregation = "f1",
                         .per_sample_key = ""});
  run.samples_used = 10;
  run.samples_total = 14042;
  EvalSummary summary = SummarizeRun(run);
  summary.metrics[0].recomputed = true;
  summary.metrics[0].samples = 10;
  summary.metrics[1].not_recomputable = "aggregation 'f1' is not a mean of per-sample values";
  summary.transcript = TranscriptCommitment{
      .root = ToHex(claim_testing::FilledDigest(0x3c)), .samples = 10, .format = "lm-eval", .harness_hash_rows = 10};
  return summary;
}

Claim WeightsClaim() {
  Claim claim;
  claim.binding = BindToModelRecord(kModelRecordId, claim_testing::WidgetRecord());
  claim.eval = MmluSummary();
  claim.model_mismatch = "the eval log names Qwen/Qwen3-8B; the model record is acme/widget-7b at v1";
  return claim;
}

Claim EndpointClaim() {
  Claim claim;
  claim.binding.endpoint = Endpoint{.provider = "openai", .model = "gpt-4o-2024-08-06"};
  claim.eval = MmluSummary();
  claim.eval.transcript.reset();
  claim.eval.log_model_name = "openai/gpt-4o-2024-08-06";
  return claim;
}

std::string Bytes(const json& statement) { return *StatementBytes(statement); }

Status ParseStatus(const json& statement) { return ParseClaimStatement(Bytes(statement)).status(); }

void ExpectRefused(const json& statement, const std::string& message_part) {
  const Status status = ParseStatus(statement);
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput) << message_part;
  EXPECT_NE(status.message().find(message_part), std::string::npos) << status.message();
}

TEST(ClaimStatement, WeightsClaimRoundTrips) {
  const Claim claim = WeightsClaim();
  const std::string bytes = Bytes(ClaimStatement(claim));
  Result<Claim> parsed = ParseClaimStatement(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(parsed->binding.bound_to_weights());
  EXPECT_EQ(parsed->binding.model_record, kModelRecordId);
  EXPECT_EQ(parsed->binding.weights_root, ToHex(claim_testing::FilledDigest(0xab)));
  EXPECT_EQ(parsed->binding.weights_format, "safetensors");
  EXPECT_EQ(parsed->binding.model_name, "acme/widget-7b");
  EXPECT_EQ(parsed->binding.model_revision, "v1");
  EXPECT_EQ(parsed->model_mismatch, claim.model_mismatch);
  const EvalSummary& eval = parsed->eval;
  EXPECT_EQ(eval.benchmark, "mmlu");
  EXPECT_TRUE(eval.partial());
  EXPECT_EQ(eval.harness_commit, "8fc0f2a");
  EXPECT_EQ(eval.config["num_fewshot"], 5);
  ASSERT_EQ(eval.metrics.size(), 2u);
  EXPECT_EQ(eval.metrics[0].metric.value, 0.8);
  EXPECT_EQ(eval.metrics[0].metric.stderr_value, 0.0128);
  EXPECT_TRUE(eval.metrics[0].recomputed);
  EXPECT_TRUE(std::isnan(eval.metrics[1].metric.value));
  EXPECT_FALSE(eval.metrics[1].metric.stderr_value.has_value());
  EXPECT_FALSE(eval.metrics[1].metric.higher_is_better.has_value());
  EXPECT_EQ(eval.metrics[1].not_recomputable, claim.eval.metrics[1].not_recomputable);
  ASSERT_TRUE(eval.transcript.has_value());
  EXPECT_EQ(eval.transcript->root, claim.eval.transcript->root);
  // Reading and writing again gives the very bytes that were signed.
  EXPECT_EQ(Bytes(ClaimStatement(*parsed)), bytes);
}

TEST(ClaimStatement, WeightsClaimSubjectsAreTheRecordAndTheRoot) {
  const json statement = ClaimStatement(WeightsClaim());
  EXPECT_EQ(statement["_type"], "https://in-toto.io/Statement/v1");
  EXPECT_EQ(statement["predicateType"], "https://assay.dev/claim/v1");
  EXPECT_EQ(statement["subject"],
            json::parse(R"([{"name":"model-record","digest":{"sha256":")" + kModelRecordId + R"("}},
                            {"name":"weights-root:safetensors","digest":{"rfc6962-sha256":")" +
                        ToHex(claim_testing::FilledDigest(0xab)) + R"("}}])"));
  EXPECT_EQ(statement["predicate"]["boundToWeights"], true);
  EXPECT_EQ(statement["predicate"]["metrics"][1]["value"], "NaN");
  EXPECT_EQ(statement["predicate"]["metrics"][1]["direction"], "unknown");
  EXPECT_EQ(statement["predicate"]["benchmark"],
            json::parse(R"({"name":"mmlu","version":"2","partial":true,"samplesUsed":10,"samplesTotal":14042})"));
}

TEST(ClaimStatement, EndpointClaimRoundTripsAndSaysItIsNotBoundToWeights) {
  const Claim claim = EndpointClaim();
  const json statement = ClaimStatement(claim);
  EXPECT_EQ(statement["subject"].size(), 1u);
  EXPECT_EQ(statement["subject"][0]["name"], "endpoint:openai/gpt-4o-2024-08-06");
  EXPECT_EQ(statement["subject"][0]["digest"]["sha256"], claim_testing::HexSha256("openai/gpt-4o-2024-08-06"));
  EXPECT_EQ(statement["predicate"]["boundToWeights"], false);
  EXPECT_FALSE(statement["predicate"].contains("weightsRoot"));
  EXPECT_FALSE(statement["predicate"].contains("modelRecord"));
  EXPECT_FALSE(statement["predicate"].contains("transcript"));
  const std::string bytes = Bytes(statement);
  Result<Claim> parsed = ParseClaimStatement(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_FALSE(parsed->binding.bound_to_weights());
  EXPECT_EQ(parsed->binding.endpoint->provider, "openai");
  EXPECT_EQ(parsed->binding.endpoint->model, "gpt-4o-2024-08-06");
  EXPECT_TRUE(parsed->binding.weights_root.empty());
  EXPECT_EQ(Bytes(ClaimStatement(*parsed)), bytes);
  EXPECT_EQ(EndpointSubjectName(*claim.binding.endpoint), "endpoint:openai/gpt-4o-2024-08-06");
}

TEST(ClaimStatement, SubjectsMustBeExactlyWhatThePredicateSays) {
  const json good = ClaimStatement(WeightsClaim());
  ASSERT_TRUE(ParseStatus(good).ok());
  json extra = good;
  extra["subject"].push_back({{"name", "model.safetensors"}, {"digest", {{"sha256", std::string(64, '1')}}}});
  ExpectRefused(extra, "subject: 3 subjects where the predicate names 2");
  json fewer = good;
  fewer["subject"].erase(1);
  ExpectRefused(fewer, "subject: 1 subjects");
  json altered_digest = good;
  altered_digest["subject"][1]["digest"]["rfc6962-sha256"] = std::string(64, 'c');
  ExpectRefused(altered_digest, "subject[1]: digest of \"weights-root:safetensors\" disagrees with the predicate");
  json altered_name = good;
  altered_name["subject"][1]["name"] = "weights-root:gguf";
  ExpectRefused(altered_name, "\"weights-root:gguf\" is not in the predicate");
  json other_algorithm = good;
  other_algorithm["subject"][1]["digest"] = {{"sha256", good["predicate"]["weightsRoot"]}};
  ExpectRefused(other_algorithm, "rfc6962-sha256: missing");
  // One subject twice in place of the other: the weights root is not signed as a subject.
  json repeated = good;
  repeated["subject"][1] = repeated["subject"][0];
  ExpectRefused(repeated, "\"model-record\" appears twice");
  // The predicate moved without the subjects.
  json moved = good;
  moved["predicate"]["weightsRoot"] = std::string(64, 'c');
  ExpectRefused(moved, "disagrees with the predicate");
  json endpoint = ClaimStatement(EndpointClaim());
  endpoint["predicate"]["endpoint"]["model"] = "gpt-4o-mini";
  ExpectRefused(endpoint, "\"endpoint:openai/gpt-4o-2024-08-06\" is not in the predicate");
}

TEST(ClaimStatement, IsAboutWeightsOrAnEndpointNeverBoth) {
  const json weights = ClaimStatement(WeightsClaim()), endpoint = ClaimStatement(EndpointClaim());
  json both = weights;
  both["predicate"]["endpoint"] = endpoint["predicate"]["endpoint"];
  ExpectRefused(both, "predicate.endpoint: not allowed when boundToWeights is true");
  for (const char* key : {"modelRecord", "weightsRoot", "weightsFormat", "model"}) {
    json mixed = endpoint;
    mixed["predicate"][key] = weights["predicate"][key];
    ExpectRefused(mixed, std::string("predicate.") + key + ": not allowed when boundToWeights is false");
  }
}

TEST(ClaimStatement, RefusesOtherRecordTypes) {
  json statement = ClaimStatement(WeightsClaim());
  statement["predicateType"] = "https://assay.dev/model/v1";
  ExpectRefused(statement, "predicateType: \"https://assay.dev/model/v1\" is not a claim record");
  statement["predicateType"] = "https://assay.dev/reproduction/v1";
  ExpectRefused(statement, "is not a claim record");
  statement = ClaimStatement(WeightsClaim());
  statement["_type"] = "https://in-toto.io/Statement/v0.1";
  ExpectRefused(statement, "_type: not an in-toto Statement v1");
  for (const std::string text : {"", "[]", "{}", "{\"_type\":1}", "not json"}) {
    EXPECT_EQ(ParseClaimStatement(text).status().kind(), ErrorKind::kInvalidInput) << text;
  }
}

void ExpectEveryFieldRequired(const json& good, const std::vector<std::string>& required) {
  ASSERT_TRUE(ParseStatus(good).ok());
  for (const std::string& pointer : required) {
    json statement = good;
    const json::json_pointer field(pointer);
    ASSERT_TRUE(statement.contains(field)) << pointer;
    statement[field.parent_pointer()].erase(field.back());
    ExpectRefused(statement, claim_testing::FieldPath(pointer) + ": missing");
  }
}

TEST(ClaimStatement, EveryRequiredFieldIsRequired) {
  const std::vector<std::string> common = {"/_type",
                                           "/subject",
                                           "/predicateType",
                                           "/predicate",
                                           "/predicate/boundToWeights",
                                           "/predicate/benchmark",
                                           "/predicate/benchmark/name",
                                           "/predicate/benchmark/partial",
                                           "/predicate/harness",
                                           "/predicate/harness/name",
                                           "/predicate/evalConfig",
                                           "/predicate/metrics",
                                           "/predicate/metrics/0/name",
                                           "/predicate/metrics/0/value",
                                           "/predicate/metrics/0/stderr",
                                           "/predicate/metrics/0/direction",
                                           "/predicate/metrics/0/aggregation",
                                           "/predicate/metrics/0/recomputed",
                                           "/predicate/metrics/1/notRecomputable",
                                           "/predicate/logModel"};
  std::vector<std::string> weights = common;
  for (const char* field :
       {"/predicate/modelRecord", "/predicate/weightsRoot", "/predicate/weightsFormat", "/predicate/model",
        "/predicate/model/name", "/predicate/transcript/root", "/predicate/transcript/samples",
        "/predicate/transcript/format", "/predicate/transcript/harnessHashRows"}) {
    weights.push_back(field);
  }
  ExpectEveryFieldRequired(ClaimStatement(WeightsClaim()), weights);
  std::vector<std::string> endpoint = common;
  for (const char* field : {"/predicate/endpoint", "/predicate/endpoint/provider", "/predicate/endpoint/model"}) {
    endpoint.push_back(field);
  }
  ExpectEveryFieldRequired(ClaimStatement(EndpointClaim()), endpoint);
}

TEST(ClaimStatement, RefusesFieldsOfTheWrongShape) {
  const json good = ClaimStatement(WeightsClaim());
  struct Case {
    std::string pointer;
    json value;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"/predicate/boundToWeights", "yes", "predicate.boundToWeights: expected true or false"},
      {"/predicate/weightsRoot", std::string(64, 'A'), "predicate.weightsRoot: expected 64 lowercase hex digits"},
      {"/predicate/modelRecord", "abc", "predicate.modelRecord: expected 64 lowercase hex digits"},
      {"/predicate/metrics/0/value", "0.8", "predicate.metrics[0].value: expected a number"},
      {"/predicate/metrics/0/direction", "up", "predicate.metrics[0].direction: expected \"higher\""},
      {"/predicate/metrics/0/samples", -1, "predicate.metrics[0].samples: expected a non-negative integer"},
      // 10 of 14042 samples is a partial run, and the record must say so.
      {"/predicate/benchmark/partial", false, "predicate.benchmark.partial: disagrees"},
      {"/predicate/benchmark/samplesUsed", 14042, "predicate.benchmark.partial: disagrees"},
      {"/predicate/transcript/root", 1, "predicate.transcript.root: expected a string"},
      {"/predicate/evalConfig", json::array(), "predicate.evalConfig: expected an object"},
  };
  for (const Case& c : cases) {
    json statement = good;
    statement[json::json_pointer(c.pointer)] = c.value;
    ExpectRefused(statement, c.message);
  }
}

TEST(ClaimStatement, BindsTheModelRecordsFirstRoot) {
  ModelRecord record = claim_testing::WidgetRecord(std::nullopt);
  record.manifest.weights_roots.push_back({.format = WeightFormat::kGguf, .root = claim_testing::FilledDigest(1)});
  const ClaimBinding binding = BindToModelRecord(kModelRecordId, record);
  EXPECT_EQ(binding.weights_format, "safetensors");
  EXPECT_EQ(binding.weights_root, ToHex(claim_testing::FilledDigest(0xab)));
  EXPECT_EQ(binding.model_revision, "");
  Claim claim = WeightsClaim();
  claim.binding = binding;
  EXPECT_FALSE(ClaimStatement(claim)["predicate"]["model"].contains("revision"));
}

}  // namespace
}  // namespace assay
