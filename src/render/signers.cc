#include "render/signers.h"

#include "sign/minisign_key.h"
#include "sign/openssh_key.h"

namespace assay {
namespace {

nlohmann::json IsoDateOrNull(const std::optional<UtcDate>& date) {
  return date ? nlohmann::json(date->ToIso()) : nlohmann::json(nullptr);
}

}  // namespace

std::string RoleList(const TrustEntry& entry) {
  std::string text;
  for (TrustRole role : entry.roles) {  // std::set keeps the enum's order
    if (!text.empty()) text += ',';
    text += TrustRoleName(role);
  }
  return text;
}

std::string DescribeSigner(const TrustEntry& entry) {
  return entry.name + " (" + RoleList(entry) + "), key " + FormatMinisignKeyId(entry.key.key_id);
}

std::string DescribeRecordSigner(const RecordSigner& signer) {
  if (!signer.entry) return "UNTRUSTED key " + signer.fingerprint + " (allowed by --allow-untrusted)";
  return DescribeSigner(*signer.entry) + " " + signer.fingerprint;
}

std::string ValidityProblem(const TrustEntry& entry, int64_t unix_seconds) {
  // The same inclusive bounds as TrustEntry::IsValidAt (docs/spec/signing.md, The trust file).
  if (entry.valid_before && unix_seconds > entry.valid_before->ToUnixSeconds()) {
    return "expired on " + entry.valid_before->ToIso();
  }
  if (entry.valid_after && unix_seconds < entry.valid_after->ToUnixSeconds()) {
    return "not valid until " + entry.valid_after->ToIso();
  }
  return "";
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

nlohmann::json RecordSignerJson(const RecordSigner& signer) {
  return {{"fingerprint", signer.fingerprint},
          {"trusted", signer.entry.has_value()},
          {"signer", signer.entry ? TrustEntryJson(*signer.entry) : nlohmann::json(nullptr)}};
}

}  // namespace assay
