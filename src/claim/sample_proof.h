// A revealed sample with its inclusion proof (docs/spec/transcript-root.md,
// Sample proofs): `assay prove sample` writes one from a transcript opening,
// `assay verify sample` checks it against the transcript root a signed claim
// commits to. It reveals one sample and its salt, and nothing about the others.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "claim/transcript.h"
#include "digest/sha256.h"
#include "status.h"

namespace assay {

struct SampleProof {
  std::string claim_id;  // the claim record whose transcript root this proves against
  Sha256Digest transcript_root{};
  uint64_t tree_size = 0;
  uint64_t index = 0;
  TranscriptLeaf leaf;         // id, salt, canonical leaf object, hash
  nlohmann::json leaf_object;  // the revealed sample, parsed
  std::vector<Sha256Digest> path;  // RFC 9162 audit path, bottom first
};

// The proof for sample `id`; kInvalidInput naming the id when the transcript
// has no such sample.
Result<SampleProof> ProveSample(const Transcript& transcript, const std::string& claim_id, const std::string& id);

std::string FormatSampleProof(const SampleProof& proof);
// kInvalidInput (message without a file name) for anything malformed.
Result<SampleProof> ParseSampleProof(std::string_view text);

// kCheckFailed unless the proof is for a tree of `committed_samples` leaves
// and its leaf, through its path, gives `committed_root` (both from the
// signed claim). The size must come from the claim: the RFC 9162 check
// alone accepts a path under some other tree sizes too (index 4 of 11 hashes
// the same way as index 4 of 9 or 12), so a proof's own size proves nothing.
Status CheckSampleProof(const SampleProof& proof, const Sha256Digest& committed_root, uint64_t committed_samples);

}  // namespace assay
