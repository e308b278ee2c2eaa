// docs/spec/transcript-root-vectors.json is shared with the independent
// Python implementation in tests/independent/transcript_root_check.py. This
// test recomputes every expected value with the C++ code, so the file cannot
// drift from it; run with ASSAY_WRITE_VECTORS=1 to rewrite those values after
// a deliberate change (then review the diff and rerun the Python check).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>

#include "json/canonical_json.h"
#include "claim/transcript.h"
#include "digest/merkle.h"
#include "json/record_fields.h"
#include "test_support.h"

namespace assay {
namespace {

using json = nlohmann::json;

const std::string kVectorsPath = std::string(ASSAY_SOURCE_DIR) + "/docs/spec/transcript-root-vectors.json";

// The vectors' own convention: the strings "NaN", "Infinity" and "-Infinity"
// stand for the doubles an eval log reader would give.
json WithNonFiniteDoubles(const json& value) {
  if (value.is_string()) {
    const std::optional<double> number = CanonicalNumber(value);
    return number ? json(*number) : value;
  }
  json out = value;
  if (value.is_structured()) {
    for (auto& [key, item] : out.items()) item = WithNonFiniteDoubles(item);
  }
  return out;
}

EvalSample SampleOf(const json& entry) {
  EvalSample sample;
  sample.id = entry.at("id").get<std::string>();
  sample.input_digest = entry.at("inputDigest").get<std::string>();
  sample.output_digest = entry.at("outputDigest").get<std::string>();
  const json metrics = json::parse(entry.at("metricsJson").get<std::string>());
  for (const auto& [key, value] : metrics.items()) {
    sample.metrics[key] = *CanonicalNumber(value);
  }
  sample.record = WithNonFiniteDoubles(json::parse(entry.at("sampleJson").get<std::string>()));
  return sample;
}

// Fills in (or recomputes, to compare) every expected value of `vectors`.
json Computed(json vectors) {
  for (json& vector : vectors.at("canonicalJson")) {
    Result<std::string> canonical = CanonicalLeafJson(json::parse(vector.at("input").get<std::string>()));
    EXPECT_TRUE(canonical.ok()) << vector["description"];
    vector["canonical"] = canonical.ok() ? *canonical : "";
  }
  for (json& vector : vectors.at("transcripts")) {
    std::vector<TranscriptLeaf> leaves;
    for (const json& entry : vector.at("samples")) {
      const EvalSample sample = SampleOf(entry);
      TranscriptSalt salt{};
      const std::optional<Sha256Digest> salt_bytes = Sha256FromHex(entry.at("salt").get<std::string>());
      EXPECT_TRUE(salt_bytes.has_value());
      if (salt_bytes) salt = *salt_bytes;
      Result<TranscriptLeaf> leaf = MakeLeaf(sample.id, LeafObject(sample), salt);
      EXPECT_TRUE(leaf.ok()) << leaf.status().message();
      if (leaf.ok()) leaves.push_back(*leaf);
    }
    Result<Transcript> transcript = TranscriptFromLeaves(leaves);
    EXPECT_TRUE(transcript.ok()) << transcript.status().message();
    if (!transcript.ok()) continue;
    vector["leaves"] = json::array();
    vector["inclusionProofs"] = json::array();
    const std::vector<Sha256Digest> hashes = transcript->LeafHashes();
    for (uint64_t i = 0; i < hashes.size(); ++i) {
      const TranscriptLeaf& leaf = transcript->leaves[i];
      vector["leaves"].push_back({{"id", leaf.id}, {"canonical", leaf.canonical}, {"leafHash", ToHex(leaf.hash)}});
      json path = json::array();
      for (const Sha256Digest& node : MerkleInclusionProof(hashes, i)) path.push_back(ToHex(node));
      vector["inclusionProofs"].push_back(std::move(path));
    }
    vector["root"] = ToHex(transcript->root);
  }
  return vectors;
}

TEST(TranscriptRootVectors, CppReproducesEveryVector) {
  const json vectors = json::parse(testing::ReadFileOrDie(kVectorsPath));
  const json computed = Computed(vectors);
  if (std::getenv("ASSAY_WRITE_VECTORS") != nullptr) {
    std::ofstream(kVectorsPath) << computed.dump(2, ' ', false) << "\n";
    GTEST_SKIP() << "wrote " << kVectorsPath;
  }
  ASSERT_GE(vectors["canonicalJson"].size(), 8u);
  ASSERT_GE(vectors["transcripts"].size(), 5u);
  for (size_t i = 0; i < vectors["canonicalJson"].size(); ++i) {
    SCOPED_TRACE(vectors["canonicalJson"][i]["description"].get<std::string>());
    EXPECT_EQ(computed["canonicalJson"][i]["canonical"], vectors["canonicalJson"][i]["canonical"]);
  }
  for (size_t i = 0; i < vectors["transcripts"].size(); ++i) {
    const json& expected = vectors["transcripts"][i];
    SCOPED_TRACE(expected["description"].get<std::string>());
    EXPECT_EQ(computed["transcripts"][i]["leaves"], expected["leaves"]);
    EXPECT_EQ(computed["transcripts"][i]["root"], expected["root"]);
    EXPECT_EQ(computed["transcripts"][i]["inclusionProofs"], expected["inclusionProofs"]);
  }
}

TEST(TranscriptRootVectors, SaltsAndSamplesChangeTheRoot) {
  const json vectors = json::parse(testing::ReadFileOrDie(kVectorsPath));
  std::set<std::string> roots;
  for (const json& vector : vectors["transcripts"]) roots.insert(vector["root"].get<std::string>());
  EXPECT_EQ(roots.size(), vectors["transcripts"].size()) << "every vector commits to something different";
}

}  // namespace
}  // namespace assay
