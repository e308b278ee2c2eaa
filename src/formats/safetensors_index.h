// The shard index of a model split over several safetensors files
// (`model.safetensors.index.json`, written by transformers' save_pretrained;
// docs/spec/safetensors.md, "Shard index"). It maps each tensor name to the
// shard file that holds it.
//
// The index is a convention, not a specified format, so the reader checks only
// what assay relies on: a JSON object (no duplicate keys) with a "weight_map"
// object of string values, each a relative path that stays inside the model
// folder. Other top-level members are ignored; the file's digest covers them.
// Errors are kInvalidInput, naming the file.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "file_system.h"
#include "status.h"

namespace assay {

// Real indexes are well under a megabyte; this bounds what a hostile one costs.
inline constexpr uint64_t kSafetensorsIndexMaxBytes = 100'000'000;

struct SafetensorsIndex {
  // "metadata", each value as its compact JSON text ("total_size" -> "1234").
  std::map<std::string, std::string> metadata;
  // metadata.total_size when it is a non-negative integer (the byte count of
  // all tensors, as transformers writes it); advisory, never checked here.
  std::optional<uint64_t> total_size;
  // Tensor name -> shard file, a relative path with '/' separators.
  std::map<std::string, std::string> weight_map;

  // The distinct shard files named by weight_map, sorted.
  std::vector<std::string> ShardFiles() const;
};

// Parses the text of an index; `path_for_errors` names it in messages.
Result<SafetensorsIndex> ParseSafetensorsIndex(std::string_view json_text,
                                               const std::string& path_for_errors);

// Reads `path` through `fs` (at most kSafetensorsIndexMaxBytes) and parses it.
Result<SafetensorsIndex> ReadSafetensorsIndex(FileSystem& fs, const std::string& path);

}  // namespace assay
