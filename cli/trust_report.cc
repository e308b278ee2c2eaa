#include "cli/trust_report.h"

#include "clock.h"
#include "sign/minisign_key.h"
#include "sign/openssh_key.h"

namespace assay::cli {
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

int64_t NowUnixSeconds() { return RealTimeClock().NowNanos() / 1'000'000'000; }

}  // namespace assay::cli
