#include "ledger/ledger.h"

#include <cstdio>

#include "ledger/index_sync.h"
#include "record/record_id.h"
#include "sign/dsse.h"

namespace assay {
namespace {

Result<std::unique_ptr<LedgerIndex>> OpenSyncedIndex(const LedgerStore& store, const std::string& index_path) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, LedgerIndex::Open(index_path));
  ASSAY_RETURN_IF_ERROR(SyncIndex(store, *index));
  return index;
}

// The store at `location`, made first when that is allowed.
Result<std::unique_ptr<LedgerStore>> OpenLocatedStore(const LedgerLocation& location,
                                                      std::vector<std::string>* repairs) {
  Result<std::unique_ptr<LedgerStore>> store = LedgerStore::Open(location.path);
  if (!store.ok() && location.create_if_missing) {
    // Init also finishes a ledger that an interrupted init left, and refuses
    // anything else that is there.
    store = LedgerStore::Init(location.path, repairs);
  }
  if (!store.ok()) {
    if (store.status().kind() != ErrorKind::kIo) return store.status();
    return Status::NotFound(location.path + ": no ledger here")
        .WithHint("run 'assay init " + location.path + "', or pass --ledger DIR");
  }
  return store;
}

}  // namespace

Result<std::unique_ptr<Ledger>> Ledger::Open(const LedgerLocation& location, std::vector<std::string>* repairs) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> store, OpenLocatedStore(location, repairs));
  const std::string index_path = LedgerIndexPath(location.cache_dir, store->path());
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*store, index_path));
  return std::unique_ptr<Ledger>(new Ledger(std::move(store), std::move(index), index_path));
}

Status Ledger::Init(const std::string& path, std::vector<std::string>* repairs) {
  return LedgerStore::Init(path, repairs).status();
}

Result<std::unique_ptr<Ledger>> Ledger::OpenForReindex(const LedgerLocation& location,
                                                       std::vector<std::string>* repairs) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> store, OpenLocatedStore(location, repairs));
  const std::string index_path = LedgerIndexPath(location.cache_dir, store->path());
  Result<std::unique_ptr<LedgerIndex>> index = LedgerIndex::Open(index_path);
  if (!index.ok()) {
    // The index is derived data: one that cannot be opened is replaced.
    std::remove(index_path.c_str());
    index = LedgerIndex::Open(index_path);
  }
  if (!index.ok()) return index.status();
  return std::unique_ptr<Ledger>(new Ledger(std::move(store), std::move(*index), index_path));
}

Result<std::unique_ptr<Ledger>> Ledger::OpenVerified(const LedgerLocation& location, const TrustFile& trust,
                                                     LedgerReport* report, std::vector<std::string>* repairs,
                                                     ProgressSink* progress) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> store, OpenLocatedStore(location, repairs));
  ASSAY_ASSIGN_OR_RETURN(*report, VerifyLedger(*store, trust, std::nullopt, progress));
  // The index remembers the head this machine saw last: a rewrite since then is caught here.
  const std::string index_path = LedgerIndexPath(location.cache_dir, store->path());
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*store, index_path));
  return std::unique_ptr<Ledger>(new Ledger(std::move(store), std::move(index), index_path));
}

Result<std::string> Ledger::MakeCheckpoint(const std::string& origin, const Ed25519SecretKey& key) const {
  return MakeLedgerCheckpoint(*store_, origin, key);
}

Result<CheckedCheckpoint> Ledger::CheckExtends(std::string_view note, const TrustFile& trust) const {
  return CheckLedgerExtends(*store_, note, trust);
}

Result<std::string> Ledger::Cosign(std::string_view note, const std::optional<std::string>& previous_note,
                                   const TrustFile& trust, const std::string& witness_name,
                                   const Ed25519SecretKey& key, Clock& clock) const {
  return CosignLedgerCheckpoint(*store_, note, previous_note, trust, witness_name, key,
                                static_cast<uint64_t>(clock.NowNanos() / 1'000'000'000));
}

Result<std::unique_ptr<Ledger>> Ledger::Create(const LedgerLocation& location, std::vector<std::string>* repairs) {
  ASSAY_RETURN_IF_ERROR(LedgerStore::Init(location.path, repairs).status());
  return Open(location, repairs);
}

Result<LedgerLock> Ledger::Lock(std::vector<std::string>& warnings) {
  ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, LedgerLock::Acquire(store_->path()));
  ASSAY_ASSIGN_OR_RETURN(std::vector<std::string> removed, store_->RemoveStaleWriterFiles());
  warnings.insert(warnings.end(), removed.begin(), removed.end());
  return lock;
}

Result<std::vector<Ledger::Appended>> Ledger::Append(std::span<const std::string> envelopes,
                                                     const CommitSigner& signer, Clock& clock, ProgressSink* progress) {
  // Every envelope is read before anything is written.
  for (const std::string& envelope : envelopes) {
    ASSAY_ASSIGN_OR_RETURN(DsseEnvelope parsed, ParseDsseEnvelope(envelope));
    if (parsed.payload_type != kInTotoPayloadType) {
      return Status::InvalidInput("record payload type is \"" + parsed.payload_type + "\", not an in-toto statement");
    }
  }
  std::vector<std::string> warnings;
  ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, Lock(warnings));
  // Synced under the lock: an append never builds on a history rewritten
  // since this machine saw it, and positions are the index's next ones.
  ASSAY_RETURN_IF_ERROR(SyncIndex(*store_, *index_));
  ASSAY_ASSIGN_OR_RETURN(uint64_t position, index_->Count());
  std::vector<Appended> appended;
  for (const std::string& envelope : envelopes) {
    ASSAY_ASSIGN_OR_RETURN(LedgerStore::Appended stored,
                           store_->Append(envelope, signer, clock.NowNanos() / 1'000'000'000));
    Appended one{stored.record_id, stored.commit, stored.already_present, position, {}};
    if (!stored.already_present) {
      // The ref moved: the record is recorded, whatever the index says now.
      Status indexed = index_->Append({{position, stored.record_id, stored.commit, stored.stored}}, stored.commit);
      if (!indexed.ok()) {
        one.warnings.push_back("the record is in the ledger, but its index lags (the next command catches up): " +
                               indexed.message());
      }
      ++position;
    }
    appended.push_back(std::move(one));
    if (progress != nullptr) progress->AddHashedBytes(1);
  }
  if (!appended.empty()) {
    appended.front().warnings.insert(appended.front().warnings.begin(), warnings.begin(), warnings.end());
  }
  return appended;
}

Result<Ledger::Appended> Ledger::Append(const std::string& envelope, const CommitSigner& signer, Clock& clock) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<Appended> appended, Append(std::span(&envelope, 1), signer, clock));
  return std::move(appended.front());
}

Result<Ledger::Reindexed> Ledger::Reindex() {
  Reindexed result;
  // Appends wait while the index is rebuilt: one writer at a time.
  ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, Lock(result.warnings));
  // What the index held, brought up to date, to show a rebuild gives the same result.
  if (SyncIndex(*store_, *index_).ok()) {
    if (Result<std::string> digest = index_->Digest(); digest.ok()) result.before = *digest;
  }
  ASSAY_RETURN_IF_ERROR(RebuildIndex(*store_, *index_));
  ASSAY_ASSIGN_OR_RETURN(result.records, index_->Count());
  ASSAY_ASSIGN_OR_RETURN(result.digest, index_->Digest());
  return result;
}

Status Ledger::AddRemote(const std::string& name, const std::string& url) {
  std::vector<std::string> warnings;
  ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, Lock(warnings));
  return AddLedgerRemote(*store_, name, url);
}

Status Ledger::Push(const std::string& remote) {
  std::vector<std::string> warnings;
  ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, Lock(warnings));
  return PushLedger(*store_, remote);
}

Result<Ledger::Pulled> Ledger::Pull(const std::string& remote, const TrustFile& trust, const CommitSigner& signer,
                                    Clock& clock, ProgressSink* progress) {
  Pulled pulled;
  ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, Lock(pulled.warnings));
  ASSAY_RETURN_IF_ERROR(SyncIndex(*store_, *index_));
  ASSAY_ASSIGN_OR_RETURN(pulled.outcome, PullLedger(*store_, remote, trust, signer, clock.NowNanos() / 1'000'000'000, progress));
  ASSAY_RETURN_IF_ERROR(SyncIndex(*store_, *index_));
  return pulled;
}

Result<Ledger::Found> Ledger::FindRecord(std::string_view id_or_prefix) {
  ASSAY_ASSIGN_OR_RETURN(std::optional<RecordEntry> entry, index_->Find(id_or_prefix));
  if (!entry) {
    return Status::NotFound("no record " + std::string(id_or_prefix) + " in the ledger " + path())
        .WithHint("'assay log' lists the ledger's records");
  }
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, index_->Envelope(entry->id));
  if (!envelope) {
    return Status::IoError(index_path_ + ": the index lists record " + entry->id + " but has no envelope")
        .WithHint("run 'assay reindex'");
  }
  return Found{std::move(*entry), std::move(*envelope)};
}

}  // namespace assay
