#include "record/deployment_statement.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "record/in_toto.h"

namespace assay {
namespace {

using json = nlohmann::json;

Deployment ExampleDeployment() {
  Deployment deployment;
  deployment.endpoint = Endpoint{"acme-cloud", "widget"};
  deployment.model_record = std::string(64, 'a');
  deployment.model_name = "acme/widget";
  deployment.model_revision = "v2";
  deployment.weights_roots = {"safetensors:" + std::string(64, 'b')};
  deployment.from = "2026-12-01T16:00:00Z";
  deployment.until = "2026-12-02T00:00:00Z";
  return deployment;
}

TEST(DeploymentStatement, ReadsBackWhatItWrites) {
  const json statement = DeploymentStatement(ExampleDeployment());
  EXPECT_EQ(statement["predicateType"], kDeploymentPredicateType);
  EXPECT_EQ(statement["subject"][0]["digest"]["sha256"], std::string(64, 'a'));
  Result<Deployment> back = ParseDeploymentStatement(statement.dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(DeploymentStatement(*back), statement);
}

TEST(DeploymentStatement, AHostileRecordIsRefusedNamingTheField) {
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"disagrees with the predicate", [](json& s) { s["subject"][0]["digest"]["sha256"] = std::string(64, 'c'); }},
      {".endpoint", [](json& s) { s["predicate"]["endpoint"]["provider"] = ""; }},
      {".model.record", [](json& s) { s["predicate"]["model"]["record"] = "abc"; }},
      {".model.weightsRoots[0]", [](json& s) { s["predicate"]["model"]["weightsRoots"][0] = 1; }},
      {".from", [](json& s) { s["predicate"]["from"] = "2026-12-01T16:00:00+02:00"; }},
      {".until", [](json& s) { s["predicate"]["until"] = "2026-12-01T15:00:00Z"; }},
      {".until", [](json& s) { s["predicate"]["until"] = "later"; }},
  };
  for (const auto& [field, edit] : cases) {
    json statement = DeploymentStatement(ExampleDeployment());
    edit(statement);
    Result<Deployment> parsed = ParseDeploymentStatement(statement.dump());
    ASSERT_FALSE(parsed.ok()) << field;
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << field;
    EXPECT_NE(parsed.status().message().find(field), std::string::npos) << field << ": " << parsed.status().message();
  }
  const std::string bytes = DeploymentStatement(ExampleDeployment()).dump();
  for (size_t length = 0; length < bytes.size(); ++length) EXPECT_FALSE(ParseDeploymentStatement(bytes.substr(0, length)).ok());
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x20);
    Result<Deployment> parsed = ParseDeploymentStatement(flipped);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << i;
    }
  }
}

}  // namespace
}  // namespace assay
