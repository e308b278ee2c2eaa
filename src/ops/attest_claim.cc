#include "ops/attest_claim.h"

#include "claim/claim_draft.h"
#include "claim/transcript_opening.h"
#include "evallog/eval_log.h"
#include "ops/attest_model.h"
#include "ops/model_reference.h"
#include "record/in_toto.h"
#include "record/record_id.h"

namespace assay {
namespace {

Result<Endpoint> ParseEndpoint(const std::string& text) {
  ASSAY_RETURN_IF_ERROR(CheckRecordText("--endpoint", text));
  const size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) {
    return Status::InvalidInput("--endpoint: expected PROVIDER/MODEL, e.g. openai/gpt-4o, got '" + text + "'");
  }
  return Endpoint{text.substr(0, slash), text.substr(slash + 1)};
}

// The model record the claim binds, read from the ledger; one that does not
// count as a vendor's is used with a warning (the claim's readers judge it).
Result<ModelRecord> BoundModel(Context& context, Ledger& ledger, const std::string& reference, ClaimBinding& binding) {
  ModelReferenceOptions options;
  options.folders = false;
  options.report_only = true;
  options.policy.required_role = TrustRole::kVendor;
  ASSAY_ASSIGN_OR_RETURN(ResolvedModel resolved, ResolveModelInLedger(context, ledger, reference, options));
  const CheckedRecord& record = resolved.record.value();  // a ledger reference always has one
  if (!record.counts()) context.output.Warn("model record " + record.id + " does not count as a vendor's: " + record.problem);
  if (resolved.model->manifest.weights_roots.empty()) {
    return Status::InvalidInput("model record " + record.id +
                                " has no weights root (made with --no-tensors?): a claim binds one");
  }
  binding = BindToModelRecord(record.id, *resolved.model);
  return std::move(*resolved.model);
}

}  // namespace

Result<PublishedEvalRecord> PublishEvalRecord(Context& context, const std::string& statement, const MinisignSecretKey& key,
                                              const std::optional<Transcript>& transcript,
                                              const std::vector<std::string>& objections,
                                              const EvalRecordOutputs& outputs) {
  PublishedEvalRecord out;
  std::vector<OutputFile> files;
  if (transcript) {
    out.transcript_file = outputs.transcript_out.empty()
                              ? outputs.kind + "-" + RecordId(statement).substr(0, 16) + ".transcript.jsonl"
                              : outputs.transcript_out;
    files.push_back(OutputFile{*out.transcript_file, FormatTranscriptOpening(*transcript), 0600, /*replace=*/false});
  }
  for (const std::string& objection : objections) context.output.Warn("signed with --force although " + objection);
  ASSAY_ASSIGN_OR_RETURN(out.published, Publish(context, statement, PublishOptions{&key, /*append=*/true, outputs.output_path},
                                                std::move(files)));
  return out;
}

Result<AttestedClaim> AttestClaim(Context& context, const AttestClaimRequest& request) {
  if (request.model.empty() == request.endpoint.empty()) {
    return Status::InvalidInput(
        "give exactly one of --model MODEL (a model record in the ledger) and --endpoint PROVIDER/MODEL");
  }
  // The ledger first: a claim that cannot be appended must not cost a passphrase or a read of the logs.
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  ASSAY_ASSIGN_OR_RETURN(EvalRun run, ReadEvalLog(request.logs, EvalLogOptions{.task = request.task}, context.fs));
  if (run.metrics.empty() && !run.is_group()) {
    return Status::InvalidInput(request.logs.front() + ": the log records no metric for " + run.benchmark +
                                " (an unscored run?): there is no score to claim");
  }
  ClaimBinding binding;
  std::optional<ModelRecord> model;
  if (!request.endpoint.empty()) {
    ASSAY_ASSIGN_OR_RETURN(binding.endpoint, ParseEndpoint(request.endpoint));
  } else {
    ASSAY_ASSIGN_OR_RETURN(model, BoundModel(context, *ledger, request.model, binding));
  }
  ClaimDraftOptions draft_options;
  draft_options.metrics = request.metrics;
  draft_options.force = request.force;
  ASSAY_ASSIGN_OR_RETURN(ClaimDraft draft, DraftClaim(run, binding, model ? &*model : nullptr, draft_options));
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(ClaimStatement(draft.claim)));
  ASSAY_ASSIGN_OR_RETURN(PublishedEvalRecord published,
                         PublishEvalRecord(context, statement, *key, draft.transcript, draft.objections,
                                           EvalRecordOutputs{"claim", request.transcript_out, request.output_path}));
  AttestedClaim attested{std::move(draft.claim), std::move(published.published), std::move(published.transcript_file)};
  return attested;
}

}  // namespace assay
