#include "ledger/ledger_store.h"

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ledger_test_support.h"
#include "sign/dsse.h"
#include "sign/minisign_secret_key.h"
#include "sign/trust_file.h"
#include "test_support.h"

namespace assay {
namespace {

using ::testing::HasSubstr;

using ledger_testing::Entries;
using ledger_testing::kTime;
using ledger_testing::Party;

TEST(LedgerStore, InitMakesABareLedgerAndRefusesOtherFolders) {
  testing::ScratchDir dir;
  const std::string path = (dir.path() / "ledger").string();
  Result<std::unique_ptr<LedgerStore>> store = LedgerStore::Init(path);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_FALSE((*store)->Head()->has_value());
  EXPECT_TRUE(LedgerStore::Init(path).ok());  // an existing ledger is opened
  dir.Write("other/file", "x");
  EXPECT_EQ(LedgerStore::Init((dir.path() / "other").string()).status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(LedgerStore::Open((dir.path() / "missing").string()).status().kind(), ErrorKind::kIo);
}

TEST(LedgerStore, EachAppendIsOneCommitAddingOneRecordInOrder) {
  testing::ScratchDir dir;
  auto store = std::move(LedgerStore::Init((dir.path() / "ledger").string())).value();
  Party vendor(1);
  std::vector<std::string> ids;
  for (int n = 0; n < 3; ++n) {
    Result<LedgerStore::Appended> appended = store->Append(vendor.Envelope(n), vendor.Signer(), kTime + n);
    ASSERT_TRUE(appended.ok()) << appended.status().message();
    EXPECT_FALSE(appended->already_present);
    ids.push_back(appended->record_id);
  }
  Result<LedgerStore::Appended> again = store->Append(vendor.Envelope(1), vendor.Signer(), kTime);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_present);

  std::vector<LedgerEntry> entries = Entries(*store);
  ASSERT_EQ(entries.size(), 3u);
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].position, i);
    EXPECT_EQ(entries[i].record_id, ids[i]);
    EXPECT_EQ(entries[i].envelope, vendor.Envelope(static_cast<int>(i)));
  }
  EXPECT_EQ(store->ReadRecord(ids[1])->value(), vendor.Envelope(1));
  EXPECT_FALSE(store->ReadRecord(std::string(64, 'a'))->has_value());
  EXPECT_EQ(RecordPath(ids[0]), "records/" + ids[0].substr(0, 2) + "/" + ids[0].substr(2, 2) + "/" + ids[0] + ".json");
}

TEST(LedgerStore, RefusesWhatIsNotARecord) {
  testing::ScratchDir dir;
  auto store = std::move(LedgerStore::Init((dir.path() / "ledger").string())).value();
  Party vendor(1);
  EXPECT_EQ(store->Append("not json", vendor.Signer(), kTime).status().kind(), ErrorKind::kInvalidInput);
  std::string text_envelope = SerializeDsseEnvelope(SignDsse("text/plain", "hello", vendor.key.key()));
  EXPECT_EQ(store->Append(text_envelope, vendor.Signer(), kTime).status().kind(), ErrorKind::kInvalidInput);
  EXPECT_FALSE(store->Head()->has_value());
}

// Stock git (Debian's) accepts every commit's SSH signature and finds nothing
// wrong with the repository. A missing git fails the test: set-up installs it.
TEST(LedgerStore, StockGitVerifiesEveryCommitAndFsckIsClean) {
  testing::ScratchDir dir;
  const std::string path = (dir.path() / "ledger").string();
  auto store = std::move(LedgerStore::Init(path)).value();
  Party vendor(1);
  for (int n = 0; n < 3; ++n) ASSERT_TRUE(store->Append(vendor.Envelope(n), vendor.Signer(), kTime + n).ok());
  TrustFile trust;
  ASSERT_TRUE(trust.Add(vendor.Trusted()).ok());
  const std::string allowed = dir.Write("allowed_signers", trust.ToAllowedSigners());

  std::string output;
  ASSERT_EQ(testing::RunShell("git --version", &output), 0) << "git is missing: run scripts/setup-debian.sh";
  const std::string git = "git -C " + path + " -c gpg.ssh.allowedSignersFile=" + allowed + " ";
  for (const char* rev : {"ledger", "ledger~1", "ledger~2"}) {
    EXPECT_EQ(testing::RunShell(git + "verify-commit " + rev, &output), 0) << output;
    EXPECT_THAT(output, HasSubstr("Good \"git\" signature for acme"));
  }
  EXPECT_EQ(testing::RunShell(git + "log --show-signature -1", &output), 0);
  EXPECT_THAT(output, HasSubstr("Good \"git\" signature"));
  EXPECT_EQ(testing::RunShell("git -C " + path + " fsck --strict", &output), 0) << output;

  // Another key's allowed_signers file: git refuses.
  Party stranger(2);
  TrustFile other;
  ASSERT_TRUE(other.Add(stranger.Trusted()).ok());
  const std::string wrong = dir.Write("wrong_signers", other.ToAllowedSigners());
  EXPECT_NE(testing::RunShell("git -C " + path + " -c gpg.ssh.allowedSignersFile=" + wrong + " verify-commit ledger"), 0);
}

TEST(LedgerStore, ARewrittenHistoryIsRefusedByEveryReader) {
  testing::ScratchDir dir;
  const std::string path = (dir.path() / "ledger").string();
  auto store = std::move(LedgerStore::Init(path)).value();
  Party vendor(1);
  for (int n = 0; n < 2; ++n) ASSERT_TRUE(store->Append(vendor.Envelope(n), vendor.Signer(), kTime + n).ok());
  // A commit whose tree is the first commit's: it deletes the second record.
  const std::string git = "git -C " + path + " ";
  ASSERT_EQ(testing::RunShell(git + "update-ref refs/heads/ledger $(" + git +
                "commit-tree ledger~1^{tree} -p ledger -m rewrite)"),
            0);
  Status status = store->ForEachRecord([](const LedgerEntry&) { return Status::Ok(); });
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(status.message(), HasSubstr("does not only add records: it deletes records/"));
}

// The waiter says who holds the lock: the holder's process id, command and
// how long it has run, checked against its start time so that a reused id
// is not named.
TEST(LedgerStore, TheLockMakesASecondTakerWaitAndNamesTheHolder) {
  testing::ScratchDir dir;
  const std::string path = (dir.path() / "ledger").string();
  ASSERT_TRUE(LedgerStore::Init(path).ok());
  {
    Result<LedgerLock> first = LedgerLock::Acquire(path);
    ASSERT_TRUE(first.ok());
    // flock locks belong to the open file: a second open in this process contends too.
    Result<LedgerLock> second = LedgerLock::Acquire(path, /*timeout_ms=*/100);
    EXPECT_EQ(second.status().kind(), ErrorKind::kIo);
    EXPECT_THAT(second.status().message(),
                HasSubstr("locked by process " + std::to_string(::getpid()) + " (test_ledger"));
    EXPECT_THAT(second.status().message(), HasSubstr("), running for "));
    EXPECT_THAT(second.status().hint(), HasSubstr("try again when it ends"));
  }
  // What a killed holder left in the file holds nothing: the lock went with it.
  {
    std::ofstream stale(path + "/assay.lock");
    stale << "999999999 1\n";
  }
  Result<LedgerLock> third = LedgerLock::Acquire(path, /*timeout_ms=*/100);
  EXPECT_TRUE(third.ok()) << third.status().message();
}

}  // namespace
}  // namespace assay
