#include "ops/revocation_ops.h"

#include "ops/signed_claim.h"
#include "record/in_toto.h"
#include "record/model_statement.h"

namespace assay {
namespace {

// Whether one who signed `revocation` signed `target` too: the same key, or
// a key the trust file lists under the same name.
bool SameSigner(const CheckedRecord& revocation, const CheckedRecord& target) {
  for (const RecordSigner& by : revocation.signers) {
    for (const RecordSigner& of : target.signers) {
      if (by.key == of.key || (by.entry && of.entry && by.entry->name == of.entry->name)) return true;
    }
  }
  return false;
}

// The record as its kind's role judges it, from the ledger.
Result<CheckedRecord> JudgeTarget(Context& context, Ledger& ledger, const TrustFile& trust, const std::string& id_or_prefix,
                                  const std::string& flag) {
  Result<Ledger::Found> found = ledger.FindRecord(id_or_prefix);
  if (!found.ok()) return found.status().WithContext(flag + " " + id_or_prefix);
  return JudgeForPredicate(context, found->envelope, trust, found->entry.predicate_type);
}

}  // namespace

Result<AttestedRevocation> AttestRevocation(Context& context, const AttestRevocationRequest& request) {
  if (request.reason.empty() || request.reason.size() > kMaxRevocationReasonBytes) {
    return Status::InvalidInput("--reason: say why, in 1 to " + std::to_string(kMaxRevocationReasonBytes) + " bytes");
  }
  ASSAY_ASSIGN_OR_RETURN(TrustFile trust, TrustFile::Load(context.fs, context.paths.trust_file));
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<Ledger> ledger, OpenLedger(context, /*create=*/false));
  Result<Ledger::Found> found = ledger->FindRecord(request.record);
  if (!found.ok()) return found.status().WithContext(request.record);
  AttestedRevocation attested;
  Revocation& revocation = attested.revocation;
  revocation.record = found->entry.id;
  revocation.record_type = found->entry.predicate_type;
  revocation.reason = request.reason;
  if (revocation.record_type == kRevocationPredicateType) {
    return Status::InvalidInput(request.record + ": a revocation is not withdrawn; sign the record again to stand by it");
  }
  ASSAY_ASSIGN_OR_RETURN(CheckedRecord target,
                         JudgeForPredicate(context, found->envelope, trust, revocation.record_type));
  if (!target.counts()) {
    return Status::InvalidInput("record " + revocation.record + " does not count (" + target.problem +
                                "): there is nothing of yours to withdraw");
  }
  if (!request.superseded_by.empty()) {
    ASSAY_ASSIGN_OR_RETURN(CheckedRecord successor,
                           JudgeTarget(context, *ledger, trust, request.superseded_by, "--superseded-by"));
    revocation.superseded_by = successor.id;
    if (revocation.superseded_by == revocation.record) {
      return Status::InvalidInput("--superseded-by " + request.superseded_by + ": a record cannot supersede itself");
    }
  }
  ASSAY_ASSIGN_OR_RETURN(std::string statement, StatementBytes(RevocationStatement(revocation)));
  ASSAY_ASSIGN_OR_RETURN(const MinisignSecretKey* key, context.keys.Unlock(context.paths.key_file));
  CheckedRecord by_key;
  by_key.signers.push_back({key->public_key().key, "", {}});
  if (const TrustEntry* entry = trust.Find(key->public_key().key)) by_key.signers.front().entry = *entry;
  if (!SameSigner(by_key, target)) {
    return Status::InvalidInput("record " + revocation.record.substr(0, 16) + " was signed by " +
                                CountingSignerNames(target, "an untrusted key") + ": only its signer, or a key the trust file lists under that name, withdraws it")
        .WithHint("sign with the key that signed it (--key), or have it added to the trust file under that name");
  }
  ASSAY_ASSIGN_OR_RETURN(attested.published,
                         Publish(context, statement, PublishOptions{key, /*append=*/true, request.output_path}));
  return attested;
}

Result<Withdrawals> Withdrawals::Load(Context& context, Ledger& ledger, const TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> entries, ledger.index().RecordsOfPredicateType(kRevocationPredicateType));
  std::vector<std::string> revocations;
  for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {  // oldest first
    ASSAY_ASSIGN_OR_RETURN(Ledger::Found found, ledger.FindRecord(entry->id));
    revocations.push_back(std::move(found.envelope));
  }
  return Judge(context, revocations, trust, [&ledger](const std::string& id) -> std::optional<std::string> {
    Result<Ledger::Found> found = ledger.FindRecord(id);
    if (!found.ok()) return std::nullopt;
    return std::move(found->envelope);
  });
}

Result<Withdrawals> Withdrawals::Judge(Context& context, const std::vector<std::string>& revocations, const TrustFile& trust,
                                       const EnvelopeLookup& find, const TrustFile* known_keys) {
  Withdrawals withdrawals;
  for (const std::string& envelope : revocations) {
    Result<CheckedRecord> judged = JudgeForPredicate(context, envelope, trust, kRevocationPredicateType, known_keys);
    if (!judged.ok() || judged->altered()) continue;
    Result<Revocation> revocation = ParseRevocationStatement(judged->payload);
    if (!revocation.ok()) continue;
    JudgedRevocation one{judged->id, std::move(*revocation), SignerName(*judged), judged->problem};
    if (judged->counts()) {
      // The target judged in the role its own predicate type needs, not the one the revocation names.
      const std::optional<std::string> target_envelope = find(one.revocation.record);
      Result<std::string> type = target_envelope ? PredicateTypeOfEnvelope(*target_envelope)
                                                 : Result<std::string>(Status::NotFound(one.revocation.record));
      Result<CheckedRecord> target = type.ok() ? JudgeForPredicate(context, *target_envelope, trust, *type, known_keys)
                                               : Result<CheckedRecord>(type.status());
      if (!target.ok()) {
        one.problem = "it withdraws record " + one.revocation.record + ", which is not at hand";
      } else if (!target->counts()) {
        one.problem = "the record it withdraws does not count either (" + target->problem + ")";
      } else if (!SameSigner(*judged, *target)) {
        one.problem = "signed by " + one.signer + ", and record " + one.revocation.record.substr(0, 16) +
                      " by " + CountingSignerNames(*target, "an untrusted key") + ": nobody withdraws another's record";
      }
    }
    withdrawals.all_.push_back(std::move(one));
    const JudgedRevocation& added = withdrawals.all_.back();
    if (added.problem.empty()) withdrawals.counting_.emplace(added.revocation.record, withdrawals.all_.size() - 1);
  }
  return withdrawals;
}

std::string WithdrawalText(const JudgedRevocation& revocation) {
  const Revocation& withdrawn = revocation.revocation;
  return "WITHDRAWN by " + revocation.signer + " (revocation " + revocation.record.substr(0, 16) + "): " + withdrawn.reason +
         (withdrawn.superseded_by.empty() ? "" : "; superseded by " + withdrawn.superseded_by.substr(0, 16));
}

const JudgedRevocation* Withdrawals::Of(const std::string& record_id) const {
  const auto it = counting_.find(record_id);
  return it == counting_.end() ? nullptr : &all_[it->second];
}

}  // namespace assay
