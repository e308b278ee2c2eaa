#include "model/lineage.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "model/tensor_role.h"

namespace assay {
namespace {

using TensorKey = std::pair<WeightFormat, std::string_view>;

std::map<TensorKey, const TensorRecord*> TensorsByName(const ModelManifest& manifest) {
  std::map<TensorKey, const TensorRecord*> tensors;
  for (const FileRecord& file : manifest.files) {
    for (const TensorRecord& tensor : file.tensors) tensors[{file.format, tensor.name}] = &tensor;
  }
  return tensors;
}

bool SameTensor(const TensorRecord& a, const TensorRecord& b) {
  return a.digest == b.digest && a.dtype == b.dtype && a.shape == b.shape;
}

LineageMatch Match(const ModelManifest& model, const ModelManifest& known, const RoleIndex& roles) {
  std::map<TensorKey, const TensorRecord*> known_tensors = TensorsByName(known);
  std::map<Sha256Digest, const TensorRecord*> known_by_digest;
  for (const auto& [key, tensor] : known_tensors) known_by_digest.try_emplace(*tensor->digest, tensor);

  LineageMatch match;
  std::map<TensorKey, bool> seen;
  for (const FileRecord& file : model.files) {
    for (const TensorRecord& tensor : file.tensors) {
      ++match.model_tensors;
      match.model_bytes += tensor.size;
      auto same_name = known_tensors.find({file.format, tensor.name});
      if (same_name != known_tensors.end()) {
        seen[same_name->first] = true;
        if (SameTensor(tensor, *same_name->second)) {
          ++match.identical_tensors;
          match.identical_bytes += tensor.size;
          match.identical.push_back(tensor.name);
          continue;
        }
        match.differing.push_back(tensor.name);
      } else {
        match.only_in_model.push_back(tensor.name);
      }
      auto same_bytes = known_by_digest.find(*tensor.digest);
      if (same_bytes != known_by_digest.end() && tensor.size > 0) {
        match.renamed.emplace_back(tensor.name, same_bytes->second->name);
      }
    }
  }
  for (const auto& [key, tensor] : known_tensors) {
    if (!seen.contains(key)) match.only_in_known.push_back(tensor->name);
  }
  match.identical_roles = roles.Describe(match.identical);
  match.differing_roles = roles.Describe(match.differing);
  match.only_in_model_roles = roles.Describe(match.only_in_model);
  return match;
}

}  // namespace

Result<std::vector<LineageMatch>> CompareLineage(const ModelManifest& model,
                                                 const std::vector<const ModelManifest*>& known,
                                                 const std::vector<std::string>& known_names) {
  if (!model.has_tensor_digests) return Status::InvalidInput("the model has no tensor digests to compare");
  RoleIndex roles;
  for (const FileRecord& file : model.files) {
    for (const TensorRecord& tensor : file.tensors) roles.Add(tensor.name);
  }
  std::vector<LineageMatch> matches;
  for (size_t i = 0; i < known.size(); ++i) {
    if (!known[i]->has_tensor_digests) {
      return Status::InvalidInput((i < known_names.size() ? known_names[i] : "a known model") +
                                  ": the record has no tensor digests to compare");
    }
    matches.push_back(Match(model, *known[i], roles));
    matches.back().known_index = i;
  }
  std::stable_sort(matches.begin(), matches.end(), [](const LineageMatch& x, const LineageMatch& y) {
    return std::tie(y.identical_bytes, y.identical_tensors) < std::tie(x.identical_bytes, x.identical_tensors);
  });
  return matches;
}

}  // namespace assay
