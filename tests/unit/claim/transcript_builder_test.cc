// The streamed commitment (claim/transcript_builder.h) gives what committing
// to the samples held in memory gives, byte for byte, while holding none of
// their text; and the streamed opening scan checks what the whole read does.
#include "claim/transcript_builder.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "claim/claim_draft.h"
#include "claim/transcript_opening.h"
#include "claim_test_fixtures.h"
#include "evallog/eval_log.h"
#include "evallog/lm_eval_groups.h"
#include "lm_eval_run_fixture.h"
#include "memory_file_system.h"
#include "test_support.h"

namespace assay {
namespace {

using claim_testing::ChoiceSamples;
using claim_testing::CountingSalts;

std::string OpeningOf(const CommittedTranscript& transcript) {
  std::string text;
  EXPECT_TRUE(transcript.WriteOpening([&](std::string_view bytes) {
    text.append(bytes);
    return Status::Ok();
  }).ok());
  return text;
}

TEST(TranscriptBuilder, StreamedAndHeldCommitmentsAreTheSameBytes) {
  std::vector<EvalSample> samples = ChoiceSamples(40, 3);
  samples[7].record["note"] = "line one\nline two \"quoted\" é";
  CountingSalts held_salts;
  const Transcript held = *CommitTranscript(samples, std::ref(held_salts));

  testing::ScratchDir dir;
  CountingSalts streamed_salts;
  const std::function<TranscriptSalt()> new_salt = std::ref(streamed_salts);
  TranscriptBuilder builder(new_salt, dir.path().string());
  std::vector<EvalSample> copies = samples;
  std::reverse(copies.begin(), copies.end());  // the run's order is not the leaf order
  std::vector<EvalSample> in_run_order = copies;
  ASSERT_TRUE(FeedSamples(copies, builder).ok());
  Result<CommittedSamples> committed = builder.Finish();
  ASSERT_TRUE(committed.ok()) << committed.status().message();
  ASSERT_TRUE(committed->transcript.has_value());
  EXPECT_EQ(committed->scored.size(), 40u);
  EXPECT_EQ(committed->scored.id(0), in_run_order[0].id);
  EXPECT_EQ(committed->scored.Slice(3, 4)[0].metrics, in_run_order[3].metrics);

  // The same salts in the run's order give the same leaves.
  CountingSalts reversed_salts;
  std::vector<TranscriptSalt> salts;
  for (size_t i = 0; i < samples.size(); ++i) salts.push_back(reversed_salts());
  size_t next = 0;
  const Transcript expected =
      *CommitTranscript(in_run_order, [&] { return salts[next++]; });
  EXPECT_EQ(committed->transcript->root(), expected.root);
  EXPECT_EQ(committed->transcript->samples(), 40u);
  EXPECT_EQ(OpeningOf(*committed->transcript), FormatTranscriptOpening(expected));
  Result<Transcript> back = committed->transcript->ToTranscript();
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(FormatTranscriptOpening(*back), FormatTranscriptOpening(expected));
  EXPECT_NE(held.root, expected.root);  // other salts, another root
  // The scratch file has no name: nothing is left in the folder.
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(TranscriptBuilder, RefusesTwoSamplesWithOneIdAndStartsAfreshAfterFinish) {
  std::vector<EvalSample> samples = ChoiceSamples(3, 2);
  samples.push_back(samples[1]);
  const std::function<TranscriptSalt()> new_salt = RandomSalt;
  TranscriptBuilder builder(new_salt);
  ASSERT_TRUE(FeedSamples(samples, builder).ok());
  Result<CommittedSamples> refused = builder.Finish();
  EXPECT_EQ(refused.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(refused.status().message().find("two samples have the id '1/none'"), std::string::npos)
      << refused.status().message();
  Result<CommittedSamples> empty = builder.Finish();
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->transcript.has_value());
  EXPECT_EQ(empty->scored.size(), 0u);
}

// A run past the limit is refused at the first sample past it, as the samples
// stream in: nothing after it is taken.
TEST(TranscriptBuilder, RefusesASampleOverTheLimitAsItStreams) {
  std::vector<EvalSample> samples = ChoiceSamples(6, 2);
  const std::function<TranscriptSalt()> new_salt = RandomSalt;
  TranscriptBuilder builder(new_salt, "", false, /*max_samples=*/5);
  const Status fed = FeedSamples(samples, builder);
  EXPECT_EQ(fed.kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(fed.message().find("is past the limit of 5 samples one transcript commits to"), std::string::npos)
      << fed.message();
  TranscriptBuilder unlimited(new_salt);
  EXPECT_TRUE(FeedSamples(samples, unlimited).ok());
}

TEST(TranscriptBuilder, RefusesTextThatIsNotUtf8BeforeTakingIt) {
  std::vector<EvalSample> samples = ChoiceSamples(1, 2);
  samples[0].record["note"] = std::string("\xff\xfe");
  const std::function<TranscriptSalt()> new_salt = RandomSalt;
  TranscriptBuilder builder(new_salt);
  Status fed = FeedSamples(samples, builder);
  EXPECT_EQ(fed.kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(fed.message().find("sample '0/none': "), std::string::npos) << fed.message();
}

// A group run read through the sink is claimed as the run read whole is:
// the same record and the same opening, with the run itself holding no sample.
TEST(TranscriptBuilder, AGroupClaimFromTheStreamIsTheClaimFromTheWholeRun) {
  testing::ScratchDir dir;
  testing::LmEvalRunSpec spec;
  spec.tasks = {{"a", 30, 20}, {"b", 7, 3}, {"c", 12, 6}};
  spec.group_subtasks = {{"G", {"S1", "c"}}, {"S1", {"a", "b"}}};
  spec.stamp = "2026-01-02T03-04-05.000006";
  testing::WriteLmEvalRun(dir, "run", spec, LmEvalGroupRules().front());
  const std::string folder = (dir.path() / "run").string();
  ClaimBinding binding;
  binding.endpoint = Endpoint{"acme", "widget"};

  CountingSalts whole_salts;
  ClaimDraftOptions whole_options;
  whole_options.new_salt = std::ref(whole_salts);
  Result<EvalRun> whole = ReadEvalLog({folder}, EvalLogOptions{.task = "G"}, LocalFileSystem());
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  Result<ClaimDraft> from_whole = DraftClaim(*whole, binding, nullptr, whole_options);
  ASSERT_TRUE(from_whole.ok()) << from_whole.status().message();

  CountingSalts streamed_salts;
  ClaimDraftOptions streamed_options;
  streamed_options.new_salt = std::ref(streamed_salts);
  TranscriptBuilder builder(streamed_options.new_salt, dir.path().string());
  Result<EvalRun> streamed = ReadEvalLog({folder}, EvalLogOptions{.task = "G"}, LocalFileSystem(), &builder);
  ASSERT_TRUE(streamed.ok()) << streamed.status().message();
  EXPECT_TRUE(streamed->samples.empty());
  ASSERT_EQ(streamed->tasks.size(), 3u);
  EXPECT_EQ(streamed->tasks[2].first_sample, 37u);
  EXPECT_EQ(streamed->tasks[2].sample_count, 12u);
  Result<CommittedSamples> samples = builder.Finish();
  ASSERT_TRUE(samples.ok()) << samples.status().message();
  Result<ClaimDraft> from_stream = DraftClaim(*streamed, std::move(*samples), binding, nullptr, streamed_options);
  ASSERT_TRUE(from_stream.ok()) << from_stream.status().message();

  EXPECT_EQ(ClaimStatement(from_stream->claim).dump(), ClaimStatement(from_whole->claim).dump());
  EXPECT_EQ(from_stream->claim.eval.tasks[0].metrics[0].recomputed, true);
  EXPECT_EQ(OpeningOf(*from_stream->transcript), OpeningOf(*from_whole->transcript));
}

TEST(TranscriptOpeningScan, ChecksAndReadsWhatTheWholeReadDoes) {
  std::vector<EvalSample> samples = ChoiceSamples(30, 3);
  CountingSalts salts;
  const Transcript transcript = *CommitTranscript(samples, std::ref(salts));
  const std::string text = FormatTranscriptOpening(transcript);
  testing::MemoryFileSystem fs;
  const std::string path = fs.AddFile("/o/opening.jsonl", text);
  Result<ScannedTranscript> scanned = ScanTranscriptOpening(fs, path);
  ASSERT_TRUE(scanned.ok()) << scanned.status().message();
  EXPECT_EQ(scanned->root, transcript.root);
  ASSERT_EQ(scanned->scored.size(), 30u);
  for (size_t i = 0; i < transcript.leaves.size(); ++i) {
    EXPECT_EQ(scanned->scored.id(i), transcript.leaves[i].id);
  }
  const std::vector<EvalSample> opened = *SamplesOf(transcript);
  EXPECT_EQ(scanned->scored.Slice(0, 30)[11].metrics, opened[11].metrics);

  const std::pair<std::string, std::string> bad[] = {
      {text.substr(0, text.size() - 1), "line 31 does not end in a newline (truncated?)"},
      {"", "empty file, not a transcript opening"},
      {text.substr(0, text.rfind('\n', text.size() - 2) + 1), "the header says 30 samples but 29 follow"},
  };
  for (const auto& [bytes, expected] : bad) {
    fs.AddFile("/o/bad.jsonl", bytes);
    Result<ScannedTranscript> refused = ScanTranscriptOpening(fs, "/o/bad.jsonl");
    ASSERT_FALSE(refused.ok()) << expected;
    EXPECT_NE(refused.status().message().find("/o/bad.jsonl: " + expected), std::string::npos)
        << refused.status().message();
  }
}

// Hostile openings: every truncation and every flipped byte of a real one
// is refused with an error naming the file (never a crash, never accepted).
TEST(TranscriptOpeningScan, RefusesEveryTruncationAndFlippedByte) {
  std::vector<EvalSample> samples = ChoiceSamples(6, 3);
  CountingSalts salts;
  const std::string text = FormatTranscriptOpening(*CommitTranscript(samples, std::ref(salts)));
  testing::MemoryFileSystem fs;
  auto expect_refused = [&](const std::string& bytes, const std::string& what) {
    fs.AddFile("/o/hostile.jsonl", bytes);
    Result<ScannedTranscript> scanned = ScanTranscriptOpening(fs, "/o/hostile.jsonl", /*with_digests=*/true);
    ASSERT_FALSE(scanned.ok()) << what;
    EXPECT_TRUE(scanned.status().kind() == ErrorKind::kInvalidInput || scanned.status().kind() == ErrorKind::kCheckFailed)
        << what << ": " << scanned.status().message();
    EXPECT_TRUE(scanned.status().message().starts_with("/o/hostile.jsonl: ")) << scanned.status().message();
  };
  for (size_t length = 0; length < text.size(); ++length) {
    expect_refused(text.substr(0, length), "truncated to " + std::to_string(length));
  }
  for (size_t at = 0; at < text.size(); ++at) {
    std::string flipped = text;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x01);
    // Every byte is structure, part of a hashed leaf or salt, or the
    // header's count or root, which the samples are checked against.
    expect_refused(flipped, "byte " + std::to_string(at) + " flipped");
  }
}

}  // namespace
}  // namespace assay
