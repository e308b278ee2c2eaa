// Base64 (RFC 4648) as the signing formats use it: minisign and OpenSSH write
// the standard alphabet with padding; DSSE readers must also accept the
// URL-safe alphabet and missing padding (dsse/protocol.md). Decoding is strict
// otherwise: no white space, no stray characters, no non-zero trailing bits.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "status.h"

namespace assay {

// Standard alphabet, padded.
std::string EncodeBase64(std::span<const uint8_t> bytes);
std::string EncodeBase64(std::string_view bytes);
// Standard alphabet without padding, as OpenSSH fingerprints are written.
std::string EncodeBase64Unpadded(std::span<const uint8_t> bytes);

// Encodes `bytes` (standard, padded) into `out` and returns the text length.
// `out` needs one byte more than the text, for the NUL libsodium writes after
// it: for secrets, which must not pass through a std::string.
size_t EncodeBase64Into(std::span<const uint8_t> bytes, std::span<uint8_t> out);
// The length of the standard padded base64 of `size` bytes.
size_t Base64EncodedLength(size_t size);

// Standard alphabet, padded (minisign, OpenSSH). kInvalidInput otherwise.
Result<std::string> DecodeBase64(std::string_view text);
// Standard or URL-safe alphabet, padded or not (DSSE). kInvalidInput otherwise.
Result<std::string> DecodeBase64AnyVariant(std::string_view text);

// Decodes standard padded base64 into `out`, which must be exactly the decoded
// size: for secrets, which must not pass through a std::string.
Status DecodeBase64Into(std::string_view text, std::span<uint8_t> out);

}  // namespace assay
