// assay init [DIR]: create a ledger; assay reindex: rebuild its index from
// the git history alone (docs/spec/ledger.md). Flags -> InitLedger or
// ReindexLedger (src/ops/ledger_ops.h) -> render/ledger_render.h.
#include <memory>

#include "cli/command.h"
#include "ops/ledger_ops.h"
#include "render/ledger_render.h"

namespace assay::cli {

void AddInitCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<InitLedgerRequest>();
  CLI::App* command = app.add_subcommand("init", "create a ledger (default: the embedded one)");
  command->add_option("DIR", request->dir, "where (default: $ASSAY_LEDGER, else $XDG_DATA_HOME/assay/ledger)");
  cli.OnRun(command, [request](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(InitializedLedger initialized, InitLedger(context, *request));
    Emit(RenderText(initialized));
    return Status::Ok();
  });
}

void AddReindexCommand(CLI::App& app, CommandLine& cli) {
  CLI::App* command = app.add_subcommand("reindex", "rebuild the ledger's query index from git alone");
  cli.AddLedgerFlag(command);
  cli.AddCacheDirFlag(command);
  cli.OnRun(command, [](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(ReindexedLedger reindexed, ReindexLedger(context));
    Emit(RenderText(reindexed));
    return Status::Ok();
  });
}

}  // namespace assay::cli
