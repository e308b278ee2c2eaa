// A record's id (DESIGN.md, Records): the lowercase hex SHA-256 of its
// payload, the exact statement bytes that were signed, so it does not depend
// on the envelope's encoding or its signatures.
#pragma once

#include <string>
#include <string_view>

#include "digest/sha256.h"
#include "record/record_id.h"

namespace assay {

inline std::string RecordId(std::string_view payload) { return ToHex(Sha256::Of(payload)); }

}  // namespace assay
