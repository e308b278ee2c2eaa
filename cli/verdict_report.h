// How a verdict reads on a terminal and in --json (docs/verdicts.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "claim/verdict.h"

namespace assay::cli {

// "NOT REPRODUCED": the verdict as status and attest print it.
std::string VerdictWord(VerdictKind kind);

// "claimed 89.9, reproduced 79.2, -10.70 points (95 % interval -12.10 to
// -9.30; -8.1 standard errors), same inputs over 100 paired samples, margin ±2";
// for different weights, the reason alone: no numbers.
std::string DescribeComparison(const MetricVerdict& verdict);

// "verdict    acc,none NOT REPRODUCED: claimed ..."
void PrintVerdictLine(const MetricVerdict& verdict);

}  // namespace assay::cli
