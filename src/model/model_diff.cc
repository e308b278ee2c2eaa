#include "model/model_diff.h"

#include <algorithm>

namespace assay {
namespace {

bool HasOpaqueWeights(const ModelManifest& manifest) {
  return std::any_of(manifest.files.begin(), manifest.files.end(),
                     [](const FileRecord& file) { return IsOpaqueWeightFile(file.path); });
}

// `opaque_weights`: a side holds weights whose tensors are not itemised
// (pytorch_model.bin), so a tensor itemised on one side only may be in them.
WeightsVerdict JudgeWeights(const ModelDiff& diff, bool tensors_listed, bool opaque_weights) {
  if (tensors_listed) {
    const bool proven = std::any_of(diff.manifest.tensors.begin(), diff.manifest.tensors.end(),
                                    [opaque_weights](const TensorDifference& tensor) {
                                      return tensor.change == Change::kChanged || !opaque_weights;
                                    });
    if (proven || (!opaque_weights && !diff.manifest.weights_roots_equal)) return WeightsVerdict::kChanged;
  }
  std::vector<const FileDifference*> weight_files;
  for (const FileDifference& file : diff.manifest.files) {
    if (IsWeightFile(file.path)) weight_files.push_back(&file);
  }
  if (weight_files.empty()) return WeightsVerdict::kSame;
  // Re-sharded only when every tensor was compared by digest and every
  // differing weight file is one whose tensors were itemised.
  const bool all_itemised = std::all_of(weight_files.begin(), weight_files.end(), [](const FileDifference* file) {
    return WeightFormatOfPath(file->path) != WeightFormat::kOther;
  });
  if (diff.tensors_compared && all_itemised) return WeightsVerdict::kResharded;
  return WeightsVerdict::kUndetermined;
}

}  // namespace

std::string_view WeightsVerdictName(WeightsVerdict verdict) {
  switch (verdict) {
    case WeightsVerdict::kSame:
      return "same";
    case WeightsVerdict::kResharded:
      return "re-sharded";
    case WeightsVerdict::kChanged:
      return "changed";
    case WeightsVerdict::kUndetermined:
      break;
  }
  return "undetermined";
}

bool IsWeightFile(std::string_view relative_path) {
  return WeightFormatOfPath(relative_path) != WeightFormat::kOther || IsOpaqueWeightFile(relative_path);
}

ModelDiff DiffModels(const ModelView& before, const ModelView& after) {
  ModelDiff diff;
  diff.manifest = DiffManifests(before.manifest, after.manifest);
  // Tensor tables exist on both sides (perhaps without digests: dtype and
  // shape changes still show); with a pointer checkout they do not.
  const bool tensors_listed = before.tensors_known && after.tensors_known;
  if (!tensors_listed) {
    diff.manifest.tensors.clear();
    diff.manifest.tensors_compared = false;
  }
  diff.tensors_compared = tensors_listed && diff.manifest.tensors_compared;
  diff.configs = DiffConfigs(before.configs, after.configs);
  diff.weights = JudgeWeights(diff, tensors_listed,
                              HasOpaqueWeights(before.manifest) || HasOpaqueWeights(after.manifest));
  return diff;
}

}  // namespace assay
