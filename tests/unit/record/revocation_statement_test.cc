#include "record/revocation_statement.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "record/in_toto.h"

namespace assay {
namespace {

using json = nlohmann::json;

Revocation ExampleRevocation() {
  return {std::string(64, 'a'), kClaimPredicateType, "wrong upload: the weights of v1", std::string(64, 'b')};
}

TEST(RevocationStatement, ReadsBackWhatItWrites) {
  const json statement = RevocationStatement(ExampleRevocation());
  EXPECT_EQ(statement["predicateType"], kRevocationPredicateType);
  EXPECT_EQ(statement["subject"][0]["digest"]["sha256"], std::string(64, 'a'));
  Result<Revocation> back = ParseRevocationStatement(statement.dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(RevocationStatement(*back), statement);
  Revocation plain = ExampleRevocation();
  plain.superseded_by.clear();
  EXPECT_FALSE(RevocationStatement(plain)["predicate"].contains("supersededBy"));
  EXPECT_TRUE(ParseRevocationStatement(RevocationStatement(plain).dump()).ok());
}

TEST(RevocationStatement, AHostileRecordIsRefusedNamingTheField) {
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"disagrees with the predicate", [](json& s) { s["subject"][0]["digest"]["sha256"] = std::string(64, 'c'); }},
      {".record", [](json& s) { s["predicate"]["record"] = "abc"; }},
      {".recordType", [](json& s) { s["predicate"]["recordType"] = 3; }},
      {".reason", [](json& s) { s["predicate"]["reason"] = ""; }},
      {".reason", [](json& s) { s["predicate"]["reason"] = std::string(kMaxRevocationReasonBytes + 1, 'x'); }},
      {".supersededBy", [](json& s) { s["predicate"]["supersededBy"] = std::string(64, 'a'); }},
      {".supersededBy", [](json& s) { s["predicate"]["supersededBy"] = std::string(63, 'b'); }},
      {"predicateType", [](json& s) { s["predicateType"] = kDeploymentPredicateType; }},
  };
  for (const auto& [field, edit] : cases) {
    json statement = RevocationStatement(ExampleRevocation());
    edit(statement);
    Result<Revocation> parsed = ParseRevocationStatement(statement.dump());
    ASSERT_FALSE(parsed.ok()) << field;
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << field;
    EXPECT_NE(parsed.status().message().find(field), std::string::npos) << field << ": " << parsed.status().message();
  }
  const std::string bytes = RevocationStatement(ExampleRevocation()).dump();
  for (size_t length = 0; length < bytes.size(); ++length) EXPECT_FALSE(ParseRevocationStatement(bytes.substr(0, length)).ok());
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
    Result<Revocation> parsed = ParseRevocationStatement(flipped);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << i;
    }
  }
}

}  // namespace
}  // namespace assay
