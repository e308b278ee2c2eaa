// minisign public keys and key ids (jedisct1/minisign, src/minisign.h:
// PubkeyStruct). A public key is the base64 of
//   "Ed" || key id (8 bytes) || Ed25519 public key (32 bytes)
// and a public key file is that line after an untrusted comment line:
//   untrusted comment: minisign public key 6478672D87C83B1D
//   RWQdO8iHLWd4ZDetf+92DyNq+5RV1lWvXhComtH1wvut41lPbTGpguwi
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "file_system.h"
#include "sign/ed25519_key.h"
#include "status.h"

namespace assay {

// 8 random bytes minisign draws when it makes a key; signatures name their key by it.
using MinisignKeyId = std::array<uint8_t, 8>;

// The key id as minisign prints it: the bytes read as a little-endian 64-bit
// number, in 16 upper-case hex digits (so the bytes appear reversed).
std::string FormatMinisignKeyId(const MinisignKeyId& key_id);

struct MinisignPublicKey {
  MinisignKeyId key_id;
  Ed25519PublicKey key;
};

// The one-line base64 form ("RWQ..."), as `minisign -P` takes it.
std::string EncodeMinisignPublicKey(const MinisignPublicKey& key);
// kInvalidInput unless `text` is exactly that form with algorithm "Ed".
Result<MinisignPublicKey> DecodeMinisignPublicKey(std::string_view text);

// The two-line .pub file minisign writes, ending in a newline.
std::string FormatMinisignPublicKeyFile(const MinisignPublicKey& key);
// Reads a .pub file: an untrusted comment line, the key line, then nothing but
// blank lines. Accepts LF or CRLF line ends. kInvalidInput otherwise; the
// caller names the file.
Result<MinisignPublicKey> ParseMinisignPublicKeyFile(std::string_view text);
// Reads and parses a .pub file; errors name `path` (kIo when it cannot be read).
Result<MinisignPublicKey> LoadMinisignPublicKeyFile(FileSystem& fs, const std::string& path);

}  // namespace assay
