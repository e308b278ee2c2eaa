// A group claim's score recomputed from its tasks' scores by the lm-eval rule
// the claim names (claim/v2, docs/spec/claim-v2.md): what `verify claim` does
// once it has recomputed each task's score from the opened samples.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "record/eval_summary.h"
#include "status.h"

namespace assay {

struct GroupScoreCheck {
  bool recomputed = false;  // every task score it takes is known, and the rule gives a value
  double value = 0;
  // The claimed value equals `value` up to summation order (relative 1e-12,
  // as lm_eval_groups.cc matches logged group scores).
  bool value_matches = false;
  std::string why_not;  // when !recomputed
};

// `metric` is one of the group's own (summary.metrics) with its rule;
// `task_values` holds the tasks' scores of that metric as recomputed from
// their samples, by task name; a task that has the metric but is missing
// from it makes the group score not recomputed. The tasks' sizes and
// standard errors are the claim's. kInvalidInput for a group tree the claim
// cannot hold (a group containing itself) or a rule lm-eval has no such.
Result<GroupScoreCheck> RecomputeGroupScore(const EvalSummary& summary, const RecordedMetric& metric,
                                            const std::map<std::string, double>& task_values);

// --derive-group-score RULE, for a group whose log gives no score ("no group
// score in the log", as the leaderboard groups write {" ": " "}): one score
// per metric key its tasks share, from the tasks' scores (value and standard
// error) by `rule_name`, as lm-eval would have aggregated them; each marked
// derived, with the rule, recomputed when every task score it takes was.
// kInvalidInput for a rule lm-eval has no such, or a group with no task score.
Result<std::vector<RecordedMetric>> DeriveGroupScores(const EvalSummary& summary, const std::string& rule_name);

// Where each task's samples are among `count` samples in id order (so each
// task's "TASK/..." are one run of them), whose ids `id_at` gives;
// kCheckFailed naming a sample of no task of the claim. A task with no
// samples is absent.
struct SampleRange {
  size_t begin = 0;
  size_t end = 0;
};
Result<std::map<std::string, SampleRange>> TaskRanges(const EvalSummary& summary, size_t count,
                                                      const std::function<std::string_view(size_t)>& id_at);

// Each task's weight in the group's score of `metric` by its recorded rule,
// for the tasks that have the metric: what pairing samples across a group
// weighs each task's differences by. Every rule's value is linear in the
// tasks' values (sizes and the tree fix the weights), so a task's weight is
// the score the rule gives when that task scores 1 and every other 0.
// kInvalidInput as RecomputeGroupScore.
Result<std::map<std::string, double>> GroupTaskWeights(const EvalSummary& summary, const RecordedMetric& metric);

}  // namespace assay
