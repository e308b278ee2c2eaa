// assay attest reproduction CLAIM LOG...: an evaluator's countersignature.
// The evaluator says which weights they ran (a folder hashed now, or the root
// `assay verify model` printed), gives their own eval logs, and optionally the
// vendor's transcript opening (for paired evidence); assay computes the
// verdict per metric (docs/verdicts.md), signs it with the evaluator's key and
// appends it to the ledger.
#include "attest/attest_reproduction.h"

#include <cstdio>
#include <memory>

#include "cli/claim_report.h"
#include "cli/command.h"
#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "cli/ledger_records.h"
#include "cli/record_signing.h"
#include "cli/verdict_report.h"
#include "claim/reproduction_draft.h"
#include "claim/transcript_opening.h"
#include "evallog/eval_log.h"
#include "model/model_manifest.h"
#include "record/model_statement.h"
#include "sign/dsse.h"
#include "record/record_id.h"

namespace assay::cli {
namespace {


struct ObservedWeights {
  std::string root;
  std::string format;
};

// The root of the evaluator's weights in the claim's format.
Result<ObservedWeights> ObserveWeights(const AttestReproductionOptions& options, const ClaimBinding& binding) {
  if (!options.weights_root.empty()) {
    std::optional<Sha256Digest> root = Sha256FromHex(options.weights_root);
    if (!root) return Status::InvalidInput("--weights-root: expected 64 hex digits, got '" + options.weights_root + "'");
    return ObservedWeights{ToHex(*root), binding.weights_format};
  }
  if (options.weights_dir.empty()) return ObservedWeights{};
  ManifestOptions manifest_options;  // no cache: the evaluator's claim is about these bytes now
  ASSAY_ASSIGN_OR_RETURN(ModelManifest manifest, BuildModelManifest(LocalFileSystem(), options.weights_dir, manifest_options));
  if (manifest.weights_roots.empty()) return Status::InvalidInput(options.weights_dir + ": no safetensors or GGUF tensors to root");
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    if (WeightFormatName(root.format) == binding.weights_format) {
      return ObservedWeights{ToHex(root.root), binding.weights_format};
    }
  }
  const WeightsRootRecord& first = manifest.weights_roots.front();
  return ObservedWeights{ToHex(first.root), std::string(WeightFormatName(first.format))};
}

// The claim's own samples, from its transcript opening, checked against the
// root the claim commits to.
Result<std::vector<EvalSample>> ClaimedSamples(const std::string& path, const Claim& claim) {
  if (path.empty()) return std::vector<EvalSample>();
  if (!claim.eval.transcript) return Status::InvalidInput("the claim commits to no transcript; --claim-transcript has nothing to open");
  ASSAY_ASSIGN_OR_RETURN(Transcript transcript, ReadTranscriptOpening(LocalFileSystem(), path));
  if (ToHex(transcript.root) != claim.eval.transcript->root) {
    return Status::CheckFailed(path + ": transcript root " + ToHex(transcript.root) + " is not the claim's " +
                               claim.eval.transcript->root);
  }
  return SamplesOf(transcript);
}

}  // namespace

Status RunAttestReproduction(const AttestReproductionOptions& options) {
  if (!options.weights_dir.empty() && !options.weights_root.empty()) {
    return Status::InvalidInput("give one of --weights DIR and --weights-root HEX, not both");
  }
  FileSystem& fs = LocalFileSystem();
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, LoadTrustFile(TrustFilePath(options.out.trust_path)));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerStore> ledger, OpenLedger(options.out.ledger));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<LedgerIndex> index, OpenSyncedIndex(*ledger));
  ASSAY_ASSIGN_OR_RETURN(CheckedLedgerRecord record, ReadLedgerRecord(*index, options.claim, trust, TrustRole::kVendor));
  ASSAY_ASSIGN_OR_RETURN(Claim claim, ParseClaimStatement(record.payload));
  if (!record.trusted) Warn("claim " + record.id + " does not count as a vendor's: " + record.problem);

  ASSAY_ASSIGN_OR_RETURN(EvalRun run, ReadEvalLog(options.logs, EvalLogOptions{.task = options.task}, fs));
  ASSAY_ASSIGN_OR_RETURN(ObservedWeights observed, ObserveWeights(options, claim.binding));
  ASSAY_ASSIGN_OR_RETURN(std::vector<EvalSample> claimed_samples, ClaimedSamples(options.claim_transcript, claim));
  ReproductionDraftOptions draft_options;
  draft_options.margin = options.margin;
  draft_options.force = options.force;
  ASSAY_ASSIGN_OR_RETURN(ReproductionDraft draft, DraftReproduction(record.id, claim, claimed_samples, run, observed.root,
                                                                    observed.format, draft_options));
  ASSAY_ASSIGN_OR_RETURN(MinisignSecretKey key, LoadSigningKey(options.out.key));
  ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(ReproductionStatement(draft.reproduction)));
  ASSAY_ASSIGN_OR_RETURN(std::string envelope, SignRecord(statement, key));
  const std::string id = RecordId(statement);

  std::vector<RecordOutputFile> files;
  if (draft.transcript) {
    files.push_back(TranscriptOpeningFile(*draft.transcript, options.transcript_out, "reproduction", id));
  }
  for (const std::string& note : draft.notes) Warn(note);
  for (const std::string& objection : draft.objections) Warn("signed with --force although " + objection);
  return PublishRecord(options.out, envelope, &key, /*append=*/true, files, [&] {
    Print("reproduction %s\n", id);
    Print("of claim   %s\n", record.id);
    Print("%-10s %s\n", claim.binding.endpoint ? "endpoint" : "model", DescribeBinding(claim.binding));
    if (claim.binding.bound_to_weights()) {
      Print("weights    %s %s\n", observed.root,
                  draft.reproduction.weights_match ? "(the claim's weights)" : "DIFFERENT WEIGHTS from the claim's");
    }
    PrintEvalSummary(draft.reproduction.eval);
    for (const MetricVerdict& verdict : draft.reproduction.verdicts) PrintVerdictLine(verdict);
    if (draft.transcript) Print("transcript %s (your samples and salts)\n", files.front().path);
  });
}

void AddAttestReproductionCommand(CLI::App& attest, Status& outcome) {
  auto options = std::make_shared<AttestReproductionOptions>();
  CLI::App* command = attest.add_subcommand("reproduction", "countersign a claim: your own run of its eval, and the verdict");
  command->add_option("CLAIM", options->claim, "the claim record: id or id prefix")->required();
  command->add_option("LOG", options->logs, "your eval log files (the formats attest claim reads)")->required();
  command->add_option("--weights", options->weights_dir, "your copy of the weights, hashed now");
  command->add_option("--weights-root", options->weights_root, "or the weights root 'assay verify model' printed for it");
  command->add_option("--claim-transcript", options->claim_transcript,
                      "the vendor's transcript opening, for sample-paired evidence");
  command->add_option("--task", options->task, "the task to read when the log holds several");
  command->add_option("--margin", options->margin, "equivalence margin in points (default 2)");
  command->add_option("--transcript-out", options->transcript_out,
                      "where to write your transcript opening (default reproduction-ID.transcript.jsonl)");
  command->add_flag("--force", options->force, "sign even if your transcript does not support your scores");
  AddRecordOutputOptions(*command, options->out, "trust file (checks the claim's signer, names yours)");
  command->callback([options, &outcome] { outcome = RunAttestReproduction(*options); });
}

}  // namespace assay::cli
