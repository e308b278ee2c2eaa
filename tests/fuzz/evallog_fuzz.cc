// Eval logs: lm-evaluation-harness results and samples, Inspect's .json and
// .eval (zip) logs, HELM run folders, JSONL transcripts, and the zip reader
// under the Inspect reader.
#include <nlohmann/json.hpp>  // the readers return and hold JSON values

#include <string>

#include "evallog/eval_log.h"
#include "evallog/helm_run.h"
#include "evallog/inspect_log.h"
#include "evallog/lm_eval_log.h"
#include "evallog/lm_eval_samples.h"
#include "evallog/zip_archive.h"
#include "fuzz_input.h"
#include "fuzz_target.h"

namespace {

// A log of one file, its format told from its content as `assay attest
// claim` tells it.
void ReadOneFileLog(const std::string& path, std::string_view input) {
  auto fs = assay::fuzz::FileSystemWith(path, input);
  (void)assay::ReadEvalLog({path}, assay::EvalLogOptions{}, *fs);
}

}  // namespace

// lm-eval results or an Inspect JSON log.
ASSAY_FUZZ_TARGET(eval_log_json) { ReadOneFileLog("/run/results_2026-01-01T00-00-00.json", input); }

// A JSONL transcript, or lm-eval samples on their own.
ASSAY_FUZZ_TARGET(eval_log_jsonl) { ReadOneFileLog("/run/transcript.jsonl", input); }

ASSAY_FUZZ_TARGET(lm_eval_samples) {
  (void)assay::ReadLmEvalSamples(*assay::fuzz::FileOf("/run/samples_task_2026-01-01T00-00-00.jsonl", input));
}

// A results file and one samples file (the pieces, in that order): the task
// chosen by the samples file's name, the scores against the samples.
ASSAY_FUZZ_TARGET(lm_eval_run) {
  const std::vector<std::string_view> pieces = assay::fuzz::Pieces(input, 2);
  const std::string results = "/run/results_2026-01-01T00-00-00.json";
  const std::string samples = "/run/samples_t_2026-01-01T00-00-00.jsonl";
  auto fs = assay::fuzz::FileSystemWith(results, pieces[0]);
  fs->AddFile(samples, pieces.size() > 1 ? pieces[1] : "");
  (void)assay::ReadLmEvalLog(results, {samples}, "", *fs);
}

ASSAY_FUZZ_TARGET(inspect_eval) {
  auto fs = assay::fuzz::FileSystemWith("/run/log.eval", input);
  (void)assay::ReadInspectEvalZip("/run/log.eval", *fs);
}

// Every member of an archive, inflated within small limits.
ASSAY_FUZZ_TARGET(zip) {
  const assay::ZipLimits limits{.max_members = 64, .max_member_bytes = 1 << 20, .max_total_bytes = 4 << 20};
  (void)assay::ForEachZipMember(
      *assay::fuzz::FileOf("/run/log.eval", input), limits, [](std::string_view) { return true; },
      [](const std::string&, std::string) { return assay::Status::Ok(); });
}

// A HELM run folder: run_spec.json, scenario.json, scenario_state.json,
// per_instance_stats.json and stats.json, the pieces in that order.
ASSAY_FUZZ_TARGET(helm_run) {
  static const char* const kFiles[] = {"run_spec.json", "scenario.json", "scenario_state.json",
                                       "per_instance_stats.json", "stats.json"};
  const std::vector<std::string_view> pieces = assay::fuzz::Pieces(input, std::size(kFiles));
  auto fs = assay::fuzz::FileSystemWith(std::string("/run/") + kFiles[0], pieces[0]);
  for (size_t i = 1; i < pieces.size(); ++i) fs->AddFile(std::string("/run/") + kFiles[i], pieces[i]);
  (void)assay::ReadHelmRun("/run", *fs);
}
