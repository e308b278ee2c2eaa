// Like with like: whether a rerun measured what the claim measured, field by
// field from what the two logs record (docs/spec/claim-v2.md,
// "Configuration"; docs/verdicts.md, "Comparing configurations"). A field
// both record, with different values, that changes scores makes the two runs
// not comparable; a field only one side records is unknown, and never makes
// them not comparable: leaving a setting out of a log must not turn a failed
// reproduction into "not comparable".
#pragma once

#include <string>
#include <vector>

#include "record/eval_summary.h"

namespace assay {

struct ConfigDifference {
  // "num_fewshot", "generation.temperature", "dataset.split", "harness
  // version", "task version", "filter of exact_match".
  std::string field;
  std::string claimed;     // each side's value as shown: "5", "none", "0.4", "3f2a9c1d04e7…"
  std::string reproduced;
  // "num_fewshot 5 vs 0", "filter of exact_match none vs get-answer".
  std::string Describe() const;
};

struct ConfigComparison {
  std::vector<ConfigDifference> differences;  // recorded by both, different, changes scores
  std::vector<std::string> unknown;           // recorded by one side only, by field name
  bool comparable() const { return differences.empty(); }
  // "num_fewshot 5 vs 0; filter of exact_match none vs get-answer".
  std::string DifferencesLine() const;
  // "configuration not fully recorded: chat_template_sha256, limit"; "" when all are.
  std::string UnknownLine() const;
};

// Compares the claimed run's configuration with the rerun's. The fields that
// change scores: the benchmark's name and version, the harness's version
// (its first two components for 0.x: 0.4.8 and 0.4.13 are both 0.4; the
// first from 1.0 on), num_fewshot, every generation setting, the prompt,
// chat template and system instruction digests, the dataset's name, config,
// split and revision, limit, lm-eval's task hash, and the filter a metric was
// measured under. seed and batch_size are not compared.
ConfigComparison CompareConfigurations(const EvalSummary& claimed, const EvalSummary& reproduced);

// Why a rerun's log has none of the claimed metrics, in one line: the same
// metric under another filter ("the claim's exact_match,none is
// exact_match,get-answer in your log: the same metric under another
// filter"), or other metrics altogether ("the claim has acc,none; your log
// has f1,none"). Empty when a claimed metric is in the rerun's log.
std::string ExplainMetricMismatch(const EvalSummary& claimed, const EvalSummary& reproduced);

}  // namespace assay
