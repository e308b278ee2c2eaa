// Human and JSON renderers of `assay attest comparison` (ops/comparison_ops.h).
#pragma once

#include <string>

#include "ops/comparison_ops.h"

namespace assay {

std::string RenderText(const AttestedComparison& attested);
std::string RenderJson(const AttestedComparison& attested);  // the signed record

}  // namespace assay
