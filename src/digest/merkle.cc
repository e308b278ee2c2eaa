#include "digest/merkle.h"

#include <bit>

namespace assay {
namespace {

// The largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

}  // namespace

Sha256Digest MerkleLeafHash(std::span<const uint8_t> leaf) {
  Sha256 hasher;
  const uint8_t prefix = 0x00;
  hasher.Update(std::span<const uint8_t>(&prefix, 1));
  hasher.Update(leaf);
  return hasher.Finish();
}

Sha256Digest MerkleLeafHash(std::string_view leaf) {
  return MerkleLeafHash(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(leaf.data()), leaf.size()));
}

Sha256Digest MerkleNodeHash(const Sha256Digest& left, const Sha256Digest& right) {
  Sha256 hasher;
  const uint8_t prefix = 0x01;
  hasher.Update(std::span<const uint8_t>(&prefix, 1));
  hasher.Update(left);
  hasher.Update(right);
  return hasher.Finish();
}

Sha256Digest MerkleRoot(std::span<const Sha256Digest> leaf_hashes) {
  if (leaf_hashes.empty()) return Sha256::Of(std::string_view());
  if (leaf_hashes.size() == 1) return leaf_hashes[0];
  uint64_t k = SplitPoint(leaf_hashes.size());
  return MerkleNodeHash(MerkleRoot(leaf_hashes.first(k)), MerkleRoot(leaf_hashes.subspan(k)));
}

void MerkleRootBuilder::Add(const Sha256Digest& leaf_hash) {
  subtrees_.emplace_back(1, leaf_hash);
  ++size_;
  while (subtrees_.size() >= 2 && subtrees_[subtrees_.size() - 2].first == subtrees_.back().first) {
    auto [size, right] = subtrees_.back();
    subtrees_.pop_back();
    subtrees_.back() = {2 * size, MerkleNodeHash(subtrees_.back().second, right)};
  }
}

Sha256Digest MerkleRootBuilder::Root() const {
  if (subtrees_.empty()) return Sha256::Of(std::string_view());
  // RFC 6962 splits at the largest power of two, so the tree is the
  // subtrees joined from the right: H(s0, H(s1, ... H(sk-1, sk))).
  Sha256Digest root = subtrees_.back().second;
  for (size_t i = subtrees_.size() - 1; i-- > 0;) root = MerkleNodeHash(subtrees_[i].second, root);
  return root;
}

std::vector<Sha256Digest> MerkleInclusionProof(std::span<const Sha256Digest> leaf_hashes,
                                               uint64_t index) {
  // PATH(m, D[n]) of RFC 9162: recurse into the side holding m, and append the
  // root of the other side after the deeper part of the path.
  if (leaf_hashes.size() <= 1) return {};
  uint64_t k = SplitPoint(leaf_hashes.size());
  std::vector<Sha256Digest> path;
  if (index < k) {
    path = MerkleInclusionProof(leaf_hashes.first(k), index);
    path.push_back(MerkleRoot(leaf_hashes.subspan(k)));
  } else {
    path = MerkleInclusionProof(leaf_hashes.subspan(k), index - k);
    path.push_back(MerkleRoot(leaf_hashes.first(k)));
  }
  return path;
}

std::optional<Sha256Digest> MerkleRootFromInclusionProof(const Sha256Digest& leaf_hash,
                                                         uint64_t index, uint64_t tree_size,
                                                         std::span<const Sha256Digest> proof) {
  // RFC 9162 section 2.1.3.2, step by step.
  if (index >= tree_size) return std::nullopt;
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Sha256Digest r = leaf_hash;
  for (const Sha256Digest& p : proof) {
    if (sn == 0) return std::nullopt;
    if ((fn & 1) == 1 || fn == sn) {
      r = MerkleNodeHash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = MerkleNodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return std::nullopt;
  return r;
}

}  // namespace assay
