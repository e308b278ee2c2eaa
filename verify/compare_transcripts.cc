// assay compare-transcripts A B: two transcripts over the same prompts (a
// hosted API's answers and the published weights run locally, say),
// compared sample by sample (docs/compare-transcripts.md). Each side is one
// file given as a positional argument, or the files of one run given with a
// repeated --a FILE / --b FILE (lm-eval's results file and its samples file).
// A report: exit 0 however much the sides differ; 2 for bad input.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "claim/transcript_comparison.h"
#include "cli/command.h"
#include "render/text.h"

namespace assay::cli {
namespace {

using nlohmann::json;

struct CompareTranscriptsOptions {
  std::string a_path;  // positional A and B: a side of one file each
  std::string b_path;
  std::vector<std::string> a_files;
  std::vector<std::string> b_files;
  std::string task;
  uint64_t top = 10;
  uint64_t min_samples = 0;
  bool json = false;
};

constexpr size_t kExcerptBytes = 100;       // per response on the terminal
constexpr size_t kJsonTextBytes = 10000;    // per response in --json

// Where the text starts to be worth showing: a few bytes before the first
// byte where `text` and `other` differ, when they share a long beginning
// (otherwise two long answers would show as the same excerpt). Always at a
// UTF-8 character boundary.
size_t ExcerptStart(const std::string& text, const std::string& other) {
  constexpr size_t kSharedShown = 20;
  const size_t shared =
      std::mismatch(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(text.size(), other.size())),
                    other.begin())
          .first -
      text.begin();
  if (shared <= 2 * kSharedShown) return 0;
  size_t start = shared - kSharedShown;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return start;
}

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary, "…" marking a cut.
std::string Cut(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "\u2026";
}

// One line for the terminal, from byte `start` (marked "…" when not 0), with
// control characters shown as escapes.
std::string Excerpt(const std::string& text, size_t start) {
  std::string line = start > 0 ? "\"\u2026" : "\"";
  for (char c : Cut(text.substr(start), kExcerptBytes)) {
    if (c == '\n') {
      line += "\\n";
    } else if (c == '\t') {
      line += "\\t";
    } else if (c == '\r') {
      line += "\\r";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      line += '?';
    } else {
      line += c;
    }
  }
  return line + "\"";
}

// "q1, q2, q3 and 7 more".
std::string IdList(const std::vector<std::string>& ids) {
  constexpr size_t kShown = 5;
  std::string text;
  for (size_t i = 0; i < ids.size() && i < kShown; ++i) text += (i ? ", " : "") + ids[i];
  if (ids.size() > kShown) text += " and " + std::to_string(ids.size() - kShown) + " more";
  return text;
}

std::string Percent(double fraction) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f%%", 100 * fraction);
  return text;
}

std::string Describe(const TranscriptSide& side) {
  return side.label + ": " + side.format + (side.model.empty() ? "" : ", model " + side.model) + ", " +
         Plural(side.samples.size(), "sample");
}

// Which files make each side; an InvalidInput naming what is wrong otherwise.
Result<std::pair<std::vector<std::string>, std::vector<std::string>>> SideFiles(
    const CompareTranscriptsOptions& options) {
  const bool named = !options.a_files.empty() || !options.b_files.empty();
  const bool positional = !options.a_path.empty() || !options.b_path.empty();
  if (positional && named) {
    return Status::InvalidInput("give the sides either as A B or with --a FILE... --b FILE..., not both");
  }
  if (named) {
    if (options.a_files.empty() || options.b_files.empty()) {
      return Status::InvalidInput("both sides need files: --a FILE... and --b FILE...");
    }
    return std::pair{options.a_files, options.b_files};
  }
  if (options.a_path.empty() || options.b_path.empty()) {
    return Status::InvalidInput("expected two transcripts, A B (hint: give a side of several files with "
                                "--a FILE --a FILE ... --b FILE)");
  }
  return std::pair{std::vector{options.a_path}, std::vector{options.b_path}};
}

json WordsJson(const std::vector<OneSidedWord>& words, uint64_t count) {
  json list = json::array();
  for (const OneSidedWord& word : words) {
    list.push_back({{"word", word.word}, {"samples", word.samples}, {"occurrences", word.occurrences}});
  }
  return {{"count", count}, {"words", std::move(list)}};
}

json SideJson(const TranscriptSide& side, const std::vector<std::string>& files) {
  return {{"files", files}, {"format", side.format}, {"model", side.model}, {"samples", side.samples.size()}};
}

// Fractions that mean nothing when no sample was compared are null.
json Fraction(const TranscriptComparison& comparison, double value) {
  return comparison.compared == 0 ? json(nullptr) : json(value);
}

json ComparisonJson(const TranscriptComparison& comparison, const TranscriptSide& a, const TranscriptSide& b,
                    const std::vector<std::string>& a_files, const std::vector<std::string>& b_files) {
  json most_different = json::array();
  for (const SampleDifference& sample : comparison.most_different) {
    most_different.push_back({{"id", sample.id},
                              {"similarity", sample.similarity},
                              {"a", Cut(sample.a_text, kJsonTextBytes)},
                              {"b", Cut(sample.b_text, kJsonTextBytes)}});
  }
  return {{"a", SideJson(a, a_files)},
          {"b", SideJson(b, b_files)},
          {"compared", comparison.compared},
          {"differentPrompts", comparison.different_prompts},
          {"onlyInA", comparison.only_in_a},
          {"onlyInB", comparison.only_in_b},
          {"identicalOutputs", comparison.identical_outputs},
          {"exactMatches", comparison.exact_matches},
          {"exactMatchRate", Fraction(comparison, comparison.ExactMatchRate())},
          {"meanSimilarity", Fraction(comparison, comparison.mean_similarity)},
          {"medianSimilarity", Fraction(comparison, comparison.median_similarity)},
          {"meanWords", {{"a", Fraction(comparison, comparison.a_mean_words)},
                         {"b", Fraction(comparison, comparison.b_mean_words)}}},
          {"mostDifferent", std::move(most_different)},
          {"minSamples", comparison.min_samples},
          {"wordsOnlyInA", WordsJson(comparison.words_only_in_a, comparison.words_only_in_a_count)},
          {"wordsOnlyInB", WordsJson(comparison.words_only_in_b, comparison.words_only_in_b_count)}};
}

void PrintWords(const char* user, const char* other, const std::vector<OneSidedWord>& words, uint64_t count,
                uint64_t min_samples) {
  Print("\nwords %s uses and %s never does (in >= %s): %" PRIu64 "%s\n", user, other,
              Plural(min_samples, "sample"), count,
              words.size() < count ? (", the first " + std::to_string(words.size()) + " shown") : "");
  for (const OneSidedWord& word : words) {
    Print("  %-20s %s, %s\n", word.word, Plural(word.samples, "sample"),
                Plural(word.occurrences, "time"));
  }
}

void PrintComparison(const TranscriptComparison& comparison, const TranscriptSide& a, const TranscriptSide& b) {
  Print("A           %s\n", Describe(a));
  Print("B           %s\n", Describe(b));
  if (!comparison.different_prompts.empty()) {
    Print("different   %s with the same id and a different prompt: %s\n",
                Plural(comparison.different_prompts.size(), "sample"),
                IdList(comparison.different_prompts));
  }
  if (!comparison.only_in_a.empty()) {
    Print("only in A   %s: %s\n", Plural(comparison.only_in_a.size(), "sample"),
                IdList(comparison.only_in_a));
  }
  if (!comparison.only_in_b.empty()) {
    Print("only in B   %s: %s\n", Plural(comparison.only_in_b.size(), "sample"),
                IdList(comparison.only_in_b));
  }
  if (comparison.compared == 0) {
    Print("compared    0 samples: no id holds the same prompt on both sides\n");
    return;
  }
  Print("compared    %s with the same id and prompt\n", Plural(comparison.compared, "sample"));
  Print("exact       %" PRIu64 " of %" PRIu64 " (%s) equal after trimming white space; %" PRIu64
              " byte-identical\n",
              comparison.exact_matches, comparison.compared, Percent(comparison.ExactMatchRate()),
              comparison.identical_outputs);
  Print("similarity  mean %.3f, median %.3f (word overlap, 0 to 1)\n", comparison.mean_similarity,
              comparison.median_similarity);
  Print("length      A %.1f, B %.1f words per answer\n", comparison.a_mean_words, comparison.b_mean_words);

  const uint64_t differing = comparison.compared - comparison.exact_matches;
  if (!comparison.most_different.empty()) {
    Print("\nmost different, least similar first (%zu of %" PRIu64 " that differ)\n",
                comparison.most_different.size(), differing);
    for (const SampleDifference& sample : comparison.most_different) {
      // Both excerpts start at the same byte: the two texts are equal before it.
      const size_t start = ExcerptStart(sample.a_text, sample.b_text);
      Print("  %s  %.3f\n    A %s\n    B %s\n", sample.id, sample.similarity,
                  Excerpt(sample.a_text, start), Excerpt(sample.b_text, start));
    }
  }
  PrintWords("A", "B", comparison.words_only_in_a, comparison.words_only_in_a_count, comparison.min_samples);
  PrintWords("B", "A", comparison.words_only_in_b, comparison.words_only_in_b_count, comparison.min_samples);
}

Status RunCompareTranscripts(const CompareTranscriptsOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(auto files, SideFiles(options));
  const EvalLogOptions log_options{.task = options.task};
  ASSAY_ASSIGN_OR_RETURN(TranscriptSide a, ReadComparisonSide(files.first, log_options, LocalFileSystem()));
  ASSAY_ASSIGN_OR_RETURN(TranscriptSide b, ReadComparisonSide(files.second, log_options, LocalFileSystem()));
  TranscriptComparisonOptions comparison_options;
  comparison_options.top = options.top;
  comparison_options.min_samples = options.min_samples;
  ASSAY_ASSIGN_OR_RETURN(TranscriptComparison comparison, CompareTranscripts(a, b, comparison_options));
  if (options.json) {
    std::printf("%s\n", ComparisonJson(comparison, a, b, files.first, files.second).dump(2).c_str());
  } else {
    PrintComparison(comparison, a, b);
  }
  return Status::Ok();
}

}  // namespace

void AddCompareTranscriptsCommand(CLI::App& app, Status& outcome) {
  auto options = std::make_shared<CompareTranscriptsOptions>();
  CLI::App* command = app.add_subcommand(
      "compare-transcripts",
      "compare two transcripts over the same prompts: exact matches, similarity, one-sided words: A B");
  command->add_option("A", options->a_path, "side A's transcript, when it is one file");
  command->add_option("B", options->b_path, "side B's transcript, when it is one file");
  command->add_option("--a", options->a_files, "a file of side A (repeat for a run of several files)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command->add_option("--b", options->b_files, "a file of side B (repeat for a run of several files)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command->add_option("--task", options->task, "the lm-eval task to read from a results file holding several");
  command->add_option("--top", options->top, "how many differing samples and one-sided words to list (default 10)");
  command->add_option("--min-samples", options->min_samples,
                      "a one-sided word must appear in this many samples (default: 1% of those compared, >= 3)");
  command->add_flag("--json", options->json, "print the comparison as JSON");
  command->callback([options, &outcome] { outcome = RunCompareTranscripts(*options); });
}

}  // namespace assay::cli
