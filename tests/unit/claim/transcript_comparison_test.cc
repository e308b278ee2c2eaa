#include "claim/transcript_comparison.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "claim/transcript_opening.h"
#include "claim_test_fixtures.h"
#include "evallog/jsonl_transcript.h"
#include "test_support.h"

namespace assay {
namespace {

using claim_testing::HexSha256;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A sample as the JSONL transcript reader gives it: the prompt under
// "input", digests from the prompt and the response.
EvalSample Answer(const std::string& id, const std::string& prompt, const json& response) {
  EvalSample sample;
  sample.id = id;
  sample.record = {{"id", id}, {"input", prompt}, {"target", nullptr}, {"response", response}};
  sample.input_digest = HexSha256("input " + prompt);
  sample.output_digest = HexSha256(response.dump());
  return sample;
}

TranscriptSide Side(const std::string& label, std::vector<EvalSample> samples) {
  return TranscriptSide{label, "jsonl", "", Decoding::kUnknown, std::move(samples), std::nullopt};
}

TranscriptComparison Compare(const TranscriptSide& a, const TranscriptSide& b,
                             TranscriptComparisonOptions options = {}) {
  Result<TranscriptComparison> comparison = CompareTranscripts(a, b, options);
  EXPECT_TRUE(comparison.ok()) << comparison.status().message();
  return comparison.ok() ? *comparison : TranscriptComparison{};
}

TEST(TranscriptComparisonText, ResponseTextOfEachShape) {
  EXPECT_EQ(ResponseText("  The answer is 4.\n"), "  The answer is 4.\n");
  EXPECT_EQ(ResponseText(nullptr), "");
  EXPECT_EQ(ResponseText(json(4)), "4");
  EXPECT_EQ(ResponseText(json(true)), "true");
  // lm-eval's filtered_resps: a list of strings, or of (loglikelihood, greedy) pairs.
  EXPECT_EQ(ResponseText(json::array({"Tg: 200"})), "Tg: 200");
  EXPECT_EQ(ResponseText(json::parse(R"([["-10.0","False"],["-17.6","True"]])")), "-10.0\nFalse\n-17.6\nTrue");
  // Empty parts leave no blank lines; objects give their values in key order.
  EXPECT_EQ(ResponseText(json::parse(R"({"z":"last","a":["", "first"],"m":null})")), "first\nlast");
}

TEST(TranscriptComparisonText, TrimsOnlyAsciiSpaceAtTheEnds) {
  EXPECT_EQ(TrimAsciiSpace(" \t\r\n yes  no \v\f"), "yes  no");
  EXPECT_EQ(TrimAsciiSpace(" \n "), "");
  EXPECT_EQ(TrimAsciiSpace("\u00a0yes"), "\u00a0yes");  // a no-break space is not ASCII white space
}

TEST(TranscriptComparisonText, WordsAreLowerCasedRunsOfLettersDigitsAndUtf8) {
  EXPECT_THAT(ResponseWords("Héllo, WORLD! it's 42-ÉTÉ"),
              ElementsAre("héllo", "world", "it", "s", "42", "ÉtÉ"));
  EXPECT_THAT(ResponseWords("日本語 です。"), ElementsAre("日本語", "です。"));  // bytes >= 0x80 are word bytes
  EXPECT_TRUE(ResponseWords(" ,.;!? ").empty());
}

TEST(TranscriptComparisonText, SimilarityIsWeightedJaccardOfWordMultisets) {
  EXPECT_DOUBLE_EQ(WordSimilarity("The cat sat", "the CAT, sat."), 1.0);
  EXPECT_DOUBLE_EQ(WordSimilarity("cat sat", "dog ran"), 0.0);
  EXPECT_DOUBLE_EQ(WordSimilarity("", "  ...  "), 1.0);  // no words on either side
  EXPECT_DOUBLE_EQ(WordSimilarity("", "word"), 0.0);
  // min counts a:1 b:1 over max counts a:2 b:2.
  EXPECT_DOUBLE_EQ(WordSimilarity("a a b", "a b b"), 0.5);
  EXPECT_DOUBLE_EQ(WordSimilarity("yes it is", "it is yes"), 1.0);  // order is not measured
  EXPECT_DOUBLE_EQ(WordSimilarity("one two three four", "one two"), 0.5);
}

TEST(TranscriptComparisonPairs, PairsByIdAndReportsUnpairedAndDifferentPrompts) {
  const TranscriptSide a = Side("a.jsonl", {Answer("q1", "1+1", "2"), Answer("q2", "2+2", "4"),
                                            Answer("q3", "3+3", "6"), Answer("only-a", "x", "y")});
  const TranscriptSide b = Side("b.jsonl", {Answer("only-b", "x", "y"), Answer("q3", "3+3", "6"),
                                            Answer("q2", "2+3", "5"), Answer("q1", "1+1", " 2\n")});
  const TranscriptComparison comparison = Compare(a, b);
  EXPECT_EQ(comparison.a_samples, 4u);
  EXPECT_EQ(comparison.b_samples, 4u);
  EXPECT_EQ(comparison.compared, 2u);
  EXPECT_THAT(comparison.different_prompts, ElementsAre("q2"));
  EXPECT_THAT(comparison.only_in_a, ElementsAre("only-a"));
  EXPECT_THAT(comparison.only_in_b, ElementsAre("only-b"));
  EXPECT_EQ(comparison.exact_matches, 2u);      // " 2\n" is "2" once trimmed
  EXPECT_EQ(comparison.identical_outputs, 1u);  // but not the same bytes
  EXPECT_DOUBLE_EQ(comparison.ExactMatchRate(), 1.0);
  EXPECT_TRUE(comparison.most_different.empty());
}

TEST(TranscriptComparisonPairs, SamePromptAcrossFormatsWhoseDigestsDiffer) {
  // lm-eval digests its own hashes and keeps the prompt under "prompt"; a
  // JSONL transcript of the same prompts digests {"input", "target"}.
  EvalSample lm_eval = Answer("7/none", "Q: 1+1?", json::array({"2"}));
  lm_eval.record.erase("input");
  lm_eval.record["prompt"] = "Q: 1+1?";
  lm_eval.record["target"] = "2";
  lm_eval.input_digest = HexSha256("doc prompt target hashes");
  EvalSample jsonl = Answer("7/none", "Q: 1+1?", "2");
  jsonl.record["target"] = "2";
  TranscriptComparison comparison = Compare(Side("results.json", {lm_eval}), Side("api.jsonl", {jsonl}));
  EXPECT_EQ(comparison.compared, 1u);
  EXPECT_EQ(comparison.exact_matches, 1u);

  jsonl.record["target"] = "3";  // the same prompt text with another target is another sample
  comparison = Compare(Side("results.json", {lm_eval}), Side("api.jsonl", {jsonl}));
  EXPECT_EQ(comparison.compared, 0u);
  EXPECT_THAT(comparison.different_prompts, ElementsAre("7/none"));
  EXPECT_DOUBLE_EQ(comparison.ExactMatchRate(), 0.0);
}

TEST(TranscriptComparisonPairs, MostDifferentAreLeastSimilarFirstAndExactMatchesNever) {
  const TranscriptSide a = Side("a", {Answer("s1", "p1", "red green blue"), Answer("s2", "p2", "red green blue"),
                                      Answer("s3", "p3", "red green blue"), Answer("s4", "p4", "same"),
                                      Answer("s5", "p5", "red green")});
  const TranscriptSide b = Side("b", {Answer("s1", "p1", "red green"), Answer("s2", "p2", "nothing alike"),
                                      Answer("s3", "p3", "Blue, green, red!"), Answer("s4", "p4", "same"),
                                      Answer("s5", "p5", "purple")});
  TranscriptComparisonOptions options;
  options.top = 3;
  const TranscriptComparison comparison = Compare(a, b, options);
  EXPECT_EQ(comparison.compared, 5u);
  EXPECT_EQ(comparison.exact_matches, 1u);
  ASSERT_EQ(comparison.most_different.size(), 3u);
  // s2 and s5 share no word (ties ordered by id), then s1 (2 of 3 words).
  EXPECT_EQ(comparison.most_different[0].id, "s2");
  EXPECT_EQ(comparison.most_different[1].id, "s5");
  EXPECT_EQ(comparison.most_different[2].id, "s1");
  EXPECT_DOUBLE_EQ(comparison.most_different[2].similarity, 2.0 / 3.0);
  EXPECT_EQ(comparison.most_different[0].a_text, "red green blue");
  EXPECT_EQ(comparison.most_different[0].b_text, "nothing alike");
  // Similarities 2/3, 0, 1 (s3: same words, other order), 1, 0.
  EXPECT_DOUBLE_EQ(comparison.mean_similarity, (2.0 / 3.0 + 0 + 1 + 1 + 0) / 5);
  EXPECT_DOUBLE_EQ(comparison.median_similarity, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(comparison.a_mean_words, (3 + 3 + 3 + 1 + 2) / 5.0);
  EXPECT_DOUBLE_EQ(comparison.b_mean_words, (2 + 2 + 3 + 1 + 1) / 5.0);
}

TEST(TranscriptComparisonPairs, MedianOfAnEvenCountIsTheMeanOfTheMiddleTwo) {
  const TranscriptSide a = Side("a", {Answer("1", "p1", "a b"), Answer("2", "p2", "a b")});
  const TranscriptSide b = Side("b", {Answer("1", "p1", "a b"), Answer("2", "p2", "a")});
  EXPECT_DOUBLE_EQ(Compare(a, b).median_similarity, 0.75);
}

// Side A is polite in most answers; side B never says "certainly" or "happy".
std::pair<TranscriptSide, TranscriptSide> FilteredPair() {
  std::vector<EvalSample> a, b;
  for (int i = 0; i < 40; ++i) {
    const std::string id = "q" + std::to_string(i);
    const std::string answer = "the answer is " + std::to_string(i);
    std::string polite = answer;
    if (i < 30) polite = "Certainly! " + answer + (i < 4 ? ". Certainly." : "");
    if (i < 2) polite += " Happy to help";
    a.push_back(Answer(id, "question " + id, polite));
    b.push_back(Answer(id, "question " + id, answer + (i < 5 ? " exactly" : "")));
  }
  return {Side("api.jsonl", std::move(a)), Side("local.jsonl", std::move(b))};
}

TEST(TranscriptComparisonWords, FindsWordsOneSideNeverSays) {
  const auto [a, b] = FilteredPair();
  const TranscriptComparison comparison = Compare(a, b);
  EXPECT_EQ(comparison.compared, 40u);
  EXPECT_EQ(comparison.exact_matches, 10u);  // q30..q39: neither polite nor "exactly"
  EXPECT_EQ(comparison.min_samples, 3u);    // 1% of 40 is below the floor of 3
  ASSERT_EQ(comparison.words_only_in_a.size(), 1u);  // "happy" and "to help" are in 2 samples only
  EXPECT_EQ(comparison.words_only_in_a[0].word, "certainly");
  EXPECT_EQ(comparison.words_only_in_a[0].samples, 30u);
  EXPECT_EQ(comparison.words_only_in_a[0].occurrences, 34u);
  EXPECT_EQ(comparison.words_only_in_a_count, 1u);
  ASSERT_EQ(comparison.words_only_in_b.size(), 1u);
  EXPECT_EQ(comparison.words_only_in_b[0].word, "exactly");
  EXPECT_EQ(comparison.words_only_in_b[0].samples, 5u);
  // Numbers each appear in one sample per side, and on both: never listed.
}

TEST(TranscriptComparisonWords, ThresholdAndTopAreSettable) {
  const auto [a, b] = FilteredPair();
  TranscriptComparisonOptions options;
  options.min_samples = 2;
  TranscriptComparison comparison = Compare(a, b, options);
  std::vector<std::string> words;
  for (const OneSidedWord& word : comparison.words_only_in_a) words.push_back(word.word);
  // Most used first; equal counts by the word.
  EXPECT_THAT(words, ElementsAre("certainly", "happy", "help", "to"));

  options.top = 2;
  comparison = Compare(a, b, options);
  EXPECT_EQ(comparison.words_only_in_a.size(), 2u);
  EXPECT_EQ(comparison.words_only_in_a_count, 4u);
  EXPECT_EQ(comparison.most_different.size(), 2u);

  options.min_samples = 31;
  EXPECT_TRUE(Compare(a, b, options).words_only_in_a.empty());
}

TEST(TranscriptComparisonWords, DefaultThresholdIsOnePercentOfComparedSamples) {
  std::vector<EvalSample> samples;
  for (int i = 0; i < 1001; ++i) samples.push_back(Answer(std::to_string(i), std::to_string(i), "same"));
  EXPECT_EQ(Compare(Side("a", samples), Side("b", samples)).min_samples, 11u);  // 1001 / 100, rounded up
}

TEST(TranscriptComparisonPairs, RefusesARepeatedId) {
  const TranscriptSide a = Side("a.jsonl", {Answer("q1", "p", "x")});
  const TranscriptSide b = Side("b.jsonl", {Answer("q1", "p", "x"), Answer("q1", "p", "y")});
  Result<TranscriptComparison> comparison = CompareTranscripts(a, b, {});
  ASSERT_FALSE(comparison.ok());
  EXPECT_EQ(comparison.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(comparison.status().message(), "b.jsonl: sample id 'q1' appears twice");
}

// A JSONL transcript of `samples` (FormatJsonlTranscript writes the format).
std::string TranscriptText(const std::vector<std::pair<std::string, std::string>>& answers) {
  EvalRun run;
  run.format = "jsonl";
  run.benchmark = "arith";
  run.harness = "test-harness";
  run.model_name = "org/model";
  for (const auto& [id, response] : answers) {
    EvalSample sample;
    sample.id = id;
    sample.record = {{"id", id}, {"input", "question " + id}, {"target", "4"}, {"response", response}};
    run.samples.push_back(sample);
  }
  return FormatJsonlTranscript(run);
}

Result<TranscriptSide> ReadSide(const std::vector<std::string>& paths) {
  return ReadComparisonSide(paths, EvalLogOptions{}, LocalFileSystem());
}

TEST(TranscriptComparisonSides, ReadsATranscriptAndAnOpeningByContent) {
  testing::ScratchDir dir;
  const std::string transcript_path = dir.Write("run.jsonl", TranscriptText({{"q1", "4"}, {"q2", "five"}}));
  Result<TranscriptSide> transcript = ReadSide({transcript_path});
  ASSERT_TRUE(transcript.ok()) << transcript.status().message();
  EXPECT_EQ(transcript->label, transcript_path);
  EXPECT_EQ(transcript->format, "jsonl");
  EXPECT_EQ(transcript->model, "org/model");
  ASSERT_EQ(transcript->samples.size(), 2u);

  claim_testing::CountingSalts salts;
  const Transcript committed = *CommitTranscript(transcript->samples, std::ref(salts));
  const std::string opening_path = dir.Write("run.opening.jsonl", FormatTranscriptOpening(committed));
  Result<TranscriptSide> opening = ReadSide({opening_path});
  ASSERT_TRUE(opening.ok()) << opening.status().message();
  EXPECT_EQ(opening->format, "transcript-opening");

  // The opening holds the same samples: everything matches, byte for byte.
  const TranscriptComparison comparison = Compare(*transcript, *opening);
  EXPECT_EQ(comparison.compared, 2u);
  EXPECT_EQ(comparison.identical_outputs, 2u);
  EXPECT_EQ(comparison.exact_matches, 2u);
}

TEST(TranscriptComparisonSides, RefusesBadSidesNamingTheFile) {
  testing::ScratchDir dir;
  const std::string garbage = dir.Write("garbage.jsonl", "this is not json\n");
  Result<TranscriptSide> side = ReadSide({garbage});
  ASSERT_FALSE(side.ok());
  EXPECT_EQ(side.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(side.status().message(), HasSubstr("garbage.jsonl"));

  const std::string empty = dir.Write("empty.jsonl", TranscriptText({}));
  side = ReadSide({empty});
  ASSERT_FALSE(side.ok());
  EXPECT_EQ(side.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(side.status().message(), HasSubstr("empty.jsonl: no samples to compare"));

  const std::string transcript = dir.Write("run.jsonl", TranscriptText({{"q1", "4"}}));
  const std::string opening =
      dir.Write("run.opening.jsonl", FormatTranscriptOpening(*CommitTranscript(ReadSide({transcript})->samples)));
  side = ReadSide({transcript, opening});
  ASSERT_FALSE(side.ok());
  EXPECT_THAT(side.status().message(), HasSubstr("run.opening.jsonl: a transcript opening is a whole side"));

  side = ReadSide({dir.path().string() + "/absent.jsonl"});
  ASSERT_FALSE(side.ok());
  EXPECT_EQ(side.status().kind(), ErrorKind::kIo);
  EXPECT_THAT(side.status().message(), HasSubstr("absent.jsonl"));
}

TEST(TranscriptComparisonSides, RealLmEvalRunAgainstItself) {
  ASSAY_REQUIRE_REALDATA();
  const std::string eval = testing::RealDataDir() + "/eval/";
  Result<TranscriptSide> side =
      ReadSide({eval + "lm-evaluation-harness__results_2025-06-30T19-40-09.461247.json",
                eval + "lm-evaluation-harness__samples_polymer_tg_prediction_2025-06-30T19-40-09.461247.jsonl"});
  ASSERT_TRUE(side.ok()) << side.status().message();
  EXPECT_EQ(side->format, "lm-eval");
  const TranscriptComparison comparison = Compare(*side, *side);
  EXPECT_EQ(comparison.compared, 24u);
  EXPECT_EQ(comparison.exact_matches, 24u);
  EXPECT_EQ(comparison.identical_outputs, 24u);
  EXPECT_DOUBLE_EQ(comparison.mean_similarity, 1.0);
  EXPECT_TRUE(comparison.words_only_in_a.empty());
  EXPECT_GT(comparison.a_mean_words, 0.0);  // "Tg: 200" and the like have words
}

}  // namespace
}  // namespace assay
