// minisign signatures, the .minisig file (jedisct1/minisign 0.11, src/minisign.c
// sign() and verify()):
//   untrusted comment: <text>
//   base64("ED" | key id (8) | Ed25519 signature (64))
//   trusted comment: <text>
//   base64(global signature (64))
// "ED" signs the BLAKE2b-512 of the file (prehashed, minisign's default since
// 0.8); legacy "Ed" signs the file itself. The global signature signs the
// 64-byte file signature followed by the trusted comment text (no prefix, no
// line end), so the trusted comment cannot change without the secret key.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "file_system.h"
#include "sign/ed25519_key.h"
#include "sign/minisign_key.h"
#include "sign/minisign_secret_key.h"
#include "status.h"

namespace assay {

using Blake2b512Digest = std::array<uint8_t, 64>;

// Streaming BLAKE2b-512 (unkeyed), the prehash of an "ED" signature.
// Not thread-safe: one hasher per thread.
class MinisignPrehasher {
 public:
  MinisignPrehasher();
  void Update(std::span<const uint8_t> bytes);
  void Update(std::string_view bytes);
  // Ends the hash; the hasher must not be updated afterwards.
  Blake2b512Digest Finish();

 private:
  alignas(64) std::array<uint8_t, 384> state_;  // crypto_generichash_state
};

// The prehash of a whole file, read in bounded chunks whatever its size.
Result<Blake2b512Digest> PrehashFile(const RandomAccessFile& file);

enum class MinisignAlgorithm {
  kPrehashed,  // "ED"
  kLegacy,     // "Ed"
};

struct MinisignSignature {
  MinisignAlgorithm algorithm = MinisignAlgorithm::kPrehashed;
  MinisignKeyId key_id{};
  Ed25519Signature signature{};
  std::string untrusted_comment;  // without "untrusted comment: "
  std::string trusted_comment;    // without "trusted comment: "
  Ed25519Signature global_signature{};
};

// Parses a .minisig file (LF or CRLF). Checks the shape only; nothing is
// verified. kInvalidInput; the caller names the file.
Result<MinisignSignature> ParseMinisignSignature(std::string_view text);
// The .minisig text, four lines each ending in a newline.
std::string FormatMinisignSignature(const MinisignSignature& signature);

// A prehashed ("ED") signature of the file whose BLAKE2b-512 is `prehash`, as
// `minisign -S` makes. kInvalidInput when a comment holds a line break or is
// longer than minisign reads (1003 bytes untrusted, 8173 trusted).
Result<MinisignSignature> SignMinisign(const MinisignSecretKey& key,
                                       const Blake2b512Digest& prehash,
                                       std::string_view trusted_comment,
                                       std::string_view untrusted_comment);

// Verifies `signature` of `message` (either algorithm), trusted comment
// included, as `minisign -V` does. kCheckFailed naming the reason: the key ids
// differ, the signature or the trusted comment's signature does not verify.
Status VerifyMinisign(const MinisignPublicKey& key, const MinisignSignature& signature,
                      std::string_view message);
// The same for a file: streamed for "ED"; a legacy "Ed" signature needs the
// whole file in memory and is refused (kInvalidInput) above 1 GiB, as minisign did.
Status VerifyMinisignFile(const MinisignPublicKey& key, const MinisignSignature& signature,
                          const RandomAccessFile& file);
// The same given the file's prehash; kInvalidInput for a legacy signature.
Status VerifyMinisignPrehashed(const MinisignPublicKey& key, const MinisignSignature& signature,
                               const Blake2b512Digest& prehash);

}  // namespace assay
