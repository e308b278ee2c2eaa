// Human and JSON renderers of `assay history` (ops/history_ops.h).
#pragma once

#include <string>

#include "ops/history_ops.h"

namespace assay {

std::string RenderText(const ModelHistory& history);
// schema/cli/history.schema.json
std::string RenderJson(const ModelHistory& history);

}  // namespace assay
