#include "claim/transcript_opening.h"

#include <gtest/gtest.h>

#include <cmath>

#include "claim_test_fixtures.h"
#include "test_support.h"

namespace assay {
namespace {

using claim_testing::ChoiceSamples;

constexpr char kPath[] = "run.opening.jsonl";

Transcript SmallTranscript() {
  std::vector<EvalSample> samples = ChoiceSamples(5, 3);
  samples[4].metrics["loglik"] = -HUGE_VAL;  // non-finite values survive the file
  samples[4].record["note"] = "line one\nline two \"quoted\" é";
  claim_testing::CountingSalts salts;
  return *CommitTranscript(samples, std::ref(salts));
}

void ExpectSameTranscript(const Transcript& a, const Transcript& b) {
  EXPECT_EQ(a.root, b.root);
  ASSERT_EQ(a.leaves.size(), b.leaves.size());
  for (size_t i = 0; i < a.leaves.size(); ++i) {
    EXPECT_EQ(a.leaves[i].id, b.leaves[i].id);
    EXPECT_EQ(a.leaves[i].salt, b.leaves[i].salt);
    EXPECT_EQ(a.leaves[i].canonical, b.leaves[i].canonical);
    EXPECT_EQ(a.leaves[i].hash, b.leaves[i].hash);
  }
}

Status ParseStatus(const std::string& text) { return ParseTranscriptOpening(text, kPath).status(); }

// Replaces the first occurrence of `from` (which must be there) in `text`.
std::string Edited(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(TranscriptOpening, RoundTrips) {
  const Transcript transcript = SmallTranscript();
  const std::string text = FormatTranscriptOpening(transcript);
  EXPECT_TRUE(
      text.starts_with("{\"assayTranscriptOpening\":1,\"root\":\"" + ToHex(transcript.root) + "\",\"samples\":5}\n"));
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 6);
  // The leaf is spliced in as the very bytes that were hashed.
  EXPECT_NE(text.find(transcript.leaves[0].canonical), std::string::npos);
  Result<Transcript> parsed = ParseTranscriptOpening(text, kPath);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ExpectSameTranscript(*parsed, transcript);
  EXPECT_EQ(FormatTranscriptOpening(*parsed), text);
}

TEST(TranscriptOpening, ReadsFromAFile) {
  const Transcript transcript = SmallTranscript();
  testing::ScratchDir dir;
  const std::string path = dir.Write(kPath, FormatTranscriptOpening(transcript));
  Result<Transcript> read = ReadTranscriptOpening(LocalFileSystem(), path);
  ASSERT_TRUE(read.ok()) << read.status().message();
  ExpectSameTranscript(*read, transcript);

  Result<Transcript> missing = ReadTranscriptOpening(LocalFileSystem(), path + ".absent");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().kind(), ErrorKind::kIo);
}

TEST(TranscriptOpening, ATamperedSampleFailsTheCheck) {
  const std::string text = FormatTranscriptOpening(SmallTranscript());
  // Sample 1/none was right: say it was wrong, in its metrics and its record.
  const std::string line_start = "{\"id\":\"1/none\"";
  const size_t line = text.find(line_start);
  ASSERT_NE(line, std::string::npos);
  std::string tampered = text;
  tampered.replace(tampered.find("\"metrics\":{\"acc,none\":1.0}", line), 26, "\"metrics\":{\"acc,none\":0.0}");
  Status status = ParseStatus(tampered);
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(status.message(),
            std::string(kPath) + ": the samples do not hash to the root in its header (a sample was edited)");

  EXPECT_EQ(ParseStatus(Edited(text, "\"response\":\"A\"", "\"response\":\"B\"")).kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(ParseStatus(Edited(text, "question 2/none", "question 2/nonE")).kind(), ErrorKind::kCheckFailed);
  // Writing a number another way is a different leaf too.
  EXPECT_EQ(ParseStatus(Edited(text, "\"acc,none\":1.0", "\"acc,none\":1")).kind(), ErrorKind::kCheckFailed);
  // So is another salt, or another root in the header.
  const std::string salt = ToHex(claim_testing::FilledSalt(1));
  EXPECT_EQ(ParseStatus(Edited(text, salt, std::string(63, '0') + "1")).kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(ParseStatus(Edited(text, "\"root\":\"", "\"root\":\"0" + std::string(63, '0') + "\",\"x\":\"")).kind(),
            ErrorKind::kCheckFailed);
}

TEST(TranscriptOpening, CountsSamplesAgainstTheHeader) {
  const std::string text = FormatTranscriptOpening(SmallTranscript());
  // A file cut at a line boundary: one sample missing.
  const std::string shorter = text.substr(0, text.rfind('\n', text.size() - 2) + 1);
  Status status = ParseStatus(shorter);
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(status.message(), std::string(kPath) + ": the header says 5 samples but 4 follow (truncated or extended?)");
  EXPECT_EQ(ParseStatus(Edited(text, "\"samples\":5", "\"samples\":6")).kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(ParseStatus(Edited(text, "\"samples\":5", "\"samples\":4")).kind(), ErrorKind::kCheckFailed);
  // Only the header: 0 samples follow.
  EXPECT_EQ(ParseStatus(text.substr(0, text.find('\n') + 1)).kind(), ErrorKind::kCheckFailed);
}

TEST(TranscriptOpening, ATruncatedLineIsInvalidInput) {
  const std::string text = FormatTranscriptOpening(SmallTranscript());
  Status status = ParseStatus(text.substr(0, text.size() - 10));
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(status.message(), std::string(kPath) + ": line 6 does not end in a newline (truncated?)");
  EXPECT_EQ(ParseStatus("").kind(), ErrorKind::kInvalidInput);
}

TEST(TranscriptOpening, MalformedLinesNameTheFileAndLine) {
  const std::string text = FormatTranscriptOpening(SmallTranscript());
  const size_t second = text.find('\n') + 1;
  const std::string header = text.substr(0, second);
  const std::string rest = text.substr(text.find('\n', second) + 1);
  const std::string line = text.substr(second, text.find('\n', second) - second);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {header + "not json\n" + rest, "line 2: "},
      {header + "[1,2,3]\n" + rest, "line 2: a sample line is not an object of id, salt and leaf"},
      {header + Edited(line, "\"salt\":\"", "\"salt\":\"zz") + "\n" + rest, "line 2: 'salt' is not 64 hex digits"},
      {header + Edited(line, "{\"id\":\"0/none\"", "{\"id\":\"9/none\"") + "\n" + rest,
       "line 2: the leaf's id is not the line's id"},
      {header + Edited(line, "{\"id\":\"0/none\"", "{\"id\":7") + "\n" + rest, "line 2: 'id' is not a string"},
      {header + Edited(line, "{\"id\":\"0/none\"", "{\"di\":\"0/none\"") + "\n" + rest, "line 2: 'id' is not a string"},
      {header + Edited(line, "\"leaf\":{", "\"leaf\":[{") + "\n" + rest, "line 2: "},
      {header + Edited(line, "\"outputDigest\":\"", "\"outputDigest\":\"x") + "\n" + rest,
       "line 2: leaf field 'outputDigest' is not 64 hex digits"},
      {Edited(header, "\"samples\":5", "\"samples\":6") + line + "\n" + text.substr(second),
       "line 3: sample '0/none' is there twice"},
      {header + rest + line + "\n", "line 6: sample '0/none' is out of id order"},
      {"{\"assayTranscriptOpening\":2" + text.substr(text.find(",\"root\"")),
       "line 1: not a transcript opening header"},
      {Edited(text, "\"samples\":5", "\"samples\":-5"), "line 1: not a transcript opening header"},
      {Edited(text, "\"root\":\"", "\"root\":\"ab"), "line 1: 'root' is not 64 hex digits"},
      {"\n" + text, "line 1: not a transcript opening header"},
      {header + "\n" + rest, "line 2: "},
      {header + Edited(line, "{\"id\"", "{\"id\":1,\"id\"") + "\n" + rest, "line 2: "},  // duplicate key
  };
  for (const auto& [bad, expected] : cases) {
    Status status = ParseStatus(bad);
    EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput) << expected << ": " << status.message();
    EXPECT_TRUE(status.message().starts_with(std::string(kPath) + ": ")) << status.message();
    EXPECT_NE(status.message().find(expected), std::string::npos) << status.message();
  }
}

// Hostile input (DESIGN.md, Bad input and faults): whatever is done to the
// bytes, the reader answers with an error of the right kind, or with the very
// transcript that was written (a hex digit's case changes nothing).
TEST(TranscriptOpening, SurvivesEveryByteFlipAndTruncation) {
  const Transcript transcript = SmallTranscript();
  const std::string text = FormatTranscriptOpening(transcript);
  auto check = [&](const std::string& bad, const std::string& what) {
    Result<Transcript> parsed = ParseTranscriptOpening(bad, kPath);
    if (parsed.ok()) {
      EXPECT_EQ(parsed->root, transcript.root) << what;
      return;
    }
    EXPECT_TRUE(parsed.status().kind() == ErrorKind::kInvalidInput || parsed.status().kind() == ErrorKind::kCheckFailed)
        << what << ": " << parsed.status().message();
  };
  int accepted = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    for (int mask : {0x01, 0x20, 0x80}) {
      std::string bad = text;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      check(bad, "flip " + std::to_string(mask) + " at " + std::to_string(i));
      accepted += ParseTranscriptOpening(bad, kPath).ok();
    }
  }
  EXPECT_LT(accepted, 64 * 6 + 64);  // at most the case of the salts' and root's hex letters
  for (size_t length = 0; length < text.size(); ++length) {
    Result<Transcript> parsed = ParseTranscriptOpening(text.substr(0, length), kPath);
    ASSERT_FALSE(parsed.ok()) << "truncated to " << length;
    check(text.substr(0, length), "truncated to " + std::to_string(length));
  }
}

}  // namespace
}  // namespace assay
