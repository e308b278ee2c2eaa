// assay attest comparison: flags -> AttestComparison (src/ops/comparison_ops.h)
// -> the finding's summary, or with --json the signed record.
#include <memory>

#include "cli/command.h"
#include "cli/transcript_side_flags.h"
#include "ops/comparison_ops.h"
#include "render/comparison_render.h"

namespace assay::cli {

void AddAttestComparisonCommand(CLI::App& attest, CommandLine& cli) {
  auto request = std::make_shared<AttestComparisonRequest>();
  CLI::App* command = attest.add_subcommand(
      "comparison", "sign, as an evaluator, whether an endpoint's transcript is the published weights' (A: weights, B: endpoint)");
  AddTranscriptSideFlags(command, request->sides);
  command->add_option("--endpoint", request->endpoint, "PROVIDER/MODEL whose answers side B holds")->required();
  command->add_option("--model", request->model,
                      "the model record whose weights side A ran: id or prefix, weights root, or NAME@REVISION")
      ->required();
  command->add_option("--weights-record", request->weights_record,
                      "the claim or reproduction whose transcript side A opens (give its .transcript.jsonl)");
  command->add_option("--endpoint-record", request->endpoint_record,
                      "the claim or reproduction whose transcript side B opens");
  command->add_option("--baseline-record", request->baseline_record,
                      "the claim or reproduction whose transcript the baseline opens");
  command->add_option("--openings-dir", request->openings_folder,
                      "where the openings of sides given as logs go (default: the working folder)");
  cli.AddOutputFlag(command, "also write the signed record to this file");
  cli.AddJsonFlag(command, "print the signed record as JSON");
  cli.AddKeyFlags(command);
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file (names the evaluator)");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    request->output_path = cli.flags.output;
    ASSAY_ASSIGN_OR_RETURN(AttestedComparison attested, AttestComparison(context, *request));
    cli.flags.json ? EmitVerbatim(RenderJson(attested)) : Emit(RenderText(attested));
    return Status::Ok();
  });
}

}  // namespace assay::cli
