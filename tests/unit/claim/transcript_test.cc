#include "claim/transcript.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "json/canonical_json.h"
#include "claim_test_fixtures.h"
#include "digest/merkle.h"

namespace assay {
namespace {

using json = nlohmann::json;
using claim_testing::ChoiceSample;
using claim_testing::ChoiceSamples;
using claim_testing::FilledSalt;

TranscriptSalt ZeroSalt() { return TranscriptSalt{}; }

Transcript Commit(const std::vector<EvalSample>& samples, const std::function<TranscriptSalt()>& salt = ZeroSalt) {
  Result<Transcript> transcript = CommitTranscript(samples, salt);
  EXPECT_TRUE(transcript.ok()) << transcript.status().message();
  return transcript.ok() ? *transcript : Transcript{};
}

TEST(Transcript, LeafIsSaltThenCanonicalLeafObject) {
  const EvalSample sample = ChoiceSample("7/none", true);
  Result<TranscriptLeaf> leaf = MakeLeaf(sample.id, LeafObject(sample), FilledSalt(0x5a));
  ASSERT_TRUE(leaf.ok());
  EXPECT_EQ(leaf->canonical, "{\"id\":\"7/none\",\"inputDigest\":\"" + sample.input_digest +
                                 "\",\"metrics\":{\"acc,none\":1.0},\"outputDigest\":\"" + sample.output_digest +
                                 "\",\"sample\":{\"acc,none\":1.0,\"doc_id\":\"7/none\",\"input\":\"question "
                                 "7/none\",\"response\":\"A\",\"target\":\"A\"}}");
  const std::string hashed = std::string(1, '\0') + std::string(32, '\x5a') + leaf->canonical;
  EXPECT_EQ(leaf->hash, Sha256::Of(hashed));
}

TEST(Transcript, RootIsRfc6962OverLeavesSortedById) {
  const Transcript transcript = Commit(ChoiceSamples(5, 3));
  std::vector<std::string> ids;
  for (const TranscriptLeaf& leaf : transcript.leaves) ids.push_back(leaf.id);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(transcript.root, MerkleRoot(transcript.LeafHashes()));
  EXPECT_EQ(transcript.IndexOf("3/none"), 3u);
  EXPECT_EQ(transcript.IndexOf("5/none"), std::nullopt);
}

TEST(Transcript, RootDoesNotDependOnInputOrder) {
  // Ids that sort differently as text and as numbers: "10/none" < "2/none".
  std::vector<EvalSample> samples = ChoiceSamples(12, 7);
  const Transcript forward = Commit(samples);
  std::reverse(samples.begin(), samples.end());
  EXPECT_EQ(Commit(samples).root, forward.root);
  std::rotate(samples.begin(), samples.begin() + 5, samples.end());
  EXPECT_EQ(Commit(samples).root, forward.root);
  EXPECT_EQ(forward.leaves[2].id, "10/none");

  // With a salt per sample, leaves made in any order give the same tree.
  std::vector<TranscriptLeaf> leaves;
  for (const EvalSample& sample : samples) {
    leaves.push_back(*MakeLeaf(sample.id, LeafObject(sample), FilledSalt(static_cast<uint8_t>(sample.id[0]))));
  }
  Result<Transcript> a = TranscriptFromLeaves(leaves);
  std::reverse(leaves.begin(), leaves.end());
  Result<Transcript> b = TranscriptFromLeaves(leaves);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->root, b->root);
}

TEST(Transcript, RefusesDuplicateIdsAndEmptyTranscripts) {
  std::vector<EvalSample> samples = ChoiceSamples(4, 2);
  samples.push_back(ChoiceSample("2/none", false, " again"));
  Result<Transcript> duplicate = CommitTranscript(samples, ZeroSalt);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(duplicate.status().message(), "two samples have the id '2/none'");

  Result<Transcript> empty = CommitTranscript({}, ZeroSalt);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().kind(), ErrorKind::kInvalidInput);
}

TEST(Transcript, SaltsChangeTheRoot) {
  const std::vector<EvalSample> samples = ChoiceSamples(6, 3);
  claim_testing::CountingSalts counting;
  const Transcript zero = Commit(samples);
  const Transcript salted = Commit(samples, std::ref(counting));
  EXPECT_NE(zero.root, salted.root);
  // One salt differing changes the root too.
  int calls = 0;
  const Transcript one_changed = Commit(samples, [&] { return ++calls == 4 ? FilledSalt(1) : TranscriptSalt{}; });
  EXPECT_NE(one_changed.root, zero.root);
  // Fresh salts are fresh.
  EXPECT_NE(RandomSalt(), RandomSalt());
}

TEST(Transcript, OneChangedSampleChangesTheRoot) {
  const std::vector<EvalSample> samples = ChoiceSamples(9, 5);
  const Sha256Digest root = Commit(samples).root;
  auto changed_root = [&](const std::function<void(EvalSample&)>& edit) {
    std::vector<EvalSample> copy = samples;
    edit(copy[6]);
    return Commit(copy).root;
  };
  EXPECT_NE(changed_root([](EvalSample& s) { s.metrics["acc,none"] = 1.0; }), root);
  EXPECT_NE(changed_root([](EvalSample& s) { s.record["response"] = "C"; }), root);
  EXPECT_NE(changed_root([](EvalSample& s) { s.output_digest = claim_testing::HexSha256("C"); }), root);
  EXPECT_NE(changed_root([](EvalSample& s) { s.input_digest = claim_testing::HexSha256("other"); }), root);
  EXPECT_NE(changed_root([](EvalSample& s) { s.record["extra"] = nullptr; }), root);
  // 0 and 0.0 are different bytes, so a different commitment.
  EXPECT_NE(changed_root([](EvalSample& s) { s.record["acc,none"] = 0; }), root);
  EXPECT_EQ(changed_root([](EvalSample&) {}), root);
}

TEST(Transcript, RefusesTextThatIsNotUtf8NamingTheSample) {
  std::vector<EvalSample> samples = ChoiceSamples(3, 1);
  samples[1].record["response"] = "\xc3(";
  Result<Transcript> transcript = CommitTranscript(samples, ZeroSalt);
  ASSERT_FALSE(transcript.ok());
  EXPECT_EQ(transcript.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(transcript.status().message().find("sample '1/none'"), std::string::npos);
}

TEST(Transcript, LeafObjectReadsBackIntoTheSample) {
  EvalSample sample = ChoiceSample("mmlu-3/1", false);
  sample.metrics["nan-score"] = std::nan("");
  sample.metrics["ratio"] = 0.125;
  Result<std::string> canonical = CanonicalLeafJson(LeafObject(sample));
  ASSERT_TRUE(canonical.ok());
  Result<EvalSample> back = SampleFromLeafObject(json::parse(*canonical));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->id, sample.id);
  EXPECT_EQ(back->input_digest, sample.input_digest);
  EXPECT_EQ(back->output_digest, sample.output_digest);
  EXPECT_EQ(back->record, sample.record);
  EXPECT_EQ(back->metrics.size(), 3u);
  EXPECT_TRUE(std::isnan(back->metrics["nan-score"]));
  EXPECT_EQ(back->metrics["ratio"], 0.125);
  EXPECT_EQ(*CanonicalLeafJson(LeafObject(*back)), *canonical);
}

TEST(Transcript, SampleFromLeafObjectNamesWhatIsWrong) {
  const json good = LeafObject(ChoiceSample("1/none", true));
  const std::vector<std::pair<std::function<void(json&)>, std::string>> cases = {
      {[](json& l) { l.erase("id"); }, "'id'"},
      {[](json& l) { l["id"] = 1; }, "'id'"},
      {[](json& l) { l.erase("inputDigest"); }, "'inputDigest'"},
      {[](json& l) { l["outputDigest"] = "abc"; }, "'outputDigest'"},
      {[](json& l) { l["metrics"] = json::array(); }, "'metrics'"},
      {[](json& l) { l["metrics"]["acc,none"] = "1.0"; }, "'acc,none'"},
      {[](json& l) { l.erase("sample"); }, "'sample'"},
      {[](json& l) { l["extra"] = 1; }, "fields other than"},
  };
  for (const auto& [edit, expected] : cases) {
    json leaf = good;
    edit(leaf);
    Result<EvalSample> sample = SampleFromLeafObject(leaf);
    ASSERT_FALSE(sample.ok()) << expected;
    EXPECT_EQ(sample.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(sample.status().message().find(expected), std::string::npos) << sample.status().message();
  }
  EXPECT_FALSE(SampleFromLeafObject(json::array()).ok());
}

}  // namespace
}  // namespace assay
