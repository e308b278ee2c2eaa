#include "cli/verdict_report.h"

#include <cctype>
#include <cstdio>

#include "claim/points.h"

namespace assay::cli {

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

void PrintVerdictLine(const MetricVerdict& verdict) {
  std::printf("verdict    %s %s: %s\n", verdict.metric.c_str(), VerdictWord(verdict.kind).c_str(),
              DescribeComparison(verdict).c_str());
  if (verdict.comparison && !verdict.reason.empty()) std::printf("           %s\n", verdict.reason.c_str());
}

}  // namespace assay::cli
