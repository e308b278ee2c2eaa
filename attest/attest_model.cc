// assay attest model DIR: flags -> AttestModel (src/ops/attest_model.h) ->
// the summary, or with --json the signed record.
#include <memory>

#include "cli/command.h"
#include "ops/attest_model.h"
#include "render/model_render.h"

namespace assay::cli {

void AddAttestModelCommand(CLI::App& attest, CommandLine& cli) {
  auto request = std::make_shared<AttestModelRequest>();
  CLI::App* command = attest.add_subcommand("model", "hash a model folder into a model record");
  command->add_option("DIR", request->folder, "the model folder")->required();
  command->add_option("--name", request->name, "model name (default: hub repo id or folder name)");
  command->add_option("--revision", request->revision, "model revision, e.g. a hub commit");
  cli.AddOutputFlag(command, "also write the record (unsigned: the statement) to this file");
  cli.AddJsonFlag(command, "print the record as JSON instead of a summary");
  command->add_flag("--cache,!--no-cache", request->use_cache, "use the hash cache (the default), or hash every file");
  cli.AddCacheDirFlag(command);
  command->add_flag("!--no-tensors", request->tensor_digests, "skip tensor digests (no weights root): file digests only");
  command->add_option("--threads", request->threads, "hashing threads (default: one per core)");
  command->add_flag("!--unsigned", request->sign, "write the bare statement, unsigned");
  cli.AddKeyFlags(command);
  cli.AddLedgerFlag(command);
  cli.AddNoLedgerFlag(command);
  cli.AddTrustFlag(command, "trust file naming the ledger commit's author");
  cli.OnRun(command, [request, &cli](Context& context) -> Status {
    request->output_path = cli.flags.output;
    request->append = !cli.flags.no_ledger;
    ASSAY_ASSIGN_OR_RETURN(AttestedModel attested, AttestModel(context, *request));
    if (cli.flags.json) {
      EmitVerbatim(RenderJson(attested) + "\n");
    } else {
      Emit(RenderText(attested));
    }
    return Status::Ok();
  });
}

}  // namespace assay::cli
