#include "digest/merkle_consistency.h"

#include <bit>
#include <string>

#include "digest/merkle.h"

namespace assay {
namespace {

// SUBPROOF(m, D[n], b) of RFC 9162 section 2.1.4.1, appended to `proof`. `b`
// says whether the subtree of the first m leaves is the old tree itself, whose
// root the verifier already has and so is left out.
void AppendSubproof(uint64_t m, std::span<const Sha256Digest> leaves, bool m_is_old_tree,
                    std::vector<Sha256Digest>& proof) {
  if (m == leaves.size()) {
    if (!m_is_old_tree) proof.push_back(MerkleRoot(leaves));
    return;
  }
  // k is the largest power of two below n, where the tree splits (RFC 9162 2.1.1).
  uint64_t k = std::bit_floor(leaves.size() - 1);
  if (m <= k) {
    AppendSubproof(m, leaves.first(k), m_is_old_tree, proof);
    proof.push_back(MerkleRoot(leaves.subspan(k)));
  } else {
    AppendSubproof(m - k, leaves.subspan(k), false, proof);
    proof.push_back(MerkleRoot(leaves.first(k)));
  }
}

std::string Sizes(uint64_t old_size, uint64_t new_size) {
  return "from size " + std::to_string(old_size) + " to size " + std::to_string(new_size);
}

}  // namespace

std::vector<Sha256Digest> MerkleConsistencyProof(std::span<const Sha256Digest> leaf_hashes,
                                                 uint64_t old_size) {
  std::vector<Sha256Digest> proof;
  if (old_size == 0 || old_size >= leaf_hashes.size()) return proof;
  AppendSubproof(old_size, leaf_hashes, true, proof);
  return proof;
}

Status VerifyMerkleConsistency(uint64_t old_size, uint64_t new_size, const Sha256Digest& old_root,
                               const Sha256Digest& new_root, std::span<const Sha256Digest> proof) {
  if (old_size > new_size) {
    return Status::CheckFailed("tree shrank " + Sizes(old_size, new_size));
  }
  if (old_size == 0 && old_root != MerkleRoot({})) {
    return Status::CheckFailed("a tree of size 0 has a root other than the empty tree's");
  }
  if (old_size == new_size || old_size == 0) {
    if (!proof.empty()) {
      return Status::CheckFailed("consistency proof " + Sizes(old_size, new_size) +
                                 " must be empty");
    }
    if (old_size == new_size && old_root != new_root) {
      return Status::CheckFailed("two trees of size " + std::to_string(old_size) +
                                 " have different roots");
    }
    return Status::Ok();
  }

  // RFC 9162 section 2.1.4.2, step by step; 0 < old_size < new_size here.
  // Step 1.
  if (proof.empty()) {
    return Status::CheckFailed("consistency proof " + Sizes(old_size, new_size) + " is empty");
  }
  // Step 2: when the old tree is a complete subtree its root starts the path.
  std::vector<Sha256Digest> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  // Steps 3 and 4.
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  // Steps 5 and 6: fr follows the old root, sr the new one.
  Sha256Digest fr = path[0];
  Sha256Digest sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Sha256Digest& c = path[i];
    if (sn == 0) {
      return Status::CheckFailed("consistency proof " + Sizes(old_size, new_size) + " is too long");
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = MerkleNodeHash(c, fr);
      sr = MerkleNodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = MerkleNodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  // Step 7.
  if (sn != 0) {
    return Status::CheckFailed("consistency proof " + Sizes(old_size, new_size) + " is too short");
  }
  if (fr != old_root) {
    return Status::CheckFailed("consistency proof " + Sizes(old_size, new_size) +
                               " does not lead to the old root");
  }
  if (sr != new_root) {
    return Status::CheckFailed("consistency proof " + Sizes(old_size, new_size) +
                               " does not lead to the new root");
  }
  return Status::Ok();
}

}  // namespace assay
