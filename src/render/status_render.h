// Human and JSON renderers of `assay status` (ops/model_status.h). The JSON
// shape is schema/cli/status.schema.json.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ops/model_status.h"

namespace assay {

// The model, its record and weights root, the uploads that share the root
// and those that do not, then per claim a table: the claimed score and its
// signer, each reproduction's score, difference in points and in standard
// errors, and verdict (with why it is not counted, when it is not).
std::string RenderText(const ModelStatus& status);
// "acme/tiny @ v1", or the name alone for an upload without a revision.
std::string UploadName(const Upload& upload);
nlohmann::json RenderJson(const ModelStatus& status);

}  // namespace assay
