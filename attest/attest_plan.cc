// assay attest plan PLAN.json: flags -> AttestPlan (src/ops/plan_ops.h) ->
// the plan's summary, or with --json the signed record.
#include <memory>

#include "cli/command.h"
#include "ops/plan_ops.h"
#include "render/plan_render.h"

namespace assay::cli {

void AddAttestPlanCommand(CLI::App& attest, CommandLine& cli) {
  auto request = std::make_shared<AttestPlanRequest>();
  CLI::App* command = attest.add_subcommand(
      "plan", "sign, before running, what an evaluation will run: benchmarks, metrics, settings, margin");
  command->add_option("PLAN", request->plan_file, "the plan as JSON (docs/spec/plan.md), e.g. plan.json")->required();
  cli.AddOutputFlag(command, "also write the signed record to this file");
  cli.AddJsonFlag(command, "print the signed record as JSON");
  cli.AddKeyFlags(command);
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file (names the signer)");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    request->output_path = cli.flags.output;
    ASSAY_ASSIGN_OR_RETURN(AttestedPlan attested, AttestPlan(context, *request));
    cli.flags.json ? EmitVerbatim(RenderJson(attested)) : Emit(RenderText(attested));
    return Status::Ok();
  });
}

}  // namespace assay::cli
