// The claim record's in-toto Statement v1 (DESIGN.md, Records: claim;
// docs/spec/claim.md; schema/claim-statement.schema.json): a benchmark score
// bound to a model record and the weights root it holds, or, for a hosted
// model with no published weights, to an endpoint, marked as not bound to
// weights. Signed by the vendor and appended to the ledger.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "record/eval_summary.h"
#include "record/in_toto.h"
#include "record/model_record_reader.h"
#include "status.h"

namespace assay {

struct Endpoint {
  std::string provider;  // "openai", "acme-api"
  std::string model;     // the provider's model name
};

// "PROVIDER/MODEL", as commands take it and readers show it.
inline std::string EndpointName(const Endpoint& endpoint) { return endpoint.provider + "/" + endpoint.model; }

// What a claim is about: a model record's weights, or an endpoint.
struct ClaimBinding {
  std::string model_record;    // hex id of the model record
  std::string weights_root;    // hex root the claim binds
  std::string weights_format;  // "safetensors" or "gguf"
  std::string model_name;      // the model record's name and revision, for readers
  std::string model_revision;
  std::optional<Endpoint> endpoint;  // set: not bound to weights; the fields above are empty

  bool bound_to_weights() const { return !endpoint.has_value(); }
};

struct Claim {
  ClaimBinding binding;
  EvalSummary eval;
  // Set when what the log says about the model disagrees with the model
  // record: "the log names Qwen/Qwen3-8B at b968826d, the record acme/foo at v1".
  std::string model_mismatch;
  std::string plan;  // the id of the plan record the run followed (claim/v2; "" when none)
};

// Binds to `record` (its id and its first weights root); fills model name and
// revision, and compares them with what the eval log says.
ClaimBinding BindToModelRecord(const std::string& record_id, const ModelRecord& record);
// "" when the log's model agrees with the record, or the log does not say.
std::string DescribeModelMismatch(const EvalSummary& eval, const ModelRecord& record);

// "" when the log's model is the endpoint's model (with or without the provider).
std::string DescribeEndpointMismatch(const EvalSummary& eval, const Endpoint& endpoint);

nlohmann::json ClaimStatement(const Claim& claim);

// `statement_bytes` is a verified payload. kInvalidInput naming the field
// for anything that is not a well-formed claim statement.
Result<Claim> ParseClaimStatement(std::string_view statement_bytes);

// "endpoint:openai/gpt-4o": the subject of a claim not bound to weights.
std::string EndpointSubjectName(const Endpoint& endpoint);

}  // namespace assay
