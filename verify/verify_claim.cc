// assay verify claim [CLAIM]: flags -> VerifyClaim (src/ops/verify_claim.h)
// -> one line per check. Exit 1 when any check fails.
#include <memory>

#include "cli/command.h"
#include "ops/verify_claim.h"
#include "render/claim_render.h"

namespace assay::cli {

void AddVerifyClaimCommand(CLI::App& verify, CommandLine& cli) {
  auto request = std::make_shared<VerifyClaimRequest>();
  CLI::App* command = verify.add_subcommand("claim", "check a claim: signatures, weights, transcript and scores");
  command->add_option("CLAIM", request->claim, "the claim: id or id prefix (optional with --bundle)");
  command->add_option("--weights", request->weights_dir, "a model folder that must hash to the claim's weights root");
  command->add_option("--transcript", request->transcript, "the claim's transcript opening: root and scores are recomputed");
  command->add_option("--bundle", request->bundle, "read the records from an evidence bundle, not the ledger");
  command->add_option("--checkpoint", request->checkpoints,
                      "a cosigned checkpoint of the ledger: its witnesses' times say whether a plan came before its run "
                      "(repeatable)");
  command->add_option("--trust-bundle-key", request->trusted_bundle_keys,
                      "trust this key of the bundle (SHA256:... fingerprint, checked by you), in the roles the "
                      "bundle gives it (repeatable)");
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command);
  cli.AddJsonFlag(command, "print the checks as JSON");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(ClaimVerification verification, VerifyClaim(context, *request));
    if (cli.flags.json) {
      EmitJson(RenderJson(verification));
    } else {
      Emit(RenderText(verification));
    }
    return VerdictOf(verification);
  });
}

}  // namespace assay::cli
