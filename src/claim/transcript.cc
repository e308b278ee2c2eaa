#include "claim/transcript.h"

#include <sodium.h>

#include <algorithm>
#include <utility>

#include "json/canonical_json.h"
#include "json/record_fields.h"
#include "digest/merkle.h"

namespace assay {
namespace {

using json = nlohmann::json;

Result<std::string> HexField(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string() || !Sha256FromHex(it->get_ref<const std::string&>())) {
    return Status::InvalidInput(std::string("leaf field '") + key + "' is not 64 hex digits");
  }
  return it->get<std::string>();
}

}  // namespace

std::optional<uint64_t> Transcript::IndexOf(const std::string& id) const {
  const auto it = std::lower_bound(leaves.begin(), leaves.end(), id,
                                   [](const TranscriptLeaf& leaf, const std::string& key) { return leaf.id < key; });
  if (it == leaves.end() || it->id != id) return std::nullopt;
  return static_cast<uint64_t>(it - leaves.begin());
}

std::vector<Sha256Digest> Transcript::LeafHashes() const {
  std::vector<Sha256Digest> hashes;
  hashes.reserve(leaves.size());
  for (const TranscriptLeaf& leaf : leaves) hashes.push_back(leaf.hash);
  return hashes;
}

TranscriptSalt RandomSalt() {
  TranscriptSalt salt;
  randombytes_buf(salt.data(), salt.size());
  return salt;
}

json LeafObject(const EvalSample& sample) {
  EvalSample copy = sample;
  return TakeLeafObject(copy);
}

json TakeLeafObject(EvalSample& sample) {
  json metrics = json::object();
  for (const auto& [key, value] : sample.metrics) metrics[key] = value;
  json leaf = json::object();
  leaf["id"] = sample.id;
  leaf["inputDigest"] = sample.input_digest;
  leaf["outputDigest"] = sample.output_digest;
  leaf["metrics"] = std::move(metrics);
  leaf["sample"] = std::exchange(sample.record, nullptr);
  return leaf;
}

Result<TranscriptLeaf> MakeLeaf(const std::string& id, const json& leaf_object, const TranscriptSalt& salt) {
  TranscriptLeaf leaf;
  leaf.id = id;
  leaf.salt = salt;
  ASSAY_ASSIGN_OR_RETURN(leaf.canonical, CanonicalLeafJson(leaf_object));
  leaf.hash = LeafHash(salt, leaf.canonical);
  return leaf;
}

Sha256Digest LeafHash(const TranscriptSalt& salt, std::string_view canonical) {
  Sha256 hasher;
  const uint8_t prefix = 0x00;  // RFC 6962's leaf prefix
  hasher.Update(std::span<const uint8_t>(&prefix, 1));
  hasher.Update(salt);
  hasher.Update(canonical);
  return hasher.Finish();
}

Result<Transcript> CommitTranscript(const std::vector<EvalSample>& samples,
                                    const std::function<TranscriptSalt()>& new_salt) {
  std::vector<TranscriptLeaf> leaves;
  leaves.reserve(samples.size());
  for (const EvalSample& sample : samples) {
    Result<TranscriptLeaf> leaf = MakeLeaf(sample.id, LeafObject(sample), new_salt());
    if (!leaf.ok()) return Status::InvalidInput("sample '" + sample.id + "': " + leaf.status().message());
    leaves.push_back(std::move(leaf).value());
  }
  return TranscriptFromLeaves(std::move(leaves));
}

Result<Transcript> TranscriptFromLeaves(std::vector<TranscriptLeaf> leaves) {
  if (leaves.empty()) return Status::InvalidInput("the transcript has no samples");
  std::sort(leaves.begin(), leaves.end(),
            [](const TranscriptLeaf& a, const TranscriptLeaf& b) { return a.id < b.id; });
  for (size_t i = 1; i < leaves.size(); ++i) {
    if (leaves[i].id == leaves[i - 1].id) {
      return Status::InvalidInput("two samples have the id '" + leaves[i].id + "'");
    }
  }
  Transcript transcript;
  transcript.leaves = std::move(leaves);
  transcript.root = MerkleRoot(transcript.LeafHashes());
  return transcript;
}

Result<std::vector<EvalSample>> SamplesOf(const Transcript& transcript) {
  std::vector<EvalSample> samples;
  samples.reserve(transcript.leaves.size());
  for (const TranscriptLeaf& leaf : transcript.leaves) {
    ASSAY_ASSIGN_OR_RETURN(EvalSample sample, SampleFromLeafObject(json::parse(leaf.canonical)));
    samples.push_back(std::move(sample));
  }
  return samples;
}

Result<EvalSample> SampleFromLeafObject(const json& leaf_object) {
  if (!leaf_object.is_object()) return Status::InvalidInput("a leaf is not a JSON object");
  EvalSample sample;
  const auto id = leaf_object.find("id");
  if (id == leaf_object.end() || !id->is_string()) return Status::InvalidInput("leaf field 'id' is not a string");
  sample.id = id->get<std::string>();
  ASSAY_ASSIGN_OR_RETURN(sample.input_digest, HexField(leaf_object, "inputDigest"));
  ASSAY_ASSIGN_OR_RETURN(sample.output_digest, HexField(leaf_object, "outputDigest"));
  const auto metrics = leaf_object.find("metrics");
  if (metrics == leaf_object.end() || !metrics->is_object()) {
    return Status::InvalidInput("leaf field 'metrics' is not an object");
  }
  for (const auto& [key, value] : metrics->items()) {
    const std::optional<double> number = CanonicalNumber(value);
    if (!number) return Status::InvalidInput("leaf metric '" + key + "' is not a number");
    sample.metrics[key] = *number;
  }
  const auto record = leaf_object.find("sample");
  if (record == leaf_object.end()) return Status::InvalidInput("leaf field 'sample' is missing");
  sample.record = *record;
  if (leaf_object.size() != 5) return Status::InvalidInput("a leaf has fields other than id, inputDigest, outputDigest, metrics, sample");
  return sample;
}

}  // namespace assay
