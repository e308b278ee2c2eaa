// A transcript committed to as its samples stream by (evallog/sample_sink.h),
// for runs too large to hold (issue 13, "Sizes people run"). Each sample's
// leaf is made on the reader's threads, then salted and hashed in the run's
// order and kept, with its salt and id, in a scratch file; the root is taken
// over the leaves in id order; the opening is written from the scratch file
// in that order. Per sample only its id, scores (ScoredSamples), leaf hash
// and scratch offset are held: a million samples in about 100 MiB.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "claim/scored_samples.h"
#include "claim/transcript.h"
#include "evallog/sample_sink.h"
#include "file_system.h"

namespace assay {

class CommittedTranscript {
 public:
  Sha256Digest root() const { return root_; }
  uint64_t samples() const { return order_.size(); }
  // The transcript opening (transcript_opening.h), the same bytes that
  // FormatTranscriptOpening gives for this transcript, in pieces.
  Status WriteOpening(const ByteSink& write) const;
  // The whole transcript in memory: for runs small enough to hold.
  Result<Transcript> ToTranscript() const;

 private:
  friend class TranscriptBuilder;
  // The id, salt and leaf of sample `i` (in the run's order) from the scratch file.
  Status ReadLeaf(size_t i, std::string& scratch, TranscriptLeaf& leaf) const;

  Sha256Digest root_{};
  std::shared_ptr<const ScratchFile> leaves_;  // per sample: salt, id length (4 bytes), id, canonical leaf
  std::vector<uint64_t> ends_;                 // where each sample's entry ends, in the run's order
  std::vector<uint32_t> order_;                // the run's sample indices in id order
};

// What a claim needs of a run's samples once they are read.
struct CommittedSamples {
  ScoredSamples scored;                           // in the run's order
  std::optional<CommittedTranscript> transcript;  // none when the run had no samples
};

// The most samples one run's transcript commits to (docs/spec/transcript-root.md):
// ten times the largest public benchmarks. A run with more is refused as its
// samples stream in, at the first sample past the limit, with what the
// builder holds by then bounded (a leaf hash, an offset and the scores of
// each sample taken: about 50 bytes apiece).
inline constexpr uint64_t kMaxTranscriptSamples = 10'000'000;

class TranscriptBuilder final : public SampleSink {
 public:
  // Salts from `new_salt` (which must outlive the builder: a stateful one
  // goes on from one run to the next), one per sample in the run's order. The leaves
  // are kept in a scratch file in `scratch_folder` (ScratchFile::OnDisk), or
  // in memory when it is "".
  // `with_digests`: the scores keep the samples' digests (ScoredSamples), for
  // a reproduction to pair its run with the claim's.
  // `max_samples`: kMaxTranscriptSamples, lower only in tests.
  explicit TranscriptBuilder(const std::function<TranscriptSalt()>& new_salt, std::string scratch_folder = "",
                             bool with_digests = false, uint64_t max_samples = kMaxTranscriptSamples);

  // The canonical JSON of the sample's leaf object (kInvalidInput "sample
  // 'ID': ..." for text that is not UTF-8).
  Result<std::string> Prepare(EvalSample& sample) const override;
  Status Take(EvalSample sample, std::string canonical_leaf) override;

  // Every sample taken, committed; kInvalidInput for two samples with one id.
  // The builder is empty afterwards, ready for the next run.
  Result<CommittedSamples> Finish();

 private:
  const std::function<TranscriptSalt()>& new_salt_;
  std::string scratch_folder_;
  bool with_digests_;
  uint64_t max_samples_;
  std::optional<ScratchFile> scratch_;  // made at the run's first sample
  ScoredSamples scored_;
  std::vector<Sha256Digest> hashes_;  // in the run's order
  std::vector<uint64_t> ends_;
  std::string entry_;  // reused
};

// Commits to samples already held, as the builder would (in memory).
Result<CommittedSamples> CommitHeldSamples(const std::vector<EvalSample>& samples,
                                           const std::function<TranscriptSalt()>& new_salt, bool with_digests = false);

}  // namespace assay
