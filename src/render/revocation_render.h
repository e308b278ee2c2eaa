// Human and JSON renderers of `assay attest revocation` (ops/revocation_ops.h),
// and how every reader marks a withdrawn record.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ops/revocation_ops.h"

namespace assay {

std::string RenderText(const AttestedRevocation& attested);
std::string RenderJson(const AttestedRevocation& attested);  // the signed record

// " WITHDRAWN by NAME (revocation ID16): REASON[; superseded by ID16]", or
// "" when `revocation` is null: appended to the line that shows the record.
std::string WithdrawnText(const JudgedRevocation* revocation);
// {"by", "revocation", "reason", "supersededBy"}, or null.
nlohmann::json WithdrawnJson(const JudgedRevocation* revocation);

}  // namespace assay
