#include "ops/comparison_ops.h"

#include <algorithm>
#include <set>

#include "claim/transcript.h"
#include "claim/transcript_opening.h"
#include "ops/attest_claim.h"
#include "ops/deployment_ops.h"
#include "ops/signed_claim.h"
#include "record/in_toto.h"
#include "record/model_statement.h"
#include "record/record_id.h"
#include "record/reproduction_statement.h"
#include "sign/dsse.h"

namespace assay {
namespace {

// One side to record: what compare-transcripts read, the record named for
// it, and the flag that named it, for messages.
struct SideToRecord {
  const TranscriptSide* side;
  std::string record_reference;
  const char* flag;
  const char* role;  // "weights", "endpoint", "baseline": the opening's file name says which
};

// The transcript root a claim or reproduction committed to.
Result<std::pair<std::string, std::string>> CommittedRoot(Ledger& ledger, const std::string& flag,
                                                          const std::string& reference) {
  Result<Ledger::Found> found = ledger.FindRecord(reference);
  if (!found.ok()) return found.status().WithContext(flag + " " + reference);
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope envelope, ParseDsseEnvelope(found->envelope));
  const std::string& type = found->entry.predicate_type;
  std::optional<TranscriptCommitment> transcript;
  if (IsClaimPredicateType(type)) {
    ASSAY_ASSIGN_OR_RETURN(Claim claim, ParseClaimStatement(envelope.payload));
    transcript = claim.eval.transcript;
  } else if (IsReproductionPredicateType(type)) {
    ASSAY_ASSIGN_OR_RETURN(Reproduction reproduction, ParseReproductionStatement(envelope.payload));
    transcript = reproduction.eval.transcript;
  } else {
    return Status::InvalidInput(flag + " " + reference + ": record " + found->entry.id +
                                " is not a claim or a reproduction");
  }
  if (!transcript) {
    return Status::InvalidInput(flag + " " + reference + ": record " + found->entry.id + " committed to no transcript");
  }
  return std::pair{found->entry.id, transcript->root};
}

// The side as the record names it, and, for a side read from a log, its
// transcript newly committed to with fresh salts (its opening to be written).
Result<ComparedRun> RecordSide(Ledger& ledger, const SideToRecord& to_record, std::optional<Transcript>& committed) {
  const TranscriptSide& side = *to_record.side;
  ComparedRun run{"", side.samples.size(), side.format, ""};
  if (side.opening_root) {
    run.transcript_root = ToHex(*side.opening_root);
  } else if (!to_record.record_reference.empty()) {
    return Status::InvalidInput(std::string(to_record.flag) + ": " + side.label +
                                " is a log; a record commits to a salted root, so give the transcript opening "
                                "it was written with (its .transcript.jsonl)");
  } else {
    ASSAY_ASSIGN_OR_RETURN(committed, CommitTranscript(side.samples));
    run.transcript_root = ToHex(committed->root);
  }
  if (to_record.record_reference.empty()) return run;
  ASSAY_ASSIGN_OR_RETURN(auto record, CommittedRoot(ledger, to_record.flag, to_record.record_reference));
  if (record.second != run.transcript_root) {
    return Status::InvalidInput(std::string(to_record.flag) + ": record " + record.first +
                                " committed to transcript root " + record.second + ", and " + side.label +
                                " opens " + run.transcript_root);
  }
  run.record = record.first;
  return run;
}

std::string JoinedPath(const std::string& folder, const std::string& name) {
  if (folder.empty()) return name;
  return folder.ends_with('/') ? folder + name : folder + "/" + name;
}

}  // namespace

Result<AttestedComparison> AttestComparison(Context& context, const AttestComparisonRequest& request) {
  AttestedComparison attested;
  Comparison& comparison = attested.comparison;
  ASSAY_ASSIGN_OR_RETURN(comparison.endpoint, ParseEndpoint(request.endpoint));
  if (!request.baseline_record.empty() && request.sides.baseline_files.empty()) {
    return Status::InvalidInput("--baseline-record names the record of a baseline, and no --baseline was given");
  }
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  // The model record must be there already: a refused comparison creates no ledger.
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context, /*create=*/false));
  ASSAY_ASSIGN_OR_RETURN(ResolvedModel resolved, FindModelRecord(context, *ledger, request.model));
  comparison.model = ModelRecordRefOf(resolved);
  ASSAY_ASSIGN_OR_RETURN(attested.transcripts, CompareTranscriptFiles(context, request.sides));
  const TranscriptsComparison& transcripts = attested.transcripts;

  std::vector<SideToRecord> sides = {{&transcripts.a, request.weights_record, "--weights-record", "weights"},
                                     {&transcripts.b, request.endpoint_record, "--endpoint-record", "endpoint"}};
  if (transcripts.baseline) sides.push_back({&*transcripts.baseline, request.baseline_record, "--baseline-record", "baseline"});
  std::vector<std::optional<Transcript>> committed(sides.size());
  std::vector<ComparedRun> runs;
  for (size_t i = 0; i < sides.size(); ++i) {
    ASSAY_ASSIGN_OR_RETURN(ComparedRun run, RecordSide(*ledger, sides[i], committed[i]));
    runs.push_back(std::move(run));
  }
  comparison.weights_run = runs[0];
  comparison.endpoint_run = runs[1];
  if (runs.size() > 2) comparison.baseline_run = runs[2];

  const TranscriptComparison& result = transcripts.comparison;
  const SameModelVerdict& verdict = result.verdict;
  comparison.compared = result.compared;
  comparison.exact_match_rate = result.ExactMatchRate();
  comparison.finding = FindingName(verdict.finding);
  comparison.reason = verdict.reason;
  if (!verdict.test.empty()) {
    comparison.test = verdict.test;
    comparison.statistic = verdict.statistic;
  }
  comparison.decoding = DecodingName(verdict.decoding);
  comparison.prompts = verdict.prompts;
  comparison.p_value = verdict.p_value;
  comparison.low = verdict.low;
  comparison.high = verdict.high;
  comparison.baseline_rate = verdict.baseline_rate;
  comparison.pooled = verdict.pooled;

  ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(ComparisonStatement(comparison)));
  // The openings of sides read from logs: salts nobody else has, so never
  // put over a file that is there.
  std::vector<OutputFile> files;
  for (size_t i = 0; i < sides.size(); ++i) {
    attested.openings.emplace_back();
    if (!committed[i]) continue;
    const std::string name = "comparison-" + RecordId(statement).substr(0, 16) + "." + sides[i].role + ".transcript.jsonl";
    files.push_back(OutputFile{JoinedPath(request.openings_folder, name), FormatTranscriptOpening(*committed[i]), 0600,
                               /*replace=*/false, {}});
    attested.openings.back() = files.back().path;
  }
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  const TrustEntry* entry = trust.Find(key->public_key().key);
  if (entry == nullptr || !entry->HasRole(TrustRole::kEvaluator)) {
    context.output.Warn("this comparison will not count: the trust file does not list your key in the role evaluator");
  }
  ASSAY_ASSIGN_OR_RETURN(attested.published, Publish(context, statement, PublishOptions{key, /*append=*/true, request.output_path},
                                                     std::move(files)));
  return attested;
}

Result<std::vector<JudgedComparison>> ComparisonsOfModels(Context& context, Ledger& ledger, const TrustFile& trust,
                                                          const std::vector<std::string>& model_records) {
  const std::set<std::string> wanted(model_records.begin(), model_records.end());
  ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> entries, ledger.index().RecordsOfPredicateType(kComparisonPredicateType));
  std::vector<JudgedComparison> all;
  for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {  // oldest first
    ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger.FindRecord(entry->id));
    Result<CheckedRecord> judged = JudgeForPredicate(context, found.envelope, trust, kComparisonPredicateType);
    if (!judged.ok() || judged->altered()) continue;
    Result<Comparison> comparison = ParseComparisonStatement(judged->payload);
    if (!comparison.ok() || !wanted.contains(comparison->model.record)) continue;
    all.push_back({judged->id, std::move(*comparison), SignerName(*judged), judged->problem});
  }
  return all;
}

}  // namespace assay
