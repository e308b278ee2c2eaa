#include "evallog/lm_eval_log.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "evallog/eval_log.h"
#include "joined.h"
#include "json/json_fields.h"
#include "json/lenient_json.h"
#include "evallog/lm_eval_config.h"
#include "evallog/lm_eval_samples.h"
#include "json/python_json.h"
#include "json/strict_json.h"

namespace assay {
namespace {

using nlohmann::json;

// Groups aggregate other tasks: the keys of "groups", and of "group_subtasks"
// with a non-empty list (a plain task lists itself with []).
std::set<std::string> GroupNames(const json& root) {
  std::set<std::string> groups;
  if (const json& listed = Member(root, "groups"); listed.is_object()) {
    for (const auto& [name, unused] : listed.items()) groups.insert(name);
  }
  if (const json& subtasks = Member(root, "group_subtasks"); subtasks.is_object()) {
    for (const auto& [name, members] : subtasks.items()) {
      if (members.is_array() && !members.empty()) groups.insert(name);
    }
  }
  return groups;
}

// The aggregation of a metric_list entry: "mean" and other registered names
// as they are; a custom function's source ("def micro_f1_agg(items): ...")
// or repr ("<function mean at 0x7f...>") by the function's name.
std::string AggregationName(const json& aggregation) {
  if (!aggregation.is_string()) return "";
  std::string_view text = aggregation.get_ref<const std::string&>();
  for (std::string_view prefix : {std::string_view("def "), std::string_view("<function ")}) {
    if (text.starts_with(prefix)) {
      text.remove_prefix(prefix.size());
      return std::string(text.substr(0, text.find_first_of("( ")));
    }
  }
  return std::string(text);
}

// lm-eval's registered default aggregation of its built-in metrics
// (lm_eval/api/metrics.py), for tasks whose metric_list does not say.
std::string DefaultAggregation(std::string_view metric) {
  static const std::map<std::string_view, std::string_view> kDefaults = {
      {"acc", "mean"},
      {"acc_norm", "mean"},
      {"acc_mutual_info", "mean"},
      {"exact_match", "mean"},
      {"perplexity", "perplexity"},
      {"word_perplexity", "weighted_perplexity"},
      {"byte_perplexity", "weighted_perplexity"},
      {"bits_per_byte", "bits_per_byte"},
      {"mcc", "matthews_corrcoef"},
      {"f1", "f1"},
      {"bleu", "bleu"},
      {"chrf", "chrf"},
      {"ter", "ter"},
  };
  auto found = kDefaults.find(metric);
  return found == kDefaults.end() ? "" : std::string(found->second);
}

class ResultsReader {
 public:
  ResultsReader(const json& root, const std::string& path) : root_(root), path_(path) {}

  Status Invalid(const std::string& problem) const {
    return Status::InvalidInput(path_ + ": " + problem);
  }

  Status CheckShape() const {
    if (!Member(root_, "results").is_object()) return Invalid("\"results\" is not an object");
    for (const char* field : {"configs", "versions", "n-shot", "higher_is_better", "n-samples",
                              "config", "task_hashes", "groups", "group_subtasks"}) {
      const json& value = Member(root_, field);
      if (!value.is_null() && !value.is_object()) {
        return Invalid("\"" + std::string(field) + "\" is not an object");
      }
    }
    return Status::Ok();
  }

  std::vector<std::string> Tasks() const {
    std::set<std::string> groups = GroupNames(root_);
    std::vector<std::string> tasks;
    for (const auto& [name, unused] : root_["results"].items()) {
      if (!groups.contains(name)) tasks.push_back(name);
    }
    return tasks;
  }

  std::vector<std::string> TasksAndGroups() const {
    std::vector<std::string> names;
    for (const auto& [name, unused] : root_["results"].items()) names.push_back(name);
    return names;
  }

  bool IsGroup(const std::string& name) const { return GroupNames(root_).contains(name); }

  // The one task whose logged task hash is `task_hash`, or "".
  std::string TaskWithHash(const std::string& task_hash) const {
    std::string found;
    for (const auto& [name, logged] : Member(root_, "task_hashes").items()) {
      if (logged == task_hash) {
        if (!found.empty()) return "";
        found = name;
      }
    }
    return found;
  }

  Status FillRun(const std::string& task, EvalRun& run) const {
    run.format = "lm-eval";
    run.benchmark = task;
    run.benchmark_version = Version(Member(Member(root_, "versions"), task));
    run.harness = "lm-evaluation-harness";
    run.harness_version = StringOr(Member(root_, "lm_eval_version"));
    run.harness_commit = StringOr(Member(root_, "git_hash"));
    LmEvalModel model = LmEvalModelOf(root_);
    run.model_name = std::move(model.name);
    run.model_revision = std::move(model.revision);
    run.model_source = std::move(model.source);
    run.config = LmEvalConfigOf(root_, task);
    ASSAY_ASSIGN_OR_RETURN(run.metrics, Metrics(task));
    ASSAY_RETURN_IF_ERROR(FillSampleCounts(task, run));
    return Status::Ok();
  }

 private:
  // versions[task]: a string ("Yaml"), an integer (0) or a float (1.0), as str() prints it.
  static std::string Version(const json& version) {
    if (version.is_string()) return version.get<std::string>();
    if (version.is_number() || version.is_boolean()) {
      return PythonStr(nlohmann::ordered_json(version));
    }
    return "";
  }

  Result<std::vector<EvalMetric>> Metrics(const std::string& task) const {
    const json& scores = root_["results"][task];
    if (!scores.is_object()) {
      return Invalid("results of " + QuoteUntrusted(task) + " are not an object");
    }
    const json& task_config = Member(Member(root_, "configs"), task);
    const json& directions = Member(Member(root_, "higher_is_better"), task);
    const bool group = IsGroup(task);
    std::vector<EvalMetric> metrics;
    for (const auto& [key, value] : scores.items()) {
      // "METRIC,FILTER"; keys without a comma are labels ("alias", "sample_len").
      const size_t comma = key.find(',');
      if (comma == std::string::npos) continue;
      const std::string metric = key.substr(0, comma);
      const std::string filter = key.substr(comma + 1);
      if (metric.ends_with("_stderr")) continue;
      EvalMetric out;
      out.name = key;
      if (!value.is_number()) {
        return Invalid("value of " + QuoteUntrusted(key) + " is not a number");
      }
      out.value = value.get<double>();
      ASSAY_ASSIGN_OR_RETURN(out.stderr_value, Stderr(scores, metric + "_stderr," + filter, key));
      out.higher_is_better = Direction(directions, task_config, metric);
      if (!group) {
        out.aggregation = Aggregation(task_config, metric);
        if (out.aggregation == "mean") out.per_sample_key = key;
      }
      metrics.push_back(std::move(out));
    }
    if (metrics.empty()) return Invalid("task " + QuoteUntrusted(task) + " has no metrics");
    return metrics;
  }

  Result<std::optional<double>> Stderr(const json& scores, const std::string& stderr_key,
                                       const std::string& metric_key) const {
    const json& value = Member(scores, stderr_key);
    if (!IsLmEvalStderr(value)) {
      return Invalid("stderr of " + QuoteUntrusted(metric_key) + " is not a number or \"N/A\"");
    }
    return LmEvalStderrValue(value);
  }

  static std::optional<bool> Direction(const json& directions, const json& task_config,
                                       const std::string& metric) {
    if (const json& value = Member(directions, metric); value.is_boolean()) {
      return value.get<bool>();
    }
    for (const json& entry : MetricList(task_config)) {
      if (Member(entry, "metric") == metric && Member(entry, "higher_is_better").is_boolean()) {
        return entry["higher_is_better"].get<bool>();
      }
    }
    return std::nullopt;
  }

  static std::string Aggregation(const json& task_config, const std::string& metric) {
    for (const json& entry : MetricList(task_config)) {
      if (Member(entry, "metric") == metric && entry.contains("aggregation")) {
        return AggregationName(entry["aggregation"]);
      }
    }
    return DefaultAggregation(metric);
  }

  static const json& MetricList(const json& task_config) {
    static const json kEmpty = json::array();
    const json& list = Member(task_config, "metric_list");
    return list.is_array() ? list : kEmpty;
  }

  // n-samples[task] = {"original": N, "effective": M}; a group sums its subtasks.
  Status FillSampleCounts(const std::string& task, EvalRun& run) const {
    const json& counts = Member(root_, "n-samples");
    std::vector<std::string> leaves;
    CollectLeaves(task, leaves, 0);
    uint64_t used = 0;
    uint64_t total = 0;
    for (const std::string& leaf : leaves) {
      const json& entry = Member(counts, leaf);
      if (entry.is_null()) return Status::Ok();  // not known for every task: leave unknown
      const json& original = Member(entry, "original");
      const json& effective = Member(entry, "effective");
      if (!original.is_number_unsigned() || !effective.is_number_unsigned()) {
        return Invalid("n-samples of " + QuoteUntrusted(leaf) +
                       " are not non-negative integers \"original\" and \"effective\"");
      }
      used += effective.get<uint64_t>();
      total += original.get<uint64_t>();
    }
    run.samples_used = used;
    run.samples_total = total;
    return Status::Ok();
  }

  void CollectLeaves(const std::string& name, std::vector<std::string>& leaves, int depth) const {
    const json& members = Member(Member(root_, "group_subtasks"), name);
    if (!members.is_array() || members.empty() || depth > kMaxStrictJsonDepth) {
      leaves.push_back(name);
      return;
    }
    for (const json& member : members) {
      if (member.is_string()) CollectLeaves(member.get<std::string>(), leaves, depth + 1);
    }
  }

  const json& root_;
  const std::string& path_;
};

struct SamplesFile {
  std::string path;
  std::string task;  // from the file name; "" when it names none of the results' tasks
};

Result<std::string> ChooseTask(const ResultsReader& reader, const std::string& requested,
                               const std::vector<SamplesFile>& samples) {
  const std::vector<std::string> all = reader.TasksAndGroups();
  if (!requested.empty()) {
    if (std::find(all.begin(), all.end(), requested) == all.end()) {
      return reader.Invalid("holds no task " + QuoteUntrusted(requested) + "; it holds " +
                            Joined(all, ", "));
    }
    return requested;
  }
  std::set<std::string> named;
  for (const SamplesFile& file : samples) {
    if (!file.task.empty()) named.insert(file.task);
  }
  if (named.size() == 1) return *named.begin();
  const std::vector<std::string> tasks = reader.Tasks();
  if (named.empty() && tasks.size() == 1) return tasks.front();
  return reader.Invalid("holds several tasks (" + Joined(all, ", ") + "): choose one");
}

// The one samples file of `task` among those given; any other is an error,
// since the caller meant every file it named to be read.
Result<const SamplesFile*> SamplesFileOf(const std::string& task,
                                         const std::vector<SamplesFile>& samples) {
  const SamplesFile* chosen = nullptr;
  for (const SamplesFile& file : samples) {
    if (!file.task.empty() && file.task != task) {
      return Status::InvalidInput(file.path + ": is the samples file of task " +
                                  QuoteUntrusted(file.task) + ", not of " + QuoteUntrusted(task));
    }
    if (chosen != nullptr) {
      return Status::InvalidInput(file.path + ": a second samples file for task " +
                                  QuoteUntrusted(task) + " (the first is " + chosen->path + ")");
    }
    chosen = &file;
  }
  return chosen;
}

// What the results say about the rows that the rows themselves cannot:
// lm-eval's task hash, and how many documents were evaluated.
void CheckRowsAgainstResults(const json& root, const std::string& task,
                             const LmEvalSamples& samples, EvalRun& run) {
  const std::string rows = std::to_string(samples.samples.size()) + " rows read";
  if (const json& logged = Member(Member(root, "task_hashes"), task); !logged.is_null()) {
    run.hash_check.present = true;
    if (logged != samples.task_hash) {
      run.hash_check.problems.push_back("task hash does not match the " + rows +
                                        ": samples file truncated or edited?");
    }
  }
  if (run.samples_used && *run.samples_used != samples.documents) {
    run.hash_check.problems.push_back("samples file holds " + std::to_string(samples.documents) +
                                      " documents; n-samples says " +
                                      std::to_string(*run.samples_used) + " were evaluated");
  }
}

Result<LmEvalSamples> ReadSamples(const std::string& path, FileSystem& fs) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  return ReadLmEvalSamples(*file);
}

}  // namespace

bool IsLmEvalStderr(const json& value) {
  return value.is_null() || value.is_number() || (value.is_string() && value.get_ref<const std::string&>() == "N/A");
}

std::optional<double> LmEvalStderrValue(const json& value) {
  if (!value.is_number() || std::isnan(value.get<double>())) return std::nullopt;
  return value.get<double>();
}

bool IsLmEvalResults(const json& document) {
  return Member(document, "results").is_object() &&
         (document.contains("configs") || document.contains("versions"));
}

Result<EvalRun> LmEvalRunFromResults(const json& results, const std::string& results_path,
                                     const std::vector<std::string>& samples_paths,
                                     const std::string& task, FileSystem& fs) {
  ResultsReader reader(results, results_path);
  ASSAY_RETURN_IF_ERROR(reader.CheckShape());
  std::vector<SamplesFile> samples_files;
  for (const std::string& path : samples_paths) {
    samples_files.push_back({path, LmEvalTaskOfSamplesFile(path, reader.TasksAndGroups())});
  }
  // A renamed samples file still names its task by content: its rows' task
  // hash is the one the results file logged for that task.
  std::optional<LmEvalSamples> samples;
  if (task.empty() && samples_files.size() == 1 && samples_files[0].task.empty() &&
      reader.Tasks().size() > 1) {
    ASSAY_ASSIGN_OR_RETURN(samples, ReadSamples(samples_files[0].path, fs));
    samples_files[0].task = reader.TaskWithHash(samples->task_hash);
  }
  ASSAY_ASSIGN_OR_RETURN(std::string chosen, ChooseTask(reader, task, samples_files));
  EvalRun run;
  ASSAY_RETURN_IF_ERROR(reader.FillRun(chosen, run));
  ASSAY_ASSIGN_OR_RETURN(const SamplesFile* samples_file, SamplesFileOf(chosen, samples_files));
  if (samples_file == nullptr) return run;
  if (reader.IsGroup(chosen)) {
    return Status::InvalidInput(
        samples_file->path + ": " + QuoteUntrusted(chosen) +
        " is a group; read the samples of each of its tasks as its own run");
  }
  // Both names carry the run's timestamp: samples of another run of the same task are refused.
  const std::string results_stamp = LmEvalRunTimestampOf(results_path);
  const std::string samples_stamp = LmEvalRunTimestampOf(samples_file->path);
  if (!results_stamp.empty() && !samples_stamp.empty() && results_stamp != samples_stamp) {
    return Status::InvalidInput(samples_file->path + ": the samples of the run of " + samples_stamp +
                                ", not of " + results_path + "'s run of " + results_stamp);
  }
  if (!samples) {
    ASSAY_ASSIGN_OR_RETURN(samples, ReadSamples(samples_file->path, fs));
  }
  run.hash_check = samples->hash_check;
  CheckRowsAgainstResults(results, chosen, *samples, run);
  run.samples = std::move(samples->samples);
  return run;
}

Result<EvalRun> ReadLmEvalLog(const std::string& results_path,
                              const std::vector<std::string>& samples_paths,
                              const std::string& task, FileSystem& fs) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs, results_path, kMaxEvalLogBytes));
  Result<json> results = ParseLenientJson(text);
  if (!results.ok()) return results.status().WithContext(results_path);
  if (!IsLmEvalResults(*results)) {
    return Status::InvalidInput(results_path +
                                ": not an lm-evaluation-harness results file "
                                "(no \"results\" object with \"configs\" or \"versions\")");
  }
  return LmEvalRunFromResults(*results, results_path, samples_paths, task, fs);
}

}  // namespace assay
