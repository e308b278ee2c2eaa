#include "claim/config_comparison.h"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <set>

#include "joined.h"
#include "json/json_fields.h"

namespace assay {
namespace {

using nlohmann::json;

// A value as a line shows it: strings bare, a SHA-256 cut to 12 digits.
std::string ShownValue(const json& value) {
  if (!value.is_string()) return value.dump();
  const std::string& text = value.get_ref<const std::string&>();
  return text.size() == 64 ? text.substr(0, 12) + "…" : text;
}

// 0.x versions by their first two components, later ones by their first:
// releases within one family score alike.
std::string VersionFamily(const std::string& version) {
  const size_t first = version.find('.');
  if (first == std::string::npos) return version;
  if (version.substr(0, first) != "0") return version.substr(0, first);
  return version.substr(0, version.find('.', first + 1));
}

// metric name, filter: "exact_match,get-answer" -> {"exact_match", "get-answer"}.
std::pair<std::string, std::string> MetricAndFilter(const std::string& key) {
  const size_t comma = key.find(',');
  if (comma == std::string::npos) return {key, ""};
  return {key.substr(0, comma), key.substr(comma + 1)};
}

json StringOrNull(const std::string& text) { return text.empty() ? json() : json(text); }

class Comparer {
 public:
  ConfigComparison result;
  std::string task;  // the group's task being compared; "" for the run as a whole

  void Differ(const std::string& name, std::string claimed, std::string reproduced) {
    const ConfigDifference difference{name, std::move(claimed), std::move(reproduced), task};
    if (std::find(result.differences.begin(), result.differences.end(), difference) == result.differences.end()) {
      result.differences.push_back(difference);
    }
  }

  // Unknown fields are named once for a whole group: which task leaves one
  // out does not change what the verdict says.
  void Unknown(const std::string& name) {
    if (std::find(result.unknown.begin(), result.unknown.end(), name) == result.unknown.end()) {
      result.unknown.push_back(name);
    }
  }

  // One field: unknown when one side alone records it; a difference when both
  // do and disagree (numbers compare by value: 5 and 5.0 agree).
  void Field(const std::string& name, const json& claimed, const json& reproduced) {
    if (claimed.is_null() && reproduced.is_null()) return;
    if (claimed.is_null() || reproduced.is_null()) {
      Unknown(name);
      return;
    }
    if (claimed != reproduced) Differ(name, ShownValue(claimed), ShownValue(reproduced));
  }

  // An object compared member by member ("generation.temperature"), so that a
  // setting one log leaves out is unknown rather than a difference.
  void Members(const std::string& name, const json& claimed, const json& reproduced) {
    if ((!claimed.is_null() && !claimed.is_object()) || (!reproduced.is_null() && !reproduced.is_object())) {
      Field(name, claimed, reproduced);
      return;
    }
    std::set<std::string> keys;
    for (const json* side : {&claimed, &reproduced}) {
      if (side->is_object()) {
        for (const auto& [key, value] : side->items()) keys.insert(key);
      }
    }
    for (const std::string& key : keys) Field(name + "." + key, Member(claimed, key), Member(reproduced, key));
  }

  // What a task (or a group's task) was run with: its settings, and the
  // filter of each claimed metric that the rerun has under another only.
  void Task(const json& claimed_config, const std::vector<RecordedMetric>& claimed_metrics,
            const json& reproduced_config, const std::vector<RecordedMetric>& reproduced_metrics) {
    for (const char* field : {"num_fewshot", "fewshot_as_multiturn", "prompt_template_sha256", "chat_template_sha256",
                              "system_instruction_sha256", "limit", "task_hash"}) {
      Field(field, Member(claimed_config, field), Member(reproduced_config, field));
    }
    for (const char* field : {"generation", "dataset"}) {
      Members(field, Member(claimed_config, field), Member(reproduced_config, field));
    }
    for (const RecordedMetric& metric : claimed_metrics) {
      if (FindMetricNamed(reproduced_metrics, metric.metric.name) != nullptr) continue;
      const auto [name, filter] = MetricAndFilter(metric.metric.name);
      const RecordedMetric* other = FindCounterpart(reproduced_metrics, metric.metric.name);
      if (!filter.empty() && other != nullptr) Differ("filter", filter, MetricAndFilter(other->metric.name).second);
    }
  }
};

// A group's tasks, one by one (a difference names its task), and the rule
// each group score was aggregated by: another rule weighs the tasks otherwise.
void CompareGroups(const EvalSummary& claimed, const EvalSummary& reproduced, Comparer& compare) {
  for (const TaskSummary& task : claimed.tasks) {
    compare.task = task.name;
    const auto theirs = std::find_if(reproduced.tasks.begin(), reproduced.tasks.end(),
                                     [&](const TaskSummary& other) { return other.name == task.name; });
    if (theirs == reproduced.tasks.end()) {
      compare.Differ("task", "run", "not run");
      continue;
    }
    compare.Field("task_version", StringOrNull(task.version), StringOrNull(theirs->version));
    compare.Task(task.config, task.metrics, theirs->config, theirs->metrics);
  }
  compare.task.clear();
  for (const RecordedMetric& metric : claimed.metrics) {
    const RecordedMetric* theirs = FindCounterpart(reproduced.metrics, metric.metric.name);
    if (theirs == nullptr || metric.rule.empty() || theirs->rule.empty()) continue;
    if (metric.rule != theirs->rule) compare.Differ("group_rule", metric.rule, theirs->rule);
  }
}

}  // namespace

std::string ConfigComparison::DifferencesLine() const {
  std::vector<std::string> parts;
  for (const ConfigDifference& difference : differences) parts.push_back(difference.Describe());
  return Joined(parts, "; ");
}

std::vector<ConfigDifference> ConfigComparison::Unaccepted(const std::vector<AcceptedDifference>& accepted) const {
  std::vector<ConfigDifference> left;
  for (const ConfigDifference& difference : differences) {
    const bool named = std::any_of(accepted.begin(), accepted.end(),
                                   [&](const AcceptedDifference& one) { return one.field == difference.field; });
    if (!named) left.push_back(difference);
  }
  return left;
}

std::string ConfigComparison::UnknownLine() const {
  return unknown.empty() ? "" : "configuration not fully recorded: " + Joined(unknown, ", ");
}

ConfigComparison CompareConfigurations(const EvalSummary& claimed, const EvalSummary& reproduced) {
  Comparer compare;
  const bool groups = claimed.is_group() && reproduced.is_group();
  compare.Field("benchmark", StringOrNull(claimed.benchmark), StringOrNull(reproduced.benchmark));
  if (!groups) {
    compare.Field("task_version", StringOrNull(claimed.benchmark_version), StringOrNull(reproduced.benchmark_version));
  }
  const std::string claimed_family = VersionFamily(claimed.harness_version);
  const std::string reproduced_family = VersionFamily(reproduced.harness_version);
  if (claimed.harness_version.empty() != reproduced.harness_version.empty()) {
    compare.Unknown("harness_version");
  } else if (claimed_family != reproduced_family) {
    compare.Differ("harness_version", claimed.harness_version, reproduced.harness_version);
  }
  if (groups) {
    CompareGroups(claimed, reproduced, compare);
  } else {
    compare.Task(claimed.config, claimed.metrics, reproduced.config, reproduced.metrics);
  }
  return compare.result;
}

ConfigComparison CompareWithPlannedConfig(const json& planned, const EvalSummary& run) {
  Comparer compare;
  if (run.is_group()) {
    for (const TaskSummary& task : run.tasks) {
      compare.task = task.name;
      compare.Task(planned, {}, task.config, {});
    }
  } else {
    compare.Task(planned, {}, run.config, {});
  }
  // Only the fields the plan fixes: "generation.top_p" is open when the plan
  // fixes only generation.temperature.
  std::vector<std::string>& unknown = compare.result.unknown;
  unknown.erase(std::remove_if(unknown.begin(), unknown.end(),
                               [&](const std::string& field) {
                                 const size_t dot = field.find('.');
                                 const json& top = Member(planned, field.substr(0, dot));
                                 return dot == std::string::npos ? top.is_null()
                                                                 : Member(top, field.substr(dot + 1)).is_null();
                               }),
                unknown.end());
  return compare.result;
}

ConfigComparison ConfigComparison::ForTask(const std::string& task) const {
  ConfigComparison applying{{}, unknown};
  for (const ConfigDifference& difference : differences) {
    if (difference.task.empty() || difference.task == task) applying.differences.push_back(difference);
  }
  return applying;
}

const RecordedMetric* FindCounterpart(const std::vector<RecordedMetric>& reproduced, const std::string& claimed_metric) {
  if (const RecordedMetric* same = FindMetricNamed(reproduced, claimed_metric)) return same;
  const auto [name, filter] = MetricAndFilter(claimed_metric);
  if (filter.empty()) return nullptr;
  for (const RecordedMetric& other : reproduced) {
    const auto [other_name, other_filter] = MetricAndFilter(other.metric.name);
    if (other_name == name && !other_filter.empty()) return &other;
  }
  return nullptr;
}

std::string ExplainMetricMismatch(const EvalSummary& claimed, const EvalSummary& reproduced) {
  std::vector<std::string> claimed_names;
  for (const RecordedMetric& metric : claimed.metrics) {
    if (FindCounterpart(reproduced.metrics, metric.metric.name) != nullptr) return "";
    claimed_names.push_back(metric.metric.name);
  }
  std::vector<std::string> reproduced_names;
  for (const RecordedMetric& metric : reproduced.metrics) reproduced_names.push_back(metric.metric.name);
  return "the claim has " + Joined(claimed_names, ", ") + "; your log has " +
         (reproduced_names.empty() ? std::string("no metrics") : Joined(reproduced_names, ", ")) +
         ": other metrics";
}

}  // namespace assay
