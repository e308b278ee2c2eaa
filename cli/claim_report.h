// How claims and reproductions read on a terminal: the lines `attest claim`,
// `attest reproduction`, `verify claim` and `status` share.
#pragma once

#include <string>

#include "record/claim_statement.h"
#include "record/eval_summary.h"

namespace assay::cli {

// "0.792 ± 0.041"; "0.45 ± N/A"; "Infinity".
std::string FormatMetricValue(const EvalMetric& metric);

// "mmlu (version 1), 20 of 13812 samples: PARTIAL RUN"
std::string DescribeBenchmark(const EvalSummary& eval);

// "acme/model @ v1 (record 1a2b3c4d…, safetensors weights root 9f8e…)" or
// "endpoint openai/gpt-4o (NOT BOUND TO WEIGHTS)".
std::string DescribeBinding(const ClaimBinding& binding);

// The model, benchmark, harness, metric and log-model lines of a claim.
void PrintClaimSummary(const Claim& claim);
// The benchmark, harness and metric lines of an eval summary.
void PrintEvalSummary(const EvalSummary& eval);

}  // namespace assay::cli
