#include "ops/attest_claim.h"

#include <functional>
#include <set>

#include "claim/claim_draft.h"
#include "claim/transcript_opening.h"
#include "evallog/eval_log.h"
#include "ops/attest_model.h"
#include "ops/model_reference.h"
#include "ops/plan_ops.h"
#include "record/in_toto.h"
#include "record/record_id.h"
#include "joined.h"
#include "sign/dsse.h"
#include "sign/openssh_key.h"

namespace assay {

Result<Endpoint> ParseEndpoint(const std::string& text) {
  ASSAY_RETURN_IF_ERROR(CheckRecordText("--endpoint", text));
  const size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) {
    return Status::InvalidInput("--endpoint: expected PROVIDER/MODEL, e.g. openai/gpt-4o, got '" + text + "'");
  }
  return Endpoint{text.substr(0, slash), text.substr(slash + 1)};
}

namespace {

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

// The claims this signer already made of these very files: the same
// benchmark, and the same set of log digests.
Result<std::vector<std::string>> ClaimsOfTheSameFiles(Ledger& ledger, const EvalSummary& eval,
                                                      const std::string& fingerprint) {
  std::set<std::string> ours;
  for (const EvalLogFile& file : eval.logs) ours.insert(file.sha256);
  std::vector<std::string> found;
  if (ours.empty()) return found;  // a run not read from files has no digests to match
  std::set<std::string> signed_by_us;
  ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> mine, ledger.index().RecordsBySignerKeyId(fingerprint));
  for (const RecordEntry& entry : mine) signed_by_us.insert(entry.id);
  ASSAY_ASSIGN_OR_RETURN(std::vector<ClaimEntry> claims, ledger.index().ClaimsByBenchmark(eval.benchmark));
  for (const ClaimEntry& entry : claims) {
    if (!signed_by_us.contains(entry.record.id)) continue;
    ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, ledger.index().Envelope(entry.record.id));
    if (!envelope) continue;
    Result<DsseEnvelope> parsed = ParseDsseEnvelope(*envelope);
    if (!parsed.ok()) continue;
    Result<Claim> claim = ParseClaimStatement(parsed->payload);
    if (!claim.ok()) continue;  // a record assay cannot read is not this run's claim
    std::set<std::string> theirs;
    for (const EvalLogFile& file : claim->eval.logs) theirs.insert(file.sha256);
    if (theirs == ours) found.push_back(entry.record.id);
  }
  return found;
}


// Each run the request names, handed to `visit` as it is read, its samples
// having gone to `sink`: the one run of a log, or each benchmark asked for.
Status ForEachRunToClaim(Context& context, const AttestClaimRequest& request, SampleSink& sink,
                         const std::function<Status(EvalRun)>& visit) {
  if (request.all && !request.tasks.empty()) return Status::InvalidInput("give --all or --task, not both");
  if (request.all || request.tasks.size() > 1) {
    return ForEachEvalLogBenchmark(request.logs, request.all ? std::vector<std::string>{} : request.tasks, context.fs,
                                   visit, &sink);
  }
  const std::string task = request.tasks.empty() ? "" : request.tasks.front();
  ASSAY_ASSIGN_OR_RETURN(EvalRun run, ReadEvalLog(request.logs, EvalLogOptions{.task = task}, context.fs, &sink));
  return visit(std::move(run));
}

}  // namespace

Result<std::string> ScratchFolderFor(Context& context, const std::string& transcript_out) {
  const size_t slash = transcript_out.rfind('/');
  if (slash == std::string::npos) return std::string(".");
  const std::string folder = slash == 0 ? "/" : transcript_out.substr(0, slash);
  Result<FileInfo> info = context.fs.FollowStatus(folder);
  if (!info.ok() || info->type != FileInfo::Type::kDirectory) {
    return Status::InvalidInput("--transcript-out " + transcript_out + ": " + folder + " is not a folder" +
                                (info.ok() ? "" : " (" + info.status().message() + ")"));
  }
  return folder;
}

std::vector<OutputFile> TranscriptOpeningFile(const std::string& statement, const std::optional<CommittedTranscript>& transcript,
                                              const EvalRecordOutputs& outputs, std::optional<std::string>& name) {
  if (!transcript) return {};
  name = outputs.transcript_out.empty() ? outputs.kind + "-" + RecordId(statement).substr(0, 16) + ".transcript.jsonl"
                                        : outputs.transcript_out;
  const CommittedTranscript* opened = &*transcript;
  return {OutputFile{*name, "", 0600, /*replace=*/false,
                     [opened](const ByteSink& write) { return opened->WriteOpening(write); }}};
}


Result<PublishedEvalRecord> PublishEvalRecord(Context& context, const std::string& statement, const MinisignSecretKey& key,
                                              const std::optional<CommittedTranscript>& transcript,
                                              const std::vector<std::string>& objections,
                                              const EvalRecordOutputs& outputs) {
  PublishedEvalRecord out;
  std::vector<OutputFile> files = TranscriptOpeningFile(statement, transcript, outputs, out.transcript_file);
  for (const std::string& objection : objections) context.output.Warn("signed with --force although " + objection);
  ASSAY_ASSIGN_OR_RETURN(out.published, Publish(context, statement, PublishOptions{&key, /*append=*/true, outputs.output_path},
                                                std::move(files)));
  return out;
}

Result<AttestedClaims> AttestClaims(Context& context, const AttestClaimRequest& request) {
  if (request.model.empty() == request.endpoint.empty()) {
    return Status::InvalidInput(
        "give exactly one of --model MODEL (a model record in the ledger) and --endpoint PROVIDER/MODEL");
  }
  // The ledger first: a claim that cannot be appended must not cost a passphrase or a read of the logs.
  // A claim about weights names a model record in it, so it must be there already (a refused claim
  // creates nothing); a first endpoint claim may start the embedded ledger.
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context, /*create=*/request.model.empty()));
  ClaimBinding binding;
  std::optional<ModelRecord> model;
  if (!request.endpoint.empty()) {
    ASSAY_ASSIGN_OR_RETURN(binding.endpoint, ParseEndpoint(request.endpoint));
  } else {
    ASSAY_ASSIGN_OR_RETURN(model, BoundModel(context, *ledger, request.model, binding));
  }
  std::optional<FoundPlan> plan;
  if (!request.plan.empty()) {
    ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
    ASSAY_ASSIGN_OR_RETURN(plan, FindPlan(context, *ledger, trust, request.plan));
  }
  ClaimDraftOptions draft_options;
  draft_options.metrics = request.metrics;
  draft_options.force = request.force;
  draft_options.derive_group_rule = request.derive_group_score;
  // Every benchmark is checked before anything is signed. Samples are not
  // held: each is committed to as it is read, its leaf kept in a scratch
  // file beside the opening it will be written to (transcript_builder.h).
  const bool several = request.all || request.tasks.size() > 1;
  std::vector<ClaimDraft> drafts;
  ASSAY_ASSIGN_OR_RETURN(const std::string scratch_folder, ScratchFolderFor(context, request.transcript_out));
  TranscriptBuilder builder(draft_options.new_salt, scratch_folder);
  ASSAY_RETURN_IF_ERROR(ForEachRunToClaim(context, request, builder, [&](EvalRun run) -> Status {
    ASSAY_ASSIGN_OR_RETURN(CommittedSamples samples, builder.Finish());
    if (run.metrics.empty() && !run.is_group()) {
      return Status::InvalidInput(request.logs.front() + ": the log records no metric for " + run.benchmark +
                                  " (an unscored run?): there is no score to claim");
    }
    Result<ClaimDraft> draft = DraftClaim(run, std::move(samples), binding, model ? &*model : nullptr, draft_options);
    if (!draft.ok()) return several ? draft.status().WithContext(run.benchmark) : draft.status();
    drafts.push_back(std::move(*draft));
    return Status::Ok();
  }));
  for (ClaimDraft& draft : drafts) {
    if (plan) ASSAY_RETURN_IF_ERROR(NamePlan(*plan, draft.claim.eval.benchmark, draft.claim.plan));
  }
  if (drafts.size() > 1 && (!request.transcript_out.empty() || !request.output_path.empty())) {
    return Status::InvalidInput("--transcript-out and -o name one file: with " + std::to_string(drafts.size()) +
                                " claims, each opening goes to claim-ID.transcript.jsonl and the records to the ledger");
  }
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  if (!request.again) {
    std::vector<std::string> existing;
    for (const ClaimDraft& draft : drafts) {
      ASSAY_ASSIGN_OR_RETURN(std::vector<std::string> ids, ClaimsOfTheSameFiles(*ledger, draft.claim.eval,
                                                                                SshFingerprint(key->key().public_key())));
      for (const std::string& id : ids) existing.push_back(draft.claim.eval.benchmark + " in claim " + id.substr(0, 16));
    }
    if (!existing.empty()) {
      return Status::CheckFailed("refusing to sign: you already claimed these files' " + Joined(existing, ", ") +
                                 "; pass --again to sign another claim of them");
    }
  }
  std::vector<std::string> statements;
  std::vector<std::vector<OutputFile>> files;
  AttestedClaims out;
  for (ClaimDraft& draft : drafts) {
    ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(ClaimStatement(draft.claim)));
    AttestedClaim& attested = out.claims.emplace_back();
    files.push_back(TranscriptOpeningFile(statement, draft.transcript,
                                          EvalRecordOutputs{"claim", request.transcript_out, request.output_path},
                                          attested.transcript_file));
    for (const std::string& objection : draft.objections) {
      context.output.Warn((several ? draft.claim.eval.benchmark + ": " : "") + "signed with --force although " + objection);
    }
    attested.claim = std::move(draft.claim);
    statements.push_back(std::move(statement));
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<PublishedRecord> published,
                         PublishAll(context, statements, PublishOptions{key, /*append=*/true, request.output_path},
                                    std::move(files)));
  for (size_t i = 0; i < published.size(); ++i) out.claims[i].published = std::move(published[i]);
  return out;
}

Result<AttestedClaim> AttestClaim(Context& context, const AttestClaimRequest& request) {
  if (request.all || request.tasks.size() > 1) return Status::InvalidInput("AttestClaim signs one claim: use AttestClaims");
  ASSAY_ASSIGN_OR_RETURN(AttestedClaims attested, AttestClaims(context, request));
  return std::move(attested.claims.front());
}

}  // namespace assay
