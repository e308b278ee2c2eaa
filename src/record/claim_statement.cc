#include "record/claim_statement.h"

#include <algorithm>

#include "record/in_toto.h"
#include "json/strict_json.h"
#include "record/model_statement.h"

namespace assay {
namespace {

using json = nlohmann::json;

// The subject a claim not bound to weights names: the digest of the text
// "PROVIDER/MODEL", as a subject must carry a digest (docs/spec/claim.md).
std::string EndpointDigest(const Endpoint& endpoint) {
  return ToHex(Sha256::Of(EndpointName(endpoint)));
}

ExpectedSubjects SubjectsOf(const ClaimBinding& binding) {
  if (binding.endpoint) return {{EndpointSubjectName(*binding.endpoint), {"sha256", EndpointDigest(*binding.endpoint)}}};
  return {{"model-record", {"sha256", binding.model_record}},
          {"weights-root:" + binding.weights_format, {"rfc6962-sha256", binding.weights_root}}};
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// A log names a model by hub id ("Qwen/Qwen3-8B") or by a local path
// ("/models/Qwen3-8B"): either agrees with a record whose name or hub repo id
// is the same, or ends the path. A hub id of another organisation
// ("evil/Qwen3-8B") names another model, whatever its last part.
bool NamesAgree(const std::string& log_name, const std::string& record_name) {
  const std::string log = Lower(log_name), record = Lower(record_name);
  if (log == record) return true;
  const bool log_is_hub_id = std::count(log.begin(), log.end(), '/') == 1 && !log.starts_with('/') &&
                             !log.starts_with('.') && !log.starts_with('~');
  if (log_is_hub_id && record.find('/') != std::string::npos) return false;
  const std::string last = record.substr(record.rfind('/') + 1);
  return log.ends_with("/" + record) || log.ends_with("/" + last) || log == last;
}

// Revisions agree when equal, or when one is a prefix of the other of at
// least 7 hex digits (a short commit hash); "v1" is not "v10".
bool RevisionsAgree(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  const auto hex = [](const std::string& text) {
    return text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
  };
  return std::min(a.size(), b.size()) >= 7 && hex(a) && hex(b) && (a.starts_with(b) || b.starts_with(a));
}

}  // namespace

std::string EndpointSubjectName(const Endpoint& endpoint) {
  return "endpoint:" + EndpointName(endpoint);
}

ClaimBinding BindToModelRecord(const std::string& record_id, const ModelRecord& record) {
  ClaimBinding binding;
  binding.model_record = record_id;
  binding.model_name = record.identity.name;
  binding.model_revision = record.identity.revision.value_or("");
  if (!record.manifest.weights_roots.empty()) {
    const WeightsRootRecord& root = record.manifest.weights_roots.front();
    binding.weights_root = ToHex(root.root);
    binding.weights_format = std::string(WeightFormatName(root.format));
  }
  return binding;
}

std::string DescribeModelMismatch(const EvalSummary& eval, const ModelRecord& record) {
  const std::optional<HubSource>& hub = record.manifest.hub_source;
  const std::string& log_name = eval.log_model_name;
  const std::string& log_revision = eval.log_model_revision;
  const bool name_ok = log_name.empty() || NamesAgree(log_name, record.identity.name) ||
                       (hub && NamesAgree(log_name, hub->repo_id));
  const bool revision_ok = log_revision.empty() || log_revision == "main" ||
                           RevisionsAgree(log_revision, record.identity.revision.value_or("")) ||
                           (hub && RevisionsAgree(log_revision, hub->revision));
  if (name_ok && revision_ok) return "";
  std::string log = "the eval log names " + (log_name.empty() ? std::string("no model") : log_name);
  if (!log_revision.empty()) log += " at " + log_revision;
  std::string ours = "the model record is " + record.identity.name;
  if (record.identity.revision) ours += " at " + *record.identity.revision;
  if (hub) ours += " (hub " + hub->repo_id + " at " + hub->revision + ")";
  return log + "; " + ours;
}

std::string DescribeEndpointMismatch(const EvalSummary& eval, const Endpoint& endpoint) {
  const std::string& log_name = eval.log_model_name;
  if (log_name.empty() || NamesAgree(log_name, endpoint.model) ||
      NamesAgree(log_name, EndpointName(endpoint))) {
    return "";
  }
  return "the eval log names " + log_name + "; the claim names endpoint " + EndpointName(endpoint);
}

json ClaimStatement(const Claim& claim) {
  json subjects = json::array();
  for (const auto& [name, digest] : SubjectsOf(claim.binding)) {
    subjects.push_back({{"name", name}, {"digest", {{digest.first, digest.second}}}});
  }
  const ClaimBinding& binding = claim.binding;
  json predicate = {{"boundToWeights", binding.bound_to_weights()}};
  if (binding.endpoint) {
    predicate["endpoint"] = {{"provider", binding.endpoint->provider}, {"model", binding.endpoint->model}};
  } else {
    predicate["modelRecord"] = binding.model_record;
    predicate["weightsRoot"] = binding.weights_root;
    predicate["weightsFormat"] = binding.weights_format;
    json model = {{"name", binding.model_name}};
    if (!binding.model_revision.empty()) model["revision"] = binding.model_revision;
    predicate["model"] = std::move(model);
  }
  WriteEvalSummary(claim.eval, predicate);
  if (!claim.model_mismatch.empty()) predicate["logModelMismatch"] = claim.model_mismatch;
  if (!claim.plan.empty()) predicate["plan"] = claim.plan;
  return {{"_type", kInTotoStatementType},
          {"subject", std::move(subjects)},
          {"predicateType", claim.eval.logs.empty() ? kClaimPredicateType : kClaimV2PredicateType},
          {"predicate", std::move(predicate)}};
}

Result<Claim> ParseClaimStatement(std::string_view statement_bytes) {
  ASSAY_ASSIGN_OR_RETURN(json document, ParseStrictJson(statement_bytes));
  const Fields statement(document, "");
  ASSAY_ASSIGN_OR_RETURN(std::string type, statement.String("predicateType"));
  const bool v2 = type == kClaimV2PredicateType;
  ASSAY_ASSIGN_OR_RETURN(Fields predicate,
                         StatementPredicate(statement, v2 ? kClaimV2PredicateType : kClaimPredicateType, "a claim record"));
  Claim claim;
  ClaimBinding& binding = claim.binding;
  ASSAY_ASSIGN_OR_RETURN(bool bound, predicate.Bool("boundToWeights"));
  // A claim is about weights or about an endpoint, never both.
  const std::vector<const char*> other_binding =
      bound ? std::vector<const char*>{"endpoint"}
            : std::vector<const char*>{"modelRecord", "weightsRoot", "weightsFormat", "model"};
  for (const char* key : other_binding) {
    if (predicate.Has(key)) {
      return Status::InvalidInput(predicate.path() + "." + key + ": not allowed when boundToWeights is " +
                                  (bound ? "true" : "false"));
    }
  }
  if (bound) {
    ASSAY_ASSIGN_OR_RETURN(Sha256Digest record, predicate.Digest("modelRecord"));
    ASSAY_ASSIGN_OR_RETURN(Sha256Digest root, predicate.Digest("weightsRoot"));
    binding.model_record = ToHex(record);
    binding.weights_root = ToHex(root);
    ASSAY_ASSIGN_OR_RETURN(binding.weights_format, predicate.String("weightsFormat"));
    ASSAY_ASSIGN_OR_RETURN(Fields model, predicate.Object("model"));
    ASSAY_ASSIGN_OR_RETURN(binding.model_name, model.String("name"));
    if (model.Has("revision")) {
      ASSAY_ASSIGN_OR_RETURN(binding.model_revision, model.String("revision"));
    }
  } else {
    ASSAY_ASSIGN_OR_RETURN(Fields endpoint, predicate.Object("endpoint"));
    Endpoint parsed;
    ASSAY_ASSIGN_OR_RETURN(parsed.provider, endpoint.String("provider"));
    ASSAY_ASSIGN_OR_RETURN(parsed.model, endpoint.String("model"));
    binding.endpoint = std::move(parsed);
  }
  ASSAY_ASSIGN_OR_RETURN(claim.eval, ReadEvalSummary(predicate, v2));
  if (predicate.Has("logModelMismatch")) {
    ASSAY_ASSIGN_OR_RETURN(claim.model_mismatch, predicate.String("logModelMismatch"));
  }
  if (predicate.Has("plan")) {
    if (!v2) return Status::InvalidInput(predicate.path() + ".plan: not a field of version 1");
    ASSAY_ASSIGN_OR_RETURN(Sha256Digest plan, predicate.Digest("plan"));
    claim.plan = ToHex(plan);
  }
  ASSAY_RETURN_IF_ERROR(CheckSubjects(statement, SubjectsOf(binding)));
  return claim;
}

}  // namespace assay
