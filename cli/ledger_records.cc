#include "cli/ledger_records.h"

#include "cli/trust_report.h"
#include "record/record_check.h"

namespace assay::cli {

Result<CheckedLedgerRecord> CheckRecord(std::string envelope, const TrustFile& trust, TrustRole role,
                                        const TrustFile* known_keys) {
  CheckedLedgerRecord record;
  record.envelope = std::move(envelope);
  RecordPolicy policy;
  policy.required_role = role;
  policy.now_unix_seconds = NowUnixSeconds();
  policy.known_keys = known_keys;
  ASSAY_ASSIGN_OR_RETURN(CheckedRecord judgement, CheckRecord(record.envelope, trust, policy));
  record.payload = std::move(judgement.payload);
  record.id = std::move(judgement.id);
  record.trusted = judgement.counts();
  record.altered = judgement.standing == RecordStanding::kAltered;
  record.problem = std::move(judgement.problem);
  for (const RecordSigner& signer : judgement.signers) {
    if (signer.entry) record.signers.push_back(DescribeSigner(*signer.entry));
  }
  return record;
}

Result<CheckedLedgerRecord> ReadLedgerRecord(LedgerIndex& index, std::string_view id_or_prefix,
                                             const TrustFile& trust, TrustRole role) {
  ASSAY_ASSIGN_OR_RETURN(std::optional<RecordEntry> entry, index.Find(id_or_prefix));
  if (!entry) return Status::InvalidInput("no record " + std::string(id_or_prefix) + " in the ledger");
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> envelope, index.Envelope(entry->id));
  if (!envelope) return Status::IoError("the ledger index lost the envelope of " + entry->id + "; run 'assay reindex'");
  Result<CheckedLedgerRecord> record = CheckRecord(std::move(*envelope), trust, role);
  if (!record.ok()) return record.status().WithContext("record " + entry->id);
  return record;
}

Result<CheckedLedgerRecord> ResolveModelRecord(LedgerIndex& index, std::string_view text, const TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(ModelResolution resolution, index.ResolveModel(text));
  if (resolution.models.empty()) {
    return Status::InvalidInput("no model record in the ledger is called '" + std::string(text) +
                                "' (a record id, weights root or name[@revision]; 'assay attest model' makes one)");
  }
  return ReadLedgerRecord(index, resolution.models.front().record.id, trust, TrustRole::kVendor);
}

Result<SignedClaim> AssembleSignedClaim(const CheckedLedgerRecord& record,
                                        const std::vector<CheckedLedgerRecord>& reproductions) {
  SignedClaim claim;
  claim.id = record.id;
  claim.trusted = record.trusted;
  claim.altered = record.altered;
  claim.signers = record.signers;
  claim.problem = record.problem;
  Result<Claim> parsed = ParseClaimStatement(record.payload);
  if (!parsed.ok()) return parsed.status().WithContext("record " + record.id);
  claim.claim = std::move(parsed).value();
  for (const CheckedLedgerRecord& checked : reproductions) {
    Result<Reproduction> reproduction = ParseReproductionStatement(checked.payload);
    if (!reproduction.ok()) return reproduction.status().WithContext("record " + checked.id);
    if (reproduction->claim_id != claim.id) continue;
    SignedReproduction signed_reproduction;
    signed_reproduction.id = checked.id;
    signed_reproduction.trusted = checked.trusted;
    signed_reproduction.altered = checked.altered;
    signed_reproduction.signers = checked.signers;
    signed_reproduction.problem = checked.problem;
    signed_reproduction.reproduction = std::move(reproduction).value();
    claim.reproductions.push_back(std::move(signed_reproduction));
  }
  return claim;
}

Result<SignedClaim> LoadSignedClaim(LedgerIndex& index, std::string_view id_or_prefix, const TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(CheckedLedgerRecord record, ReadLedgerRecord(index, id_or_prefix, trust, TrustRole::kVendor));
  ASSAY_ASSIGN_OR_RETURN(std::vector<ReproductionEntry> entries, index.ReproductionsOfClaim(record.id));
  // The index lists newest first; a claim's story reads oldest first.
  std::vector<CheckedLedgerRecord> reproductions;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    ASSAY_ASSIGN_OR_RETURN(CheckedLedgerRecord checked, ReadLedgerRecord(index, it->record.id, trust, TrustRole::kEvaluator));
    reproductions.push_back(std::move(checked));
  }
  return AssembleSignedClaim(record, reproductions);
}

}  // namespace assay::cli
