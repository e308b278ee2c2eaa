// The transcript root (DESIGN.md, Canonical definitions; docs/spec/transcript-root.md):
// an RFC 6962 Merkle tree over one leaf per scored sample, sorted by sample
// id (bytewise). A leaf is a random 32-byte salt followed by the canonical
// JSON of the sample's leaf object:
//   {"id", "inputDigest", "outputDigest", "metrics": {KEY: number}, "sample": RECORD}
// where RECORD is the reader's record of the sample (evallog/eval_run.h).
// The salt keeps a revealed sample from letting anyone confirm a guess about
// its neighbours, so a claim can commit to a held-out transcript and reveal it
// sample by sample later.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "digest/sha256.h"
#include "evallog/eval_run.h"
#include "status.h"

namespace assay {

using TranscriptSalt = std::array<uint8_t, 32>;

struct TranscriptLeaf {
  std::string id;
  TranscriptSalt salt{};
  std::string canonical;  // canonical JSON of the leaf object
  Sha256Digest hash{};    // SHA-256(0x00 || salt || canonical)
};

struct Transcript {
  std::vector<TranscriptLeaf> leaves;  // sorted by id, ids unique
  Sha256Digest root{};

  // The position of the sample called `id`, or nullopt.
  std::optional<uint64_t> IndexOf(const std::string& id) const;
  std::vector<Sha256Digest> LeafHashes() const;
};

// Fresh salts from the operating system's CSPRNG (libsodium's randombytes).
TranscriptSalt RandomSalt();

// The leaf object of one sample, before canonical encoding.
nlohmann::json LeafObject(const EvalSample& sample);
// The same, moving the sample's record into it rather than copying it: the
// sample keeps its id, digests and metrics, and its record is null after.
nlohmann::json TakeLeafObject(EvalSample& sample);

// A leaf's hash: SHA-256(0x00 || salt || canonical).
Sha256Digest LeafHash(const TranscriptSalt& salt, std::string_view canonical);

// The leaf of one sample with the given salt. kInvalidInput for text that is
// not valid UTF-8.
Result<TranscriptLeaf> MakeLeaf(const std::string& id, const nlohmann::json& leaf_object,
                                const TranscriptSalt& salt);

// Commits to `samples` with one salt per sample from `new_salt`. kInvalidInput
// for two samples with one id, or an empty transcript.
Result<Transcript> CommitTranscript(const std::vector<EvalSample>& samples,
                                    const std::function<TranscriptSalt()>& new_salt = RandomSalt);

// Builds the tree over leaves already made (sorted here; duplicate ids refused).
Result<Transcript> TranscriptFromLeaves(std::vector<TranscriptLeaf> leaves);

// A sample back from its leaf object (the inverse of LeafObject), so scores
// can be recomputed and compared from a revealed transcript alone.
// kInvalidInput naming the field that is wrong.
Result<EvalSample> SampleFromLeafObject(const nlohmann::json& leaf_object);

// Every sample of a transcript, in leaf order (SampleFromLeafObject of each).
Result<std::vector<EvalSample>> SamplesOf(const Transcript& transcript);

}  // namespace assay
