#include "formats/safetensors_index.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "json/strict_json.h"

namespace assay {
namespace {

using nlohmann::json;

// Loaders join a shard name to the model folder, so a name must stay inside
// it and mean one file: no absolute path, no "..", no backslash (a separator
// on Windows, a file name character here), no empty or "." component.
std::optional<std::string> ShardNameProblem(std::string_view shard) {
  if (shard.empty()) return "is empty";
  if (shard.front() == '/') return "is an absolute path";
  if (shard.find('\\') != std::string_view::npos) return "contains a backslash";
  if (shard.find('\0') != std::string_view::npos) return "contains a NUL byte";
  size_t begin = 0;
  while (true) {
    size_t end = shard.find('/', begin);
    std::string_view component =
        shard.substr(begin, end == std::string_view::npos ? end : end - begin);
    if (component.empty()) return "has an empty path component";
    if (component == "..") return "has a '..' component";
    if (component == ".") return "has a '.' component";
    if (end == std::string_view::npos) return std::nullopt;
    begin = end + 1;
  }
}

// transformers writes an integer; some writers emit an integral float (1.5e9).
std::optional<uint64_t> TotalSize(const json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_float()) {
    double size = value.get<double>();
    // 2^64 is exactly representable; every double below it converts exactly.
    if (size >= 0 && size < 18446744073709551616.0 && std::floor(size) == size) {
      return static_cast<uint64_t>(size);
    }
  }
  return std::nullopt;
}

Result<SafetensorsIndex> ParseIndex(std::string_view json_text) {
  ASSAY_ASSIGN_OR_RETURN(json root, ParseStrictJson(json_text));
  if (!root.is_object()) return Status::InvalidInput("index is not a JSON object");

  SafetensorsIndex index;
  if (auto metadata = root.find("metadata"); metadata != root.end()) {
    if (!metadata->is_object()) return Status::InvalidInput("'metadata' is not a JSON object");
    for (const auto& [key, value] : metadata->items()) index.metadata.emplace(key, value.dump());
    if (auto total_size = metadata->find("total_size"); total_size != metadata->end()) {
      index.total_size = TotalSize(*total_size);
    }
  }

  auto weight_map = root.find("weight_map");
  if (weight_map == root.end()) return Status::InvalidInput("index has no 'weight_map'");
  if (!weight_map->is_object()) return Status::InvalidInput("'weight_map' is not a JSON object");
  for (const auto& [tensor, shard] : weight_map->items()) {
    if (!shard.is_string()) {
      return Status::InvalidInput("weight_map value for tensor " + QuoteUntrusted(tensor) +
                                  " is not a string");
    }
    const std::string& shard_name = shard.get_ref<const std::string&>();
    if (std::optional<std::string> problem = ShardNameProblem(shard_name)) {
      return Status::InvalidInput("shard " + QuoteUntrusted(shard_name) + " of tensor " +
                                  QuoteUntrusted(tensor) + " " + *problem);
    }
    index.weight_map.emplace(tensor, shard_name);
  }
  return index;
}

}  // namespace

std::vector<std::string> SafetensorsIndex::ShardFiles() const {
  std::set<std::string> shards;
  for (const auto& [tensor, shard] : weight_map) shards.insert(shard);
  return {shards.begin(), shards.end()};
}

Result<SafetensorsIndex> ParseSafetensorsIndex(std::string_view json_text,
                                               const std::string& path_for_errors) {
  Result<SafetensorsIndex> index = ParseIndex(json_text);
  if (!index.ok()) return index.status().WithContext(path_for_errors);
  return index;
}

Result<SafetensorsIndex> ReadSafetensorsIndex(FileSystem& fs, const std::string& path) {
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(fs, path, kSafetensorsIndexMaxBytes));
  return ParseSafetensorsIndex(text, path);
}

}  // namespace assay
