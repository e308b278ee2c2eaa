#include "sign/record_verification.h"

#include "sign/openssh_key.h"

namespace assay {
namespace {

// The keyid is only a hint, but it tells a tampered record (a trusted key's
// fingerprint, yet no match) from one signed by a stranger.
std::string WhyNothingVerified(const DsseEnvelope& envelope, const TrustFile& trust) {
  for (const DsseSignature& signature : envelope.signatures) {
    for (const TrustEntry& entry : trust.entries()) {
      if (!signature.keyid.empty() && signature.keyid == SshFingerprint(entry.key.key)) {
        return "the signature by '" + entry.name + "' does not match the record: it was altered after signing";
      }
    }
  }
  std::string keyids;
  for (const DsseSignature& signature : envelope.signatures) {
    keyids += (keyids.empty() ? "" : ", ") + (signature.keyid.empty() ? "(no keyid)" : signature.keyid);
  }
  if (envelope.signatures.empty()) return "the record has no signature";
  return "no key in the trust file verifies the signature (keyid " + keyids +
         "); add the signer with 'assay trust add', or pass --allow-untrusted --public-key-file PUB";
}

}  // namespace

Result<VerifiedRecord> VerifyRecord(std::string_view envelope_json, const TrustFile& trust,
                                    const RecordPolicy& policy) {
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope envelope, ParseDsseEnvelope(envelope_json));
  std::vector<Ed25519PublicKey> keys;
  for (const TrustEntry& entry : trust.entries()) keys.push_back(entry.key.key);
  const size_t trusted_count = keys.size();
  keys.insert(keys.end(), policy.allowed_untrusted_keys.begin(), policy.allowed_untrusted_keys.end());

  Result<VerifiedDsse> verified = VerifyDsse(envelope, kInTotoPayloadType, keys);
  if (!verified.ok()) {
    if (verified.status().kind() != ErrorKind::kCheckFailed) return verified.status();
    return Status::CheckFailed(WhyNothingVerified(envelope, trust));
  }
  VerifiedRecord record;
  record.payload = verified->payload();
  record.id = verified->record_id();
  for (const DsseSigner& signer : verified->signers()) {
    const Ed25519PublicKey& key = keys[signer.key_index];
    if (signer.key_index >= trusted_count) {
      record.signers.push_back({key, SshFingerprint(key), nullptr});
      continue;
    }
    Result<const TrustEntry*> entry = trust.Authorize(key, policy.required_role, policy.now_unix_seconds);
    if (entry.ok()) {
      record.signers.push_back({key, SshFingerprint(key), *entry});
    } else {
      record.refused.push_back(entry.status().message());
    }
  }
  if (record.signers.empty()) {
    std::string reasons;
    for (const std::string& reason : record.refused) reasons += (reasons.empty() ? "" : "; ") + reason;
    return Status::CheckFailed("no signature counts: " + reasons);
  }
  return record;
}

}  // namespace assay
