// RFC 6962 (and RFC 9162 section 2.1) Merkle tree hashing over SHA-256: the
// construction behind the weights root, the transcript root and checkpoints.
//   leaf hash = SHA-256(0x00 || leaf bytes)
//   node hash = SHA-256(0x01 || left || right)
//   a tree of n > 1 leaves splits at k, the largest power of two below n; no
//   odd node is duplicated; the empty tree's root is SHA-256 of nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "digest/sha256.h"

namespace assay {

Sha256Digest MerkleLeafHash(std::span<const uint8_t> leaf);
Sha256Digest MerkleLeafHash(std::string_view leaf);
Sha256Digest MerkleNodeHash(const Sha256Digest& left, const Sha256Digest& right);

// The root over leaves whose hashes are given, in tree order.
Sha256Digest MerkleRoot(std::span<const Sha256Digest> leaf_hashes);

// The same root, over leaf hashes given one at a time in tree order, in
// memory for log2(n) hashes: for trees whose leaves are streamed.
class MerkleRootBuilder {
 public:
  void Add(const Sha256Digest& leaf_hash);
  uint64_t size() const { return size_; }
  Sha256Digest Root() const;

 private:
  // The roots of the perfect subtrees the leaves so far make, largest
  // (leftmost) first, with their sizes: powers of two, strictly decreasing.
  std::vector<std::pair<uint64_t, Sha256Digest>> subtrees_;
  uint64_t size_ = 0;
};

// The audit path of leaf `index` (RFC 9162 section 2.1.3.1), bottom first.
// Precondition: index < leaf_hashes.size().
std::vector<Sha256Digest> MerkleInclusionProof(std::span<const Sha256Digest> leaf_hashes,
                                               uint64_t index);

// Recomputes the root from a leaf hash and its audit path (RFC 9162 section 2.1.3.2);
// nullopt when the path has the wrong length for (index, tree_size).
std::optional<Sha256Digest> MerkleRootFromInclusionProof(const Sha256Digest& leaf_hash,
                                                         uint64_t index, uint64_t tree_size,
                                                         std::span<const Sha256Digest> proof);

}  // namespace assay
