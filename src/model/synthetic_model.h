// Writes a synthetic Llama-shaped safetensors model (config.json, shards,
// model.safetensors.index.json) with deterministic pseudo-random BF16 weights:
// the demo's sample model, the benchmark's 2 GiB folder and test fixtures.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "status.h"

namespace assay {

struct SyntheticModelSpec {
  std::string model_type = "llama";
  uint64_t vocab = 256;
  uint64_t hidden = 64;
  uint64_t kv_hidden = 16;
  uint64_t intermediate = 172;
  uint64_t layers = 2;
  uint64_t shards = 1;
  uint64_t seed = 1;
  // Tensors whose bytes come from a different seed: a "re-upload" that changed them.
  std::vector<std::string> changed_tensors;
};

// About 2 GiB of weights in 4 shards, with realistic shapes (a 1B-class Llama).
SyntheticModelSpec BenchmarkModelSpec();

// The tensor names and shapes of `spec`, in the order they are written.
struct SyntheticTensor {
  std::string name;
  std::vector<uint64_t> shape;
};
std::vector<SyntheticTensor> SyntheticTensors(const SyntheticModelSpec& spec);

// Creates `folder` if needed and writes the model into it. kIo on failure.
Status WriteSyntheticModel(const std::string& folder, const SyntheticModelSpec& spec);

}  // namespace assay
