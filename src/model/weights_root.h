// The weights root (DESIGN.md, Canonical definitions; bytes in
// docs/spec/weights-root.md): an RFC 6962 Merkle root over one leaf per tensor,
// sorted by tensor name bytewise. It does not depend on how tensors are split
// into files, on file names or on header key order; one flipped bit of one
// tensor changes it. One root per format: callers group leaves by format.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "digest/merkle.h"
#include "digest/sha256.h"
#include "status.h"

namespace assay {

struct WeightsLeaf {
  std::string name;
  std::string dtype;  // with the format prefix: "safetensors:BF16", "gguf:Q4_K"
  std::vector<uint64_t> shape;  // as the file stores it
  Sha256Digest tensor_digest{};
};

// u32 BE name length, name, u32 BE dtype length, dtype, u32 BE dimension
// count, each dimension as u64 BE, then the 32-byte tensor digest.
std::string EncodeWeightsLeaf(const WeightsLeaf& leaf);

// Leaves in the tree's order (sorted by name); a name given twice is
// kInvalidInput naming the tensor.
Result<std::vector<WeightsLeaf>> SortWeightsLeaves(std::vector<WeightsLeaf> leaves);

// The root over leaves already in tree order (see SortWeightsLeaves).
Sha256Digest WeightsRootOfSorted(const std::vector<WeightsLeaf>& sorted_leaves);

// Sorts, checks names, and returns the root.
Result<Sha256Digest> ComputeWeightsRoot(std::vector<WeightsLeaf> leaves);

}  // namespace assay
