#include "sign/sshsig.h"

#include <sodium.h>

#include <cstring>

#include "digest/sha256.h"
#include "sign/base64.h"
#include "sign/bytes.h"
#include "sign/openssh_key.h"
#include "sign/sodium_runtime.h"
#include "sign/ssh_wire.h"

namespace assay {
namespace {

constexpr std::string_view kMagic = "SSHSIG";
constexpr uint32_t kVersion = 1;
constexpr std::string_view kBegin = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view kEnd = "-----END SSH SIGNATURE-----";
constexpr size_t kLineLength = 70;  // sshsig.c writes 70 columns (PROTOCOL.sshsig says 76)
constexpr std::string_view kSha512 = "sha512";
constexpr std::string_view kSha256 = "sha256";

// H(message) for the named hash; the name has been checked.
std::string HashMessage(std::string_view hash_algorithm, std::string_view message) {
  if (hash_algorithm == kSha256) return std::string(AsText(Sha256::Of(message)));
  EnsureSodium();
  std::array<uint8_t, crypto_hash_sha512_BYTES> digest{};
  crypto_hash_sha512(digest.data(), AsBytes(message).data(), message.size());
  return std::string(AsText(digest));
}

// The bytes the Ed25519 signature covers (PROTOCOL.sshsig section 3).
std::string SignedData(std::string_view sig_namespace, std::string_view hash_algorithm,
                       std::string_view message) {
  std::string data(kMagic);
  AppendSshString(data, sig_namespace);
  AppendSshString(data, "");  // reserved
  AppendSshString(data, hash_algorithm);
  AppendSshString(data, HashMessage(hash_algorithm, message));
  return data;
}

std::string Armor(std::string_view blob) {
  std::string encoded = EncodeBase64(blob);
  std::string armored = std::string(kBegin) + "\n";
  for (size_t i = 0; i < encoded.size(); i += kLineLength) {
    armored += encoded.substr(i, kLineLength) + "\n";
  }
  return armored + std::string(kEnd) + "\n";
}

// The blob between the armor lines.
Result<std::string> Dearmor(std::string_view armored) {
  if (!armored.starts_with(kBegin)) {
    return Status::InvalidInput("ssh signature does not start with \"" + std::string(kBegin) +
                                "\"");
  }
  size_t end = armored.find(kEnd);
  if (end == std::string_view::npos) {
    return Status::InvalidInput("ssh signature has no \"" + std::string(kEnd) + "\" line");
  }
  if (armored.substr(end + kEnd.size()).find_first_not_of("\r\n") != std::string_view::npos) {
    return Status::InvalidInput("ssh signature has text after its end line");
  }
  std::string encoded;
  for (char c : armored.substr(kBegin.size(), end - kBegin.size())) {
    if (c != '\n' && c != '\r') encoded.push_back(c);
  }
  Result<std::string> blob = DecodeBase64(encoded);
  if (!blob.ok()) return Status::InvalidInput("ssh signature is not valid base64");
  return blob;
}

// The signature blob inside the SSHSIG blob: string("ssh-ed25519") || string(64 bytes).
Result<Ed25519Signature> ParseSignatureBlob(std::string_view blob) {
  SshWireReader reader(blob);
  std::string_view type;
  std::string_view bytes;
  if (!reader.ReadString(type) || type != kSshEd25519KeyType || !reader.ReadString(bytes) ||
      bytes.size() != 64 || !reader.AtEnd()) {
    return Status::InvalidInput("ssh signature holds a malformed ssh-ed25519 signature");
  }
  Ed25519Signature signature{};
  std::memcpy(signature.data(), bytes.data(), signature.size());
  return signature;
}

}  // namespace

Result<std::string> SignSshsig(const Ed25519SecretKey& key, std::string_view sig_namespace,
                               std::string_view message) {
  if (sig_namespace.empty()) {
    return Status::InvalidInput("ssh signature namespace must not be empty");
  }
  Ed25519Signature signature = key.Sign(SignedData(sig_namespace, kSha512, message));
  std::string signature_blob;
  AppendSshString(signature_blob, kSshEd25519KeyType);
  AppendSshString(signature_blob, AsText(signature));

  std::string blob(kMagic);
  AppendSshU32(blob, kVersion);
  AppendSshString(blob, SshPublicKeyBlob(key.public_key()));
  AppendSshString(blob, sig_namespace);
  AppendSshString(blob, "");  // reserved
  AppendSshString(blob, kSha512);
  AppendSshString(blob, signature_blob);
  return Armor(blob);
}

Result<SshSignature> ParseSshsig(std::string_view armored) {
  ASSAY_ASSIGN_OR_RETURN(std::string blob, Dearmor(armored));
  SshWireReader reader(blob);
  std::string_view magic, key_blob, sig_namespace, reserved, hash_algorithm, signature_blob;
  uint32_t version = 0;
  if (!reader.ReadRaw(kMagic.size(), magic) || magic != kMagic || !reader.ReadU32(version)) {
    return Status::InvalidInput("not an ssh signature (no SSHSIG preamble)");
  }
  if (version != kVersion) {
    return Status::InvalidInput("unsupported ssh signature version " + std::to_string(version));
  }
  // The reserved field is ignored, as PROTOCOL.sshsig asks; trailing bytes are
  // refused, as sshsig.c does.
  if (!reader.ReadString(key_blob) || !reader.ReadString(sig_namespace) ||
      !reader.ReadString(reserved) || !reader.ReadString(hash_algorithm) ||
      !reader.ReadString(signature_blob) || !reader.AtEnd()) {
    return Status::InvalidInput("malformed ssh signature blob");
  }
  if (hash_algorithm != kSha512 && hash_algorithm != kSha256) {
    return Status::InvalidInput("unsupported ssh signature hash '" + std::string(hash_algorithm) +
                                "' (expected sha512 or sha256)");
  }
  ASSAY_ASSIGN_OR_RETURN(Ed25519PublicKey key, ParseSshPublicKeyBlob(key_blob));
  ASSAY_ASSIGN_OR_RETURN(Ed25519Signature signature, ParseSignatureBlob(signature_blob));
  return SshSignature{key, std::string(sig_namespace), std::string(hash_algorithm), signature};
}

Result<size_t> VerifySshsig(std::string_view armored, std::string_view sig_namespace,
                            std::string_view message, std::span<const Ed25519PublicKey> keys) {
  ASSAY_ASSIGN_OR_RETURN(SshSignature parsed, ParseSshsig(armored));
  if (parsed.sig_namespace != sig_namespace) {
    return Status::CheckFailed("ssh signature is for namespace '" + parsed.sig_namespace +
                               "', not '" + std::string(sig_namespace) + "'");
  }
  size_t index = 0;
  while (index < keys.size() && keys[index] != parsed.key) ++index;
  if (index == keys.size()) {
    return Status::CheckFailed("ssh signature was made by an unknown key " +
                               SshFingerprint(parsed.key));
  }
  if (!parsed.key.Verify(SignedData(sig_namespace, parsed.hash_algorithm, message),
                         parsed.signature)) {
    return Status::CheckFailed("ssh signature verification failed");
  }
  return index;
}

}  // namespace assay
