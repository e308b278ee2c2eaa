#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model/synthetic_model.h"
#include "ops/attest_model.h"
#include "ops/verify_model.h"
#include "ops_fixture.h"

namespace assay {
namespace {

using ::testing::HasSubstr;

AttestModelRequest Attest(std::string folder, std::string name, std::optional<std::string> revision = std::nullopt,
                          std::string output_path = "") {
  AttestModelRequest request;
  request.folder = std::move(folder);
  request.name = std::move(name);
  request.revision = std::move(revision);
  request.output_path = std::move(output_path);
  return request;
}

VerifyModelRequest Verify(std::string record, std::string folder) {
  VerifyModelRequest request;
  request.record = std::move(record);
  request.folder = std::move(folder);
  return request;
}

class ModelOps : public testing::OpsFixture {
 protected:
  std::string Model(const std::string& name, SyntheticModelSpec spec = {}) {
    const std::string folder = (dir_.path() / name).string();
    EXPECT_TRUE(WriteSyntheticModel(folder, spec).ok());
    return folder;
  }
};

TEST_F(ModelOps, AttestPublishesASignedRecordAndVerifyChecksIt) {
  AddParty("acme", {TrustRole::kVendor});
  SignAs("acme");
  CreateLedger();
  const std::string folder = Model("tiny");
  const std::string record_file = (dir_.path() / "tiny.record.json").string();
  Result<AttestedModel> attested =
      AttestModel(*context_, Attest(folder, "acme/tiny", "v1", record_file));
  ASSERT_TRUE(attested.ok()) << attested.status().message();
  ASSERT_TRUE(attested->published.appended.has_value());
  EXPECT_FALSE(attested->published.appended->already_present);
  EXPECT_EQ(attested->published.written, std::vector<std::string>{record_file});
  EXPECT_GT(output_.progress_total, 0u);  // the walk told the progress what it would hash

  for (const std::string& reference : {record_file, std::string("acme/tiny@v1"), attested->published.id.substr(0, 12)}) {
    Result<ModelVerification> verified =
        VerifyModel(*context_, Verify(reference, folder));
    ASSERT_TRUE(verified.ok()) << reference << ": " << verified.status().message();
    EXPECT_TRUE(verified->folder_matches()) << reference;
    EXPECT_EQ(verified->record.record->signers.front().entry->name, "acme");
    EXPECT_TRUE(VerdictOf(*verified).ok());
  }

  SyntheticModelSpec changed;
  changed.changed_tensors = {"model.layers.0.self_attn.q_proj.weight"};
  Result<ModelVerification> differs =
      VerifyModel(*context_, Verify(record_file, Model("changed", changed)));
  ASSERT_TRUE(differs.ok());
  EXPECT_FALSE(differs->folder_matches());
  EXPECT_EQ(VerdictOf(*differs).kind(), ErrorKind::kCheckFailed);
}

// Nothing is left behind by a failed append, and the key is asked for only
// once the folder is known to be there.
TEST_F(ModelOps, FailuresLeaveNothingAndComeInTheRightOrder) {
  const std::string folder = Model("tiny");
  Result<AttestedModel> no_folder =
      AttestModel(*context_, Attest(folder + "-missing", "x"));
  EXPECT_EQ(no_folder.status().kind(), ErrorKind::kIo);
  EXPECT_THAT(no_folder.status().message(), HasSubstr("tiny-missing"));

  Result<AttestedModel> no_key = AttestModel(*context_, Attest(folder, "x"));
  EXPECT_THAT(no_key.status().message(), HasSubstr("nobody.key: no secret key here"));
  EXPECT_THAT(no_key.status().hint(), HasSubstr("assay key generate"));

  AddParty("acme", {TrustRole::kVendor});
  SignAs("acme");
  // The context names a ledger that is not there (and is not the default one).
  const std::string record_file = (dir_.path() / "left.json").string();
  Result<AttestedModel> no_ledger =
      AttestModel(*context_, Attest(folder, "x", std::nullopt, record_file));
  EXPECT_EQ(no_ledger.status().kind(), ErrorKind::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(record_file));

  Result<AttestedModel> control = AttestModel(*context_, Attest(folder, "a\nb"));
  EXPECT_EQ(control.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(control.status().message(), HasSubstr("'a\\nb' holds a control character"));
}

}  // namespace
}  // namespace assay
