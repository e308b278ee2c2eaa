#include "model/model_record_reader.h"

#include <map>
#include <nlohmann/json.hpp>

#include "model/weights_root.h"

namespace assay {
namespace {

using nlohmann::json;

// Reads typed fields out of a JSON value, naming the field's path in errors
// ("predicate.files[3].size: expected a non-negative integer").
class Fields {
 public:
  Fields(const json& value, std::string path) : value_(value), path_(std::move(path)) {}

  Result<Fields> Object(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (!field->is_object()) return Wrong(key, "an object");
    return Fields(*field, Path(key));
  }
  Result<std::vector<Fields>> Array(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (!field->is_array()) return Wrong(key, "an array");
    std::vector<Fields> items;
    for (size_t i = 0; i < field->size(); ++i) {
      items.emplace_back((*field)[i], Path(key) + "[" + std::to_string(i) + "]");
    }
    return items;
  }
  Result<std::string> String(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (!field->is_string()) return Wrong(key, "a string");
    return field->get<std::string>();
  }
  Result<uint64_t> Unsigned(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (!field->is_number_unsigned()) return Wrong(key, "a non-negative integer");
    return field->get<uint64_t>();
  }
  Result<bool> Bool(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    if (!field->is_boolean()) return Wrong(key, "true or false");
    return field->get<bool>();
  }
  Result<Sha256Digest> Digest(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(std::string hex, String(key));
    std::optional<Sha256Digest> digest = Sha256FromHex(hex);
    if (!digest || ToHex(*digest) != hex) return Wrong(key, "64 lowercase hex digits");
    return *digest;
  }
  Result<std::vector<uint64_t>> Dimensions(const std::string& key) const {
    ASSAY_ASSIGN_OR_RETURN(const json* field, Find(key));
    std::vector<uint64_t> dimensions;
    if (!field->is_array()) return Wrong(key, "an array of non-negative integers");
    for (const json& dimension : *field) {
      if (!dimension.is_number_unsigned()) return Wrong(key, "an array of non-negative integers");
      dimensions.push_back(dimension.get<uint64_t>());
    }
    return dimensions;
  }
  bool Has(const std::string& key) const { return value_.contains(key); }
  const std::string& path() const { return path_; }

 private:
  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  Result<const json*> Find(const std::string& key) const {
    auto found = value_.find(key);
    if (found == value_.end()) return Status::InvalidInput(Path(key) + ": missing");
    return &*found;
  }
  Status Wrong(const std::string& key, const std::string& expected) const {
    return Status::InvalidInput(Path(key) + ": expected " + expected);
  }

  const json& value_;
  std::string path_;
};

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

// The subjects must say exactly what the predicate says: one per file with its
// sha256, one per root. A signer who lists other subjects signs something else.
Status CheckSubjects(const Fields& statement, const ModelManifest& manifest) {
  std::map<std::string, std::pair<std::string, std::string>> expected;  // name -> (key, hex)
  for (const FileRecord& file : manifest.files) expected[file.path] = {"sha256", ToHex(file.sha256)};
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    expected[WeightsRootSubjectName(root.format)] = {"rfc6962-sha256", ToHex(root.root)};
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> subjects, statement.Array("subject"));
  if (subjects.size() != expected.size()) {
    return Status::InvalidInput("subject: " + std::to_string(subjects.size()) + " subjects for " +
                                std::to_string(expected.size()) + " files and roots");
  }
  for (const Fields& subject : subjects) {
    ASSAY_ASSIGN_OR_RETURN(std::string name, subject.String("name"));
    ASSAY_ASSIGN_OR_RETURN(Fields digest, subject.Object("digest"));
    auto found = expected.find(name);
    if (found == expected.end()) return Status::InvalidInput(subject.path() + ": \"" + name + "\" is not in the predicate");
    ASSAY_ASSIGN_OR_RETURN(Sha256Digest value, digest.Digest(found->second.first));
    if (ToHex(value) != found->second.second) {
      return Status::InvalidInput(subject.path() + ": digest of \"" + name + "\" disagrees with the predicate");
    }
  }
  return Status::Ok();
}

Result<ModelRecord> ParseRecord(const json& document) {
  Fields statement(document, "");
  ASSAY_ASSIGN_OR_RETURN(std::string type, statement.String("_type"));
  if (type != kInTotoStatementType) return Status::InvalidInput("_type: not an in-toto Statement v1");
  ASSAY_ASSIGN_OR_RETURN(std::string predicate_type, statement.String("predicateType"));
  if (predicate_type != kModelPredicateType) {
    return Status::InvalidInput("predicateType: \"" + predicate_type + "\" is not a model record");
  }
  ASSAY_ASSIGN_OR_RETURN(Fields predicate, statement.Object("predicate"));
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
  ASSAY_RETURN_IF_ERROR(CheckSubjects(statement, manifest));
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
  json document = json::parse(statement_bytes, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Status::InvalidInput("statement is not valid JSON");
  if (!document.is_object()) return Status::InvalidInput("statement is not a JSON object");
  ASSAY_ASSIGN_OR_RETURN(ModelRecord record, ParseRecord(document));
  ASSAY_RETURN_IF_ERROR(CheckRootsFollowFromTensors(record.manifest));
  return record;
}

}  // namespace assay
