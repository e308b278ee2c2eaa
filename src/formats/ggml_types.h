// The tensor types a GGUF file can name (ggml's `enum ggml_type`) and how many
// bytes a tensor of each type occupies. ggml stores every type in blocks: a
// block holds `block_size` consecutive elements of the innermost dimension in
// `type_size` bytes (ggml.c `type_traits`, ggml-common.h `block_*` structs).
//
// The table is the one current ggml writes to GGUF files. Ids ggml retired
// (4, 5: Q4_2, Q4_3; 31-33: Q4_0_4_4, Q4_0_4_8, Q4_0_8_8; 36-38: IQ4_NL_4_4,
// IQ4_NL_4_8, IQ4_NL_8_8) are rejected with their old name, and ids above the
// table are unknown: neither can be sized, so neither can be hashed as a tensor.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "status.h"

namespace assay {

struct GgmlType {
  uint32_t id = 0;
  // The name gguf-py gives the type ("F16", "Q4_K", "IQ2_XXS"); GGUF tensor
  // entries use it as their dtype.
  std::string_view name;
  uint32_t block_size = 0;  // elements per block
  uint32_t type_size = 0;   // bytes per block
};

// The type with this id. kInvalidInput for a removed or unknown id, e.g.
// "ggml type 31 (Q4_0_4_4) was removed from gguf files" or "unknown ggml type 99".
Result<GgmlType> GgmlTypeFromId(uint32_t id);

// Every type the reader accepts, in id order (for tests and documentation).
std::span<const GgmlType> KnownGgmlTypes();

// The byte size of a tensor of `type` whose dimensions are `shape`, innermost
// first as GGUF stores them; an empty shape is a scalar of one element.
// kInvalidInput when the innermost dimension is not a whole number of blocks
// or the size does not fit in 64 bits. A tensor with a zero dimension has 0 bytes.
Result<uint64_t> GgmlTensorBytes(const GgmlType& type, std::span<const uint64_t> shape);

}  // namespace assay
