// The leaves of the certificate-transparency project's RFC 6962 test vectors,
// shared by the Merkle tree tests.
#pragma once

#include <string>
#include <vector>

#include "digest/merkle.h"

namespace assay::testing {

inline std::vector<Sha256Digest> Rfc6962ReferenceLeafHashes() {
  const std::vector<std::string> leaves = {
      std::string(), std::string("\x00", 1), "\x10", "\x20\x21", "\x30\x31", "\x40\x41\x42\x43",
      "\x50\x51\x52\x53\x54\x55\x56\x57",
      "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
  std::vector<Sha256Digest> hashes;
  for (const std::string& leaf : leaves) hashes.push_back(MerkleLeafHash(leaf));
  return hashes;
}

}  // namespace assay::testing
