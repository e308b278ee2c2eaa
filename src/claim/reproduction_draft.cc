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

// Where each task's samples are on each side: the claim's among its opened
// samples (in id order), the rerun's among its run's (in the run's order).
// Both sides are held as ids, digests and scores; a task's are materialized
// only while it is compared, so that a group of any size is compared holding
// one task's samples at a time.
struct TaskSides {
  const ScoredSamples& claimed;
  std::map<std::string, SampleRange> claimed_ranges;
  const ScoredSamples& rerun;
  std::map<std::string, SampleRange> rerun_ranges;

  void Look(const std::string& task, const TaskSamplesLook& look) const {
    auto slice = [&task](const ScoredSamples& samples, const std::map<std::string, SampleRange>& ranges) {
      const auto range = ranges.find(task);
      return range == ranges.end() ? std::vector<EvalSample>() : samples.Slice(range->second.begin, range->second.end);
    };
    const std::vector<EvalSample> ours = slice(claimed, claimed_ranges);
    const std::vector<EvalSample> theirs = slice(rerun, rerun_ranges);
    look(ours, theirs);
  }
};

// A group run's scores as its record will hold them (each group score with
// its rule and size; those the claim derived, derived from the rerun's tasks
// by the same rule).
Result<EvalSummary> ReadGroupRerun(const Claim& claim, const EvalRun& run, const ScoredSamples& samples) {
  EvalSummary summary = SummarizeRun(run);
  RecordGroupRecomputation(summary, run, samples);
  for (const RecordedMetric& claimed : claim.eval.metrics) {
    if (!claimed.derived || summary.FindMetric(claimed.metric.name) != nullptr) continue;
    ASSAY_ASSIGN_OR_RETURN(std::vector<RecordedMetric> by_rule, DeriveGroupScores(summary, claimed.rule));
    if (const RecordedMetric* same = FindMetricNamed(by_rule, claimed.metric.name)) summary.metrics.push_back(*same);
  }
  return summary;
}

// Each task's own scores, compared as a task claim's are, with that task's
// samples. Keeps, of the rerun's task metrics, those compared.
void CompareGroupTasks(const Claim& claim, const TaskSides& sides, const EvalSummary& rerun,
                       const VerdictOptions& options, ReproductionDraft& draft) {
  Reproduction& reproduction = draft.reproduction;
  for (const TaskSummary& claimed_task : claim.eval.tasks) {
    const TaskSummary* theirs = nullptr;
    for (const TaskSummary& task : rerun.tasks) {
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
    sides.Look(claimed_task.name, [&](std::span<const EvalSample> ours, std::span<const EvalSample> their_samples) {
      for (const RecordedMetric& claimed : claimed_task.metrics) {
        const RecordedMetric* counterpart = FindCounterpart(theirs->metrics, claimed.metric.name);
        if (counterpart == nullptr) continue;
        if (kept.FindMetric(counterpart->metric.name) == nullptr) kept.metrics.push_back(*counterpart);
        verdicts.verdicts.push_back(
            reproduction.weights_match
                ? CompareMetric(claimed.metric, ours, counterpart->metric, their_samples, options)
                : DifferentWeightsVerdict(claimed.metric.name, claim.binding.weights_root,
                                          reproduction.observed_weights_root, options));
      }
    });
    if (!verdicts.verdicts.empty()) reproduction.task_verdicts.push_back(std::move(verdicts));
  }
}

// The group's own scores, pairing every task's samples and weighing each
// task as the claimed group score does. Keeps, of the rerun's group scores,
// those compared.
Status CompareGroupScores(const Claim& claim, const TaskSides& sides, const EvalSummary& rerun,
                          const VerdictOptions& options, ReproductionDraft& draft) {
  Reproduction& reproduction = draft.reproduction;
  for (const RecordedMetric& claimed : claim.eval.metrics) {
    const RecordedMetric* counterpart = FindCounterpart(rerun.metrics, claimed.metric.name);
    if (counterpart == nullptr) {
      draft.notes.push_back("your run's group " + rerun.benchmark + " has no score '" + claimed.metric.name +
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
    std::map<std::string, GroupTaskMetrics> metrics;
    for (const TaskSummary& task : claim.eval.tasks) {
      const RecordedMetric* metric = task.FindMetric(claimed.metric.name);
      metrics[task.name].claimed = metric == nullptr ? nullptr : &metric->metric;
    }
    for (const TaskSummary& task : rerun.tasks) {
      const RecordedMetric* metric = FindCounterpart(task.metrics, claimed.metric.name);
      metrics[task.name].reproduced = metric == nullptr ? nullptr : &metric->metric;
    }
    reproduction.verdicts.push_back(CompareGroupMetric(
        claimed.metric, claimed.samples, counterpart->metric, counterpart->samples, metrics,
        [&sides](const std::string& task, const TaskSamplesLook& look) { sides.Look(task, look); }, weights, options));
  }
  return Status::Ok();
}

// A group's verdicts: the group's own scores, and each task's.
Status CompareGroupRun(const Claim& claim, const ScoredSamples& claimed, const EvalRun& run, const ScoredSamples& rerun,
                       const VerdictOptions& options, ReproductionDraft& draft) {
  ASSAY_ASSIGN_OR_RETURN(auto claimed_ranges,
                         TaskRanges(claim.eval, claimed.size(), [&](size_t i) { return claimed.id(i); }));
  TaskSides sides{claimed, std::move(claimed_ranges), rerun, {}};
  for (const EvalTask& task : run.tasks) {
    sides.rerun_ranges[task.name] = SampleRange{task.first_sample, task.first_sample + task.sample_count};
  }
  ASSAY_ASSIGN_OR_RETURN(const EvalSummary summary, ReadGroupRerun(claim, run, rerun));
  CompareGroupTasks(claim, sides, summary, options, draft);
  return CompareGroupScores(claim, sides, summary, options, draft);
}

// DraftReproduction, with the rerun's transcript committed to already.
Result<ReproductionDraft> Draft(const std::string& claim_id, const Claim& claim, const ScoredSamples& claimed_samples,
                                const EvalRun& run, CommittedSamples rerun, const std::string& observed_root,
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
  // A claim that committed to a transcript has samples: only its opening was not given.
  const VerdictOptions verdict_options{
      .margin = options.margin,
      .claim_samples_missing = claimed_samples.size() == 0 && claim.eval.transcript
                                   ? "the claim's samples were not given (its transcript opening: --claim-transcript FILE)"
                                   : ""};
  // A task's samples, both sides, held whole (a group's: one task at a time).
  std::vector<EvalSample> rerun_samples;
  if (run.is_group()) {
    ASSAY_RETURN_IF_ERROR(CompareGroupRun(claim, claimed_samples, run, rerun.scored, verdict_options, draft));
  } else {
    const std::vector<EvalSample> ours = claimed_samples.Slice(0, claimed_samples.size());
    rerun_samples = rerun.scored.Slice(0, rerun.scored.size());
    const EvalSummary summary = SummarizeRun(run);
    for (const RecordedMetric& claimed : claim.eval.metrics) {
      const RecordedMetric* counterpart = FindCounterpart(summary.metrics, claimed.metric.name);
      if (counterpart == nullptr) {
        draft.notes.push_back("your log has no metric '" + claimed.metric.name + "': not compared");
        continue;
      }
      const EvalMetric* mine = &counterpart->metric;
      if (reproduction.eval.FindMetric(mine->name) == nullptr) reproduction.eval.metrics.push_back(*counterpart);
      reproduction.verdicts.push_back(
          reproduction.weights_match
              ? CompareMetric(claimed.metric, ours, *mine, rerun_samples, verdict_options)
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
  const std::vector<std::string> unsupported = run.is_group()
                                                   ? RecordGroupRecomputation(reproduction.eval, run, rerun.scored)
                                                   : RecordRecomputation(reproduction.eval.metrics, rerun_samples);
  draft.objections.insert(draft.objections.end(), unsupported.begin(), unsupported.end());
  ASSAY_RETURN_IF_ERROR(SettleObjections(draft.objections, run.hash_check.ok(), options.force, reproduction.eval));
  // A v2 reproduction names its files (and when its run started) as a v2
  // claim does; a v1 one keeps v1's form.
  if (!reproduction.is_v2()) reproduction.eval.logs.clear();
  RecordCommitment(run, rerun.transcript, reproduction.eval);
  draft.transcript = std::move(rerun.transcript);
  return draft;
}

}  // namespace

Result<ReproductionDraft> DraftReproduction(const std::string& claim_id, const Claim& claim,
                                            const std::vector<EvalSample>& claimed_samples, const EvalRun& run,
                                            const std::string& observed_root, const std::string& observed_format,
                                            const ReproductionDraftOptions& options) {
  ScoredSamples claimed(/*with_digests=*/true);
  for (const EvalSample& sample : claimed_samples) ASSAY_RETURN_IF_ERROR(claimed.Add(sample));
  ASSAY_ASSIGN_OR_RETURN(CommittedSamples rerun, CommitHeldSamples(run.samples, options.new_salt, /*with_digests=*/true));
  return Draft(claim_id, claim, claimed, run, std::move(rerun), observed_root, observed_format, options);
}

Result<ReproductionDraft> DraftReproduction(const std::string& claim_id, const Claim& claim, const ScoredSamples& claimed,
                                            const EvalRun& run, CommittedSamples rerun, const std::string& observed_root,
                                            const std::string& observed_format, const ReproductionDraftOptions& options) {
  return Draft(claim_id, claim, claimed, run, std::move(rerun), observed_root, observed_format, options);
}

}  // namespace assay
