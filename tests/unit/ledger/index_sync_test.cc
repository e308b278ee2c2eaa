// SyncIndex and RebuildIndex against scratch ledgers: the index catches up
// from git, refuses a history that no longer holds the head it saw, and a
// rebuild from git alone gives the same index.
#include "ledger/index_sync.h"

#include <git2.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "digest/sha256.h"
#include "ledger/ledger_index.h"
#include "ledger_test_support.h"

namespace assay {
namespace {

using ledger_testing::Party;
using ledger_testing::RecordIds;
using ledger_testing::ScratchLedger;
using ::testing::MatchesRegex;

std::unique_ptr<LedgerIndex> OpenIndex(const ScratchLedger& ledger, const std::string& name = "index.sqlite3") {
  Result<std::unique_ptr<LedgerIndex>> index = LedgerIndex::Open((ledger.dir().path() / name).string());
  EXPECT_TRUE(index.ok()) << index.status().message();
  return index.ok() ? std::move(*index) : nullptr;
}

// An index of `ledger`, synced to its head.
std::unique_ptr<LedgerIndex> SyncedIndex(const ScratchLedger& ledger, const std::string& name = "index.sqlite3") {
  std::unique_ptr<LedgerIndex> index = OpenIndex(ledger, name);
  Status synced = index != nullptr ? SyncIndex(ledger.store(), *index) : Status::IoError("no index");
  EXPECT_TRUE(synced.ok()) << synced.message();
  return index;
}

// The index's records, oldest first.
std::vector<RecordEntry> Rows(LedgerIndex& index) {
  Result<std::vector<RecordEntry>> newest_first = index.Log(1000);
  EXPECT_TRUE(newest_first.ok()) << newest_first.status().message();
  std::vector<RecordEntry> rows = newest_first.ok() ? *newest_first : std::vector<RecordEntry>();
  std::reverse(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> RowIds(LedgerIndex& index) {
  std::vector<std::string> ids;
  for (const RecordEntry& row : Rows(index)) ids.push_back(row.id);
  return ids;
}

std::optional<std::string> Head(const ScratchLedger& ledger) {
  std::string head = ledger.Head();
  return head.empty() ? std::nullopt : std::optional<std::string>(head);
}

TEST(IndexSync, CatchesUpAnIndexThatLags) {
  ScratchLedger ledger;
  Party vendor(1);
  ledger.Append(vendor, 0);
  std::unique_ptr<LedgerIndex> index = SyncedIndex(ledger);
  EXPECT_EQ(*index->Count(), 1u);

  // Two appends whose index writes were lost (a crash after the ref moved).
  ledger.Append(vendor, 1);
  ledger.Append(vendor, 2);
  EXPECT_EQ(*index->Count(), 1u);
  Status synced = SyncIndex(ledger.store(), *index);
  ASSERT_TRUE(synced.ok()) << synced.message();
  EXPECT_EQ(*index->Count(), 3u);
  EXPECT_EQ(*index->Head(), Head(ledger));
  EXPECT_EQ(RowIds(*index), RecordIds(ledger.store()));
  const std::vector<RecordEntry> rows = Rows(*index);
  const std::vector<LedgerEntry> entries = ledger_testing::Entries(ledger.store());
  ASSERT_EQ(rows.size(), entries.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].position, i);
    EXPECT_EQ(rows[i].commit, entries[i].commit);  // the commit that added it
  }
}

TEST(IndexSync, ARepeatedSyncChangesNothing) {
  ScratchLedger ledger;
  std::unique_ptr<LedgerIndex> index = OpenIndex(ledger);
  ASSERT_TRUE(SyncIndex(ledger.store(), *index).ok());  // an empty ledger
  EXPECT_EQ(*index->Head(), std::nullopt);

  Party vendor(1);
  for (int n = 0; n < 3; ++n) ledger.Append(vendor, n);
  ASSERT_TRUE(SyncIndex(ledger.store(), *index).ok());
  const std::string digest = *index->Digest();
  for (int repeat = 0; repeat < 2; ++repeat) {
    Status again = SyncIndex(ledger.store(), *index);
    ASSERT_TRUE(again.ok()) << again.message();
    EXPECT_EQ(*index->Count(), 3u);
    EXPECT_EQ(*index->Digest(), digest);
  }
}

TEST(IndexSync, RefusesARewrittenHistoryNamingTheHeadItSaw) {
  ScratchLedger ledger;
  Party vendor(1);
  for (int n = 0; n < 3; ++n) ledger.Append(vendor, n);
  std::unique_ptr<LedgerIndex> index = SyncedIndex(ledger);
  const std::string seen = ledger.Head();
  const std::string digest = *index->Digest();

  // An amend: the last commit replaced by another on the same parent.
  ledger_testing::ResetBranch(ledger.store(), ledger_testing::ParentsOf(ledger.store(), seen)[0]);
  ledger.Append(vendor, 9);
  Status status = SyncIndex(ledger.store(), *index);
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(status.message(), ledger.path() + ": history rewritten: head " + seen +
                                  ", seen here before, is no longer in the ledger; run 'assay reindex' only if "
                                  "you accept the new history");
  EXPECT_EQ(*index->Head(), seen);  // nothing changed
  EXPECT_EQ(*index->Digest(), digest);
  EXPECT_EQ(SyncIndex(ledger.store(), *index).kind(), ErrorKind::kCheckFailed);  // and it repeats

  // A rewrite that keeps the old head as an ancestor, but not a first parent,
  // also reorders the ledger: refused too.
  ScratchLedger other;
  other.Append(vendor, 0);
  std::unique_ptr<LedgerIndex> other_index = SyncedIndex(other);
  const std::string first = other.Head();
  const CommitSigner signer = vendor.Signer();
  const std::string side = ledger_testing::WriteCommit(other.store(), {first}, {}, &signer, other.Tick());
  const std::string root = ledger_testing::WriteCommit(other.store(), {}, {}, &signer, other.Tick());
  ledger_testing::ResetBranch(other.store(),
                              ledger_testing::WriteCommit(other.store(), {root, side}, {}, &signer, other.Tick()));
  EXPECT_THAT(SyncIndex(other.store(), *other_index).message(),
              ::testing::HasSubstr(": history rewritten: head " + first + ", seen here before"));

  // `assay reindex` accepts the new history on purpose; syncs work again.
  Status rebuilt = RebuildIndex(ledger.store(), *index);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.message();
  EXPECT_EQ(*index->Head(), Head(ledger));
  EXPECT_EQ(RowIds(*index), RecordIds(ledger.store()));
  EXPECT_TRUE(SyncIndex(ledger.store(), *index).ok());
}

TEST(IndexSync, RefusesALedgerEmptiedUnderIt) {
  ScratchLedger ledger;
  Party vendor(1);
  ledger.Append(vendor, 0);
  std::unique_ptr<LedgerIndex> index = SyncedIndex(ledger);
  const std::string seen = ledger.Head();
  git_reference* branch = nullptr;
  ASSERT_EQ(git_reference_lookup(&branch, ledger.store().repository(), kLedgerBranch), 0);
  ASSERT_EQ(git_reference_delete(branch), 0);
  git_reference_free(branch);

  Status status = SyncIndex(ledger.store(), *index);
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(status.message(), ledger.path() + ": history rewritten: the ledger is empty, but this machine saw head " +
                                  seen + "; run 'assay reindex' to accept the new history");
  EXPECT_EQ(*index->Count(), 1u);
}

TEST(IndexSync, ARebuildHasTheDigestOfTheIndexBuiltAppendByAppend) {
  ScratchLedger ledger;
  Party vendor(1), evaluator(2, "evalco");
  std::unique_ptr<LedgerIndex> incremental = OpenIndex(ledger, "incremental.sqlite3");
  for (int n = 0; n < 4; ++n) {
    ledger.Append(n % 2 == 0 ? vendor : evaluator, n);
    ASSERT_TRUE(SyncIndex(ledger.store(), *incremental).ok());
  }
  // A merge brings in two records of a side branch at once, ordered by id.
  const CommitSigner vendor_signs = vendor.Signer(), evaluator_signs = evaluator.Signer();
  std::string side = ledger.Head();
  for (int n : {7, 8}) {
    side = ledger_testing::WriteCommit(ledger.store(), {side}, {ledger_testing::AddRecord(evaluator.Envelope(n))},
                                       &evaluator_signs, ledger.Tick());
  }
  ledger.Append(vendor, 4);
  ASSERT_TRUE(SyncIndex(ledger.store(), *incremental).ok());
  ledger_testing::ResetBranch(
      ledger.store(), ledger_testing::WriteCommit(ledger.store(), {ledger.Head(), side},
                                                  {ledger_testing::AddRecord(evaluator.Envelope(7)),
                                                   ledger_testing::AddRecord(evaluator.Envelope(8))},
                                                  &vendor_signs, ledger.Tick()));
  ASSERT_TRUE(SyncIndex(ledger.store(), *incremental).ok());
  ASSERT_EQ(*incremental->Count(), 7u);

  std::unique_ptr<LedgerIndex> rebuilt = OpenIndex(ledger, "rebuilt.sqlite3");
  ASSERT_TRUE(RebuildIndex(ledger.store(), *rebuilt).ok());
  std::unique_ptr<LedgerIndex> caught_up = SyncedIndex(ledger, "caught-up.sqlite3");
  const std::string digest = *incremental->Digest();
  EXPECT_EQ(*rebuilt->Digest(), digest);
  EXPECT_EQ(*caught_up->Digest(), digest);
  EXPECT_EQ(RowIds(*rebuilt), RecordIds(ledger.store()));

  // A rebuild of a full index clears it first: the same digest again.
  ASSERT_TRUE(RebuildIndex(ledger.store(), *incremental).ok());
  EXPECT_EQ(*incremental->Digest(), digest);
}

TEST(IndexSync, TheIndexFileIsNamedByTheLedgerNotItsSpelling) {
  ScratchLedger ledger;
  const std::string cache = (ledger.dir().path() / "cache").string();
  const std::string path = LedgerIndexPath(cache, ledger.path());
  EXPECT_THAT(path, MatchesRegex(cache + "/index/[0-9a-f]{16}\\.sqlite3"));
  const std::filesystem::path link = ledger.dir().path() / "link";
  std::filesystem::create_directory_symlink(ledger.path(), link);
  for (const std::string& spelling : {ledger.path() + "/", ledger.dir().path().string() + "/./ledger",
                                      (link / ".." / "ledger").string(), link.string()}) {
    EXPECT_EQ(LedgerIndexPath(cache, spelling), path) << spelling;
  }
  EXPECT_NE(LedgerIndexPath(cache, ledger.dir().path().string() + "/other"), path);
}

}  // namespace
}  // namespace assay
