// How a claim's numbers and a verdict read in words, the same in every
// output and finding that names them (docs/verdicts.md): the operations'
// findings (ops/verify_claim.h) and the renderers (render/claim_render.h).
// Plain text: a renderer shows it through Format, which escapes it.
#pragma once

#include <string>

#include "claim/verdict.h"
#include "record/claim_statement.h"
#include "record/eval_summary.h"

namespace assay {

// "0.792 ± 0.041"; "0.45 ± N/A"; "Infinity ± N/A".
std::string FormatMetricValue(const EvalMetric& metric);

// "mmlu (version 1), 20 of 13812 samples: PARTIAL RUN"
std::string DescribeBenchmark(const EvalSummary& eval);

// "acme/model @ v1 (record 1a2b3c4d…, safetensors weights root 9f8e…)" or
// "endpoint openai/gpt-4o (NOT BOUND TO WEIGHTS)".
std::string DescribeBinding(const ClaimBinding& binding);

// "NOT REPRODUCED": the verdict's name in capitals.
std::string VerdictWord(VerdictKind kind);

// "claimed 89.9, reproduced 79.2, -10.70 points (95 % interval -12.10 to
// -9.30; -8.1 standard errors), same inputs over 100 paired samples, margin ±2";
// for different weights, the reason alone: no numbers.
std::string DescribeComparison(const MetricVerdict& verdict);

}  // namespace assay
