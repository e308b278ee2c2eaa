#include "ops/revocation_ops.h"

#include <gtest/gtest.h>

#include <map>

#include "ops_fixture.h"
#include "record/in_toto.h"
#include "record/model_statement.h"
#include "record/revocation_statement.h"
#include "record/observation_statement.h"
#include "record/record_id.h"
#include "record/record_signing.h"

namespace assay {
namespace {

// Revocations judged against the records they name: only the record's own
// signer (a key the trust file lists under the same name) withdraws it.
class WithdrawalsTest : public testing::OpsFixture {
 protected:
  WithdrawalsTest() {
    AddParty("auditor", {TrustRole::kObserver});
    AddParty("other", {TrustRole::kObserver, TrustRole::kVendor});
  }

  // `statement` signed with `name`'s key; kept by id for the lookup.
  std::string Sign(const std::string& name, const nlohmann::json& statement) {
    SignAs(name);
    Result<const MinisignSecretKey*> key = context_->keys.Unlock(context_->paths.key_file);
    EXPECT_TRUE(key.ok());
    Result<std::string> bytes = StatementBytes(statement);
    EXPECT_TRUE(bytes.ok());
    Result<std::string> envelope = SignRecord(*bytes, **key);
    EXPECT_TRUE(envelope.ok());
    held_[RecordId(*bytes)] = *envelope;
    return RecordId(*bytes);
  }

  void Revoke(const std::string& name, const std::string& record, const std::string& record_type) {
    const std::string id = Sign(name, RevocationStatement(Revocation{record, record_type, "wrong upload", ""}));
    revocations_.push_back(held_.at(id));
  }

  Withdrawals Judged() {
    Result<TrustFile> trust = TrustFile::Load(context_->fs, context_->paths.trust_file);
    EXPECT_TRUE(trust.ok());
    Result<Withdrawals> withdrawals =
        Withdrawals::Judge(*context_, revocations_, *trust, [this](const std::string& id) -> std::optional<std::string> {
          const auto found = held_.find(id);
          if (found == held_.end()) return std::nullopt;
          return found->second;
        });
    EXPECT_TRUE(withdrawals.ok()) << withdrawals.status().message();
    return std::move(*withdrawals);
  }

  std::string Observed(const std::string& commit_digit) {
    Observation observation;
    observation.source = "hf:acme/widget";
    observation.observer = "auditor";
    observation.observed_at = "2026-12-03T17:00:00Z";
    observation.commit = std::string(40, commit_digit[0]);
    observation.time = "2026-12-01T09:00:00Z";
    observation.author = "Acme <release@acme.example>";
    return Sign("auditor", ObservationStatement(observation));
  }

  std::vector<std::string> revocations_;
  std::map<std::string, std::string> held_;  // every signed envelope, by record id
};

TEST_F(WithdrawalsTest, TheRecordsOwnSignerWithdrawsIt) {
  const std::string observation = Observed("a");
  Revoke("auditor", observation, kObservationPredicateType);
  const Withdrawals withdrawals = Judged();
  ASSERT_NE(withdrawals.Of(observation), nullptr);
  EXPECT_EQ(withdrawals.Of(observation)->signer, "auditor");
  EXPECT_EQ(WithdrawalText(*withdrawals.Of(observation)).substr(0, 23), "WITHDRAWN by auditor (r");
}

TEST_F(WithdrawalsTest, NobodyWithdrawsAnothersRecord) {
  const std::string observation = Observed("a");
  Revoke("other", observation, kObservationPredicateType);
  const Withdrawals withdrawals = Judged();
  EXPECT_EQ(withdrawals.Of(observation), nullptr);
  ASSERT_EQ(withdrawals.all().size(), 1u);
  EXPECT_NE(withdrawals.all()[0].problem.find("nobody withdraws another's record"), std::string::npos)
      << withdrawals.all()[0].problem;
}

TEST_F(WithdrawalsTest, ARecordNotAtHandIsNotWithdrawn) {
  Revoke("auditor", std::string(64, 'e'), kObservationPredicateType);
  const Withdrawals withdrawals = Judged();
  EXPECT_EQ(withdrawals.Of(std::string(64, 'e')), nullptr);
  ASSERT_EQ(withdrawals.all().size(), 1u);
  EXPECT_NE(withdrawals.all()[0].problem.find("which is not at hand"), std::string::npos);
}

// The withdrawn record is judged in the role of its own type, whatever the
// revocation says it is: a revocation cannot make another's record count
// (or not) by naming it a claim.
TEST_F(WithdrawalsTest, TheTargetIsJudgedByItsOwnTypeNotTheOneTheRevocationNames) {
  const std::string observation = Observed("a");
  Revoke("auditor", observation, "https://assay.dev/claim/v2");
  EXPECT_NE(Judged().Of(observation), nullptr);
}

TEST_F(WithdrawalsTest, AnUntrustedRevocationDoesNotCount) {
  const std::string observation = Observed("a");
  Revoke("auditor", observation, kObservationPredicateType);
  // The signer leaves the trust file: its records, and its revocations, no longer count.
  ASSERT_TRUE(context_->fs.WriteFileAtomically(context_->paths.trust_file, "").ok());
  EXPECT_EQ(Judged().Of(observation), nullptr);
}

}  // namespace
}  // namespace assay
