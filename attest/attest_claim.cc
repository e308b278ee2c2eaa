// assay attest claim LOG... --model MODEL: flags -> AttestClaims
// (src/ops/attest_claim.h) -> the claims' summary, or with --json the signed records.
#include <memory>

#include "cli/command.h"
#include "ops/attest_claim.h"
#include "render/claim_render.h"

namespace assay::cli {

void AddAttestClaimCommand(CLI::App& attest, CommandLine& cli) {
  auto request = std::make_shared<AttestClaimRequest>();
  CLI::App* command = attest.add_subcommand("claim", "sign a benchmark score tied to a model record's weights");
  command->add_option("LOG", request->logs,
                      "eval log files: lm-eval results_*.json and samples_*.jsonl, an Inspect .eval or .json, "
                      "an assay JSONL transcript; or a run's folder: lm-eval's output folder of one run, "
                      "or a HELM run")
      ->required();
  command->add_option("--model", request->model, "the model record: id, id prefix, weights root or name[@revision]");
  command->add_option("--endpoint", request->endpoint, "a hosted model with no published weights: PROVIDER/MODEL");
  command->add_option("--task", request->tasks,
                      "the task or group to claim when the log holds several (repeatable: one claim each)");
  command->add_flag("--all", request->all,
                    "claim every benchmark of the run: each group, and each task outside a group, one claim each");
  command->add_flag("--again", request->again,
                    "sign although you already claimed a benchmark from these same files");
  command->add_option("--metric", request->metrics, "a metric to claim (repeatable; default: all)");
  command->add_option("--plan", request->plan, "the plan record the run followed (assay attest plan)");
  command->add_option("--derive-group-score", request->derive_group_score,
                      "for a group whose log gives no score: derive one from its tasks' by this lm-eval rule "
                      "(leaves/size/pooled, ...), marked as derived in the claim");
  command->add_option("--transcript-out", request->transcript_out,
                      "where to write the transcript opening (default claim-ID.transcript.jsonl)");
  command->add_flag("--force", request->force,
                    "sign even if the transcript does not support the score; the record says so");
  cli.AddOutputFlag(command, "also write the signed record to this file");
  cli.AddJsonFlag(command, "print the signed record as JSON");
  cli.AddKeyFlags(command);
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file (names the signer, checks the model record)");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    request->output_path = cli.flags.output;
    ASSAY_ASSIGN_OR_RETURN(AttestedClaims attested, AttestClaims(context, *request));
    cli.flags.json ? EmitVerbatim(RenderJson(attested)) : Emit(RenderText(attested));
    return Status::Ok();
  });
}

}  // namespace assay::cli
