// Ed25519 (RFC 8032) keys through libsodium. A secret key lives in guarded
// memory (SecretBytes) in libsodium's 64-byte form, seed || public key, which
// is also the form minisign stores.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include "sign/secret_bytes.h"
#include "status.h"

namespace assay {

inline constexpr size_t kEd25519SeedSize = 32;
inline constexpr size_t kEd25519SecretKeySize = 64;  // seed || public key
using Ed25519Signature = std::array<uint8_t, 64>;

// A public key: plain bytes, freely copied. Thread-safe.
class Ed25519PublicKey {
 public:
  explicit Ed25519PublicKey(const std::array<uint8_t, 32>& bytes) : bytes_(bytes) {}

  const std::array<uint8_t, 32>& bytes() const { return bytes_; }

  // True when `signature` is a valid signature of `message` by this key.
  // libsodium rejects non-canonical signatures and small-order keys.
  bool Verify(std::span<const uint8_t> message, const Ed25519Signature& signature) const;
  bool Verify(std::string_view message, const Ed25519Signature& signature) const;

  friend bool operator==(const Ed25519PublicKey&, const Ed25519PublicKey&) = default;

 private:
  std::array<uint8_t, 32> bytes_;
};

// A secret key. Move-only; signing is thread-safe.
class Ed25519SecretKey {
 public:
  // A new key from the operating system's randomness.
  static Ed25519SecretKey Generate();
  // The key a 32-byte seed determines (RFC 8032 section 5.1.5); for test vectors
  // and for keys whose seed is already in guarded memory.
  static Ed25519SecretKey FromSeed(std::span<const uint8_t, kEd25519SeedSize> seed);
  // libsodium's seed || public key form. kInvalidInput when the public half is
  // not the one the seed determines (a corrupted key).
  static Result<Ed25519SecretKey> FromSeedAndPublicKey(
      std::span<const uint8_t, kEd25519SecretKeySize> secret_key);

  const Ed25519PublicKey& public_key() const { return public_key_; }

  Ed25519Signature Sign(std::span<const uint8_t> message) const;
  Ed25519Signature Sign(std::string_view message) const;

  // Calls use(std::span<const uint8_t>) with the 64-byte seed || public key,
  // for writing a key file; the span is valid only during the call.
  template <typename F>
  decltype(auto) ReadSecretKey(F&& use) const {
    return secret_.Read(std::forward<F>(use));
  }

 private:
  Ed25519SecretKey(SecretBytes secret, const Ed25519PublicKey& public_key)
      : secret_(std::move(secret)), public_key_(public_key) {}

  SecretBytes secret_;
  Ed25519PublicKey public_key_;
};

}  // namespace assay
