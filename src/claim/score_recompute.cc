#include "claim/score_recompute.h"

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <limits>

#include "claim/epoch_reducers.h"
#include "record/points.h"

namespace assay {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// lm-eval's "metric,filter" keys: the filter, or nullopt for a key without one.
std::optional<std::string_view> FilterOf(std::string_view key) {
  size_t comma = key.rfind(',');
  if (comma == std::string_view::npos) return std::nullopt;
  return key.substr(comma + 1);
}

bool Covers(std::string_view key, const EvalSample& sample) {
  std::optional<std::string_view> filter = FilterOf(key);
  if (!filter || sample.metrics.empty() || sample.metrics.count(std::string(key)) > 0) return true;
  for (const auto& [other_key, value] : sample.metrics) {
    std::optional<std::string_view> other_filter = FilterOf(other_key);
    if (!other_filter || *other_filter == *filter) return true;
  }
  return false;  // every key names another filter: another filter's row
}

// Neumaier's compensated sum: exact to within 2u sum|x| whatever the order,
// so assay's side of a comparison adds almost nothing to the tolerance.
double CompensatedSum(std::span<const double> values) {
  double sum = 0, compensation = 0;
  for (double value : values) {
    double next = sum + value;
    compensation += std::fabs(sum) >= std::fabs(value) ? (sum - next) + value : (value - next) + sum;
    sum = next;
  }
  return sum + compensation;
}

// The mean as IEEE arithmetic defines it for non-finite inputs (what Python's
// sum(arr) / len(arr) gives): NaN if any value is NaN or both infinities occur.
double MeanOf(std::span<const double> values) {
  bool positive_infinity = false, negative_infinity = false;
  for (double value : values) {
    if (std::isnan(value)) return kNaN;
    if (std::isinf(value)) (value > 0 ? positive_infinity : negative_infinity) = true;
  }
  if (positive_infinity && negative_infinity) return kNaN;
  if (positive_infinity) return kInfinity;
  if (negative_infinity) return -kInfinity;
  return CompensatedSum(values) / static_cast<double>(values.size());
}

double MeanAbsolute(std::span<const double> values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double value : values) sum += std::fabs(value);
  return sum / static_cast<double>(values.size());
}

// How far two correct computations of the aggregate may drift apart (the
// tolerance argument in score_recompute.h).
double RoundingAllowance(std::string_view aggregation, std::span<const double> values, double value) {
  double n = static_cast<double>(values.size());
  double mean_error = (n + 4) * DBL_EPSILON * MeanAbsolute(values);
  if (aggregation == "median") return 4 * DBL_EPSILON * std::fabs(value);
  if (aggregation == "perplexity") return std::fabs(value) * (mean_error + 4 * DBL_EPSILON);
  return mean_error;
}

bool Agree(double reported, double recomputed, double allowance) {
  if (std::isnan(reported) || std::isnan(recomputed)) return std::isnan(reported) && std::isnan(recomputed);
  if (std::isinf(reported) || std::isinf(recomputed)) return reported == recomputed;
  return std::fabs(reported - recomputed) <= allowance;
}

// "0.792 (79.2 points)" for a proportion, "3.21" otherwise.
std::string Described(double value, PointScale scale, int digits) {
  std::string text = FormatNumber(value, digits);
  if (scale == PointScale::kProportion && std::isfinite(value)) {
    text += " (" + FormatNumber(value * 100, digits) + " points)";
  }
  return text;
}

std::string ValueMismatch(const EvalMetric& metric, const PerSampleValues& per_sample, double recomputed) {
  double reported = metric.value;
  std::array<double, 2> both = {reported, recomputed};
  PointScale scale = ScaleOf(both, per_sample.values);
  // Points are value x 100: telling the values apart tells the points apart.
  int digits = DigitsToDistinguish(reported, recomputed);
  std::string verb =
      metric.aggregation == "mean" || metric.aggregation == "nanmean" ? "average to" : "give " + metric.aggregation;
  return "per-sample '" + metric.per_sample_key + "' values of " + std::to_string(per_sample.values.size()) +
         " samples " + verb + " " + Described(recomputed, scale, digits) + ", not the " +
         Described(reported, scale, digits) + " the log reports";
}

}  // namespace

PerSampleValues CollectPerSampleValues(const EvalMetric& metric, std::span<const EvalSample> samples) {
  PerSampleValues result;
  if (metric.per_sample_key.empty()) return result;
  for (const EvalSample& sample : samples) {
    if (!Covers(metric.per_sample_key, sample)) continue;
    auto found = sample.metrics.find(metric.per_sample_key);
    if (found == sample.metrics.end()) {
      result.lacking.push_back(&sample);
      continue;
    }
    result.samples.push_back(&sample);
    result.values.push_back(found->second);
  }
  return result;
}

bool CanAggregate(std::string_view aggregation) {
  return aggregation == "mean" || aggregation == "nanmean" || aggregation == "median" || aggregation == "perplexity";
}

std::optional<double> Aggregate(std::string_view aggregation, std::span<const double> values) {
  if (values.empty() || !CanAggregate(aggregation)) return std::nullopt;
  if (aggregation == "mean") return MeanOf(values);
  if (aggregation == "perplexity") return std::exp(-MeanOf(values));
  if (aggregation == "nanmean") {
    std::vector<double> present;
    for (double value : values) {
      if (!std::isnan(value)) present.push_back(value);
    }
    return present.empty() ? kNaN : MeanOf(present);
  }
  // median: NaN has no place in an order.
  if (std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) return kNaN;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  size_t middle = sorted.size() / 2;
  if (sorted.size() % 2 == 1) return sorted[middle];
  return sorted[middle - 1] / 2 + sorted[middle] / 2;  // halves first: no overflow
}

std::optional<double> MeanStandardError(std::span<const double> values) {
  if (values.size() < 2) return std::nullopt;
  double mean = MeanOf(values);
  if (!std::isfinite(mean)) return std::nullopt;
  std::vector<double> squares;
  squares.reserve(values.size());
  for (double value : values) squares.push_back((value - mean) * (value - mean));
  double n = static_cast<double>(values.size());
  return std::sqrt(CompensatedSum(squares) / (n - 1)) / std::sqrt(n);
}

ScoreRecomputation RecomputeScore(const EvalMetric& metric, std::span<const EvalSample> samples) {
  return RecomputeScoreFromValues(metric, CollectPerSampleValues(metric, samples));
}

ScoreRecomputation RecomputeScoreFromValues(const EvalMetric& metric, const PerSampleValues& per_sample) {
  ScoreRecomputation result;
  if (std::optional<std::string> reducer = EpochReducerOf(metric.aggregation)) {
    // Each sample's epochs reduced first, then the mean over the samples.
    std::optional<PerSampleValues> reduced = ReducePerSampleEpochs(*reducer, per_sample);
    if (!reduced) {
      result.why_not = "epoch reducer '" + *reducer + "' is not one assay recomputes";
      return result;
    }
    EvalMetric over_samples = metric;
    over_samples.aggregation = "mean";
    return RecomputeScoreFromValues(over_samples, *reduced);
  }
  if (!CanAggregate(metric.aggregation)) {
    result.why_not = "aggregation '" + metric.aggregation +
                     "' is not a mean of per-sample values, nor another aggregate assay recomputes";
    return result;
  }
  std::string key = metric.per_sample_key.empty() ? metric.name : metric.per_sample_key;
  if (per_sample.values.empty()) {
    result.why_not = "no per-sample values for '" + key + "'";
    return result;
  }
  if (!per_sample.lacking.empty()) {
    result.why_not = std::to_string(per_sample.lacking.size()) + " of " + std::to_string(per_sample.covered()) +
                     " samples lack '" + key + "' (first: " + per_sample.lacking.front()->id + ")";
    return result;
  }

  result.recomputed = true;
  result.n = per_sample.values.size();
  result.value = *Aggregate(metric.aggregation, per_sample.values);
  result.value_matches =
      Agree(metric.value, result.value, RoundingAllowance(metric.aggregation, per_sample.values, result.value));
  if (!result.value_matches) result.value_mismatch = ValueMismatch(metric, per_sample, result.value);

  if (metric.aggregation != "mean") return result;
  result.stderr_value = MeanStandardError(per_sample.values);
  if (result.stderr_value && metric.stderr_value) {
    double allowance =
        (static_cast<double>(result.n) + 4) * DBL_EPSILON * (*result.stderr_value + MeanAbsolute(per_sample.values));
    result.stderr_matches = Agree(*metric.stderr_value, *result.stderr_value, allowance);
    if (!*result.stderr_matches) {
      int digits = DigitsToDistinguish(*metric.stderr_value, *result.stderr_value);
      result.stderr_mismatch = "per-sample '" + key + "' values give standard error " +
                               FormatNumber(*result.stderr_value, digits) + ", not the " +
                               FormatNumber(*metric.stderr_value, digits) + " the log reports";
    }
  }
  return result;
}

}  // namespace assay
