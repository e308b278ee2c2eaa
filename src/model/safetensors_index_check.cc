#include "model/safetensors_index_check.h"

#include <filesystem>
#include <set>

#include "formats/safetensors_index.h"

namespace assay {
namespace {

Status CheckOneIndex(const SafetensorsIndex& index, const std::string& index_path,
                     const std::string& display_index,
                     const std::map<std::string, const std::vector<TensorEntry>*>& tensors_by_path) {
  std::string index_folder = std::filesystem::path(index_path).parent_path().string();
  auto shard_path = [&](const std::string& shard) {
    return index_folder.empty() ? shard : index_folder + "/" + shard;
  };
  // Every tensor of every shard the index names must be in the index.
  std::map<std::string, std::set<std::string>> tensors_in_shard;
  for (const std::string& shard : index.ShardFiles()) {
    auto found = tensors_by_path.find(shard_path(shard));
    if (found == tensors_by_path.end()) {
      return Status::InvalidInput(display_index + ": names shard \"" + shard + "\", which is not in the folder");
    }
    for (const TensorEntry& tensor : *found->second) {
      tensors_in_shard[shard].insert(tensor.name);
      auto mapped = index.weight_map.find(tensor.name);
      if (mapped == index.weight_map.end()) {
        return Status::InvalidInput(display_index + ": tensor \"" + tensor.name + "\" of shard \"" +
                                    shard + "\" is missing from weight_map");
      }
    }
  }
  for (const auto& [tensor, shard] : index.weight_map) {
    if (tensors_in_shard[shard].count(tensor) == 0) {
      return Status::InvalidInput(display_index + ": weight_map puts tensor \"" + tensor +
                                  "\" in shard \"" + shard + "\", which does not hold it");
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckSafetensorsIndexes(FileSystem& fs, const FolderListing& listing,
                               const std::string& display_folder,
                               const std::map<std::string, const std::vector<TensorEntry>*>& tensors_by_path) {
  for (const ModelFileRef& file : listing.files) {
    if (!file.relative_path.ends_with(".safetensors.index.json")) continue;
    std::string display_index = display_folder + "/" + file.relative_path;
    Result<std::string> text = ReadWholeFile(fs, file.read_path, kSafetensorsIndexMaxBytes);
    if (!text.ok()) return text.status();
    ASSAY_ASSIGN_OR_RETURN(SafetensorsIndex index, ParseSafetensorsIndex(*text, display_index));
    ASSAY_RETURN_IF_ERROR(CheckOneIndex(index, file.relative_path, display_index, tensors_by_path));
  }
  return Status::Ok();
}

}  // namespace assay
