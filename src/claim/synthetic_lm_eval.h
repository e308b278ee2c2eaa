// A generated lm-evaluation-harness run, written as lm-eval writes one with
// --log_samples: results_STAMP.json and one samples_TASK_STAMP.jsonl per
// task, in its row format with its own doc_hash, prompt_hash, target_hash and
// task hashes, and groups scored as lm-eval 0.4.12 on scores them (the
// size-weighted mean over the leaf tasks, pooled standard error). The demo's
// group benchmark, and benchmarks that need runs of real size.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "file_system.h"
#include "status.h"

namespace assay {

struct SyntheticLmEvalTask {
  std::string name;
  uint64_t documents = 0;
  double accuracy = 0.8;  // the fraction answered right, rounded to whole documents
};

struct SyntheticLmEvalSpec {
  std::vector<SyntheticLmEvalTask> tasks;
  // Groups by name, each listing its members (tasks or groups): {"mmlu": ["mmlu_stem", ...]}.
  nlohmann::json group_subtasks = nlohmann::json::object();
  std::string stamp = "2026-01-01T00-00-00.000000";
  std::string model_name;
  uint64_t num_fewshot = 5;
  uint64_t seed = 1;            // which documents are right
  uint64_t question_bytes = 0;  // pads each question to about this size (real rows are 1.4 to 8 KB)
};

// Writes the run into `folder` (created if needed); returns the results file's path.
Result<std::string> WriteSyntheticLmEvalRun(FileSystem& fs, const std::string& folder, const SyntheticLmEvalSpec& spec);

}  // namespace assay
