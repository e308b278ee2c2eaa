// Turns stored tensor elements into doubles, for weight forensics
// (docs/forensics.md). Only floating-point element types whose bytes are one
// value each are decoded:
//
//   safetensors  BF16, F16, F32, F64, F8_E4M3, F8_E5M2, F8_E8M0
//   gguf         F32, F16, BF16, F64
//
// Everything else is refused by name, with the reason: integer types (a
// packed or quantized weight has no element-wise value without its scales),
// the sub-byte MX types F4 and F6_* (their packing order is not fixed by the
// safetensors format), complex C64, BOOL, and ggml's block-quantized types
// (Q4_K, IQ2_XXS, ...), whose values exist only together with per-block scales.
//
// Element layouts follow the formats the names come from: BF16 is the top half
// of an IEEE binary32; F16 is IEEE binary16; F8_E4M3 is OCP FP8 E4M3 ("fn":
// bias 7, no infinities, S.1111.111 is NaN, largest 448); F8_E5M2 is OCP FP8
// E5M2 (bias 15, IEEE-style infinities and NaNs); F8_E8M0 is the OCP MX scale
// type (2^(e-127), no sign, no zero, 0xFF is NaN). All are little-endian.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "status.h"

namespace assay {

enum class ElementType { kBf16, kF16, kF32, kF64, kF8E4M3, kF8E5M2, kF8E8M0 };

struct ElementTypeInfo {
  ElementType type = ElementType::kF32;
  uint32_t bytes = 0;  // per element
  // The largest relative error of rounding a real number to this type (the unit
  // roundoff, 2^-p for p significand bits): what rounding noise is measured
  // against. F8_E8M0 holds powers of two only, so its bound is 1/3: halfway
  // between 2^e and 2^(e+1) in the middle, relative to the nearer one.
  double unit_roundoff = 0;
};

// The element type of a manifest dtype ("safetensors:BF16", "gguf:F16").
// kInvalidInput saying why for a dtype that is not decoded, for example
// "dtype gguf:Q4_K is block-quantized and is not decoded".
Result<ElementTypeInfo> DecodableElementType(std::string_view prefixed_dtype);

// Decodes out.size() elements from `bytes`, which must hold exactly
// out.size() * bytes-per-element bytes. NaNs and infinities are kept.
void DecodeElements(ElementType type, std::span<const uint8_t> bytes, std::span<double> out);

// One element, exposed for tests of the bit patterns.
double DecodeBf16(uint16_t bits);
double DecodeF16(uint16_t bits);
double DecodeF8E4M3(uint8_t bits);
double DecodeF8E5M2(uint8_t bits);
double DecodeF8E8M0(uint8_t bits);

}  // namespace assay
