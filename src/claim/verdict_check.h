// A reproduction's verdicts recomputed from the records in hand: the claim
// and the reproduction record (issue "a forged bundle": a verdict that can be
// recomputed from the records in hand is recomputed, never read). What a
// record alone cannot show (a paired interval needs both transcripts) is
// checked as far as the numbers it records go: both scores are the ones the
// two records state, the difference follows from them, and the verdict
// follows from the interval and the margin by DESIGN.md's rule. An
// aggregates-only verdict is recomputed whole.
#pragma once

#include <optional>
#include <string>

#include "record/claim_statement.h"
#include "record/reproduction_statement.h"

namespace assay {

// nullopt when the reproduction's weights-match flag follows from the root it
// observed and the root the claim binds; otherwise why not.
std::optional<std::string> WeightsMatchProblem(const Claim& claim, const Reproduction& reproduction);

// nullopt when the reproduction's record of comparability (the differences
// and unrecorded fields of configuration, claim/config_comparison.h) is the
// one the two records' configurations give; otherwise why not. A version 1
// reproduction records none: when the configurations differ its verdicts
// compared unlike runs, and do not count (they are not forged: version 1 did
// not judge this).
std::optional<std::string> ComparabilityProblem(const Claim& claim, const Reproduction& reproduction);

// nullopt when `verdict` (one of `reproduction`'s) follows from the two
// records; otherwise one line saying what does not. A verdict is "not
// comparable" exactly when a recorded difference is not accepted; its
// numbers are checked as any other's. `task`: one of a group's tasks, for a
// verdict of its taskVerdicts: the scores are that task's in both records,
// and the differences that apply are that task's and the whole run's.
std::optional<std::string> RecordedVerdictProblem(const Claim& claim, const Reproduction& reproduction,
                                                  const MetricVerdict& verdict, const std::string& task = "");

}  // namespace assay
