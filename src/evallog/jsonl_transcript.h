// assay's generic JSONL transcript: the eval log format for any harness that
// is not lm-evaluation-harness or Inspect. docs/spec/eval-logs.md, "JSONL
// transcript", is its definition; schema/transcript.schema.json its JSON Schema.
//
//   line 1   header  {"assay_transcript": 1, "benchmark": {...}, "harness": {...},
//                     "model": {...}, "config": {...}, "metrics": [...], ...}
//   line 2+  sample  {"id": "q17", "input": ..., "target": ..., "response": ...,
//                     "metrics": {"acc": 1}}
//
// The reader is strict: unknown members, wrong types, repeated ids and
// metric names, and a sample count that differs from the header's
// "sample_count" are kInvalidInput naming the file and line. Numbers may be
// written as Python writes the non-finite ones (NaN, Infinity, -Infinity
// literals), and where a number is expected also as the strings "NaN",
// "Infinity" and "-Infinity", which is how the writer below keeps its output
// strict RFC 8259 JSON.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "file_system.h"
#include "evallog/eval_run.h"
#include "status.h"

namespace assay {

inline constexpr int kJsonlTranscriptVersion = 1;

// Whether a file's first line, parsed, is a transcript header.
bool IsJsonlTranscriptHeader(const nlohmann::json& first_line);

Result<EvalRun> ReadJsonlTranscript(const std::string& path, FileSystem& fs);

// `run` as a transcript, every line canonical JSON (canonical_json.h) ended by
// "\n": a header, then one line per sample. A sample's input is its record's
// "input", or lm-eval's "prompt"; "target" and "response" come from the
// record, "metrics" from EvalSample::metrics; the rest of the record
// (including per-sample values that are not numbers) goes to "extra".
// Non-finite numbers become the strings "NaN", "Infinity", "-Infinity": read
// back, they are numbers in numeric fields and strings elsewhere. A
// transcript read and written again is the same bytes when it was canonical.
std::string FormatJsonlTranscript(const EvalRun& run);

}  // namespace assay
