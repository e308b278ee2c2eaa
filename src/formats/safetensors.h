// A strict reader for the header of a safetensors file (docs/spec/safetensors.md).
//
// The file is an 8-byte little-endian header length N, N bytes of UTF-8 JSON
// (a JSON object, optionally padded with trailing spaces), then the data area,
// which the tensors must cover exactly. The reader reads only the prefix and
// the header, never tensor bytes, and checks every offset against the file
// size, so a caller may read [offset, offset + size) of each tensor without
// further checks.
//
// Errors: malformed input is kInvalidInput, named with the file's path and the
// first problem found ("model.safetensors: tensors 'a' and 'b' overlap");
// read failures are kIo, as the file reported them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "file_system.h"
#include "formats/tensor_entry.h"
#include "status.h"

namespace assay {

// The reference implementation's limit (huggingface/safetensors, MAX_HEADER_SIZE).
inline constexpr uint64_t kSafetensorsMaxHeaderLength = 100'000'000;

// One element type as the reference implementation names it. Sub-byte types
// (F4 is 4 bits, F6_* are 6) pack elements without padding, so a tensor of
// them is valid only when its element count fills whole bytes.
struct SafetensorsDtype {
  std::string_view name;
  uint32_t bits = 0;
};

// The dtype called `name` (case-sensitive, exactly as the reference spells
// it), or nullopt when the reference does not know it.
std::optional<SafetensorsDtype> FindSafetensorsDtype(std::string_view name);

struct SafetensorsHeader {
  uint64_t header_length = 0;  // N, from the 8-byte prefix
  uint64_t data_start = 0;     // 8 + N: where the data area begins
  // "__metadata__": string keys to string values; empty when absent or null.
  std::map<std::string, std::string> metadata;
  // Sorted by offset (then size, then name, for empty tensors sharing an
  // offset); offsets are absolute in the file. Consecutive tensors touch: the
  // data area [data_start, file size) is covered exactly, with no gap or overlap.
  std::vector<TensorEntry> tensors;
};

// Reads and validates the prefix and the header through file.ReadExactly.
Result<SafetensorsHeader> ReadSafetensorsHeader(const RandomAccessFile& file);

}  // namespace assay
