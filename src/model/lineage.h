// Lineage from manifests alone (docs/forensics.md, "Lineage"): a model's
// tensors held against each of several known models' by name and digest, so
// that "derived from Llama 3, not Llama 3.1" is answered without a byte of
// weights when the known models' records are at hand.
//
// A tensor is identical to a known model's when both have it under the same
// name and format with the same dtype, shape and digest. Bytes weigh more
// than counts: a norm initialised to ones or a zero bias is the same in
// unrelated models of one width, a 4096 x 4096 matrix is not by chance.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/model_manifest.h"
#include "status.h"

namespace assay {

struct LineageMatch {
  size_t known_index = 0;  // position of the known model in the list given

  uint64_t model_tensors = 0, model_bytes = 0;  // the model's tensors, and their bytes
  uint64_t identical_tensors = 0, identical_bytes = 0;

  std::vector<std::string> identical;      // model tensor names, in manifest order
  std::vector<std::string> differing;      // in both under one name, other bytes, dtype or shape
  std::vector<std::string> only_in_model;  // no tensor of that name in the known model
  std::vector<std::string> only_in_known;
  // Model tensors whose bytes the known model holds under another name (the
  // same-name comparison failed): {model name, known name}.
  std::vector<std::pair<std::string, std::string>> renamed;

  // The lists above by role across layers (tensor_role.h), or "" when empty.
  std::string identical_roles, differing_roles, only_in_model_roles;

  bool SameWeights() const {
    return identical_tensors == model_tensors && only_in_known.empty() && model_tensors > 0;
  }
};

// One match per known model, best first: most identical bytes, then most
// identical tensors, then the order given. kInvalidInput when a manifest has
// no tensor digests, naming it by `known_names` (or "the model").
Result<std::vector<LineageMatch>> CompareLineage(const ModelManifest& model,
                                                 const std::vector<const ModelManifest*>& known,
                                                 const std::vector<std::string>& known_names);

}  // namespace assay
