#include "ops/attest_reproduction.h"

#include "claim/reproduction_draft.h"
#include "claim/transcript_opening.h"
#include "evallog/eval_log.h"
#include "model/model_manifest.h"
#include "ops/attest_claim.h"
#include "ops/plan_ops.h"
#include "ops/signed_claim.h"
#include "record/model_statement.h"
#include "record/record_id.h"

namespace assay {
namespace {

struct ObservedWeights {
  std::string root;
  std::string format;
};

// The root of the evaluator's weights, in the claim's format when the folder has it.
Result<ObservedWeights> ObserveWeights(Context& context, const AttestReproductionRequest& request,
                                       const ClaimBinding& binding) {
  if (!request.weights_root.empty()) {
    std::optional<Sha256Digest> root = Sha256FromHex(request.weights_root);
    if (!root) return Status::InvalidInput("--weights-root: expected 64 hex digits, got '" + request.weights_root + "'");
    return ObservedWeights{ToHex(*root), binding.weights_format};
  }
  if (request.weights_dir.empty()) return ObservedWeights{};
  std::unique_ptr<ProgressSink> progress = context.output.Progress("hashing", 0);
  ManifestOptions options;  // no cache: the evaluator's claim is about these bytes now
  options.progress = progress.get();
  ASSAY_ASSIGN_OR_RETURN(ModelManifest manifest, BuildModelManifest(context.fs, request.weights_dir, options));
  if (manifest.weights_roots.empty()) {
    return Status::InvalidInput(request.weights_dir + ": no safetensors or GGUF tensors to root");
  }
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    if (WeightFormatName(root.format) == binding.weights_format) return ObservedWeights{ToHex(root.root), binding.weights_format};
  }
  const WeightsRootRecord& first = manifest.weights_roots.front();
  return ObservedWeights{ToHex(first.root), std::string(WeightFormatName(first.format))};
}

// The claim's own samples (their ids, digests and scores: what pairing
// needs), from its transcript opening, checked against the root the claim
// commits to.
Result<ScoredSamples> ClaimedSamples(Context& context, const std::string& path, const Claim& claim) {
  if (path.empty()) return ScoredSamples(/*with_digests=*/true);
  if (!claim.eval.transcript) {
    return Status::InvalidInput("the claim commits to no transcript; --claim-transcript has nothing to open");
  }
  ASSAY_ASSIGN_OR_RETURN(ScannedTranscript transcript, ScanTranscriptOpening(context.fs, path, /*with_digests=*/true));
  if (ToHex(transcript.root) != claim.eval.transcript->root) {
    return Status::CheckFailed(path + ": transcript root " + ToHex(transcript.root) + " is not the claim's " +
                               claim.eval.transcript->root);
  }
  return std::move(transcript.scored);
}

}  // namespace

Result<AttestedReproduction> AttestReproduction(Context& context, const AttestReproductionRequest& request) {
  if (!request.weights_dir.empty() && !request.weights_root.empty()) {
    return Status::InvalidInput("give one of --weights DIR and --weights-root HEX, not both");
  }
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context));
  ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger->FindRecord(request.claim));
  Result<CheckedRecord> judged = JudgeRecord(context, found.envelope, trust, TrustRole::kVendor);
  if (!judged.ok()) return judged.status().WithContext("record " + found.entry.id);
  Result<Claim> parsed = ParseClaimStatement(judged->payload);
  if (!parsed.ok()) return parsed.status().WithContext("record " + judged->id);
  if (!judged->counts()) context.output.Warn("claim " + judged->id + " does not count as a vendor's: " + judged->problem);

  AttestedReproduction attested;
  attested.claim_id = judged->id;
  attested.claim = std::move(*parsed);
  const Claim& claim = attested.claim;
  // A group's rerun is read as that group unless told otherwise.
  const std::string task = request.task.empty() && claim.eval.is_group() ? claim.eval.benchmark : request.task;
  // The rerun's samples are committed to as they are read, as a claim's are
  // (their leaves wait beside the evaluator's own opening).
  ReproductionDraftOptions draft_options;
  ASSAY_ASSIGN_OR_RETURN(const std::string scratch_folder, ScratchFolderFor(context, request.transcript_out));
  TranscriptBuilder builder(draft_options.new_salt, scratch_folder, /*with_digests=*/true);
  ASSAY_ASSIGN_OR_RETURN(EvalRun run, ReadEvalLog(request.logs, EvalLogOptions{.task = task}, context.fs, &builder));
  ASSAY_ASSIGN_OR_RETURN(CommittedSamples rerun, builder.Finish());
  ASSAY_ASSIGN_OR_RETURN(const ScoredSamples claimed_samples,
                         ClaimedSamples(context, request.claim_transcript, claim));
  if (!request.plan.empty()) {
    ASSAY_ASSIGN_OR_RETURN(FoundPlan plan, FindPlan(context, *ledger, trust, request.plan));
    ASSAY_RETURN_IF_ERROR(NamePlan(plan, run.benchmark, draft_options.plan));
  }
  // The folder, then the key, then the hashing: a wrong path never asks for a
  // passphrase, and a wrong passphrase fails before the long part.
  if (!request.weights_dir.empty()) {
    ASSAY_ASSIGN_OR_RETURN(FileInfo folder, context.fs.FollowStatus(request.weights_dir));
    if (folder.type != FileInfo::Type::kDirectory) {
      return Status::InvalidInput("--weights " + request.weights_dir + ": not a folder (the weights you ran)");
    }
  }
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  ASSAY_ASSIGN_OR_RETURN(ObservedWeights observed, ObserveWeights(context, request, claim.binding));
  attested.observed_root = observed.root;
  draft_options.margin = request.margin;
  draft_options.force = request.force;
  for (const std::string& text : request.accepted_differences) {
    const size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
      return Status::InvalidInput("--accept-difference " + text + ": expected FIELD=REASON, e.g. num_fewshot='the vendor's "
                                  "card says 5-shot; we ran 0-shot as the benchmark defines'");
    }
    draft_options.accepted.push_back({text.substr(0, equals), text.substr(equals + 1)});
  }
  ASSAY_ASSIGN_OR_RETURN(ReproductionDraft draft,
                         DraftReproduction(attested.claim_id, claim, claimed_samples, run, std::move(rerun), observed.root,
                                           observed.format, draft_options));
  ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(ReproductionStatement(draft.reproduction)));
  for (const std::string& note : draft.notes) context.output.Warn(note);
  ASSAY_ASSIGN_OR_RETURN(PublishedEvalRecord published,
                         PublishEvalRecord(context, statement, *key, draft.transcript, draft.objections,
                                           EvalRecordOutputs{"reproduction", request.transcript_out, request.output_path}));
  attested.published = std::move(published.published);
  attested.transcript_file = std::move(published.transcript_file);
  attested.reproduction = std::move(draft.reproduction);
  return attested;
}

}  // namespace assay
