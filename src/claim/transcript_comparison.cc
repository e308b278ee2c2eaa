#include "claim/transcript_comparison.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <functional>
#include <map>
#include <unordered_map>

#include "claim/transcript.h"
#include "claim/transcript_opening.h"
#include "joined.h"
#include "json/canonical_json.h"
#include "json/strict_json.h"

namespace assay {
namespace {

using json = nlohmann::json;

constexpr char kOpeningHeaderKey[] = "assayTranscriptOpening";
// An opening's header line is about 130 bytes; a first line longer than
// this is something else.
constexpr uint64_t kOpeningSniffBytes = 4096;

// Whether the file is a transcript opening, from its first line.
Result<bool> IsTranscriptOpening(const std::string& path, FileSystem& fs) {
  // A folder is no opening (a HELM run is one): ReadEvalLog says what it is.
  if (Result<FileInfo> info = fs.FollowStatus(path); info.ok() && info->type == FileInfo::Type::kDirectory) {
    return false;
  }
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  std::string head(static_cast<size_t>(std::min(file->size(), kOpeningSniffBytes)), '\0');
  ASSAY_RETURN_IF_ERROR(file->ReadExactly(0, {reinterpret_cast<uint8_t*>(head.data()), head.size()}));
  const size_t newline = head.find('\n');
  if (newline == std::string::npos) return false;
  const Result<json> line = ParseStrictJson(std::string_view(head).substr(0, newline));
  return line.ok() && line->is_object() && line->contains(kOpeningHeaderKey);
}

bool IsWordByte(unsigned char byte) {
  return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
         byte >= 0x80;
}

std::string AsciiLowered(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lowered;
}

// The words of `text`, in text order, as views into it.
std::vector<std::string_view> WordsIn(std::string_view text) {
  std::vector<std::string_view> words;
  size_t start = 0;
  while (start < text.size()) {
    while (start < text.size() && !IsWordByte(static_cast<unsigned char>(text[start]))) ++start;
    size_t end = start;
    while (end < text.size() && IsWordByte(static_cast<unsigned char>(text[end]))) ++end;
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end;
  }
  return words;
}

// A response's words, sorted so that equal words are adjacent: the views
// point into `lowered`, which the bag owns (a moved string keeps its buffer
// only when it is not short, so the bag is built in place and never copied).
struct WordBag {
  explicit WordBag(std::string_view text) : lowered(AsciiLowered(text)), sorted_words(WordsIn(lowered)) {
    std::sort(sorted_words.begin(), sorted_words.end());
  }
  WordBag(const WordBag&) = delete;
  WordBag& operator=(const WordBag&) = delete;

  const std::string lowered;
  std::vector<std::string_view> sorted_words;
};

// Weighted Jaccard of two sorted multisets, by one merge.
double BagSimilarity(const WordBag& a, const WordBag& b) {
  const std::vector<std::string_view>& x = a.sorted_words;
  const std::vector<std::string_view>& y = b.sorted_words;
  if (x.empty() && y.empty()) return 1.0;
  // Over the union, min counts sum to the shared words and max counts to
  // |x| + |y| - shared.
  uint64_t shared = 0;
  for (size_t i = 0, j = 0; i < x.size() && j < y.size();) {
    if (x[i] < y[j]) {
      ++i;
    } else if (y[j] < x[i]) {
      ++j;
    } else {
      ++shared, ++i, ++j;
    }
  }
  return double(shared) / double(x.size() + y.size() - shared);
}

struct WordTally {
  uint64_t samples = 0;
  uint64_t occurrences = 0;
};

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

using WordTallies = std::unordered_map<std::string, WordTally, TransparentHash, std::equal_to<>>;
using WordIds = std::unordered_map<std::string, uint32_t, TransparentHash, std::equal_to<>>;

void Tally(const WordBag& bag, WordTallies& tallies) {
  const std::vector<std::string_view>& words = bag.sorted_words;
  for (size_t i = 0; i < words.size();) {
    size_t j = i;
    while (j < words.size() && words[j] == words[i]) ++j;
    auto it = tallies.find(words[i]);
    if (it == tallies.end()) it = tallies.emplace(std::string(words[i]), WordTally{}).first;
    it->second.samples += 1;
    it->second.occurrences += j - i;
    i = j;
  }
}

// Every word `used` holds and `other` never, with its sign test's p-value.
std::vector<OneSidedWord> OneSided(const WordTallies& used, const WordTallies& other) {
  std::vector<OneSidedWord> words;
  for (const auto& [word, tally] : used) {
    if (!other.contains(word)) {
      // 2^-1100 is already 0 in a double.
      const int exponent = -int(std::min<uint64_t>(tally.samples, 1100));
      words.push_back({word, tally.samples, tally.occurrences, std::ldexp(1.0, exponent)});
    }
  }
  return words;
}

// Marks the words Benjamini-Hochberg rejects, over both sides' words at once.
void MarkSignificant(std::vector<OneSidedWord>& a_words, std::vector<OneSidedWord>& b_words) {
  std::vector<double> p_values;
  for (const auto* words : {&a_words, &b_words}) {
    for (const OneSidedWord& word : *words) p_values.push_back(word.p_value);
  }
  const std::vector<bool> reject = BenjaminiHochberg(p_values, kSameModelAlpha);
  size_t next = 0;
  for (auto* words : {&a_words, &b_words}) {
    for (OneSidedWord& word : *words) word.significant = reject[next++];
  }
}

// The words used in at least `min_samples` samples, most used first, cut to
// `top`; `count` is how many there were before the cut.
std::vector<OneSidedWord> Listed(std::vector<OneSidedWord> words, uint64_t min_samples, uint64_t top,
                                 uint64_t& count) {
  std::erase_if(words, [&](const OneSidedWord& word) { return word.samples < min_samples; });
  const auto more_used = [](const OneSidedWord& x, const OneSidedWord& y) {
    if (x.samples != y.samples) return x.samples > y.samples;
    if (x.occurrences != y.occurrences) return x.occurrences > y.occurrences;
    return x.word < y.word;
  };
  count = words.size();
  const size_t kept = std::min<size_t>(words.size(), top);
  std::partial_sort(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(kept), words.end(), more_used);
  words.resize(kept);
  return words;
}

uint64_t CountSignificant(const std::vector<OneSidedWord>& words) {
  return uint64_t(std::count_if(words.begin(), words.end(), [](const OneSidedWord& word) { return word.significant; }));
}

const json& Member(const json& record, const char* key) {
  static const json kNull;
  if (!record.is_object()) return kNull;
  const auto it = record.find(key);
  return it == record.end() ? kNull : *it;
}

// The prompt as the record stores it: "input" (Inspect, JSONL transcript), or
// lm-eval's "prompt". Null when neither is there.
const json& PromptOf(const json& record) {
  const json& input = Member(record, "input");
  return input.is_null() ? Member(record, "prompt") : input;
}

// Equal input digests, or, since each format digests its inputs its own way
// (docs/spec/eval-logs.md) and a hosted API's answers are often kept in
// another format than the local run's, the same prompt and target.
bool SamePrompt(const EvalSample& a, const EvalSample& b) {
  if (!a.input_digest.empty() && a.input_digest == b.input_digest) return true;
  const json& prompt = PromptOf(a.record);
  return !prompt.is_null() && prompt == PromptOf(b.record) && Member(a.record, "target") == Member(b.record, "target");
}

std::string ResponseTextOf(const EvalSample& sample) { return ResponseText(Member(sample.record, "response")); }

// What identifies a prompt within one side, to gather its several answers.
std::string PromptKey(const EvalSample& sample) {
  if (!sample.input_digest.empty()) return sample.input_digest;
  return CanonicalJson(json::array({PromptOf(sample.record), Member(sample.record, "target")}));
}

bool SameText(const EvalSample& a, const EvalSample& b) {
  return TrimAsciiSpace(ResponseTextOf(a)) == TrimAsciiSpace(ResponseTextOf(b));
}

// The index of each id, refusing a repeated one.
Result<std::unordered_map<std::string_view, size_t>> IndexById(const TranscriptSide& side) {
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(side.samples.size());
  for (size_t i = 0; i < side.samples.size(); ++i) {
    if (!index.emplace(side.samples[i].id, i).second) {
      return Status::InvalidInput(side.label + ": sample id '" + side.samples[i].id + "' appears twice");
    }
  }
  return index;
}

// One compared pair.
struct PairScore {
  size_t a = 0;
  size_t b = 0;
  double similarity = 0;
  bool exact = false;
};

// The pairs that are not exact matches, least similar first (ties by id), cut to `top`.
std::vector<SampleDifference> MostDifferent(std::vector<PairScore> pairs, const TranscriptSide& a,
                                            const TranscriptSide& b, uint64_t top) {
  std::erase_if(pairs, [](const PairScore& pair) { return pair.exact; });
  const auto less_similar = [&a](const PairScore& x, const PairScore& y) {
    if (x.similarity != y.similarity) return x.similarity < y.similarity;
    return a.samples[x.a].id < a.samples[y.a].id;
  };
  const size_t kept = std::min<size_t>(pairs.size(), top);
  std::partial_sort(pairs.begin(), pairs.begin() + static_cast<std::ptrdiff_t>(kept), pairs.end(), less_similar);
  std::vector<SampleDifference> differences;
  for (size_t k = 0; k < kept; ++k) {
    const PairScore& pair = pairs[k];
    differences.push_back({a.samples[pair.a].id, pair.similarity, ResponseTextOf(a.samples[pair.a]),
                           ResponseTextOf(b.samples[pair.b])});
  }
  return differences;
}

// The decoding the verdict tests, where that came from, and, when it cannot
// be told, why.
struct DecodingChoice {
  Decoding decoding = Decoding::kUnknown;
  std::string source;
  std::string problem;
};

DecodingChoice ChooseDecoding(const TranscriptSide& a, const TranscriptSide& b, Decoding given) {
  if (given != Decoding::kUnknown) return {given, "--decoding", ""};
  if (a.decoding != Decoding::kUnknown && b.decoding != Decoding::kUnknown && a.decoding != b.decoding) {
    return {Decoding::kUnknown, "the logs",
            "A's log says " + std::string(DecodingName(a.decoding)) + " decoding and B's " +
                std::string(DecodingName(b.decoding)) + ": not comparable (give --decoding to test them as one)"};
  }
  const Decoding known = a.decoding != Decoding::kUnknown ? a.decoding : b.decoding;
  if (known == Decoding::kUnknown) {
    return {known, "the logs",
            "neither log says how it decoded (temperature, do_sample): give --decoding greedy or sampled"};
  }
  return {known, "the logs", ""};
}

// Greedy with a baseline: each compared prompt that A2 also answered.
SameModelVerdict BaselineVerdict(const std::vector<PairScore>& pairs, const TranscriptSide& a,
                                 const TranscriptSide& baseline,
                                 const std::unordered_map<std::string_view, size_t>& baseline_index) {
  std::vector<MatchPair> prompts;
  for (const PairScore& pair : pairs) {
    const EvalSample& left = a.samples[pair.a];
    const auto match = baseline_index.find(left.id);
    if (match == baseline_index.end() || !SamePrompt(left, baseline.samples[match->second])) continue;
    prompts.push_back({pair.exact, SameText(left, baseline.samples[match->second])});
  }
  return BaselineMatchTest(prompts);
}

// An answer's word counts as a unit vector, words numbered in `vocabulary`.
SparseFeatures FeaturesOf(const WordBag& bag, WordIds& vocabulary) {
  SparseFeatures features;
  const std::vector<std::string_view>& words = bag.sorted_words;
  double squares = 0;
  for (size_t i = 0; i < words.size();) {
    size_t j = i;
    while (j < words.size() && words[j] == words[i]) ++j;
    auto it = vocabulary.find(words[i]);
    if (it == vocabulary.end()) it = vocabulary.emplace(std::string(words[i]), uint32_t(vocabulary.size())).first;
    features.ids.push_back(it->second);
    features.weights.push_back(double(j - i));
    squares += double(j - i) * double(j - i);
    i = j;
  }
  for (double& weight : features.weights) weight /= std::sqrt(squares);
  return features;
}

// Sampled: the compared pairs gathered by prompt, each prompt's answers
// compared all with all by word similarity (the min-max kernel, positive
// definite, so its MMD is a distance between distributions), and every
// answer's word counts for the pooled MMD.
SameModelVerdict SampledVerdict(const std::vector<PairScore>& pairs, const TranscriptSide& a,
                                const TranscriptSide& b) {
  std::map<std::string, std::vector<const PairScore*>> by_prompt;
  for (const PairScore& pair : pairs) by_prompt[PromptKey(a.samples[pair.a])].push_back(&pair);
  std::vector<PromptKernel> kernels;
  kernels.reserve(by_prompt.size());
  WordIds vocabulary;
  for (const auto& [key, answers] : by_prompt) {
    std::deque<WordBag> bags;
    for (const PairScore* pair : answers) bags.emplace_back(ResponseTextOf(a.samples[pair->a]));
    for (const PairScore* pair : answers) bags.emplace_back(ResponseTextOf(b.samples[pair->b]));
    PromptKernel kernel{uint32_t(answers.size()), uint32_t(answers.size()),
                        std::vector<double>(bags.size() * bags.size()), {}};
    for (size_t i = 0; i < bags.size(); ++i) {
      for (size_t j = i; j < bags.size(); ++j) {
        kernel.matrix[i * bags.size() + j] = kernel.matrix[j * bags.size() + i] = BagSimilarity(bags[i], bags[j]);
      }
      kernel.features.push_back(FeaturesOf(bags[i], vocabulary));
    }
    kernels.push_back(std::move(kernel));
  }
  return MmdPermutationTest(kernels, vocabulary.size());
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  const size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  return (*std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle)) + upper) / 2;
}

// The run's decoding; a group run's, when its tasks all say the same.
Decoding RunDecoding(const EvalRun& run) {
  Decoding decoding = DecodingOf(Member(run.config, "generation"));
  if (decoding != Decoding::kUnknown || run.tasks.empty()) return decoding;
  decoding = DecodingOf(Member(run.tasks.front().config, "generation"));
  for (const EvalTask& task : run.tasks) {
    if (DecodingOf(Member(task.config, "generation")) != decoding) return Decoding::kUnknown;
  }
  return decoding;
}

}  // namespace

Result<TranscriptSide> ReadComparisonSide(const std::vector<std::string>& paths, const EvalLogOptions& options,
                                          FileSystem& fs) {
  if (paths.empty()) return Status::InvalidInput("no transcript files given for a side");
  TranscriptSide side;
  side.label = Joined(paths, " + ");
  for (const std::string& path : paths) {
    ASSAY_ASSIGN_OR_RETURN(bool opening, IsTranscriptOpening(path, fs));
    if (!opening) continue;
    if (paths.size() > 1) {
      return Status::InvalidInput(path + ": a transcript opening is a whole side on its own; give it alone");
    }
    ASSAY_ASSIGN_OR_RETURN(Transcript transcript, ReadTranscriptOpening(fs, path));
    Result<std::vector<EvalSample>> samples = SamplesOf(transcript);
    if (!samples.ok()) return samples.status().WithContext(path);
    side.format = "transcript-opening";
    side.samples = std::move(samples).value();
    side.opening_root = transcript.root;
    return side;
  }
  ASSAY_ASSIGN_OR_RETURN(EvalRun run, ReadEvalLog(paths, options, fs));
  if (run.samples.empty()) {
    return Status::InvalidInput(side.label + ": no samples to compare (hint: give lm-eval's samples_*.jsonl "
                                             "file with its results file)");
  }
  side.format = run.format;
  side.model = run.model_name;
  side.decoding = RunDecoding(run);
  side.samples = std::move(run.samples);
  return side;
}

std::string ResponseText(const json& response) {
  if (response.is_string()) return response.get<std::string>();
  if (response.is_null()) return "";
  if (!response.is_structured()) return CanonicalJson(response);
  std::string text;
  for (const json& element : response) {  // objects iterate their values in key order
    std::string part = ResponseText(element);
    if (part.empty()) continue;
    if (!text.empty()) text += '\n';
    text += part;
  }
  return text;
}

std::string_view TrimAsciiSpace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

std::vector<std::string> ResponseWords(std::string_view text) {
  const std::string lowered = AsciiLowered(text);
  std::vector<std::string> words;
  for (std::string_view word : WordsIn(lowered)) words.emplace_back(word);
  return words;
}

double WordSimilarity(std::string_view a, std::string_view b) { return BagSimilarity(WordBag(a), WordBag(b)); }

double TranscriptComparison::ExactMatchRate() const {
  return compared == 0 ? 0 : double(exact_matches) / double(compared);
}

Result<TranscriptComparison> CompareTranscripts(const TranscriptSide& a, const TranscriptSide& b,
                                                const TranscriptComparisonOptions& options) {
  ASSAY_ASSIGN_OR_RETURN(auto a_index, IndexById(a));
  ASSAY_ASSIGN_OR_RETURN(auto b_index, IndexById(b));
  TranscriptComparison comparison;
  comparison.a_samples = a.samples.size();
  comparison.b_samples = b.samples.size();

  std::vector<PairScore> pairs;
  std::array<WordTallies, 2> tallies;
  uint64_t a_words = 0, b_words = 0;
  for (size_t i = 0; i < a.samples.size(); ++i) {
    const EvalSample& left = a.samples[i];
    const auto match = b_index.find(left.id);
    if (match == b_index.end()) {
      comparison.only_in_a.push_back(left.id);
      continue;
    }
    const EvalSample& right = b.samples[match->second];
    if (!SamePrompt(left, right)) {
      comparison.different_prompts.push_back(left.id);
      continue;
    }
    const std::string left_text = ResponseTextOf(left);
    const std::string right_text = ResponseTextOf(right);
    const WordBag left_bag(left_text);
    const WordBag right_bag(right_text);
    PairScore pair{i, match->second, BagSimilarity(left_bag, right_bag),
                   TrimAsciiSpace(left_text) == TrimAsciiSpace(right_text)};
    comparison.exact_matches += pair.exact ? 1 : 0;
    comparison.identical_outputs += left.output_digest == right.output_digest ? 1 : 0;
    Tally(left_bag, tallies[0]);
    Tally(right_bag, tallies[1]);
    a_words += left_bag.sorted_words.size();
    b_words += right_bag.sorted_words.size();
    pairs.push_back(pair);
  }
  for (const EvalSample& right : b.samples) {
    if (!a_index.contains(right.id)) comparison.only_in_b.push_back(right.id);
  }
  std::sort(comparison.different_prompts.begin(), comparison.different_prompts.end());
  std::sort(comparison.only_in_a.begin(), comparison.only_in_a.end());
  std::sort(comparison.only_in_b.begin(), comparison.only_in_b.end());

  comparison.compared = pairs.size();
  if (!pairs.empty()) {
    std::vector<double> similarities;
    similarities.reserve(pairs.size());
    double sum = 0;
    for (const PairScore& pair : pairs) {
      similarities.push_back(pair.similarity);
      sum += pair.similarity;
    }
    const double count = double(pairs.size());
    comparison.mean_similarity = sum / count;
    comparison.median_similarity = Median(std::move(similarities));
    comparison.a_mean_words = double(a_words) / count;
    comparison.b_mean_words = double(b_words) / count;
  }

  comparison.most_different = MostDifferent(pairs, a, b, options.top);

  // 1% of the compared samples, rounded up, and at least 3.
  comparison.min_samples =
      options.min_samples > 0 ? options.min_samples : std::max<uint64_t>(3, (comparison.compared + 99) / 100);
  std::vector<OneSidedWord> a_only = OneSided(tallies[0], tallies[1]);
  std::vector<OneSidedWord> b_only = OneSided(tallies[1], tallies[0]);
  MarkSignificant(a_only, b_only);
  comparison.significant_words_only_in_a = CountSignificant(a_only);
  comparison.significant_words_only_in_b = CountSignificant(b_only);
  comparison.words_only_in_a =
      Listed(std::move(a_only), comparison.min_samples, options.top, comparison.words_only_in_a_count);
  comparison.words_only_in_b =
      Listed(std::move(b_only), comparison.min_samples, options.top, comparison.words_only_in_b_count);

  const DecodingChoice decoding = ChooseDecoding(a, b, options.decoding);
  comparison.decoding_source = decoding.source;
  if (!decoding.problem.empty()) {
    comparison.verdict.reason = decoding.problem;
  } else if (decoding.decoding == Decoding::kSampled) {
    comparison.verdict = SampledVerdict(pairs, a, b);
  } else if (options.baseline != nullptr) {
    ASSAY_ASSIGN_OR_RETURN(auto baseline_index, IndexById(*options.baseline));
    comparison.verdict = BaselineVerdict(pairs, a, *options.baseline, baseline_index);
  } else {
    comparison.verdict = ExactMatchFloorTest(comparison.exact_matches, comparison.compared);
  }
  return comparison;
}

}  // namespace assay
