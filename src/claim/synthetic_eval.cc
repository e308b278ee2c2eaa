#include "claim/synthetic_eval.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "claim/score_recompute.h"

namespace assay {

EvalRun SyntheticEvalRun(const SyntheticEvalSpec& spec) {
  EvalRun run;
  run.format = "jsonl";
  run.benchmark = spec.benchmark;
  run.benchmark_version = "1";
  run.harness = spec.harness;
  run.harness_version = spec.harness_version;
  run.model_name = spec.model_name;
  run.config = {{"num_fewshot", spec.num_fewshot}, {"generation", {{"temperature", 0}, {"max_tokens", 16}}}};
  run.samples_used = spec.samples;
  run.samples_total = spec.samples;
  run.started = spec.started;

  // Exactly round(accuracy * n) right answers, at positions the seed shuffles.
  const auto right_count = static_cast<uint64_t>(std::llround(std::clamp(spec.accuracy, 0.0, 1.0) * static_cast<double>(spec.samples)));
  std::vector<uint64_t> order(spec.samples);
  std::iota(order.begin(), order.end(), uint64_t{0});
  std::mt19937_64 random(spec.seed);
  std::shuffle(order.begin(), order.end(), random);
  std::vector<bool> right(spec.samples, false);
  for (uint64_t i = 0; i < right_count; ++i) right[order[i]] = true;

  std::vector<double> values;
  for (uint64_t i = 0; i < spec.samples; ++i) {
    const std::string target = std::to_string((i * 7919) % 1000);
    const std::string response = right[i] ? target : std::to_string((i * 7919 + 1 + spec.seed) % 1000);
    EvalSample sample;
    sample.id = "q" + std::to_string(100000 + i).substr(1);  // q00000 ...: ids sort in question order
    sample.record = {{"input", "Question " + std::to_string(i) + ": what is " + std::to_string(i) + " * 7919 mod 1000?"},
                     {"target", target},
                     {"response", response}};
    sample.metrics["acc"] = right[i] ? 1.0 : 0.0;
    values.push_back(sample.metrics["acc"]);
    run.samples.push_back(std::move(sample));
  }
  EvalMetric acc;
  acc.name = "acc";
  acc.aggregation = "mean";
  acc.per_sample_key = "acc";
  acc.higher_is_better = true;
  acc.value = *Aggregate("mean", values);
  acc.stderr_value = MeanStandardError(values);
  run.metrics.push_back(acc);
  return run;
}

}  // namespace assay
