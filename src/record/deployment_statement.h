// A deployment record (docs/spec/deployment.md): a host's word that its
// endpoint PROVIDER/MODEL served the weights of one model record from a time
// on (until a time, or until the host's next deployment of that endpoint).
// It counts only when PROVIDER is the signer's own name in the trust file,
// in the role host: one host cannot declare another's endpoints.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "json/record_fields.h"
#include "record/claim_statement.h"
#include "status.h"

namespace assay {

// A model record as other records name it: its id, and its model and
// weights roots for readers who do not have it.
struct ModelRecordRef {
  std::string record;  // its id, 64 lowercase hex
  std::string name;
  std::optional<std::string> revision;
  std::vector<std::string> weights_roots;  // "FORMAT:HEX", the record's, in its order
};

nlohmann::json ModelRecordRefJson(const ModelRecordRef& model);
// `fields` is the object ModelRecordRefJson wrote; kInvalidInput naming the field.
Result<ModelRecordRef> ReadModelRecordRef(const Fields& fields);

// The predicate's "endpoint", {"provider", "model"}, both non-empty; and the
// statement's one subject, "model-record" with the record's id: the same in
// deployments and comparisons.
nlohmann::json EndpointJson(const Endpoint& endpoint);
Result<Endpoint> ReadEndpoint(const Fields& predicate);
nlohmann::json ModelRecordSubject(const std::string& record);

struct Deployment {
  Endpoint endpoint;
  std::string model_record;  // its id, 64 lowercase hex
  std::string model_name;    // the record's model, for readers
  std::optional<std::string> model_revision;
  std::vector<std::string> weights_roots;  // "FORMAT:HEX", the record's, in its order
  std::string from;                        // RFC 3339 UTC
  std::optional<std::string> until;        // RFC 3339 UTC, after `from`
};

nlohmann::json DeploymentStatement(const Deployment& deployment);
// kInvalidInput naming the field; members a later version adds are passed over.
Result<Deployment> ParseDeploymentStatement(std::string_view statement_bytes);

}  // namespace assay
