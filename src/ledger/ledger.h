// The ledger as the commands use it (DESIGN.md, Ledger; docs/spec/ledger.md):
// the git store, its query index, the lock and the sync between them, in one
// object. Every command that appends to a ledger or queries one goes through
// a Ledger; nothing outside src/ledger opens the store or the index.
//
// Opening a ledger brings its index up to the ledger's head (refusing a
// history rewritten since this machine saw it). Appending takes the ledger
// lock, removes what a killed writer left, syncs the index, adds the record in
// one signed commit whose ref update is fsynced (the acknowledgement point),
// then updates the index; an index update that fails after that is a warning,
// never a failed append (the next open catches up).
//
// Thread safety: one Ledger per thread; several processes may share a ledger.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clock.h"
#include "ledger/ledger_checkpoint.h"
#include "ledger/ledger_index.h"
#include "ledger/ledger_store.h"
#include "ledger/ledger_sync.h"
#include "ledger/ledger_verification.h"
#include "sign/trust_file.h"
#include "status.h"

namespace assay {

struct LedgerLocation {
  std::string path;
  // The embedded default ledger is made on first use; a ledger named by the
  // user must exist (kNotFound otherwise, with a hint).
  bool create_if_missing = false;
  std::string cache_dir;  // where its query index lives (<cache>/index/...)
};

class Ledger {
 public:
  // Opens (or, when allowed, creates) the ledger and brings its index up to
  // date. Things it repaired on the way (a half-made ledger replaced) are
  // added to `repairs`, for warnings. kCheckFailed when the history was
  // rewritten since this machine saw it.
  static Result<std::unique_ptr<Ledger>> Open(const LedgerLocation& location, std::vector<std::string>* repairs);
  // Creates a new ledger at `location.path` ('assay init'); an existing
  // ledger is opened as it is.
  static Result<std::unique_ptr<Ledger>> Create(const LedgerLocation& location, std::vector<std::string>* repairs);
  // Makes a new ledger at `path` ('assay init'), or finishes one an
  // interrupted init left; refuses anything else that is there. The index is
  // not touched (the first open makes it).
  static Status Init(const std::string& path, std::vector<std::string>* repairs);
  // Opens the ledger for 'assay reindex': its index is opened as it is, not
  // synced (a history rewritten since this machine saw it is what a reindex
  // accepts), and one that cannot be opened is replaced (it is derived data).
  static Result<std::unique_ptr<Ledger>> OpenForReindex(const LedgerLocation& location,
                                                        std::vector<std::string>* repairs);
  // Opens the ledger after proving its whole history was only appended to
  // (ledger_verification.h: VerifyLedger, whose report goes to `report`), and
  // only then brings its index up to date, which catches a rewrite of a
  // history this machine saw before ('assay verify ledger').
  static Result<std::unique_ptr<Ledger>> OpenVerified(const LedgerLocation& location, const TrustFile& trust,
                                                      LedgerReport* report, std::vector<std::string>* repairs,
                                                      ProgressSink* progress = nullptr);

  struct Appended {
    std::string record_id;
    std::string commit;  // the new commit, or the one that already holds the record
    bool already_present = false;
    uint64_t position = 0;
    std::vector<std::string> warnings;  // stale files removed; an index that lags
  };
  // Appends each envelope (DSSE envelopes of in-toto statements) in its own
  // signed commit, in order, under one hold of the ledger lock: all are
  // checked first, so a malformed one leaves the ledger as it was. A record
  // already in the ledger is not added again. `progress` counts the records
  // appended (each a synced commit, milliseconds apiece).
  Result<std::vector<Appended>> Append(std::span<const std::string> envelopes, const CommitSigner& signer,
                                       Clock& clock, ProgressSink* progress = nullptr);
  Result<Appended> Append(const std::string& envelope, const CommitSigner& signer, Clock& clock);

  // Rebuilds the index from git alone, under the lock. `before` is the
  // digest of the index as it was (brought up to date), when it was usable.
  struct Reindexed {
    uint64_t records = 0;
    std::string digest;
    std::optional<std::string> before;
    std::vector<std::string> warnings;
  };
  Result<Reindexed> Reindex();

  // Sharing (ledger_sync.h), each under the lock.
  Status AddRemote(const std::string& name, const std::string& url);
  Status Push(const std::string& remote);
  struct Pulled {
    PullOutcome outcome;
    std::vector<std::string> warnings;
  };
  // `progress`, when given, is told each fetched record and commit verified.
  Result<Pulled> Pull(const std::string& remote, const TrustFile& trust, const CommitSigner& signer,
                      Clock& clock, ProgressSink* progress = nullptr);

  // Checkpoints (ledger_checkpoint.h) of the ledger as it is.
  Result<std::string> MakeCheckpoint(const std::string& origin, const Ed25519SecretKey& key) const;
  Result<CheckedCheckpoint> CheckExtends(std::string_view note, const TrustFile& trust) const;
  Result<std::string> Cosign(std::string_view note, const std::optional<std::string>& previous_note,
                             const TrustFile& trust, const std::string& witness_name, const Ed25519SecretKey& key,
                             Clock& clock) const;

  // The head commit (hex); nullopt for a ledger with no records yet.
  Result<std::optional<std::string>> Head() const { return store_->Head(); }

  // Queries. The index reflects the ledger's head as of Open (or the last
  // append); the store is the git history itself.
  LedgerIndex& index() { return *index_; }
  const LedgerStore& store() const { return *store_; }
  const std::string& path() const { return store_->path(); }

  // The envelope of a record, by id or unique id prefix: kNotFound when the
  // ledger has none, naming it.
  struct Found {
    RecordEntry entry;
    std::string envelope;
  };
  Result<Found> FindRecord(std::string_view id_or_prefix);

 private:
  Ledger(std::unique_ptr<LedgerStore> store, std::unique_ptr<LedgerIndex> index, std::string index_path)
      : store_(std::move(store)), index_(std::move(index)), index_path_(std::move(index_path)) {}
  // Takes the lock and removes a killed writer's leftovers.
  Result<LedgerLock> Lock(std::vector<std::string>& warnings);

  std::unique_ptr<LedgerStore> store_;
  std::unique_ptr<LedgerIndex> index_;
  std::string index_path_;
};

}  // namespace assay
