// UTF-8 validity (RFC 3629): names and paths end up in signed JSON, which
// must be valid UTF-8, so input that is not is refused where it enters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace assay {

// No overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text);

// The length of the valid UTF-8 sequence at text[i], with its code point in
// `code_point`; 0 when the bytes there are not one (precondition: i < size).
size_t DecodeUtf8At(std::string_view text, size_t i, uint32_t& code_point);

}  // namespace assay
