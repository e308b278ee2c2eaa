// What `assay status MODEL` concludes per claim (DESIGN.md, Command line:
// "a verdict per benchmark"), from the claim and its reproductions as read
// from the ledger. Only reproductions whose signature counts (an evaluator
// in the trust file) and that ran the claim's weights decide; the rest are
// shown but not counted.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "record/claim_statement.h"
#include "record/reproduction_statement.h"

namespace assay {

struct SignedReproduction {
  std::string id;
  bool trusted = false;
  bool altered = false;  // its signature does not verify over its bytes
  std::vector<std::string> signers;
  std::string problem;  // why the signature does not count, when !trusted
  Reproduction reproduction;
};

struct SignedClaim {
  std::string id;
  bool trusted = false;
  bool altered = false;  // its signature does not verify over its bytes
  std::vector<std::string> signers;
  std::string problem;  // why the signature does not count, when !trusted
  Claim claim;
  std::vector<SignedReproduction> reproductions;  // oldest first
};

enum class ClaimStanding {
  kUnchallenged,     // no counted reproduction yet
  kReproduced,       // every counted verdict on every metric: reproduced
  kNotReproduced,    // some counted verdict: not reproduced
  kInconclusive,     // counted verdicts, none "not reproduced", some inconclusive
};

// "no reproduction yet", "reproduced", "not reproduced", "inconclusive".
std::string_view ClaimStandingName(ClaimStanding standing);

// Why `verdict`, one of `reproduction`'s, does not count towards the claim's
// standing (an untrusted or altered record, or numbers that do not follow:
// claim/verdict_check.h); nullopt when it counts.
std::optional<std::string> WhyNotCounted(const SignedClaim& claim, const SignedReproduction& reproduction,
                                         const MetricVerdict& verdict);

ClaimStanding StandingOf(const SignedClaim& claim);

}  // namespace assay
