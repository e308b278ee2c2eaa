// assay prove sample CLAIM SAMPLE_ID --transcript OPENING and assay verify
// sample PROOF: flags -> ProveClaimSample / VerifySample
// (src/ops/sample_proof_ops.h) -> the proof, or what it proves.
#include <memory>

#include "cli/command.h"
#include "ops/sample_proof_ops.h"
#include "render/evidence_render.h"

namespace assay::cli {

void AddSampleProofCommands(CLI::App& app, CLI::App& verify, CommandLine& cli) {
  CLI::App* prove = app.add_subcommand("prove", "prove a revealed sample is part of a claim's transcript");
  prove->require_subcommand(1);
  auto request = std::make_shared<ProveSampleRequest>();
  CLI::App* sample = prove->add_subcommand("sample", "print one sample of a claim's transcript with its inclusion proof");
  sample->add_option("CLAIM", request->claim, "the claim: id or id prefix")->required();
  sample->add_option("SAMPLE_ID", request->sample_id, "the sample's id, as the transcript names it")->required();
  sample->add_option("--transcript", request->transcript, "the claim's transcript opening")->required();
  cli.AddOutputFlag(sample, "write the proof here instead of stdout");
  cli.AddLedgerFlag(sample);
  cli.AddTrustFlag(sample);
  cli.OnRun(sample, [request, &cli](Context& context) -> Status {
    request->output_path = cli.flags.output;
    ASSAY_ASSIGN_OR_RETURN(ProvedSample proved, ProveClaimSample(context, *request));
    EmitVerbatim(RenderText(proved));  // the proof itself, unless written to a file
    return Status::Ok();
  });

  auto proof_path = std::make_shared<std::string>();
  CLI::App* check = verify.add_subcommand("sample", "check a sample proof against the claim it names");
  check->add_option("PROOF", *proof_path, "the proof file 'assay prove sample' wrote")->required();
  cli.AddLedgerFlag(check);
  cli.AddTrustFlag(check, "trust file (the claim's signer must be a vendor in it)");
  cli.AddJsonFlag(check, "print what the proof proves as JSON");
  cli.OnRun(check, [proof_path, &cli](Context& context) -> Status {
    ASSAY_ASSIGN_OR_RETURN(SampleVerification verification, VerifySample(context, *proof_path));
    if (cli.flags.json) {
      EmitJson(RenderJson(verification));
    } else {
      Emit(RenderText(verification));
    }
    return Status::Ok();
  });
}

}  // namespace assay::cli
