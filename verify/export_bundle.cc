// assay export CLAIM --bundle FILE: flags -> ExportBundle (src/ops/export_bundle.h)
// -> what the bundle holds and how to check it.
#include <memory>

#include "cli/command.h"
#include "ops/export_bundle.h"
#include "render/evidence_render.h"

namespace assay::cli {

void AddExportCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<ExportBundleRequest>();
  CLI::App* command = app.add_subcommand("export", "write a claim's evidence bundle (.intoto.jsonl) for offline checking");
  command->add_option("CLAIM", request->claim, "the claim: id or id prefix")->required();
  command->add_option("--bundle", request->bundle_path, "the bundle file to write")->required();
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file (names the signers' keys in the bundle)");
  cli.OnRun(command, [request](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(ExportedBundle exported, ExportBundle(context, *request));
    Emit(RenderText(exported));
    return Status::Ok();
  });
}

}  // namespace assay::cli
