#include "claim/claim_draft.h"

#include "claim/group_score.h"
#include "claim/score_recompute.h"

namespace assay {

Result<std::vector<EvalMetric>> SelectMetrics(const EvalRun& run, const std::vector<std::string>& names) {
  if (names.empty()) return run.metrics;
  std::vector<EvalMetric> selected;
  for (const std::string& name : names) {
    const EvalMetric* found = nullptr;
    for (const EvalMetric& metric : run.metrics) {
      if (metric.name == name) found = &metric;
    }
    if (found == nullptr) {
      std::string known;
      for (const EvalMetric& metric : run.metrics) known += (known.empty() ? "" : ", ") + metric.name;
      return Status::InvalidInput("the log has no metric '" + name + "' for " + run.benchmark + " (it has: " + known + ")");
    }
    selected.push_back(*found);
  }
  return selected;
}

std::vector<std::string> RecordRecomputation(std::vector<RecordedMetric>& metrics, std::span<const EvalSample> samples) {
  std::vector<std::string> objections;
  for (RecordedMetric& recorded : metrics) {
    const ScoreRecomputation recomputation = RecomputeScore(recorded.metric, samples);
    if (!recomputation.recomputed) {
      recorded.not_recomputable = recomputation.why_not;
      continue;
    }
    recorded.samples = recomputation.n;
    if (recomputation.value_matches) {
      recorded.recomputed = true;
    } else {
      recorded.not_recomputable = recomputation.value_mismatch;
      objections.push_back(recorded.metric.name + ": " + recomputation.value_mismatch);
    }
  }
  return objections;
}

namespace {

// A group run's: each task's scores recomputed by `recompute_task` (from
// the task's own samples, wherever they are held), then its group scores.
std::vector<std::string> RecordGroupRecomputation(
    EvalSummary& summary, const EvalRun& run,
    const std::function<std::vector<std::string>(const EvalTask&, std::vector<RecordedMetric>&)>& recompute_task) {
  std::vector<std::string> objections;
  for (size_t i = 0; i < run.tasks.size(); ++i) {
    for (const std::string& objection : recompute_task(run.tasks[i], summary.tasks[i].metrics)) {
      objections.push_back(run.tasks[i].name + ": " + objection);
    }
  }
  for (RecordedMetric& recorded : summary.metrics) {
    if (recorded.derived) continue;  // recorded as derived from the tasks' scores, with its rule
    const std::string& key = recorded.metric.name;
    const auto finding = run.group_rules.find(key);
    if (finding == run.group_rules.end() || !finding->second.problem.empty()) {
      recorded.not_recomputable = finding == run.group_rules.end() ? "no rule of lm-eval is known to give it"
                                                                   : finding->second.problem;
      objections.push_back(key + ": " + recorded.not_recomputable);
      continue;
    }
    recorded.rule = finding->second.rule;
    uint64_t samples = 0;
    for (const TaskSummary& task : summary.tasks) {
      const RecordedMetric* taken = task.FindMetric(key);
      if (taken == nullptr) continue;
      if (!taken->recomputed) {
        recorded.not_recomputable = "the score of task " + task.name + " is not recomputed: " + taken->not_recomputable;
        break;
      }
      samples += taken->samples.value_or(0);
    }
    if (!recorded.not_recomputable.empty()) continue;
    if (samples == 0) {
      recorded.not_recomputable = "no task of the group has '" + key + "'";
      continue;
    }
    recorded.recomputed = true;
    recorded.samples = samples;
  }
  return objections;
}

}  // namespace

std::vector<std::string> RecordGroupRecomputation(EvalSummary& summary, const EvalRun& run, const ScoredSamples& scored) {
  return RecordGroupRecomputation(summary, run, [&](const EvalTask& task, std::vector<RecordedMetric>& metrics) {
    return RecordRecomputation(metrics, scored.Slice(task.first_sample, task.first_sample + task.sample_count));
  });
}

std::vector<std::string> RecordGroupRecomputation(EvalSummary& summary, const EvalRun& run) {
  return RecordGroupRecomputation(summary, run, [&](const EvalTask& task, std::vector<RecordedMetric>& metrics) {
    return RecordRecomputation(metrics, std::span<const EvalSample>(run.samples).subspan(task.first_sample, task.sample_count));
  });
}

Status SettleObjections(const std::vector<std::string>& objections, bool hashes_ok, bool force, EvalSummary& summary) {
  if (objections.empty()) return Status::Ok();
  if (!force) {
    std::string message = "refusing to sign: " + objections.front();
    if (objections.size() > 1) message += " (and " + std::to_string(objections.size() - 1) + " more)";
    return Status::CheckFailed(message).WithHint("pass --force to sign anyway, saying so in the record");
  }
  // A transcript that fails its own hashes supports none of its scores.
  auto settle = [&](std::vector<RecordedMetric>& metrics) {
    for (RecordedMetric& recorded : metrics) {
      if (recorded.recomputed && hashes_ok) continue;
      recorded.recomputed = false;
      recorded.not_recomputable =
          "signed with --force: " + (recorded.not_recomputable.empty() ? objections.front() : recorded.not_recomputable);
    }
  };
  settle(summary.metrics);
  for (TaskSummary& task : summary.tasks) settle(task.metrics);
  return Status::Ok();
}

void RecordCommitment(const EvalRun& run, const std::optional<CommittedTranscript>& transcript, EvalSummary& summary) {
  if (!transcript) return;
  summary.transcript = TranscriptCommitment{.root = ToHex(transcript->root()),
                                            .samples = transcript->samples(),
                                            .format = run.format,
                                            .harness_hash_rows = run.hash_check.rows_checked,
                                            .id_scheme = run.id_scheme};
}

Result<ClaimDraft> DraftClaim(const EvalRun& run, const ClaimBinding& binding, const ModelRecord* model,
                              const ClaimDraftOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(CommittedSamples samples, CommitHeldSamples(run.samples, options.new_salt));
  return DraftClaim(run, std::move(samples), binding, model, options);
}

Result<ClaimDraft> DraftClaim(const EvalRun& run, CommittedSamples samples, const ClaimBinding& binding,
                              const ModelRecord* model, const ClaimDraftOptions& options) {
  ClaimDraft draft;
  Claim& claim = draft.claim;
  claim.binding = binding;
  claim.eval = SummarizeRun(run);
  ASSAY_ASSIGN_OR_RETURN(std::vector<EvalMetric> metrics, SelectMetrics(run, options.metrics));
  claim.eval.metrics.clear();
  for (EvalMetric& metric : metrics) {
    RecordedMetric recorded;
    recorded.metric = std::move(metric);
    claim.eval.metrics.push_back(std::move(recorded));
  }
  if (model != nullptr) claim.model_mismatch = DescribeModelMismatch(claim.eval, *model);
  if (binding.endpoint) claim.model_mismatch = DescribeEndpointMismatch(claim.eval, *binding.endpoint);

  for (const std::string& problem : run.hash_check.problems) {
    draft.objections.push_back("the transcript fails " + run.harness + "'s own hashes: " + problem);
  }
  const std::vector<std::string> unsupported =
      run.is_group() ? RecordGroupRecomputation(claim.eval, run, samples.scored)
                     : RecordRecomputation(claim.eval.metrics, samples.scored.Slice(0, samples.scored.size()));
  draft.objections.insert(draft.objections.end(), unsupported.begin(), unsupported.end());
  if (!options.derive_group_rule.empty()) {
    if (!run.is_group() || !claim.eval.metrics.empty()) {
      return Status::InvalidInput("--derive-group-score: " + run.benchmark +
                                  (run.is_group() ? "'s log gives its group scores; assay derives only a score the log does not give"
                                                  : " is not a group"));
    }
    ASSAY_ASSIGN_OR_RETURN(claim.eval.metrics, DeriveGroupScores(claim.eval, options.derive_group_rule));
  }
  ASSAY_RETURN_IF_ERROR(SettleObjections(draft.objections, run.hash_check.ok(), options.force, claim.eval));
  RecordCommitment(run, samples.transcript, claim.eval);
  draft.transcript = std::move(samples.transcript);
  return draft;
}

}  // namespace assay
