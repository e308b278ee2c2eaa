// UTF-8 validity (RFC 3629): names and paths end up in signed JSON, which
// must be valid UTF-8, so input that is not is refused where it enters.
#pragma once

#include <string_view>

namespace assay {

// No overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text);

}  // namespace assay
