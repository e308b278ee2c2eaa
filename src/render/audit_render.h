// Human and JSON renderers of the audit operations' results (ops/audit_ops.h):
// diff, compare-transcripts, lineage, forensics and verify lfs. The JSON
// shapes are schema/cli/diff.schema.json, compare-transcripts.schema.json,
// lineage.schema.json, forensics.schema.json and verify-lfs.schema.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ops/audit_ops.h"

namespace assay {

// The one-line summary first (same weights, re-sharded, changed or
// undetermined, and which identity keys changed), then each side, the
// files, the tensors and the config keys.
std::string RenderText(const ModelComparison& comparison);
nlohmann::json RenderJson(const ModelComparison& comparison);

std::string RenderText(const TranscriptsComparison& comparison);
nlohmann::json RenderJson(const TranscriptsComparison& comparison);

std::string RenderText(const LineageReport& report);
nlohmann::json RenderJson(const LineageReport& report);

std::string RenderText(const WeightsForensics& forensics);
nlohmann::json RenderJson(const WeightsForensics& forensics);

std::string RenderText(const LfsVerification& verification);
nlohmann::json RenderJson(const LfsVerification& verification);

}  // namespace assay
