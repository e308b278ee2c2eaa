// Consistency proofs between two sizes of one RFC 6962 Merkle tree (RFC 9162
// section 2.1.4): the evidence that the tree of the first m leaves is a prefix
// of the tree of n leaves, so a log that grew from m to n only appended. A
// checkpoint verifier uses them to check that a ledger still contains, unchanged
// and in order, every record an earlier checkpoint committed to.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "digest/sha256.h"
#include "status.h"

namespace assay {

// PROOF(old_size, D[n]) of RFC 9162 section 2.1.4.1, where D[n] are the leaves
// whose hashes are given (n = leaf_hashes.size()). Empty when old_size is 0 or
// n: there is nothing to prove. Precondition: old_size <= leaf_hashes.size().
std::vector<Sha256Digest> MerkleConsistencyProof(std::span<const Sha256Digest> leaf_hashes,
                                                 uint64_t old_size);

// Checks that `proof` shows the tree of old_size leaves with root old_root to be
// a prefix of the tree of new_size leaves with root new_root. For
// 0 < old_size < new_size this is exactly RFC 9162 section 2.1.4.2. The RFC
// leaves the other sizes out; here, as in other RFC 6962 verifiers, two equal
// sizes need equal roots and an empty proof, and the empty tree (whose root must
// be SHA-256 of nothing) is a prefix of every tree, with an empty proof.
// kCheckFailed, saying what disagreed, when the proof does not hold.
// A root does not commit to its tree's size (the proof from 1 to 3 leaves also
// holds from 1 to 4 with the same roots), so the sizes must come from where the
// roots do: a signed checkpoint.
Status VerifyMerkleConsistency(uint64_t old_size, uint64_t new_size, const Sha256Digest& old_root,
                               const Sha256Digest& new_root, std::span<const Sha256Digest> proof);

}  // namespace assay
