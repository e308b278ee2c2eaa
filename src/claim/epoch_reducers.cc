#include "claim/epoch_reducers.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <vector>

namespace assay {
namespace {

constexpr double kUnscored = std::numeric_limits<double>::quiet_NaN();
constexpr std::string_view kEpochOf = " of epoch ";

// K of "NAME_K" for a reducer named `name`; nullopt when `reducer` is not one.
std::optional<uint64_t> ParameterOf(std::string_view reducer, std::string_view name) {
  if (!reducer.starts_with(name) || reducer.size() <= name.size() + 1 || reducer[name.size()] != '_') {
    return std::nullopt;
  }
  const std::string_view digits = reducer.substr(name.size() + 1);
  uint64_t k = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
  if (error != std::errc() || end != digits.data() + digits.size() || k == 0) return std::nullopt;
  return k;
}

// C(n, k) as a double: exact while it fits in 53 bits, as Python's math.comb then division gives.
double Binomial(uint64_t n, uint64_t k) {
  if (k > n) return 0;
  double result = 1;
  for (uint64_t i = 1; i <= k; ++i) result = result * static_cast<double>(n - k + i) / static_cast<double>(i);
  return std::round(result);
}

// The sample id of an Inspect "ID/EPOCH" id.
std::string_view SampleIdOf(std::string_view id) { return id.substr(0, id.rfind('/')); }

}  // namespace

std::optional<std::string> EpochReducerOf(std::string_view aggregation) {
  const size_t at = aggregation.find(kEpochOf);
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  return std::string(aggregation.substr(at + kEpochOf.size()));
}

std::optional<double> ReduceEpochs(std::string_view reducer, std::span<const double> epochs) {
  std::vector<double> scored;
  for (double value : epochs) {
    if (!std::isnan(value)) scored.push_back(value);
  }
  const bool known = reducer == "mean" || reducer == "median" || reducer == "mode" || reducer == "max" ||
                     ParameterOf(reducer, "at_least") || ParameterOf(reducer, "pass_at") ||
                     ParameterOf(reducer, "pass_k");
  if (!known) return std::nullopt;
  if (scored.empty()) return kUnscored;
  if (reducer == "mean") return Aggregate("mean", scored);
  if (reducer == "median") {
    std::sort(scored.begin(), scored.end());
    const size_t middle = scored.size() / 2;
    return scored.size() % 2 == 1 ? scored[middle] : (scored[middle - 1] + scored[middle]) / 2;
  }
  if (reducer == "max") return *std::max_element(scored.begin(), scored.end());
  if (reducer == "mode") {
    // Counter.most_common(1): the highest count, the first seen among equals.
    std::map<double, size_t> counts;
    for (double value : scored) ++counts[value];
    double mode = scored[0];
    for (double value : scored) {
      if (counts[value] > counts[mode]) mode = value;
    }
    return mode;
  }
  const uint64_t total = scored.size();
  const uint64_t correct = static_cast<uint64_t>(std::count_if(scored.begin(), scored.end(), [](double v) { return v >= 1.0; }));
  if (auto k = ParameterOf(reducer, "at_least")) return correct >= *k ? 1.0 : 0.0;
  if (auto k = ParameterOf(reducer, "pass_at")) {
    if (total < *k) return kUnscored;
    if (total - correct < *k) return 1.0;
    // 1 - prod over i in (n - c, n] of (1 - k / i), in numpy's order.
    double product = 1;
    for (uint64_t i = total - correct + 1; i <= total; ++i) product *= 1.0 - static_cast<double>(*k) / static_cast<double>(i);
    return 1.0 - product;
  }
  const uint64_t k = *ParameterOf(reducer, "pass_k");
  if (total < k) return kUnscored;
  return Binomial(correct, k) / Binomial(total, k);
}

std::optional<PerSampleValues> ReducePerSampleEpochs(std::string_view reducer, const PerSampleValues& per_sample) {
  std::vector<std::string_view> order;
  std::map<std::string_view, std::pair<const EvalSample*, std::vector<double>>> epochs;
  for (size_t i = 0; i < per_sample.samples.size(); ++i) {
    const std::string_view sample_id = SampleIdOf(per_sample.samples[i]->id);
    auto [entry, added] = epochs.try_emplace(sample_id, per_sample.samples[i], std::vector<double>());
    if (added) order.push_back(sample_id);
    entry->second.second.push_back(per_sample.values[i]);
  }
  PerSampleValues reduced;
  for (std::string_view sample_id : order) {
    const auto& [first, values] = epochs.at(sample_id);
    std::optional<double> value = ReduceEpochs(reducer, values);
    if (!value) return std::nullopt;
    reduced.samples.push_back(first);
    reduced.values.push_back(*value);
  }
  std::map<std::string_view, const EvalSample*> lacking;
  for (const EvalSample* sample : per_sample.lacking) {
    const std::string_view sample_id = SampleIdOf(sample->id);
    if (!epochs.count(sample_id)) lacking.try_emplace(sample_id, sample);
  }
  for (const auto& [sample_id, sample] : lacking) reduced.lacking.push_back(sample);
  return reduced;
}

}  // namespace assay
