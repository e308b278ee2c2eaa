#include "cli/ledger_options.h"

#include <cstdio>
#include <cstdlib>

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
  if (!store.ok() && is_default && store.status().kind() == ErrorKind::kIo) return LedgerStore::Init(path);
  return store;
}

Result<std::unique_ptr<LedgerIndex>> OpenSyncedIndex(const LedgerStore& ledger) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index,
                         LedgerIndex::Open(LedgerIndexPath(DefaultCacheDir(), ledger.path())));
  ASSAY_RETURN_IF_ERROR(SyncIndex(ledger, *index));
  return index;
}

Status AppendToLedger(const LedgerOptions& options, std::string_view envelope, const MinisignSecretKey& key,
                      const std::string& trust_path, std::FILE* out) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options));
  std::string name = "assay";
  if (Result<TrustFile> trust = LoadTrustFile(TrustFilePath(trust_path)); trust.ok()) {
    if (const TrustEntry* entry = trust->Find(key.key().public_key())) name = entry->name;
  }
  ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, LedgerLock::Acquire(ledger->path()));
  // Synced first: an append never builds on a history rewritten since this machine saw it.
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(uint64_t position, index->Count());
  CommitSigner signer{&key.key(), name, FormatMinisignKeyId(key.key_id())};
  ASSAY_ASSIGN_OR_RETURN(LedgerStore::Appended appended, ledger->Append(envelope, signer, NowUnixSeconds()));
  if (!appended.already_present) {
    // The ref moved first: a crash here leaves an index that lags, which the next sync repairs.
    ASSAY_RETURN_IF_ERROR(index->Append({{position, appended.record_id, appended.commit, appended.stored}}, appended.commit));
  }
  std::fprintf(out, "ledger     %s %s %s (%s)\n", appended.record_id.c_str(),
               appended.already_present ? "already recorded in" : "appended in",
               appended.commit.substr(0, 12).c_str(), ledger->path().c_str());
  return Status::Ok();
}

}  // namespace assay::cli
