// assay verify signature FILE: flags -> VerifySignature
// (src/ops/signature_ops.h) -> render/trust_render.h: whose key made a
// detached minisign signature, and in which roles.
#include <memory>

#include "cli/command.h"
#include "ops/signature_ops.h"
#include "render/trust_render.h"

namespace assay::cli {

void AddVerifySignatureCommand(CLI::App& verify, CommandLine& cli) {
  auto request = std::make_shared<VerifySignatureRequest>();
  CLI::App* command =
      verify.add_subcommand("signature", "check a detached minisign signature against the trust file");
  command->add_option("FILE", request->file, "the signed file")->required();
  command->add_option("--sig", request->signature_path, "the signature (default FILE.minisig)");
  cli.AddTrustFlag(command, "trust file");
  CLI::Option* public_key = command->add_option("--public-key-file", request->public_key_file,
                                                "check with this minisign .pub instead of the trust file");
  command->add_flag("--allow-untrusted", request->allow_untrusted,
                    "accept a key that is not in the trust file (needs --public-key-file)")
      ->needs(public_key);
  command->add_option("--role", request->role, "require the signer to hold this role")
      ->check(CLI::IsMember({"vendor", "evaluator", "witness", "observer", "host"}));
  cli.AddJsonFlag(command, "print one JSON object");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(SignatureVerification verification, VerifySignature(context, *request));
    if (cli.flags.json) {
      EmitJson(RenderJson(verification));
    } else {
      Emit(RenderText(verification));
    }
    return Status::Ok();
  });
}

}  // namespace assay::cli
