#include "claim/verdict.h"
#include "claim/reproduction_draft.h"

#include "claim/claim_draft.h"
#include "claim/config_comparison.h"
#include "claim/group_score.h"

#include <algorithm>

namespace assay {
namespace {

// What the comparison of configurations does to a verdict on the claim's
// weights: "not comparable" while a difference is not accepted; otherwise the
// verdict stands, its reason naming what was accepted and what is unknown.
void ApplyComparability(const ConfigComparison& configuration, const std::vector<AcceptedDifference>& accepted,
                        MetricVerdict& verdict) {
  if (verdict.kind == VerdictKind::kDifferentWeights) return;
  const std::vector<ConfigDifference> unaccepted = configuration.Unaccepted(accepted);
  if (!unaccepted.empty()) {
    verdict.kind = VerdictKind::kNotComparable;
    verdict.reason = "the runs did not measure the same thing: " +
                     ConfigComparison{unaccepted, {}}.DifferencesLine() + " (the numbers alone: " + verdict.reason + ")";
  } else {
    for (const AcceptedDifference& one : accepted) {
      verdict.reason += "; compared despite " + one.field + " (accepted: " + one.reason + ")";
    }
  }
  if (!configuration.unknown.empty()) verdict.reason += "; " + configuration.UnknownLine();
}

// A group run's samples by task, and its scores as its record will hold
// them (each group score with its rule and size; those the claim derived,
// derived from the rerun's tasks by the same rule).
struct GroupRerun {
  EvalSummary summary;
  std::map<std::string, std::span<const EvalSample>> samples;
};

Result<GroupRerun> ReadGroupRerun(const Claim& claim, const EvalRun& run) {
  GroupRerun rerun{SummarizeRun(run), {}};
  RecordGroupRecomputation(rerun.summary, run);
  for (const EvalTask& task : run.tasks) {
    rerun.samples[task.name] = std::span<const EvalSample>(run.samples).subspan(task.first_sample, task.sample_count);
  }
  for (const RecordedMetric& claimed : claim.eval.metrics) {
    if (!claimed.derived || rerun.summary.FindMetric(claimed.metric.name) != nullptr) continue;
    ASSAY_ASSIGN_OR_RETURN(std::vector<RecordedMetric> by_rule, DeriveGroupScores(rerun.summary, claimed.rule));
    if (const RecordedMetric* same = FindMetricNamed(by_rule, claimed.metric.name)) {
      rerun.summary.metrics.push_back(*same);
    }
  }
  return rerun;
}

// Each task's own scores, compared as a task claim's are, with that task's
// samples. Keeps, of the rerun's task metrics, those compared.
void CompareGroupTasks(const Claim& claim, std::map<std::string, std::span<const EvalSample>>& claimed_by_task,
                       GroupRerun& rerun, const VerdictOptions& options, ReproductionDraft& draft) {
  Reproduction& reproduction = draft.reproduction;
  for (const TaskSummary& claimed_task : claim.eval.tasks) {
    const TaskSummary* theirs = nullptr;
    for (const TaskSummary& task : rerun.summary.tasks) {
      if (task.name == claimed_task.name) theirs = &task;
    }
    if (theirs == nullptr) {
      draft.notes.push_back("your run has no task " + claimed_task.name + ": not compared");
      continue;
    }
    TaskSummary& kept = *std::find_if(reproduction.eval.tasks.begin(), reproduction.eval.tasks.end(),
                                      [&](const TaskSummary& task) { return task.name == claimed_task.name; });
    kept.metrics.clear();
    TaskVerdicts verdicts{claimed_task.name, {}};
    for (const RecordedMetric& claimed : claimed_task.metrics) {
      const RecordedMetric* counterpart = FindCounterpart(theirs->metrics, claimed.metric.name);
      if (counterpart == nullptr) continue;
      if (kept.FindMetric(counterpart->metric.name) == nullptr) kept.metrics.push_back(*counterpart);
      verdicts.verdicts.push_back(
          reproduction.weights_match
              ? CompareMetric(claimed.metric, claimed_by_task[claimed_task.name], counterpart->metric,
                              rerun.samples[theirs->name], options)
              : DifferentWeightsVerdict(claimed.metric.name, claim.binding.weights_root,
                                        reproduction.observed_weights_root, options));
    }
    if (!verdicts.verdicts.empty()) reproduction.task_verdicts.push_back(std::move(verdicts));
  }
}

// The group's own scores, pairing every task's samples and weighing each
// task as the claimed group score does. Keeps, of the rerun's group scores,
// those compared.
Status CompareGroupScores(const Claim& claim, std::map<std::string, std::span<const EvalSample>>& claimed_by_task,
                          GroupRerun& rerun, const VerdictOptions& options, ReproductionDraft& draft) {
  Reproduction& reproduction = draft.reproduction;
  for (const RecordedMetric& claimed : claim.eval.metrics) {
    const RecordedMetric* counterpart = FindCounterpart(rerun.summary.metrics, claimed.metric.name);
    if (counterpart == nullptr) {
      draft.notes.push_back("your run's group " + rerun.summary.benchmark + " has no score '" + claimed.metric.name +
                            "': not compared");
      continue;
    }
    if (reproduction.eval.FindMetric(counterpart->metric.name) == nullptr) reproduction.eval.metrics.push_back(*counterpart);
    if (!reproduction.weights_match) {
      reproduction.verdicts.push_back(DifferentWeightsVerdict(claimed.metric.name, claim.binding.weights_root,
                                                              reproduction.observed_weights_root, options));
      continue;
    }
    ASSAY_ASSIGN_OR_RETURN(const auto weights, GroupTaskWeights(claim.eval, claimed));
    std::map<std::string, TaskEvidence> ours, theirs;
    for (const TaskSummary& task : claim.eval.tasks) {
      const RecordedMetric* metric = task.FindMetric(claimed.metric.name);
      ours[task.name] = {metric == nullptr ? nullptr : &metric->metric, claimed_by_task[task.name]};
    }
    for (const TaskSummary& task : rerun.summary.tasks) {
      const RecordedMetric* metric = FindCounterpart(task.metrics, claimed.metric.name);
      theirs[task.name] = {metric == nullptr ? nullptr : &metric->metric, rerun.samples[task.name]};
    }
    reproduction.verdicts.push_back(CompareGroupMetric(claimed.metric, claimed.samples, ours, counterpart->metric,
                                                       counterpart->samples, theirs, weights, options));
  }
  return Status::Ok();
}

// A group's verdicts: the group's own scores, and each task's.
Status CompareGroupRun(const Claim& claim, std::span<const EvalSample> claimed_samples, const EvalRun& run,
                       const VerdictOptions& options, ReproductionDraft& draft) {
  ASSAY_ASSIGN_OR_RETURN(auto claimed_by_task, SamplesByTask(claim.eval, claimed_samples));
  ASSAY_ASSIGN_OR_RETURN(GroupRerun rerun, ReadGroupRerun(claim, run));
  CompareGroupTasks(claim, claimed_by_task, rerun, options, draft);
  return CompareGroupScores(claim, claimed_by_task, rerun, options, draft);
}

// DraftReproduction, with the rerun's transcript committed to already.
Result<ReproductionDraft> Draft(const std::string& claim_id, const Claim& claim,
                                const std::vector<EvalSample>& claimed_samples, const EvalRun& run,
                                std::optional<CommittedTranscript> rerun_transcript, const std::string& observed_root,
                                const std::string& observed_format, const ReproductionDraftOptions& options) {
  ASSAY_RETURN_IF_ERROR(CheckMargin(options.margin));
  const ClaimBinding& binding = claim.binding;
  if (binding.bound_to_weights() && observed_root.empty()) {
    return Status::InvalidInput("the claim is bound to weights: say which weights you ran (--weights DIR or --weights-root HEX)");
  }
  if (claim.eval.is_group() != run.is_group()) {
    return Status::InvalidInput(claim.eval.is_group()
                                    ? "the claim is of the group " + claim.eval.benchmark + "; your log's " +
                                          run.benchmark + " is one task: read your run's group (--task " +
                                          claim.eval.benchmark + ")"
                                    : "the claim is of one task, " + claim.eval.benchmark + "; your log's " +
                                          run.benchmark + " is a group: name the task (--task " +
                                          claim.eval.benchmark + ")");
  }
  ReproductionDraft draft;
  Reproduction& reproduction = draft.reproduction;
  reproduction.claim_id = claim_id;
  reproduction.margin = options.margin;
  reproduction.observed_weights_root = observed_root;
  reproduction.weights_format = observed_format;
  reproduction.weights_match = !binding.bound_to_weights() ||
                               (observed_root == binding.weights_root && observed_format == binding.weights_format);

  // The evaluator's own numbers are recorded like a claim's: the metrics the
  // claim names, recomputed from the evaluator's transcript.
  reproduction.eval = SummarizeRun(run);
  reproduction.eval.metrics.clear();
  reproduction.plan = options.plan;
  const VerdictOptions verdict_options{.margin = options.margin};
  if (run.is_group()) {
    ASSAY_RETURN_IF_ERROR(CompareGroupRun(claim, claimed_samples, run, verdict_options, draft));
  } else {
    const EvalSummary rerun = SummarizeRun(run);
    for (const RecordedMetric& claimed : claim.eval.metrics) {
      const RecordedMetric* counterpart = FindCounterpart(rerun.metrics, claimed.metric.name);
      if (counterpart == nullptr) {
        draft.notes.push_back("your log has no metric '" + claimed.metric.name + "': not compared");
        continue;
      }
      const EvalMetric* mine = &counterpart->metric;
      if (reproduction.eval.FindMetric(mine->name) == nullptr) reproduction.eval.metrics.push_back(*counterpart);
      reproduction.verdicts.push_back(
          reproduction.weights_match
              ? CompareMetric(claimed.metric, claimed_samples, *mine, run.samples, verdict_options)
              : DifferentWeightsVerdict(claimed.metric.name, binding.weights_root, observed_root, verdict_options));
    }
  }
  if (reproduction.verdicts.empty() && reproduction.task_verdicts.empty()) {
    return Status::InvalidInput("your log (" + run.benchmark + ") has none of the claimed metrics: " +
                                ExplainMetricMismatch(claim.eval, SummarizeRun(run)));
  }
  // Compared from the two records as they will be signed, so that a verifier recomputes the same.
  const ConfigComparison configuration = CompareConfigurations(claim.eval, reproduction.eval);
  for (const AcceptedDifference& one : options.accepted) {
    if (one.reason.empty()) return Status::InvalidInput("--accept-difference " + one.field + ": give the reason after '='");
    if (std::none_of(configuration.differences.begin(), configuration.differences.end(),
                     [&](const ConfigDifference& difference) { return difference.field == one.field; })) {
      return Status::InvalidInput("--accept-difference " + one.field + ": the runs do not differ in " + one.field +
                                  (configuration.comparable() ? " (they differ in nothing that changes scores)"
                                                              : " (they differ in: " + configuration.DifferencesLine() + ")"));
    }
  }
  reproduction.differences = configuration.differences;
  reproduction.unknown_fields = configuration.unknown;
  reproduction.accepted = options.accepted;
  for (MetricVerdict& verdict : reproduction.verdicts) ApplyComparability(configuration, options.accepted, verdict);
  for (TaskVerdicts& task : reproduction.task_verdicts) {
    for (MetricVerdict& verdict : task.verdicts) {
      ApplyComparability(configuration.ForTask(task.task), options.accepted, verdict);
    }
  }
  for (const std::string& problem : run.hash_check.problems) {
    draft.objections.push_back("your transcript fails " + run.harness + "'s own hashes: " + problem);
  }
  const std::vector<std::string> unsupported = run.is_group() ? RecordGroupRecomputation(reproduction.eval, run)
                                                              : RecordRecomputation(reproduction.eval.metrics, run.samples);
  draft.objections.insert(draft.objections.end(), unsupported.begin(), unsupported.end());
  ASSAY_RETURN_IF_ERROR(SettleObjections(draft.objections, run.hash_check.ok(), options.force, reproduction.eval));
  // A v2 reproduction names its files (and when its run started) as a v2
  // claim does; a v1 one keeps v1's form.
  if (!reproduction.is_v2()) reproduction.eval.logs.clear();
  RecordCommitment(run, rerun_transcript, reproduction.eval);
  draft.transcript = std::move(rerun_transcript);
  return draft;
}

}  // namespace

Result<ReproductionDraft> DraftReproduction(const std::string& claim_id, const Claim& claim,
                                            const std::vector<EvalSample>& claimed_samples, const EvalRun& run,
                                            const std::string& observed_root, const std::string& observed_format,
                                            const ReproductionDraftOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(CommittedSamples committed, CommitHeldSamples(run.samples, options.new_salt));
  return Draft(claim_id, claim, claimed_samples, run, std::move(committed.transcript), observed_root, observed_format,
               options);
}

Result<ReproductionDraft> DraftReproduction(const std::string& claim_id, const Claim& claim,
                                            const std::vector<EvalSample>& claimed_samples, const EvalRun& run,
                                            CommittedSamples rerun, const std::string& observed_root,
                                            const std::string& observed_format, const ReproductionDraftOptions& options) {
  EvalRun held = run;
  held.samples = rerun.scored.Slice(0, rerun.scored.size());
  return Draft(claim_id, claim, claimed_samples, held, std::move(rerun.transcript), observed_root, observed_format,
               options);
}

}  // namespace assay
