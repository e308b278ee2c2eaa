// Claims and reproductions read back for the claim commands (attest
// reproduction, verify claim, status, export, prove and verify sample), each
// judged by the one record judge (record/record_check.h) in the role its kind
// needs: a claim and a model record by a vendor, a reproduction by an
// evaluator (DESIGN.md, Keys and trust).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "claim/claim_status.h"
#include "ledger/ledger.h"
#include "ops/context.h"
#include "sign/trust_file.h"

namespace assay {

// `bytes` judged against `trust` in `role`, at the context's time. The keys
// of `known_keys` (an evidence bundle's) may verify a signature but never
// make it count; null: none.
Result<CheckedRecord> JudgeRecord(Context& context, std::string_view bytes, const TrustFile& trust, TrustRole role,
                                  const TrustFile* known_keys = nullptr);

// `bytes` judged in the role its predicate type needs: an evaluator's for a
// reproduction, a vendor's for a claim or model record, an observer's for an
// observation, a host's for a deployment, an evaluator's for a comparison, any for a
// revocation; a plan is a vendor's or an evaluator's, and counts when either signed it.
Result<CheckedRecord> JudgeForPredicate(Context& context, std::string_view bytes, const TrustFile& trust,
                                        std::string_view predicate_type, const TrustFile* known_keys = nullptr);

// The predicateType of a DSSE envelope's statement, unjudged: which role
// judges it. kInvalidInput for an envelope or statement that has none.
Result<std::string> PredicateTypeOfEnvelope(std::string_view envelope);

// The trust file's name of the record's first counting signer, or "UNTRUSTED
// signer" when no signature counts.
std::string SignerName(const CheckedRecord& record);

// A judged claim with those of `reproductions` that are of it, parsed (in
// the order given). kInvalidInput naming the record that is not a
// well-formed claim or reproduction.
Result<SignedClaim> AssembleSignedClaim(CheckedRecord claim, std::vector<CheckedRecord> reproductions);

// The claim with this id or unique id prefix in `ledger`, with every
// reproduction of it the ledger holds, oldest first, and the plans they name
// (ops/plan_ops.h). kNotFound naming the
// ledger when it has no such record; kInvalidInput when it is not a claim.
Result<SignedClaim> LoadSignedClaim(Context& context, Ledger& ledger, const TrustFile& trust,
                                    std::string_view id_or_prefix);

}  // namespace assay
