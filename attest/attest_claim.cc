// assay attest claim LOG... --model MODEL: a vendor's signed score claim,
// bound to the weights of a model record in the ledger (or, with --endpoint,
// to a hosted model, marked as not bound to weights). The score must follow
// from the transcript, which the claim commits to; the transcript's samples
// and salts are written to a transcript opening file the vendor keeps
// (docs/spec/claim.md, docs/vendor.md).
#include "attest/attest_claim.h"

#include <cstdio>
#include <memory>

#include "cli/claim_report.h"
#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/ledger_records.h"
#include "cli/record_signing.h"
#include "claim/claim_draft.h"
#include "evallog/eval_log.h"
#include "record/model_statement.h"
#include "sign/dsse.h"
#include "record/record_id.h"

namespace assay::cli {
namespace {


Result<Endpoint> ParseEndpoint(const std::string& text) {
  ASSAY_RETURN_IF_ERROR(CheckRecordText("--endpoint", text));
  const size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) {
    return Status::InvalidInput("--endpoint: expected PROVIDER/MODEL, e.g. openai/gpt-4o, got '" + text + "'");
  }
  return Endpoint{text.substr(0, slash), text.substr(slash + 1)};
}

}  // namespace

Result<std::string> RunAttestClaim(const AttestClaimOptions& options) {
  if (options.model.empty() == options.endpoint.empty()) {
    return Status::InvalidInput("give exactly one of --model MODEL (a model record in the ledger) and --endpoint PROVIDER/MODEL");
  }
  FileSystem& fs = LocalFileSystem();
  // The ledger first: a claim that cannot be appended must leave nothing behind.
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.out.ledger));
  ASSAY_ASSIGN_OR_RETURN(EvalRun run, ReadEvalLog(options.logs, EvalLogOptions{.task = options.task}, fs));
  if (run.metrics.empty()) {
    return Status::InvalidInput(options.logs.front() + ": the log records no metric for " + run.benchmark +
                                " (an unscored run?): there is no score to claim");
  }

  ClaimBinding binding;
  std::optional<ModelRecord> model;
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.out.trust_path)));
  if (!options.endpoint.empty()) {
    ASSAY_ASSIGN_OR_RETURN(Endpoint endpoint, ParseEndpoint(options.endpoint));
    binding.endpoint = std::move(endpoint);
  } else {
    ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
    ASSAY_ASSIGN_OR_RETURN(CheckedLedgerRecord record, ResolveModelRecord(*index, options.model, trust));
    if (!record.trusted) Warn("model record " + record.id + " does not count as a vendor's: " + record.problem);
    ASSAY_ASSIGN_OR_RETURN(model, ParseModelStatement(record.payload));
    if (model->manifest.weights_roots.empty()) {
      return Status::InvalidInput("model record " + record.id + " has no weights root (made with --no-tensors?): a claim binds one");
    }
    binding = BindToModelRecord(record.id, *model);
  }

  ASSAY_ASSIGN_OR_RETURN(ClaimDraft draft, DraftClaim(run, binding, model ? &*model : nullptr,
                                                      ClaimDraftOptions{.metrics = options.metrics, .force = options.force}));
  ASSAY_ASSIGN_OR_RETURN(MinisignSecretKey key, LoadSigningKey(options.out.key));
  ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(ClaimStatement(draft.claim)));
  ASSAY_ASSIGN_OR_RETURN(std::string envelope, SignRecord(statement, key));
  const std::string id = RecordId(statement);

  std::vector<RecordOutputFile> files;
  if (draft.transcript) files.push_back(TranscriptOpeningFile(*draft.transcript, options.transcript_out, "claim", id));
  for (const std::string& objection : draft.objections) Warn("signed with --force although " + objection);
  ASSAY_RETURN_IF_ERROR(PublishRecord(options.out, envelope, &key, /*append=*/true, files, [&] {
    Print("claim      %s\n", id);
    PrintClaimSummary(draft.claim);
    if (draft.transcript) {
      Print("transcript %s (samples and salts: keep it to reveal samples or let others recompute)\n",
                  files.front().path);
    }
  }));
  return id;
}

void AddAttestClaimCommand(CLI::App& attest, Status& outcome) {
  auto options = std::make_shared<AttestClaimOptions>();
  CLI::App* command = attest.add_subcommand("claim", "sign a benchmark score tied to a model record's weights");
  command->add_option("LOG", options->logs,
                      "eval log files: lm-eval results_*.json and samples_*.jsonl, an Inspect .eval or .json, "
                      "or an assay JSONL transcript")->required();
  command->add_option("--model", options->model, "the model record: id, id prefix, weights root or name[@revision]");
  command->add_option("--endpoint", options->endpoint, "a hosted model with no published weights: PROVIDER/MODEL");
  command->add_option("--task", options->task, "the task to claim when the log holds several");
  command->add_option("--metric", options->metrics, "a metric to claim (repeatable; default: all)");
  command->add_option("--transcript-out", options->transcript_out,
                      "where to write the transcript opening (default claim-ID.transcript.jsonl)");
  command->add_flag("--force", options->force,
                    "sign even if the transcript does not support the score; the record says so");
  AddRecordOutputOptions(*command, options->out, "trust file (names the signer, checks the model record)");
  command->callback([options, &outcome] { outcome = RunAttestClaim(*options).status(); });
}

}  // namespace assay::cli
