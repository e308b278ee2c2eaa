#include "claim/claim_status.h"

#include "claim/verdict_check.h"

namespace assay {

std::string_view ClaimStandingName(ClaimStanding standing) {
  switch (standing) {
    case ClaimStanding::kUnchallenged:
      return "no reproduction yet";
    case ClaimStanding::kReproduced:
      return "reproduced";
    case ClaimStanding::kNotReproduced:
      return "not reproduced";
    case ClaimStanding::kInconclusive:
      break;
  }
  return "inconclusive";
}

std::optional<std::string> WhyNotCounted(const SignedClaim& claim, const SignedReproduction& reproduction,
                                         const MetricVerdict& verdict, const std::string& task) {
  if (reproduction.record.altered()) return "altered after signing";
  if (!reproduction.record.counts()) return "untrusted signer";
  if (std::optional<std::string> problem = WeightsMatchProblem(claim.claim, reproduction.reproduction)) return problem;
  if (std::optional<std::string> problem = ComparabilityProblem(claim.claim, reproduction.reproduction)) return problem;
  if (verdict.kind == VerdictKind::kNotComparable) return verdict.reason;
  return RecordedVerdictProblem(claim.claim, reproduction.reproduction, verdict, task);
}

ClaimStanding StandingOf(const SignedClaim& claim) {
  bool counted = false, inconclusive = false;
  for (const SignedReproduction& signed_reproduction : claim.reproductions) {
    if (!signed_reproduction.reproduction.weights_match) continue;
    for (const MetricVerdict& verdict : signed_reproduction.reproduction.verdicts) {
      if (WhyNotCounted(claim, signed_reproduction, verdict)) continue;
      counted = true;
      if (verdict.kind == VerdictKind::kNotReproduced) return ClaimStanding::kNotReproduced;
      if (verdict.kind != VerdictKind::kReproduced) inconclusive = true;
    }
  }
  if (!counted) return ClaimStanding::kUnchallenged;
  return inconclusive ? ClaimStanding::kInconclusive : ClaimStanding::kReproduced;
}

}  // namespace assay
