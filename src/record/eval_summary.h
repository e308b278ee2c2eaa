// What a claim and a reproduction both say about one eval run: the benchmark
// (with how many of its samples were used), the harness, the settings that
// matter for reproduction, the metrics (with whether the transcript supports
// them), the transcript root and what the log says about the model.
// docs/spec/claim.md gives the JSON; claims and reproductions embed it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "evallog/eval_run.h"
#include "json/record_fields.h"
#include "status.h"

namespace assay {

// A metric as recorded: the harness's number, and what recomputing it from
// the committed transcript gave.
struct RecordedMetric {
  EvalMetric metric;
  std::optional<uint64_t> samples;  // per-sample values it aggregates, when known
  bool recomputed = false;          // the transcript's samples give this value
  std::string rule;                 // a group's score: the lm-eval rule that gives it (claim/v2)
  // A group score the log does not give ("no group score in the log"),
  // derived by assay from the tasks' scores by `rule` (--derive-group-score).
  bool derived = false;
  std::string not_recomputable;     // why not, when !recomputed ("" otherwise)
};

// The metric of that name, or null.
const RecordedMetric* FindMetricNamed(const std::vector<RecordedMetric>& metrics, const std::string& name);

// One task of a group claim (claim/v2): its own scores and settings.
struct TaskSummary {
  std::string name;
  std::string version;
  std::optional<uint64_t> samples_used;
  std::optional<uint64_t> samples_total;
  nlohmann::json config = nlohmann::json::object();
  std::vector<RecordedMetric> metrics;

  bool partial() const { return samples_used && samples_total && *samples_used < *samples_total; }
  const RecordedMetric* FindMetric(const std::string& metric) const { return FindMetricNamed(metrics, metric); }
};

struct TranscriptCommitment {
  std::string root;  // lowercase hex transcript root
  uint64_t samples = 0;
  std::string format;  // the log format it was read from: "lm-eval", "inspect", "jsonl"
  // The harness's own hashes (lm-eval): rows checked, and whether all matched.
  uint64_t harness_hash_rows = 0;
  std::string id_scheme = kHarnessIds;  // kLmEvalTaskIds for a group's: TASK/DOC_ID/FILTER
};

struct EvalSummary {
  std::string benchmark;
  std::string benchmark_version;
  std::optional<uint64_t> samples_used;
  std::optional<uint64_t> samples_total;
  std::string harness;
  std::string harness_version;
  std::string harness_commit;
  nlohmann::json config = nlohmann::json::object();
  std::vector<RecordedMetric> metrics;
  std::optional<TranscriptCommitment> transcript;
  // What the log says about the model.
  std::string log_model_name;
  std::string log_model_revision;
  std::string log_model_source;
  // A group claim (claim/v2): every task under the group, the group tree, and
  // every file the run was read from. Empty for a task claim.
  std::vector<TaskSummary> tasks;
  std::vector<EvalGroup> groups;
  std::vector<EvalLogFile> logs;
  // When the run started, as its log records it (claim/v2 "runStarted");
  // what a plan's witnessed registration time is compared with.
  std::optional<int64_t> started;

  bool is_group() const { return !tasks.empty(); }
  bool partial() const { return samples_used && samples_total && *samples_used < *samples_total; }
  const RecordedMetric* FindMetric(const std::string& metric) const { return FindMetricNamed(metrics, metric); }
  // The run's own scores ("" task), or a group task's; null for a task it does not have.
  const std::vector<RecordedMetric>* MetricsOf(const std::string& task) const;
};

// The summary of `run`, without metrics' recomputation results or transcript
// (the caller adds those); a group run's with its tasks, group tree and files.
EvalSummary SummarizeRun(const EvalRun& run);

// JSON fields of the summary, merged into a predicate object: benchmark,
// harness, evalConfig, metrics, transcript, logModel, and for a group
// (claim/v2) benchmark.kind, .tasks, .groups and logs.
void WriteEvalSummary(const EvalSummary& summary, nlohmann::json& predicate);
// `v2`: the predicate is a claim/v2's, which may hold the group fields (and
// must say its benchmark's kind); a v1 predicate holding them is refused.
Result<EvalSummary> ReadEvalSummary(const Fields& predicate, bool v2 = false);

}  // namespace assay
