// assay attest reproduction CLAIM LOG...: flags -> AttestReproduction
// (src/ops/attest_reproduction.h) -> the verdicts, or with --json the signed record.
#include <memory>

#include "cli/command.h"
#include "ops/attest_reproduction.h"
#include "render/claim_render.h"

namespace assay::cli {

void AddAttestReproductionCommand(CLI::App& attest, CommandLine& cli) {
  auto request = std::make_shared<AttestReproductionRequest>();
  CLI::App* command =
      attest.add_subcommand("reproduction", "countersign a claim: your own run of its eval, and the verdict");
  command->add_option("CLAIM", request->claim, "the claim record: id or id prefix")->required();
  command->add_option("LOG", request->logs, "your eval log files (the formats attest claim reads)")->required();
  command->add_option("--weights", request->weights_dir, "your copy of the weights, hashed now");
  command->add_option("--weights-root", request->weights_root, "or the weights root 'assay verify model' printed for it");
  command->add_option("--claim-transcript", request->claim_transcript,
                      "the vendor's transcript opening, for sample-paired evidence");
  command->add_option("--task", request->task, "the task to read when the log holds several");
  command->add_option("--margin", request->margin, "equivalence margin in points (default 2)");
  command->add_option("--plan", request->plan, "the plan record your rerun followed (assay attest plan)");
  command->add_option("--transcript-out", request->transcript_out,
                      "where to write your transcript opening (default reproduction-ID.transcript.jsonl)");
  command->add_flag("--force", request->force, "sign even if your transcript does not support your scores");
  command->add_option("--accept-difference", request->accepted_differences,
                      "FIELD=REASON: compare although the runs' configurations differ in FIELD (repeatable); "
                      "the record says so and why");
  cli.AddOutputFlag(command, "also write the signed record to this file");
  cli.AddJsonFlag(command, "print the signed record as JSON");
  cli.AddKeyFlags(command);
  cli.AddLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file (checks the claim's signer, names yours)");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    request->output_path = cli.flags.output;
    ASSAY_ASSIGN_OR_RETURN(AttestedReproduction attested, AttestReproduction(context, *request));
    cli.flags.json ? EmitVerbatim(RenderJson(attested) + "\n") : Emit(RenderText(attested));
    return Status::Ok();
  });
}

}  // namespace assay::cli
