// One lm-evaluation-harness samples file (samples_<task>_<date>.jsonl, written
// with --log_samples): one JSON object per line, one line per document and
// filter. docs/spec/eval-logs.md, "lm-evaluation-harness", says how a row maps
// onto an EvalSample and which hashes are recomputed.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "file_system.h"
#include "evallog/eval_run.h"
#include "evallog/sample_sink.h"
#include "status.h"

namespace assay {

struct LmEvalSamples {
  std::vector<EvalSample> samples;  // in row order; empty when they went to a sink
  uint64_t rows = 0;
  // present, rows_checked and one problem per row hash that does not match
  // the row's content (at most kMaxHashProblems lines, then a count).
  HarnessHashCheck hash_check;
  // What lm-eval's task_hashes[task] should be for these rows: SHA-256 hex of
  // every row's recomputed doc_hash + prompt_hash + target_hash, in row order.
  std::string task_hash;
  uint64_t documents = 0;  // distinct doc_ids
};

inline constexpr size_t kMaxHashProblems = 100;

// Reads every row. A row that is not an object with doc_id, doc, target and
// arguments (holding a prompt string), or that repeats an id, is kInvalidInput
// naming the file and line; hashes that do not match are not errors but
// hash_check problems. With a `task` (a group run's), ids are
// TASK/DOC_ID/FILTER and each record names its task. With a `sink`, each
// sample goes to it as it is read instead of into `samples`.
Result<LmEvalSamples> ReadLmEvalSamples(const RandomAccessFile& file, const std::string& task = "",
                                        SampleSink* sink = nullptr);

// Whether `row` (a file's first line, parsed) looks like a samples row.
bool IsLmEvalSamplesRow(const nlohmann::json& row);

// The task named by a samples file name "samples_<task>_<date>.jsonl" (a
// path's folders and anything before "samples_" ignored): the longest of
// `tasks` that fits, or "".
std::string LmEvalTaskOfSamplesFile(const std::string& path, const std::vector<std::string>& tasks);

// The run's timestamp that lm-eval puts at the end of both its file names
// ("results_2026-07-08T16-04-34.219874.json",
// "samples_mmlu_2026-07-08T16-04-34.219874.jsonl"); "" when the name has none.
std::string LmEvalRunTimestampOf(const std::string& path);

}  // namespace assay
