// assay attest revocation RECORD --reason TEXT: flags -> AttestRevocation
// (src/ops/revocation_ops.h) -> the withdrawal's summary, or with --json the
// signed record.
#include <memory>

#include "cli/command.h"
#include "ops/revocation_ops.h"
#include "render/revocation_render.h"

namespace assay::cli {

void AddAttestRevocationCommand(CLI::App& attest, CommandLine& cli) {
  auto request = std::make_shared<AttestRevocationRequest>();
  CLI::App* command =
      attest.add_subcommand("revocation", "withdraw a record you signed, saying why (it stays in the ledger, marked)");
  command->add_option("RECORD", request->record, "the record to withdraw: id or unique prefix")->required();
  command->add_option("--reason", request->reason, "why, in a sentence: \"wrong upload\"")->required();
  command->add_option("--superseded-by", request->superseded_by, "the record that replaces it: id or unique prefix");
  cli.AddOutputFlag(command, "also write the signed record to this file");
  cli.AddJsonFlag(command, "print the signed record as JSON");
  cli.AddKeyFlags(command);
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file (names the record's signer)");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    request->output_path = cli.flags.output;
    ASSAY_ASSIGN_OR_RETURN(AttestedRevocation attested, AttestRevocation(context, *request));
    cli.flags.json ? EmitVerbatim(RenderJson(attested)) : Emit(RenderText(attested));
    return Status::Ok();
  });
}

}  // namespace assay::cli
