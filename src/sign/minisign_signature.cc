#include "sign/minisign_signature.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "sign/base64.h"
#include "sign/bytes.h"
#include "sign/minisign_lines.h"
#include "sign/sodium_runtime.h"

namespace assay {
namespace {

constexpr std::string_view kPrehashedAlgorithm = "ED";
constexpr std::string_view kLegacyAlgorithm = "Ed";
constexpr size_t kSignatureLineSize = 2 + 8 + 64;
constexpr uint64_t kPrehashChunkSize = 1 << 20;
constexpr uint64_t kMaxLegacyMessageSize = uint64_t{1} << 30;

auto* State(std::array<uint8_t, 384>& opaque) {
  return reinterpret_cast<crypto_generichash_state*>(opaque.data());
}

Status CheckComment(std::string_view comment, size_t max_size, std::string_view which) {
  if (comment.find_first_of("\r\n") != std::string_view::npos) {
    return Status::InvalidInput(std::string(which) + " comment must be one line");
  }
  if (comment.size() > max_size) {
    return Status::InvalidInput(std::string(which) + " comment is longer than " +
                                std::to_string(max_size) + " bytes");
  }
  return Status::Ok();
}

// What the global signature signs: the file signature, then the trusted comment.
std::string GlobalSignedBytes(const MinisignSignature& signature) {
  std::string bytes(AsText(signature.signature));
  bytes += signature.trusted_comment;
  return bytes;
}

Status CheckKeyId(const MinisignPublicKey& key, const MinisignSignature& signature) {
  if (signature.key_id == key.key_id) return Status::Ok();
  return Status::CheckFailed("signature was made by key " + FormatMinisignKeyId(signature.key_id) +
                             ", not by public key " + FormatMinisignKeyId(key.key_id));
}

// Both signatures, given the bytes the file signature signs.
Status VerifySignedBytes(const MinisignPublicKey& key, const MinisignSignature& signature,
                         std::span<const uint8_t> signed_bytes) {
  ASSAY_RETURN_IF_ERROR(CheckKeyId(key, signature));
  if (!key.key.Verify(signed_bytes, signature.signature)) {
    return Status::CheckFailed("signature verification failed");
  }
  if (!key.key.Verify(GlobalSignedBytes(signature), signature.global_signature)) {
    return Status::CheckFailed("trusted comment signature verification failed");
  }
  return Status::Ok();
}

Result<Ed25519Signature> DecodeGlobalSignature(std::string_view line) {
  Result<std::string> bytes = DecodeBase64(line);
  if (!bytes.ok() || bytes->size() != 64) {
    return Status::InvalidInput("signature: fourth line is not the base64 of 64 bytes");
  }
  Ed25519Signature signature{};
  std::memcpy(signature.data(), bytes->data(), signature.size());
  return signature;
}

}  // namespace

MinisignPrehasher::MinisignPrehasher() {
  static_assert(sizeof(crypto_generichash_state) == sizeof(state_));
  EnsureSodium();
  crypto_generichash_init(State(state_), nullptr, 0, crypto_generichash_BYTES_MAX);
}

void MinisignPrehasher::Update(std::span<const uint8_t> bytes) {
  crypto_generichash_update(State(state_), bytes.data(), bytes.size());
}

void MinisignPrehasher::Update(std::string_view bytes) { Update(AsBytes(bytes)); }

Blake2b512Digest MinisignPrehasher::Finish() {
  Blake2b512Digest digest{};
  crypto_generichash_final(State(state_), digest.data(), digest.size());
  return digest;
}

Result<Blake2b512Digest> PrehashFile(const RandomAccessFile& file) {
  MinisignPrehasher hasher;
  std::vector<uint8_t> chunk(static_cast<size_t>(std::min(file.size(), kPrehashChunkSize)));
  for (uint64_t offset = 0; offset < file.size(); offset += chunk.size()) {
    std::span<uint8_t> part(
        chunk.data(), static_cast<size_t>(std::min<uint64_t>(chunk.size(), file.size() - offset)));
    ASSAY_RETURN_IF_ERROR(file.ReadExactly(offset, part));
    hasher.Update(part);
  }
  return hasher.Finish();
}

Result<MinisignSignature> ParseMinisignSignature(std::string_view text) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<std::string_view> lines,
                         SplitMinisignLines(text, 4, "signature"));
  MinisignSignature signature;
  signature.untrusted_comment = lines[0].substr(kUntrustedCommentPrefix.size());

  Result<std::string> signature_line = DecodeBase64(lines[1]);
  if (!signature_line.ok() || signature_line->size() != kSignatureLineSize) {
    return Status::InvalidInput("signature: second line is not the base64 of " +
                                std::to_string(kSignatureLineSize) + " bytes");
  }
  std::string_view algorithm = std::string_view(*signature_line).substr(0, 2);
  if (algorithm == kPrehashedAlgorithm) {
    signature.algorithm = MinisignAlgorithm::kPrehashed;
  } else if (algorithm == kLegacyAlgorithm) {
    signature.algorithm = MinisignAlgorithm::kLegacy;
  } else {
    return Status::InvalidInput("signature: unsupported algorithm (expected \"ED\" or \"Ed\")");
  }
  std::memcpy(signature.key_id.data(), signature_line->data() + 2, signature.key_id.size());
  std::memcpy(signature.signature.data(), signature_line->data() + 10, signature.signature.size());

  if (!lines[2].starts_with(kTrustedCommentPrefix)) {
    return Status::InvalidInput("signature: third line does not start with \"" +
                                std::string(kTrustedCommentPrefix) + "\"");
  }
  signature.trusted_comment = lines[2].substr(kTrustedCommentPrefix.size());
  if (signature.trusted_comment.size() > kMaxTrustedCommentSize) {
    return Status::InvalidInput("signature: trusted comment is longer than " +
                                std::to_string(kMaxTrustedCommentSize) + " bytes");
  }
  ASSAY_ASSIGN_OR_RETURN(signature.global_signature, DecodeGlobalSignature(lines[3]));
  return signature;
}

std::string FormatMinisignSignature(const MinisignSignature& signature) {
  std::string signature_line(signature.algorithm == MinisignAlgorithm::kPrehashed
                                 ? kPrehashedAlgorithm
                                 : kLegacyAlgorithm);
  signature_line += AsText(signature.key_id);
  signature_line += AsText(signature.signature);
  return std::string(kUntrustedCommentPrefix) + signature.untrusted_comment + "\n" +
         EncodeBase64(signature_line) + "\n" + std::string(kTrustedCommentPrefix) +
         signature.trusted_comment + "\n" + EncodeBase64(signature.global_signature) + "\n";
}

Result<MinisignSignature> SignMinisign(const MinisignSecretKey& key,
                                       const Blake2b512Digest& prehash,
                                       std::string_view trusted_comment,
                                       std::string_view untrusted_comment) {
  ASSAY_RETURN_IF_ERROR(CheckComment(trusted_comment, kMaxTrustedCommentSize, "trusted"));
  ASSAY_RETURN_IF_ERROR(CheckComment(untrusted_comment, kMaxUntrustedCommentSize, "untrusted"));
  MinisignSignature signature;
  signature.algorithm = MinisignAlgorithm::kPrehashed;
  signature.key_id = key.key_id();
  signature.untrusted_comment = untrusted_comment;
  signature.trusted_comment = trusted_comment;
  signature.signature = key.key().Sign(prehash);
  signature.global_signature = key.key().Sign(GlobalSignedBytes(signature));
  return signature;
}

Status VerifyMinisign(const MinisignPublicKey& key, const MinisignSignature& signature,
                      std::string_view message) {
  if (signature.algorithm == MinisignAlgorithm::kLegacy) {
    return VerifySignedBytes(key, signature, AsBytes(message));
  }
  MinisignPrehasher hasher;
  hasher.Update(message);
  return VerifySignedBytes(key, signature, hasher.Finish());
}

Status VerifyMinisignFile(const MinisignPublicKey& key, const MinisignSignature& signature,
                          const RandomAccessFile& file) {
  // The key id is checked before the file is read, so a wrong key fails fast.
  ASSAY_RETURN_IF_ERROR(CheckKeyId(key, signature));
  if (signature.algorithm == MinisignAlgorithm::kPrehashed) {
    ASSAY_ASSIGN_OR_RETURN(Blake2b512Digest prehash, PrehashFile(file));
    return VerifySignedBytes(key, signature, prehash);
  }
  if (file.size() > kMaxLegacyMessageSize) {
    return Status::InvalidInput(file.path() +
                                ": legacy (non-prehashed) signatures of files over 1 GiB are not "
                                "supported");
  }
  std::vector<uint8_t> message(static_cast<size_t>(file.size()));
  ASSAY_RETURN_IF_ERROR(file.ReadExactly(0, message));
  return VerifySignedBytes(key, signature, message);
}

Status VerifyMinisignPrehashed(const MinisignPublicKey& key, const MinisignSignature& signature,
                               const Blake2b512Digest& prehash) {
  if (signature.algorithm == MinisignAlgorithm::kLegacy) {
    return Status::InvalidInput("a legacy (non-prehashed) signature needs the file itself");
  }
  return VerifySignedBytes(key, signature, prehash);
}

}  // namespace assay
