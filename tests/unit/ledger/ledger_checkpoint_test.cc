// Checkpoints of scratch ledgers (docs/spec/checkpoint.md): a checkpoint
// commits to the records in ledger order at one commit; a ledger extends it
// only while that commit stays on its first-parent chain with those records;
// a witness cosigns only a checkpoint its previous one is a prefix of.
#include "ledger/ledger_checkpoint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "digest/merkle.h"
#include "digest/sha256.h"
#include "ledger_test_support.h"
#include "sign/signed_note.h"

namespace assay {
namespace {

using ledger_testing::Party;
using ledger_testing::ScratchLedger;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "ledger.example.com/acme";
constexpr uint64_t kCosignTime = 1'790'100'000;

class LedgerCheckpointTest : public ::testing::Test {
 protected:
  LedgerCheckpointTest() {
    EXPECT_TRUE(trust.Add(log.Trusted()).ok());
    EXPECT_TRUE(trust.Add(witness.Trusted({TrustRole::kWitness})).ok());
  }

  std::vector<std::string> AppendRecords(int from, int to) {
    std::vector<std::string> ids;
    for (int n = from; n < to; ++n) ids.push_back(ledger.Append(log, n));
    return ids;
  }
  std::string Checkpoint(const std::string& origin = kOrigin) {
    Result<std::string> note = MakeLedgerCheckpoint(ledger.store(), origin, log.key.key());
    EXPECT_TRUE(note.ok()) << note.status().message();
    return note.ok() ? *note : std::string();
  }
  // A checkpoint signed by `signer` saying whatever it is told.
  std::string Forged(uint64_t size, const Sha256Digest& root, const std::string& commit, const Party& signer) {
    assay::Checkpoint checkpoint{kOrigin, size, root, {*GitCommitExtension(commit)}};
    return *SignNote(*FormatCheckpoint(checkpoint), kOrigin, signer.key.key());
  }
  Result<std::string> Cosign(const std::string& note, const std::optional<std::string>& previous) {
    return CosignLedgerCheckpoint(ledger.store(), note, previous, trust, "witness", witness.key.key(), kCosignTime);
  }

  Party log{1, "acme"};
  Party witness{4, "witness"};
  Party stranger{3, "mallory"};
  ScratchLedger ledger;
  TrustFile trust;
};

TEST_F(LedgerCheckpointTest, ACheckpointCommitsToTheRecordsInLedgerOrder) {
  Result<std::string> none = MakeLedgerCheckpoint(ledger.store(), kOrigin, log.key.key());
  EXPECT_EQ(none.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(none.status().message(), ledger.path() + ": the ledger has no records to checkpoint");

  const std::vector<std::string> ids = AppendRecords(0, 3);
  const std::string head = ledger.Head();
  const std::string note = Checkpoint();
  Result<CheckedCheckpoint> checked = CheckLedgerExtends(ledger.store(), note, trust);
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_EQ(checked->checkpoint.origin, kOrigin);
  EXPECT_EQ(checked->checkpoint.size, 3u);
  EXPECT_EQ(checked->commit, head);
  EXPECT_THAT(checked->signers, ElementsAre("acme"));
  std::vector<Sha256Digest> leaves;
  for (const std::string& id : ids) {
    const Sha256Digest raw = *Sha256FromHex(id);
    leaves.push_back(MerkleLeafHash(std::span<const uint8_t>(raw.data(), raw.size())));
  }
  EXPECT_EQ(*RecordLeafHashes(ledger.store()), leaves);
  EXPECT_EQ(checked->checkpoint.root, MerkleRoot(leaves));

  // The ledger grows: it still extends the checkpoint.
  AppendRecords(3, 5);
  Result<CheckedCheckpoint> later = CheckLedgerExtends(ledger.store(), note, trust);
  ASSERT_TRUE(later.ok()) << later.status().message();
  EXPECT_EQ(later->commit, head);
  EXPECT_EQ(RecordLeafHashes(ledger.store(), head)->size(), 3u);
}

TEST_F(LedgerCheckpointTest, ARewrittenLedgerNoLongerExtendsItsCheckpoint) {
  AppendRecords(0, 3);
  const std::string head = ledger.Head();
  const std::string note = Checkpoint();
  const std::string expected = "history rewritten: the checkpoint's commit " + head +
                               " is no longer in the ledger's history";

  // The last record replaced by another (an amend, then a force push).
  ledger_testing::ResetBranch(ledger.store(), ledger_testing::ParentsOf(ledger.store(), head)[0]);
  ledger.Append(log, 9);
  Result<CheckedCheckpoint> amended = CheckLedgerExtends(ledger.store(), note, trust);
  EXPECT_EQ(amended.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(amended.status().message(), expected);

  // Records removed: the head moved back to the first commit.
  std::string first = head;
  while (!ledger_testing::ParentsOf(ledger.store(), first).empty()) {
    first = ledger_testing::ParentsOf(ledger.store(), first)[0];
  }
  ledger_testing::ResetBranch(ledger.store(), first);
  EXPECT_EQ(CheckLedgerExtends(ledger.store(), note, trust).status().message(), expected);
}

TEST_F(LedgerCheckpointTest, ACheckpointWhoseRecordsAreNotTheLedgersFails) {
  AppendRecords(0, 3);
  const std::string head = ledger.Head();
  std::vector<Sha256Digest> leaves = *RecordLeafHashes(ledger.store());
  std::swap(leaves[0], leaves[1]);  // the same records in another order
  Result<CheckedCheckpoint> reordered =
      CheckLedgerExtends(ledger.store(), Forged(3, MerkleRoot(leaves), head, log), trust);
  EXPECT_EQ(reordered.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(reordered.status().message(),
            "the ledger's records at commit " + head + " are not the 3 records the checkpoint commits to");

  leaves.pop_back();  // fewer records than the commit holds
  Result<CheckedCheckpoint> shorter =
      CheckLedgerExtends(ledger.store(), Forged(2, MerkleRoot(leaves), head, log), trust);
  EXPECT_EQ(shorter.status().message(),
            "the ledger's records at commit " + head + " are not the 2 records the checkpoint commits to");
}

TEST_F(LedgerCheckpointTest, ACheckpointSignedByAnUntrustedKeyFails) {
  AppendRecords(0, 2);
  const std::string head = ledger.Head();
  Result<CheckedCheckpoint> checked =
      CheckLedgerExtends(ledger.store(), Forged(2, MerkleRoot(*RecordLeafHashes(ledger.store())), head, stranger), trust);
  EXPECT_EQ(checked.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(checked.status().message(),
              ::testing::StartsWith(std::string("checkpoint of ") + kOrigin + " is not signed by a trusted key: "));
}

TEST_F(LedgerCheckpointTest, AWitnessCosignsACheckpointItsPreviousOneIsAPrefixOf) {
  AppendRecords(0, 2);
  const std::string previous = Checkpoint();
  AppendRecords(2, 4);
  const std::string current = Checkpoint();

  for (const std::optional<std::string>& before : {std::optional<std::string>(), std::optional(previous),
                                                   std::optional(current)}) {
    Result<std::string> cosigned = Cosign(current, before);
    ASSERT_TRUE(cosigned.ok()) << cosigned.status().message();
    EXPECT_THAT(*cosigned, ::testing::StartsWith(current.substr(0, current.find("\n\n"))));
    Result<uint64_t> time = VerifyCosignature(*cosigned, "witness", witness.key.key().public_key());
    ASSERT_TRUE(time.ok()) << time.status().message();
    EXPECT_EQ(*time, kCosignTime);
  }
}

TEST_F(LedgerCheckpointTest, AWitnessRefusesACheckpointItsPreviousOneIsNotAPrefixOf) {
  AppendRecords(0, 2);
  const std::string two = Checkpoint();
  const std::string two_head = ledger.Head();
  AppendRecords(2, 4);
  const std::string four = Checkpoint();

  // An older checkpoint after a newer one: the log would shrink.
  Result<std::string> shrank = Cosign(two, four);
  EXPECT_EQ(shrank.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(shrank.status().message(), "the log shrank from 4 to 2 records");

  // Another log's checkpoint as the previous one.
  Result<std::string> other = Cosign(four, Checkpoint("ledger.example.com/other"));
  EXPECT_EQ(other.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(other.status().message(), "the previous checkpoint is of another log (ledger.example.com/other)");

  // A previous checkpoint at a real ancestor, but not with its records.
  std::vector<Sha256Digest> wrong = *RecordLeafHashes(ledger.store(), two_head);
  std::swap(wrong[0], wrong[1]);
  Result<std::string> forged = Cosign(four, Forged(2, MerkleRoot(wrong), two_head, log));
  EXPECT_EQ(forged.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(forged.status().message(),
            "the ledger's records at commit " + two_head + " are not the 2 records the checkpoint commits to");

  // History rewritten after the witness cosigned: the new checkpoint's commit
  // no longer descends from the one it saw.
  ledger_testing::ResetBranch(ledger.store(), ledger_testing::ParentsOf(ledger.store(), two_head)[0]);
  AppendRecords(7, 10);
  const std::string rewritten = Checkpoint();
  Result<std::string> refused = Cosign(rewritten, two);
  EXPECT_EQ(refused.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(refused.status().message(), "history rewritten: the commit " + two_head +
                                            " this witness cosigned is not an ancestor of " + ledger.Head());
  // And the checkpoints made before the rewrite no longer hold.
  EXPECT_THAT(Cosign(four, std::nullopt).status().message(), HasSubstr("history rewritten"));
}

}  // namespace
}  // namespace assay
