// How lm-evaluation-harness turns its subtasks' scores into a group's score
// (MMLU, MATH and the leaderboard suites are groups), rule by rule as each
// version in common use does it; docs/spec/eval-logs.md, "Group scores",
// gives the harness code each rule follows.
//
// A results file does not say which rule wrote its groups, so the rule is
// found by recomputing: MatchGroupRule tries each and keeps the first that
// gives the logged value and standard error.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "status.h"

namespace assay {

struct LmEvalGroupRule {
  // 0.4.12 on aggregate over every leaf task under the group; before, over
  // the group's direct members, a subgroup counting as its own aggregate.
  enum class Over { kLeafTasks, kDirectMembers };
  // kPooled: pooled_sample_stderr (0.4.2 on). kCombined: the pairwise
  // formula of 0.4.0 and 0.4.1 (combined_sample_stderr).
  enum class Stderr { kPooled, kCombined };

  Over over = Over::kLeafTasks;
  bool weight_by_size = true;  // the group config's weight_by_size; false: every member counts once
  Stderr stderr_rule = Stderr::kPooled;

  // "size-weighted mean over leaf tasks, pooled stderr (lm-eval 0.4.12 on)".
  std::string Describe() const;
  // A short stable name for records: "leaves/size/pooled", "members/equal/pooled", ...
  std::string Name() const;
  bool operator==(const LmEvalGroupRule&) const = default;
};

// The rules of lm-eval 0.4.0 to today, newest first: the order they are tried in.
const std::vector<LmEvalGroupRule>& LmEvalGroupRules();
// The rule of that Name(); nullopt for a name no rule has.
std::optional<LmEvalGroupRule> LmEvalGroupRuleNamed(const std::string& name);

// One member's score of one metric, as the aggregate takes it.
struct GroupMemberScore {
  double value = 0;
  std::optional<double> stderr_value;  // absent: lm-eval's "N/A"
  uint64_t size = 0;                   // documents scored
};

// The group score the rule's arithmetic gives for these members, in their
// order (lm-eval sums in order, and so does this, so logged values compare
// exactly). The standard error is absent when any member's is.
GroupMemberScore AggregateGroupScores(const std::vector<GroupMemberScore>& members, bool weight_by_size,
                                      LmEvalGroupRule::Stderr stderr_rule);

// A results file's group tree and every row's scores.
class LmEvalGroupTable {
 public:
  // From a parsed results file: group_subtasks, results, n-samples.
  // kInvalidInput naming what is malformed (a member that is not a string,
  // a group that contains itself, a size that is not a count).
  static Result<LmEvalGroupTable> FromResults(const nlohmann::json& results_file);

  bool IsGroup(const std::string& name) const { return members_.count(name) > 0; }
  // The group's members as group_subtasks lists them.
  const std::vector<std::string>& Members(const std::string& group) const;
  // Every leaf task under the group, depth first in group_subtasks order.
  std::vector<std::string> LeafTasks(const std::string& group) const;
  // The metric keys ("acc,none") the row of `name` logs a value for.
  std::vector<std::string> MetricKeys(const std::string& name) const;

  // The row's logged score of `metric_key`; nullopt when it logs none. A
  // leaf's size is its sample_len, else n-samples' effective count.
  std::optional<GroupMemberScore> Logged(const std::string& name, const std::string& metric_key) const;

  // The group's score of `metric_key` by `rule`, from its leaf tasks' logged
  // scores (subgroups recomputed by the same rule, as the harness did);
  // `leaf_scores` replaces leaves' logged scores where it has them (scores
  // recomputed from the samples). nullopt when no member has the metric.
  std::optional<GroupMemberScore> Recompute(
      const std::string& group, const std::string& metric_key, const LmEvalGroupRule& rule,
      const std::map<std::string, GroupMemberScore>& leaf_scores = {}) const;

 private:
  struct Row {
    std::map<std::string, GroupMemberScore> scores;  // by metric key
  };
  std::map<std::string, std::vector<std::string>> members_;
  std::map<std::string, Row> rows_;
};

struct GroupRuleMatch {
  LmEvalGroupRule rule;
  GroupMemberScore logged;
  GroupMemberScore recomputed;
};

// The first rule of LmEvalGroupRules() whose recomputation from the leaf
// tasks' logged scores gives the group's logged value and standard error.
// kNotFound "no group score in the log" when the group's row has no value of
// `metric_key` (leaderboard groups write {" ": " "}); kCheckFailed naming the
// logged numbers and each rule's when none gives them.
Result<GroupRuleMatch> MatchGroupRule(const LmEvalGroupTable& table, const std::string& group,
                                      const std::string& metric_key);

}  // namespace assay
