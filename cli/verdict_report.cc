#include "cli/verdict_report.h"

#include <cctype>
#include <cstdio>

#include "cli/command.h"
#include "record/points.h"

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
  Print("verdict    %s %s: %s\n", verdict.metric, VerdictWord(verdict.kind),
              DescribeComparison(verdict));
  if (verdict.comparison && !verdict.reason.empty()) Print("           %s\n", verdict.reason);
}

}  // namespace assay::cli
