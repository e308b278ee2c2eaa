// Pull and push between two scratch ledgers through a file-path remote
// (docs/spec/ledger.md, Sharing): each party's ledger order only grows, and
// nothing fetched changes the local ledger before it is verified.
#include "ledger/ledger_sync.h"

#include <git2.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "ledger/ledger_verification.h"
#include "ledger_test_support.h"
#include "sign/dsse.h"

namespace assay {
namespace {

using ledger_testing::Party;
using ledger_testing::RecordIdOf;
using ledger_testing::RecordIds;
using ledger_testing::ScratchLedger;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class LedgerSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(AddLedgerRemote(ours.store(), "theirs", theirs.path()).ok());
    ASSERT_TRUE(AddLedgerRemote(theirs.store(), "ours", ours.path()).ok());
  }

  Result<PullOutcome> PullTheirs() {
    return PullLedger(ours.store(), "theirs", trust, vendor.Signer(), ours.Tick());
  }
  Result<PullOutcome> PullOurs() {
    return PullLedger(theirs.store(), "ours", trust, evaluator.Signer(), theirs.Tick());
  }

  // Appends records `numbers` of `party` to `ledger` in descending id order,
  // so that an order by id is not the order they were appended in.
  std::vector<std::string> AppendOutOfIdOrder(ScratchLedger& ledger, const Party& party, std::vector<int> numbers) {
    std::sort(numbers.begin(), numbers.end(), [&](int a, int b) {
      return RecordIdOf(party.Envelope(a)) > RecordIdOf(party.Envelope(b));
    });
    std::vector<std::string> ids;
    for (int n : numbers) ids.push_back(ledger.Append(party, n));
    return ids;
  }

  Party vendor{1, "acme"};
  Party evaluator{2, "evalco"};
  ScratchLedger ours{"ours"};
  ScratchLedger theirs{"theirs"};
  TrustFile trust = ledger_testing::TrustOf({&vendor, &evaluator});
};

TEST_F(LedgerSyncTest, FastForwardsWhileOurHeadIsOnTheirFirstParentChain) {
  Result<PullOutcome> nothing = PullTheirs();  // the remote has no records yet
  ASSERT_TRUE(nothing.ok()) << nothing.status().message();
  EXPECT_EQ(nothing->kind, PullOutcome::Kind::kUpToDate);
  EXPECT_EQ(nothing->head, "");

  theirs.Append(evaluator, 0);
  theirs.Append(evaluator, 1);
  Result<PullOutcome> first = PullTheirs();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->kind, PullOutcome::Kind::kFastForward);
  EXPECT_EQ(first->new_records, 2u);
  EXPECT_EQ(first->head, theirs.Head());
  EXPECT_EQ(ours.Head(), theirs.Head());

  theirs.Append(evaluator, 2);
  Result<PullOutcome> second = PullTheirs();
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->kind, PullOutcome::Kind::kFastForward);
  EXPECT_EQ(second->new_records, 1u);
  EXPECT_EQ(RecordIds(ours.store()), RecordIds(theirs.store()));

  Result<PullOutcome> again = PullTheirs();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, PullOutcome::Kind::kUpToDate);
  EXPECT_EQ(again->new_records, 0u);
  EXPECT_EQ(again->head, theirs.Head());
}

TEST_F(LedgerSyncTest, MergesWithASignedCommitOursFirstThenTheirsById) {
  const std::vector<std::string> ours_ids = {ours.Append(vendor, 0), ours.Append(vendor, 1)};
  const std::string our_head = ours.Head();
  const std::vector<std::string> their_ids = AppendOutOfIdOrder(theirs, evaluator, {0, 1, 2});
  std::vector<std::string> their_ids_sorted = their_ids;
  std::sort(their_ids_sorted.begin(), their_ids_sorted.end());
  ASSERT_NE(their_ids, their_ids_sorted);

  Result<PullOutcome> merged = PullTheirs();
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->kind, PullOutcome::Kind::kMerged);
  EXPECT_EQ(merged->new_records, 3u);
  EXPECT_EQ(merged->head, ours.Head());
  EXPECT_THAT(ledger_testing::ParentsOf(ours.store(), merged->head), ElementsAre(our_head, theirs.Head()));
  Result<const TrustEntry*> signer = VerifyCommitSignature(ours.store(), merged->head, trust);
  ASSERT_TRUE(signer.ok()) << signer.status().message();
  EXPECT_EQ((*signer)->name, "acme");  // the party that pulled

  std::vector<std::string> expected = ours_ids;
  expected.insert(expected.end(), their_ids_sorted.begin(), their_ids_sorted.end());
  EXPECT_EQ(RecordIds(ours.store()), expected);
  Result<LedgerReport> report = VerifyLedger(ours.store(), trust);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->commits, 6u);
  EXPECT_EQ(report->record_ids, expected);

  // They pull back: their order keeps theirs first, then ours by id.
  Result<PullOutcome> back = PullOurs();
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->kind, PullOutcome::Kind::kMerged);
  EXPECT_EQ(back->new_records, 2u);
  std::vector<std::string> ours_sorted = ours_ids;
  std::sort(ours_sorted.begin(), ours_sorted.end());
  std::vector<std::string> their_expected = their_ids;
  their_expected.insert(their_expected.end(), ours_sorted.begin(), ours_sorted.end());
  EXPECT_EQ(RecordIds(theirs.store()), their_expected);

  // Both hold every record now: no merge of merges, back and forth.
  Result<PullOutcome> settled = PullTheirs();
  ASSERT_TRUE(settled.ok()) << settled.status().message();
  EXPECT_EQ(settled->kind, PullOutcome::Kind::kUpToDate);
  EXPECT_EQ(settled->head, merged->head);
}

TEST_F(LedgerSyncTest, RefusesARemoteThatRewroteHistoryItHadShownUs) {
  theirs.Append(evaluator, 0);
  theirs.Append(evaluator, 1);
  ASSERT_TRUE(PullTheirs().ok());
  const std::string shown = theirs.Head();

  // A force push: their last commit replaced by another.
  ledger_testing::ResetBranch(theirs.store(), ledger_testing::ParentsOf(theirs.store(), shown)[0]);
  theirs.Append(evaluator, 5);
  for (int attempt = 0; attempt < 2; ++attempt) {  // the refusal repeats until someone looks
    Result<PullOutcome> pulled = PullTheirs();
    EXPECT_EQ(pulled.status().kind(), ErrorKind::kCheckFailed) << attempt;
    EXPECT_EQ(pulled.status().message(), "remote \"theirs\" rewrote its history: commit " + shown +
                                             " fetched before is gone from it; refusing to pull")
        << attempt;
    EXPECT_EQ(ours.Head(), shown);
  }
}

TEST_F(LedgerSyncTest, RefusesAFetchedRecordWhoseSignatureDoesNotVerify) {
  ours.Append(vendor, 0);
  const std::string our_head = ours.Head();
  theirs.Append(evaluator, 0);
  // Their record 1, its payload swapped for record 2's after signing.
  DsseEnvelope altered = *ParseDsseEnvelope(evaluator.Envelope(1));
  altered.payload = ParseDsseEnvelope(evaluator.Envelope(2))->payload;
  const std::string envelope = SerializeDsseEnvelope(altered);
  const std::string commit = theirs.AppendEnvelope(evaluator, envelope);

  Result<PullOutcome> pulled = PullTheirs();
  EXPECT_EQ(pulled.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(pulled.status().message(),
            "remote \"theirs\": " + ours.path() + ": record " + RecordIdOf(envelope) + " (commit " + commit +
                "): the signature by 'evalco' does not match the record: it was altered after signing");
  EXPECT_EQ(ours.Head(), our_head);
  EXPECT_EQ(RecordIds(ours.store()).size(), 1u);
}

TEST_F(LedgerSyncTest, RefusesAFetchedRecordByAKeyWeDoNotTrust) {
  Party stranger(3, "mallory");
  theirs.Append(evaluator, 0);
  const std::string id = theirs.Append(stranger, 0);

  Result<PullOutcome> pulled = PullTheirs();
  EXPECT_EQ(pulled.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(pulled.status().message(), HasSubstr("remote \"theirs\": " + ours.path() + ": record " + id));
  EXPECT_THAT(pulled.status().message(), HasSubstr("): no key in the trust file verifies the signature"));
  EXPECT_EQ(ours.Head(), "");
}

// A remote can pass every check on its own first-parent chain and still hold
// a side branch that deletes one of our records: a commit on top of our
// head, merged into theirs as a second parent that adds nothing. A three-way
// merge then deletes that record from ours. Whatever a pull does with such a
// remote, our ledger must stay append-only.
TEST_F(LedgerSyncTest, AMergeNeverDeletesOneOfOurRecords) {
  ours.Append(vendor, 0);
  const std::string kept = ours.Append(vendor, 1);
  const std::string our_head = ours.Head();
  theirs.Append(evaluator, 0);
  git_remote* remote = nullptr;  // they fetch our history, without merging it
  ASSERT_EQ(git_remote_lookup(&remote, theirs.store().repository(), "ours"), 0);
  ASSERT_EQ(git_remote_fetch(remote, nullptr, nullptr, nullptr), 0);
  git_remote_free(remote);
  const CommitSigner signer = evaluator.Signer();
  const std::string deletes = ledger_testing::WriteCommit(theirs.store(), {our_head},
                                                          {{RecordPath(kept), std::nullopt}}, &signer, theirs.Tick());
  ledger_testing::ResetBranch(theirs.store(), ledger_testing::WriteCommit(theirs.store(), {theirs.Head(), deletes},
                                                                          {}, &signer, theirs.Tick()));
  ASSERT_TRUE(VerifyLedger(theirs.store(), trust).ok());  // their own order only adds

  Result<PullOutcome> pulled = PullTheirs();
  Result<LedgerReport> report = VerifyLedger(ours.store(), trust);
  EXPECT_TRUE(report.ok()) << "after the pull (" << (pulled.ok() ? "merged" : pulled.status().message())
                           << "): " << report.status().message();
  EXPECT_THAT(RecordIds(ours.store()), ::testing::Contains(kept));
}

TEST_F(LedgerSyncTest, PushOnlyExtendsTheRemotesOwnOrder) {
  ours.Append(vendor, 0);
  ASSERT_TRUE(PushLedger(ours.store(), "theirs").ok());  // to an empty ledger
  EXPECT_EQ(theirs.Head(), ours.Head());
  ours.Append(vendor, 1);
  Status pushed = PushLedger(ours.store(), "theirs");
  ASSERT_TRUE(pushed.ok()) << pushed.message();
  EXPECT_EQ(theirs.Head(), ours.Head());

  theirs.Append(evaluator, 0);  // their own history now
  ours.Append(vendor, 2);
  Status refused = PushLedger(ours.store(), "theirs");
  EXPECT_EQ(refused.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(refused.message(), "remote \"theirs\" has its own history, which a push would reorder; "
                               "its owner should 'assay pull' from this ledger instead");
  EXPECT_EQ(RecordIds(theirs.store()).size(), 3u);
}

TEST_F(LedgerSyncTest, RemoteNamesAreCheckedAndUnique) {
  EXPECT_EQ(AddLedgerRemote(ours.store(), "bad name", theirs.path()).message(),
            "\"bad name\" is not a valid remote name");
  EXPECT_EQ(AddLedgerRemote(ours.store(), "theirs", theirs.path()).message(), "remote \"theirs\" exists already");
  Result<PullOutcome> unknown = PullLedger(ours.store(), "nobody", trust, vendor.Signer(), ours.Tick());
  EXPECT_EQ(unknown.status().kind(), ErrorKind::kNotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("no remote \"nobody\""));
  EXPECT_THAT(unknown.status().hint(), HasSubstr("assay remote add nobody"));
  EXPECT_EQ(PushLedger(ours.store(), "nobody").kind(), ErrorKind::kNotFound);
}

}  // namespace
}  // namespace assay
