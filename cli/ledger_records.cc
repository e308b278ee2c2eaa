#include "cli/ledger_records.h"

#include "cli/trust_report.h"
#include "record/record_check.h"

namespace assay::cli {

Result<CheckedLedgerRecord> CheckRecord(std::string envelope, const TrustFile& trust, TrustRole role) {
  CheckedLedgerRecord record;
  record.envelope = std::move(envelope);
  RecordPolicy policy;
  policy.required_role = role;
  policy.now_unix_seconds = NowUnixSeconds();
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

}  // namespace assay::cli
