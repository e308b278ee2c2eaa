#include "sign/ed25519_key.h"

#include <sodium.h>

#include <cstring>

#include "sign/bytes.h"
#include "sign/sodium_runtime.h"

namespace assay {

bool Ed25519PublicKey::Verify(std::span<const uint8_t> message,
                              const Ed25519Signature& signature) const {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     bytes_.data()) == 0;
}

bool Ed25519PublicKey::Verify(std::string_view message, const Ed25519Signature& signature) const {
  return Verify(AsBytes(message), signature);
}

Ed25519SecretKey Ed25519SecretKey::Generate() {
  SecretBytes seed(kEd25519SeedSize);
  seed.Write([](std::span<uint8_t> bytes) { randombytes_buf(bytes.data(), bytes.size()); });
  return seed.Read(
      [](std::span<const uint8_t> bytes) { return FromSeed(bytes.first<kEd25519SeedSize>()); });
}

Ed25519SecretKey Ed25519SecretKey::FromSeed(std::span<const uint8_t, kEd25519SeedSize> seed) {
  EnsureSodium();
  std::array<uint8_t, 32> public_bytes{};
  SecretBytes secret(kEd25519SecretKeySize);
  secret.Write([&](std::span<uint8_t> bytes) {
    crypto_sign_seed_keypair(public_bytes.data(), bytes.data(), seed.data());
  });
  return Ed25519SecretKey(std::move(secret), Ed25519PublicKey(public_bytes));
}

Result<Ed25519SecretKey> Ed25519SecretKey::FromSeedAndPublicKey(
    std::span<const uint8_t, kEd25519SecretKeySize> secret_key) {
  Ed25519SecretKey key = FromSeed(secret_key.first<kEd25519SeedSize>());
  if (sodium_memcmp(key.public_key_.bytes().data(), secret_key.data() + kEd25519SeedSize, 32) !=
      0) {
    return Status::InvalidInput("secret key is corrupted: its public half does not match its seed");
  }
  return key;
}

Ed25519Signature Ed25519SecretKey::Sign(std::span<const uint8_t> message) const {
  Ed25519Signature signature{};
  secret_.Read([&](std::span<const uint8_t> secret) {
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), secret.data());
  });
  return signature;
}

Ed25519Signature Ed25519SecretKey::Sign(std::string_view message) const {
  return Sign(AsBytes(message));
}

}  // namespace assay
