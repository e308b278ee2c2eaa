#include "record/deployment_statement.h"

#include "json/record_fields.h"
#include "json/strict_json.h"
#include "record/in_toto.h"
#include "utc_time.h"

namespace assay {
namespace {

using json = nlohmann::json;

Result<std::string> UtcTimeField(const Fields& fields, const std::string& key) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, fields.String(key));
  if (!ParseIsoTime(text) || !text.ends_with("Z")) {
    return Status::InvalidInput(fields.path() + "." + key + ": expected an RFC 3339 time in UTC (…Z)");
  }
  return text;
}

}  // namespace

json ModelRecordRefJson(const ModelRecordRef& model) {
  json out = {{"record", model.record}, {"name", model.name}, {"weightsRoots", model.weights_roots}};
  if (model.revision) out["revision"] = *model.revision;
  return out;
}

Result<ModelRecordRef> ReadModelRecordRef(const Fields& fields) {
  ModelRecordRef model;
  ASSAY_ASSIGN_OR_RETURN(Sha256Digest record, fields.Digest("record"));
  model.record = ToHex(record);
  ASSAY_ASSIGN_OR_RETURN(model.name, fields.String("name"));
  if (fields.Has("revision")) {
    ASSAY_ASSIGN_OR_RETURN(model.revision, fields.String("revision"));
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> roots, fields.Array("weightsRoots"));
  for (const Fields& root : roots) {
    if (!root.value().is_string()) return Status::InvalidInput(root.path() + ": expected FORMAT:HEX");
    model.weights_roots.push_back(root.value().get<std::string>());
  }
  return model;
}

json EndpointJson(const Endpoint& endpoint) { return {{"provider", endpoint.provider}, {"model", endpoint.model}}; }

Result<Endpoint> ReadEndpoint(const Fields& predicate) {
  ASSAY_ASSIGN_OR_RETURN(Fields fields, predicate.Object("endpoint"));
  Endpoint endpoint;
  ASSAY_ASSIGN_OR_RETURN(endpoint.provider, fields.String("provider"));
  ASSAY_ASSIGN_OR_RETURN(endpoint.model, fields.String("model"));
  if (endpoint.provider.empty() || endpoint.model.empty()) {
    return Status::InvalidInput(fields.path() + ": provider and model are not empty");
  }
  return endpoint;
}

json ModelRecordSubject(const std::string& record) {
  return json::array({{{"name", "model-record"}, {"digest", {{"sha256", record}}}}});
}

json DeploymentStatement(const Deployment& deployment) {
  json model = ModelRecordRefJson(
      {deployment.model_record, deployment.model_name, deployment.model_revision, deployment.weights_roots});
  json predicate = {{"endpoint", EndpointJson(deployment.endpoint)},
                    {"model", std::move(model)},
                    {"from", deployment.from}};
  if (deployment.until) predicate["until"] = *deployment.until;
  return {{"_type", kInTotoStatementType},
          {"subject", ModelRecordSubject(deployment.model_record)},
          {"predicateType", kDeploymentPredicateType},
          {"predicate", std::move(predicate)}};
}

Result<Deployment> ParseDeploymentStatement(std::string_view statement_bytes) {
  ASSAY_ASSIGN_OR_RETURN(json document, ParseStrictJson(statement_bytes));
  const Fields statement(document, "");
  ASSAY_ASSIGN_OR_RETURN(Fields predicate, StatementPredicate(statement, kDeploymentPredicateType, "a deployment record"));
  Deployment deployment;
  ASSAY_ASSIGN_OR_RETURN(deployment.endpoint, ReadEndpoint(predicate));
  ASSAY_ASSIGN_OR_RETURN(Fields model_fields, predicate.Object("model"));
  ASSAY_ASSIGN_OR_RETURN(ModelRecordRef model, ReadModelRecordRef(model_fields));
  deployment.model_record = std::move(model.record);
  deployment.model_name = std::move(model.name);
  deployment.model_revision = std::move(model.revision);
  deployment.weights_roots = std::move(model.weights_roots);
  ASSAY_ASSIGN_OR_RETURN(deployment.from, UtcTimeField(predicate, "from"));
  if (predicate.Has("until")) {
    ASSAY_ASSIGN_OR_RETURN(deployment.until, UtcTimeField(predicate, "until"));
    if (*ParseIsoTime(*deployment.until) <= *ParseIsoTime(deployment.from)) {
      return Status::InvalidInput(predicate.path() + ".until: not after from");
    }
  }
  ASSAY_RETURN_IF_ERROR(CheckSubjects(statement, {{"model-record", {"sha256", deployment.model_record}}}));
  return deployment;
}

}  // namespace assay
