// Transcript comparison (docs/compare-transcripts.md): two transcripts over the
// same prompts, say a hosted API's answers and the published weights run
// locally with greedy decoding, compared sample by sample. It answers "do
// these two come from the same model?" with evidence an auditor can read:
// how often the answers are the same, which answers differ most, and which
// words one side never produces though the other often does (the signature
// of an output filter or of a different model behind the endpoint).
//
// Definitions (the page above is their reference):
// - Response text: a string response as it is; a list or object gives the
//   texts of its elements (objects in key order) joined by "\n", skipping
//   empty ones; a number or boolean its JSON text; null nothing.
// - Exact match: the response texts are equal after removing ASCII white
//   space (space, \t, \n, \v, \f, \r) at both ends. Case, punctuation and
//   inner white space count.
// - Words: maximal runs of word bytes (ASCII letters and digits, and every
//   byte >= 0x80, so UTF-8 letters of any script stay inside words), with
//   ASCII letters lower-cased. Other bytes separate words.
// - Similarity: the weighted Jaccard index of the two word multisets,
//   sum over words of min(count in A, count in B) / sum of max(...); 1 when
//   both have no words. It ignores word order and costs O(n log n) in the
//   words of the pair, so long answers need no length cap.
//
// Thread safety: the functions are pure (ReadComparisonSide reads through the
// FileSystem given) and may run concurrently.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "claim/same_model_verdict.h"
#include "digest/sha256.h"
#include "file_system.h"
#include "evallog/eval_log.h"
#include "evallog/eval_run.h"
#include "status.h"

namespace assay {

// One side of a comparison: the samples of one run and where they came from.
struct TranscriptSide {
  std::string label;   // the files, for messages and the report
  std::string format;  // EvalRun::format, or "transcript-opening"
  std::string model;   // what the log says about the model; "" when unknown
  Decoding decoding = Decoding::kUnknown;  // from the log's generation settings
  std::vector<EvalSample> samples;
  std::optional<Sha256Digest> opening_root;  // a transcript opening's (checked) root; nullopt for a log
};

// Reads one side from its files, recognised by content: a transcript
// opening (claim/transcript_opening.h: one file whose first line holds
// "assayTranscriptOpening"), else any eval log ReadEvalLog reads.
// kInvalidInput naming the file for malformed input or a side without
// samples (an lm-eval results file given without its samples file); kIo for
// unreadable files; kCheckFailed for an opening whose samples do not match
// its root.
Result<TranscriptSide> ReadComparisonSide(const std::vector<std::string>& paths, const EvalLogOptions& options,
                                          FileSystem& fs);

struct TranscriptComparisonOptions {
  // How many of the most different samples, and of the one-sided words per
  // side, the comparison keeps.
  uint64_t top = 10;
  // A word is one-sided when the other side never uses it and this side
  // uses it in at least this many compared samples. 0 chooses the default:
  // 1% of the compared samples, and at least 3.
  uint64_t min_samples = 0;
  // The decoding both sides used, when the logs do not say or say otherwise
  // (--decoding); kUnknown takes it from the logs.
  Decoding decoding = Decoding::kUnknown;
  // A second run of A's weights (greedy decoding: how often the same weights
  // agree with themselves); nullptr for none.
  const TranscriptSide* baseline = nullptr;
};

// A pair of answers to the same prompt that differ.
struct SampleDifference {
  std::string id;
  double similarity = 0;
  std::string a_text;  // response text, as defined above
  std::string b_text;
};

// A word one side uses and the other never does.
struct OneSidedWord {
  std::string word;
  uint64_t samples = 0;      // compared samples whose response holds it, on the side that uses it
  uint64_t occurrences = 0;  // how often it occurs there in all
  // The sign test of its absence on the other side: were the sides the same
  // model, each of the `samples` prompts where only one side says it would
  // be either side with even odds, so p = 2^-samples.
  double p_value = 1;
  // Rejected by Benjamini-Hochberg at 1 % over every one-sided word of both sides.
  bool significant = false;
};

struct TranscriptComparison {
  uint64_t a_samples = 0;
  uint64_t b_samples = 0;
  // Samples with the same id on both sides holding the same prompt: their
  // input digests agree or, as the formats digest inputs differently
  // (docs/spec/eval-logs.md), their records' prompt ("input", or lm-eval's
  // "prompt") and "target" are equal. Everything below counts these only.
  uint64_t compared = 0;
  std::vector<std::string> different_prompts;  // same id, different prompt; sorted
  std::vector<std::string> only_in_a;          // ids; sorted
  std::vector<std::string> only_in_b;
  uint64_t identical_outputs = 0;  // equal output digests (the same response JSON)
  uint64_t exact_matches = 0;      // equal response texts after trimming
  double mean_similarity = 0;      // 0 when nothing was compared
  double median_similarity = 0;
  double a_mean_words = 0;  // words per response
  double b_mean_words = 0;
  // Pairs that are not exact matches, least similar first (ties by id); at most `top`.
  std::vector<SampleDifference> most_different;
  uint64_t min_samples = 0;  // the threshold used for the word lists
  // Most used first (by samples, then occurrences, then the word); at most `top` each.
  std::vector<OneSidedWord> words_only_in_a;
  std::vector<OneSidedWord> words_only_in_b;
  uint64_t words_only_in_a_count = 0;  // how many such words in all, before the cut to `top`
  uint64_t words_only_in_b_count = 0;
  uint64_t significant_words_only_in_a = 0;  // of all one-sided words, not only those listed
  uint64_t significant_words_only_in_b = 0;
  // Same model or not, as a test (claim/same_model_verdict.h).
  SameModelVerdict verdict;
  std::string decoding_source;  // "the logs" or "--decoding"

  // exact_matches / compared; 0 when nothing was compared.
  double ExactMatchRate() const;
};

// The verdict's decoding comes from options.decoding, else from the sides
// (one side's when the other's is unknown); sides that disagree, or that
// both do not say, give an inconclusive verdict naming why. Sampled decoding
// groups the compared samples by prompt (input digest): several answers to
// one prompt are Inspect's epochs or JSONL rows repeating a prompt under
// their own ids. kInvalidInput when one side holds two samples with one id
// (naming the side's label and the id).
Result<TranscriptComparison> CompareTranscripts(const TranscriptSide& a, const TranscriptSide& b,
                                                const TranscriptComparisonOptions& options);

// The pieces, for tests and for anyone who wants to reproduce a number.
std::string ResponseText(const nlohmann::json& response);
std::string_view TrimAsciiSpace(std::string_view text);
// The words of `text`, each a lower-cased copy, in text order.
std::vector<std::string> ResponseWords(std::string_view text);
double WordSimilarity(std::string_view a, std::string_view b);

}  // namespace assay
