// A strict reader for GGUF v2 and v3 files (ggml docs/gguf.md), the format
// llama.cpp and ggml load. It reads the header, the metadata and the tensor
// table, and locates every tensor's bytes; it never reads tensor data.
// docs/spec/gguf.md lists what it accepts and rejects, and why.
//
// Input is hostile: every count and size is checked against the bytes left in
// the file before anything is allocated, and the part before the tensor data
// may be at most kGgufMaxHeaderBytes. Errors are kInvalidInput naming the file
// ("model.gguf: tensor 'output.weight': offset 100 is not a multiple of the
// alignment 32"), or kIo from the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "file_system.h"
#include "formats/tensor_entry.h"
#include "status.h"

namespace assay {

// The metadata value types; the numbers are the ones stored in the file.
enum class GgufValueType : uint32_t {
  kUint8 = 0,
  kInt8 = 1,
  kUint16 = 2,
  kInt16 = 3,
  kUint32 = 4,
  kInt32 = 5,
  kFloat32 = 6,
  kBool = 7,
  kString = 8,
  kArray = 9,
  kUint64 = 10,
  kInt64 = 11,
  kFloat64 = 12,
};

// "uint8" … "float64", as error messages name the types.
std::string_view GgufValueTypeName(GgufValueType type);

// An array value: one element type, any number of elements. Arrays of scalars
// are stored compactly; strings keep their bytes exactly as stored (GGUF says
// UTF-8, the reader does not check values); arrays may nest.
struct GgufArray {
  // The alternative's index is the element's GgufValueType.
  using Elements = std::variant<std::vector<uint8_t>, std::vector<int8_t>, std::vector<uint16_t>,
                                std::vector<int16_t>, std::vector<uint32_t>, std::vector<int32_t>,
                                std::vector<float>, std::vector<bool>, std::vector<std::string>,
                                std::vector<GgufArray>, std::vector<uint64_t>,
                                std::vector<int64_t>, std::vector<double>>;
  Elements elements;

  GgufValueType element_type() const { return static_cast<GgufValueType>(elements.index()); }
  size_t size() const;
};

// A metadata value of any GGUF type.
struct GgufValue {
  // The alternative's index is the value's GgufValueType.
  using Variant = std::variant<uint8_t, int8_t, uint16_t, int16_t, uint32_t, int32_t, float, bool,
                               std::string, GgufArray, uint64_t, int64_t, double>;
  Variant value;

  GgufValueType type() const { return static_cast<GgufValueType>(value.index()); }
};

struct GgufFile {
  uint32_t version = 0;    // 2 or 3
  uint64_t alignment = 0;  // general.alignment, or 32 when the key is absent
  // Every key/value pair, in file order; keys are unique, non-empty UTF-8.
  std::vector<std::pair<std::string, GgufValue>> metadata;
  // In file order. dtype is the ggml type name ("F16", "Q4_K"); shape is
  // innermost dimension first, as stored; offset is absolute in the file.
  // Names are unique; byte ranges lie inside the file and do not overlap.
  std::vector<TensorEntry> tensors;
  // Where the tensor data section starts: the end of the tensor table rounded
  // up to `alignment`. A file with no tensors has no padding, so this is the
  // end of the metadata (the file size, for a well-formed one).
  uint64_t data_start = 0;

  // The value of `key`, or nullptr.
  const GgufValue* FindMetadata(std::string_view key) const;
};

// Limits against hostile input (docs/spec/gguf.md says why these numbers).
inline constexpr uint64_t kGgufMaxHeaderBytes = uint64_t{128} << 20;  // header, metadata, tensor table
inline constexpr uint64_t kGgufMaxNameBytes = 65535;                 // a key or a tensor name
inline constexpr int kGgufMaxArrayDepth = 8;                         // arrays inside arrays

// Reads the header, metadata and tensor table of `file`, through a small
// buffer (never the whole file), and checks every rule in docs/spec/gguf.md.
Result<GgufFile> ReadGguf(const RandomAccessFile& file);

}  // namespace assay
