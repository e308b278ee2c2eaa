// Human and JSON renderers of the model operations' results (ops/attest_model.h,
// ops/verify_model.h). The JSON shapes are schema/cli/attest-model.schema.json
// and schema/cli/verify-model.schema.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ops/attest_model.h"
#include "ops/verify_model.h"

namespace assay {

// The summary: model, source, files, tensors, bytes, weights roots, hidden,
// opaque and skipped files, time; the record, signer, -o and ledger lines.
std::string RenderText(const AttestedModel& attested);
// The signed record (or bare statement) itself, as one line.
std::string RenderJson(const AttestedModel& attested);

std::string RenderText(const ModelVerification& verification);
nlohmann::json RenderJson(const ModelVerification& verification);

// The lines every publishing command ends with: "signed by  key ...", "written
// to FILE" for each file, and the ledger's acknowledgement.
std::string RenderPublication(const PublishedRecord& published);

// "NAME (FILE) dtype A -> B shape [..] -> [..] bytes": one tensor that differs.
std::string DescribeTensor(const TensorDifference& tensor);

// A manifest difference as verify model words it (missing and extra are the
// folder's view), for any command that holds a record against a folder.
std::string RenderFolderDifferences(const ManifestDiff& diff, const std::string& folder);
nlohmann::json FolderDifferencesJson(const ManifestDiff& diff);

// "safetensors, 21 tensors, rfc6962-sha256 root": what a weights root is over.
std::string WeightsRootKind(const WeightsRootRecord& root);

}  // namespace assay
