#include "formats/ggml_types.h"

#include <array>
#include <string>

namespace assay {
namespace {

constexpr uint32_t kQkK = 256;  // ggml-common.h QK_K, the super-block of the K and IQ types

// Block sizes and byte sizes from ggml.c's type_traits, each checked against
// the block struct in ggml-common.h and gguf-py's GGML_QUANT_SIZES.
constexpr std::array kGgmlTypes = {
    GgmlType{0, "F32", 1, 4},
    GgmlType{1, "F16", 1, 2},
    GgmlType{2, "Q4_0", 32, 2 + 16},
    GgmlType{3, "Q4_1", 32, 2 + 2 + 16},
    GgmlType{6, "Q5_0", 32, 2 + 4 + 16},
    GgmlType{7, "Q5_1", 32, 2 + 2 + 4 + 16},
    GgmlType{8, "Q8_0", 32, 2 + 32},
    GgmlType{9, "Q8_1", 32, 2 + 2 + 32},
    GgmlType{10, "Q2_K", kQkK, 2 + 2 + kQkK / 16 + kQkK / 4},
    GgmlType{11, "Q3_K", kQkK, 2 + kQkK / 4 + kQkK / 8 + 12},
    GgmlType{12, "Q4_K", kQkK, 2 + 2 + 12 + kQkK / 2},
    GgmlType{13, "Q5_K", kQkK, 2 + 2 + 12 + kQkK / 2 + kQkK / 8},
    GgmlType{14, "Q6_K", kQkK, 2 + kQkK / 2 + kQkK / 4 + kQkK / 16},
    GgmlType{15, "Q8_K", kQkK, 4 + kQkK + 2 * (kQkK / 16)},
    GgmlType{16, "IQ2_XXS", kQkK, 2 + kQkK / 4},
    GgmlType{17, "IQ2_XS", kQkK, 2 + kQkK / 4 + kQkK / 32},
    GgmlType{18, "IQ3_XXS", kQkK, 2 + 3 * kQkK / 8},
    GgmlType{19, "IQ1_S", kQkK, 2 + kQkK / 8 + kQkK / 16},
    GgmlType{20, "IQ4_NL", 32, 2 + 16},
    GgmlType{21, "IQ3_S", kQkK, 2 + kQkK / 4 + kQkK / 8 + kQkK / 32 + 4},
    GgmlType{22, "IQ2_S", kQkK, 2 + kQkK / 4 + kQkK / 16},
    GgmlType{23, "IQ4_XS", kQkK, 2 + 2 + kQkK / 64 + kQkK / 2},
    GgmlType{24, "I8", 1, 1},
    GgmlType{25, "I16", 1, 2},
    GgmlType{26, "I32", 1, 4},
    GgmlType{27, "I64", 1, 8},
    GgmlType{28, "F64", 1, 8},
    GgmlType{29, "IQ1_M", kQkK, kQkK / 8 + kQkK / 16 + kQkK / 32},
    GgmlType{30, "BF16", 1, 2},
    GgmlType{34, "TQ1_0", kQkK, 2 + kQkK / 64 + (kQkK - 4 * kQkK / 64) / 5},
    GgmlType{35, "TQ2_0", kQkK, 2 + kQkK / 4},
    GgmlType{39, "MXFP4", 32, 1 + 16},
    GgmlType{40, "NVFP4", 64, 4 + 32},
    GgmlType{41, "Q1_0", 128, 2 + 16},
    GgmlType{42, "Q2_0", 64, 2 + 16},
};

struct RemovedGgmlType {
  uint32_t id;
  std::string_view name;
};

// Ids ggml once used and no longer reads from GGUF files (ggml.h comments them out).
constexpr std::array kRemovedGgmlTypes = {
    RemovedGgmlType{4, "Q4_2"},        RemovedGgmlType{5, "Q4_3"},
    RemovedGgmlType{31, "Q4_0_4_4"},   RemovedGgmlType{32, "Q4_0_4_8"},
    RemovedGgmlType{33, "Q4_0_8_8"},   RemovedGgmlType{36, "IQ4_NL_4_4"},
    RemovedGgmlType{37, "IQ4_NL_4_8"}, RemovedGgmlType{38, "IQ4_NL_8_8"},
};

}  // namespace

Result<GgmlType> GgmlTypeFromId(uint32_t id) {
  for (const GgmlType& type : kGgmlTypes) {
    if (type.id == id) return type;
  }
  for (const RemovedGgmlType& removed : kRemovedGgmlTypes) {
    if (removed.id == id) {
      return Status::InvalidInput("ggml type " + std::to_string(id) + " (" +
                                  std::string(removed.name) + ") was removed from gguf files");
    }
  }
  return Status::InvalidInput("unknown ggml type " + std::to_string(id));
}

std::span<const GgmlType> KnownGgmlTypes() { return kGgmlTypes; }

Result<uint64_t> GgmlTensorBytes(const GgmlType& type, std::span<const uint64_t> shape) {
  // ggml gives a tensor with no dimensions one element (every ne[i] defaults to 1).
  const uint64_t row_elements = shape.empty() ? 1 : shape[0];
  if (row_elements % type.block_size != 0) {
    return Status::InvalidInput("innermost dimension " + std::to_string(row_elements) +
                                " is not a multiple of the " + std::string(type.name) +
                                " block size " + std::to_string(type.block_size));
  }
  for (uint64_t dimension : shape) {
    if (dimension == 0) return uint64_t{0};  // before multiplying, so no false overflow
  }
  uint64_t bytes = 0;
  bool overflow = __builtin_mul_overflow(row_elements / type.block_size, uint64_t{type.type_size}, &bytes);
  for (size_t i = 1; i < shape.size() && !overflow; ++i) {
    overflow = __builtin_mul_overflow(bytes, shape[i], &bytes);
  }
  if (overflow) return Status::InvalidInput("byte size overflows 64 bits");
  return bytes;
}

}  // namespace assay
