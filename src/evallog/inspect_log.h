// UK AISI Inspect (inspect_ai) eval logs, log format versions 1 and 2, in
// both encodings Inspect writes:
// - the JSON log: one object {"version", "status", "eval", "plan", "results",
//   "stats", "samples": [...], "reductions": [...]};
// - the `.eval` zip: header.json (the same object without samples),
//   samples/<id>_epoch_<n>.json (one sample each), reductions.json and
//   summaries.json, read through zip_archive.h. Samples come from the samples/
//   members; a log written without them (log_samples false) gives its samples
//   from summaries.json, with no response.
// Strings "attachment://HASH" in a sample are resolved from the sample's
// "attachments". docs/spec/eval-logs.md, "Inspect", gives the mapping onto
// EvalRun. Only finished runs (status "success") are read.
//
// Errors: kInvalidInput naming the file; kIo for read failures.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "file_system.h"
#include "evallog/eval_run.h"
#include "evallog/zip_archive.h"
#include "status.h"

namespace assay {

// Bounds for `.eval` zips: members, one member's and all members' uncompressed bytes.
inline constexpr ZipLimits kInspectZipLimits = {
    .max_members = 1'000'000,
    .max_member_bytes = uint64_t{256} << 20,
    .max_total_bytes = uint64_t{4} << 30,
};

// Whether a parsed JSON document is an Inspect JSON log: an object with a
// numeric "version" and an "eval" object.
bool IsInspectJsonLog(const nlohmann::json& document);

// `log` is the parsed JSON log that `path` names.
Result<EvalRun> InspectRunFromJsonLog(const nlohmann::json& log, const std::string& path);

// Reads a `.eval` zip.
Result<EvalRun> ReadInspectEvalZip(const std::string& path, FileSystem& fs);

}  // namespace assay
