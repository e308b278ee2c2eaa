// The ledger operations (src/ops/ledger_ops.h: init, reindex, log, show,
// verify ledger, checkpoint and cosign, remote add, push, pull) on scratch
// ledgers with real signatures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "model/synthetic_model.h"
#include "ops/attest_model.h"
#include "ops/ledger_ops.h"
#include "ops_fixture.h"

namespace assay {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadFileOrDie;

// `bytes` at `path`, its folder made first.
void WriteScratchFile(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  ASSERT_TRUE(LocalFileSystem().WriteFileAtomically(path, bytes).ok()) << path;
}

class LedgerOps : public testing::OpsFixture {
 protected:
  LedgerOps() {
    AddParty("acme", {TrustRole::kVendor});
    SignAs("acme");
    folder_ = (dir_.path() / "model").string();
    EXPECT_TRUE(WriteSyntheticModel(folder_, SyntheticModelSpec{}).ok());
  }

  std::string Path(const std::string& name) const { return (dir_.path() / name).string(); }

  // A model record of the fixture's model named `name`, appended; its id.
  std::string AppendModel(const std::string& name, const std::string& revision = "v1") {
    AttestModelRequest request;
    request.folder = folder_;
    request.name = name;
    request.revision = revision;
    request.use_cache = false;
    Result<AttestedModel> attested = AttestModel(*context_, request);
    EXPECT_TRUE(attested.ok()) << attested.status().message();
    return attested.ok() ? attested->published.id : "";
  }

  std::string folder_;
};

TEST_F(LedgerOps, InitMakesTheContextsLedgerOrTheOneNamed) {
  Result<InitializedLedger> made = InitLedger(*context_, {});
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_EQ(made->path, context_->paths.ledger);
  EXPECT_TRUE(std::filesystem::exists(context_->paths.ledger));
  Result<InitializedLedger> other = InitLedger(*context_, {Path("other")});
  ASSERT_TRUE(other.ok()) << other.status().message();
  EXPECT_EQ(other->path, Path("other"));
  // Anything else that is there is refused.
  WriteScratchFile(Path("occupied/file"), "x");
  EXPECT_FALSE(InitLedger(*context_, {Path("occupied")}).ok());
}

TEST_F(LedgerOps, ANamedLedgerThatIsMissingIsNotFound) {
  Result<LedgerLog> log = LogLedger(*context_, {});
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().kind(), ErrorKind::kNotFound);
  EXPECT_THAT(log.status().hint(), HasSubstr("assay init"));
}

TEST_F(LedgerOps, TheDefaultLedgerIsMadeOnFirstUse) {
  context_->paths.ledger_is_default = true;
  Result<LedgerLog> log = LogLedger(*context_, {});
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_TRUE(log->entries.empty());
  EXPECT_TRUE(std::filesystem::exists(context_->paths.ledger));
}

TEST_F(LedgerOps, LogListsNewestFirstAndSelects) {
  CreateLedger();
  const std::string a = AppendModel("acme/a");
  const std::string b = AppendModel("acme/b", "v2");
  Result<LedgerLog> log = LogLedger(*context_, {});
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->entries.size(), 2u);
  EXPECT_EQ(log->entries[0].record.id, b);
  EXPECT_EQ(log->entries[0].record.position, 1u);
  EXPECT_EQ(log->entries[0].headline, "model acme/b@v2");
  EXPECT_TRUE(log->entries[0].counts());
  EXPECT_EQ(log->entries[1].record.id, a);

  LogRequest by_name;
  by_name.model = "acme/a@v1";
  Result<LedgerLog> named = LogLedger(*context_, by_name);
  ASSERT_TRUE(named.ok()) << named.status().message();
  ASSERT_EQ(named->entries.size(), 1u);
  EXPECT_EQ(named->entries[0].record.id, a);

  LogRequest limited;
  limited.limit = 1;
  Result<LedgerLog> one = LogLedger(*context_, limited);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->entries.size(), 1u);
  EXPECT_EQ(one->entries[0].record.id, b);
}

TEST_F(LedgerOps, LogMarksARecordWhoseSignerDoesNotCountInItsRole) {
  AddParty("eve", {TrustRole::kEvaluator});
  CreateLedger();
  AppendModel("acme/a");
  SignAs("eve");  // a model record needs a vendor
  AppendModel("eve/a");
  Result<LedgerLog> log = LogLedger(*context_, {});
  ASSERT_TRUE(log.ok()) << log.status().message();
  ASSERT_EQ(log->entries.size(), 2u);
  EXPECT_EQ(log->entries[0].mark, "NOT COUNTED");
  EXPECT_FALSE(log->entries[0].reason.empty());
  EXPECT_TRUE(log->entries[1].counts());
}

TEST_F(LedgerOps, ShowFindsARecordByPrefixAndGivesItsStatement) {
  CreateLedger();
  const std::string id = AppendModel("acme/a");
  Result<ShownRecord> shown = ShowRecord(*context_, {id.substr(0, 12), false});
  ASSERT_TRUE(shown.ok()) << shown.status().message();
  EXPECT_EQ(shown->record.id, id);
  ASSERT_TRUE(shown->summary.has_value());
  EXPECT_EQ(shown->headline, "model acme/a@v1");
  EXPECT_FALSE(shown->statement.has_value());

  Result<ShownRecord> statement = ShowRecord(*context_, {id, true});
  ASSERT_TRUE(statement.ok()) << statement.status().message();
  ASSERT_TRUE(statement->statement.has_value());
  EXPECT_EQ((*statement->statement)["predicateType"], "https://assay.dev/model/v1");

  Result<ShownRecord> unknown = ShowRecord(*context_, {"0000000000", false});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().kind(), ErrorKind::kNotFound);
}

TEST_F(LedgerOps, ReindexGivesTheSameDigestAndReplacesADamagedIndex) {
  CreateLedger();
  AppendModel("acme/a");
  AppendModel("acme/b");
  Result<ReindexedLedger> first = ReindexLedger(*context_);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->records, 2u);
  ASSERT_TRUE(first->before.has_value());
  EXPECT_EQ(*first->before, first->digest);

  // An index that is not a database at all is derived data: replaced.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(context_->paths.cache_dir)) {
    if (entry.is_regular_file()) WriteScratchFile(entry.path().string(), "not sqlite");
  }
  Result<ReindexedLedger> again = ReindexLedger(*context_);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->records, 2u);
  EXPECT_EQ(again->digest, first->digest);
  // The new, empty index was brought up to date from git before the rebuild.
  EXPECT_EQ(again->before, first->digest);
}

TEST_F(LedgerOps, VerifyProvesTheHistoryAndChecksACheckpoint) {
  CreateLedger();
  AppendModel("acme/a");
  AppendModel("acme/b");
  CheckpointRequest make;
  make.origin = "example.org/acme-ledger";
  make.output = Path("cp.note");
  Result<SignedCheckpoint> checkpoint = MakeCheckpoint(*context_, make);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
  EXPECT_EQ(checkpoint->written, make.output);
  EXPECT_EQ(ReadFileOrDie(make.output), checkpoint->note);

  Result<LedgerVerification> plain = VerifyLedgerHistory(*context_, {});
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(plain->report.record_ids.size(), 2u);
  EXPECT_EQ(plain->report.commits, 2u);
  EXPECT_FALSE(plain->checkpoint.has_value());
  EXPECT_TRUE(LedgerVerdict(*plain).ok());

  Result<LedgerVerification> checked = VerifyLedgerHistory(*context_, {make.output});
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  ASSERT_TRUE(checked->checkpoint.has_value());
  EXPECT_EQ(checked->checkpoint->checked.checkpoint.size, 2u);
  EXPECT_THAT(checked->checkpoint->checked.signers, ElementsAre("acme"));
  EXPECT_TRUE(LedgerVerdict(*checked).ok());

  // A checkpoint that cannot be read fails the verdict, beside what the proof found.
  Result<LedgerVerification> missing = VerifyLedgerHistory(*context_, {Path("nothing.note")});
  ASSERT_TRUE(missing.ok()) << missing.status().message();
  EXPECT_EQ(missing->report.record_ids.size(), 2u);
  EXPECT_FALSE(LedgerVerdict(*missing).ok());
}

TEST_F(LedgerOps, AWitnessCosignsCheckpointsThatExtendTheLastAndVerifyNamesIt) {
  AddParty("witness", {TrustRole::kWitness});
  CreateLedger();
  AppendModel("acme/a");
  CheckpointRequest make;
  make.origin = "example.org/acme-ledger";
  Result<SignedCheckpoint> first = MakeCheckpoint(*context_, make);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->written.empty());
  WriteScratchFile(Path("cp1.note"), first->note);
  AppendModel("acme/b");
  Result<SignedCheckpoint> second = MakeCheckpoint(*context_, make);
  ASSERT_TRUE(second.ok());
  WriteScratchFile(Path("cp2.note"), second->note);

  SignAs("witness");
  CosignRequest cosign;
  cosign.checkpoint = Path("cp2.note");
  cosign.witness_name = "example.org/witness";
  cosign.output = Path("cp2.cosigned");
  Result<SignedCheckpoint> cosigned = CosignCheckpoint(*context_, cosign);
  ASSERT_TRUE(cosigned.ok()) << cosigned.status().message();
  EXPECT_TRUE(std::filesystem::exists(context_->paths.config_dir + "/witness"));
  // The older checkpoint does not extend the one this witness cosigned last.
  cosign.checkpoint = Path("cp1.note");
  cosign.output.clear();
  EXPECT_FALSE(CosignCheckpoint(*context_, cosign).ok());

  Result<LedgerVerification> verified = VerifyLedgerHistory(*context_, {Path("cp2.cosigned")});
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  ASSERT_TRUE(verified->checkpoint.has_value());
  EXPECT_THAT(verified->checkpoint->cosigners, ElementsAre("witness (as example.org/witness)"));
}

TEST_F(LedgerOps, RemotesPushAndPull) {
  CreateLedger();
  AppendModel("acme/a");
  const std::string ours = context_->paths.ledger;
  ASSERT_TRUE(InitLedger(*context_, {Path("mirror")}).ok());
  Result<AddedRemote> added = AddRemote(*context_, {"mirror", Path("mirror")});
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_FALSE(AddRemote(*context_, {"mirror", Path("mirror")}).ok());  // exists already
  Result<PushedLedger> pushed = PushToRemote(*context_, {"mirror", ""});
  ASSERT_TRUE(pushed.ok()) << pushed.status().message();
  ASSERT_TRUE(pushed->head.has_value());

  // The mirror's side: it pulls our record back from us.
  context_->paths.ledger = Path("mirror");
  ASSERT_TRUE(AddRemote(*context_, {"ours", ours}).ok());
  Result<PulledLedger> pulled = PullFromRemote(*context_, {"ours", ""});
  ASSERT_TRUE(pulled.ok()) << pulled.status().message();
  EXPECT_EQ(pulled->outcome.kind, PullOutcome::Kind::kUpToDate);
  EXPECT_EQ(pulled->outcome.head, *pushed->head);
}

TEST_F(LedgerOps, AnUnknownRemoteIsNotFoundWithAHintNamingRemoteAdd) {
  CreateLedger();
  for (const Status& status : {PushToRemote(*context_, {"nobody", ""}).status(),
                               PullFromRemote(*context_, {"nobody", ""}).status()}) {
    EXPECT_EQ(status.kind(), ErrorKind::kNotFound);
    EXPECT_THAT(status.message(), HasSubstr("no remote \"nobody\""));
    EXPECT_THAT(status.hint(), HasSubstr("assay remote add nobody"));
  }
}

}  // namespace
}  // namespace assay
