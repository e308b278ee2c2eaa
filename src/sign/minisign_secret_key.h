// minisign secret key files (jedisct1/minisign 0.11, src/minisign.h:
// SeckeyStruct). The second line is the base64 of 158 bytes:
//   "Ed" | KDF "Sc" (scrypt) or 00 00 (none) | "B2" | salt (32)
//   | opslimit (u64 LE) | memlimit (u64 LE)
//   | key id (8) | seed || public key (64) | BLAKE2b-256 checksum (32)
// The checksum covers "Ed" || key id || seed || public key. With scrypt, the
// last 104 bytes are XORed with crypto_pwhash_scryptsalsa208sha256(passphrase,
// salt, opslimit, memlimit). `minisign -G -W` (no passphrase) writes KDF
// 00 00 and leaves salt, limits and checksum all zero; this code writes the
// same bytes, and on reading accepts a zero checksum or a correct one.
//
// Every secret byte, including the file text of an unencrypted key, stays in
// SecretBytes. No error message contains key material.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "file_system.h"
#include "sign/ed25519_key.h"
#include "sign/minisign_key.h"
#include "sign/secret_bytes.h"
#include "status.h"

namespace assay {

struct ScryptLimits {
  uint64_t opslimit = 0;
  uint64_t memlimit = 0;  // bytes
};

// minisign's limits (libsodium's *_SENSITIVE): about 1 GiB and seconds to unlock.
inline constexpr ScryptLimits kMinisignScryptLimits{33554432, 1073741824};
// The smallest limits libsodium takes, milliseconds to unlock: for tests only.
inline constexpr ScryptLimits kTestScryptLimits{32768, 16777216};

// What minisign writes as the secret key file's untrusted comment.
inline constexpr std::string_view kMinisignSecretKeyComment = "minisign encrypted secret key";

// A key pair with its minisign key id. Move-only.
class MinisignSecretKey {
 public:
  // A new key and a new random key id, as `minisign -G` makes them.
  static MinisignSecretKey Generate();
  MinisignSecretKey(const MinisignKeyId& key_id, Ed25519SecretKey key)
      : key_id_(key_id), key_(std::move(key)) {}

  const MinisignKeyId& key_id() const { return key_id_; }
  const Ed25519SecretKey& key() const { return key_; }
  MinisignPublicKey public_key() const { return {key_id_, key_.public_key()}; }

 private:
  MinisignKeyId key_id_;
  Ed25519SecretKey key_;
};

struct MinisignKeyEncryption {
  // The bytes the user typed, without the line end (minisign strips it too).
  std::string_view passphrase;
  ScryptLimits limits = kMinisignScryptLimits;
};

// The whole secret key file, read into guarded memory. kIo naming `path` when
// it cannot be read; kInvalidInput when it is larger than any key file.
Result<SecretBytes> ReadMinisignSecretKeyFile(FileSystem& fs, const std::string& path);

// Whether the key in `file` is encrypted, so a caller knows to ask for a passphrase.
Result<bool> MinisignSecretKeyIsEncrypted(const SecretBytes& file);

// Decodes (and with scrypt, decrypts) a key file; `passphrase` is ignored for
// an unencrypted key. kInvalidInput for a malformed file, an unsupported
// algorithm, scrypt limits above minisign's own (1 GiB, 2^25 operations;
// refused before any key derivation), or a checksum mismatch, which
// for an encrypted key means "wrong passphrase or corrupted key"; kIo when
// the key derivation cannot get its memory. The caller names the file.
Result<MinisignSecretKey> DecodeMinisignSecretKeyFile(const SecretBytes& file,
                                                      std::string_view passphrase);

// Read and decode, errors naming `path`.
Result<MinisignSecretKey> LoadMinisignSecretKey(FileSystem& fs, const std::string& path,
                                                std::string_view passphrase);

// The key file text, encrypted with `encryption` or, without it, unencrypted as
// `minisign -G -W` writes it. Write it with mode 0600. kInvalidInput for a
// comment with a line break or over 1003 bytes, or limits libsodium refuses;
// kIo when the key derivation cannot get its memory.
Result<SecretBytes> EncodeMinisignSecretKeyFile(
    const MinisignSecretKey& key, const std::optional<MinisignKeyEncryption>& encryption,
    std::string_view untrusted_comment = kMinisignSecretKeyComment);

}  // namespace assay
