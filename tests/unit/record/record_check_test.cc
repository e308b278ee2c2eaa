#include "record/record_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sign/minisign_secret_key.h"
#include "record/record_id.h"

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

TEST(RecordCheck, ATrustedSignerInTheRightRoleCounts) {
  Party vendor;
  TrustFile trust;
  ASSERT_TRUE(trust.Add(vendor.Entry("acme", {TrustRole::kVendor})).ok());
  Result<CheckedRecord> record = RequireCounts(CheckRecord(vendor.Sign(kStatement), trust, {TrustRole::kVendor, kNow, {}}));
  ASSERT_TRUE(record.ok()) << record.status().message();
  EXPECT_EQ(record->payload, kStatement);
  EXPECT_EQ(record->id, RecordId(kStatement));
  ASSERT_EQ(record->signers.size(), 1u);
  EXPECT_EQ(record->signers[0].entry->name, "acme");
}

TEST(RecordCheck, AKeyOutsideItsRoleOrDatesDoesNotCount) {
  Party vendor;
  TrustFile trust;
  TrustEntry entry = vendor.Entry("acme", {TrustRole::kVendor});
  entry.valid_before = UtcDate::Parse("20250101");
  ASSERT_TRUE(trust.Add(entry).ok());
  Status wrong_role = RequireCounts(CheckRecord(vendor.Sign(kStatement), trust, {TrustRole::kEvaluator, 0, {}})).status();
  EXPECT_EQ(wrong_role.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(wrong_role.message(), HasSubstr("is not trusted as evaluator"));
  Status expired = RequireCounts(CheckRecord(vendor.Sign(kStatement), trust, {std::nullopt, kNow, {}})).status();
  EXPECT_EQ(expired.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(expired.message(), HasSubstr("'acme'"));
}

TEST(RecordCheck, AnAlteredRecordIsToldApartFromAStrangersOne) {
  Party vendor;
  Party stranger;
  TrustFile trust;
  ASSERT_TRUE(trust.Add(vendor.Entry("acme", {TrustRole::kVendor})).ok());
  DsseEnvelope altered = *ParseDsseEnvelope(vendor.Sign(kStatement));
  altered.payload[altered.payload.size() - 3] = '9';
  Status tampered = RequireCounts(CheckRecord(SerializeDsseEnvelope(altered), trust, {std::nullopt, kNow, {}})).status();
  EXPECT_EQ(tampered.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(tampered.message(), HasSubstr("by 'acme' does not match the record"));

  Status unknown = RequireCounts(CheckRecord(stranger.Sign(kStatement), trust, {std::nullopt, kNow, {}})).status();
  EXPECT_EQ(unknown.kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(unknown.message(), HasSubstr("no key in the trust file verifies the signature"));
}

TEST(RecordCheck, AnAllowedUntrustedKeyCountsAndIsMarkedSo) {
  Party stranger;
  Result<CheckedRecord> record = RequireCounts(
      CheckRecord(stranger.Sign(kStatement), TrustFile(), {std::nullopt, kNow, {stranger.key.key().public_key()}}));
  ASSERT_TRUE(record.ok());
  EXPECT_FALSE(record->signers[0].entry.has_value());
}

// The three outcomes a reader must treat apart (issue "a forged bundle"):
// counts; not counted (a stranger's key, or a known key outside its role);
// altered (the keyid names a key at hand that does not verify the bytes).
TEST(RecordCheck, TellsCountedNotCountedAndAlteredApart) {
  Party vendor, evaluator, stranger;
  TrustFile trust;
  ASSERT_TRUE(trust.Add(vendor.Entry("acme", {TrustRole::kVendor})).ok());
  TrustFile bundle_keys;  // what an evidence bundle carries: its word, not the reader's trust
  ASSERT_TRUE(bundle_keys.Add(evaluator.Entry("lab", {TrustRole::kEvaluator})).ok());
  RecordPolicy as_evaluator{TrustRole::kEvaluator, kNow, {}, &bundle_keys};

  Result<CheckedRecord> counted = CheckRecord(vendor.Sign(kStatement), trust, {TrustRole::kVendor, kNow, {}});
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->standing, RecordStanding::kCounts);
  EXPECT_EQ(counted->payload, kStatement);

  // The bundle's key verifies the signature, but only the trust file makes it count.
  Result<CheckedRecord> bundle_only = CheckRecord(evaluator.Sign(kStatement), trust, as_evaluator);
  ASSERT_TRUE(bundle_only.ok());
  EXPECT_EQ(bundle_only->standing, RecordStanding::kNotCounted);
  EXPECT_THAT(bundle_only->problem, HasSubstr("'lab' (as the bundle names key"));
  EXPECT_THAT(bundle_only->problem, HasSubstr("is not in the trust file"));
  EXPECT_TRUE(bundle_only->signers.empty());

  Result<CheckedRecord> wrong_role = CheckRecord(vendor.Sign(kStatement), trust, as_evaluator);
  EXPECT_EQ(wrong_role->standing, RecordStanding::kNotCounted);
  EXPECT_THAT(wrong_role->problem, HasSubstr("is not trusted as evaluator"));

  Result<CheckedRecord> unknown = CheckRecord(stranger.Sign(kStatement), trust, as_evaluator);
  EXPECT_EQ(unknown->standing, RecordStanding::kNotCounted);

  // Altered after signing: by a trusted key, or by a key only the bundle has.
  for (const Party* signer : {&vendor, &evaluator}) {
    DsseEnvelope altered = *ParseDsseEnvelope(signer->Sign(kStatement));
    altered.payload[altered.payload.size() - 3] = '9';
    Result<CheckedRecord> judged = CheckRecord(SerializeDsseEnvelope(altered), trust, as_evaluator);
    ASSERT_TRUE(judged.ok());
    EXPECT_EQ(judged->standing, RecordStanding::kAltered);
    EXPECT_THAT(judged->problem, HasSubstr("it was altered after signing"));
    EXPECT_EQ(judged->id, RecordId(altered.payload));
  }
  // A stranger's altered record is only a stranger's: nothing at hand says it was signed otherwise.
  DsseEnvelope strangers = *ParseDsseEnvelope(stranger.Sign(kStatement));
  strangers.payload[strangers.payload.size() - 3] = '9';
  EXPECT_EQ(CheckRecord(SerializeDsseEnvelope(strangers), trust, as_evaluator)->standing, RecordStanding::kNotCounted);
}

TEST(RecordCheck, ABareStatementIsReadOnlyWhenAllowed) {
  Status refused = CheckRecord(kStatement, TrustFile(), {}).status();
  EXPECT_EQ(refused.kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(refused.message(), "an unsigned statement, not a signed record");
  EXPECT_THAT(refused.hint(), HasSubstr("--allow-unsigned"));
  RecordPolicy allowed;
  allowed.allow_unsigned = true;
  Result<CheckedRecord> statement = CheckRecord(kStatement + "\n", TrustFile(), allowed);
  ASSERT_TRUE(statement.ok());
  EXPECT_EQ(statement->standing, RecordStanding::kUnsigned);
  EXPECT_EQ(statement->payload, kStatement);
  EXPECT_EQ(statement->id, RecordId(kStatement));
  EXPECT_FALSE(statement->counts());
}

TEST(RecordCheck, MalformedEnvelopesAreInvalidInput) {
  EXPECT_EQ(RequireCounts(CheckRecord("{", TrustFile(), {})).status().kind(), ErrorKind::kInvalidInput);
  Party vendor;
  std::string other_type = SerializeDsseEnvelope(SignDsse("text/plain", kStatement, vendor.key.key()));
  EXPECT_EQ(CheckRecord(other_type, TrustFile(), {std::nullopt, kNow, {vendor.key.key().public_key()}})
                .status()
                .kind(),
            ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace assay
