// Checks every safetensors index (*.safetensors.index.json) in a model folder
// against the shards it names: a loader trusts the index to find each tensor,
// so an index that points a tensor at the wrong shard, or at a shard that is
// missing, or that leaves out a tensor of a shard it names, is a broken model.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "file_system.h"
#include "formats/tensor_entry.h"
#include "model/folder_walk.h"
#include "status.h"

namespace assay {

// `tensors_by_path` maps each listed file's relative path to its tensor table.
// `display_folder` names the folder in messages as the user gave it.
// Errors are kInvalidInput naming the index and the tensor or shard.
Status CheckSafetensorsIndexes(FileSystem& fs, const FolderListing& listing,
                               const std::string& display_folder,
                               const std::map<std::string, const std::vector<TensorEntry>*>& tensors_by_path);

}  // namespace assay
