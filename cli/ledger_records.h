// Records read back from the ledger for claims, reproductions and status:
// found through the index (DESIGN.md's resolution order) and checked against
// the trust file in the role their kind requires (a model record and a claim
// by a vendor, a reproduction by an evaluator).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "claim/claim_status.h"
#include "ledger/ledger_index.h"
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

// An envelope checked against the trust file in `role`; its id is its
// payload's. `known_keys` (an evidence bundle's) may verify a signature but
// never make it count.
Result<CheckedLedgerRecord> CheckRecord(std::string envelope, const TrustFile& trust, TrustRole role,
                                        const TrustFile* known_keys = nullptr);

// A claim and its reproductions, already checked, parsed into one story.
Result<SignedClaim> AssembleSignedClaim(const CheckedLedgerRecord& claim,
                                        const std::vector<CheckedLedgerRecord>& reproductions);

// The record with this id or unique id prefix. kInvalidInput when none.
Result<CheckedLedgerRecord> ReadLedgerRecord(LedgerIndex& index, std::string_view id_or_prefix,
                                             const TrustFile& trust, TrustRole role);

// The model record `text` resolves to (id or prefix, weights root, then
// name[@revision]); the newest when a name has several. kInvalidInput when none.
Result<CheckedLedgerRecord> ResolveModelRecord(LedgerIndex& index, std::string_view text, const TrustFile& trust);

// The claim with this id or prefix and every reproduction of it in the
// ledger, each checked against the trust file (claim: vendor; reproduction:
// evaluator). kInvalidInput when the record is not a claim.
Result<SignedClaim> LoadSignedClaim(LedgerIndex& index, std::string_view id_or_prefix, const TrustFile& trust);

}  // namespace assay::cli
