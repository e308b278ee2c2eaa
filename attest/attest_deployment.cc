// assay attest deployment: flags -> AttestDeployment (src/ops/deployment_ops.h)
// -> the deployment's summary, or with --json the signed record.
#include <memory>

#include "cli/command.h"
#include "ops/deployment_ops.h"
#include "render/model_render.h"
#include "render/text.h"

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
  command->footer(
      "Example:\n"
      "  assay trust add acme-cloud --role host --key-file host.pub     (by whoever reads the records)\n"
      "  assay attest deployment --endpoint acme-cloud/widget --model acme/widget@v2 --from 2026-12-01T15:00:00Z");
  cli.AddOutputFlag(command, "also write the signed record to this file");
  cli.AddJsonFlag(command, "print the signed record as JSON");
  cli.AddKeyFlags(command);
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file (names the host)");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    request->output_path = cli.flags.output;
    ASSAY_ASSIGN_OR_RETURN(AttestedDeployment attested, AttestDeployment(context, *request));
    if (cli.flags.json) {
      Emit(attested.published.record + "\n");
      return Status::Ok();
    }
    const Deployment& deployment = attested.deployment;
    std::string text = Format("deployment %s\n", attested.published.id);
    text += Format("endpoint   %s/%s\n", deployment.endpoint.provider, deployment.endpoint.model);
    text += Format("model      %s%s (record %s)\n", deployment.model_name,
                   deployment.model_revision ? " @ " + *deployment.model_revision : "", deployment.model_record.substr(0, 16));
    text += Format("serving    from %s%s\n", deployment.from,
                   deployment.until ? " until " + *deployment.until : " until your next deployment of it");
    Emit(text + RenderPublication(attested.published));
    return Status::Ok();
  });
}

}  // namespace assay::cli
