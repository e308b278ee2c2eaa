// Withdrawals (docs/spec/revocation.md): `assay attest revocation` signs that
// a record is withdrawn, by its own signer; readers (status, verify claim)
// load every revocation of the ledger once, judged, and mark the records they
// show. A revocation counts only when its signature counts in the trust file
// (any role) and its key signed the record, or the trust file lists it under
// the name of one who did: nobody withdraws another's record.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ops/context.h"
#include "ops/publish.h"
#include "record/revocation_statement.h"
#include "sign/trust_file.h"

namespace assay {

struct AttestRevocationRequest {
  std::string record;         // the record to withdraw: id or unique prefix
  std::string reason;
  std::string superseded_by;  // id or unique prefix; "" for none
  std::string output_path;
};

struct AttestedRevocation {
  Revocation revocation;
  PublishedRecord published;
};

// Checks the flags and finds both records before the key is unlocked
// (kInvalidInput naming the flag; kNotFound for a record the ledger lacks),
// then refuses (kInvalidInput, nothing written) a key that would not count:
// one that did not sign the record and is not listed under its signer's name.
Result<AttestedRevocation> AttestRevocation(Context& context, const AttestRevocationRequest& request);

struct JudgedRevocation {
  std::string record;  // the revocation's own id
  Revocation revocation;
  std::string signer;   // the trust file's name of its signer, or "UNTRUSTED signer"
  std::string problem;  // why it does not count; "" when it does
};

// "WITHDRAWN by NAME (revocation ID16): REASON[; superseded by ID16]".
std::string WithdrawalText(const JudgedRevocation& revocation);

// Every revocation of a ledger, judged, by the record each withdraws.
class Withdrawals {
 public:
  static Result<Withdrawals> Load(Context& context, Ledger& ledger, const TrustFile& trust);
  // The envelope of the record with this id, or nullopt when it is not at hand.
  using EnvelopeLookup = std::function<std::optional<std::string>(const std::string& id)>;
  // `revocations` (envelopes, oldest first) judged, each against the record
  // `find` gives; `known_keys` as JudgeRecord's (an evidence bundle's keys).
  static Result<Withdrawals> Judge(Context& context, const std::vector<std::string>& revocations, const TrustFile& trust,
                                   const EnvelopeLookup& find, const TrustFile* known_keys = nullptr);

  // The counting revocation of `record_id`, or null: the record stands.
  const JudgedRevocation* Of(const std::string& record_id) const;
  // Every revocation, counting or not, oldest first.
  const std::vector<JudgedRevocation>& all() const { return all_; }

 private:
  std::vector<JudgedRevocation> all_;
  std::map<std::string, size_t> counting_;  // withdrawn record id -> index in all_
};

}  // namespace assay
