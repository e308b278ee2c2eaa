// Builders for the claim area's verdict and recomputation tests: metrics and
// samples made by hand (the eval log readers are tested on their own).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "digest/sha256.h"
#include "evallog/eval_run.h"

namespace assay::verdict_fixtures {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline std::string DigestOf(const std::string& text) { return ToHex(Sha256::Of(text)); }

inline EvalMetric MeanMetric(double value, std::optional<double> standard_error, std::string key = "acc,none",
                             std::optional<bool> higher_is_better = true) {
  EvalMetric metric;
  metric.name = key;
  metric.value = value;
  metric.stderr_value = standard_error;
  metric.higher_is_better = higher_is_better;
  metric.aggregation = "mean";
  metric.per_sample_key = std::move(key);
  return metric;
}

// A sample whose input digest depends on `id` alone (so two runs pair) and
// whose output digest depends on `output`.
inline EvalSample ScoredSample(const std::string& id, double value, const std::string& output,
                               const std::string& key = "acc,none") {
  EvalSample sample;
  sample.id = id;
  sample.input_digest = DigestOf("input of " + id);
  sample.output_digest = DigestOf(output);
  sample.metrics[key] = value;
  return sample;
}

// Two runs of one binary-scored benchmark over the same `n` inputs: the first
// `both_right` samples right on both sides, then `claim_only` right only in
// the claim, then `reproduction_only` right only in the reproduction, the rest
// wrong on both. Outputs differ between the runs unless `identical_outputs`.
struct PairedRuns {
  std::vector<EvalSample> claimed, reproduced;
  double claimed_mean = 0, reproduced_mean = 0;
};

inline PairedRuns BinaryRuns(uint64_t n, uint64_t both_right, uint64_t claim_only, uint64_t reproduction_only,
                             bool identical_outputs = false, const std::string& key = "acc,none") {
  PairedRuns runs;
  uint64_t claimed_right = 0, reproduced_right = 0;
  for (uint64_t i = 0; i < n; ++i) {
    bool claim_right = i < both_right + claim_only;
    bool reproduction_right =
        i < both_right || (i >= both_right + claim_only && i < both_right + claim_only + reproduction_only);
    std::string id = std::to_string(i) + "/none";
    runs.claimed.push_back(ScoredSample(id, claim_right ? 1 : 0, "claimed answer " + id, key));
    std::string output = identical_outputs ? "claimed answer " + id : "reproduced answer " + id;
    runs.reproduced.push_back(ScoredSample(id, reproduction_right ? 1 : 0, output, key));
    claimed_right += claim_right;
    reproduced_right += reproduction_right;
  }
  runs.claimed_mean = static_cast<double>(claimed_right) / static_cast<double>(n);
  runs.reproduced_mean = static_cast<double>(reproduced_right) / static_cast<double>(n);
  return runs;
}

}  // namespace assay::verdict_fixtures
