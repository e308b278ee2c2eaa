// The test vectors of docs/spec/signing.md. signing_vectors.py derives the same
// values with Python's hashlib and python3-cryptography, and the real clients
// accept them (checked when the spec was written: ssh-keygen -l, ssh-keygen -Y
// verify, minisign -V, and minisign -S with the secret key below reproduces the
// .minisig byte for byte).
#include <gtest/gtest.h>

#include <numeric>

#include "digest/sha256.h"
#include "sign/bytes.h"
#include "sign/dsse.h"
#include "sign/minisign_secret_key.h"
#include "sign/minisign_signature.h"
#include "sign/openssh_key.h"
#include "sign/sshsig.h"
#include "record/record_id.h"

namespace assay {
namespace {

constexpr std::string_view kVectorStatement =
    R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"model.safetensors",)"
    R"("digest":{"sha256":"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"}}],)"
    R"("predicateType":"https://example.com/assay-test-vector/v1","predicate":{"note":"test vector"}})";
constexpr std::string_view kMessage = "assay test vector\n";
constexpr std::string_view kTrustedComment = "timestamp:1700000000\tfile:message.txt\thashed";
constexpr std::string_view kMinisignPublicKey =
    "RWQBAgMEBQYHCAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4";
constexpr std::string_view kMinisignSecretKeyFile =
    "untrusted comment: minisign encrypted secret key\n"
    "RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQIDBAUGBwgAAQIDBAUGBw"
    "gJCgsM"
    "DQ4PEBESExQVFhcYGRobHB0eHwOhB7/"
    "zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAA=\n";

// Seed 00 01 .. 1f, minisign key id 01 02 .. 08.
MinisignSecretKey VectorKey() {
  std::array<uint8_t, 32> seed{};
  std::iota(seed.begin(), seed.end(), 0);
  MinisignKeyId key_id{};
  std::iota(key_id.begin(), key_id.end(), 1);
  return MinisignSecretKey(key_id, Ed25519SecretKey::FromSeed(seed));
}

TEST(SigningVectors, Keys) {
  MinisignSecretKey key = VectorKey();
  EXPECT_EQ(ToHex(key.key().public_key().bytes()),
            "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
  EXPECT_EQ(FormatMinisignKeyId(key.key_id()), "0807060504030201");
  EXPECT_EQ(EncodeMinisignPublicKey(key.public_key()), kMinisignPublicKey);
  EXPECT_EQ(FormatMinisignPublicKeyFile(key.public_key()),
            "untrusted comment: minisign public key 0807060504030201\n" +
                std::string(kMinisignPublicKey) + "\n");
  Result<SecretBytes> file = EncodeMinisignSecretKeyFile(key, std::nullopt);
  ASSERT_TRUE(file.ok());
  file->Read(
      [](std::span<const uint8_t> text) { EXPECT_EQ(AsText(text), kMinisignSecretKeyFile); });
  EXPECT_EQ(FormatSshPublicKeyLine(key.key().public_key(), ""),
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4");
  EXPECT_EQ(SshFingerprint(key.key().public_key()),
            "SHA256:lbmsoA0yIEcEiVDRnMWuzm+nV+3ZEEpVIURqFoeSspg");
}

TEST(SigningVectors, DsseEnvelope) {
  std::string pae = DssePreAuthEncoding(kInTotoPayloadType, kVectorStatement);
  EXPECT_EQ(pae, "DSSEv1 28 application/vnd.in-toto+json 265 " + std::string(kVectorStatement));
  EXPECT_EQ(pae.size(), 308u);
  EXPECT_EQ(ToHex(Sha256::Of(pae)),
            "4db360265f475e256165502d4d9a2f67b81becb618c11b3e1c7e13d895811176");
  EXPECT_EQ(RecordId(kVectorStatement),
            "5764d392e8142a9d10070e9f0d8f70d29bb3243920f3c0b00318f06fbf51fb34");
  DsseEnvelope envelope = SignDsse(kInTotoPayloadType, kVectorStatement, VectorKey().key());
  std::string expected =
      R"({"payload":"eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEiLCJzdWJqZWN0IjpbeyJu)"
      R"(YW1lIjoibW9kZWwuc2FmZXRlbnNvcnMiLCJkaWdlc3QiOnsic2hhMjU2IjoiMmNmMjRkYmE1ZmIwYTMwZTI2ZTgz)"
      R"(YjJhYzViOWUyOWUxYjE2MWU1YzFmYTc0MjVlNzMwNDMzNjI5MzhiOTgyNCJ9fV0sInByZWRpY2F0ZVR5cGUiOiJo)"
      R"(dHRwczovL2V4YW1wbGUuY29tL2Fzc2F5LXRlc3QtdmVjdG9yL3YxIiwicHJlZGljYXRlIjp7Im5vdGUiOiJ0ZXN0)"
      R"(IHZlY3RvciJ9fQ==",)"
      R"("payloadType":"application/vnd.in-toto+json",)"
      R"("signatures":[{"keyid":"SHA256:lbmsoA0yIEcEiVDRnMWuzm+nV+3ZEEpVIURqFoeSspg",)"
      R"("sig":"5JjGRJk1MAWozJJt+CTSeOkdCjRJk+/L0kW6uO6VuIEsgzwh7JKIEAWIPCAhGhZLUxbOvkIrbMxkArwFZR6PBA=="}]})";
  EXPECT_EQ(SerializeDsseEnvelope(envelope), expected);
}

TEST(SigningVectors, MinisignSignature) {
  MinisignPrehasher hasher;
  hasher.Update(kMessage);
  Result<MinisignSignature> signature = SignMinisign(VectorKey(), hasher.Finish(), kTrustedComment,
                                                     "signature from minisign secret key");
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(
      FormatMinisignSignature(*signature),
      "untrusted comment: signature from minisign secret key\n"
      "RUQBAgMEBQYHCNytXguzA5IbLnfB1sCDNAriGcG29uYY8HFw+"
      "bh9RjyZstjlAueKY0rprumhbNtBB2GFL7Y8hk6KfGuwSAg19Qo=\n"
      "trusted comment: timestamp:1700000000\tfile:message.txt\thashed\n"
      "iGdiU0Js/PWnZjz/2aUeG+P1q11KTM9v73OU6dgp1+xvRuVXZCL/XSy6+857Ug1GjpjqapSHw+7F1SKcRBqODw==\n");
}

TEST(SigningVectors, Sshsig) {
  Result<std::string> armored = SignSshsig(VectorKey().key(), "git", kMessage);
  ASSERT_TRUE(armored.ok());
  EXPECT_EQ(*armored,
            "-----BEGIN SSH SIGNATURE-----\n"
            "U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgA6EHv/POEL4dcN0Y50vAmWfk1j\n"
            "CbpQ1fHdyGZBJVMbgAAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5\n"
            "AAAAQMWlMvv6wJ5TEr24ExxBRUBZg1a1KRdhqRbI2OCg0pKkwQ8v9zFwspCWZ+3F6h8Fmu\n"
            "TuUVRd/woYSqdgiehR4Q4=\n"
            "-----END SSH SIGNATURE-----\n");
}

}  // namespace
}  // namespace assay
