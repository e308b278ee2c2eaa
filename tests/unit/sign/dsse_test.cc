#include "sign/dsse.h"

#include <gtest/gtest.h>

#include "seeded_key.h"
#include "sign/base64.h"
#include "sign/openssh_key.h"

namespace assay {
namespace {

using sign_testing::SeededKey;

constexpr std::string_view kStatement = R"({"_type":"https://in-toto.io/Statement/v1"})";

Result<VerifiedDsse> Verify(const DsseEnvelope& envelope, std::vector<Ed25519PublicKey> keys) {
  return VerifyDsse(envelope, kInTotoPayloadType, keys);
}

// dsse protocol.md, "Test Vectors".
TEST(Dsse, PreAuthEncodingMatchesTheSpecExample) {
  EXPECT_EQ(DssePreAuthEncoding("http://example.com/HelloWorld", "hello world"),
            "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  EXPECT_EQ(DssePreAuthEncoding("", ""), "DSSEv1 0  0 ");
  // Lengths count bytes, not characters.
  EXPECT_EQ(DssePreAuthEncoding("t", "\xc3\xa9"), "DSSEv1 1 t 2 \xc3\xa9");
}

TEST(Dsse, SignSerializeParseVerify) {
  Ed25519SecretKey key = SeededKey(1);
  DsseEnvelope envelope = SignDsse(kInTotoPayloadType, kStatement, key);
  ASSERT_EQ(envelope.signatures.size(), 1u);
  EXPECT_EQ(envelope.signatures[0].keyid, SshFingerprint(key.public_key()));
  Result<DsseEnvelope> parsed = ParseDsseEnvelope(SerializeDsseEnvelope(envelope));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  Result<VerifiedDsse> verified = Verify(*parsed, {SeededKey(2).public_key(), key.public_key()});
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->payload(), kStatement);
  EXPECT_EQ(verified->payload_type(), kInTotoPayloadType);
  EXPECT_EQ(verified->payload(), kStatement);
  ASSERT_EQ(verified->signers().size(), 1u);
  EXPECT_EQ(verified->signers()[0].key_index, 1u);
}

TEST(Dsse, AChangedPayloadByteFails) {
  Ed25519SecretKey key = SeededKey(1);
  DsseEnvelope envelope = SignDsse(kInTotoPayloadType, kStatement, key);
  for (size_t i = 0; i < envelope.payload.size(); ++i) {
    DsseEnvelope tampered = envelope;
    tampered.payload[i] ^= 1;
    Result<VerifiedDsse> verified = Verify(tampered, {key.public_key()});
    ASSERT_FALSE(verified.ok()) << i;
    EXPECT_EQ(verified.status().kind(), ErrorKind::kCheckFailed);
    EXPECT_EQ(verified.status().message(),
              "no signature on the envelope verifies with the 1 key(s) given");
  }
}

TEST(Dsse, ASignatureMovedToAnotherStatementFails) {
  Ed25519SecretKey key = SeededKey(1);
  DsseEnvelope first = SignDsse(kInTotoPayloadType, kStatement, key);
  DsseEnvelope second = SignDsse(kInTotoPayloadType, R"({"other":1})", key);
  second.signatures = first.signatures;
  EXPECT_EQ(Verify(second, {key.public_key()}).status().kind(), ErrorKind::kCheckFailed);
  // The payload type is signed too.
  DsseEnvelope retyped = first;
  retyped.payload_type = "application/json";
  EXPECT_EQ(VerifyDsse(retyped, "application/json", std::vector{key.public_key()}).status().kind(),
            ErrorKind::kCheckFailed);
}

TEST(Dsse, PayloadTypeMustBeTheExpectedOne) {
  Ed25519SecretKey key = SeededKey(1);
  DsseEnvelope envelope = SignDsse("application/json", kStatement, key);
  Result<VerifiedDsse> verified = Verify(envelope, {key.public_key()});
  EXPECT_EQ(verified.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(verified.status().message(),
            "envelope payload type is 'application/json', expected 'application/vnd.in-toto+json'");
}

TEST(Dsse, KeyIdIsOnlyAHint) {
  Ed25519SecretKey key = SeededKey(1);
  std::vector<Ed25519PublicKey> keys = {SeededKey(2).public_key(), key.public_key()};
  DsseEnvelope envelope = SignDsse(kInTotoPayloadType, kStatement, key);
  // An empty keyid, or one naming no given key, is tried against every key.
  for (std::string keyid : {"", "some-other-tool-id"}) {
    DsseEnvelope hinted = envelope;
    hinted.signatures[0].keyid = keyid;
    Result<VerifiedDsse> verified = Verify(hinted, keys);
    ASSERT_TRUE(verified.ok()) << keyid;
    EXPECT_EQ(verified->signers()[0].key_index, 1u);
  }
  // A keyid naming one of the keys restricts the search to it (Go's verifier
  // does the same), so a wrong hint makes the signature fail.
  DsseEnvelope misleading = envelope;
  misleading.signatures[0].keyid = SshFingerprint(SeededKey(2).public_key());
  EXPECT_EQ(Verify(misleading, keys).status().kind(), ErrorKind::kCheckFailed);
}

TEST(Dsse, SeveralSignaturesFromOtherTools) {
  Ed25519SecretKey ours = SeededKey(1);
  Ed25519SecretKey theirs = SeededKey(3);
  DsseEnvelope envelope = SignDsse(kInTotoPayloadType, kStatement, ours);
  DsseEnvelope other = SignDsse(kInTotoPayloadType, kStatement, theirs);
  envelope.signatures.insert(envelope.signatures.begin(),
                             DsseSignature{"ecdsa-key", std::string(71, 'x')});  // not Ed25519
  envelope.signatures.push_back(other.signatures[0]);
  Result<VerifiedDsse> verified = Verify(*ParseDsseEnvelope(SerializeDsseEnvelope(envelope)),
                                         {theirs.public_key(), ours.public_key()});
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  ASSERT_EQ(verified->signers().size(), 2u);
  EXPECT_EQ(verified->signers()[0].signature_index, 1u);
  EXPECT_EQ(verified->signers()[0].key_index, 1u);
  EXPECT_EQ(verified->signers()[1].signature_index, 2u);
  EXPECT_EQ(verified->signers()[1].key_index, 0u);
  // An unknown key alone is not enough.
  EXPECT_FALSE(Verify(envelope, {SeededKey(4).public_key()}).ok());
}

TEST(Dsse, NoSignaturesIsACheckFailure) {
  DsseEnvelope envelope{std::string(kInTotoPayloadType), std::string(kStatement), {}};
  EXPECT_EQ(Verify(envelope, {SeededKey(1).public_key()}).status().message(),
            "envelope has no signatures");
}

TEST(Dsse, ParsesEveryBase64Variant) {
  Ed25519SecretKey key = SeededKey(1);
  DsseEnvelope envelope = SignDsse(kInTotoPayloadType, "\xfb\xff\xfe payload", key);
  auto url_safe = [](std::string text) {
    for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!text.empty() && text.back() == '=') text.pop_back();
    return text;
  };
  std::string json = R"({"payloadType":"application/vnd.in-toto+json","payload":")" +
                     url_safe(EncodeBase64(envelope.payload)) + R"(","signatures":[{"sig":")" +
                     url_safe(EncodeBase64(envelope.signatures[0].signature)) + R"("}]})";
  Result<DsseEnvelope> parsed = ParseDsseEnvelope(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->payload, envelope.payload);
  EXPECT_EQ(parsed->signatures[0].keyid, "");
  EXPECT_TRUE(Verify(*parsed, {key.public_key()}).ok());
}

TEST(Dsse, RejectsMalformedEnvelopesWithTheReason) {
  struct Case {
    std::string json;
    std::string message;
  } cases[] = {
      {"not json",
       "envelope: invalid JSON: parse error at line 1, column 2: syntax error while parsing value - invalid "
       "literal; last read: 'no'"},
      {"[]", "envelope is not a JSON object"},
      {R"({"payload":"","signatures":[]})", "envelope: \"payloadType\" is missing"},
      {R"({"payloadType":1,"payload":"","signatures":[]})",
       "envelope: \"payloadType\" is not a string"},
      {R"({"payloadType":"t","signatures":[]})", "envelope: \"payload\" is missing"},
      {R"({"payloadType":"t","payload":"a b","signatures":[]})",
       "envelope: \"payload\" is not valid base64"},
      {R"({"payloadType":"t","payload":""})",
       "envelope: \"signatures\" is missing or not an array"},
      {R"({"payloadType":"t","payload":"","signatures":[1]})",
       "envelope signature 0 is not an object"},
      {R"({"payloadType":"t","payload":"","signatures":[{"keyid":"k"}]})",
       "envelope signature 0: \"sig\" is missing"},
      {R"({"payloadType":"t","payload":"","signatures":[{"sig":"","keyid":5}]})",
       "envelope signature 0: \"keyid\" is not a string"},
      {R"({"payloadType":"t","payload":"","payload":"eA==","signatures":[]})",
       "envelope: duplicate key 'payload'"},
  };
  for (const Case& c : cases) {
    Result<DsseEnvelope> parsed = ParseDsseEnvelope(c.json);
    ASSERT_FALSE(parsed.ok()) << c.json;
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(parsed.status().message(), c.message);
  }
  // Repeated names in different objects are fine.
  EXPECT_TRUE(
      ParseDsseEnvelope(R"({"payloadType":"t","payload":"","signatures":[{"sig":""},{"sig":""}]})")
          .ok());
}

}  // namespace
}  // namespace assay
