#include "ledger/record_summary.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "digest/sha256.h"
#include "json/strict_json.h"
#include "record/model_record_reader.h"
#include "record/model_statement.h"
#include "record/record_id.h"
#include "sign/dsse.h"

namespace assay {
namespace {

using nlohmann::json;

// Lenient field access for claim and reproduction predicates
// (docs/spec/ledger-index.md, "Claim and reproduction fields"): anything
// missing or of another type reads as absent.
const json* Member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

std::optional<std::string> StringAt(const json& object, const char* key) {
  const json* field = Member(object, key);
  if (field == nullptr || !field->is_string()) return std::nullopt;
  return field->get<std::string>();
}

// A record id or a Merkle root: exactly 64 lowercase hex digits, else absent,
// so the index never joins on a malformed digest.
std::optional<std::string> DigestAt(const json& object, const char* key) {
  std::optional<std::string> text = StringAt(object, key);
  if (!text) return std::nullopt;
  std::optional<Sha256Digest> digest = Sha256FromHex(*text);
  if (!digest || ToHex(*digest) != *text) return std::nullopt;
  return text;
}

std::optional<double> FiniteNumberAt(const json& object, const char* key) {
  const json* field = Member(object, key);
  if (field == nullptr || !field->is_number()) return std::nullopt;
  double value = field->get<double>();
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

const json& ArrayAt(const json& object, const char* key) {
  static const json kEmpty = json::array();
  const json* field = Member(object, key);
  return field != nullptr && field->is_array() ? *field : kEmpty;
}

ClaimSummary SummarizeClaim(const json& predicate) {
  ClaimSummary claim;
  claim.model_record = DigestAt(predicate, "modelRecord");
  claim.weights_root = DigestAt(predicate, "weightsRoot");
  if (const json* benchmark = Member(predicate, "benchmark")) {
    claim.benchmark_name = StringAt(*benchmark, "name");
    claim.benchmark_version = StringAt(*benchmark, "version");
  }
  if (const json* harness = Member(predicate, "harness")) {
    claim.harness_name = StringAt(*harness, "name");
    claim.harness_version = StringAt(*harness, "version");
  }
  for (const json& metric : ArrayAt(predicate, "metrics")) {
    std::optional<std::string> name = StringAt(metric, "name");
    if (!name) continue;  // a metric without a name cannot be looked up or compared
    claim.metrics.push_back(
        {std::move(*name), FiniteNumberAt(metric, "value"), FiniteNumberAt(metric, "stderr")});
  }
  if (const json* endpoint = Member(predicate, "endpoint"); endpoint && endpoint->is_object()) {
    claim.endpoint = true;
    claim.endpoint_provider = StringAt(*endpoint, "provider");
    claim.endpoint_model = StringAt(*endpoint, "model");
  }
  return claim;
}

ReproductionSummary SummarizeReproduction(const json& predicate) {
  ReproductionSummary reproduction;
  reproduction.claim = DigestAt(predicate, "claim");
  reproduction.weights_root_observed = DigestAt(predicate, "weightsRoot");
  for (const json& entry : ArrayAt(predicate, "verdicts")) {
    std::optional<std::string> metric = StringAt(entry, "metric");
    std::optional<std::string> verdict = StringAt(entry, "verdict");
    if (metric && verdict) reproduction.verdicts.push_back({std::move(*metric), std::move(*verdict)});
  }
  return reproduction;
}

// The index stores counts as SQLite integers (signed 64-bit).
constexpr uint64_t kMaxStoredCount = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

Result<ModelSummary> SummarizeModel(std::string_view payload) {
  ASSAY_ASSIGN_OR_RETURN(ModelRecord record, ParseModelStatement(payload));
  ModelSummary model;
  model.name = std::move(record.identity.name);
  model.revision = std::move(record.identity.revision);
  const ModelManifest& manifest = record.manifest;
  if (manifest.hub_source) {
    model.hub_repo_id = manifest.hub_source->repo_id;
    model.hub_revision = manifest.hub_source->revision;
  }
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    if (root.tensor_count > kMaxStoredCount) {
      return Status::InvalidInput("predicate.weightsRoots: tensor count is out of range");
    }
    model.weights_roots.push_back(
        {std::string(WeightFormatName(root.format)), ToHex(root.root), root.tensor_count});
  }
  // Summed here with a bound: the reader's own total may have wrapped.
  for (const FileRecord& file : manifest.files) {
    if (file.size > kMaxStoredCount - model.total_bytes) {
      return Status::InvalidInput("predicate.files: total size is out of range");
    }
    model.total_bytes += file.size;
  }
  model.tensor_count = manifest.TensorCount();
  return model;
}

// The statement's subjects (in-toto ResourceDescriptor): `name` may be absent;
// `digest` maps algorithm names to hex strings.
Result<std::vector<SubjectDigest>> ParseSubjects(const json& statement) {
  const json* subjects = Member(statement, "subject");
  if (subjects == nullptr || !subjects->is_array()) {
    return Status::InvalidInput("statement: \"subject\" is missing or not an array");
  }
  std::vector<SubjectDigest> out;
  for (size_t i = 0; i < subjects->size(); ++i) {
    const json& subject = (*subjects)[i];
    std::string where = "statement subject " + std::to_string(i);
    if (!subject.is_object()) return Status::InvalidInput(where + " is not an object");
    const json* name = Member(subject, "name");
    if (name != nullptr && !name->is_string()) {
      return Status::InvalidInput(where + ": \"name\" is not a string");
    }
    const json* digest = Member(subject, "digest");
    if (digest == nullptr) continue;  // a subject named by uri or content only
    if (!digest->is_object()) return Status::InvalidInput(where + ": \"digest\" is not an object");
    for (const auto& [algorithm, value] : digest->items()) {
      if (!value.is_string()) {
        return Status::InvalidInput(where + ": digest \"" + algorithm + "\" is not a string");
      }
      out.push_back({name != nullptr ? name->get<std::string>() : std::string(), algorithm,
                     value.get<std::string>()});
    }
  }
  return out;
}

}  // namespace

std::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kModel: return "model";
    case RecordKind::kClaim: return "claim";
    case RecordKind::kReproduction: return "reproduction";
    case RecordKind::kOther: break;
  }
  return "other";
}

std::optional<RecordKind> RecordKindFromName(std::string_view name) {
  for (RecordKind kind :
       {RecordKind::kModel, RecordKind::kClaim, RecordKind::kReproduction, RecordKind::kOther}) {
    if (RecordKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

RecordKind RecordKindOf(std::string_view predicate_type) {
  if (predicate_type == kModelPredicateType) return RecordKind::kModel;
  if (IsClaimPredicateType(predicate_type)) return RecordKind::kClaim;
  if (IsReproductionPredicateType(predicate_type)) return RecordKind::kReproduction;
  return RecordKind::kOther;
}

Result<RecordSummary> SummarizeRecord(std::string_view envelope_bytes) {
  if (envelope_bytes.size() > kMaxRecordEnvelopeBytes) {
    return Status::InvalidInput("envelope of " + std::to_string(envelope_bytes.size()) +
                                " bytes exceeds the limit of " +
                                std::to_string(kMaxRecordEnvelopeBytes));
  }
  ASSAY_ASSIGN_OR_RETURN(DsseEnvelope envelope, ParseDsseEnvelope(envelope_bytes));
  if (envelope.payload_type != kInTotoPayloadType) {
    return Status::InvalidInput("envelope payload type is '" + envelope.payload_type +
                                "', expected '" + std::string(kInTotoPayloadType) + "'");
  }
  Result<json> parsed = ParseStrictJson(envelope.payload);
  if (!parsed.ok()) return Status::InvalidInput("payload: " + parsed.status().message());
  const json& statement = *parsed;
  if (!statement.is_object()) return Status::InvalidInput("payload is not a JSON object");
  if (StringAt(statement, "_type") != kInTotoStatementType) {
    return Status::InvalidInput("payload is not an in-toto Statement v1");
  }
  RecordSummary summary;
  summary.id = RecordId(envelope.payload);
  std::optional<std::string> predicate_type = StringAt(statement, "predicateType");
  if (!predicate_type) {
    return Status::InvalidInput("statement: \"predicateType\" is missing or not a string");
  }
  summary.predicate_type = std::move(*predicate_type);
  summary.kind = RecordKindOf(summary.predicate_type);
  ASSAY_ASSIGN_OR_RETURN(summary.subjects, ParseSubjects(statement));
  for (const DsseSignature& signature : envelope.signatures) {
    summary.signature_keyids.push_back(signature.keyid);
  }

  static const json kNoPredicate = json::object();
  const json* predicate = Member(statement, "predicate");
  if (predicate == nullptr) predicate = &kNoPredicate;
  switch (summary.kind) {
    case RecordKind::kModel: {
      ASSAY_ASSIGN_OR_RETURN(summary.model, SummarizeModel(envelope.payload));
      break;
    }
    case RecordKind::kClaim: summary.claim = SummarizeClaim(*predicate); break;
    case RecordKind::kReproduction:
      summary.reproduction = SummarizeReproduction(*predicate);
      break;
    case RecordKind::kOther: break;
  }
  return summary;
}

}  // namespace assay
