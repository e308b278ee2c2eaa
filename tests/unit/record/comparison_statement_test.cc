#include "record/comparison_statement.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "record/in_toto.h"

namespace assay {
namespace {

using json = nlohmann::json;

Comparison ExampleComparison() {
  Comparison comparison;
  comparison.endpoint = Endpoint{"acme-cloud", "widget"};
  comparison.model = {std::string(64, 'a'), "acme/widget", "v2", {"safetensors:" + std::string(64, 'b')}};
  comparison.weights_run = {std::string(64, 'c'), 500, "jsonl", std::string(64, 'd')};
  comparison.endpoint_run = {std::string(64, 'e'), 500, "inspect", ""};
  comparison.baseline_run = ComparedRun{std::string(64, 'f'), 500, "jsonl", ""};
  comparison.compared = 500;
  comparison.exact_match_rate = 0.75;
  comparison.finding = "different";
  comparison.reason = "B matches A on 75.0% of the prompts, the baseline on 95.0%";
  comparison.test = "exact-match-mcnemar";
  comparison.decoding = "greedy";
  comparison.prompts = 500;
  comparison.statistic = 0.75;
  comparison.p_value = 1e-9;
  comparison.low = 0.70;
  comparison.high = 0.80;
  comparison.baseline_rate = 0.95;
  return comparison;
}

TEST(ComparisonStatement, ReadsBackWhatItWrites) {
  const json statement = ComparisonStatement(ExampleComparison());
  EXPECT_EQ(statement["predicateType"], kComparisonPredicateType);
  EXPECT_EQ(statement["subject"][0]["digest"]["sha256"], std::string(64, 'a'));
  EXPECT_FALSE(statement["predicate"]["endpointRun"].contains("record"));
  EXPECT_FALSE(statement["predicate"]["test"].contains("pooled"));
  Result<Comparison> back = ParseComparisonStatement(statement.dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ComparisonStatement(*back), statement);
}

TEST(ComparisonStatement, AHostileRecordIsRefusedNamingTheField) {
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"disagrees with the predicate", [](json& s) { s["subject"][0]["digest"]["sha256"] = std::string(64, 'c'); }},
      {".endpoint", [](json& s) { s["predicate"]["endpoint"]["model"] = ""; }},
      {".model.record", [](json& s) { s["predicate"]["model"]["record"] = "abc"; }},
      {".weightsRun.transcriptRoot", [](json& s) { s["predicate"]["weightsRun"]["transcriptRoot"] = std::string(64, 'A'); }},
      {".endpointRun.samples", [](json& s) { s["predicate"]["endpointRun"]["samples"] = -1; }},
      {".baselineRun.record", [](json& s) { s["predicate"]["baselineRun"]["record"] = 7; }},
      {".finding", [](json& s) { s["predicate"]["finding"] = "proved"; }},
      {".exactMatchRate", [](json& s) { s["predicate"]["exactMatchRate"] = 1.5; }},
      {".test.pValue", [](json& s) { s["predicate"]["test"]["pValue"] = -0.1; }},
      {".test.decoding", [](json& s) { s["predicate"]["test"]["decoding"] = "warm"; }},
      {".test.name", [](json& s) { s["predicate"]["test"].erase("name"); }},
      {".reason", [](json& s) { s["predicate"]["reason"] = nullptr; }},
  };
  for (const auto& [field, edit] : cases) {
    json statement = ComparisonStatement(ExampleComparison());
    edit(statement);
    Result<Comparison> parsed = ParseComparisonStatement(statement.dump());
    ASSERT_FALSE(parsed.ok()) << field;
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << field;
    EXPECT_NE(parsed.status().message().find(field), std::string::npos) << field << ": " << parsed.status().message();
  }
  const std::string bytes = ComparisonStatement(ExampleComparison()).dump();
  for (size_t length = 0; length < bytes.size(); ++length) EXPECT_FALSE(ParseComparisonStatement(bytes.substr(0, length)).ok());
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
    Result<Comparison> parsed = ParseComparisonStatement(flipped);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << i;
    }
  }
}

TEST(ComparisonStatement, AnInconclusiveFindingNeedsNoTest) {
  Comparison comparison = ExampleComparison();
  comparison.finding = "inconclusive";
  comparison.test.reset();
  comparison.statistic.reset();
  comparison.p_value = comparison.low = comparison.high = comparison.baseline_rate = std::nullopt;
  comparison.decoding = "unknown";
  Result<Comparison> back = ParseComparisonStatement(ComparisonStatement(comparison).dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_FALSE(back->test);
}

}  // namespace
}  // namespace assay
