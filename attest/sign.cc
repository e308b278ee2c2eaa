// assay sign FILE: flags -> SignFile (src/ops/signature_ops.h) ->
// render/key_render.h. A detached minisign signature, FILE.minisig.
#include <memory>

#include "cli/command.h"
#include "ops/signature_ops.h"
#include "render/key_render.h"

namespace assay::cli {

void AddSignCommand(CLI::App& app, CommandLine& cli) {
  auto request = std::make_shared<SignFileRequest>();
  CLI::App* command = app.add_subcommand("sign", "sign a file: a detached minisign signature, FILE.minisig");
  command->add_option("FILE", request->file, "the file to sign")->required();
  cli.AddKeyFlags(command);
  command->add_option("-t,--trusted-comment", request->trusted_comment,
                      "signed comment (default: timestamp, file name, \"hashed\", as minisign)");
  command->add_option("-c,--untrusted-comment", request->untrusted_comment, "unsigned comment");
  command->add_option("-o,--output", request->output_path, "signature file (default FILE.minisig)");
  command->add_flag("--force", request->force, "replace an existing signature file");
  cli.OnRun(command, [request](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(SignedFile signed_file, SignFile(context, *request));
    Emit(RenderText(signed_file));
    return Status::Ok();
  });
}

}  // namespace assay::cli
