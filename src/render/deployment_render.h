// Human and JSON renderers of `assay attest deployment` (ops/deployment_ops.h).
#pragma once

#include <string>

#include "ops/deployment_ops.h"

namespace assay {

std::string RenderText(const AttestedDeployment& attested);
std::string RenderJson(const AttestedDeployment& attested);  // the signed record

}  // namespace assay
