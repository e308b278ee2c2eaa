// assay lineage MODEL --against RECORD...: flags -> TraceLineage
// (src/ops/audit_ops.h) -> render/audit_render.h: which known model a
// model's weights come from, from manifests alone (docs/forensics.md,
// "Lineage"). A record's signature is checked against the trust file and
// the outcome shown; an unverified record is still compared, and said to be.
#include <memory>

#include "cli/command.h"
#include "ops/audit_ops.h"
#include "render/audit_render.h"

namespace assay::cli {

void AddLineageCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<LineageRequest>();
  CLI::App* command = app.add_subcommand(
      "lineage", "which known models a model's tensors come from, by tensor digests: MODEL --against RECORD...");
  command->add_option("MODEL", request->model, "a model folder (hashed here) or a model record")->required();
  command->add_option("--against", request->against,
                      "model records to compare with: files, or ids, weights roots or name[@revision] in the ledger")
      ->required()
      ->expected(1, -1);
  cli.AddTrustFlag(command);
  cli.AddLedgerFlag(command);
  command->add_option("--threads", request->threads, "hashing threads for a folder (default: one per core)");
  cli.AddJsonFlag(command);
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(LineageReport report, TraceLineage(context, *request));
    if (cli.flags.json) {
      EmitJson(RenderJson(report));
    } else {
      Emit(RenderText(report));
    }
    return Status::Ok();
  });
}

}  // namespace assay::cli
