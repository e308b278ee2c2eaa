#include "record/observation_statement.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "digest/sha256.h"
#include "record/in_toto.h"

namespace assay {
namespace {

using json = nlohmann::json;

constexpr std::string_view kConfig = "{\"model_type\": \"llama\", \"hidden_size\": 64}\n";

Observation Example() {
  Observation observation;
  observation.source = "hf:acme/widget";
  observation.observer = "acme-auditor";
  observation.observed_at = "2026-12-03T17:00:00Z";
  observation.commit = std::string(40, 'a');
  observation.parents = {std::string(40, 'b')};
  observation.time = "2026-12-01T09:00:00Z";
  observation.author = "Acme <release@acme.example>";
  observation.message = "second upload\n";
  observation.files = {{"config.json", kConfig.size(), std::nullopt, ToHex(Sha256::Of(kConfig)), std::string(kConfig)},
                       {"model.safetensors", 1312, std::string(64, 'd'), std::nullopt, std::nullopt},
                       {"readme.txt", 6, std::nullopt, std::string(64, 'c'), std::nullopt}};
  observation.missing_revisions = {{std::string(40, 'e'), "2026-12-02T10:00:00Z", std::string(64, 'f')}};
  return observation;
}

TEST(ObservationStatement, ReadsBackWhatItWrites) {
  const json statement = ObservationStatement(Example());
  EXPECT_EQ(statement["predicateType"], kObservationPredicateType);
  EXPECT_EQ(statement["subject"][0]["name"], "hf:acme/widget@" + std::string(40, 'a'));
  EXPECT_EQ(statement["subject"][0]["digest"]["gitCommit"], std::string(40, 'a'));
  Result<Observation> back = ParseObservationStatement(statement.dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(ObservationStatement(*back), statement);
  ASSERT_NE(back->FindFile("model.safetensors"), nullptr);
  EXPECT_EQ(back->FindFile("model.safetensors")->lfs_oid, std::string(64, 'd'));
  EXPECT_EQ(back->FindFile("absent"), nullptr);
  EXPECT_EQ(back->FindFile("config.json")->text, std::string(kConfig));
  // A member a later version adds is passed over.
  json later = statement;
  later["predicate"]["mirror"] = "https://example.org";
  EXPECT_TRUE(ParseObservationStatement(later.dump()).ok());
}

TEST(ObservationStatement, AHostileRecordIsRefusedNamingTheField) {
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"is not in the predicate", [](json& s) { s["subject"][0]["name"] = "hf:acme/other@" + std::string(40, 'a'); }},
      {"disagrees with the predicate", [](json& s) { s["subject"][0]["digest"] = {{"gitCommit", std::string(40, 'b')}}; }},
      {"predicateType", [](json& s) { s["predicateType"] = "https://assay.dev/observation/v9"; }},
      {".source", [](json& s) { s["predicate"]["source"] = ""; }},
      {".observedAt", [](json& s) { s["predicate"]["observedAt"] = "yesterday"; }},
      {".evidence", [](json& s) { s["predicate"]["evidence"] = "verified"; }},
      {".revision.commit", [](json& s) { s["predicate"]["revision"]["commit"] = "ABC"; }},
      {".revision.parents[0]", [](json& s) { s["predicate"]["revision"]["parents"][0] = 7; }},
      {".revision.time", [](json& s) { s["predicate"]["revision"]["time"] = "2026-13-01T00:00:00Z"; }},
      {".revision.message", [](json& s) { s["predicate"]["revision"].erase("message"); }},
      {".files[0]", [](json& s) { s["predicate"]["files"][0]["lfsOid"] = std::string(64, '1'); }},
      {".files[1]", [](json& s) { s["predicate"]["files"][1].erase("lfsOid"); }},
      {".files[1].path", [](json& s) { s["predicate"]["files"][1]["path"] = "a.json"; }},
      {".files[0].size", [](json& s) { s["predicate"]["files"][0]["size"] = -1; }},
      {".files[1].lfsOid", [](json& s) { s["predicate"]["files"][1]["lfsOid"] = "sha256:dd"; }},
      {".files[0].text: is not the file", [](json& s) { s["predicate"]["files"][0]["text"] = "{}"; }},
      {".files[0].text: is not the file", [](json& s) { s["predicate"]["files"][0]["size"] = 7; }},
      {".files[0].text: more than 262144 bytes", [](json& s) { s["predicate"]["files"][0]["text"] = std::string(300000, ' '); }},
      {".files[1].text: only a JSON config file kept in git", [](json& s) { s["predicate"]["files"][1]["text"] = "x"; }},
      {".files[2].text: only a JSON config file kept in git keeps its text ('readme.txt')",
       [](json& s) { s["predicate"]["files"][2]["text"] = "readme"; }},
      {".files[0].text", [](json& s) { s["predicate"]["files"][0]["text"] = 7; }},
      {".missingRevisions[0].record", [](json& s) { s["predicate"]["missingRevisions"][0]["record"] = "r"; }},
  };
  for (const auto& [field, edit] : cases) {
    json statement = ObservationStatement(Example());
    edit(statement);
    Result<Observation> parsed = ParseObservationStatement(statement.dump());
    ASSERT_FALSE(parsed.ok()) << field;
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << field;
    EXPECT_NE(parsed.status().message().find(field), std::string::npos) << field << ": " << parsed.status().message();
  }
}

TEST(ObservationStatement, EveryTruncationAndFlippedByteIsRefusedOrReadAsWritten) {
  const std::string bytes = ObservationStatement(Example()).dump();
  for (size_t length = 0; length < bytes.size(); ++length) {
    EXPECT_FALSE(ParseObservationStatement(bytes.substr(0, length)).ok()) << length;
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
    Result<Observation> parsed = ParseObservationStatement(flipped);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << i;
      continue;
    }
    // What still parses is a well-formed observation of what the bytes now say.
    EXPECT_EQ(ParseObservationStatement(ObservationStatement(*parsed).dump()).ok(), true) << i;
  }
}

}  // namespace
}  // namespace assay
