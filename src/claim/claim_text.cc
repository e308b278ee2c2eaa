#include "claim/claim_text.h"

#include <cctype>

#include "record/points.h"

namespace assay {

std::string FormatMetricValue(const EvalMetric& metric) {
  return FormatNumber(metric.value) + " ± " + (metric.stderr_value ? FormatNumber(*metric.stderr_value) : "N/A");
}

std::string DescribeBenchmark(const EvalSummary& eval) {
  std::string text = eval.benchmark;
  if (!eval.benchmark_version.empty()) text += " (version " + eval.benchmark_version + ")";
  if (eval.samples_used && eval.samples_total) {
    text += ", " + std::to_string(*eval.samples_used) + " of " + std::to_string(*eval.samples_total) + " samples";
  } else if (eval.samples_used) {
    text += ", " + std::to_string(*eval.samples_used) + " samples";
  }
  if (eval.partial()) text += ": PARTIAL RUN";
  return text;
}

std::string DescribeBinding(const ClaimBinding& binding) {
  if (binding.endpoint) {
    return "endpoint " + EndpointName(*binding.endpoint) + " (NOT BOUND TO WEIGHTS)";
  }
  std::string text = binding.model_name;
  if (!binding.model_revision.empty()) text += " @ " + binding.model_revision;
  return text + " (record " + binding.model_record.substr(0, 16) + ", " + binding.weights_format +
         " weights root " + binding.weights_root.substr(0, 16) + ")";
}

std::string VerdictWord(VerdictKind kind) {
  std::string word(VerdictKindName(kind));
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word;
}

std::string DescribeComparison(const MetricVerdict& verdict) {
  if (!verdict.comparison) return verdict.reason;
  const ScoreComparison& comparison = *verdict.comparison;
  std::string text = "claimed " + FormatNumber(comparison.claimed_points, 4) + ", reproduced " +
                     FormatNumber(comparison.reproduced_points, 4) + ", " + FormatPoints(comparison.difference_points) +
                     " points";
  if (comparison.low && comparison.high) {
    text += " (95 % interval " + FormatPoints(*comparison.low) + " to " + FormatPoints(*comparison.high);
    if (comparison.difference_in_stderrs) text += "; " + FormatPoints(*comparison.difference_in_stderrs) + " standard errors";
    text += ")";
  } else {
    text += " (uncertainty unknown)";
  }
  text += ", " + std::string(EvidenceTierName(comparison.tier));
  if (comparison.paired_samples > 0) text += " over " + std::to_string(comparison.paired_samples) + " paired samples";
  return text + ", margin ±" + FormatNumber(verdict.margin);
}

}  // namespace assay
