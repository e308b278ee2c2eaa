#include "utf8.h"

#include <gtest/gtest.h>

namespace assay {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("model.layers.0.weight"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
}

TEST(Utf8, RejectsMalformedText) {
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xc3"));               // truncated
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));           // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));       // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));   // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x28\xa1"));       // bad continuation
}

}  // namespace
}  // namespace assay
