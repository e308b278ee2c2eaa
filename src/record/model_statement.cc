#include "record/model_statement.h"

#include <filesystem>

#include "version.h"

namespace assay {
namespace {

using nlohmann::json;

json TensorJson(const TensorRecord& tensor) {
  json out = {{"name", tensor.name},
              {"dtype", tensor.dtype},
              {"shape", tensor.shape},
              {"offset", tensor.offset},
              {"size", tensor.size}};
  if (tensor.digest) out["sha256"] = ToHex(*tensor.digest);
  return out;
}

json FileJson(const FileRecord& file) {
  json out = {{"path", file.path},
              {"size", file.size},
              {"sha256", ToHex(file.sha256)},
              {"format", WeightFormatName(file.format)},
              {"tensorsItemised", file.format != WeightFormat::kOther}};
  if (file.hidden) out["hidden"] = true;
  if (file.format != WeightFormat::kOther) {
    json tensors = json::array();
    for (const TensorRecord& tensor : file.tensors) tensors.push_back(TensorJson(tensor));
    out["tensors"] = std::move(tensors);
  }
  return out;
}

}  // namespace

std::string WeightsRootSubjectName(WeightFormat format) {
  return "weights-root:" + std::string(WeightFormatName(format));
}

json ModelStatement(const ModelManifest& manifest, const ModelIdentity& identity) {
  json subjects = json::array();
  json files = json::array();
  json config_digests = json::object();
  for (const FileRecord& file : manifest.files) {
    subjects.push_back({{"name", file.path}, {"digest", {{"sha256", ToHex(file.sha256)}}}});
    files.push_back(FileJson(file));
    if (IsConfigFile(file.path)) config_digests[file.path] = ToHex(file.sha256);
  }
  json roots = json::array();
  for (const WeightsRootRecord& root : manifest.weights_roots) {
    subjects.push_back({{"name", WeightsRootSubjectName(root.format)},
                        {"digest", {{"rfc6962-sha256", ToHex(root.root)}}}});
    roots.push_back({{"format", WeightFormatName(root.format)},
                     {"root", ToHex(root.root)},
                     {"tensorCount", root.tensor_count}});
  }
  json model = {{"name", identity.name}};
  if (identity.revision) model["revision"] = *identity.revision;
  if (manifest.hub_source) {
    model["source"] = {{"hub", "huggingface"},
                       {"repoId", manifest.hub_source->repo_id},
                       {"revision", manifest.hub_source->revision}};
  }
  json skipped = json::array();
  for (const SkippedEntry& entry : manifest.skipped) {
    skipped.push_back({{"path", entry.relative_path}, {"reason", entry.reason}});
  }
  json predicate = {{"model", std::move(model)},
                    {"weightsRoots", std::move(roots)},
                    {"tensorDigests", manifest.has_tensor_digests},
                    {"files", std::move(files)},
                    {"configDigests", std::move(config_digests)},
                    {"skipped", std::move(skipped)},
                    {"generator", {{"name", "assay"}, {"version", kAssayVersion}}}};
  return {{"_type", kInTotoStatementType},
          {"subject", std::move(subjects)},
          {"predicateType", kModelPredicateType},
          {"predicate", std::move(predicate)}};
}

Result<std::string> StatementBytes(const nlohmann::json& statement) {
  try {
    // error_handler_t::strict: names and paths came from files; invalid UTF-8 must not be signed.
    return statement.dump(-1, ' ', false, json::error_handler_t::strict);
  } catch (const json::exception& error) {
    return Status::InvalidInput(std::string("statement is not valid UTF-8: ") + error.what());
  }
}

}  // namespace assay
