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

class Comparer {
 public:
  ConfigComparison result;

  // One field: unknown when one side alone records it; a difference when both
  // do and disagree (numbers compare by value: 5 and 5.0 agree).
  void Field(const std::string& name, const json& claimed, const json& reproduced) {
    if (claimed.is_null() && reproduced.is_null()) return;
    if (claimed.is_null() || reproduced.is_null()) {
      result.unknown.push_back(name);
      return;
    }
    if (claimed != reproduced) result.differences.push_back({name, ShownValue(claimed), ShownValue(reproduced)});
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

};

json StringOrNull(const std::string& text) { return text.empty() ? json() : json(text); }

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
  compare.Field("benchmark", StringOrNull(claimed.benchmark), StringOrNull(reproduced.benchmark));
  compare.Field("task_version", StringOrNull(claimed.benchmark_version), StringOrNull(reproduced.benchmark_version));
  const std::string claimed_family = VersionFamily(claimed.harness_version);
  const std::string reproduced_family = VersionFamily(reproduced.harness_version);
  if (claimed.harness_version.empty() != reproduced.harness_version.empty()) {
    compare.result.unknown.push_back("harness_version");
  } else if (claimed_family != reproduced_family) {
    compare.result.differences.push_back({"harness_version", claimed.harness_version, reproduced.harness_version});
  }
  for (const char* field : {"num_fewshot", "fewshot_as_multiturn", "prompt_template_sha256", "chat_template_sha256",
                            "system_instruction_sha256", "limit", "task_hash"}) {
    compare.Field(field, Member(claimed.config, field), Member(reproduced.config, field));
  }
  for (const char* field : {"generation", "dataset"}) {
    compare.Members(field, Member(claimed.config, field), Member(reproduced.config, field));
  }
  // A claimed metric that the rerun measured under another filter only.
  for (const RecordedMetric& metric : claimed.metrics) {
    if (reproduced.FindMetric(metric.metric.name) != nullptr) continue;
    const auto [name, filter] = MetricAndFilter(metric.metric.name);
    if (filter.empty()) continue;
    for (const RecordedMetric& other : reproduced.metrics) {
      const auto [other_name, other_filter] = MetricAndFilter(other.metric.name);
      if (other_name == name && !other_filter.empty()) {
        const ConfigDifference difference{"filter", filter, other_filter};
        std::vector<ConfigDifference>& found = compare.result.differences;
        if (std::find(found.begin(), found.end(), difference) == found.end()) found.push_back(difference);
        break;
      }
    }
  }
  return compare.result;
}

const RecordedMetric* FindCounterpart(const EvalSummary& reproduced, const std::string& claimed_metric) {
  if (const RecordedMetric* same = reproduced.FindMetric(claimed_metric)) return same;
  const auto [name, filter] = MetricAndFilter(claimed_metric);
  if (filter.empty()) return nullptr;
  for (const RecordedMetric& other : reproduced.metrics) {
    const auto [other_name, other_filter] = MetricAndFilter(other.metric.name);
    if (other_name == name && !other_filter.empty()) return &other;
  }
  return nullptr;
}

std::string ExplainMetricMismatch(const EvalSummary& claimed, const EvalSummary& reproduced) {
  std::vector<std::string> claimed_names;
  for (const RecordedMetric& metric : claimed.metrics) {
    if (FindCounterpart(reproduced, metric.metric.name) != nullptr) return "";
    claimed_names.push_back(metric.metric.name);
  }
  std::vector<std::string> reproduced_names;
  for (const RecordedMetric& metric : reproduced.metrics) reproduced_names.push_back(metric.metric.name);
  return "the claim has " + Joined(claimed_names, ", ") + "; your log has " +
         (reproduced_names.empty() ? std::string("no metrics") : Joined(reproduced_names, ", ")) +
         ": other metrics";
}

}  // namespace assay
