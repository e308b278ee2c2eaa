#include "model/tensor_decode.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace assay {
namespace {

using ::testing::HasSubstr;

// -0 is equal to 0, so sign checks go through signbit.
void ExpectNegativeZero(double value) {
  EXPECT_EQ(value, 0.0);
  EXPECT_TRUE(std::signbit(value));
}

TEST(TensorDecodeTest, Bf16BitPatterns) {
  EXPECT_EQ(DecodeBf16(0x3F80), 1.0);
  EXPECT_EQ(DecodeBf16(0x3F81), 1.0 + 0x1p-7);  // one ulp above 1
  EXPECT_EQ(DecodeBf16(0xC000), -2.0);
  EXPECT_EQ(DecodeBf16(0x0001), 0x1p-133);  // smallest subnormal: 2^-126 * 2^-7
  EXPECT_EQ(DecodeBf16(0x0080), 0x1p-126);  // smallest normal
  EXPECT_EQ(DecodeBf16(0x7F7F), 0x1.FEp127);  // largest finite
  EXPECT_EQ(DecodeBf16(0x7F80), INFINITY);
  EXPECT_EQ(DecodeBf16(0xFF80), -INFINITY);
  EXPECT_TRUE(std::isnan(DecodeBf16(0x7FC0)));
  EXPECT_TRUE(std::isnan(DecodeBf16(0xFF81)));
  ExpectNegativeZero(DecodeBf16(0x8000));
}

TEST(TensorDecodeTest, F16BitPatterns) {
  EXPECT_EQ(DecodeF16(0x3C00), 1.0);
  EXPECT_EQ(DecodeF16(0xC000), -2.0);
  EXPECT_EQ(DecodeF16(0x3555), 0x1.554p-2);  // 0.333251953125, the f16 nearest 1/3
  EXPECT_EQ(DecodeF16(0x0001), 0x1p-24);     // smallest subnormal
  EXPECT_EQ(DecodeF16(0x03FF), 1023 * 0x1p-24);  // largest subnormal
  EXPECT_EQ(DecodeF16(0x0400), 0x1p-14);     // smallest normal
  EXPECT_EQ(DecodeF16(0x7BFF), 65504.0);     // largest finite
  EXPECT_EQ(DecodeF16(0x7C00), INFINITY);
  EXPECT_EQ(DecodeF16(0xFC00), -INFINITY);
  EXPECT_TRUE(std::isnan(DecodeF16(0x7E00)));
  EXPECT_TRUE(std::isnan(DecodeF16(0x7C01)));
  ExpectNegativeZero(DecodeF16(0x8000));
}

TEST(TensorDecodeTest, F8E4M3BitPatterns) {
  EXPECT_EQ(DecodeF8E4M3(0x38), 1.0);    // 0 0111 000
  EXPECT_EQ(DecodeF8E4M3(0xC0), -2.0);   // 1 1000 000
  EXPECT_EQ(DecodeF8E4M3(0x7E), 448.0);  // 0 1111 110: the largest, 2^8 * 1.75
  EXPECT_EQ(DecodeF8E4M3(0x78), 256.0);  // exponent all ones is still finite here
  EXPECT_EQ(DecodeF8E4M3(0x01), 0x1p-9);  // smallest subnormal: 1/8 * 2^-6
  EXPECT_EQ(DecodeF8E4M3(0x07), 7 * 0x1p-9);
  EXPECT_EQ(DecodeF8E4M3(0x08), 0x1p-6);  // smallest normal
  EXPECT_TRUE(std::isnan(DecodeF8E4M3(0x7F)));
  EXPECT_TRUE(std::isnan(DecodeF8E4M3(0xFF)));
  ExpectNegativeZero(DecodeF8E4M3(0x80));
}

TEST(TensorDecodeTest, F8E5M2BitPatterns) {
  EXPECT_EQ(DecodeF8E5M2(0x3C), 1.0);      // 0 01111 00
  EXPECT_EQ(DecodeF8E5M2(0xBE), -1.5);     // 1 01111 10
  EXPECT_EQ(DecodeF8E5M2(0x7B), 57344.0);  // 0 11110 11: the largest, 2^15 * 1.75
  EXPECT_EQ(DecodeF8E5M2(0x01), 0x1p-16);  // smallest subnormal: 1/4 * 2^-14
  EXPECT_EQ(DecodeF8E5M2(0x04), 0x1p-14);  // smallest normal
  EXPECT_EQ(DecodeF8E5M2(0x7C), INFINITY);
  EXPECT_EQ(DecodeF8E5M2(0xFC), -INFINITY);
  EXPECT_TRUE(std::isnan(DecodeF8E5M2(0x7D)));
  EXPECT_TRUE(std::isnan(DecodeF8E5M2(0xFF)));
  ExpectNegativeZero(DecodeF8E5M2(0x80));
}

TEST(TensorDecodeTest, F8E8M0BitPatterns) {
  EXPECT_EQ(DecodeF8E8M0(0x7F), 1.0);
  EXPECT_EQ(DecodeF8E8M0(0x80), 2.0);
  EXPECT_EQ(DecodeF8E8M0(0x00), 0x1p-127);
  EXPECT_EQ(DecodeF8E8M0(0xFE), 0x1p127);
  EXPECT_TRUE(std::isnan(DecodeF8E8M0(0xFF)));
}

TEST(TensorDecodeTest, DecodesLittleEndianRunsOfEveryType) {
  std::vector<double> out(2);
  const std::vector<uint8_t> bf16 = {0x80, 0x3F, 0x00, 0xC0};
  DecodeElements(ElementType::kBf16, bf16, out);
  EXPECT_EQ(out, (std::vector<double>{1.0, -2.0}));
  const std::vector<uint8_t> f16 = {0x00, 0x3C, 0x01, 0x00};
  DecodeElements(ElementType::kF16, f16, out);
  EXPECT_EQ(out, (std::vector<double>{1.0, 0x1p-24}));
  const std::vector<uint8_t> f32 = {0x00, 0x00, 0x80, 0x3F, 0x01, 0x00, 0x00, 0x80};  // 1, -2^-149
  DecodeElements(ElementType::kF32, f32, out);
  EXPECT_EQ(out, (std::vector<double>{1.0, -0x1p-149}));
  const std::vector<uint8_t> f64 = {0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 1, 0, 0, 0, 0, 0, 0, 0};  // 1, 2^-1074
  DecodeElements(ElementType::kF64, f64, out);
  EXPECT_EQ(out, (std::vector<double>{1.0, 0x1p-1074}));
  const std::vector<uint8_t> f8 = {0x38, 0x7E};
  DecodeElements(ElementType::kF8E4M3, f8, out);
  EXPECT_EQ(out, (std::vector<double>{1.0, 448.0}));
  const std::vector<uint8_t> e5m2 = {0x38, 0x7B};
  DecodeElements(ElementType::kF8E5M2, e5m2, out);
  EXPECT_EQ(out, (std::vector<double>{0.5, 57344.0}));
  const std::vector<uint8_t> e8m0 = {0x7F, 0x81};
  DecodeElements(ElementType::kF8E8M0, e8m0, out);
  EXPECT_EQ(out, (std::vector<double>{1.0, 4.0}));
}

TEST(TensorDecodeTest, KnowsTheFloatTypesOfBothFormats) {
  Result<ElementTypeInfo> bf16 = DecodableElementType("safetensors:BF16");
  ASSERT_TRUE(bf16.ok());
  EXPECT_EQ(bf16->type, ElementType::kBf16);
  EXPECT_EQ(bf16->bytes, 2u);
  EXPECT_EQ(bf16->unit_roundoff, 0x1p-8);
  EXPECT_EQ(DecodableElementType("safetensors:F8_E4M3")->bytes, 1u);
  EXPECT_EQ(DecodableElementType("safetensors:F64")->unit_roundoff, 0x1p-53);
  EXPECT_EQ(DecodableElementType("gguf:F16")->type, ElementType::kF16);
  EXPECT_EQ(DecodableElementType("gguf:BF16")->type, ElementType::kBf16);
}

TEST(TensorDecodeTest, RefusesWhatHasNoElementWiseValueSayingWhy) {
  EXPECT_EQ(DecodableElementType("safetensors:I32").status().message(),
            "dtype safetensors:I32 is an integer type (packed or quantized weights have no element-wise value) "
            "and is not decoded");
  EXPECT_THAT(DecodableElementType("safetensors:F4").status().message(), HasSubstr("sub-byte"));
  EXPECT_THAT(DecodableElementType("safetensors:C64").status().message(), HasSubstr("complex"));
  EXPECT_THAT(DecodableElementType("gguf:Q4_K").status().message(),
              HasSubstr("dtype gguf:Q4_K is block-quantized"));
  EXPECT_THAT(DecodableElementType("gguf:IQ2_XXS").status().message(), HasSubstr("block-quantized"));
  EXPECT_THAT(DecodableElementType("gguf:I8").status().message(), HasSubstr("integer"));
  EXPECT_EQ(DecodableElementType("other:F32").status().kind(), ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace assay
