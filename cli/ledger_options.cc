#include "cli/ledger_options.h"

#include <cstdio>
#include <cstdlib>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/paths.h"
#include "cli/trust_report.h"
#include "ledger/index_sync.h"

namespace assay::cli {

void AddLedgerOption(CLI::App& command, LedgerOptions& options) {
  command.add_option("--ledger", options.path, "ledger folder (env ASSAY_LEDGER; default: the embedded one)");
}

std::string LedgerPath(const LedgerOptions& options) {
  return options.path.empty() ? DefaultLedgerDir() : options.path;
}

Result<std::unique_ptr<LedgerStore>> OpenLedger(const LedgerOptions& options) {
  const std::string path = LedgerPath(options);
  const bool is_default = options.path.empty() && std::getenv("ASSAY_LEDGER") == nullptr;
  Result<std::unique_ptr<LedgerStore>> store = LedgerStore::Open(path);
  if (!store.ok() && is_default) {
    // The default ledger is made on first use; Init also finishes one that
    // an interrupted init left, and refuses anything else that is there.
    std::vector<std::string> repairs;
    store = LedgerStore::Init(path, &repairs);
    for (const std::string& repair : repairs) Warn(repair);
  }
  return store;
}

Result<std::unique_ptr<LedgerIndex>> OpenSyncedIndex(const LedgerStore& ledger) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index,
                         LedgerIndex::Open(LedgerIndexPath(DefaultCacheDir(), ledger.path())));
  ASSAY_RETURN_IF_ERROR(SyncIndex(ledger, *index));
  return index;
}

Result<std::string> AppendToLedger(const LedgerOptions& options, std::string_view envelope,
                                   const MinisignSecretKey& key, const std::string& trust_path) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options));
  std::string name = "assay";
  if (Result<TrustFile> trust = LoadTrustFile(TrustFilePath(trust_path)); trust.ok()) {
    if (const TrustEntry* entry = trust->Find(key.key().public_key())) name = entry->name;
  }
  ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, LedgerLock::Acquire(ledger->path()));
  ASSAY_ASSIGN_OR_RETURN(std::vector<std::string> removed, ledger->RemoveStaleWriterFiles());
  for (const std::string& line : removed) Warn(line);
  // Synced first: an append never builds on a history rewritten since this machine saw it.
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(uint64_t position, index->Count());
  CommitSigner signer{&key.key(), name, FormatMinisignKeyId(key.key_id())};
  ASSAY_ASSIGN_OR_RETURN(LedgerStore::Appended appended, ledger->Append(envelope, signer, NowUnixSeconds()));
  if (!appended.already_present) {
    // The ref moved first: the record is recorded, whatever the index says
    // now. An index that lags is repaired by the next sync, so a failure
    // here is a warning, never a failed append.
    Status indexed = index->Append({{position, appended.record_id, appended.commit, appended.stored}}, appended.commit);
    if (!indexed.ok()) Warn("the record is in the ledger, but its index lags (the next command catches up): " + indexed.message());
  }
  return "ledger     " + appended.record_id + (appended.already_present ? " already recorded in " : " appended in ") +
         appended.commit.substr(0, 12) + " (" + ledger->path() + ")";
}

}  // namespace assay::cli
