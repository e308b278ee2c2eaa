// What the ledger's unit tests share: parties with fixed keys (so records,
// ids and commits are the same every run), scratch ledgers whose commit times
// come from a FixedClock, and libgit2 surgery that rewrites history the way a
// reset, an amend, a force push or a hand-made commit would.
//
// Set-up that cannot fail in a correct test aborts with a message instead of
// returning a Status: what is under test is never set up through these.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "clock.h"
#include "ledger/ledger_store.h"
#include "sign/minisign_secret_key.h"
#include "sign/trust_file.h"
#include "test_support.h"

namespace assay::ledger_testing {

// 2026-09-21T14:13:20Z: the scratch ledgers' first commit time.
inline constexpr int64_t kTime = 1'790'000'000;
inline constexpr int64_t kDay = 86'400;

// Someone who signs records and commits, with a key derived from `seed`.
struct Party {
  explicit Party(uint8_t seed, std::string name = "acme");

  MinisignSecretKey key;
  std::string name;

  CommitSigner Signer() const;
  // This party's record number `n`: an in-toto statement of a test predicate
  // type naming the party, in a DSSE envelope it signed, with a final newline.
  std::string Envelope(int n) const;
  // Its trust-file entry, valid from `valid_after` until `valid_before` when given.
  TrustEntry Trusted(std::set<TrustRole> roles = {TrustRole::kVendor},
                     std::optional<UtcDate> valid_after = std::nullopt,
                     std::optional<UtcDate> valid_before = std::nullopt) const;
};

// A trust file holding each party with the vendor role.
TrustFile TrustOf(std::initializer_list<const Party*> parties);

// Every record in ledger order; a failed walk fails the test and ends the list.
std::vector<LedgerEntry> Entries(const LedgerStore& store);
std::vector<std::string> RecordIds(const LedgerStore& store);

// A bare ledger made by LedgerStore::Init in its own scratch folder. Appends
// are not synced to disk (no test here needs durability, and syncfs is slow
// on a shared machine); commit times come from `clock`, in seconds,
// advancing one second per append.
class ScratchLedger {
 public:
  explicit ScratchLedger(std::string name = "ledger");

  LedgerStore& store() { return *store_; }
  const LedgerStore& store() const { return *store_; }
  const std::string& path() const { return store_->path(); }
  const testing::ScratchDir& dir() const { return dir_; }

  // The clock's time in seconds, advancing it by one.
  int64_t Tick();
  // Appends `party`'s record `n` and returns its id.
  std::string Append(const Party& party, int n);
  // Appends an envelope as it is and returns the commit that added it.
  std::string AppendEnvelope(const Party& party, std::string_view envelope);
  // The head commit, or "" for a ledger with no records.
  std::string Head() const;

  FixedClock clock{kTime * 1'000'000'000};

 private:
  testing::ScratchDir dir_;
  std::unique_ptr<LedgerStore> store_;
};

// One change to a tree: the blob `bytes` at `path`, or none there (nullopt).
struct TreeEdit {
  std::string path;
  std::optional<std::string> bytes;
};

// The id of the record in `envelope` (aborts when it does not parse).
std::string RecordIdOf(std::string_view envelope);
// The edit that adds `envelope` at its record's path.
TreeEdit AddRecord(const std::string& envelope);

// Writes a commit whose tree is the first parent's (empty without parents)
// with `edits` applied, signed by `signer` as an append signs (unsigned when
// null), at `unix_time`; moves no ref. Returns its id.
std::string WriteCommit(LedgerStore& store, const std::vector<std::string>& parents,
                        const std::vector<TreeEdit>& edits, const CommitSigner* signer, int64_t unix_time);
// WriteCommit on the head, then the branch moved to it: a hand-made append.
std::string CommitOnHead(LedgerStore& store, const std::vector<TreeEdit>& edits, const CommitSigner* signer,
                         int64_t unix_time);
// Points refs/heads/ledger at `commit` whatever it held: a reset or a force push.
void ResetBranch(LedgerStore& store, const std::string& commit);
// The id of the blob at `path` in the head's tree.
std::string BlobAt(const LedgerStore& store, const std::string& path);
// The commit's parents, first parent first.
std::vector<std::string> ParentsOf(const LedgerStore& store, const std::string& commit);

}  // namespace assay::ledger_testing
