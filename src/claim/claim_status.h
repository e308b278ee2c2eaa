// What `assay status MODEL` concludes per claim (DESIGN.md, Command line:
// "a verdict per benchmark"), from the claim and its reproductions as read
// from the ledger. Only reproductions whose signature counts (an evaluator
// in the trust file) and that ran the claim's weights decide; the rest are
// shown but not counted.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "claim/plan_check.h"
#include "record/claim_statement.h"
#include "record/record_check.h"
#include "record/reproduction_statement.h"

namespace assay {

// A reproduction as read back, with what the record judge said of it
// (record/record_check.h): `record.counts()` when an evaluator signed it,
// `record.altered()` when its bytes changed after signing.
struct SignedReproduction {
  CheckedRecord record;
  Reproduction reproduction;
  std::optional<PlanReport> plan;  // when it names a plan
};

// A claim as read back, judged in the vendor role, with its reproductions.
struct SignedClaim {
  CheckedRecord record;
  Claim claim;
  std::vector<SignedReproduction> reproductions;  // oldest first
  std::optional<PlanReport> plan;                 // when it names a plan
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
// claim/verdict_check.h); nullopt when it counts. `task`: the group's task
// of a verdict of the reproduction's taskVerdicts. A claim's standing is
// decided by the verdicts on its own scores (a group's: the group's).
std::optional<std::string> WhyNotCounted(const SignedClaim& claim, const SignedReproduction& reproduction,
                                         const MetricVerdict& verdict, const std::string& task = "");

ClaimStanding StandingOf(const SignedClaim& claim);

}  // namespace assay
