// A ledger record judged for `assay log` and `assay show`
// (verify/ledger_queries.cc) until they move to src/ops: the record judge's
// outcome (record/record_check.h) in the role its kind requires. The claim
// commands judge records through src/ops/signed_claim.h.
#pragma once

#include <string>
#include <vector>

#include "sign/trust_file.h"
#include "status.h"

namespace assay::cli {

struct CheckedLedgerRecord {
  std::string id;
  std::string envelope;
  // The statement bytes: verified when `trusted`, otherwise as the envelope
  // carries them (shown, never counted).
  std::string payload;
  bool trusted = false;
  // The signature names a key at hand and does not verify: a failed check,
  // never merely "not counted" (record/record_check.h).
  bool altered = false;
  std::vector<std::string> signers;  // "acme (vendor), key ABCD..." for each signature that counts
  std::string problem;               // why no signature counts, when !trusted
};

// An envelope checked against the trust file in `role`; its id is its payload's.
Result<CheckedLedgerRecord> CheckRecord(std::string envelope, const TrustFile& trust, TrustRole role);

}  // namespace assay::cli
