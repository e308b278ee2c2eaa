#include "record/model_statement.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/model_manifest.h"
#include "model/synthetic_model.h"
#include "test_support.h"

namespace assay {
namespace {

TEST(ModelStatement, HasFileAndRootSubjectsAndStableBytes) {
  testing::ScratchDir dir;
  ASSERT_TRUE(WriteSyntheticModel(dir.path().string(), SyntheticModelSpec()).ok());
  Result<ModelManifest> manifest = BuildModelManifest(LocalFileSystem(), dir.path().string(), ManifestOptions());
  ASSERT_TRUE(manifest.ok());
  nlohmann::json statement = ModelStatement(*manifest, {"acme/tiny", "v1"});
  EXPECT_EQ(statement["_type"], kInTotoStatementType);
  EXPECT_EQ(statement["predicateType"], kModelPredicateType);
  const auto& subjects = statement["subject"];
  EXPECT_EQ(subjects.size(), manifest->files.size() + 1);
  EXPECT_EQ(subjects.back()["name"], "weights-root:safetensors");
  EXPECT_EQ(subjects.back()["digest"]["rfc6962-sha256"], ToHex(manifest->weights_roots[0].root));
  EXPECT_EQ(statement["predicate"]["configDigests"].count("config.json"), 1u);
  EXPECT_EQ(*StatementBytes(statement), *StatementBytes(nlohmann::json::parse(*StatementBytes(statement))));
}

}  // namespace
}  // namespace assay
