// assay status MODEL: flags -> StatusOfModel (src/ops/model_status.h) -> every
// claim about the model's weights, its reproductions and verdicts. A report: exit 0.
#include <memory>

#include "cli/command.h"
#include "ops/model_status.h"
#include "render/status_render.h"

namespace assay::cli {

void AddStatusCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<StatusRequest>();
  CLI::App* command = app.add_subcommand("status", "every claim about a model's weights, its reproductions and verdicts");
  command->add_option("MODEL", request->model, "record id or prefix, weights root, or name[@revision]")->required();
  command->add_option("--checkpoint", request->checkpoints,
                      "a cosigned checkpoint of the ledger: its witnesses' times say whether plans came before their runs "
                      "(repeatable)");
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command);
  cli.AddJsonFlag(command, "print the status as JSON");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(ModelStatus status, StatusOfModel(context, *request));
    if (cli.flags.json) {
      EmitJson(RenderJson(status));
    } else {
      Emit(RenderText(status));
    }
    return Status::Ok();
  });
}

}  // namespace assay::cli
