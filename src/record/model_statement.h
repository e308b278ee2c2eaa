// The model record's in-toto Statement v1 (DESIGN.md, Records: model;
// docs/spec/model-record.md; schema/model-statement.schema.json): one subject
// per file (digest sha256 = the git-lfs oid) plus one per weights root (digest
// rfc6962-sha256), and a predicate with the tensor tables.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "record/in_toto.h"
#include "model/config_diff.h"
#include "model/model_manifest.h"

namespace assay {

inline constexpr char kModelPredicateType[] = "https://assay.dev/model/v1";

// What names the model; the manifest knows only bytes.
struct ModelIdentity {
  std::string name;                     // e.g. "meta-llama/Llama-3.1-8B"
  std::optional<std::string> revision;  // e.g. a hub commit or "v1.0"
};

// The subject name of a weights root: "weights-root:safetensors". A colon
// keeps it apart from file subjects, whose names are relative paths.
std::string WeightsRootSubjectName(WeightFormat format);


nlohmann::json ModelStatement(const ModelManifest& manifest, const ModelIdentity& identity);

// The exact bytes that are signed and whose SHA-256 is the record id: the
// statement as compact JSON with keys sorted (nlohmann orders object keys).
// Text that is not valid UTF-8 is kInvalidInput (readers refuse it earlier).
Result<std::string> StatementBytes(const nlohmann::json& statement);

}  // namespace assay
