#include "render/trust_render.h"

#include <algorithm>

#include "render/signers.h"
#include "render/text.h"
#include "sign/openssh_key.h"

namespace assay {

std::string RenderText(const TrustAdded& added) {
  const std::string range = ValidityRange(added.entry);
  std::string text = Format("trusted %s%s\n", DescribeSigner(added.entry), range.empty() ? "" : "," + range);
  text += Format("in      %s\n", added.trust_file);
  return text;
}

std::string RenderText(const TrustListing& listing) {
  size_t name_width = 0;
  size_t roles_width = 0;
  for (const TrustEntry& entry : listing.trust.entries()) {
    name_width = std::max(name_width, entry.name.size());
    roles_width = std::max(roles_width, RoleList(entry).size());
  }
  std::string text;
  for (const TrustEntry& entry : listing.trust.entries()) {
    std::string validity = ValidityRange(entry);  // " from ... until ..."
    if (!validity.empty()) validity = " " + validity;
    if (std::string problem = ValidityProblem(entry, listing.now); !problem.empty()) {
      validity += " (" + problem + ")";
    }
    text += Format("%-*s  %-*s  %s  %s%s\n", static_cast<int>(name_width), entry.name, static_cast<int>(roles_width),
                   RoleList(entry), FormatMinisignKeyId(entry.key.key_id), SshFingerprint(entry.key.key), validity);
  }
  return text;
}

nlohmann::json RenderJson(const TrustListing& listing) {
  nlohmann::json entries = nlohmann::json::array();
  for (const TrustEntry& entry : listing.trust.entries()) entries.push_back(TrustEntryJson(entry));
  return {{"trust_file", listing.trust_file}, {"entries", entries}};
}

std::string RenderText(const TrustRemoved& removed) {
  return Format("removed %s named %s from %s\n", Plural(removed.removed, "key"), removed.name, removed.trust_file);
}

std::string RenderText(const TrustExported& exported) {
  if (exported.written_to.empty()) return exported.text;
  return Format("written to %s\n", exported.written_to);
}

std::string RenderText(const SignatureVerification& verification) {
  std::string text;
  if (verification.signer) {
    text = Format("good signature by %s\n", DescribeSigner(*verification.signer));
  } else {
    text = Format("good signature by UNTRUSTED key %s (%s)\n", FormatMinisignKeyId(verification.key.key_id),
                  verification.public_key_file);
  }
  text += Format("trusted comment: %s\n", verification.signature.trusted_comment);
  return text;
}

nlohmann::json RenderJson(const SignatureVerification& verification) {
  nlohmann::json roles = nlohmann::json::array();
  if (verification.signer) {
    for (TrustRole role : verification.signer->roles) roles.push_back(std::string(TrustRoleName(role)));
  }
  return {
      {"file", verification.file},
      {"signature_file", verification.signature_file},
      {"trusted", verification.signer.has_value()},
      {"signer", verification.signer ? nlohmann::json(verification.signer->name) : nlohmann::json(nullptr)},
      {"roles", roles},
      {"key_id", FormatMinisignKeyId(verification.key.key_id)},
      {"fingerprint", SshFingerprint(verification.key.key)},
      {"trusted_comment", verification.signature.trusted_comment},
  };
}

}  // namespace assay
