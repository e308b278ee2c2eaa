#include "claim/transcript_builder.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <nlohmann/json.hpp>

#include "digest/merkle.h"
#include "claim/transcript_opening.h"
#include "json/canonical_json.h"

namespace assay {
namespace {

constexpr size_t kSaltBytes = std::tuple_size_v<TranscriptSalt>;

Result<std::string> CanonicalLeaf(const std::string& id, const nlohmann::json& leaf_object) {
  Result<std::string> canonical = CanonicalLeafJson(leaf_object);
  if (!canonical.ok()) return Status::InvalidInput("sample '" + id + "': " + canonical.status().message());
  return canonical;
}

}  // namespace

Status CommittedTranscript::ReadLeaf(size_t i, std::string& scratch, TranscriptLeaf& leaf) const {
  const uint64_t begin = i == 0 ? 0 : ends_[i - 1];
  ASSAY_RETURN_IF_ERROR(leaves_->Read(begin, static_cast<size_t>(ends_[i] - begin), scratch));
  std::memcpy(leaf.salt.data(), scratch.data(), kSaltBytes);
  uint32_t id_bytes = 0;
  std::memcpy(&id_bytes, scratch.data() + kSaltBytes, sizeof id_bytes);
  leaf.id.assign(scratch, kSaltBytes + sizeof id_bytes, id_bytes);
  leaf.canonical.assign(scratch, kSaltBytes + sizeof id_bytes + id_bytes);
  return Status::Ok();
}

Status CommittedTranscript::WriteOpening(const ByteSink& write) const {
  constexpr size_t kChunkBytes = 4 << 20;
  std::string text = OpeningHeaderLine(root_, samples());
  std::string scratch;
  TranscriptLeaf leaf;
  for (const uint32_t i : order_) {
    ASSAY_RETURN_IF_ERROR(ReadLeaf(i, scratch, leaf));
    AppendOpeningLine(leaf, text);
    if (text.size() >= kChunkBytes) {
      ASSAY_RETURN_IF_ERROR(write(text));
      text.clear();
    }
  }
  return write(text);
}

Result<Transcript> CommittedTranscript::ToTranscript() const {
  Transcript transcript;
  transcript.root = root_;
  transcript.leaves.resize(order_.size());
  std::string scratch;
  for (size_t k = 0; k < order_.size(); ++k) {
    TranscriptLeaf& leaf = transcript.leaves[k];
    ASSAY_RETURN_IF_ERROR(ReadLeaf(order_[k], scratch, leaf));
    leaf.hash = LeafHash(leaf.salt, leaf.canonical);
  }
  return transcript;
}

TranscriptBuilder::TranscriptBuilder(const std::function<TranscriptSalt()>& new_salt, std::string scratch_folder,
                                     bool with_digests, uint64_t max_samples)
    : new_salt_(new_salt),
      scratch_folder_(std::move(scratch_folder)),
      with_digests_(with_digests),
      max_samples_(max_samples),
      scored_(with_digests) {}

Result<std::string> TranscriptBuilder::Prepare(EvalSample& sample) const {
  return CanonicalLeaf(sample.id, TakeLeafObject(sample));
}

Status TranscriptBuilder::Take(EvalSample sample, std::string canonical_leaf) {
  if (hashes_.size() >= max_samples_) {
    return Status::InvalidInput("sample '" + sample.id + "' is past the limit of " + std::to_string(max_samples_) +
                                " samples one transcript commits to");
  }
  if (!scratch_) {
    if (scratch_folder_.empty()) {
      scratch_.emplace();
    } else {
      ASSAY_ASSIGN_OR_RETURN(scratch_, ScratchFile::OnDisk(scratch_folder_));
    }
  }
  const TranscriptSalt salt = new_salt_();
  const auto id_bytes = static_cast<uint32_t>(sample.id.size());
  entry_.assign(salt.begin(), salt.end());
  entry_.append(reinterpret_cast<const char*>(&id_bytes), sizeof id_bytes);
  entry_ += sample.id;
  entry_ += canonical_leaf;
  ASSAY_RETURN_IF_ERROR(scratch_->Append(entry_));
  ends_.push_back(scratch_->size());
  hashes_.push_back(LeafHash(salt, canonical_leaf));
  return scored_.Add(sample);
}

Result<CommittedSamples> TranscriptBuilder::Finish() {
  CommittedSamples out;
  out.scored = std::exchange(scored_, ScoredSamples(with_digests_));
  std::vector<Sha256Digest> hashes = std::exchange(hashes_, {});
  std::vector<uint64_t> ends = std::exchange(ends_, {});
  std::optional<ScratchFile> scratch = std::exchange(scratch_, std::nullopt);
  const ScoredSamples& scored = out.scored;
  if (scored.size() == 0) return out;
  if (scored.size() > UINT32_MAX) return Status::InvalidInput("a transcript of more than 2^32 samples");
  std::vector<uint32_t> order(scored.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return scored.id(a) < scored.id(b); });
  for (size_t k = 1; k < order.size(); ++k) {
    if (scored.id(order[k]) == scored.id(order[k - 1])) {
      return Status::InvalidInput("two samples have the id '" + std::string(scored.id(order[k])) + "'");
    }
  }
  MerkleRootBuilder root;
  for (const uint32_t i : order) root.Add(hashes[i]);
  hashes = {};
  CommittedTranscript& transcript = out.transcript.emplace();
  transcript.root_ = root.Root();
  transcript.leaves_ = std::make_shared<const ScratchFile>(std::move(*scratch));
  transcript.ends_ = std::move(ends);
  transcript.order_ = std::move(order);
  return out;
}

Result<CommittedSamples> CommitHeldSamples(const std::vector<EvalSample>& samples,
                                           const std::function<TranscriptSalt()>& new_salt, bool with_digests) {
  TranscriptBuilder builder(new_salt, "", with_digests);
  for (const EvalSample& sample : samples) {
    ASSAY_ASSIGN_OR_RETURN(std::string canonical, CanonicalLeaf(sample.id, LeafObject(sample)));
    EvalSample scored;
    scored.id = sample.id;
    scored.input_digest = sample.input_digest;
    scored.output_digest = sample.output_digest;
    scored.metrics = sample.metrics;
    ASSAY_RETURN_IF_ERROR(builder.Take(std::move(scored), std::move(canonical)));
  }
  return builder.Finish();
}

}  // namespace assay
