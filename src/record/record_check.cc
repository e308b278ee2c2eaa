#include "record/record_check.h"

#include "record/record_id.h"
#include "record/in_toto.h"
#include "sign/openssh_key.h"

namespace assay {
namespace {

struct KeyAtHand {
  Ed25519PublicKey key;
  const TrustEntry* trusted = nullptr;  // in the trust file
  const TrustEntry* named = nullptr;    // in the known keys only (a bundle's word)
};

std::vector<KeyAtHand> KeysAtHand(const TrustFile& trust, const RecordPolicy& policy) {
  std::vector<KeyAtHand> keys;
  for (const TrustEntry& entry : trust.entries()) keys.push_back({entry.key.key, &entry, nullptr});
  for (const Ed25519PublicKey& key : policy.allowed_untrusted_keys) keys.push_back({key, nullptr, nullptr});
  if (policy.known_keys != nullptr) {
    for (const TrustEntry& entry : policy.known_keys->entries()) {
      if (trust.Find(entry.key.key) == nullptr) keys.push_back({entry.key.key, nullptr, &entry});
    }
  }
  return keys;
}

std::string NameOf(const KeyAtHand& key) {
  if (key.trusted != nullptr) return "'" + key.trusted->name + "'";
  if (key.named != nullptr) return "'" + key.named->name + "' (as the bundle names key " + SshFingerprint(key.key) + ")";
  return "key " + SshFingerprint(key.key);
}

// Nothing verified. The keyid is only a hint, but when it names a key at hand
// the record was altered after signing; otherwise its signer is a stranger.
CheckedRecord WhyNothingVerified(const DsseEnvelope& envelope, const std::vector<KeyAtHand>& keys) {
  CheckedRecord judgement;
  judgement.payload = envelope.payload;
  judgement.id = RecordId(envelope.payload);
  for (const DsseSignature& signature : envelope.signatures) {
    for (const KeyAtHand& key : keys) {
      if (!signature.keyid.empty() && signature.keyid == SshFingerprint(key.key)) {
        judgement.standing = RecordStanding::kAltered;
        judgement.problem = "the signature by " + NameOf(key) + " does not match the record: it was altered after signing";
        return judgement;
      }
    }
  }
  if (envelope.signatures.empty()) {
    judgement.problem = "the record has no signature";
    return judgement;
  }
  std::string keyids;
  for (const DsseSignature& signature : envelope.signatures) {
    keyids += (keyids.empty() ? "" : ", ") + (signature.keyid.empty() ? "(no keyid)" : signature.keyid);
  }
  judgement.problem = "no key in the trust file verifies the signature (keyid " + keyids +
                      "); add the signer with 'assay trust add', or pass --allow-untrusted --public-key-file PUB";
  return judgement;
}

}  // namespace

std::string_view RecordStandingName(RecordStanding standing) {
  switch (standing) {
    case RecordStanding::kCounts:
      return "counts";
    case RecordStanding::kNotCounted:
      return "not counted";
    case RecordStanding::kAltered:
      return "altered after signing";
    case RecordStanding::kUnsigned:
      break;
  }
  return "unsigned";
}

Result<CheckedRecord> CheckRecord(std::string_view bytes, const TrustFile& trust, const RecordPolicy& policy) {
  if (IsBareStatement(bytes)) {
    if (!policy.allow_unsigned) {
      return Status::CheckFailed("an unsigned statement, not a signed record")
          .WithHint("pass --allow-unsigned to read it anyway; nobody can tell who made it");
    }
    CheckedRecord statement;
    statement.standing = RecordStanding::kUnsigned;
    statement.payload = std::string(bytes.substr(0, bytes.find_last_not_of("\r\n") + 1));
    statement.id = RecordId(statement.payload);
    statement.problem = "an unsigned statement: nobody can tell who made it";
    return statement;
  }
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope envelope, ParseDsseEnvelope(bytes));
  const std::vector<KeyAtHand> keys = KeysAtHand(trust, policy);
  std::vector<Ed25519PublicKey> public_keys;
  for (const KeyAtHand& key : keys) public_keys.push_back(key.key);

  Result<VerifiedDsse> verified = VerifyDsse(envelope, kInTotoPayloadType, public_keys);
  if (!verified.ok()) {
    if (verified.status().kind() != ErrorKind::kCheckFailed) return verified.status();
    return WhyNothingVerified(envelope, keys);
  }
  CheckedRecord checked;
  checked.payload = verified->payload();
  checked.id = RecordId(checked.payload);
  for (const DsseSigner& signer : verified->signers()) {
    const KeyAtHand& key = keys[signer.key_index];
    if (key.trusted == nullptr && key.named == nullptr) {
      checked.signers.push_back({key.key, SshFingerprint(key.key), std::nullopt});
      continue;
    }
    if (key.named != nullptr) {
      checked.refused.push_back(NameOf(key) + " is not in the trust file");
      continue;
    }
    Result<const TrustEntry*> entry = trust.Authorize(key.key, policy.required_role, policy.now_unix_seconds);
    if (entry.ok()) {
      checked.signers.push_back({key.key, SshFingerprint(key.key), **entry});
    } else {
      checked.refused.push_back(entry.status().message());
    }
  }
  if (checked.signers.empty()) {
    std::string reasons;
    for (const std::string& reason : checked.refused) reasons += (reasons.empty() ? "" : "; ") + reason;
    checked.standing = RecordStanding::kNotCounted;
    checked.problem = "no signature counts: " + reasons;
    return checked;
  }
  checked.standing = RecordStanding::kCounts;
  return checked;
}

Result<CheckedRecord> RequireCounts(Result<CheckedRecord> checked) {
  if (!checked.ok() || checked->counts()) return checked;
  return Status::CheckFailed(checked->problem);
}

std::string CountingSignerNames(const CheckedRecord& record, const std::string& none, bool with_roles) {
  std::string names;
  for (const RecordSigner& signer : record.signers) {
    if (!signer.entry) continue;
    names += (names.empty() ? "" : ", ") + signer.entry->name;
    if (with_roles) names += " (" + RoleList(*signer.entry) + ")";
  }
  return names.empty() ? none : names;
}

}  // namespace assay
