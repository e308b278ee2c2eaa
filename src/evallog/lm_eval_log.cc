#include "evallog/lm_eval_log.h"

#include <algorithm>
#include <iterator>
#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "digest/sha256.h"
#include "evallog/eval_log.h"
#include "evallog/lm_eval_groups.h"
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
    // "date": time.time() when simple_evaluate began.
    if (const json& date = Member(root_, "date"); date.is_number() && std::isfinite(date.get<double>()) &&
                                                 date.get<double>() >= 0 && date.get<double>() < 1e11) {
      run.started = static_cast<int64_t>(std::floor(date.get<double>()));
    }
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
    // A group row may hold no score ("no group score in the log": the leaderboard's {" ": " "}).
    if (metrics.empty() && !group) return Invalid("task " + QuoteUntrusted(task) + " has no metrics");
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
  const std::string rows = std::to_string(samples.rows) + " rows read";
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

Result<LmEvalSamples> ReadSamples(const std::string& path, FileSystem& fs, const std::string& task = "",
                                  SampleSink* sink = nullptr) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  return ReadLmEvalSamples(*file, task, sink);
}

// Both names carry the run's timestamp: samples of another run of the same task are refused.
Status CheckSameRun(const std::string& results_path, const std::string& samples_path) {
  const std::string results_stamp = LmEvalRunTimestampOf(results_path);
  const std::string samples_stamp = LmEvalRunTimestampOf(samples_path);
  if (results_stamp.empty() || samples_stamp.empty() || results_stamp == samples_stamp) return Status::Ok();
  return Status::InvalidInput(samples_path + ": the samples of the run of " + samples_stamp + ", not of " +
                              results_path + "'s run of " + results_stamp);
}

// Every group at or under `group`, the group first, each once.
std::vector<EvalGroup> GroupTree(const LmEvalGroupTable& table, const std::string& group) {
  std::vector<EvalGroup> groups = {{group, table.Members(group)}};
  std::set<std::string> seen = {group};
  for (size_t i = 0; i < groups.size(); ++i) {
    for (const std::string& member : groups[i].members) {
      if (table.IsGroup(member) && seen.insert(member).second) groups.push_back({member, table.Members(member)});
    }
  }
  return groups;
}

// A group read with the samples of every task under it (DESIGN.md, claims of
// groups; docs/spec/claim-v2.md): one run whose samples are every task's,
// with ids TASK/DOC_ID/FILTER, whose tasks keep their own scores, and whose
// scores carry the rule that gives them from the tasks' logged scores.
Result<EvalRun> LmEvalGroupRun(const json& results, const ResultsReader& reader, const std::string& results_path,
                               const std::string& group, std::vector<SamplesFile>& files, bool whole_folder,
                               FileSystem& fs, SampleSink* sink) {
  Result<LmEvalGroupTable> table = LmEvalGroupTable::FromResults(results);
  if (!table.ok()) return table.status().WithContext(results_path);
  EvalRun run;
  ASSAY_RETURN_IF_ERROR(reader.FillRun(group, run));
  run.id_scheme = kLmEvalTaskIds;
  run.groups = GroupTree(*table, group);
  for (const EvalMetric& metric : run.metrics) {
    Result<GroupRuleMatch> match = MatchGroupRule(*table, group, metric.name);
    run.group_rules[metric.name] = match.ok() ? GroupRuleFinding{match->rule.Name(), ""}
                                              : GroupRuleFinding{"", match.status().message()};
  }
  const std::vector<std::string> leaves = table->LeafTasks(group);
  std::map<std::string, LmEvalSamples> read;  // by path: files read to learn their task
  std::map<std::string, const SamplesFile*> by_task;
  for (SamplesFile& file : files) {
    if (file.task.empty()) {
      ASSAY_ASSIGN_OR_RETURN(LmEvalSamples samples, ReadSamples(file.path, fs));
      file.task = reader.TaskWithHash(samples.task_hash);
      read.emplace(file.path, std::move(samples));
      if (file.task.empty()) {
        return Status::InvalidInput(file.path + ": names no task of " + results_path +
                                    " and its rows' task hash is none that it logs");
      }
    }
    if (std::find(leaves.begin(), leaves.end(), file.task) == leaves.end()) {
      if (whole_folder) continue;
      return Status::InvalidInput(file.path + ": is the samples file of task " + QuoteUntrusted(file.task) +
                                  ", which is not in group " + QuoteUntrusted(group));
    }
    if (const auto [first, added] = by_task.emplace(file.task, &file); !added) {
      return Status::InvalidInput(file.path + ": a second samples file for task " + QuoteUntrusted(file.task) +
                                  " (the first is " + first->second->path + ")");
    }
  }
  ASSAY_ASSIGN_OR_RETURN(EvalLogFile results_file, HashLogFile(results_path, "results", "", fs));
  run.files.push_back(std::move(results_file));
  for (const std::string& leaf : leaves) {
    const auto found = by_task.find(leaf);
    if (found == by_task.end()) {
      return Status::InvalidInput(results_path + ": no samples file for task " + QuoteUntrusted(leaf) + " of group " +
                                  QuoteUntrusted(group) + ": give every task's samples, or the run's folder");
    }
    const std::string& path = found->second->path;
    ASSAY_RETURN_IF_ERROR(CheckSameRun(results_path, path));
    LmEvalSamples samples;
    if (auto cached = read.find(path); cached != read.end()) {
      samples = std::move(cached->second);  // read to learn its task: its ids are the task's own
      for (EvalSample& sample : samples.samples) {
        sample.id = leaf + "/" + sample.id;
        sample.record["id"] = sample.id;
        sample.record["task"] = leaf;
      }
      if (sink != nullptr) ASSAY_RETURN_IF_ERROR(FeedSamples(samples.samples, *sink));
    } else {
      ASSAY_ASSIGN_OR_RETURN(samples, ReadSamples(path, fs, leaf, sink));
    }
    EvalRun task_run;
    ASSAY_RETURN_IF_ERROR(reader.FillRun(leaf, task_run));
    task_run.hash_check = samples.hash_check;
    CheckRowsAgainstResults(results, leaf, samples, task_run);
    run.hash_check.present |= task_run.hash_check.present;
    run.hash_check.rows_checked += task_run.hash_check.rows_checked;
    for (const std::string& problem : task_run.hash_check.problems) run.hash_check.problems.push_back(leaf + ": " + problem);
    EvalTask task;
    task.name = leaf;
    task.version = std::move(task_run.benchmark_version);
    task.config = std::move(task_run.config);
    task.metrics = std::move(task_run.metrics);
    task.samples_used = task_run.samples_used;
    task.samples_total = task_run.samples_total;
    task.first_sample = run.tasks.empty() ? 0 : run.tasks.back().first_sample + run.tasks.back().sample_count;
    task.sample_count = samples.rows;
    std::move(samples.samples.begin(), samples.samples.end(), std::back_inserter(run.samples));
    run.tasks.push_back(std::move(task));
    ASSAY_ASSIGN_OR_RETURN(EvalLogFile samples_file, HashLogFile(path, "samples", leaf, fs));
    run.files.push_back(std::move(samples_file));
  }
  return run;
}

}  // namespace

bool IsLmEvalStderr(const json& value) {
  return value.is_null() || value.is_number() || (value.is_string() && value.get_ref<const std::string&>() == "N/A");
}

std::optional<double> LmEvalStderrValue(const json& value) {
  if (!value.is_number() || std::isnan(value.get<double>())) return std::nullopt;
  return value.get<double>();
}

std::vector<std::string> LmEvalTopLevelBenchmarks(const json& results) {
  std::set<std::string> listed;
  if (const json& subtasks = Member(results, "group_subtasks"); subtasks.is_object()) {
    for (const auto& [group, members] : subtasks.items()) {
      if (!members.is_array()) continue;
      for (const json& member : members) {
        if (member.is_string() && member.get_ref<const std::string&>() != group) listed.insert(member.get<std::string>());
      }
    }
  }
  std::vector<std::string> names;
  for (const auto& [name, unused] : Member(results, "results").items()) {
    if (!listed.contains(name)) names.push_back(name);
  }
  return names;
}

bool IsLmEvalResults(const json& document) {
  return Member(document, "results").is_object() &&
         (document.contains("configs") || document.contains("versions"));
}

Result<EvalRun> LmEvalRunFromResults(const json& results, const std::string& results_path,
                                     const std::vector<std::string>& samples_paths, const std::string& task,
                                     bool whole_folder, FileSystem& fs, SampleSink* sink) {
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
  if (reader.IsGroup(chosen) && !samples_files.empty()) {
    return LmEvalGroupRun(results, reader, results_path, chosen, samples_files, whole_folder, fs, sink);
  }
  EvalRun run;
  ASSAY_RETURN_IF_ERROR(reader.FillRun(chosen, run));
  if (run.metrics.empty()) {
    return reader.Invalid("no group score in the log for " + QuoteUntrusted(chosen) +
                          ": give the samples of its tasks (or the run's folder) to claim each task's score");
  }
  if (whole_folder) {
    std::erase_if(samples_files, [&](const SamplesFile& file) { return !file.task.empty() && file.task != chosen; });
  }
  ASSAY_ASSIGN_OR_RETURN(const SamplesFile* samples_file, SamplesFileOf(chosen, samples_files));
  ASSAY_ASSIGN_OR_RETURN(EvalLogFile results_file, HashLogFile(results_path, "results", "", fs));
  run.files.push_back(std::move(results_file));
  if (samples_file == nullptr) return run;
  ASSAY_RETURN_IF_ERROR(CheckSameRun(results_path, samples_file->path));
  if (!samples) {
    ASSAY_ASSIGN_OR_RETURN(samples, ReadSamples(samples_file->path, fs, "", sink));
  } else if (sink != nullptr) {
    ASSAY_RETURN_IF_ERROR(FeedSamples(samples->samples, *sink));
  }
  run.hash_check = samples->hash_check;
  CheckRowsAgainstResults(results, chosen, *samples, run);
  run.samples = std::move(samples->samples);
  ASSAY_ASSIGN_OR_RETURN(EvalLogFile samples_log, HashLogFile(samples_file->path, "samples", chosen, fs));
  run.files.push_back(std::move(samples_log));
  return run;
}

Result<EvalRun> ReadLmEvalLog(const std::string& results_path,
                              const std::vector<std::string>& samples_paths,
                              const std::string& task, FileSystem& fs) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs, results_path, kMaxEvalLogDocumentBytes));
  Result<json> results = ParseLenientJson(text);
  if (!results.ok()) return results.status().WithContext(results_path);
  if (!IsLmEvalResults(*results)) {
    return Status::InvalidInput(results_path +
                                ": not an lm-evaluation-harness results file "
                                "(no \"results\" object with \"configs\" or \"versions\")");
  }
  return LmEvalRunFromResults(*results, results_path, samples_paths, task, /*whole_folder=*/false, fs);
}

}  // namespace assay
