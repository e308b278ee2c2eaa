#include "render/demo_render.h"

#include "render/claim_render.h"
#include "render/comparison_render.h"
#include "render/deployment_render.h"
#include "render/history_render.h"
#include "render/model_render.h"
#include "render/observe_render.h"
#include "render/signers.h"
#include "render/status_render.h"
#include "render/text.h"
#include "sign/openssh_key.h"

namespace assay {
namespace {

std::string RenderParty(const DemoParty& party) {
  if (party.reused) return Format("reusing the %s key %s\n", party.name, party.key_file);
  std::string text = Format("key id       %s\n", FormatMinisignKeyId(party.key.key_id));
  text += Format("public key   %s\n", EncodeMinisignPublicKey(party.key));
  text += Format("fingerprint  %s\n", SshFingerprint(party.key.key));
  text += Format("public file  %s\n", party.public_key_file);
  text += Format("secret file  %s (unencrypted)\n", party.key_file);
  const TrustEntry entry{party.name, {party.role}, party.key, std::nullopt, std::nullopt};
  text += Format("trusted %s\n", DescribeSigner(entry));
  return text + Format("in      %s\n", party.trust_file);
}

struct StepText {
  std::string operator()(const DemoLedger& ledger) const { return Format("ledger     %s\n", ledger.path); }
  std::string operator()(const std::vector<DemoParty>& parties) const {
    std::string text;
    for (const DemoParty& party : parties) text += RenderParty(party);
    return text;
  }
  template <typename Result>
  std::string operator()(const Result& result) const {
    return RenderText(result);
  }
};

}  // namespace

std::string RenderText(const DemoStory& story) {
  std::string text;
  for (const DemoStep& step : story.steps) text += Format("\n== %s\n", step.title) + std::visit(StepText{}, step.result);
  text += Format("\nexplore further (the demo's records live in %s):\n", story.dir);
  for (const std::string& command : story.commands) text += ShellLines(Printable(command), 2);
  return text;
}

}  // namespace assay
