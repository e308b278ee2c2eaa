#include "digest/merkle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rfc6962_vectors.h"

namespace assay {
namespace {

using testing::Rfc6962ReferenceLeafHashes;

TEST(Merkle, MatchesRfc6962ReferenceRoots) {
  const std::vector<std::string> expected = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  std::vector<Sha256Digest> hashes = Rfc6962ReferenceLeafHashes();
  for (size_t n = 1; n <= hashes.size(); ++n) {
    EXPECT_EQ(ToHex(MerkleRoot(std::span(hashes).first(n))), expected[n - 1]) << n << " leaves";
  }
}

TEST(Merkle, EmptyTreeIsHashOfNothing) {
  EXPECT_EQ(ToHex(MerkleRoot({})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Merkle, EveryInclusionProofVerifiesForEveryTreeSize) {
  std::vector<Sha256Digest> hashes;
  for (int i = 0; i < 33; ++i) hashes.push_back(MerkleLeafHash(std::to_string(i)));
  for (size_t n = 1; n <= hashes.size(); ++n) {
    auto tree = std::span(hashes).first(n);
    Sha256Digest root = MerkleRoot(tree);
    for (size_t i = 0; i < n; ++i) {
      std::vector<Sha256Digest> proof = MerkleInclusionProof(tree, i);
      EXPECT_EQ(MerkleRootFromInclusionProof(tree[i], i, n, proof), root) << i << " of " << n;
    }
  }
}

TEST(Merkle, InclusionProofRejectsWrongLeafIndexOrLength) {
  std::vector<Sha256Digest> hashes;
  for (int i = 0; i < 7; ++i) hashes.push_back(MerkleLeafHash(std::to_string(i)));
  Sha256Digest root = MerkleRoot(hashes);
  std::vector<Sha256Digest> proof = MerkleInclusionProof(hashes, 3);
  EXPECT_NE(MerkleRootFromInclusionProof(hashes[4], 3, 7, proof), root);
  EXPECT_NE(MerkleRootFromInclusionProof(hashes[3], 2, 7, proof), root);
  std::vector<Sha256Digest> short_proof(proof.begin(), proof.end() - 1);
  EXPECT_FALSE(MerkleRootFromInclusionProof(hashes[3], 3, 7, short_proof).has_value());
  EXPECT_FALSE(MerkleRootFromInclusionProof(hashes[3], 7, 7, proof).has_value());
}

TEST(MerkleRootBuilder, GivesMerkleRootForEveryTreeSizeUpTo130) {
  std::vector<Sha256Digest> leaves;
  for (int n = 0; n <= 130; ++n) {
    MerkleRootBuilder builder;
    for (const Sha256Digest& leaf : leaves) builder.Add(leaf);
    EXPECT_EQ(builder.size(), leaves.size());
    EXPECT_EQ(builder.Root(), MerkleRoot(leaves)) << n << " leaves";
    leaves.push_back(MerkleLeafHash(std::string_view("leaf " + std::to_string(n))));
  }
}

}  // namespace
}  // namespace assay
