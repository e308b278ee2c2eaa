#include "record/model_record_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/synthetic_model.h"
#include "test_support.h"

namespace assay {
namespace {

using ::testing::HasSubstr;
using nlohmann::json;

json SampleStatement() {
  testing::ScratchDir dir;
  SyntheticModelSpec spec;
  spec.shards = 2;
  if (!WriteSyntheticModel(dir.path().string(), spec).ok()) std::abort();
  Result<ModelManifest> manifest = BuildModelManifest(LocalFileSystem(), dir.path().string(), {});
  return ModelStatement(*manifest, {"acme/tiny", "v1"});
}

Status Parse(const json& statement) { return ParseModelStatement(statement.dump()).status(); }

TEST(ModelRecordReader, RoundTripsWhatAttestWrites) {
  json statement = SampleStatement();
  Result<ModelRecord> record = ParseModelStatement(*StatementBytes(statement));
  ASSERT_TRUE(record.ok()) << record.status().message();
  EXPECT_EQ(record->identity.name, "acme/tiny");
  EXPECT_EQ(record->identity.revision, "v1");
  ModelManifest& manifest = record->manifest;
  // Everything the statement holds comes back, so writing it again gives the same bytes.
  manifest.folder.clear();
  EXPECT_EQ(*StatementBytes(ModelStatement(manifest, record->identity)), *StatementBytes(statement));
}

TEST(ModelRecordReader, NamesTheFieldThatIsWrong) {
  json statement = SampleStatement();
  statement["predicate"]["files"][1]["size"] = -1;
  EXPECT_EQ(Parse(statement).message(), "predicate.files[1].size: expected a non-negative integer");

  statement = SampleStatement();
  statement["predicate"]["files"][1]["tensors"][0]["sha256"] = "ABC";
  EXPECT_EQ(Parse(statement).message(), "predicate.files[1].tensors[0].sha256: expected 64 lowercase hex digits");

  statement = SampleStatement();
  statement["predicateType"] = "https://example.com/other/v1";
  EXPECT_THAT(Parse(statement).message(), HasSubstr("is not a model record"));

  EXPECT_THAT(ParseModelStatement("{\"_type\":").status().message(), ::testing::StartsWith("statement: invalid JSON"));
}

TEST(ModelRecordReader, SubjectsMustAgreeWithThePredicate) {
  json statement = SampleStatement();
  statement["subject"][0]["digest"]["sha256"] = std::string(64, '0');
  Status status = Parse(statement);
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(status.message(), HasSubstr("disagrees with the predicate"));

  statement = SampleStatement();
  statement["subject"].erase(0);
  EXPECT_THAT(Parse(statement).message(), HasSubstr("subjects where the predicate names"));
}

TEST(ModelRecordReader, ARootThatDoesNotFollowFromTheTensorsIsACheckFailure) {
  json statement = SampleStatement();
  // A tensor digest edited consistently nowhere else: the roots no longer follow.
  statement["predicate"]["files"][1]["tensors"][0]["sha256"] = std::string(64, 'a');
  Status status = Parse(statement);
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(status.message(), HasSubstr("does not follow from the record's tensor table"));
}

}  // namespace
}  // namespace assay
