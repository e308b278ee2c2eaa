// assay forensics A B: flags -> CompareModelWeights (src/ops/audit_ops.h) ->
// render/audit_render.h: the weights of two model folders compared tensor by
// tensor, and what kind of change turns A into B (docs/forensics.md). A
// report is exit 0 whatever it finds; bad input is 2, I/O errors 3.
#include <memory>

#include "cli/command.h"
#include "ops/audit_ops.h"
#include "render/audit_render.h"

namespace assay::cli {

void AddForensicsCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<ForensicsRequest>();
  CLI::App* command =
      app.add_subcommand("forensics", "compare the weights of two model folders: which tensors changed, and how");
  command->add_option("A", request->folder_a, "the first model folder (the base)")->required();
  command->add_option("B", request->folder_b, "the second model folder")->required();
  command->add_option("--tolerance", request->options.tolerance,
                      "count singular values above this fraction of the largest (default 1e-3; the rounding "
                      "noise floor applies as well)");
  command->add_option("--max-rank", request->options.max_rank,
                      "the largest rank reported as such; more is \"> K\" (default 32)");
  command->add_option("--threads", request->options.threads, "threads for hashing and decoding (default: one per core)");
  cli.AddJsonFlag(command, "print the report as JSON");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(WeightsForensics forensics, CompareModelWeights(context, *request));
    if (cli.flags.json) {
      EmitJson(RenderJson(forensics));
    } else {
      Emit(RenderText(forensics));
    }
    return Status::Ok();
  });
}

}  // namespace assay::cli
