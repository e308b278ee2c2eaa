// assay init [DIR]: create a ledger (docs/spec/ledger.md).
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "cli/ledger_options.h"

namespace assay::cli {

void AddInitCommand(CLI::App& app, Status& outcome) {
  auto dir = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("init", "create a ledger (default: the embedded one)");
  command->add_option("DIR", *dir, "where (default: $ASSAY_LEDGER, else $XDG_DATA_HOME/assay/ledger)");
  command->callback([dir, &outcome] {
    const std::string path = LedgerPath(LedgerOptions{*dir});
    Result<std::unique_ptr<LedgerStore>> ledger = LedgerStore::Init(path);
    outcome = ledger.status();
    if (ledger.ok()) std::printf("ledger     %s\n", path.c_str());
  });
}

}  // namespace assay::cli
