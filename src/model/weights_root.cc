#include "model/weights_root.h"

#include <algorithm>

namespace assay {
namespace {

void AppendU32BE(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

void AppendU64BE(std::string& out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

}  // namespace

std::string EncodeWeightsLeaf(const WeightsLeaf& leaf) {
  std::string out;
  out.reserve(4 + leaf.name.size() + 4 + leaf.dtype.size() + 4 + 8 * leaf.shape.size() + 32);
  AppendU32BE(out, static_cast<uint32_t>(leaf.name.size()));
  out += leaf.name;
  AppendU32BE(out, static_cast<uint32_t>(leaf.dtype.size()));
  out += leaf.dtype;
  AppendU32BE(out, static_cast<uint32_t>(leaf.shape.size()));
  for (uint64_t dimension : leaf.shape) AppendU64BE(out, dimension);
  out.append(reinterpret_cast<const char*>(leaf.tensor_digest.data()), leaf.tensor_digest.size());
  return out;
}

Result<std::vector<WeightsLeaf>> SortWeightsLeaves(std::vector<WeightsLeaf> leaves) {
  // std::string compares as unsigned bytes (char_traits<char>::compare uses memcmp).
  std::sort(leaves.begin(), leaves.end(),
            [](const WeightsLeaf& a, const WeightsLeaf& b) { return a.name < b.name; });
  auto duplicate = std::adjacent_find(
      leaves.begin(), leaves.end(),
      [](const WeightsLeaf& a, const WeightsLeaf& b) { return a.name == b.name; });
  if (duplicate != leaves.end()) {
    return Status::InvalidInput("tensor \"" + duplicate->name + "\" appears more than once");
  }
  return leaves;
}

Sha256Digest WeightsRootOfSorted(const std::vector<WeightsLeaf>& sorted_leaves) {
  std::vector<Sha256Digest> leaf_hashes;
  leaf_hashes.reserve(sorted_leaves.size());
  for (const WeightsLeaf& leaf : sorted_leaves) {
    leaf_hashes.push_back(MerkleLeafHash(EncodeWeightsLeaf(leaf)));
  }
  return MerkleRoot(leaf_hashes);
}

Result<Sha256Digest> ComputeWeightsRoot(std::vector<WeightsLeaf> leaves) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<WeightsLeaf> sorted, SortWeightsLeaves(std::move(leaves)));
  return WeightsRootOfSorted(sorted);
}

}  // namespace assay
