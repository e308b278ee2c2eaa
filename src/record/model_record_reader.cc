#include "record/model_record_reader.h"

#include "json/strict_json.h"

#include <map>
#include <nlohmann/json.hpp>

#include "record/in_toto.h"
#include "model/weights_root.h"

namespace assay {
namespace {

using nlohmann::json;

Result<WeightFormat> ParseFormat(const Fields& fields, const std::string& key) {
  ASSAY_ASSIGN_OR_RETURN(std::string name, fields.String(key));
  for (WeightFormat format : {WeightFormat::kSafetensors, WeightFormat::kGguf, WeightFormat::kOther}) {
    if (name == WeightFormatName(format)) return format;
  }
  return Status::InvalidInput(fields.path() + "." + key + ": unknown format \"" + name + "\"");
}

Result<TensorRecord> ParseTensor(const Fields& fields, WeightFormat format, bool with_digest) {
  TensorRecord tensor;
  ASSAY_ASSIGN_OR_RETURN(tensor.name, fields.String("name"));
  ASSAY_ASSIGN_OR_RETURN(tensor.dtype, fields.String("dtype"));
  if (!tensor.dtype.starts_with(std::string(WeightFormatName(format)) + ":")) {
    return Status::InvalidInput(fields.path() + ".dtype: \"" + tensor.dtype + "\" is not a " +
                                std::string(WeightFormatName(format)) + " dtype");
  }
  ASSAY_ASSIGN_OR_RETURN(tensor.shape, fields.Dimensions("shape"));
  ASSAY_ASSIGN_OR_RETURN(tensor.offset, fields.Unsigned("offset"));
  ASSAY_ASSIGN_OR_RETURN(tensor.size, fields.Unsigned("size"));
  if (with_digest) {
    ASSAY_ASSIGN_OR_RETURN(tensor.digest, fields.Digest("sha256"));
  }
  return tensor;
}

Result<FileRecord> ParseFile(const Fields& fields, bool with_tensor_digests) {
  FileRecord file;
  ASSAY_ASSIGN_OR_RETURN(file.path, fields.String("path"));
  ASSAY_ASSIGN_OR_RETURN(file.size, fields.Unsigned("size"));
  ASSAY_ASSIGN_OR_RETURN(file.sha256, fields.Digest("sha256"));
  ASSAY_ASSIGN_OR_RETURN(file.format, ParseFormat(fields, "format"));
  if (fields.Has("hidden")) {
    ASSAY_ASSIGN_OR_RETURN(file.hidden, fields.Bool("hidden"));
  }
  if (file.format == WeightFormat::kOther) return file;
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> tensors, fields.Array("tensors"));
  for (const Fields& tensor : tensors) {
    ASSAY_ASSIGN_OR_RETURN(TensorRecord record, ParseTensor(tensor, file.format, with_tensor_digests));
    file.tensors.push_back(std::move(record));
  }
  return file;
}

// The subjects: one per file with its sha256, one per root.
Status CheckModelSubjects(const Fields& statement, const ModelManifest& manifest) {
  ExpectedSubjects expected;
  for (const FileRecord& file : manifest.files) expected[file.path] = {"sha256", ToHex(file.sha256)};
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    expected[WeightsRootSubjectName(root.format)] = {"rfc6962-sha256", ToHex(root.root)};
  }
  return CheckSubjects(statement, expected);
}

Result<ModelRecord> ParseRecord(const json& document) {
  Fields statement(document, "");
  ASSAY_ASSIGN_OR_RETURN(Fields predicate, StatementPredicate(statement, kModelPredicateType, "a model record"));
  ModelRecord record;
  ASSAY_ASSIGN_OR_RETURN(Fields model, predicate.Object("model"));
  ASSAY_ASSIGN_OR_RETURN(record.identity.name, model.String("name"));
  if (model.Has("revision")) {
    ASSAY_ASSIGN_OR_RETURN(record.identity.revision, model.String("revision"));
  }
  if (model.Has("source")) {
    ASSAY_ASSIGN_OR_RETURN(Fields source, model.Object("source"));
    HubSource hub;
    ASSAY_ASSIGN_OR_RETURN(hub.repo_id, source.String("repoId"));
    ASSAY_ASSIGN_OR_RETURN(hub.revision, source.String("revision"));
    record.manifest.hub_source = hub;
  }
  ModelManifest& manifest = record.manifest;
  ASSAY_ASSIGN_OR_RETURN(manifest.has_tensor_digests, predicate.Bool("tensorDigests"));
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> files, predicate.Array("files"));
  for (const Fields& file : files) {
    ASSAY_ASSIGN_OR_RETURN(FileRecord parsed, ParseFile(file, manifest.has_tensor_digests));
    manifest.total_bytes += parsed.size;
    manifest.files.push_back(std::move(parsed));
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> roots, predicate.Array("weightsRoots"));
  for (const Fields& root : roots) {
    WeightsRootRecord parsed;
    ASSAY_ASSIGN_OR_RETURN(parsed.format, ParseFormat(root, "format"));
    ASSAY_ASSIGN_OR_RETURN(parsed.root, root.Digest("root"));
    ASSAY_ASSIGN_OR_RETURN(parsed.tensor_count, root.Unsigned("tensorCount"));
    manifest.weights_roots.push_back(parsed);
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> skipped, predicate.Array("skipped"));
  for (const Fields& entry : skipped) {
    SkippedEntry parsed;
    ASSAY_ASSIGN_OR_RETURN(parsed.relative_path, entry.String("path"));
    ASSAY_ASSIGN_OR_RETURN(parsed.reason, entry.String("reason"));
    manifest.skipped.push_back(std::move(parsed));
  }
  ASSAY_RETURN_IF_ERROR(CheckModelSubjects(statement, manifest));
  return record;
}

// A record whose roots do not follow from its own tensor table is internally
// inconsistent: well-formed, but not what an honest assay would sign.
Status CheckRootsFollowFromTensors(const ModelManifest& manifest) {
  if (!manifest.has_tensor_digests) return Status::Ok();
  std::map<WeightFormat, std::vector<WeightsLeaf>> leaves;
  for (const FileRecord& file : manifest.files) {
    for (const TensorRecord& tensor : file.tensors) {
      leaves[file.format].push_back({tensor.name, tensor.dtype, tensor.shape, *tensor.digest});
    }
  }
  if (leaves.size() != manifest.weights_roots.size()) {
    return Status::CheckFailed("weightsRoots: one root per format with tensors expected");
  }
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    auto found = leaves.find(root.format);
    if (found == leaves.end()) return Status::CheckFailed("weightsRoots: a root for a format with no tensors");
    size_t count = found->second.size();
    ASSAY_ASSIGN_OR_RETURN(Sha256Digest computed, ComputeWeightsRoot(std::move(found->second)));
    if (computed != root.root || count != root.tensor_count) {
      return Status::CheckFailed("weightsRoots: the " + std::string(WeightFormatName(root.format)) +
                                 " root does not follow from the record's tensor table");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ModelRecord> ParseModelStatement(std::string_view statement_bytes) {
  Result<json> parsed = ParseStrictJson(statement_bytes);
  if (!parsed.ok()) return Status::InvalidInput("statement: " + parsed.status().message());
  const json& document = *parsed;
  if (!document.is_object()) return Status::InvalidInput("statement is not a JSON object");
  ASSAY_ASSIGN_OR_RETURN(ModelRecord record, ParseRecord(document));
  ASSAY_RETURN_IF_ERROR(CheckRootsFollowFromTensors(record.manifest));
  return record;
}

}  // namespace assay
