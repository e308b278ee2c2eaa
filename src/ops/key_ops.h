// assay key generate | show | export-public: the signer's own Ed25519 key,
// kept in minisign's file formats so minisign reads it (docs/spec/signing.md,
// Keys; docs/usage.md). The key's path comes from the request or, when it
// names none, from Context::paths.key_file; a passphrase from the key ring.
#pragma once

#include <string>

#include "ops/context.h"
#include "sign/minisign_key.h"
#include "status.h"

namespace assay {

struct GenerateKeyRequest {
  std::string key_file;  // the secret key; empty: context.paths.key_file
  bool unencrypted = false;
  bool force = false;  // replace an existing key (the old one is lost)
  // scrypt's smallest limits, so tests of encrypted keys take milliseconds
  // instead of seconds and 1 GiB. Never for a real key.
  bool weak_kdf_for_tests = false;
};

// A public key and where its files are.
struct KeySummary {
  MinisignPublicKey key;
  std::string public_key_file;
  std::string secret_key_file;  // empty: none beside the .pub (or a .pub was named)
};

struct GeneratedKey {
  KeySummary summary;
  bool unencrypted = false;
  bool weak_kdf = false;
};

// Makes a key pair at the key file and its .pub (PublicKeyPathFor), in a
// private folder made when missing. Refuses (kInvalidInput) to replace either
// without `force`, checked before the passphrase is asked for and again,
// atomically, by the write; leaves neither file when the second write fails.
// Warns when the key is unencrypted or weakly encrypted.
Result<GeneratedKey> GenerateKey(Context& context, const GenerateKeyRequest& request);

// `key`: a secret key file, whose .pub beside it is read, or the .pub
// itself; empty: context.paths.key_file.
struct ShowKeyRequest {
  std::string key;
};

// The public key; the secret key file is named when it lies beside the
// .pub, and is never read. kIo, with a hint, when there is no .pub.
Result<KeySummary> ShowKey(Context& context, const ShowKeyRequest& request);

struct ExportPublicKeyRequest {
  std::string key;                 // as ShowKeyRequest::key
  std::string format = "minisign";  // minisign (a .pub file), ssh, allowed-signers
  std::string name;                // principal (allowed-signers) or comment (ssh)
  std::string output_path;         // empty: only returned
  bool force = false;              // replace an existing output file
};

struct ExportedPublicKey {
  std::string text;
  std::string written_to;  // the output file, or empty
};

// kInvalidInput for --name with the minisign format, allowed-signers
// without a name or with one the trust file's grammar refuses, or an output
// file that exists without `force`.
Result<ExportedPublicKey> ExportPublicKey(Context& context, const ExportPublicKeyRequest& request);

// The comment assay gives a key's OpenSSH line, so the line says where it
// came from: "assay:KEYID".
std::string SshCommentFor(const MinisignPublicKey& key);

}  // namespace assay
