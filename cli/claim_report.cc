#include "cli/claim_report.h"

#include <cstdio>

#include "cli/command.h"
#include "record/points.h"

namespace assay::cli {

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
    return "endpoint " + binding.endpoint->provider + "/" + binding.endpoint->model + " (NOT BOUND TO WEIGHTS)";
  }
  std::string text = binding.model_name;
  if (!binding.model_revision.empty()) text += " @ " + binding.model_revision;
  return text + " (record " + binding.model_record.substr(0, 16) + ", " + binding.weights_format +
         " weights root " + binding.weights_root.substr(0, 16) + ")";
}

void PrintEvalSummary(const EvalSummary& eval) {
  Print("benchmark  %s\n", DescribeBenchmark(eval));
  std::string harness = eval.harness;
  if (!eval.harness_version.empty()) harness += " " + eval.harness_version;
  if (!eval.harness_commit.empty()) harness += " (commit " + eval.harness_commit + ")";
  Print("harness    %s\n", harness);
  for (const RecordedMetric& recorded : eval.metrics) {
    std::string how = recorded.recomputed ? "recomputed from " + std::to_string(recorded.samples.value_or(0)) + " samples"
                                          : "not recomputed: " + recorded.not_recomputable;
    Print("metric     %s %s (%s)\n", recorded.metric.name, FormatMetricValue(recorded.metric),
                how);
  }
  if (eval.transcript) {
    Print("transcript root %s over %llu samples\n", eval.transcript->root,
                static_cast<unsigned long long>(eval.transcript->samples));
  }
}

void PrintClaimSummary(const Claim& claim) {
  Print("%-10s %s\n", claim.binding.endpoint ? "endpoint" : "model", DescribeBinding(claim.binding));
  PrintEvalSummary(claim.eval);
  if (!claim.eval.log_model_name.empty()) {
    std::string log = claim.eval.log_model_name;
    if (!claim.eval.log_model_revision.empty()) log += " @ " + claim.eval.log_model_revision;
    Print("log model  %s%s\n", log, claim.model_mismatch.empty() ? "" : "  MISMATCH");
  }
  if (!claim.model_mismatch.empty()) Print("mismatch   %s\n", claim.model_mismatch);
}

}  // namespace assay::cli
