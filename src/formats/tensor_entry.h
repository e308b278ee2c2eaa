// One tensor as a weight file stores it: what every format reader yields and
// what the weights root (docs/spec/weights-root.md) is computed over.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace assay {

struct TensorEntry {
  std::string name;
  // The format's own dtype name without the format prefix ("BF16", "Q4_K");
  // the manifest adds the prefix ("safetensors:BF16", "gguf:Q4_K").
  std::string dtype;
  // Dimensions in the order the file stores them (GGUF: innermost first).
  std::vector<uint64_t> shape;
  // Absolute byte range [offset, offset + size) within the file.
  uint64_t offset = 0;
  uint64_t size = 0;
};

// The number of elements of a tensor of this shape (1 for a scalar's empty shape).
inline uint64_t ElementCount(const std::vector<uint64_t>& shape) {
  uint64_t count = 1;
  for (uint64_t dimension : shape) count *= dimension;
  return count;
}

}  // namespace assay
