#include "claim/group_score.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "evallog/lm_eval_groups.h"
#include "joined.h"

namespace assay {
namespace {

using json = nlohmann::json;

// The claim's tree and task scores as lm-eval's results file logs them, so
// that the one reading of group trees (LmEvalGroupTable) checks and walks it.
json AsResultsFile(const EvalSummary& summary) {
  json results = json::object();
  json subtasks = json::object();
  json counts = json::object();
  for (const EvalGroup& group : summary.groups) {
    subtasks[group.name] = group.members;
    results[group.name] = json::object();
  }
  for (const TaskSummary& task : summary.tasks) {
    json row = json::object();
    for (const RecordedMetric& recorded : task.metrics) {
      const std::string& key = recorded.metric.name;
      const size_t comma = key.find(',');
      if (comma == std::string::npos) continue;
      row[key] = recorded.metric.value;
      const std::string stderr_key = key.substr(0, comma) + "_stderr" + key.substr(comma);
      row[stderr_key] = recorded.metric.stderr_value ? json(*recorded.metric.stderr_value) : json("N/A");
      if (!task.samples_used && recorded.samples) row["sample_len"] = *recorded.samples;
    }
    results[task.name] = std::move(row);
    if (task.samples_used) counts[task.name] = {{"effective", *task.samples_used}};
  }
  return {{"results", std::move(results)}, {"group_subtasks", std::move(subtasks)}, {"n-samples", std::move(counts)}};
}

}  // namespace

Result<GroupScoreCheck> RecomputeGroupScore(const EvalSummary& summary, const RecordedMetric& metric,
                                            const std::map<std::string, double>& task_values) {
  const std::string& key = metric.metric.name;
  std::optional<LmEvalGroupRule> rule = LmEvalGroupRuleNamed(metric.rule);
  if (!rule) return Status::InvalidInput("metric " + key + ": '" + metric.rule + "' is not one of lm-eval's group rules");
  ASSAY_ASSIGN_OR_RETURN(LmEvalGroupTable table, LmEvalGroupTable::FromResults(AsResultsFile(summary)));
  std::map<std::string, GroupMemberScore> recomputed;
  for (const TaskSummary& task : summary.tasks) {
    std::optional<GroupMemberScore> claimed = table.Logged(task.name, key);
    if (!claimed) continue;
    const auto value = task_values.find(task.name);
    if (value == task_values.end()) {
      GroupScoreCheck missing;
      missing.why_not = "task " + task.name + "'s score is not recomputed";
      return missing;
    }
    claimed->value = value->second;
    recomputed[task.name] = *claimed;
  }
  std::optional<GroupMemberScore> score = table.Recompute(summary.benchmark, key, *rule, recomputed);
  GroupScoreCheck check;
  if (!score) {
    check.why_not = "no task size or score to weigh it by";
    return check;
  }
  check.recomputed = true;
  check.value = score->value;
  const double claimed = metric.metric.value;
  check.value_matches = std::isnan(claimed) ? std::isnan(check.value)
                                            : std::fabs(claimed - check.value) <= 1e-12 * std::max(1.0, std::fabs(claimed));
  return check;
}

Result<std::vector<RecordedMetric>> DeriveGroupScores(const EvalSummary& summary, const std::string& rule_name) {
  std::optional<LmEvalGroupRule> rule = LmEvalGroupRuleNamed(rule_name);
  if (!rule) {
    std::vector<std::string> names;
    for (const LmEvalGroupRule& one : LmEvalGroupRules()) names.push_back(one.Name());
    return Status::InvalidInput("--derive-group-score " + rule_name + ": not one of lm-eval's group rules (" +
                                Joined(names, ", ") + ")");
  }
  ASSAY_ASSIGN_OR_RETURN(LmEvalGroupTable table, LmEvalGroupTable::FromResults(AsResultsFile(summary)));
  std::vector<RecordedMetric> derived;
  for (const TaskSummary& task : summary.tasks) {
    for (const RecordedMetric& task_metric : task.metrics) {
      const std::string& key = task_metric.metric.name;
      if (FindMetricNamed(derived, key) != nullptr || key.find(',') == std::string::npos) continue;
      std::optional<GroupMemberScore> score = table.Recompute(summary.benchmark, key, *rule);
      if (!score) continue;
      RecordedMetric metric;
      metric.metric = {.name = key,
                       .value = score->value,
                       .stderr_value = score->stderr_value,
                       .higher_is_better = task_metric.metric.higher_is_better,
                       .aggregation = "",
                       .per_sample_key = ""};
      metric.rule = rule->Name();
      metric.derived = true;
      metric.samples = score->size;
      metric.recomputed = true;
      for (const TaskSummary& member : summary.tasks) {
        const RecordedMetric* taken = member.FindMetric(key);
        if (taken != nullptr && !taken->recomputed) {
          metric.recomputed = false;
          metric.not_recomputable = "the score of task " + member.name + " is not recomputed: " + taken->not_recomputable;
          break;
        }
      }
      derived.push_back(std::move(metric));
    }
  }
  if (derived.empty()) return Status::InvalidInput("--derive-group-score: no task of " + summary.benchmark + " has a score");
  return derived;
}

Result<std::map<std::string, SampleRange>> TaskRanges(const EvalSummary& summary, size_t count,
                                                      const std::function<std::string_view(size_t)>& id_at) {
  std::map<std::string, SampleRange> by_task;
  for (size_t begin = 0, end = 0; begin < count; begin = end) {
    const std::string_view id = id_at(begin);
    const std::string task(id.substr(0, id.find('/')));
    for (end = begin + 1; end < count && id_at(end).starts_with(task + "/");) ++end;
    const bool known = std::any_of(summary.tasks.begin(), summary.tasks.end(),
                                   [&](const TaskSummary& one) { return one.name == task; });
    if (!known || !by_task.emplace(task, SampleRange{begin, end}).second) {
      return Status::CheckFailed("sample " + std::string(id) + " is of no task of the claim");
    }
  }
  return by_task;
}

Result<std::map<std::string, double>> GroupTaskWeights(const EvalSummary& summary, const RecordedMetric& metric) {
  std::map<std::string, double> indicator;
  for (const TaskSummary& task : summary.tasks) {
    if (task.FindMetric(metric.metric.name) != nullptr) indicator[task.name] = 0;
  }
  std::map<std::string, double> weights;
  for (auto& [task, value] : indicator) {
    value = 1;
    ASSAY_ASSIGN_OR_RETURN(GroupScoreCheck check, RecomputeGroupScore(summary, metric, indicator));
    value = 0;
    if (!check.recomputed) return Status::InvalidInput("metric " + metric.metric.name + ": " + check.why_not);
    weights[task] = check.value;
  }
  return weights;
}

}  // namespace assay
