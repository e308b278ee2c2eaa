// What scores are recomputed from, for every sample of a run, packed: each
// sample's id and numeric per-sample values, without its text. A million
// samples take tens of MiB here, where their records would take gigabytes,
// so a claim, its verification and a group's recomputation hold this and
// stream the rest (issue 13, "Sizes people run").
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "digest/sha256.h"
#include "evallog/eval_run.h"
#include "status.h"

namespace assay {

class ScoredSamples {
 public:
  // `with_digests`: keep each sample's input and output digests too, for
  // pairing with another run's samples: their first 128 bits (33 bytes a
  // sample). Pairing only asks whether two samples' digests are equal, and
  // the full digests stay in the signed leaves; making a different input
  // whose digest starts as a given one's does takes about 2^128 hashes.
  explicit ScoredSamples(bool with_digests = false) : with_digests_(with_digests) {}

  // The sample's id and metrics (and digests, when kept); not its record.
  // kInvalidInput past 4 GiB of ids or 4 Gi values.
  Status Add(const EvalSample& sample);
  size_t size() const { return id_ends_.size(); }
  std::string_view id(size_t i) const;

  // Samples [begin, end) as EvalSamples holding their ids and metrics (and
  // digests, when kept, as 32 hex digits) only, for the score recomputation
  // (claim/score_recompute.h) and pairing (claim/verdict.h).
  std::vector<EvalSample> Slice(size_t begin, size_t end) const;

 private:
  // Offsets are 32-bit: 4 GiB of ids, 4 Gi values (Add refuses more).
  std::string ids_;                // every id, end to end
  std::vector<uint32_t> id_ends_;  // where each id ends in ids_
  std::vector<std::string> keys_;  // each metric key once
  std::unordered_map<std::string, uint32_t> key_index_;
  std::vector<uint32_t> value_keys_;  // the key of every value of every sample, in order
  std::vector<double> values_;
  std::vector<uint32_t> value_ends_;  // where each sample's values end
  bool with_digests_;
  // When kept: each sample's input and output digest, binary, their first
  // 16 bytes, and which of the two it has (bit 0 input, bit 1 output; a log
  // may give none).
  using DigestPrefix = std::array<uint8_t, 16>;
  std::vector<std::array<DigestPrefix, 2>> digests_;
  std::vector<uint8_t> has_digests_;
};

}  // namespace assay
