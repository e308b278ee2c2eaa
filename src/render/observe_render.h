// Human and JSON renderers of `assay observe` (ops/observe_ops.h).
#pragma once

#include <string>

#include "ops/observe_ops.h"

namespace assay {

std::string RenderText(const ObserveOutcome& outcome);
// schema/cli/observe.schema.json
std::string RenderJson(const ObserveOutcome& outcome);

}  // namespace assay
