// assay observe CHECKOUT: flags -> Observe (src/ops/observe_ops.h) -> what
// was observed, as text or JSON.
#include <memory>

#include "cli/command.h"
#include "ops/observe_ops.h"
#include "render/observe_render.h"

namespace assay::cli {

void AddObserveCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<ObserveRequest>();
  CLI::App* command = app.add_subcommand(
      "observe", "sign what a model repository's history says, revision by revision (an observer's record)");
  command->add_option("CHECKOUT", request->checkout, "a git clone of the repository; LFS pointers are enough")
      ->required();
  command->add_option("--rev", request->rev, "walk the history from this revision (default: HEAD)");
  command->add_option("--source", request->source,
                      "the repository's name in the records, e.g. hf:acme/widget (default: from remote origin)");
  cli.AddJsonFlag(command, "print what was observed as JSON");
  cli.AddKeyFlags(command);
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file (names the observer)");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(ObserveOutcome outcome, Observe(context, *request));
    cli.flags.json ? EmitVerbatim(RenderJson(outcome)) : Emit(RenderText(outcome));
    return Status::Ok();
  });
}

}  // namespace assay::cli
