#include "render/revocation_render.h"

#include "render/model_render.h"
#include "render/text.h"

namespace assay {

std::string RenderText(const AttestedRevocation& attested) {
  const Revocation& revocation = attested.revocation;
  std::string text = Format("revocation %s\n", attested.published.id);
  text += Format("withdraws  %s (%s)\n", revocation.record, revocation.record_type);
  text += Format("reason     %s\n", revocation.reason);
  if (!revocation.superseded_by.empty()) text += Format("superseded by %s\n", revocation.superseded_by);
  return text + RenderPublication(attested.published);
}

std::string RenderJson(const AttestedRevocation& attested) { return attested.published.record + "\n"; }

std::string WithdrawnText(const JudgedRevocation* revocation) {
  return revocation == nullptr ? "" : Format(" %s", WithdrawalText(*revocation));
}

nlohmann::json WithdrawnJson(const JudgedRevocation* revocation) {
  if (revocation == nullptr) return nullptr;
  const Revocation& withdrawn = revocation->revocation;
  return {{"by", revocation->signer},
          {"revocation", revocation->record},
          {"reason", withdrawn.reason},
          {"supersededBy", withdrawn.superseded_by.empty() ? nlohmann::json() : nlohmann::json(withdrawn.superseded_by)}};
}

}  // namespace assay
