#include "model/tensor_decode.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace assay {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

struct NamedType {
  std::string_view name;
  ElementTypeInfo info;
};

// Unit roundoff 2^-p, p counting the implicit bit.
constexpr NamedType kSafetensorsTypes[] = {
    {"BF16", {ElementType::kBf16, 2, 0x1p-8}},     {"F16", {ElementType::kF16, 2, 0x1p-11}},
    {"F32", {ElementType::kF32, 4, 0x1p-24}},      {"F64", {ElementType::kF64, 8, 0x1p-53}},
    {"F8_E4M3", {ElementType::kF8E4M3, 1, 0x1p-4}}, {"F8_E5M2", {ElementType::kF8E5M2, 1, 0x1p-3}},
    {"F8_E8M0", {ElementType::kF8E8M0, 1, 1.0 / 3}},
};
constexpr NamedType kGgufTypes[] = {
    {"F32", {ElementType::kF32, 4, 0x1p-24}},
    {"F16", {ElementType::kF16, 2, 0x1p-11}},
    {"BF16", {ElementType::kBf16, 2, 0x1p-8}},
    {"F64", {ElementType::kF64, 8, 0x1p-53}},
};

// Why a known but undecoded safetensors dtype is refused.
std::string_view SafetensorsRefusal(std::string_view name) {
  if (name == "F4" || name.starts_with("F6_")) {
    return "is a packed sub-byte MX type whose element order safetensors does not fix";
  }
  if (name == "C64") return "is complex";
  if (name == "BOOL") return "is boolean";
  return "is an integer type (packed or quantized weights have no element-wise value)";
}

template <typename Bits>
Bits LoadLittleEndian(const uint8_t* bytes) {
  Bits value = 0;
  for (size_t i = 0; i < sizeof(Bits); ++i) value = static_cast<Bits>(value | Bits(bytes[i]) << (8 * i));
  return value;
}

// A small float with `mantissa_bits` bits after the point and exponent bias
// `bias`, given its biased exponent and mantissa (not all-ones exponent).
double SmallFloat(bool negative, uint32_t exponent, uint32_t mantissa, int mantissa_bits, int bias) {
  // Subnormals (exponent 0) have no implicit bit and the exponent of 1.
  double significand = exponent == 0 ? double(mantissa) : double((1u << mantissa_bits) | mantissa);
  int power = (exponent == 0 ? 1 : int(exponent)) - bias - mantissa_bits;
  double value = std::ldexp(significand, power);
  return negative ? -value : value;
}

}  // namespace

Result<ElementTypeInfo> DecodableElementType(std::string_view prefixed_dtype) {
  const size_t colon = prefixed_dtype.find(':');
  const std::string_view format = prefixed_dtype.substr(0, colon);
  const std::string_view name = colon == std::string_view::npos ? "" : prefixed_dtype.substr(colon + 1);
  auto refuse = [&](std::string_view why) {
    return Status::InvalidInput("dtype " + std::string(prefixed_dtype) + " " + std::string(why) +
                                " and is not decoded");
  };
  if (format == "safetensors") {
    for (const NamedType& type : kSafetensorsTypes) {
      if (type.name == name) return type.info;
    }
    return refuse(SafetensorsRefusal(name));
  }
  if (format == "gguf") {
    for (const NamedType& type : kGgufTypes) {
      if (type.name == name) return type.info;
    }
    return refuse(name.starts_with("I") && !name.starts_with("IQ")
                      ? "is an integer type"
                      : "is block-quantized (its values need the per-block scales)");
  }
  return refuse("belongs to no tensor format assay reads");
}

double DecodeBf16(uint16_t bits) { return double(std::bit_cast<float>(uint32_t{bits} << 16)); }

double DecodeF16(uint16_t bits) {
  const bool negative = bits >> 15;
  const uint32_t exponent = bits >> 10 & 0x1F;
  const uint32_t mantissa = bits & 0x3FF;
  if (exponent == 0x1F) return mantissa != 0 ? kNaN : (negative ? -kInfinity : kInfinity);
  return SmallFloat(negative, exponent, mantissa, 10, 15);
}

double DecodeF8E4M3(uint8_t bits) {
  const bool negative = bits >> 7;
  const uint32_t exponent = bits >> 3 & 0xF;
  const uint32_t mantissa = bits & 0x7;
  // The "fn" variant spends no codes on infinity: only S.1111.111 is NaN.
  if (exponent == 0xF && mantissa == 0x7) return kNaN;
  return SmallFloat(negative, exponent, mantissa, 3, 7);
}

double DecodeF8E5M2(uint8_t bits) {
  const bool negative = bits >> 7;
  const uint32_t exponent = bits >> 2 & 0x1F;
  const uint32_t mantissa = bits & 0x3;
  if (exponent == 0x1F) return mantissa != 0 ? kNaN : (negative ? -kInfinity : kInfinity);
  return SmallFloat(negative, exponent, mantissa, 2, 15);
}

double DecodeF8E8M0(uint8_t bits) { return bits == 0xFF ? kNaN : std::ldexp(1.0, int(bits) - 127); }

void DecodeElements(ElementType type, std::span<const uint8_t> bytes, std::span<double> out) {
  const uint8_t* in = bytes.data();
  const size_t count = out.size();
  switch (type) {
    case ElementType::kBf16:
      for (size_t i = 0; i < count; ++i) out[i] = DecodeBf16(LoadLittleEndian<uint16_t>(in + 2 * i));
      return;
    case ElementType::kF16:
      for (size_t i = 0; i < count; ++i) out[i] = DecodeF16(LoadLittleEndian<uint16_t>(in + 2 * i));
      return;
    case ElementType::kF32:
      for (size_t i = 0; i < count; ++i) {
        out[i] = double(std::bit_cast<float>(LoadLittleEndian<uint32_t>(in + 4 * i)));
      }
      return;
    case ElementType::kF64:
      for (size_t i = 0; i < count; ++i) out[i] = std::bit_cast<double>(LoadLittleEndian<uint64_t>(in + 8 * i));
      return;
    case ElementType::kF8E4M3:
      for (size_t i = 0; i < count; ++i) out[i] = DecodeF8E4M3(in[i]);
      return;
    case ElementType::kF8E5M2:
      for (size_t i = 0; i < count; ++i) out[i] = DecodeF8E5M2(in[i]);
      return;
    case ElementType::kF8E8M0:
      for (size_t i = 0; i < count; ++i) out[i] = DecodeF8E8M0(in[i]);
      return;
  }
}

}  // namespace assay
