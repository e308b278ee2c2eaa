#include "ops/signed_claim.h"

#include "ops/plan_ops.h"
#include "json/strict_json.h"
#include "record/in_toto.h"
#include "sign/dsse.h"

namespace assay {

namespace {

// The role a record's kind is signed in; none for a revocation, which its
// signer makes in whatever role it signed the record it withdraws.
std::optional<TrustRole> RoleForPredicate(std::string_view predicate_type) {
  if (predicate_type == kRevocationPredicateType) return std::nullopt;
  if (predicate_type == kObservationPredicateType) return TrustRole::kObserver;
  if (predicate_type == kDeploymentPredicateType) return TrustRole::kHost;
  if (predicate_type == kComparisonPredicateType) return TrustRole::kEvaluator;
  return IsReproductionPredicateType(predicate_type) ? TrustRole::kEvaluator : TrustRole::kVendor;
}

// JudgeRecord, with no role for any role.
Result<CheckedRecord> JudgeInRole(Context& context, std::string_view bytes, const TrustFile& trust,
                                  std::optional<TrustRole> role, const TrustFile* known_keys) {
  RecordPolicy policy;
  policy.required_role = role;
  policy.now_unix_seconds = context.NowUnixSeconds();
  policy.known_keys = known_keys;
  return CheckRecord(bytes, trust, policy);
}

}  // namespace

Result<CheckedRecord> JudgeRecord(Context& context, std::string_view bytes, const TrustFile& trust, TrustRole role,
                                  const TrustFile* known_keys) {
  return JudgeInRole(context, bytes, trust, role, known_keys);
}

Result<CheckedRecord> JudgeForPredicate(Context& context, std::string_view bytes, const TrustFile& trust,
                                        std::string_view predicate_type, const TrustFile* known_keys) {
  ASSAY_ASSIGN_OR_RETURN(CheckedRecord checked,
                         JudgeInRole(context, bytes, trust, RoleForPredicate(predicate_type), known_keys));
  if (predicate_type != kPlanPredicateType || checked.counts() || checked.altered()) return checked;
  ASSAY_ASSIGN_OR_RETURN(CheckedRecord as_evaluator,
                         JudgeRecord(context, bytes, trust, TrustRole::kEvaluator, known_keys));
  return as_evaluator.counts() ? as_evaluator : checked;
}

Result<std::string> PredicateTypeOfEnvelope(std::string_view envelope) {
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope parsed, ParseDsseEnvelope(envelope));
  ASSAY_ASSIGN_OR_RETURN(nlohmann::json statement, ParseStrictJson(parsed.payload));
  if (!statement.is_object() || !statement.contains("predicateType") || !statement["predicateType"].is_string()) {
    return Status::InvalidInput("a record without a predicateType");
  }
  return statement["predicateType"].get<std::string>();
}

std::string SignerName(const CheckedRecord& record) {
  if (!record.counts() || record.signers.empty() || !record.signers.front().entry) return "UNTRUSTED signer";
  return record.signers.front().entry->name;
}

Result<SignedClaim> AssembleSignedClaim(CheckedRecord claim, std::vector<CheckedRecord> reproductions) {
  SignedClaim signed_claim;
  Result<Claim> parsed = ParseClaimStatement(claim.payload);
  if (!parsed.ok()) return parsed.status().WithContext("record " + claim.id);
  signed_claim.claim = std::move(*parsed);
  signed_claim.record = std::move(claim);
  for (CheckedRecord& record : reproductions) {
    Result<Reproduction> reproduction = ParseReproductionStatement(record.payload);
    if (!reproduction.ok()) return reproduction.status().WithContext("record " + record.id);
    if (reproduction->claim_id != signed_claim.record.id) continue;
    signed_claim.reproductions.push_back(SignedReproduction{std::move(record), std::move(*reproduction), std::nullopt});
  }
  return signed_claim;
}

Result<SignedClaim> LoadSignedClaim(Context& context, Ledger& ledger, const TrustFile& trust,
                                    std::string_view id_or_prefix) {
  ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger.FindRecord(id_or_prefix));
  Result<CheckedRecord> claim = JudgeRecord(context, found.envelope, trust, TrustRole::kVendor);
  if (!claim.ok()) return claim.status().WithContext("record " + found.entry.id);
  ASSAY_ASSIGN_OR_RETURN(std::vector<ReproductionEntry> entries, ledger.index().ReproductionsOfClaim(claim->id));
  // The index lists newest first; a claim's story reads oldest first.
  std::vector<CheckedRecord> reproductions;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    ASSAY_ASSIGN_OR_RETURN(Ledger::Found one, ledger.FindRecord(it->record.id));
    Result<CheckedRecord> reproduction = JudgeRecord(context, one.envelope, trust, TrustRole::kEvaluator);
    if (!reproduction.ok()) return reproduction.status().WithContext("record " + one.entry.id);
    reproductions.push_back(std::move(*reproduction));
  }
  ASSAY_ASSIGN_OR_RETURN(SignedClaim assembled, AssembleSignedClaim(std::move(*claim), std::move(reproductions)));
  ASSAY_RETURN_IF_ERROR(AttachPlans(context, ledger, trust, assembled));
  return assembled;
}

}  // namespace assay
