// `assay diff A B`: what differs between two views of a model, each a model
// record, a folder hashed now, or an LFS pointer checkout: the files
// (manifest_diff.h), the tensors where both sides itemise them, the config
// and tokenizer files key by key where both sides have their content
// (config_diff.h), and one verdict on the weights that never claims more than
// the two sides can show.
#pragma once

#include <string_view>
#include <vector>

#include "model/config_diff.h"
#include "model/manifest_diff.h"
#include "model/model_manifest.h"

namespace assay {

// One side, as far as it is known.
struct ModelView {
  ModelManifest manifest;  // files always; tensor tables unless !tensors_known
  // False for an LFS pointer checkout: pointers give file digests, never
  // tensors, so no tensor comparison and no weights root.
  bool tensors_known = true;
  std::vector<ConfigFile> configs;  // ConfigFilesOf(manifest), with content when read from disk
};

enum class WeightsVerdict {
  kSame,          // every weight file has the same bytes (so every tensor is the same)
  kResharded,     // weight files differ, every tensor (name, dtype, shape, bytes) is the same
  kChanged,       // a tensor was added, removed or changed
  kUndetermined,  // weight files differ and the tensors cannot be compared (pointers, opaque
                  // formats, a record without tensor digests): the bytes are needed
};
// "same", "re-sharded", "changed", "undetermined"
std::string_view WeightsVerdictName(WeightsVerdict verdict);

struct ModelDiff {
  ManifestDiff manifest;  // no tensor differences when a side's tensors are unknown
  ConfigDiff configs;
  WeightsVerdict weights = WeightsVerdict::kSame;
  // Both sides itemise tensors with digests, so tensor bytes were compared.
  bool tensors_compared = false;

  // Nothing differs: the same files, so the same weights and configs.
  bool identical() const { return manifest.files.empty() && weights == WeightsVerdict::kSame && configs.empty(); }
};

// A file whose bytes are weights: safetensors and GGUF (itemised) or an opaque
// weight format (IsOpaqueWeightFile).
bool IsWeightFile(std::string_view relative_path);

ModelDiff DiffModels(const ModelView& before, const ModelView& after);

}  // namespace assay
