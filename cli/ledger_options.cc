#include "cli/ledger_options.h"

#include <cstdio>
#include <cstdlib>

#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/environment.h"
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

}  // namespace assay::cli
