// assay attest deployment: flags -> AttestDeployment (src/ops/deployment_ops.h)
// -> the deployment's summary, or with --json the signed record.
#include <memory>

#include "cli/command.h"
#include "ops/deployment_ops.h"
#include "render/deployment_render.h"

namespace assay::cli {

void AddAttestDeploymentCommand(CLI::App& attest, CommandLine& cli) {
  auto request = std::make_shared<AttestDeploymentRequest>();
  CLI::App* command = attest.add_subcommand(
      "deployment", "sign, as a host, that an endpoint served a model record's weights over a period");
  command->add_option("--endpoint", request->endpoint, "PROVIDER/MODEL; PROVIDER is your name in the trust file")
      ->required();
  command->add_option("--model", request->model, "the model record: id or prefix, weights root, or NAME@REVISION")
      ->required();
  command->add_option("--from", request->from, "when it started serving, RFC 3339 (default: now)");
  command->add_option("--until", request->until, "when it stopped (default: until your next deployment of it)");
  cli.AddOutputFlag(command, "also write the signed record to this file");
  cli.AddJsonFlag(command, "print the signed record as JSON");
  cli.AddKeyFlags(command);
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file (names the host)");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    request->output_path = cli.flags.output;
    ASSAY_ASSIGN_OR_RETURN(AttestedDeployment attested, AttestDeployment(context, *request));
    cli.flags.json ? EmitVerbatim(RenderJson(attested)) : Emit(RenderText(attested));
    return Status::Ok();
  });
}

}  // namespace assay::cli
