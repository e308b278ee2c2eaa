// OpenSSH's forms of an Ed25519 public key: the wire blob
// (string "ssh-ed25519" || string(32-byte key), RFC 8709 section 4), the
// one-line .pub / authorized_keys form "ssh-ed25519 AAAA... comment", the
// SHA256 fingerprint `ssh-keygen -l` prints, and an allowed_signers line
// (ssh-keygen(1), section ALLOWED SIGNERS).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sign/ed25519_key.h"
#include "sign/utc_date.h"
#include "status.h"

namespace assay {

inline constexpr std::string_view kSshEd25519KeyType = "ssh-ed25519";

std::string SshPublicKeyBlob(const Ed25519PublicKey& key);
// kInvalidInput unless `blob` is exactly an ssh-ed25519 key blob.
Result<Ed25519PublicKey> ParseSshPublicKeyBlob(std::string_view blob);

// "SHA256:" + unpadded base64 of SHA-256(blob). Also assay's DSSE keyid, the
// id Go's DSSE verifiers compute for an SSH key (INTEROP.md).
std::string SshFingerprint(const Ed25519PublicKey& key);

// "ssh-ed25519 AAAA...", then " comment" when the comment is not empty.
std::string FormatSshPublicKeyLine(const Ed25519PublicKey& key, std::string_view comment);
// Reads such a line (a .pub file's content; a final line end is allowed).
// kInvalidInput for another key type or a malformed key.
Result<Ed25519PublicKey> ParseSshPublicKeyLine(std::string_view line);

struct AllowedSignerOptions {
  std::vector<std::string> namespaces;  // empty: any namespace
  std::optional<UtcDate> valid_after;   // written as YYYYMMDD with Z (UTC)
  std::optional<UtcDate> valid_before;
};

// One allowed_signers line, without a line end:
//   principal namespaces="git",valid-after="20240101Z" ssh-ed25519 AAAA...
// The caller keeps the principal and namespaces free of white space, quotes
// and commas (TrustFile's name grammar does).
std::string FormatAllowedSignersLine(std::string_view principal,
                                     const AllowedSignerOptions& options,
                                     const Ed25519PublicKey& key);

}  // namespace assay
