// Turning an eval run into a claim (issue 5, items 2-4): choose the metrics,
// recompute each from the transcript, commit to the transcript, and collect
// what should stop a vendor from signing: a score the transcript does not
// support, or a transcript that fails its harness's own hashes. Forcing signs
// anyway, and the record then says, per metric, that the score was not
// recomputable and why.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "record/claim_statement.h"
#include "claim/transcript.h"
#include "claim/transcript_builder.h"
#include "evallog/eval_run.h"
#include "status.h"

namespace assay {

struct ClaimDraftOptions {
  std::vector<std::string> metrics;  // names to claim; empty: every metric of the run
  bool force = false;
  std::function<TranscriptSalt()> new_salt = RandomSalt;
  // --derive-group-score RULE: a group whose log gives no score gets one
  // derived from its tasks' by this lm-eval rule, marked so (group_score.h).
  std::string derive_group_rule;
};

struct ClaimDraft {
  Claim claim;
  std::optional<CommittedTranscript> transcript;  // absent when the run has no samples
  // What blocks signing without force ("acc,none: the 100 samples average
  // 79.2 points, the log claims 89.9"); with force, recorded in the claim.
  std::vector<std::string> objections;
};

// `binding` says what the claim is about; `model` (null for an endpoint) is
// the model record, compared with what the log says about the model.
// kInvalidInput for a metric name the run lacks, or a derived group score
// asked of a group whose log gives its scores; kCheckFailed, giving the
// first objection and how many there are, when there are objections and
// !options.force.
// `samples`: the run's samples, taken by a TranscriptBuilder as they were
// read (the run itself holds none).
Result<ClaimDraft> DraftClaim(const EvalRun& run, CommittedSamples samples, const ClaimBinding& binding,
                              const ModelRecord* model, const ClaimDraftOptions& options);
// The same, for a run that holds its samples (run.samples).
Result<ClaimDraft> DraftClaim(const EvalRun& run, const ClaimBinding& binding, const ModelRecord* model,
                              const ClaimDraftOptions& options);

// The metrics of `run` named by `names` (all when empty), in the run's order;
// kInvalidInput naming a missing one and listing those there are.
Result<std::vector<EvalMetric>> SelectMetrics(const EvalRun& run, const std::vector<std::string>& names);

// Records on each metric what recomputing it from `samples` gave, and
// returns the objections (scores the samples do not support).
std::vector<std::string> RecordRecomputation(std::vector<RecordedMetric>& metrics, std::span<const EvalSample> samples);

// A group run's: each task's scores recomputed from its own samples (those
// of `scored`, in the run's order), and each group score supported when the
// rule that gives it from the tasks' logged scores is known and every task
// score it takes was recomputed. Objections name the task
// ("negotiationtom_belief: acc,none: ...").
std::vector<std::string> RecordGroupRecomputation(EvalSummary& summary, const EvalRun& run, const ScoredSamples& scored);
// The same, for a run that holds its samples.
std::vector<std::string> RecordGroupRecomputation(EvalSummary& summary, const EvalRun& run);

// Without `force`, kCheckFailed giving the first objection and how many
// there are; with it, marks every metric the objections touch (all of them
// when the harness hashes failed) as not recomputed, saying why.
Status SettleObjections(const std::vector<std::string>& objections, bool hashes_ok, bool force, EvalSummary& summary);

// Records on `summary` the commitment to the run's samples, if there is one.
void RecordCommitment(const EvalRun& run, const std::optional<CommittedTranscript>& transcript, EvalSummary& summary);

}  // namespace assay
