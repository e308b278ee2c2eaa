// assay init [DIR]: create a ledger; assay reindex: rebuild its index from
// the git history alone (docs/spec/ledger.md).
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/ledger_options.h"
#include "cli/environment.h"
#include "ledger/index_sync.h"

namespace assay::cli {

void AddInitCommand(CLI::App& app, Status& outcome) {
  auto dir = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("init", "create a ledger (default: the embedded one)");
  command->add_option("DIR", *dir, "where (default: $ASSAY_LEDGER, else $XDG_DATA_HOME/assay/ledger)");
  command->callback([dir, &outcome] {
    const std::string path = LedgerPath(LedgerOptions{*dir});
    std::vector<std::string> repairs;
    Result<std::unique_ptr<LedgerStore>> ledger = LedgerStore::Init(path, &repairs);
    for (const std::string& repair : repairs) Warn(repair);
    outcome = ledger.status();
    if (ledger.ok()) Print("ledger     %s\n", path);
  });
}

void AddReindexCommand(CLI::App& app, Status& outcome) {
  auto options = std::make_shared<LedgerOptions>();
  CLI::App* command = app.add_subcommand("reindex", "rebuild the ledger's query index from git alone");
  AddLedgerOption(*command, *options);
  command->callback([options, &outcome] {
    outcome = [&]() -> Status {
      ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(*options));
      // Appends wait while the index is rebuilt: one writer at a time.
      ASSAY_ASSIGN_OR_RETURN(LedgerLock lock, LedgerLock::Acquire(ledger->path()));
      const std::string path = LedgerIndexPath(DefaultCacheDir(), ledger->path());
      Result<std::unique_ptr<LedgerIndex>> index = LedgerIndex::Open(path);
      if (!index.ok()) {
        // The index is derived data: one that cannot be opened is replaced.
        std::remove(path.c_str());
        index = LedgerIndex::Open(path);
      }
      if (!index.ok()) return index.status();
      // What the index held, brought up to date, to show a rebuild gives the same result.
      std::optional<std::string> before;
      if (SyncIndex(*ledger, **index).ok()) {
        if (Result<std::string> digest = (*index)->Digest(); digest.ok()) before = *digest;
      }
      ASSAY_RETURN_IF_ERROR(RebuildIndex(*ledger, **index));
      ASSAY_ASSIGN_OR_RETURN(uint64_t count, (*index)->Count());
      ASSAY_ASSIGN_OR_RETURN(std::string digest, (*index)->Digest());
      Print("reindexed  %llu records of %s\ndigest     %s\n", static_cast<unsigned long long>(count),
                  ledger->path(), digest);
      if (before) {
        Print("previous   %s (%s)\n", before->c_str(), *before == digest ? "identical" : "differed");
      } else {
        Print("previous   none usable (missing, or its history was rewritten)\n");
      }
      return Status::Ok();
    }();
  });
}

}  // namespace assay::cli
