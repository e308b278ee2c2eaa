// SSH signatures (openssh-portable PROTOCOL.sshsig) with Ed25519 keys: what
// `ssh-keygen -Y sign` writes and `ssh-keygen -Y verify` and git check. The
// signature signs
//   "SSHSIG" || string(namespace) || string("") || string(hash name) || string(H(message))
// and the armored blob is
//   "SSHSIG" || uint32 1 || string(public key blob) || string(namespace)
//   || string(reserved) || string(hash name) || string(signature blob)
// in base64 wrapped at 70 columns between BEGIN/END SSH SIGNATURE lines.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "sign/ed25519_key.h"
#include "status.h"

namespace assay {

// The namespace git uses for commit and tag signatures.
inline constexpr std::string_view kGitSshsigNamespace = "git";

struct SshSignature {
  Ed25519PublicKey key;  // the key the blob says signed (not yet checked)
  std::string sig_namespace;
  std::string hash_algorithm;  // "sha512" or "sha256"
  Ed25519Signature signature;
};

// The armored signature of `message`, hashed with SHA-512 as ssh-keygen does,
// ending in a newline. kInvalidInput for an empty namespace.
Result<std::string> SignSshsig(const Ed25519SecretKey& key, std::string_view sig_namespace,
                               std::string_view message);

// The fields of an armored signature; checks the shape only. kInvalidInput for
// a malformed armor or blob, a version other than 1, a key other than
// ssh-ed25519, or a hash other than sha512/sha256.
Result<SshSignature> ParseSshsig(std::string_view armored);

// Verifies an armored signature of `message` in `sig_namespace` and returns the
// index in `keys` of the key that made it. kInvalidInput when malformed;
// kCheckFailed when the namespace differs, the signing key is not in `keys`,
// or the signature does not verify.
Result<size_t> VerifySshsig(std::string_view armored, std::string_view sig_namespace,
                            std::string_view message, std::span<const Ed25519PublicKey> keys);

}  // namespace assay
