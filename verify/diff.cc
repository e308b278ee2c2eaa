// assay diff A B: flags -> DiffModels (src/ops/audit_ops.h) ->
// render/audit_render.h: what differs between two uploads of a model, each
// side a record file, a ledger reference, a folder (hashed now) or an LFS
// pointer checkout. A report: exit 0 whether or not the sides differ
// (docs/usage.md says why).
#include <memory>

#include "cli/command.h"
#include "ops/audit_ops.h"
#include "render/audit_render.h"

namespace assay::cli {

void AddDiffCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<DiffRequest>();
  CLI::App* command = app.add_subcommand("diff", "what differs between two uploads of a model: files, tensors, config");
  command->add_option("A", request->a, "a record file, ledger id or name@revision, model folder or LFS pointer checkout")
      ->required();
  command->add_option("B", request->b, "the same kinds as A")->required();
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command);
  command->add_flag("--cache,!--no-cache", request->use_cache,
                    "let the hash cache answer for unchanged files of a folder (default: rehash)");
  cli.AddCacheDirFlag(command);
  cli.AddJsonFlag(command);
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(ModelComparison comparison, DiffModels(context, *request));
    if (cli.flags.json) {
      EmitJson(RenderJson(comparison));
    } else {
      Emit(RenderText(comparison));
    }
    return Status::Ok();
  });
}

}  // namespace assay::cli
