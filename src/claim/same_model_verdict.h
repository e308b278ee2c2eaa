// "Is this endpoint the published model?" as a statistical test at
// α = 0.01, never asserted (docs/compare-transcripts.md, "The verdict", writes
// the statistics out). Two transcripts over the same prompts, A (say the
// published weights run locally) and B (the endpoint), give one of three
// findings: consistent with the same model, different model, inconclusive.
// No test proves two models equal; "consistent" says only that this test, at
// this many prompts, found no difference.
//
// - Greedy decoding on both sides. A second run of A's weights (the
//   baseline, A2) tells how often the same weights agree with themselves on
//   this hardware: B is a different model when it agrees with A on fewer
//   prompts than A2 does, by McNemar's exact test on the prompts where the
//   two agreements differ. Without a baseline only a rate far below what
//   greedy runs of one model reach is evidence: "different model" when the
//   99 % Wilson interval of the exact-match rate lies under kGreedyMatchFloor.
// - Sampled decoding: Model Equality Testing (Gao, Liang, Guestrin 2024,
//   arXiv 2410.20247): the maximum mean discrepancy (MMD) between the two
//   sides' answers to each prompt, averaged over the prompts, with a
//   permutation p-value that reassigns each prompt's answers between the
//   sides. A second MMD, of all answers pooled across prompts, sees what the
//   first misses: a filter that rewrites a few answers on any prompt into
//   one shape (a refusal) makes those answers alike across prompts. The
//   test takes the larger of the two, each standardised by its mean and
//   standard deviation over the permutations, and the same permutations
//   give the p-value of that maximum.
//
// Pure arithmetic: deterministic (the permutations come from std::mt19937_64
// with a fixed seed), no I/O, safe to call concurrently.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "claim/confidence_interval.h"

namespace assay {

enum class Decoding { kUnknown, kGreedy, kSampled };

// "unknown", "greedy", "sampled".
std::string_view DecodingName(Decoding decoding);
// The inverse, for --decoding; nullopt for another word.
std::optional<Decoding> ParseDecoding(std::string_view name);
// From a run's generation settings (EvalRun::config "generation", which every
// log reader fills): do_sample true is sampled and false greedy (Hugging
// Face ignores the temperature then); otherwise a temperature above 0 is
// sampled and 0 greedy; anything else unknown.
Decoding DecodingOf(const nlohmann::json& generation);

inline constexpr double kSameModelAlpha = 0.01;
// Fewer prompts than this give "inconclusive" whatever the test says, so
// that a handful of chosen prompts can decide nothing either way.
inline constexpr uint64_t kSameModelMinPrompts = 100;
// Greedy runs of the same weights on other hardware or batch sizes differ in
// some answers (floating-point sums in another order flip a token, and the
// rest of the answer follows), but on far fewer than half of them.
inline constexpr double kGreedyMatchFloor = 0.5;
inline constexpr int kPermutations = 1000;
// The bootstrap's fixed seed serves the permutations too.
inline constexpr uint64_t kPermutationSeed = kBootstrapSeed;
// The 0.995 quantile of the standard normal: the two-sided 99 % interval.
inline constexpr double kNormalQuantile995 = 2.5758293035489004;

enum class SameModelFinding { kInconclusive, kSame, kDifferent };

// "inconclusive", "consistent with the same model", "different model".
std::string_view FindingText(SameModelFinding finding);
// "inconclusive", "same", "different": the JSON and record spelling.
std::string_view FindingName(SameModelFinding finding);
// The inverse; nullopt for another word.
std::optional<SameModelFinding> ParseFindingName(std::string_view name);

struct SameModelVerdict {
  SameModelFinding finding = SameModelFinding::kInconclusive;
  Decoding decoding = Decoding::kUnknown;
  // "exact-match-floor", "exact-match-mcnemar", "mmd-permutation"; "" when no test ran.
  std::string test;
  uint64_t prompts = 0;   // prompts the test used
  double statistic = 0;   // greedy: A-B exact-match rate; sampled: the per-prompt MMD², averaged
  std::optional<double> p_value;
  std::optional<double> low, high;      // greedy: the rate's 99 % Wilson interval
  std::optional<double> baseline_rate;  // greedy with a baseline: A-A2's rate on the same prompts
  std::optional<double> pooled;         // sampled: the pooled MMD²
  std::string reason;                   // why, in one sentence
};

// The Wilson score interval of successes / trials at normal quantile z;
// {0, 1} for no trials.
std::pair<double, double> WilsonInterval(uint64_t successes, uint64_t trials, double z);
// P(X >= k) for X ~ Binomial(n, 1/2); 1 for k = 0.
double BinomialHalfUpperTail(uint64_t n, uint64_t k);

// Greedy, no baseline: `matches` of `prompts` answers equal.
SameModelVerdict ExactMatchFloorTest(uint64_t matches, uint64_t prompts);

// Greedy with a baseline: for each prompt, whether B's answer equals A's and
// whether A2's does.
struct MatchPair {
  bool with_b = false;
  bool with_baseline = false;
};
SameModelVerdict BaselineMatchTest(std::span<const MatchPair> prompts);

// An answer's features for the pooled MMD: word ids with weights, of unit
// length (the cosine kernel's feature map).
struct SparseFeatures {
  std::vector<uint32_t> ids;
  std::vector<double> weights;
};

// Sampled: one prompt's answers, A's first: the kernel matrix of all
// a_count + b_count of them (row-major, symmetric, values in [0, 1]) for the
// per-prompt MMD, and each answer's features, ids below the vocabulary size
// the test is given, for the pooled one.
struct PromptKernel {
  uint32_t a_count = 0;
  uint32_t b_count = 0;
  std::vector<double> matrix;
  std::vector<SparseFeatures> features;
};
// Prompts with fewer than two answers on a side carry no spread to compare
// against and are left out (the verdict's `prompts` counts the rest).
SameModelVerdict MmdPermutationTest(std::span<const PromptKernel> prompts, size_t vocabulary);

// "0.042", or "3.1e-05" under 0.001: as verdicts write p-values.
std::string PValueText(double p);

// Benjamini-Hochberg at false discovery rate q: which of the hypotheses to
// reject, in the order given.
std::vector<bool> BenjaminiHochberg(std::span<const double> p_values, double q);

}  // namespace assay
