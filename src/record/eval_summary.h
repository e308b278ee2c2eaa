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
  std::string not_recomputable;     // why not, when !recomputed ("" otherwise)
};

struct TranscriptCommitment {
  std::string root;  // lowercase hex transcript root
  uint64_t samples = 0;
  std::string format;  // the log format it was read from: "lm-eval", "inspect", "jsonl"
  // The harness's own hashes (lm-eval): rows checked, and whether all matched.
  uint64_t harness_hash_rows = 0;
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

  bool partial() const { return samples_used && samples_total && *samples_used < *samples_total; }
  const RecordedMetric* FindMetric(const std::string& name) const;
};

// The summary of `run`, without metrics' recomputation results or transcript
// (the caller adds those).
EvalSummary SummarizeRun(const EvalRun& run);

// JSON fields of the summary, merged into a predicate object: benchmark,
// harness, evalConfig, metrics, transcript, logModel.
void WriteEvalSummary(const EvalSummary& summary, nlohmann::json& predicate);
Result<EvalSummary> ReadEvalSummary(const Fields& predicate);

}  // namespace assay
