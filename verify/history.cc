// assay history MODEL: flags -> LoadModelHistory (src/ops/history_ops.h) ->
// the revisions, oldest first, as text or JSON.
#include <memory>

#include "cli/command.h"
#include "ops/history_ops.h"
#include "render/history_render.h"

namespace assay::cli {

void AddHistoryCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<HistoryRequest>();
  CLI::App* command = app.add_subcommand(
      "history", "every known revision of a model repository: what changed, who hashed its bytes, what names it");
  command->add_option("MODEL", request->model, "ORG/NAME, hf:ORG/NAME or the repository's URL")->required();
  command->add_option("--checkpoint", request->checkpoints,
                      "a cosigned checkpoint of the ledger: its witnesses' times say by when each record was there "
                      "(repeatable)");
  cli.AddJsonFlag(command, "print the history as JSON");
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file (names observers and signers)");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(ModelHistory history, LoadModelHistory(context, *request));
    cli.flags.json ? EmitVerbatim(RenderJson(history)) : Emit(RenderText(history));
    return Status::Ok();
  });
}

}  // namespace assay::cli
