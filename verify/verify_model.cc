// assay verify model RECORD [DIR]: flags -> VerifyModel (src/ops/verify_model.h)
// -> what counted and what differs. Exit 1 on any difference.
#include <memory>

#include "cli/allowance_flags.h"
#include "cli/command.h"
#include "ops/verify_model.h"
#include "render/model_render.h"

namespace assay::cli {

void AddVerifyModelCommand(CLI::App& verify, CommandLine& cli) {
  auto request = std::make_shared<VerifyModelRequest>();
  auto allowance = std::make_shared<AllowanceFlags>();
  CLI::App* command = verify.add_subcommand("model", "check a model record's signature, and a folder against it");
  command->add_option("RECORD", request->record, "the model record: a file, or a ledger id, weights root or name")
      ->required();
  command->add_option("DIR", request->folder, "a model folder to rehash and compare with the record");
  cli.AddTrustFlag(command);
  cli.AddLedgerFlag(command);
  AddAllowanceFlags(command, *allowance, "compare a folder with an unsigned statement");
  command->add_flag("--cache,!--no-cache", request->use_cache,
                    "trust the hash cache instead of rehashing every file (default: rehash)");
  cli.AddCacheDirFlag(command);
  cli.AddJsonFlag(command);
  cli.OnRun(command, [request, allowance, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(request->untrusted_public_key, AllowedUntrustedKey(*allowance));
    request->allow_unsigned = allowance->allow_unsigned;
    ASSAY_ASSIGN_OR_RETURN(ModelVerification verification, VerifyModel(context, *request));
    if (cli.flags.json) {
      EmitJson(RenderJson(verification));
    } else {
      Emit(RenderText(verification));
    }
    return VerdictOf(verification);
  });
}

}  // namespace assay::cli
