// Stanford CRFM HELM: one run folder (benchmark_output/runs/SUITE/RUN/), the
// files helm-run writes for one run spec: run_spec.json, scenario_state.json
// (the requests and completions), per_instance_stats.json (each instance's
// metric values), stats.json (the aggregates) and, optionally,
// scenario.json. docs/spec/eval-logs.md, "HELM", gives the mapping onto
// EvalRun.
//
// Errors: kInvalidInput naming the file and the problem
// ("per_instance_stats.json: instance 'id7' trial 0 has no request in
// scenario_state.json"); kIo for read failures.
#pragma once

#include <string>

#include "evallog/eval_run.h"
#include "file_system.h"
#include "status.h"

namespace assay {

// Whether `path` is a folder holding a run_spec.json.
bool IsHelmRunFolder(FileSystem& fs, const std::string& path);

Result<EvalRun> ReadHelmRun(const std::string& folder, FileSystem& fs);

}  // namespace assay
