// The one entry point for eval logs: give it the files a harness wrote, and it
// recognises the format from their content and returns the run in assay's
// internal form (eval_run.h). docs/spec/eval-logs.md defines the mapping.
//
// Recognised, by content (file names only help to pair lm-eval files):
// - lm-evaluation-harness: one results_*.json (a JSON object with "results"
//   and "configs" or "versions"), plus any samples_<task>_*.jsonl files (JSON
//   Lines whose rows have "doc_id"). lm_eval_log.h.
// - UK AISI Inspect: one log, either a `.eval` zip (it starts with "PK") or a
//   JSON log (an object with "version" and "eval"). inspect_log.h.
// - assay's JSONL transcript: one file whose first line is an object with
//   "assay_transcript". jsonl_transcript.h.
// - Stanford CRFM HELM: one run folder holding run_spec.json. helm_run.h.
// A folder given alone is a run's folder: a HELM run, or lm-eval's output
// folder of one model, read as its one results file and that run's samples.
//
// Errors: one line naming the file ("results.json: stderr of 'acc,none' is
// not a number or \"N/A\""); malformed, oversized, unrecognised or mixed
// inputs are kInvalidInput; unreadable files kIo. Nothing is written.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "file_system.h"
#include "evallog/eval_run.h"
#include "evallog/sample_sink.h"
#include "status.h"

namespace assay {

// Limits every eval log reader enforces.
inline constexpr uint64_t kMaxEvalLogBytes = uint64_t{4} << 30;  // all files of one run together
// One JSON Lines row: real lm-eval rows are 1.4 to 8 KB, the longest
// generations a few hundred KB; a longer line is refused on its own
// ("line N is longer than 16 MiB"), with memory bounded by this.
inline constexpr uint64_t kMaxEvalLogLineBytes = uint64_t{16} << 20;
// One JSON document read whole (lm-eval results, an Inspect JSON log): its
// parse takes several times its size in memory. Results files are kilobytes;
// Inspect writes large logs as .eval zips, which are read member by member.
inline constexpr uint64_t kMaxEvalLogDocumentBytes = uint64_t{256} << 20;

struct EvalLogOptions {
  // The lm-eval task (or group) to read from a results file holding several;
  // "" chooses the task whose samples file was given, or the only task.
  // Other formats hold one task and refuse a name that differs from it.
  std::string task;
};

// Every run records the files it was read from (EvalRun::files). With a
// `sink`, the run's samples go to it in the run's order, and the run holds
// none: lm-eval's samples as each row is read, other formats' once read
// (sample_sink.h).
Result<EvalRun> ReadEvalLog(const std::vector<std::string>& paths, const EvalLogOptions& options,
                            FileSystem& fs, SampleSink* sink = nullptr);

// Every top-level benchmark of one run, each read as ReadEvalLog reads one
// and handed to `visit` before the next is read, so that only one run's
// samples are held at a time: for lm-eval, each group inside no other group
// and each task in no group (or those `tasks` names), with the samples of
// each; a given samples file that none of them takes is an error, once all
// were visited (a run folder's are passed over). Other formats hold one
// benchmark. An error from `visit` stops the reading and is returned. With a
// `sink`, each run's samples go to it before that run is visited.
Status ForEachEvalLogBenchmark(const std::vector<std::string>& paths, const std::vector<std::string>& tasks,
                               FileSystem& fs, const std::function<Status(EvalRun)>& visit,
                               SampleSink* sink = nullptr);

// A file as a claim names it: its name without folder and the SHA-256 of its bytes.
Result<EvalLogFile> HashLogFile(const std::string& path, std::string role, std::string task, FileSystem& fs);

}  // namespace assay
