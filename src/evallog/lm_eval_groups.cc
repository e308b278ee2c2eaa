#include "evallog/lm_eval_groups.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "evallog/lm_eval_log.h"
#include "json/json_fields.h"
#include "json/strict_json.h"

namespace assay {
namespace {

using nlohmann::json;
using Rule = LmEvalGroupRule;

Status InvalidResults(const std::string& what) { return Status::InvalidInput("lm-eval results: " + what); }

// A logged standard error: a number, or absent for "N/A", null and NaN.
Result<std::optional<double>> LoggedStderr(const json& row, const std::string& key, const std::string& name) {
  const json& value = Member(row, key);
  if (!IsLmEvalStderr(value)) {
    return InvalidResults("stderr " + QuoteUntrusted(key) + " of " + QuoteUntrusted(name) +
                          " is not a number or \"N/A\"");
  }
  return LmEvalStderrValue(value);
}

// A count: a non-negative integer (parsed text holds them unsigned, built JSON signed).
std::optional<uint64_t> Count(const json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer() && value.get<int64_t>() >= 0) return static_cast<uint64_t>(value.get<int64_t>());
  return std::nullopt;
}

bool Close(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= 1e-12 * std::max(1.0, std::fabs(a));
}

bool SameScore(const GroupMemberScore& logged, const GroupMemberScore& recomputed) {
  if (!Close(logged.value, recomputed.value)) return false;
  if (logged.stderr_value.has_value() != recomputed.stderr_value.has_value()) return false;
  return !logged.stderr_value || Close(*logged.stderr_value, *recomputed.stderr_value);
}

std::string Shown(const GroupMemberScore& score) {
  char text[80];
  if (score.stderr_value) {
    std::snprintf(text, sizeof text, "%.10g ± %.10g", score.value, *score.stderr_value);
  } else {
    std::snprintf(text, sizeof text, "%.10g (no stderr)", score.value);
  }
  return text;
}

}  // namespace

std::string LmEvalGroupRule::Name() const {
  return std::string(over == Over::kLeafTasks ? "leaves" : "members") + (weight_by_size ? "/size" : "/equal") +
         (stderr_rule == Stderr::kPooled ? "/pooled" : "/combined");
}

std::string LmEvalGroupRule::Describe() const {
  std::string text = weight_by_size ? "size-weighted mean" : "unweighted mean";
  text += over == Over::kLeafTasks ? " over the leaf tasks" : " over the direct members";
  text += stderr_rule == Stderr::kPooled ? ", pooled standard error" : ", pairwise combined standard error";
  if (over == Over::kLeafTasks) return text + " (lm-eval 0.4.12 on)";
  if (stderr_rule == Stderr::kCombined) return text + " (lm-eval 0.4.0 and 0.4.1)";
  return text + (weight_by_size ? " (lm-eval 0.4.2 to 0.4.11)" : " (lm-eval 0.4.3 to 0.4.11)");
}

const std::vector<LmEvalGroupRule>& LmEvalGroupRules() {
  static const std::vector<Rule> kRules = {
      {Rule::Over::kLeafTasks, true, Rule::Stderr::kPooled},
      {Rule::Over::kLeafTasks, false, Rule::Stderr::kPooled},
      {Rule::Over::kDirectMembers, true, Rule::Stderr::kPooled},
      {Rule::Over::kDirectMembers, false, Rule::Stderr::kPooled},
      {Rule::Over::kDirectMembers, true, Rule::Stderr::kCombined},
  };
  return kRules;
}

std::optional<LmEvalGroupRule> LmEvalGroupRuleNamed(const std::string& name) {
  for (const Rule& rule : LmEvalGroupRules()) {
    if (rule.Name() == name) return rule;
  }
  return std::nullopt;
}

// The arithmetic of lm_eval/api/metrics.py (aggregate_subtask_metrics,
// pooled_sample_stderr) and of 0.4.0's evaluator.py, operation for operation.
GroupMemberScore AggregateGroupScores(const std::vector<GroupMemberScore>& members, bool weight_by_size,
                                      LmEvalGroupRule::Stderr stderr_rule) {
  GroupMemberScore group;
  if (members.empty()) return group;
  bool every_stderr = true;
  for (const GroupMemberScore& member : members) {
    group.size += member.size;
    every_stderr = every_stderr && member.stderr_value.has_value();
  }
  if (stderr_rule == Rule::Stderr::kCombined) {
    // Running mean and variance, member by member; the mean difference uses
    // the updated mean, as 0.4.0 does.
    double mean = members[0].value;
    double variance = every_stderr ? *members[0].stderr_value * *members[0].stderr_value : 0;
    uint64_t total = members[0].size;
    for (size_t i = 1; i < members.size(); ++i) {
      const GroupMemberScore& member = members[i];
      const double n = static_cast<double>(total);
      const double m = static_cast<double>(member.size);
      mean = (mean * n + member.value * m) / (n + m);
      if (every_stderr) {
        const double spread = mean - member.value;
        variance = ((n - 1) * variance + (m - 1) * (*member.stderr_value * *member.stderr_value)) / (n + m - 1) +
                   static_cast<double>(total * member.size) /
                       static_cast<double>((total + member.size) * (total + member.size - 1)) * (spread * spread);
      }
      total += member.size;
    }
    group.value = mean;
    if (every_stderr) group.stderr_value = std::sqrt(variance);
    return group;
  }
  double weighted_sum = 0;
  double weights = 0;
  for (const GroupMemberScore& member : members) {
    const double weight = weight_by_size ? static_cast<double>(member.size) : 1.0;
    weighted_sum += member.value * weight;
    weights += weight;
  }
  group.value = weighted_sum / weights;
  const uint64_t degrees = group.size - members.size();
  if (every_stderr && group.size >= members.size() && degrees > 0) {
    double pooled = 0;
    for (const GroupMemberScore& member : members) {
      const double size = static_cast<double>(member.size);
      pooled += (size - 1) * (*member.stderr_value * *member.stderr_value) * size;
    }
    const double variance = pooled / static_cast<double>(degrees);
    group.stderr_value = std::sqrt(variance / static_cast<double>(group.size));
  }
  return group;
}

Result<LmEvalGroupTable> LmEvalGroupTable::FromResults(const json& results_file) {
  const json& results = Member(results_file, "results");
  if (!results.is_object()) return InvalidResults("\"results\" is not an object");
  LmEvalGroupTable table;
  const json& groups = Member(results_file, "group_subtasks");
  if (!groups.is_null() && !groups.is_object()) return InvalidResults("\"group_subtasks\" is not an object");
  if (groups.is_object()) {
    for (const auto& [group, members] : groups.items()) {
      if (!members.is_array()) {
        return InvalidResults("group_subtasks of " + QuoteUntrusted(group) + " is not a list");
      }
      if (members.empty()) continue;  // a task listed as a group of nothing: a leaf
      std::vector<std::string>& names = table.members_[group];
      for (const json& member : members) {
        if (!member.is_string()) {
          return InvalidResults("a member of group " + QuoteUntrusted(group) + " is not a task name");
        }
        names.push_back(member.get<std::string>());
      }
    }
  }
  // A group that contains itself, at any depth, would recurse for ever.
  std::set<std::string> finished;
  std::function<Status(const std::string&, std::set<std::string>&)> visit =
      [&](const std::string& name, std::set<std::string>& path) -> Status {
    if (!table.IsGroup(name) || finished.count(name)) return Status::Ok();
    if (!path.insert(name).second || path.size() > kMaxStrictJsonDepth) {
      return InvalidResults("group " + QuoteUntrusted(name) + " contains itself");
    }
    for (const std::string& member : table.members_.at(name)) ASSAY_RETURN_IF_ERROR(visit(member, path));
    path.erase(name);
    finished.insert(name);
    return Status::Ok();
  };
  for (const auto& [group, members] : table.members_) {
    std::set<std::string> path;
    ASSAY_RETURN_IF_ERROR(visit(group, path));
  }

  const json& counts = Member(results_file, "n-samples");
  for (const auto& [name, row] : results.items()) {
    if (!row.is_object()) return InvalidResults("the row of " + QuoteUntrusted(name) + " is not an object");
    std::optional<uint64_t> size = Count(Member(row, "sample_len"));
    if (!size) size = Count(Member(Member(counts, name), "effective"));
    Row& out = table.rows_[name];
    for (const auto& [key, value] : row.items()) {
      // "METRIC,FILTER"; keys without a comma are labels ("alias", "sample_len", " ").
      const size_t comma = key.find(',');
      if (comma == std::string::npos || key.substr(0, comma).ends_with("_stderr")) continue;
      if (!value.is_number()) {
        return InvalidResults("value " + QuoteUntrusted(key) + " of " + QuoteUntrusted(name) + " is not a number");
      }
      GroupMemberScore score;
      score.value = value.get<double>();
      ASSAY_ASSIGN_OR_RETURN(score.stderr_value,
                             LoggedStderr(row, key.substr(0, comma) + "_stderr" + key.substr(comma), name));
      score.size = size.value_or(0);
      if (table.IsGroup(name)) {
        score.size = Count(Member(Member(row, "sample_count"), key)).value_or(score.size);
      }
      out.scores[key] = score;
    }
  }
  return table;
}

const std::vector<std::string>& LmEvalGroupTable::Members(const std::string& group) const {
  static const std::vector<std::string> kNone;
  auto found = members_.find(group);
  return found == members_.end() ? kNone : found->second;
}

std::vector<std::string> LmEvalGroupTable::LeafTasks(const std::string& group) const {
  std::vector<std::string> leaves;
  std::function<void(const std::string&)> collect = [&](const std::string& name) {
    if (!IsGroup(name)) {
      leaves.push_back(name);
      return;
    }
    for (const std::string& member : Members(name)) collect(member);
  };
  collect(group);
  return leaves;
}

std::vector<std::string> LmEvalGroupTable::MetricKeys(const std::string& name) const {
  std::vector<std::string> keys;
  if (auto row = rows_.find(name); row != rows_.end()) {
    for (const auto& [key, score] : row->second.scores) keys.push_back(key);
  }
  return keys;
}

std::optional<GroupMemberScore> LmEvalGroupTable::Logged(const std::string& name,
                                                         const std::string& metric_key) const {
  auto row = rows_.find(name);
  if (row == rows_.end()) return std::nullopt;
  auto score = row->second.scores.find(metric_key);
  if (score == row->second.scores.end()) return std::nullopt;
  return score->second;
}

std::optional<GroupMemberScore> LmEvalGroupTable::Recompute(
    const std::string& group, const std::string& metric_key, const LmEvalGroupRule& rule,
    const std::map<std::string, GroupMemberScore>& leaf_scores) const {
  std::function<std::optional<GroupMemberScore>(const std::string&)> score_of =
      [&](const std::string& name) -> std::optional<GroupMemberScore> {
    if (!IsGroup(name)) {
      if (auto given = leaf_scores.find(name); given != leaf_scores.end()) return given->second;
      return Logged(name, metric_key);
    }
    const std::vector<std::string> parts = rule.over == Rule::Over::kLeafTasks ? LeafTasks(name) : Members(name);
    std::vector<GroupMemberScore> scores;
    for (const std::string& part : parts) {
      std::optional<GroupMemberScore> score = score_of(part);
      if (!score) continue;  // a member without this metric does not count, as in lm-eval
      if (score->size == 0) return std::nullopt;  // its size is not logged: it cannot be weighed
      scores.push_back(*score);
    }
    if (scores.empty()) return std::nullopt;
    return AggregateGroupScores(scores, rule.weight_by_size, rule.stderr_rule);
  };
  if (!IsGroup(group)) return std::nullopt;
  return score_of(group);
}

Result<GroupRuleMatch> MatchGroupRule(const LmEvalGroupTable& table, const std::string& group,
                                      const std::string& metric_key) {
  const std::string what = "group " + QuoteUntrusted(group) + " " + QuoteUntrusted(metric_key);
  if (!table.IsGroup(group)) return Status::NotFound(QuoteUntrusted(group) + " is not a group of the log");
  std::optional<GroupMemberScore> logged = table.Logged(group, metric_key);
  if (!logged) return Status::NotFound(what + ": no group score in the log");
  std::string tried;
  for (const LmEvalGroupRule& rule : LmEvalGroupRules()) {
    std::optional<GroupMemberScore> recomputed = table.Recompute(group, metric_key, rule);
    if (!recomputed) {
      return Status::CheckFailed(what + ": the subtasks' scores or sizes are not all in the log");
    }
    if (SameScore(*logged, *recomputed)) return GroupRuleMatch{rule, *logged, *recomputed};
    tried += "; " + rule.Name() + " gives " + Shown(*recomputed);
  }
  return Status::CheckFailed(what + ": the log says " + Shown(*logged) + ", which no lm-eval rule gives" + tried);
}

}  // namespace assay
