#include "sign/base64.h"

#include <gtest/gtest.h>

#include "sign/bytes.h"

namespace assay {
namespace {

TEST(Base64, EncodesStandardPadded) {
  EXPECT_EQ(EncodeBase64(std::string_view("")), "");
  EXPECT_EQ(EncodeBase64(std::string_view("f")), "Zg==");
  EXPECT_EQ(EncodeBase64(std::string_view("\xfb\xff")), "+/8=");
  EXPECT_EQ(EncodeBase64Unpadded(AsBytes("f")), "Zg");
  EXPECT_EQ(Base64EncodedLength(158), 212u);
}

TEST(Base64, StrictDecodeWantsStandardPadded) {
  EXPECT_EQ(*DecodeBase64("+/8="), "\xfb\xff");
  EXPECT_FALSE(DecodeBase64("+/8").ok());    // padding missing
  EXPECT_FALSE(DecodeBase64("-_8=").ok());   // URL-safe alphabet
  EXPECT_FALSE(DecodeBase64("Zg= =").ok());  // white space
  EXPECT_FALSE(DecodeBase64("Zh==").ok());   // non-zero trailing bits
  EXPECT_FALSE(DecodeBase64("Zg===").ok());
  EXPECT_EQ(DecodeBase64("!!!!").status().kind(), ErrorKind::kInvalidInput);
}

TEST(Base64, DsseDecodeAcceptsEveryVariant) {
  for (std::string_view text : {"+/8=", "+/8", "-_8=", "-_8"}) {
    Result<std::string> bytes = DecodeBase64AnyVariant(text);
    ASSERT_TRUE(bytes.ok()) << text;
    EXPECT_EQ(*bytes, "\xfb\xff") << text;
  }
  EXPECT_FALSE(DecodeBase64AnyVariant("+_8=").ok());  // two alphabets mixed
  EXPECT_FALSE(DecodeBase64AnyVariant("Zg=").ok());   // incomplete padding
  EXPECT_FALSE(DecodeBase64AnyVariant("Z").ok());
}

TEST(Base64, DecodeIntoNeedsTheExactSize) {
  std::array<uint8_t, 2> out{};
  EXPECT_TRUE(DecodeBase64Into("+/8=", out).ok());
  EXPECT_EQ(out[0], 0xfb);
  std::array<uint8_t, 3> larger{};
  EXPECT_FALSE(DecodeBase64Into("+/8=", larger).ok());
  std::array<uint8_t, 1> smaller{};
  EXPECT_FALSE(DecodeBase64Into("+/8=", smaller).ok());
}

}  // namespace
}  // namespace assay
