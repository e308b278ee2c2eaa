// float -> bfloat16 as torch converts (round to nearest even), for building
// and predicting BF16 tensors in the model area's tests.
#pragma once

#include <bit>
#include <cstdint>

#include "model/tensor_decode.h"

namespace assay::model_testing {

inline uint16_t Bf16Bits(double x) {
  uint32_t bits = std::bit_cast<uint32_t>(float(x));
  bits += 0x7FFF + ((bits >> 16) & 1);
  return static_cast<uint16_t>(bits >> 16);
}

inline double RoundToBf16(double x) { return DecodeBf16(Bf16Bits(x)); }

}  // namespace assay::model_testing
