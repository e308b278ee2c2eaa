// What differs between two manifests of a model: files added, removed and
// changed; tensors added, removed and changed (with dtype and shape changes
// called out); and whether the weights are the same although the files differ
// ("same weights, re-sharded"). `assay verify model` shows it for a record
// against a folder; the audit commands build on it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/model_manifest.h"

namespace assay {

enum class Change { kAdded, kRemoved, kChanged };

struct FileDifference {
  Change change = Change::kChanged;
  std::string path;
  std::optional<uint64_t> size_before;  // absent when added
  std::optional<uint64_t> size_after;   // absent when removed
  bool weight_file = false;  // safetensors or GGUF on either side
};

struct TensorDifference {
  Change change = Change::kChanged;
  WeightFormat format = WeightFormat::kSafetensors;
  std::string name;
  std::string file_before;  // empty when added
  std::string file_after;   // empty when removed
  bool dtype_changed = false;
  bool shape_changed = false;
  bool bytes_changed = false;  // the digests differ (or one side has none)
  std::string dtype_before, dtype_after;
  std::vector<uint64_t> shape_before, shape_after;
};

struct ManifestDiff {
  std::vector<FileDifference> files;     // sorted by path
  std::vector<TensorDifference> tensors; // sorted by format, then name
  // Per format present on either side: do the weights roots agree?
  bool weights_roots_equal = true;
  bool tensors_compared = true;  // false when a side has no tensor digests

  bool empty() const { return files.empty() && tensors.empty() && weights_roots_equal; }
  // Every tensor is the same (checked only when both sides have tensor digests).
  bool WeightsUnchanged() const { return tensors_compared && tensors.empty() && weights_roots_equal; }
  // Weight files differ but every tensor is the same: the same weights, re-sharded.
  bool SameWeightsResharded() const;
};

// Compares `before` (e.g. the record) with `after` (e.g. a fresh hash).
ManifestDiff DiffManifests(const ModelManifest& before, const ModelManifest& after);

std::string_view ChangeName(Change change);  // "added", "removed", "changed"

}  // namespace assay
