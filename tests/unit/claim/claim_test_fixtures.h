// Hand-built eval runs, samples and model records for the claim tests: the
// eval log readers are tested on their own, and these tests need exact,
// small inputs whose scores are known.
#pragma once

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "claim/transcript.h"
#include "digest/sha256.h"
#include "evallog/eval_run.h"
#include "record/model_record_reader.h"

namespace assay::claim_testing {

inline std::string HexSha256(std::string_view text) { return ToHex(Sha256::Of(text)); }

// The record id of the claim that reproductions and verdicts in these tests answer.
inline const std::string kClaimId = HexSha256("the claim's statement bytes");

// A multiple-choice sample as lm-eval would give it: "acc,none" is 1 when
// the response is right.
inline EvalSample ChoiceSample(const std::string& id, bool correct, const std::string& response_suffix = "") {
  const std::string response = (correct ? "A" : "B") + response_suffix;
  EvalSample sample;
  sample.id = id;
  sample.record = {{"doc_id", id},
                   {"input", "question " + id},
                   {"target", "A"},
                   {"response", response},
                   {"acc,none", correct ? 1.0 : 0.0}};
  sample.input_digest = HexSha256("question " + id);
  sample.output_digest = HexSha256(response);
  sample.metrics["acc,none"] = correct ? 1.0 : 0.0;
  return sample;
}

// `count` samples with ids "0/none", "1/none", ...; the first `correct` are right.
inline std::vector<EvalSample> ChoiceSamples(uint64_t count, uint64_t correct) {
  std::vector<EvalSample> samples;
  for (uint64_t i = 0; i < count; ++i) samples.push_back(ChoiceSample(std::to_string(i) + "/none", i < correct));
  return samples;
}

inline EvalMetric AccuracyMetric(double value, std::optional<double> stderr_value = 0.0128) {
  return EvalMetric{.name = "acc,none",
                    .value = value,
                    .stderr_value = stderr_value,
                    .higher_is_better = true,
                    .aggregation = "mean",
                    .per_sample_key = "acc,none"};
}

// An lm-eval MMLU run reporting `reported` accuracy over `samples`.
inline EvalRun MmluRun(std::vector<EvalSample> samples, double reported) {
  EvalRun run;
  run.format = "lm-eval";
  run.benchmark = "mmlu";
  run.benchmark_version = "2";
  run.harness = "lm-evaluation-harness";
  run.harness_version = "0.4.8";
  run.harness_commit = "8fc0f2a";
  run.model_name = "acme/widget-7b";
  run.model_revision = "";
  run.model_source = "hf";
  run.config = {{"num_fewshot", 5}, {"batch_size", "auto"}, {"generation", {{"temperature", 0.0}}}};
  run.metrics = {AccuracyMetric(reported)};
  run.samples_used = samples.size();
  run.samples_total = samples.size();
  run.samples = std::move(samples);
  return run;
}

// Salts 0x01.., 0x02.., ... in the order they are asked for: deterministic roots.
class CountingSalts {
 public:
  TranscriptSalt operator()() {
    TranscriptSalt salt{};
    salt.fill(static_cast<uint8_t>(++count_));
    return salt;
  }

 private:
  int count_ = 0;
};

inline TranscriptSalt FilledSalt(uint8_t byte) {
  TranscriptSalt salt{};
  salt.fill(byte);
  return salt;
}

inline Sha256Digest FilledDigest(uint8_t byte) {
  Sha256Digest digest{};
  digest.fill(byte);
  return digest;
}

// A model record as ParseModelStatement would give it, with one safetensors root.
inline ModelRecord WidgetRecord(std::optional<std::string> revision = "v1",
                                std::optional<HubSource> hub = std::nullopt) {
  ModelRecord record;
  record.identity = {.name = "acme/widget-7b", .revision = std::move(revision)};
  record.manifest.hub_source = std::move(hub);
  record.manifest.weights_roots.push_back(
      {.format = WeightFormat::kSafetensors, .root = FilledDigest(0xab), .tensor_count = 3});
  return record;
}

// The dotted path a reader's error names for a JSON pointer:
// "/predicate/metrics/0/name" -> "predicate.metrics[0].name".
inline std::string FieldPath(const std::string& pointer) {
  std::string path;
  for (size_t start = 1; start <= pointer.size();) {
    const size_t end = std::min(pointer.find('/', start), pointer.size());
    const std::string part = pointer.substr(start, end - start);
    const bool index = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    path += index ? "[" + part + "]" : (path.empty() ? "" : ".") + part;
    start = end + 1;
  }
  return path;
}

inline const std::string kModelRecordId = HexSha256("the model record's statement bytes");

}  // namespace assay::claim_testing
