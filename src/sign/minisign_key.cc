#include "sign/minisign_key.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "sign/base64.h"
#include "sign/minisign_lines.h"

namespace assay {
namespace {

constexpr size_t kPublicKeyBlobSize = 2 + 8 + 32;
// A comment line of at most about 1 KiB and a 56-character key line.
constexpr uint64_t kMaxPublicKeyFileSize = 16 * 1024;

}  // namespace

std::string FormatMinisignKeyId(const MinisignKeyId& key_id) {
  uint64_t number = 0;
  for (size_t i = 0; i < key_id.size(); ++i) number |= uint64_t{key_id[i]} << (8 * i);
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIX64, number);
  return text;
}

std::string EncodeMinisignPublicKey(const MinisignPublicKey& key) {
  std::string blob(kSignatureAlgorithm);
  blob.append(key.key_id.begin(), key.key_id.end());
  blob.append(key.key.bytes().begin(), key.key.bytes().end());
  return EncodeBase64(blob);
}

Result<MinisignPublicKey> DecodeMinisignPublicKey(std::string_view text) {
  Result<std::string> blob = DecodeBase64(text);
  if (!blob.ok() || blob->size() != kPublicKeyBlobSize) {
    return Status::InvalidInput("not a minisign public key (expected base64 of " +
                                std::to_string(kPublicKeyBlobSize) + " bytes)");
  }
  if (!blob->starts_with(kSignatureAlgorithm)) {
    return Status::InvalidInput("unsupported public key algorithm (expected \"Ed\")");
  }
  MinisignKeyId key_id{};
  std::array<uint8_t, 32> public_bytes{};
  std::memcpy(key_id.data(), blob->data() + 2, key_id.size());
  std::memcpy(public_bytes.data(), blob->data() + 2 + key_id.size(), public_bytes.size());
  return MinisignPublicKey{key_id, Ed25519PublicKey(public_bytes)};
}

std::string FormatMinisignPublicKeyFile(const MinisignPublicKey& key) {
  return std::string(kUntrustedCommentPrefix) + "minisign public key " +
         FormatMinisignKeyId(key.key_id) + "\n" + EncodeMinisignPublicKey(key) + "\n";
}

Result<MinisignPublicKey> ParseMinisignPublicKeyFile(std::string_view text) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<std::string_view> lines,
                         SplitMinisignLines(text, 2, "public key file"));
  return DecodeMinisignPublicKey(lines[1]);
}

Result<MinisignPublicKey> LoadMinisignPublicKeyFile(FileSystem& fs, const std::string& path) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs, path, kMaxPublicKeyFileSize));
  Result<MinisignPublicKey> key = ParseMinisignPublicKeyFile(text);
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

}  // namespace assay
