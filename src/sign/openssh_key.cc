#include "sign/openssh_key.h"

#include <cstring>

#include "digest/sha256.h"
#include "sign/base64.h"
#include "sign/bytes.h"
#include "sign/ssh_wire.h"

namespace assay {

std::string SshPublicKeyBlob(const Ed25519PublicKey& key) {
  std::string blob;
  AppendSshString(blob, kSshEd25519KeyType);
  AppendSshString(blob, AsText(key.bytes()));
  return blob;
}

Result<Ed25519PublicKey> ParseSshPublicKeyBlob(std::string_view blob) {
  SshWireReader reader(blob);
  std::string_view type;
  std::string_view key_bytes;
  if (!reader.ReadString(type)) return Status::InvalidInput("ssh public key blob is truncated");
  if (type != kSshEd25519KeyType) {
    return Status::InvalidInput("unsupported ssh key type (expected ssh-ed25519)");
  }
  if (!reader.ReadString(key_bytes) || key_bytes.size() != 32 || !reader.AtEnd()) {
    return Status::InvalidInput("malformed ssh-ed25519 public key blob");
  }
  std::array<uint8_t, 32> bytes{};
  std::memcpy(bytes.data(), key_bytes.data(), bytes.size());
  return Ed25519PublicKey(bytes);
}

std::string SshFingerprint(const Ed25519PublicKey& key) {
  return "SHA256:" + EncodeBase64Unpadded(Sha256::Of(SshPublicKeyBlob(key)));
}

std::string FormatSshPublicKeyLine(const Ed25519PublicKey& key, std::string_view comment) {
  std::string line = std::string(kSshEd25519KeyType) + " " + EncodeBase64(SshPublicKeyBlob(key));
  if (!comment.empty()) line += " " + std::string(comment);
  return line;
}

Result<Ed25519PublicKey> ParseSshPublicKeyLine(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.find('\n') != std::string_view::npos) {
    return Status::InvalidInput("ssh public key must be one line");
  }
  size_t type_end = line.find(' ');
  if (type_end == std::string_view::npos) {
    return Status::InvalidInput("not an ssh public key line (expected \"ssh-ed25519 AAAA...\")");
  }
  std::string_view type = line.substr(0, type_end);
  if (type != kSshEd25519KeyType) {
    return Status::InvalidInput("unsupported ssh key type '" + std::string(type) +
                                "' (expected ssh-ed25519)");
  }
  std::string_view rest = line.substr(type_end + 1);
  std::string_view encoded = rest.substr(0, rest.find(' '));  // the comment follows, if any
  Result<std::string> blob = DecodeBase64(encoded);
  if (!blob.ok()) return Status::InvalidInput("ssh public key is not valid base64");
  ASSAY_ASSIGN_OR_RETURN(Ed25519PublicKey key, ParseSshPublicKeyBlob(*blob));
  return key;
}

std::string FormatAllowedSignersLine(std::string_view principal,
                                     const AllowedSignerOptions& options,
                                     const Ed25519PublicKey& key) {
  std::vector<std::string> fields;
  if (!options.namespaces.empty()) {
    std::string list;
    for (const std::string& name : options.namespaces) list += (list.empty() ? "" : ",") + name;
    fields.push_back("namespaces=\"" + list + "\"");
  }
  // The Z suffix makes ssh-keygen read the date as UTC rather than local time.
  if (options.valid_after) {
    fields.push_back("valid-after=\"" + options.valid_after->ToCompact() + "Z\"");
  }
  if (options.valid_before) {
    fields.push_back("valid-before=\"" + options.valid_before->ToCompact() + "Z\"");
  }
  std::string line(principal);
  if (!fields.empty()) {
    line += ' ';
    for (size_t i = 0; i < fields.size(); ++i) line += (i == 0 ? "" : ",") + fields[i];
  }
  return line + " " + FormatSshPublicKeyLine(key, "");
}

}  // namespace assay
