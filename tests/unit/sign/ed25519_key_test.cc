#include "sign/ed25519_key.h"

#include <gtest/gtest.h>

#include "digest/sha256.h"

namespace assay {
namespace {

std::array<uint8_t, 32> FromHex32(std::string_view hex) {
  return *Sha256FromHex(hex);  // any 64 hex digits
}

// RFC 8032 section 7.1, TEST 1 (empty message).
TEST(Ed25519, Rfc8032Vector) {
  Ed25519SecretKey key = Ed25519SecretKey::FromSeed(
      FromHex32("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  EXPECT_EQ(ToHex(key.public_key().bytes()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  Ed25519Signature signature = key.Sign(std::string_view());
  EXPECT_EQ(ToHex(signature),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
            "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(key.public_key().Verify(std::string_view(), signature));
}

TEST(Ed25519, VerifyRejectsOtherMessagesKeysAndSignatures) {
  Ed25519SecretKey key = Ed25519SecretKey::Generate();
  Ed25519SecretKey other = Ed25519SecretKey::Generate();
  EXPECT_NE(key.public_key(), other.public_key());
  Ed25519Signature signature = key.Sign(std::string_view("claim"));
  EXPECT_TRUE(key.public_key().Verify(std::string_view("claim"), signature));
  EXPECT_FALSE(key.public_key().Verify(std::string_view("claim!"), signature));
  EXPECT_FALSE(other.public_key().Verify(std::string_view("claim"), signature));
  signature[10] ^= 1;
  EXPECT_FALSE(key.public_key().Verify(std::string_view("claim"), signature));
}

TEST(Ed25519, SeedAndPublicKeyFormMustAgree) {
  Ed25519SecretKey key = Ed25519SecretKey::Generate();
  std::array<uint8_t, 64> secret{};
  key.ReadSecretKey([&](std::span<const uint8_t> bytes) {
    std::copy(bytes.begin(), bytes.end(), secret.begin());
  });
  Result<Ed25519SecretKey> same = Ed25519SecretKey::FromSeedAndPublicKey(secret);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->public_key(), key.public_key());
  secret[40] ^= 1;
  Result<Ed25519SecretKey> corrupted = Ed25519SecretKey::FromSeedAndPublicKey(secret);
  EXPECT_EQ(corrupted.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(corrupted.status().message(),
            "secret key is corrupted: its public half does not match its seed");
}

}  // namespace
}  // namespace assay
