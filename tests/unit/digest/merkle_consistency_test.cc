#include "digest/merkle_consistency.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "digest/merkle.h"
#include "rfc6962_vectors.h"

namespace assay {
namespace {

std::vector<Sha256Digest> NumberedLeafHashes(int count) {
  std::vector<Sha256Digest> hashes;
  for (int i = 0; i < count; ++i) hashes.push_back(MerkleLeafHash(std::to_string(i)));
  return hashes;
}

using testing::Rfc6962ReferenceLeafHashes;

std::vector<std::string> Hex(const std::vector<Sha256Digest>& proof) {
  std::vector<std::string> hex;
  for (const Sha256Digest& hash : proof) hex.push_back(ToHex(hash));
  return hex;
}

// transparency-dev/merkle testonly/reference_test.go, TestRefConsistencyProof.
TEST(MerkleConsistency, MatchesReferenceProofs) {
  std::vector<Sha256Digest> leaves = Rfc6962ReferenceLeafHashes();
  struct Vector {
    uint64_t old_size;
    uint64_t new_size;
    std::vector<std::string> proof;
  };
  const std::vector<Vector> vectors = {
      {1, 1, {}},
      {1, 8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {2, 5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {6, 8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
  for (const Vector& v : vectors) {
    auto tree = std::span(leaves).first(v.new_size);
    std::vector<Sha256Digest> proof = MerkleConsistencyProof(tree, v.old_size);
    EXPECT_EQ(Hex(proof), v.proof) << v.old_size << " to " << v.new_size;
    Status verified = VerifyMerkleConsistency(v.old_size, v.new_size,
                                              MerkleRoot(tree.first(v.old_size)),
                                              MerkleRoot(tree), proof);
    EXPECT_TRUE(verified.ok()) << verified.message();
  }
}

TEST(MerkleConsistency, EveryPairOfSizesUpTo40RoundTrips) {
  std::vector<Sha256Digest> leaves = NumberedLeafHashes(40);
  for (uint64_t n = 0; n <= leaves.size(); ++n) {
    auto tree = std::span(leaves).first(n);
    Sha256Digest new_root = MerkleRoot(tree);
    for (uint64_t m = 0; m <= n; ++m) {
      Sha256Digest old_root = MerkleRoot(tree.first(m));
      std::vector<Sha256Digest> proof = MerkleConsistencyProof(tree, m);
      Status verified = VerifyMerkleConsistency(m, n, old_root, new_root, proof);
      EXPECT_TRUE(verified.ok()) << m << " to " << n << ": " << verified.message();
    }
  }
}

// The new size is not among the alterations: RFC 6962 roots do not commit to
// their tree's size, and the proof for (m, n) often also holds for (m, n + 1)
// with the same roots. The signed checkpoint is what binds a size to its root.
TEST(MerkleConsistency, EveryAlterationOfAProofFailsForEveryPair) {
  std::vector<Sha256Digest> leaves = NumberedLeafHashes(40);
  Sha256Digest other = MerkleLeafHash("not in the tree");
  for (uint64_t n = 2; n <= leaves.size(); ++n) {
    auto tree = std::span(leaves).first(n);
    Sha256Digest new_root = MerkleRoot(tree);
    for (uint64_t m = 1; m < n; ++m) {
      Sha256Digest old_root = MerkleRoot(tree.first(m));
      std::vector<Sha256Digest> proof = MerkleConsistencyProof(tree, m);
      auto fails = [&](uint64_t old_size, uint64_t new_size, const Sha256Digest& old_hash,
                       const Sha256Digest& new_hash, const std::vector<Sha256Digest>& path) {
        Status status = VerifyMerkleConsistency(old_size, new_size, old_hash, new_hash, path);
        return status.kind() == ErrorKind::kCheckFailed;
      };
      SCOPED_TRACE(std::to_string(m) + " to " + std::to_string(n));
      EXPECT_TRUE(fails(m, n, other, new_root, proof));
      EXPECT_TRUE(fails(m, n, old_root, other, proof));
      EXPECT_TRUE(fails(m, n, new_root, old_root, proof));
      if (m + 1 < n) {
        EXPECT_TRUE(fails(m + 1, n, old_root, new_root, proof));
      }
      EXPECT_TRUE(fails(m - 1, n, old_root, new_root, proof));
      for (size_t i = 0; i < proof.size(); ++i) {
        std::vector<Sha256Digest> flipped = proof;
        flipped[i][7] ^= 0x10;
        EXPECT_TRUE(fails(m, n, old_root, new_root, flipped)) << "hash " << i << " flipped";
      }
      std::vector<Sha256Digest> truncated(proof.begin(), proof.end() - 1);
      EXPECT_TRUE(fails(m, n, old_root, new_root, truncated));
      std::vector<Sha256Digest> extended = proof;
      extended.push_back(other);
      EXPECT_TRUE(fails(m, n, old_root, new_root, extended));
      std::vector<Sha256Digest> prefixed = proof;
      prefixed.insert(prefixed.begin(), old_root);
      EXPECT_TRUE(fails(m, n, old_root, new_root, prefixed));
    }
  }
}

TEST(MerkleConsistency, NamesWhatDisagreed) {
  std::vector<Sha256Digest> leaves = NumberedLeafHashes(7);
  Sha256Digest old_root = MerkleRoot(std::span(leaves).first(3));
  Sha256Digest new_root = MerkleRoot(leaves);
  std::vector<Sha256Digest> proof = MerkleConsistencyProof(leaves, 3);
  Sha256Digest other = MerkleLeafHash("other");

  EXPECT_EQ(VerifyMerkleConsistency(3, 7, other, new_root, proof).message(),
            "consistency proof from size 3 to size 7 does not lead to the old root");
  EXPECT_EQ(VerifyMerkleConsistency(3, 7, old_root, other, proof).message(),
            "consistency proof from size 3 to size 7 does not lead to the new root");
  EXPECT_EQ(VerifyMerkleConsistency(3, 7, old_root, new_root, std::span(proof).first(2)).message(),
            "consistency proof from size 3 to size 7 is too short");
  EXPECT_EQ(VerifyMerkleConsistency(3, 7, old_root, new_root, {}).message(),
            "consistency proof from size 3 to size 7 is empty");
  EXPECT_EQ(VerifyMerkleConsistency(7, 3, new_root, old_root, proof).message(),
            "tree shrank from size 7 to size 3");
}

TEST(MerkleConsistency, EqualSizesNeedEqualRootsAndNoProof) {
  std::vector<Sha256Digest> leaves = NumberedLeafHashes(5);
  Sha256Digest root = MerkleRoot(leaves);
  EXPECT_TRUE(VerifyMerkleConsistency(5, 5, root, root, {}).ok());
  EXPECT_EQ(VerifyMerkleConsistency(5, 5, root, leaves[0], {}).message(),
            "two trees of size 5 have different roots");
  std::vector<Sha256Digest> proof = {root};
  EXPECT_EQ(VerifyMerkleConsistency(5, 5, root, root, proof).kind(), ErrorKind::kCheckFailed);
}

TEST(MerkleConsistency, TheEmptyTreeIsAPrefixOfEveryTree) {
  std::vector<Sha256Digest> leaves = NumberedLeafHashes(5);
  Sha256Digest empty = MerkleRoot({});
  EXPECT_TRUE(VerifyMerkleConsistency(0, 5, empty, MerkleRoot(leaves), {}).ok());
  EXPECT_TRUE(VerifyMerkleConsistency(0, 0, empty, empty, {}).ok());
  EXPECT_EQ(VerifyMerkleConsistency(0, 5, leaves[0], MerkleRoot(leaves), {}).message(),
            "a tree of size 0 has a root other than the empty tree's");
  std::vector<Sha256Digest> proof = {leaves[0]};
  EXPECT_EQ(VerifyMerkleConsistency(0, 5, empty, MerkleRoot(leaves), proof).message(),
            "consistency proof from size 0 to size 5 must be empty");
}

}  // namespace
}  // namespace assay
