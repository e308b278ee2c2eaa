#include "render/deployment_render.h"

#include "render/model_render.h"
#include "render/text.h"

namespace assay {

std::string RenderText(const AttestedDeployment& attested) {
  const Deployment& deployment = attested.deployment;
  std::string text = Format("deployment %s\n", attested.published.id);
  text += Format("endpoint   %s/%s\n", deployment.endpoint.provider, deployment.endpoint.model);
  text += Format("model      %s%s (record %s)\n", deployment.model_name,
                 deployment.model_revision ? " @ " + *deployment.model_revision : "", deployment.model_record.substr(0, 16));
  text += Format("serving    from %s%s\n", deployment.from,
                 deployment.until ? " until " + *deployment.until : " until your next deployment of it");
  return text + RenderPublication(attested.published);
}

std::string RenderJson(const AttestedDeployment& attested) { return attested.published.record + "\n"; }

}  // namespace assay
