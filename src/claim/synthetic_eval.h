// A generated eval run: the demo's vendor and evaluator transcripts, and
// tests and benchmarks that need many samples. Every run of one benchmark
// asks the same questions (sample i has the same input and target whatever
// the seed), so two runs pair sample by sample; which answers are right is
// drawn from the seed, and the reported score is the transcript's own mean.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "evallog/eval_run.h"

namespace assay {

struct SyntheticEvalSpec {
  std::string benchmark = "demo-qa";
  uint64_t samples = 500;
  double accuracy = 0.8;  // the fraction of samples answered right (rounded to whole samples)
  uint64_t seed = 1;      // which samples are right, and how wrong answers read
  std::string model_name;
  std::string harness = "demo-harness";
  std::string harness_version = "1.0";
  uint64_t num_fewshot = 0;  // recorded in the run's config, as harnesses record it
  std::optional<int64_t> started;  // when the run started, as its log records it (Unix seconds)
};

// The run with samples, metric "acc" (mean, with its standard error) and
// samples_used == samples_total == spec.samples.
EvalRun SyntheticEvalRun(const SyntheticEvalSpec& spec);

}  // namespace assay
