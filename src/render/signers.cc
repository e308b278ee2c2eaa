#include "render/signers.h"

#include "sign/minisign_key.h"
#include "sign/openssh_key.h"

namespace assay {
namespace {

nlohmann::json IsoDateOrNull(const std::optional<UtcDate>& date) {
  return date ? nlohmann::json(date->ToIso()) : nlohmann::json(nullptr);
}

}  // namespace

std::string DescribeRecordSigner(const RecordSigner& signer) {
  if (!signer.entry) return "UNTRUSTED key " + signer.fingerprint + " (allowed by --allow-untrusted)";
  return DescribeSigner(*signer.entry) + " " + signer.fingerprint;
}

nlohmann::json TrustEntryJson(const TrustEntry& entry) {
  nlohmann::json roles = nlohmann::json::array();
  for (TrustRole role : entry.roles) roles.push_back(std::string(TrustRoleName(role)));
  return {
      {"name", entry.name},
      {"roles", roles},
      {"key_id", FormatMinisignKeyId(entry.key.key_id)},
      {"public_key", EncodeMinisignPublicKey(entry.key)},
      {"fingerprint", SshFingerprint(entry.key.key)},
      {"valid_after", IsoDateOrNull(entry.valid_after)},
      {"valid_before", IsoDateOrNull(entry.valid_before)},
  };
}

std::string CountingSigners(const CheckedRecord& record, bool with_roles) {
  return CountingSignerNames(record, "UNTRUSTED signer", with_roles);
}

nlohmann::json RecordSignerJson(const RecordSigner& signer) {
  return {{"fingerprint", signer.fingerprint},
          {"trusted", signer.entry.has_value()},
          {"signer", signer.entry ? TrustEntryJson(*signer.entry) : nlohmann::json(nullptr)}};
}

}  // namespace assay
