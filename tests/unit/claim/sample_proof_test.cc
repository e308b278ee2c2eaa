#include "claim/sample_proof.h"

#include <gtest/gtest.h>

#include "claim_test_fixtures.h"
#include "digest/merkle.h"

namespace assay {
namespace {

using json = nlohmann::json;
using claim_testing::ChoiceSamples;

const std::string kProvedClaimId = claim_testing::HexSha256("a claim record");

Transcript TranscriptOf(uint64_t size) {
  claim_testing::CountingSalts salts;
  return *CommitTranscript(ChoiceSamples(size, size / 2), std::ref(salts));
}

// The proof of sample `id` as `assay prove sample` writes it, read back.
SampleProof RoundTripped(const Transcript& transcript, const std::string& id) {
  Result<SampleProof> proof = ProveSample(transcript, kProvedClaimId, id);
  EXPECT_TRUE(proof.ok()) << proof.status().message();
  Result<SampleProof> parsed = ParseSampleProof(FormatSampleProof(*proof));
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return *parsed;
}

json ProofJson(const Transcript& transcript, const std::string& id) {
  return json::parse(FormatSampleProof(*ProveSample(transcript, kProvedClaimId, id)));
}

Status CheckText(const json& proof, const Transcript& committed) {
  Result<SampleProof> parsed = ParseSampleProof(proof.dump());
  if (!parsed.ok()) return parsed.status();
  return CheckSampleProof(*parsed, committed.root, committed.leaves.size());
}

TEST(SampleProof, EveryIndexOfEveryTreeUpTo17Proves) {
  for (uint64_t size = 1; size <= 17; ++size) {
    const Transcript transcript = TranscriptOf(size);
    for (uint64_t index = 0; index < size; ++index) {
      SCOPED_TRACE("tree of " + std::to_string(size) + ", index " + std::to_string(index));
      const SampleProof proof = RoundTripped(transcript, transcript.leaves[index].id);
      EXPECT_EQ(proof.index, index);
      EXPECT_EQ(proof.tree_size, size);
      EXPECT_EQ(proof.claim_id, kProvedClaimId);
      EXPECT_EQ(proof.leaf.hash, transcript.leaves[index].hash);
      const Status status = CheckSampleProof(proof, transcript.root, size);
      EXPECT_TRUE(status.ok()) << status.message();
    }
  }
}

TEST(SampleProof, RevealsOnlyItsOwnSample) {
  const Transcript transcript = TranscriptOf(8);
  const std::string text = FormatSampleProof(*ProveSample(transcript, kProvedClaimId, "3/none"));
  EXPECT_NE(text.find("question 3/none"), std::string::npos);
  EXPECT_NE(text.find(ToHex(transcript.leaves[3].salt)), std::string::npos);
  for (const TranscriptLeaf& leaf : transcript.leaves) {
    if (leaf.id == "3/none") continue;
    EXPECT_EQ(text.find("question " + leaf.id), std::string::npos) << leaf.id;
    EXPECT_EQ(text.find(ToHex(leaf.salt)), std::string::npos) << leaf.id;
  }
}

TEST(SampleProof, UnknownSampleIsInvalidInput) {
  Result<SampleProof> proof = ProveSample(TranscriptOf(3), kProvedClaimId, "99/none");
  ASSERT_FALSE(proof.ok());
  EXPECT_EQ(proof.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(proof.status().message(), "the transcript has no sample with id '99/none'");
}

TEST(SampleProof, TamperingFailsTheCheck) {
  const Transcript transcript = TranscriptOf(11);
  const json good = ProofJson(transcript, "4/none");
  ASSERT_TRUE(CheckText(good, transcript).ok());
  ASSERT_EQ(good["index"], 5) << "ids sort as text: 0, 1, 10, 2, 3, 4";
  const std::vector<std::pair<std::string, std::function<void(json&)>>> tamperings = {
      {"leaf metric", [](json& p) { p["leaf"]["metrics"]["acc,none"] = 0.0; }},
      {"leaf record", [](json& p) { p["leaf"]["sample"]["response"] = "B"; }},
      {"leaf digest", [](json& p) { p["leaf"]["outputDigest"] = claim_testing::HexSha256("B"); }},
      {"integer for double", [](json& p) { p["leaf"]["metrics"]["acc,none"] = 1; }},
      {"salt", [](json& p) { p["salt"] = std::string(64, '0'); }},
      {"path node", [](json& p) { p["path"][1] = std::string(64, 'e'); }},
      {"path order", [](json& p) { std::swap(p["path"][0], p["path"][1]); }},
      {"path too short", [](json& p) { p["path"].erase(p["path"].size() - 1); }},
      {"path too long", [](json& p) { p["path"].push_back(std::string(64, 'e')); }},
      {"index", [](json& p) { p["index"] = 4; }},
      {"next index", [](json& p) { p["index"] = 6; }},
      {"tree size", [](json& p) { p["treeSize"] = 12; }},
      {"smaller tree", [](json& p) { p["treeSize"] = 9; }},
      {"transcript root", [](json& p) { p["transcriptRoot"] = std::string(64, 'a'); }},
  };
  for (const auto& [what, tamper] : tamperings) {
    json proof = good;
    tamper(proof);
    const Status status = CheckText(proof, transcript);
    EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed) << what << ": " << status.message();
  }
  // The proof is checked against the root and size the claim commits to, not its own.
  const std::string proof_text = good.dump();
  const SampleProof proof = *ParseSampleProof(proof_text);
  const Status other_root = CheckSampleProof(proof, claim_testing::FilledDigest(7), 11);
  EXPECT_EQ(other_root.kind(), ErrorKind::kCheckFailed);
  EXPECT_NE(other_root.message().find("but the claim commits to"), std::string::npos);
  SampleProof moved_root = proof;
  moved_root.transcript_root = claim_testing::FilledDigest(7);
  EXPECT_EQ(CheckSampleProof(moved_root, claim_testing::FilledDigest(7), 11).kind(), ErrorKind::kCheckFailed);
  // Index 5 of 11 hashes as index 5 of 9 or 12 does: only the claim's size tells.
  for (uint64_t size : {9u, 12u}) {
    SampleProof resized = proof;
    resized.tree_size = size;
    ASSERT_TRUE(MerkleRootFromInclusionProof(resized.leaf.hash, 5, size, resized.path) == transcript.root);
    const Status status = CheckSampleProof(resized, transcript.root, 11);
    EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed);
    EXPECT_EQ(status.message(),
              "the proof is for a transcript of " + std::to_string(size) + " samples, but the claim commits to 11");
  }
}

TEST(SampleProof, MalformedProofsAreInvalidInput) {
  const json good = ProofJson(TranscriptOf(6), "2/none");
  const std::vector<std::pair<std::string, std::function<void(json&)>>> cases = {
      {"no marker", [](json& p) { p.erase("assaySampleProof"); }},
      {"other version", [](json& p) { p["assaySampleProof"] = 2; }},
      {"claim", [](json& p) { p["claim"] = "1234"; }},
      {"claim missing", [](json& p) { p.erase("claim"); }},
      {"root", [](json& p) { p["transcriptRoot"] = 5; }},
      {"salt", [](json& p) { p["salt"] = "xyz"; }},
      {"tree size", [](json& p) { p["treeSize"] = -1; }},
      {"index as text", [](json& p) { p["index"] = "2"; }},
      {"index beyond tree", [](json& p) { p["index"] = p["treeSize"]; }},
      {"id", [](json& p) { p.erase("id"); }},
      {"leaf of another id", [](json& p) { p["id"] = "3/none"; }},
      {"leaf not object", [](json& p) { p["leaf"] = "{}"; }},
      {"leaf field missing", [](json& p) { p["leaf"].erase("metrics"); }},
      {"leaf extra field", [](json& p) { p["leaf"]["more"] = true; }},
      {"path not array", [](json& p) { p["path"] = "abc"; }},
      {"path entry", [](json& p) { p["path"][0] = 1; }},
      {"path too long",
       [](json& p) {
         p["path"] = json::array();
         for (int i = 0; i < 65; ++i) p["path"].push_back(std::string(64, '0'));
       }},
  };
  for (const auto& [what, edit] : cases) {
    json proof = good;
    edit(proof);
    Result<SampleProof> parsed = ParseSampleProof(proof.dump());
    ASSERT_FALSE(parsed.ok()) << what;
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << what;
  }
  for (const std::string text : {"", "[]", "{", "{\"assaySampleProof\":1,\"assaySampleProof\":1}", "null", "\xff"}) {
    Result<SampleProof> parsed = ParseSampleProof(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << text;
  }
}

// Hostile proofs: never a crash, never anything but the two refusals, and a
// proof that still checks is one that says the same thing.
TEST(SampleProof, SurvivesEveryByteFlipAndTruncation) {
  const Transcript transcript = TranscriptOf(7);
  const std::string text = FormatSampleProof(*ProveSample(transcript, kProvedClaimId, "5/none"));
  auto check = [&](const std::string& bad, const std::string& what) {
    Result<SampleProof> parsed = ParseSampleProof(bad);
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput) << what;
      return;
    }
    const Status status = CheckSampleProof(*parsed, transcript.root, 7);
    if (status.ok()) {
      EXPECT_EQ(parsed->leaf.hash, transcript.leaves[5].hash) << what;
    } else {
      EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed) << what;
    }
  };
  for (size_t i = 0; i < text.size(); ++i) {
    for (int mask : {0x01, 0x80}) {
      std::string bad = text;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      check(bad, "flip at " + std::to_string(i));
    }
  }
  for (size_t length = 0; length < text.size(); ++length)
    check(text.substr(0, length), "cut at " + std::to_string(length));
}

}  // namespace
}  // namespace assay
