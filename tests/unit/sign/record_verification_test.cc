#include "sign/record_verification.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sign/minisign_secret_key.h"

namespace assay {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1'790'000'000;  // 2026-09-21
const std::string kStatement = R"({"_type":"https://in-toto.io/Statement/v1","predicate":{"x":1},"predicateType":"t","subject":[]})";

struct Party {
  MinisignSecretKey key = MinisignSecretKey::Generate();
  std::string Sign(std::string_view payload) const {
    return SerializeDsseEnvelope(SignDsse(kInTotoPayloadType, payload, key.key()));
  }
  TrustEntry Entry(std::string name, std::set<TrustRole> roles) const {
    return TrustEntry{std::move(name), std::move(roles), key.public_key(), std::nullopt, std::nullopt};
  }
};

TEST(RecordVerification, ATrustedSignerInTheRightRoleCounts) {
  Party vendor;
  TrustFile trust;
  ASSERT_TRUE(trust.Add(vendor.Entry("acme", {TrustRole::kVendor})).ok());
  Result<VerifiedRecord> record = VerifyRecord(vendor.Sign(kStatement), trust, {TrustRole::kVendor, kNow, {}});
  ASSERT_TRUE(record.ok()) << record.status().message();
  EXPECT_EQ(record->payload, kStatement);
  EXPECT_EQ(record->id, RecordId(kStatement));
  ASSERT_EQ(record->signers.size(), 1u);
  EXPECT_EQ(record->signers[0].entry->name, "acme");
}

TEST(RecordVerification, AKeyOutsideItsRoleOrDatesDoesNotCount) {
  Party vendor;
  TrustFile trust;
  TrustEntry entry = vendor.Entry("acme", {TrustRole::kVendor});
  entry.valid_before = UtcDate::Parse("20250101");
  ASSERT_TRUE(trust.Add(entry).ok());
  Status wrong_role = VerifyRecord(vendor.Sign(kStatement), trust, {TrustRole::kEvaluator, 0, {}}).status();
  EXPECT_EQ(wrong_role.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(wrong_role.message(), HasSubstr("is not trusted as evaluator"));
  Status expired = VerifyRecord(vendor.Sign(kStatement), trust, {std::nullopt, kNow, {}}).status();
  EXPECT_EQ(expired.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(expired.message(), HasSubstr("'acme'"));
}

TEST(RecordVerification, AnAlteredRecordIsToldApartFromAStrangersOne) {
  Party vendor;
  Party stranger;
  TrustFile trust;
  ASSERT_TRUE(trust.Add(vendor.Entry("acme", {TrustRole::kVendor})).ok());
  DsseEnvelope altered = *ParseDsseEnvelope(vendor.Sign(kStatement));
  altered.payload[altered.payload.size() - 3] = '9';
  Status tampered = VerifyRecord(SerializeDsseEnvelope(altered), trust, {std::nullopt, kNow, {}}).status();
  EXPECT_EQ(tampered.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(tampered.message(), HasSubstr("by 'acme' does not match the record"));

  Status unknown = VerifyRecord(stranger.Sign(kStatement), trust, {std::nullopt, kNow, {}}).status();
  EXPECT_EQ(unknown.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(unknown.message(), HasSubstr("no key in the trust file verifies the signature"));
}

TEST(RecordVerification, AnAllowedUntrustedKeyCountsAndIsMarkedSo) {
  Party stranger;
  Result<VerifiedRecord> record =
      VerifyRecord(stranger.Sign(kStatement), TrustFile(), {std::nullopt, kNow, {stranger.key.key().public_key()}});
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->signers[0].entry, nullptr);
}

TEST(RecordVerification, MalformedEnvelopesAreInvalidInput) {
  EXPECT_EQ(VerifyRecord("{", TrustFile(), {}).status().kind(), ErrorKind::kInvalidInput);
  Party vendor;
  std::string other_type = SerializeDsseEnvelope(SignDsse("text/plain", kStatement, vendor.key.key()));
  EXPECT_EQ(VerifyRecord(other_type, TrustFile(), {std::nullopt, kNow, {vendor.key.key().public_key()}})
                .status()
                .kind(),
            ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace assay
