#include "model/manifest_diff.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace assay {
namespace {

struct TensorPlace {
  const TensorRecord* tensor;
  const std::string* file;
};

using TensorIndex = std::map<std::pair<WeightFormat, std::string>, TensorPlace>;

TensorIndex IndexTensors(const ModelManifest& manifest) {
  TensorIndex index;
  for (const FileRecord& file : manifest.files) {
    for (const TensorRecord& tensor : file.tensors) index[{file.format, tensor.name}] = {&tensor, &file.path};
  }
  return index;
}

void DiffFiles(const ModelManifest& before, const ModelManifest& after, ManifestDiff& diff) {
  std::map<std::string, const FileRecord*> old_files, new_files;
  for (const FileRecord& file : before.files) old_files[file.path] = &file;
  for (const FileRecord& file : after.files) new_files[file.path] = &file;
  for (const auto& [path, file] : old_files) {
    auto found = new_files.find(path);
    const bool weights = file->format != WeightFormat::kOther;
    if (found == new_files.end()) {
      diff.files.push_back({Change::kRemoved, path, file->size, std::nullopt, weights});
    } else if (found->second->sha256 != file->sha256) {
      diff.files.push_back({Change::kChanged, path, file->size, found->second->size,
                            weights || found->second->format != WeightFormat::kOther});
    }
  }
  for (const auto& [path, file] : new_files) {
    if (old_files.count(path) == 0) {
      diff.files.push_back({Change::kAdded, path, std::nullopt, file->size, file->format != WeightFormat::kOther});
    }
  }
  std::sort(diff.files.begin(), diff.files.end(),
            [](const FileDifference& a, const FileDifference& b) { return a.path < b.path; });
}

void DiffTensors(const ModelManifest& before, const ModelManifest& after, ManifestDiff& diff) {
  TensorIndex old_tensors = IndexTensors(before);
  TensorIndex new_tensors = IndexTensors(after);
  const bool compare_bytes = before.has_tensor_digests && after.has_tensor_digests;
  for (const auto& [key, place] : old_tensors) {
    auto found = new_tensors.find(key);
    TensorDifference difference;
    difference.format = key.first;
    difference.name = key.second;
    difference.file_before = *place.file;
    difference.dtype_before = place.tensor->dtype;
    difference.shape_before = place.tensor->shape;
    if (found == new_tensors.end()) {
      difference.change = Change::kRemoved;
      diff.tensors.push_back(std::move(difference));
      continue;
    }
    const TensorRecord& now = *found->second.tensor;
    difference.file_after = *found->second.file;
    difference.dtype_after = now.dtype;
    difference.shape_after = now.shape;
    difference.dtype_changed = now.dtype != place.tensor->dtype;
    difference.shape_changed = now.shape != place.tensor->shape;
    difference.bytes_changed = compare_bytes && now.digest != place.tensor->digest;
    if (difference.dtype_changed || difference.shape_changed || difference.bytes_changed) {
      diff.tensors.push_back(std::move(difference));
    }
  }
  for (const auto& [key, place] : new_tensors) {
    if (old_tensors.count(key) != 0) continue;
    TensorDifference difference;
    difference.change = Change::kAdded;
    difference.format = key.first;
    difference.name = key.second;
    difference.file_after = *place.file;
    difference.dtype_after = place.tensor->dtype;
    difference.shape_after = place.tensor->shape;
    diff.tensors.push_back(std::move(difference));
  }
  std::sort(diff.tensors.begin(), diff.tensors.end(), [](const TensorDifference& a, const TensorDifference& b) {
    return std::tie(a.format, a.name) < std::tie(b.format, b.name);
  });
}

bool RootsEqual(const ModelManifest& before, const ModelManifest& after) {
  if (before.weights_roots.size() != after.weights_roots.size()) return false;
  for (size_t i = 0; i < before.weights_roots.size(); ++i) {
    if (before.weights_roots[i].format != after.weights_roots[i].format ||
        before.weights_roots[i].root != after.weights_roots[i].root) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool ManifestDiff::SameWeightsResharded() const {
  return WeightsUnchanged() &&
         std::any_of(files.begin(), files.end(), [](const FileDifference& file) { return file.weight_file; });
}

std::string_view ChangeName(Change change) {
  switch (change) {
    case Change::kAdded:
      return "added";
    case Change::kRemoved:
      return "removed";
    case Change::kChanged:
      break;
  }
  return "changed";
}

ManifestDiff DiffManifests(const ModelManifest& before, const ModelManifest& after) {
  ManifestDiff diff;
  DiffFiles(before, after, diff);
  diff.tensors_compared = before.has_tensor_digests && after.has_tensor_digests;
  DiffTensors(before, after, diff);
  diff.weights_roots_equal = !diff.tensors_compared || RootsEqual(before, after);
  return diff;
}

}  // namespace assay
