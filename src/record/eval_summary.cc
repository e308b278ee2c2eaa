#include "record/eval_summary.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "json/canonical_json.h"
#include "utc_time.h"

namespace assay {
namespace {

using json = nlohmann::json;

json MetricJson(const RecordedMetric& recorded) {
  const EvalMetric& metric = recorded.metric;
  json out = {{"name", metric.name},
              {"value", NumberJson(metric.value)},
              {"stderr", metric.stderr_value ? NumberJson(*metric.stderr_value) : json(nullptr)},
              {"direction", !metric.higher_is_better ? "unknown" : *metric.higher_is_better ? "higher" : "lower"},
              {"aggregation", metric.aggregation},
              {"recomputed", recorded.recomputed}};
  if (!metric.per_sample_key.empty()) out["perSampleKey"] = metric.per_sample_key;
  if (!recorded.rule.empty()) out["rule"] = recorded.rule;
  if (recorded.derived) out["derived"] = true;
  if (recorded.samples) out["samples"] = *recorded.samples;
  if (!recorded.recomputed) out["notRecomputable"] = recorded.not_recomputable;
  return out;
}

Result<RecordedMetric> ReadMetric(const Fields& fields) {
  RecordedMetric recorded;
  EvalMetric& metric = recorded.metric;
  ASSAY_ASSIGN_OR_RETURN(metric.name, fields.String("name"));
  ASSAY_ASSIGN_OR_RETURN(metric.value, fields.Number("value"));
  if (!fields.Has("stderr")) return Status::InvalidInput(fields.path() + ".stderr: missing");
  if (!fields.value()["stderr"].is_null()) {
    ASSAY_ASSIGN_OR_RETURN(metric.stderr_value, fields.Number("stderr"));
  }
  ASSAY_ASSIGN_OR_RETURN(std::string direction, fields.String("direction"));
  if (direction == "higher") {
    metric.higher_is_better = true;
  } else if (direction == "lower") {
    metric.higher_is_better = false;
  } else if (direction != "unknown") {
    return Status::InvalidInput(fields.path() + ".direction: expected \"higher\", \"lower\" or \"unknown\"");
  }
  ASSAY_ASSIGN_OR_RETURN(metric.aggregation, fields.String("aggregation"));
  if (fields.Has("perSampleKey")) {
    ASSAY_ASSIGN_OR_RETURN(metric.per_sample_key, fields.String("perSampleKey"));
  }
  if (fields.Has("samples")) {
    ASSAY_ASSIGN_OR_RETURN(recorded.samples, fields.Unsigned("samples"));
  }
  if (fields.Has("rule")) {
    ASSAY_ASSIGN_OR_RETURN(recorded.rule, fields.String("rule"));
  }
  if (fields.Has("derived")) {
    ASSAY_ASSIGN_OR_RETURN(recorded.derived, fields.Bool("derived"));
    if (!recorded.derived || recorded.rule.empty()) {
      return Status::InvalidInput(fields.path() + ".derived: true, and only beside the rule it was derived by");
    }
  }
  ASSAY_ASSIGN_OR_RETURN(recorded.recomputed, fields.Bool("recomputed"));
  if (!recorded.recomputed) {
    ASSAY_ASSIGN_OR_RETURN(recorded.not_recomputable, fields.String("notRecomputable"));
  }
  return recorded;
}

// Optional string fields are written only when known, and read back as "".
void PutIfKnown(json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}
Status GetIfPresent(const Fields& fields, const char* key, std::string& value) {
  if (!fields.Has(key)) return Status::Ok();
  ASSAY_ASSIGN_OR_RETURN(value, fields.String(key));
  return Status::Ok();
}

json MetricsJson(const std::vector<RecordedMetric>& metrics) {
  json out = json::array();
  for (const RecordedMetric& metric : metrics) out.push_back(MetricJson(metric));
  return out;
}

// `group`: the metrics are a group's own, which may name their rule.
Result<std::vector<RecordedMetric>> ReadMetrics(const Fields& fields, bool group) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> items, fields.Array("metrics"));
  std::vector<RecordedMetric> metrics;
  for (const Fields& item : items) {
    ASSAY_ASSIGN_OR_RETURN(RecordedMetric recorded, ReadMetric(item));
    if (!recorded.rule.empty() && !group) {
      return Status::InvalidInput(item.path() + ".rule: only a group's own metrics have a rule");
    }
    metrics.push_back(std::move(recorded));
  }
  return metrics;
}

// Sample counts as benchmark and task entries write them: known counts only,
// and "partial" agreeing with them.
void PutCounts(json& object, const std::optional<uint64_t>& used, const std::optional<uint64_t>& total) {
  if (used) object["samplesUsed"] = *used;
  if (total) object["samplesTotal"] = *total;
  object["partial"] = used && total && *used < *total;
}
Status GetCounts(const Fields& fields, std::optional<uint64_t>& used, std::optional<uint64_t>& total) {
  if (fields.Has("samplesUsed")) {
    ASSAY_ASSIGN_OR_RETURN(used, fields.Unsigned("samplesUsed"));
  }
  if (fields.Has("samplesTotal")) {
    ASSAY_ASSIGN_OR_RETURN(total, fields.Unsigned("samplesTotal"));
  }
  ASSAY_ASSIGN_OR_RETURN(bool partial, fields.Bool("partial"));
  if (partial != (used && total && *used < *total)) {
    return Status::InvalidInput(fields.path() + ".partial: disagrees with samplesUsed and samplesTotal");
  }
  return Status::Ok();
}

json TaskJson(const TaskSummary& task) {
  json out = {{"name", task.name}, {"evalConfig", task.config}, {"metrics", MetricsJson(task.metrics)}};
  PutIfKnown(out, "version", task.version);
  PutCounts(out, task.samples_used, task.samples_total);
  return out;
}

Result<TaskSummary> ReadTask(const Fields& fields) {
  TaskSummary task;
  ASSAY_ASSIGN_OR_RETURN(task.name, fields.String("name"));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(fields, "version", task.version));
  ASSAY_RETURN_IF_ERROR(GetCounts(fields, task.samples_used, task.samples_total));
  ASSAY_ASSIGN_OR_RETURN(Fields config, fields.Object("evalConfig"));
  task.config = config.value();
  ASSAY_ASSIGN_OR_RETURN(task.metrics, ReadMetrics(fields, /*group=*/false));
  return task;
}

Result<EvalGroup> ReadGroup(const Fields& fields) {
  EvalGroup group;
  ASSAY_ASSIGN_OR_RETURN(group.name, fields.String("name"));
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> members, fields.Array("members"));
  for (const Fields& member : members) {
    if (!member.value().is_string()) return Status::InvalidInput(member.path() + ": expected a string");
    group.members.push_back(member.value().get<std::string>());
  }
  return group;
}

Result<EvalLogFile> ReadLogFile(const Fields& fields) {
  EvalLogFile file;
  ASSAY_ASSIGN_OR_RETURN(file.name, fields.String("name"));
  ASSAY_ASSIGN_OR_RETURN(Sha256Digest digest, fields.Digest("sha256"));
  file.sha256 = ToHex(digest);
  ASSAY_ASSIGN_OR_RETURN(file.role, fields.String("role"));
  if (file.role != "results" && file.role != "samples" && file.role != "log") {
    return Status::InvalidInput(fields.path() + ".role: expected \"results\", \"samples\" or \"log\"");
  }
  ASSAY_RETURN_IF_ERROR(GetIfPresent(fields, "task", file.task));
  return file;
}

// A group claim's tasks and tree (claim/v2), checked against each other:
// every task and group once, every member one of them.
Status ReadGroupTree(const Fields& benchmark, EvalSummary& summary) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> tasks, benchmark.Array("tasks"));
  std::set<std::string> names;
  for (const Fields& fields : tasks) {
    ASSAY_ASSIGN_OR_RETURN(TaskSummary task, ReadTask(fields));
    if (!names.insert(task.name).second) return Status::InvalidInput(fields.path() + ".name: a second task " + task.name);
    summary.tasks.push_back(std::move(task));
  }
  if (summary.tasks.empty()) return Status::InvalidInput(benchmark.path() + ".tasks: a group has at least one task");
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> groups, benchmark.Array("groups"));
  for (const Fields& fields : groups) {
    ASSAY_ASSIGN_OR_RETURN(EvalGroup group, ReadGroup(fields));
    if (!names.insert(group.name).second) return Status::InvalidInput(fields.path() + ".name: a second entry " + group.name);
    summary.groups.push_back(std::move(group));
  }
  if (summary.groups.empty() || summary.groups.front().name != summary.benchmark) {
    return Status::InvalidInput(benchmark.path() + ".groups: the first group is the benchmark");
  }
  std::map<std::string, const EvalGroup*> by_name;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    const EvalGroup& group = summary.groups[g];
    const std::string where = benchmark.path() + ".groups[" + std::to_string(g) + "]";
    if (group.members.empty()) return Status::InvalidInput(where + ".members: a group has at least one member");
    for (const std::string& member : group.members) {
      if (!names.contains(member)) {
        return Status::InvalidInput(where + ": member " + member + " is neither a task nor a group of the claim");
      }
    }
    by_name[group.name] = &group;
  }
  // Every task and group is under the claimed group.
  std::set<std::string> reached = {summary.benchmark};
  std::vector<std::string> pending = {summary.benchmark};
  while (!pending.empty()) {
    const auto group = by_name.find(pending.back());
    pending.pop_back();
    if (group == by_name.end()) continue;
    for (const std::string& member : group->second->members) {
      if (reached.insert(member).second) pending.push_back(member);
    }
  }
  for (const std::string& name : names) {
    if (!reached.contains(name)) {
      return Status::InvalidInput(benchmark.path() + ": " + name + " is not under the group " + summary.benchmark);
    }
  }
  return Status::Ok();
}

// The files a v2 claim was made from: at least one; a samples file's task is
// the claim's task, or one of a group claim's.
Status ReadLogFiles(const Fields& predicate, EvalSummary& summary) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> logs, predicate.Array("logs"));
  if (logs.empty()) return Status::InvalidInput(predicate.path() + ".logs: a claim names at least one file");
  for (const Fields& fields : logs) {
    ASSAY_ASSIGN_OR_RETURN(EvalLogFile file, ReadLogFile(fields));
    const bool known_task = summary.is_group() ? std::any_of(summary.tasks.begin(), summary.tasks.end(),
                                                             [&](const TaskSummary& task) { return task.name == file.task; })
                                               : file.task == summary.benchmark;
    if (file.role == "samples" && !known_task) {
      return Status::InvalidInput(fields.path() + ".task: not one of the claim's tasks");
    }
    summary.logs.push_back(std::move(file));
  }
  return Status::Ok();
}

// The harness's metrics as a summary starts them: nothing recomputed yet.
std::vector<RecordedMetric> NotYetRecomputed(const std::vector<EvalMetric>& metrics) {
  std::vector<RecordedMetric> out;
  for (const EvalMetric& metric : metrics) {
    RecordedMetric recorded;
    recorded.metric = metric;
    out.push_back(std::move(recorded));
  }
  return out;
}

}  // namespace

const std::vector<RecordedMetric>* EvalSummary::MetricsOf(const std::string& task) const {
  if (task.empty()) return &metrics;
  for (const TaskSummary& one : tasks) {
    if (one.name == task) return &one.metrics;
  }
  return nullptr;
}

const RecordedMetric* FindMetricNamed(const std::vector<RecordedMetric>& metrics, const std::string& name) {
  for (const RecordedMetric& recorded : metrics) {
    if (recorded.metric.name == name) return &recorded;
  }
  return nullptr;
}

EvalSummary SummarizeRun(const EvalRun& run) {
  EvalSummary summary;
  summary.benchmark = run.benchmark;
  summary.benchmark_version = run.benchmark_version;
  summary.samples_used = run.samples_used;
  summary.samples_total = run.samples_total;
  summary.harness = run.harness;
  summary.harness_version = run.harness_version;
  summary.harness_commit = run.harness_commit;
  summary.started = run.started;
  summary.config = run.config;
  summary.log_model_name = run.model_name;
  summary.log_model_revision = run.model_revision;
  summary.log_model_source = run.model_source;
  summary.metrics = NotYetRecomputed(run.metrics);
  for (const EvalTask& task : run.tasks) {
    TaskSummary out;
    out.name = task.name;
    out.version = task.version;
    out.samples_used = task.samples_used;
    out.samples_total = task.samples_total;
    out.config = task.config;
    out.metrics = NotYetRecomputed(task.metrics);
    summary.tasks.push_back(std::move(out));
  }
  summary.groups = run.groups;
  summary.logs = run.files;
  return summary;
}

void WriteEvalSummary(const EvalSummary& summary, json& predicate) {
  json benchmark = {{"name", summary.benchmark}};
  PutIfKnown(benchmark, "version", summary.benchmark_version);
  PutCounts(benchmark, summary.samples_used, summary.samples_total);
  if (!summary.logs.empty()) benchmark["kind"] = summary.is_group() ? "group" : "task";
  if (summary.is_group()) {
    benchmark["tasks"] = json::array();
    for (const TaskSummary& task : summary.tasks) benchmark["tasks"].push_back(TaskJson(task));
    benchmark["groups"] = json::array();
    for (const EvalGroup& group : summary.groups) {
      benchmark["groups"].push_back({{"name", group.name}, {"members", group.members}});
    }
  }
  if (!summary.logs.empty()) {
    json logs = json::array();
    for (const EvalLogFile& file : summary.logs) {
      json entry = {{"name", file.name}, {"sha256", file.sha256}, {"role", file.role}};
      PutIfKnown(entry, "task", file.task);
      logs.push_back(std::move(entry));
    }
    predicate["logs"] = std::move(logs);
    if (summary.started) predicate["runStarted"] = FormatUtcTime(*summary.started);
  }
  json harness = {{"name", summary.harness}};
  PutIfKnown(harness, "version", summary.harness_version);
  PutIfKnown(harness, "commit", summary.harness_commit);
  json log_model = json::object();
  PutIfKnown(log_model, "name", summary.log_model_name);
  PutIfKnown(log_model, "revision", summary.log_model_revision);
  PutIfKnown(log_model, "source", summary.log_model_source);
  predicate["benchmark"] = std::move(benchmark);
  predicate["harness"] = std::move(harness);
  predicate["evalConfig"] = summary.config;
  predicate["metrics"] = MetricsJson(summary.metrics);
  predicate["logModel"] = std::move(log_model);
  if (summary.transcript) {
    const TranscriptCommitment& transcript = *summary.transcript;
    predicate["transcript"] = {{"root", transcript.root},
                               {"samples", transcript.samples},
                               {"format", transcript.format},
                               {"harnessHashRows", transcript.harness_hash_rows}};
    if (transcript.id_scheme != kHarnessIds) predicate["transcript"]["idScheme"] = transcript.id_scheme;
  }
}

Result<EvalSummary> ReadEvalSummary(const Fields& predicate, bool v2) {
  EvalSummary summary;
  ASSAY_ASSIGN_OR_RETURN(Fields benchmark, predicate.Object("benchmark"));
  ASSAY_ASSIGN_OR_RETURN(summary.benchmark, benchmark.String("name"));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(benchmark, "version", summary.benchmark_version));
  ASSAY_RETURN_IF_ERROR(GetCounts(benchmark, summary.samples_used, summary.samples_total));
  if (!v2) {
    for (const char* key : {"kind", "tasks", "groups"}) {
      if (benchmark.Has(key)) return Status::InvalidInput(benchmark.path() + "." + key + ": not a field of version 1");
    }
    for (const char* key : {"logs", "runStarted"}) {
      if (predicate.Has(key)) return Status::InvalidInput(predicate.path() + "." + key + ": not a field of version 1");
    }
  } else {
    ASSAY_ASSIGN_OR_RETURN(std::string kind, benchmark.String("kind"));
    if (kind == "group") {
      ASSAY_RETURN_IF_ERROR(ReadGroupTree(benchmark, summary));
    } else if (kind != "task") {
      return Status::InvalidInput(benchmark.path() + ".kind: expected \"task\" or \"group\"");
    }
    ASSAY_RETURN_IF_ERROR(ReadLogFiles(predicate, summary));
    if (predicate.Has("runStarted")) {
      ASSAY_ASSIGN_OR_RETURN(std::string started, predicate.String("runStarted"));
      summary.started = ParseIsoTime(started);
      if (!summary.started || FormatUtcTime(*summary.started) != started) {
        return Status::InvalidInput(predicate.path() + ".runStarted: expected a UTC time as YYYY-MM-DDTHH:MM:SSZ");
      }
    }
  }
  ASSAY_ASSIGN_OR_RETURN(Fields harness, predicate.Object("harness"));
  ASSAY_ASSIGN_OR_RETURN(summary.harness, harness.String("name"));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(harness, "version", summary.harness_version));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(harness, "commit", summary.harness_commit));
  ASSAY_ASSIGN_OR_RETURN(Fields config, predicate.Object("evalConfig"));
  summary.config = config.value();
  ASSAY_ASSIGN_OR_RETURN(summary.metrics, ReadMetrics(predicate, summary.is_group()));
  ASSAY_ASSIGN_OR_RETURN(Fields log_model, predicate.Object("logModel"));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(log_model, "name", summary.log_model_name));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(log_model, "revision", summary.log_model_revision));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(log_model, "source", summary.log_model_source));
  if (predicate.Has("transcript")) {
    ASSAY_ASSIGN_OR_RETURN(Fields transcript_fields, predicate.Object("transcript"));
    TranscriptCommitment transcript;
    ASSAY_ASSIGN_OR_RETURN(Sha256Digest root, transcript_fields.Digest("root"));
    transcript.root = ToHex(root);
    ASSAY_ASSIGN_OR_RETURN(transcript.samples, transcript_fields.Unsigned("samples"));
    ASSAY_ASSIGN_OR_RETURN(transcript.format, transcript_fields.String("format"));
    ASSAY_ASSIGN_OR_RETURN(transcript.harness_hash_rows, transcript_fields.Unsigned("harnessHashRows"));
    if (v2) ASSAY_RETURN_IF_ERROR(GetIfPresent(transcript_fields, "idScheme", transcript.id_scheme));
    if (transcript.id_scheme != kHarnessIds && transcript.id_scheme != kLmEvalTaskIds) {
      return Status::InvalidInput(transcript_fields.path() + ".idScheme: expected \"harness\" or \"lm-eval-task\"");
    }
    if (summary.is_group() != (transcript.id_scheme == kLmEvalTaskIds)) {
      return Status::InvalidInput(transcript_fields.path() + ".idScheme: a group's transcript, and only it, has \"lm-eval-task\" ids");
    }
    summary.transcript = std::move(transcript);
  }
  return summary;
}

}  // namespace assay
