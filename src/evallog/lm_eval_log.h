// EleutherAI lm-evaluation-harness output, versions 0.4.x: the
// results_<date>.json file, and the samples_<task>_<date>.jsonl files that
// --log_samples adds (lm_eval_samples.h). docs/spec/eval-logs.md,
// "lm-evaluation-harness", gives the mapping onto EvalRun.
//
// A results file may hold several tasks and groups; a run is one of them.
// With `task` empty, the task is the one the samples files belong to, or the
// file's only task; otherwise the error lists the tasks to choose from. Where
// the log carries lm-eval's own hashes (0.4.3 on) they are recomputed from the
// rows and any difference, as well as a samples file that does not hold the
// documents the results count, lands in EvalRun::hash_check, not in an error:
// a truncated or edited transcript is a finding, not malformed input.
//
// Errors: kInvalidInput naming the file ("results.json: stderr of 'acc,none'
// is not a number or \"N/A\""); kIo for read failures.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "file_system.h"
#include "evallog/eval_run.h"
#include "evallog/sample_sink.h"
#include "status.h"

namespace assay {

// A logged standard error ("acc_stderr,none") is a number, "N/A" or null;
// its value is absent for "N/A", null and NaN.
bool IsLmEvalStderr(const nlohmann::json& value);
std::optional<double> LmEvalStderrValue(const nlohmann::json& value);

// Whether a parsed JSON document is an lm-eval results file: an object with
// a "results" object and "configs" or "versions".
bool IsLmEvalResults(const nlohmann::json& document);

// `results` is the parsed results file that `results_path` names. A task
// read with samples files is one run; so is a group read with the samples of
// every task under it (EvalRun::is_group). `whole_folder`: the samples files
// are a run folder's, so those of other tasks are passed over, not refused.
// With a `sink`, the samples go to it as they are read (sample_sink.h) and
// the run holds none.
Result<EvalRun> LmEvalRunFromResults(const nlohmann::json& results, const std::string& results_path,
                                     const std::vector<std::string>& samples_paths, const std::string& task,
                                     bool whole_folder, FileSystem& fs, SampleSink* sink = nullptr);

// The run's top-level benchmarks in the results' order: every group that no
// other group lists, and every task that no group lists.
std::vector<std::string> LmEvalTopLevelBenchmarks(const nlohmann::json& results);

// Reads and parses the results file, then as LmEvalRunFromResults.
Result<EvalRun> ReadLmEvalLog(const std::string& results_path,
                              const std::vector<std::string>& samples_paths,
                              const std::string& task, FileSystem& fs);

}  // namespace assay
