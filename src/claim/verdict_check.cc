#include "claim/verdict.h"
#include "claim/verdict_check.h"

#include <cmath>

#include "claim/config_comparison.h"
#include "joined.h"

namespace assay {
namespace {

// Recorded numbers pass through JSON's shortest round-trip form, so they come
// back exactly; the slack only absorbs the products of scaling.
bool Same(double recorded, double recomputed) {
  if (std::isnan(recorded) || std::isnan(recomputed)) return std::isnan(recorded) && std::isnan(recomputed);
  if (std::isinf(recorded) || std::isinf(recomputed)) return recorded == recomputed;
  return std::fabs(recorded - recomputed) <= 1e-9 * std::max(1.0, std::fabs(recomputed));
}

std::string Word(VerdictKind kind) { return std::string(VerdictKindName(kind)); }

}  // namespace

std::optional<std::string> WeightsMatchProblem(const Claim& claim, const Reproduction& reproduction) {
  if (!claim.binding.bound_to_weights()) {
    if (!reproduction.weights_match) return "it says the weights differ, but the claim is about an endpoint";
    return std::nullopt;
  }
  const bool match = reproduction.observed_weights_root == claim.binding.weights_root;
  if (match == reproduction.weights_match) return std::nullopt;
  return "it says the weights " + std::string(reproduction.weights_match ? "match" : "differ") +
         ", but it observed root " + reproduction.observed_weights_root + " and the claim binds " +
         claim.binding.weights_root;
}

std::optional<std::string> ComparabilityProblem(const Claim& claim, const Reproduction& reproduction) {
  const ConfigComparison configuration = CompareConfigurations(claim.eval, reproduction.eval);
  if (!reproduction.is_v2()) {
    // Version 1 recorded no comparison; fields one side left out never made runs unlike.
    if (configuration.comparable()) return std::nullopt;
    return "a version 1 reproduction of a run whose configuration differs from the claim's (" +
           configuration.DifferencesLine() + "): not comparable";
  }
  if (configuration.differences == reproduction.differences && configuration.unknown == reproduction.unknown_fields) {
    return std::nullopt;
  }
  const ConfigComparison recorded{reproduction.differences, reproduction.unknown_fields};
  return "it records differences \"" + recorded.DifferencesLine() + "\" and unrecorded fields \"" +
         Joined(recorded.unknown, ", ") + "\", but the two records' configurations give \"" +
         configuration.DifferencesLine() + "\" and \"" + Joined(configuration.unknown, ", ") + "\"";
}

std::optional<std::string> RecordedVerdictProblem(const Claim& claim, const Reproduction& reproduction,
                                                  const MetricVerdict& verdict, const std::string& task) {
  if (!reproduction.weights_match) {
    if (verdict.kind != VerdictKind::kDifferentWeights) {
      return "recorded " + Word(verdict.kind) + " on weights the reproduction says differ from the claim's";
    }
    return std::nullopt;
  }
  if (verdict.kind == VerdictKind::kDifferentWeights || !verdict.comparison) {
    return "recorded " + Word(verdict.kind) + " without a score comparison, but the weights match";
  }
  const ConfigComparison whole{reproduction.differences, reproduction.unknown_fields};
  const ConfigComparison recorded = task.empty() ? whole : whole.ForTask(task);
  const bool comparable = recorded.Unaccepted(reproduction.accepted).empty();
  if (comparable == (verdict.kind == VerdictKind::kNotComparable)) {
    return comparable ? "recorded not comparable, but every recorded difference of configuration is accepted"
                      : "recorded " + Word(verdict.kind) + ", but the runs differ in " +
                            ConfigComparison{recorded.Unaccepted(reproduction.accepted), {}}.DifferencesLine() +
                            ": not comparable";
  }
  const std::vector<RecordedMetric>* claimed_metrics = claim.eval.MetricsOf(task);
  const std::vector<RecordedMetric>* their_metrics = reproduction.eval.MetricsOf(task);
  if (claimed_metrics == nullptr || their_metrics == nullptr) return "the two records do not both have task " + task;
  const RecordedMetric* claimed = FindMetricNamed(*claimed_metrics, verdict.metric);
  const RecordedMetric* theirs = FindCounterpart(*their_metrics, verdict.metric);
  if (claimed == nullptr) return "the claim has no metric " + verdict.metric;
  if (theirs == nullptr) return "the reproduction reports no value of " + verdict.metric;

  const ScoreComparison& comparison = *verdict.comparison;
  const double per_unit = PointsPerUnit(comparison.scale);
  if (!Same(comparison.claimed_points, claimed->metric.value * per_unit)) {
    return "records a claimed score of " + FormatNumber(comparison.claimed_points) + " points, but the claim says " +
           FormatNumber(claimed->metric.value * per_unit);
  }
  if (!Same(comparison.reproduced_points, theirs->metric.value * per_unit)) {
    return "records a reproduced score of " + FormatNumber(comparison.reproduced_points) +
           " points, but the reproduction's own metric says " + FormatNumber(theirs->metric.value * per_unit);
  }
  const double sign = comparison.higher_is_better ? 1 : -1;
  if (!Same(comparison.difference_points, sign * (comparison.reproduced_points - comparison.claimed_points))) {
    return "records a difference of " + FormatPoints(comparison.difference_points) + " points, but its scores give " +
           FormatPoints(sign * (comparison.reproduced_points - comparison.claimed_points));
  }
  VerdictKind follows = VerdictKind::kInconclusive;
  if (comparison.low && comparison.high) {
    if (!(*comparison.low <= comparison.difference_points + 1e-9 && comparison.difference_points <= *comparison.high + 1e-9)) {
      return "its interval [" + FormatPoints(*comparison.low) + ", " + FormatPoints(*comparison.high) +
             "] does not hold its own difference " + FormatPoints(comparison.difference_points);
    }
    follows = DecideFromInterval(*comparison.low, *comparison.high, verdict.margin);
  }
  // A not-comparable verdict's numbers are checked above; its kind is the comparability's.
  if (verdict.kind == VerdictKind::kNotComparable) return std::nullopt;
  if (follows != verdict.kind) {
    return "recorded " + Word(verdict.kind) + ", but its interval and margin give " + Word(follows);
  }
  if (comparison.tier == EvidenceTier::kAggregatesOnly) {
    const MetricVerdict again = CompareAggregates(
        verdict.metric, {claimed->metric.value, claimed->metric.stderr_value, claimed->samples},
        {theirs->metric.value, theirs->metric.stderr_value, theirs->samples}, comparison.higher_is_better,
        comparison.scale, VerdictOptions{.margin = verdict.margin});
    if (again.kind != verdict.kind) {
      return "recorded " + Word(verdict.kind) + ", but its numbers give " + Word(again.kind);
    }
    if (again.comparison && (again.comparison->low.has_value() != comparison.low.has_value() ||
                             (comparison.low && !(Same(*comparison.low, *again.comparison->low) &&
                                                  Same(*comparison.high, *again.comparison->high))))) {
      return "its recorded interval is not the one its standard errors give";
    }
  }
  return std::nullopt;
}

}  // namespace assay
