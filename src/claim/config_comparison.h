// Like with like: whether a rerun measured what the claim measured, field by
// field from what the two logs record (docs/spec/claim-v2.md,
// "Configuration"; docs/verdicts.md, "Comparing configurations"). A field
// both record, with different values, that changes scores makes the two runs
// not comparable; a field only one side records is unknown, and never makes
// them not comparable: leaving a setting out of a log must not turn a failed
// reproduction into "not comparable".
#pragma once

#include <string>
#include <vector>

#include "record/eval_summary.h"
#include "record/verdict_types.h"

namespace assay {

struct ConfigComparison {
  std::vector<ConfigDifference> differences;  // recorded by both, different, changes scores
  std::vector<std::string> unknown;           // recorded by one side only, by field name
  bool comparable() const { return differences.empty(); }
  // "num_fewshot 5 vs 0; filter none vs get-answer".
  std::string DifferencesLine() const;
  // "configuration not fully recorded: chat_template_sha256, limit"; "" when all are.
  std::string UnknownLine() const;
  // What applies to one task of a group: the differences of that task and
  // of the run as a whole (and every unknown field).
  ConfigComparison ForTask(const std::string& task) const;
  // The differences no accepted difference names (a field accepted once is
  // accepted in every task of a group).
  std::vector<ConfigDifference> Unaccepted(const std::vector<AcceptedDifference>& accepted) const;
  bool operator==(const ConfigComparison&) const = default;
};

// Compares the claimed run's configuration with the rerun's. The fields that
// change scores: the benchmark's name and version, the harness's version
// (its first two components for 0.x: 0.4.8 and 0.4.13 are both 0.4; the
// first from 1.0 on), num_fewshot, every generation setting, the prompt,
// chat template and system instruction digests, the dataset's name, config,
// split and revision, limit, lm-eval's task hash, and the filter a metric was
// measured under ("filter": a claimed exact_match,none that the rerun has only
// as exact_match,get-answer). seed and batch_size are not compared. Two
// groups are compared task by task (each difference names its task; a task
// the rerun lacks is "task run vs not run"), and by the lm-eval rule of each
// group score ("group_rule").
ConfigComparison CompareConfigurations(const EvalSummary& claimed, const EvalSummary& reproduced);

// What a plan fixed (plan/v1 evalConfig) against what the run's log records:
// a field the plan fixes that the run set otherwise is a difference (per
// task of a group, naming it); one the log does not record is unknown;
// fields the plan leaves open are not compared.
ConfigComparison CompareWithPlannedConfig(const nlohmann::json& planned, const EvalSummary& run);

// The rerun's metric that measured the claimed one: the same key, else the
// same metric under another filter (exact_match,get-answer for a claimed
// exact_match,none: a comparison of it is "not comparable", filter none vs
// get-answer); null when there is none.
const RecordedMetric* FindCounterpart(const std::vector<RecordedMetric>& reproduced, const std::string& claimed_metric);

// Why a rerun's log has none of the claimed metrics, in one line ("the claim
// has acc,none; your log has f1,none: other metrics"). Empty when a claimed
// metric has a counterpart in the rerun's log (FindCounterpart).
std::string ExplainMetricMismatch(const EvalSummary& claimed, const EvalSummary& reproduced);

}  // namespace assay
