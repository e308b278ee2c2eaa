// Renderers of the commands that hand evidence on: `assay export --bundle`
// (ops/export_bundle.h), `assay prove sample` and `assay verify sample`
// (ops/sample_proof_ops.h). The JSON shapes are schema/cli/prove-sample.schema.json
// (the proof itself, docs/spec/transcript-root.md) and verify-sample.schema.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ops/export_bundle.h"
#include "ops/sample_proof_ops.h"

namespace assay {

// What the bundle holds, and the command that checks it.
std::string RenderText(const ExportedBundle& exported);

// The proof itself, or, when it went to a file, one line saying so.
std::string RenderText(const ProvedSample& proved);

// "ok         sample ID is leaf I of the N-sample transcript claim C commits
// to", the claim's signer, and the revealed sample.
std::string RenderText(const SampleVerification& verification);
nlohmann::json RenderJson(const SampleVerification& verification);

}  // namespace assay
