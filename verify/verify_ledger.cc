// assay verify ledger: the append-only proof (docs/spec/ledger.md). Flags ->
// VerifyLedgerHistory (src/ops/ledger_ops.h) -> render/ledger_render.h; exit
// 1 when the proof fails or the ledger does not extend the checkpoint.
#include <memory>

#include "cli/command.h"
#include "ops/ledger_ops.h"
#include "render/ledger_render.h"

namespace assay::cli {

void AddVerifyLedgerCommand(CLI::App& verify, CommandLine& cli) {
  auto request = std::make_shared<VerifyLedgerRequest>();
  CLI::App* command = verify.add_subcommand("ledger", "prove the ledger was only ever appended to");
  cli.AddLedgerFlag(command);
  cli.AddCacheDirFlag(command);
  cli.AddTrustFlag(command);
  command->add_option("--checkpoint", request->checkpoint, "prove the ledger extends this checkpoint");
  cli.OnRun(command, [request](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(LedgerVerification verification, VerifyLedgerHistory(context, *request));
    Emit(RenderText(verification));
    return LedgerVerdict(verification);
  });
}

}  // namespace assay::cli
