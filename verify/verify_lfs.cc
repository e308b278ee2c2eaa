// assay verify lfs DIR --record RECORD|ID: flags -> VerifyLfsCheckout
// (src/ops/audit_ops.h) -> render/audit_render.h. Holds a git checkout
// cloned without its LFS content (GIT_LFS_SKIP_SMUDGE=1) against a model
// record, pointer by pointer. Exit 1 when a weight, shard index or config
// file changed, is missing or was added; 2 for a garbage pointer.
#include <memory>

#include "cli/allowance_flags.h"
#include "cli/command.h"
#include "ops/audit_ops.h"
#include "render/audit_render.h"

namespace assay::cli {

void AddVerifyLfsCommand(CLI::App& verify, CommandLine& cli) {
  auto request = std::make_shared<VerifyLfsRequest>();
  auto allowance = std::make_shared<AllowanceFlags>();
  CLI::App* command = verify.add_subcommand("lfs", "check a git checkout of LFS pointers against a model record");
  command->add_option("DIR", request->folder, "a git checkout cloned with GIT_LFS_SKIP_SMUDGE=1")->required();
  command->add_option("--record", request->record, "the model record: a file, or a ledger id, weights root or name@revision")
      ->required();
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command);
  AddAllowanceFlags(command, *allowance, "compare with an unsigned statement");
  cli.AddJsonFlag(command);
  cli.OnRun(command, [request, allowance, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(request->untrusted_public_key, AllowedUntrustedKey(*allowance));
    request->allow_unsigned = allowance->allow_unsigned;
    ASSAY_ASSIGN_OR_RETURN(LfsVerification verification, VerifyLfsCheckout(context, *request));
    if (cli.flags.json) {
      EmitJson(RenderJson(verification));
    } else {
      Emit(RenderText(verification));
    }
    return VerdictOf(verification);
  });
}

}  // namespace assay::cli
