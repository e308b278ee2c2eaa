#include "claim/same_model_verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>

#include "claim/confidence_interval.h"

namespace assay {
namespace {

using json = nlohmann::json;

std::string Percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100 * fraction);
  return text;
}

// The verdict when too few prompts were tested, whatever the test found.
void RequireEnoughPrompts(SameModelVerdict& verdict) {
  if (verdict.prompts >= kSameModelMinPrompts) return;
  verdict.finding = SameModelFinding::kInconclusive;
  verdict.reason = std::to_string(verdict.prompts) + " prompts tested; a verdict needs at least " +
                   std::to_string(kSameModelMinPrompts);
}

// One permuted (or, with identity labels, the observed) statistic of a
// prompt: the squared distance between the two sides' mean embeddings,
// c' K c with c = 1/m on A's answers and -1/n on B's.
double PromptMmd(const PromptKernel& prompt, std::span<const uint32_t> order) {
  const size_t size = order.size();
  const double a_weight = 1.0 / prompt.a_count, b_weight = -1.0 / prompt.b_count;
  double total = 0;
  for (size_t i = 0; i < size; ++i) {
    const double* row = prompt.matrix.data() + size_t(order[i]) * size;
    double row_sum = 0;
    for (size_t j = 0; j < size; ++j) row_sum += (j < prompt.a_count ? a_weight : b_weight) * row[order[j]];
    total += (i < prompt.a_count ? a_weight : b_weight) * row_sum;
  }
  return total;
}

}  // namespace

std::string PValueText(double p) {
  char text[32];
  std::snprintf(text, sizeof text, p < 0.001 ? "%.1e" : "%.3f", p);
  return text;
}

std::string_view DecodingName(Decoding decoding) {
  switch (decoding) {
    case Decoding::kGreedy: return "greedy";
    case Decoding::kSampled: return "sampled";
    case Decoding::kUnknown: break;
  }
  return "unknown";
}

std::optional<Decoding> ParseDecoding(std::string_view name) {
  if (name == "greedy") return Decoding::kGreedy;
  if (name == "sampled") return Decoding::kSampled;
  return std::nullopt;
}

Decoding DecodingOf(const json& generation) {
  if (!generation.is_object()) return Decoding::kUnknown;
  if (const auto sample = generation.find("do_sample"); sample != generation.end() && sample->is_boolean()) {
    return sample->get<bool>() ? Decoding::kSampled : Decoding::kGreedy;
  }
  if (const auto temperature = generation.find("temperature");
      temperature != generation.end() && temperature->is_number()) {
    const double value = temperature->get<double>();
    if (value == 0) return Decoding::kGreedy;
    if (value > 0) return Decoding::kSampled;
  }
  return Decoding::kUnknown;
}

std::string_view FindingText(SameModelFinding finding) {
  switch (finding) {
    case SameModelFinding::kSame: return "consistent with the same model";
    case SameModelFinding::kDifferent: return "different model";
    case SameModelFinding::kInconclusive: break;
  }
  return "inconclusive";
}

std::string_view FindingName(SameModelFinding finding) {
  switch (finding) {
    case SameModelFinding::kSame: return "same";
    case SameModelFinding::kDifferent: return "different";
    case SameModelFinding::kInconclusive: break;
  }
  return "inconclusive";
}

std::optional<SameModelFinding> ParseFindingName(std::string_view name) {
  for (SameModelFinding finding : {SameModelFinding::kInconclusive, SameModelFinding::kSame, SameModelFinding::kDifferent}) {
    if (name == FindingName(finding)) return finding;
  }
  return std::nullopt;
}

std::pair<double, double> WilsonInterval(uint64_t successes, uint64_t trials, double z) {
  if (trials == 0) return {0, 1};
  const double n = double(trials), p = double(successes) / n, z2 = z * z;
  const double center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

double BinomialHalfUpperTail(uint64_t n, uint64_t k) {
  if (k == 0) return 1;
  if (k > n) return 0;
  // Below the middle, by symmetry from the other tail, whose terms fall.
  if (2 * k <= n) return 1 - BinomialHalfUpperTail(n, n - k + 1);
  const double log_half_n = double(n) * std::log(0.5);
  const double log_n_factorial = std::lgamma(double(n) + 1);
  double sum = 0;
  for (uint64_t j = k; j <= n; ++j) {
    const double term =
        std::exp(log_n_factorial - std::lgamma(double(j) + 1) - std::lgamma(double(n - j) + 1) + log_half_n);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return std::min(1.0, sum);
}

SameModelVerdict ExactMatchFloorTest(uint64_t matches, uint64_t prompts) {
  SameModelVerdict verdict;
  verdict.decoding = Decoding::kGreedy;
  verdict.test = "exact-match-floor";
  verdict.prompts = prompts;
  verdict.statistic = prompts == 0 ? 0 : double(matches) / double(prompts);
  const auto [low, high] = WilsonInterval(matches, prompts, kNormalQuantile995);
  verdict.low = low;
  verdict.high = high;
  const std::string rate = "the exact-match rate " + Percent(verdict.statistic) + " (99% interval " +
                           Percent(low) + " to " + Percent(high) + ")";
  if (high < kGreedyMatchFloor) {
    verdict.finding = SameModelFinding::kDifferent;
    verdict.reason = rate + " lies under the " + Percent(kGreedyMatchFloor) +
                     " that greedy runs of the same weights stay above";
  } else {
    verdict.reason = rate + " is not under the " + Percent(kGreedyMatchFloor) +
                     " floor, and without a baseline (--baseline: a second run of A's weights) it tells "
                     "nothing more";
  }
  RequireEnoughPrompts(verdict);
  return verdict;
}

SameModelVerdict BaselineMatchTest(std::span<const MatchPair> prompts) {
  SameModelVerdict verdict;
  verdict.decoding = Decoding::kGreedy;
  verdict.test = "exact-match-mcnemar";
  verdict.prompts = prompts.size();
  uint64_t with_b = 0, with_baseline = 0, baseline_only = 0, b_only = 0;
  for (const MatchPair& prompt : prompts) {
    with_b += prompt.with_b;
    with_baseline += prompt.with_baseline;
    baseline_only += prompt.with_baseline && !prompt.with_b;
    b_only += prompt.with_b && !prompt.with_baseline;
  }
  const double n = double(std::max<size_t>(1, prompts.size()));
  verdict.statistic = double(with_b) / n;
  verdict.baseline_rate = double(with_baseline) / n;
  const auto [low, high] = WilsonInterval(with_b, prompts.size(), kNormalQuantile995);
  verdict.low = low;
  verdict.high = high;
  // Were B another run of A's weights, B and A2 would be exchangeable: of the
  // prompts where exactly one of them matches A, each is equally likely to be it.
  verdict.p_value = BinomialHalfUpperTail(baseline_only + b_only, baseline_only);
  const std::string counts = "B matches A on " + Percent(verdict.statistic) + " of the prompts, the baseline on " +
                             Percent(*verdict.baseline_rate) + " (McNemar exact p = " +
                             PValueText(*verdict.p_value);
  if (*verdict.p_value < kSameModelAlpha) {
    verdict.finding = SameModelFinding::kDifferent;
    verdict.reason = counts + " < 0.01): B disagrees with A more than a second run of the same weights does";
  } else {
    verdict.finding = SameModelFinding::kSame;
    verdict.reason = counts + "): B disagrees with A no more than a second run of the same weights does";
  }
  RequireEnoughPrompts(verdict);
  return verdict;
}

SameModelVerdict MmdPermutationTest(std::span<const PromptKernel> prompts, size_t vocabulary) {
  SameModelVerdict verdict;
  verdict.decoding = Decoding::kSampled;
  verdict.test = "mmd-permutation";
  std::vector<const PromptKernel*> tested;
  size_t a_answers = 0, b_answers = 0;
  for (const PromptKernel& prompt : prompts) {
    if (prompt.a_count < 2 || prompt.b_count < 2) continue;
    tested.push_back(&prompt);
    a_answers += prompt.a_count;
    b_answers += prompt.b_count;
  }
  verdict.prompts = tested.size();
  if (tested.empty()) {
    verdict.reason = "no prompt has two or more answers on each side: sampled decoding is tested on several "
                     "answers to each prompt (Inspect's epochs, or rows repeating a prompt)";
    return verdict;
  }
  std::vector<std::vector<uint32_t>> orders(tested.size());
  for (size_t p = 0; p < tested.size(); ++p) {
    orders[p].resize(tested[p]->a_count + tested[p]->b_count);
    std::iota(orders[p].begin(), orders[p].end(), 0u);
  }
  // Both statistics under the current assignment of answers to sides.
  std::vector<double> difference(vocabulary);
  const auto statistics = [&]() -> std::pair<double, double> {
    double per_prompt = 0;
    std::fill(difference.begin(), difference.end(), 0.0);
    for (size_t p = 0; p < tested.size(); ++p) {
      per_prompt += PromptMmd(*tested[p], orders[p]);
      for (size_t position = 0; position < orders[p].size(); ++position) {
        const double sign = position < tested[p]->a_count ? 1.0 / double(a_answers) : -1.0 / double(b_answers);
        const SparseFeatures& features = tested[p]->features[orders[p][position]];
        for (size_t k = 0; k < features.ids.size(); ++k) difference[features.ids[k]] += sign * features.weights[k];
      }
    }
    double pooled = 0;
    for (double value : difference) pooled += value * value;
    return {per_prompt / double(tested.size()), pooled};
  };
  const auto [observed, observed_pooled] = statistics();
  std::vector<std::pair<double, double>> permuted;
  permuted.reserve(kPermutations);
  std::mt19937_64 generator(kPermutationSeed);
  for (int permutation = 0; permutation < kPermutations; ++permutation) {
    for (size_t p = 0; p < tested.size(); ++p) {
      std::vector<uint32_t>& order = orders[p];
      // A partial Fisher-Yates shuffle: the first a_count positions are A's.
      for (uint32_t i = 0; i < tested[p]->a_count; ++i) {
        std::swap(order[i], order[i + UniformIndex(generator, order.size() - i)]);
      }
    }
    permuted.push_back(statistics());
  }
  // Each statistic standardised by its permutation distribution; a constant
  // one (every answer alike) contributes nothing.
  const auto standardiser = [&](double std::pair<double, double>::*member) {
    double sum = 0, squares = 0;
    for (const auto& values : permuted) sum += values.*member;
    const double mean = sum / kPermutations;
    for (const auto& values : permuted) squares += (values.*member - mean) * (values.*member - mean);
    const double deviation = std::sqrt(squares / (kPermutations - 1));
    return [mean, deviation](double value) { return deviation > 1e-12 * std::max(1.0, std::abs(mean)) ? (value - mean) / deviation : 0.0; };
  };
  const auto z_prompt = standardiser(&std::pair<double, double>::first);
  const auto z_pooled = standardiser(&std::pair<double, double>::second);
  const double bar = std::max(z_prompt(observed), z_pooled(observed_pooled));
  uint64_t at_least = 0;
  // Ties (every answer the same) count as at least as large: the tolerance
  // keeps rounding in another summation order from breaking them.
  for (const auto& [per_prompt, pooled] : permuted) at_least += std::max(z_prompt(per_prompt), z_pooled(pooled)) >= bar - 1e-9;
  verdict.statistic = observed;
  verdict.pooled = observed_pooled;
  verdict.p_value = double(1 + at_least) / double(1 + kPermutations);
  const std::string test = "(per-prompt MMD² " + PValueText(observed) + ", pooled " + PValueText(observed_pooled) +
                           ", permutation p = " + PValueText(*verdict.p_value);
  if (*verdict.p_value < kSameModelAlpha) {
    verdict.finding = SameModelFinding::kDifferent;
    verdict.reason = "B's answers to the same prompts are distributed differently from A's " + test + " < 0.01)";
  } else {
    verdict.finding = SameModelFinding::kSame;
    verdict.reason = "no difference between the distributions of A's and B's answers " + test + ")";
  }
  RequireEnoughPrompts(verdict);
  return verdict;
}

std::vector<bool> BenjaminiHochberg(std::span<const double> p_values, double q) {
  std::vector<size_t> order(p_values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return p_values[x] < p_values[y]; });
  // The largest rank k whose p-value is at most k q / m; the k smallest are rejected.
  size_t rejected = 0;
  const double m = double(p_values.size());
  for (size_t rank = 1; rank <= order.size(); ++rank) {
    if (p_values[order[rank - 1]] <= double(rank) * q / m) rejected = rank;
  }
  std::vector<bool> reject(p_values.size(), false);
  for (size_t rank = 0; rank < rejected; ++rank) reject[order[rank]] = true;
  return reject;
}

}  // namespace assay
