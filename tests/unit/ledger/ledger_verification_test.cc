// VerifyLedger against scratch ledgers with hand-made commits: every way a
// history can break the append-only rules is refused with the commit or the
// record that breaks it (docs/spec/ledger.md; the item 5).
#include "ledger/ledger_verification.h"

#include <git2.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ledger_test_support.h"
#include "sign/minisign_key.h"
#include "sign/openssh_key.h"

namespace assay {
namespace {

using ledger_testing::AddRecord;
using ledger_testing::CommitOnHead;
using ledger_testing::kDay;
using ledger_testing::Party;
using ledger_testing::RecordIdOf;
using ledger_testing::RecordIds;
using ledger_testing::ScratchLedger;
using ::testing::HasSubstr;
using ::testing::StartsWith;

class LedgerVerificationTest : public ::testing::Test {
 protected:
  // Appends `count` of the vendor's records; returns their ids.
  std::vector<std::string> AppendRecords(int count) {
    std::vector<std::string> ids;
    for (int n = 0; n < count; ++n) ids.push_back(ledger.Append(vendor, n));
    return ids;
  }
  Status Failure() { return VerifyLedger(ledger.store(), trust).status(); }

  Party vendor{1, "acme"};
  Party stranger{3, "mallory"};
  ScratchLedger ledger;
  TrustFile trust = ledger_testing::TrustOf({&vendor});
  const CommitSigner vendor_signs = vendor.Signer();
};

TEST_F(LedgerVerificationTest, AnAppendOnlyLedgerVerifies) {
  Result<LedgerReport> empty = VerifyLedger(ledger.store(), trust);
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_EQ(empty->head, "");
  EXPECT_EQ(empty->commits, 0u);

  const std::vector<std::string> ids = AppendRecords(3);
  Result<LedgerReport> report = VerifyLedger(ledger.store(), trust);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->head, ledger.Head());
  EXPECT_EQ(report->commits, 3u);
  EXPECT_EQ(report->record_ids, ids);
  EXPECT_EQ(VerifyCommitSignature(ledger.store(), ledger.Head(), trust).value()->name, "acme");
}

TEST_F(LedgerVerificationTest, ACommitThatDeletesARecordFails) {
  const std::vector<std::string> ids = AppendRecords(2);
  const std::string commit = CommitOnHead(ledger.store(), {{RecordPath(ids[0]), std::nullopt}}, &vendor_signs,
                                          ledger.Tick());
  EXPECT_EQ(Failure().kind(), ErrorKind::kCheckFailed);
  // It names the record's path, or the fan-out folder that went with it.
  const std::string says = "ledger commit " + commit + " does not only add records: it deletes ";
  ASSERT_THAT(Failure().message(), StartsWith(says));
  const std::string deleted = Failure().message().substr(says.size());
  EXPECT_THAT(RecordPath(ids[0]), StartsWith(deleted));
  EXPECT_THAT(deleted, StartsWith("records/" + ids[0].substr(0, 2)));
}

TEST_F(LedgerVerificationTest, ACommitThatChangesARecordFails) {
  const std::vector<std::string> ids = AppendRecords(2);
  // The same record, stored again with other bytes (a re-encoded envelope).
  const std::string commit = CommitOnHead(ledger.store(), {{RecordPath(ids[1]), vendor.Envelope(1) + "\n"}},
                                          &vendor_signs, ledger.Tick());
  EXPECT_EQ(Failure().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(Failure().message(),
            "ledger commit " + commit + " does not only add records: it changes " + RecordPath(ids[1]));
}

TEST_F(LedgerVerificationTest, ARecordAtAnotherRecordsPathFails) {
  AppendRecords(1);
  const std::string stored = vendor.Envelope(5);
  const std::string path_of_another = RecordPath(RecordIdOf(vendor.Envelope(6)));
  const std::string commit = CommitOnHead(ledger.store(), {{path_of_another, stored}}, &vendor_signs, ledger.Tick());
  EXPECT_EQ(Failure().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(Failure().message(), ledger.path() + ": record at " + path_of_another + " (commit " + commit +
                                     ") holds record " + RecordIdOf(stored) + ": its path does not match its content");
}

TEST_F(LedgerVerificationTest, AFileAtAPathThatNamesNoRecordFails) {
  AppendRecords(1);
  const std::string id = RecordIdOf(vendor.Envelope(5));
  const std::string bad_paths[] = {
      "notes.txt",
      "records/00/00/" + id + ".json",                                          // wrong fan-out
      "records/" + id.substr(0, 2) + "/" + id.substr(2, 2) + "/" + id,          // no .json
      "records/" + id.substr(0, 2) + "/" + id.substr(2, 2) + "/X" + id.substr(1) + ".json",  // not hex
  };
  for (const std::string& path : bad_paths) {
    ScratchLedger fresh;
    fresh.Append(vendor, 0);
    const std::string commit = CommitOnHead(fresh.store(), {{path, vendor.Envelope(5)}}, &vendor_signs, fresh.Tick());
    Status status = VerifyLedger(fresh.store(), trust).status();
    EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed) << path;
    EXPECT_EQ(status.message(), "ledger commit " + commit + " adds " + path + ", which is not a record path");
  }
}

TEST_F(LedgerVerificationTest, AnUnsignedCommitFails) {
  AppendRecords(1);
  const std::string commit = CommitOnHead(ledger.store(), {AddRecord(vendor.Envelope(1))}, nullptr, ledger.Tick());
  EXPECT_EQ(Failure().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(Failure().message(), ledger.path() + ": ledger commit " + commit + " is not signed");
}

TEST_F(LedgerVerificationTest, ACommitSignedByAnUntrustedKeyFails) {
  AppendRecords(1);
  const CommitSigner stranger_signs = stranger.Signer();
  const std::string commit =
      CommitOnHead(ledger.store(), {AddRecord(vendor.Envelope(1))}, &stranger_signs, ledger.Tick());
  EXPECT_EQ(Failure().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(Failure().message(), ledger.path() + ": ledger commit " + commit +
                                     ": ssh signature was made by an unknown key " +
                                     SshFingerprint(stranger.key.key().public_key()));
}

TEST_F(LedgerVerificationTest, ARecordSignedByAnUntrustedKeyFails) {
  AppendRecords(1);
  const std::string envelope = stranger.Envelope(0);
  const std::string commit = CommitOnHead(ledger.store(), {AddRecord(envelope)}, &vendor_signs, ledger.Tick());
  EXPECT_EQ(Failure().kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(Failure().message(), StartsWith(ledger.path() + ": record " + RecordIdOf(envelope) + " (commit " +
                                              commit + "): no key in the trust file verifies the signature (keyid " +
                                              SshFingerprint(stranger.key.key().public_key()) + ")"));
}

// Every commit reachable from the head is checked, merges' second parents
// included, though only first parents decide the ledger order.
TEST_F(LedgerVerificationTest, AnUnsignedCommitOnAMergedBranchFails) {
  AppendRecords(1);
  const std::string side =
      ledger_testing::WriteCommit(ledger.store(), {ledger.Head()}, {AddRecord(vendor.Envelope(5))}, nullptr, ledger.Tick());
  ledger.Append(vendor, 1);
  const std::string merge = ledger_testing::WriteCommit(ledger.store(), {ledger.Head(), side},
                                                        {AddRecord(vendor.Envelope(5))}, &vendor_signs, ledger.Tick());
  ledger_testing::ResetBranch(ledger.store(), merge);
  EXPECT_EQ(RecordIds(ledger.store()).size(), 3u);
  EXPECT_EQ(Failure().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(Failure().message(), ledger.path() + ": ledger commit " + side + " is not signed");
}

// Keys are checked at each commit's time: a key that has since expired keeps
// its records and commits valid; one that was not valid yet, or no longer,
// when it signed does not.
TEST_F(LedgerVerificationTest, KeysAreJudgedAtTheCommitsTime) {
  const int64_t may_2024 = UtcDate{2024, 5, 1}.ToUnixSeconds();
  ledger.clock.Set(may_2024 * 1'000'000'000);
  AppendRecords(2);
  TrustFile expired;  // valid through June 2024, long before this test runs
  ASSERT_TRUE(expired.Add(vendor.Trusted({TrustRole::kVendor}, UtcDate{2024, 1, 1}, UtcDate{2024, 6, 1})).ok());
  Result<LedgerReport> report = VerifyLedger(ledger.store(), expired);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->record_ids.size(), 2u);

  ledger.clock.Set((may_2024 + 60 * kDay) * 1'000'000'000);  // July 2024, after the key's last day
  const std::string late = ledger.Append(vendor, 2);
  Status status = VerifyLedger(ledger.store(), expired).status();
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed);
  const std::string who = "'acme' (key " + FormatMinisignKeyId(vendor.key.key_id()) + ") is trusted";
  EXPECT_EQ(status.message(), ledger.path() + ": record " + late + " (commit " + ledger.Head() +
                                  "): no signature counts: " + who +
                                  " from 2024-01-01 until 2024-06-01, not at 2024-06-30T00:00:00Z");

  TrustFile not_yet;  // valid only from 2025 on
  ASSERT_TRUE(not_yet.Add(vendor.Trusted({TrustRole::kVendor}, UtcDate{2025, 1, 1}, std::nullopt)).ok());
  EXPECT_THAT(VerifyLedger(ledger.store(), not_yet).status().message(), HasSubstr(who));
}

// A git loose object holding `content` ("TYPE SIZE\0" and the bytes), as
// zlib stores it uncompressed (RFC 1950 and 1951: one stored block), with its
// Adler-32 checksum plus `checksum_error`.
std::string LooseObject(const std::string& content, uint32_t checksum_error = 0) {
  uint32_t a = 1, b = 0;
  for (unsigned char c : content) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  const uint32_t adler = ((b << 16) | a) + checksum_error;
  const auto length = static_cast<uint16_t>(content.size());
  std::string out = {'\x78', '\x01', '\x01', static_cast<char>(length & 0xff), static_cast<char>(length >> 8),
                     static_cast<char>(~length & 0xff), static_cast<char>((~length >> 8) & 0xff)};
  out += content;
  for (int shift : {24, 16, 8, 0}) out.push_back(static_cast<char>((adler >> shift) & 0xff));
  return out;
}

class DamagedObjectTest : public LedgerVerificationTest {
 protected:
  void SetUp() override {
    ids = AppendRecords(1);
    envelope = vendor.Envelope(0);
    blob = ledger_testing::BlobAt(ledger.store(), RecordPath(ids[0]));
    object = std::filesystem::path(ledger.path()) / "objects" / blob.substr(0, 2) / blob.substr(2);
    std::filesystem::permissions(object, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
    // What the ledger stored: the envelope and a newline (ledger_store.h).
    header = "blob " + std::to_string(envelope.size()) + std::string(1, '\0');
    ASSERT_TRUE(WriteObject(LooseObject(header + envelope)).ok());  // the same object, stored uncompressed
  }

  // libgit2 would otherwise answer from the objects it has read before.
  void TearDown() override { git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1); }

  // Replaces the object file and verifies the ledger.
  Status WriteObject(const std::string& bytes) {
    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
    std::ofstream(object, std::ios::binary | std::ios::trunc) << bytes;
    return VerifyLedger(ledger.store(), trust).status();
  }

  std::vector<std::string> ids;
  std::string envelope, blob, header;
  std::filesystem::path object;
};

// leveldb's corruption tests: every byte of a stored record flipped on disk,
// in a well-formed git object. Each is a failed check naming the object.
// (Flips in the object's header are left out: libgit2 1.5 writes past its
// buffer when a header claims fewer bytes than follow, libgit2 issue 7177.)
TEST_F(DamagedObjectTest, EveryFlippedByteOfAStoredRecordIsAFailedCheck) {
  for (size_t i = 0; i < envelope.size(); ++i) {
    std::string flipped = envelope;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
    Status status = WriteObject(LooseObject(header + flipped));
    EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed) << "byte " << i << ": " << status.message();
    EXPECT_THAT(status.message(), HasSubstr(": record blob " + blob + ": ")) << "byte " << i;
    EXPECT_THAT(status.message(), HasSubstr("(the repository's bytes were altered or damaged; restore it from a copy)"))
        << "byte " << i;
  }
}

// docs/spec/ledger.md: an object that does not inflate is a failed check too.
TEST_F(DamagedObjectTest, AnObjectWhoseChecksumFailsIsAFailedCheck) {
  Status status = WriteObject(LooseObject(header + envelope, /*checksum_error=*/1));
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed) << status.message();
  EXPECT_THAT(status.message(), HasSubstr(": record blob " + blob + ": "));
}

// The same for a damaged zlib header, which libgit2 then reads as its legacy
// loose format and refuses as "failed to inflate loose object".
TEST_F(DamagedObjectTest, AnObjectWithADamagedZlibHeaderIsAFailedCheck) {
  std::string bytes = LooseObject(header + envelope);
  bytes[0] = static_cast<char>(bytes[0] ^ 0x01);
  Status status = WriteObject(bytes);
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed) << status.message();
  EXPECT_THAT(status.message(), HasSubstr(": record blob " + blob + ": "));
}

}  // namespace
}  // namespace assay
