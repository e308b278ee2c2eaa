#include "sign/utc_date.h"

#include <gtest/gtest.h>

namespace assay {
namespace {

TEST(UtcDate, ParsesRealDatesOnly) {
  EXPECT_EQ(UtcDate::Parse("20240229"), (UtcDate{2024, 2, 29}));
  EXPECT_FALSE(UtcDate::Parse("20230229").has_value());  // not a leap year
  EXPECT_FALSE(UtcDate::Parse("21000229").has_value());  // century, not a leap year
  EXPECT_TRUE(UtcDate::Parse("20000229").has_value());   // divisible by 400
  EXPECT_FALSE(UtcDate::Parse("20241301").has_value());
  EXPECT_FALSE(UtcDate::Parse("20240100").has_value());
  EXPECT_FALSE(UtcDate::Parse("19691231").has_value());
  EXPECT_FALSE(UtcDate::Parse("2024-01-01").has_value());
  EXPECT_FALSE(UtcDate::Parse("2024011").has_value());
  EXPECT_FALSE(UtcDate::Parse("2024o101").has_value());
}

TEST(UtcDate, UnixSecondsAtMidnightUtc) {
  EXPECT_EQ((UtcDate{1970, 1, 1}).ToUnixSeconds(), 0);
  EXPECT_EQ((UtcDate{2024, 1, 1}).ToUnixSeconds(), 1704067200);
  EXPECT_EQ((UtcDate{2000, 3, 1}).ToUnixSeconds(), 951868800);
  EXPECT_EQ(UtcDate::FromUnixSeconds(1704067199), (UtcDate{2023, 12, 31}));
  EXPECT_EQ(UtcDate::FromUnixSeconds(1704067200), (UtcDate{2024, 1, 1}));
  for (int64_t days = 0; days < 40000; days += 37) {
    UtcDate date = UtcDate::FromUnixSeconds(days * 86400 + 5);
    EXPECT_EQ(date.ToUnixSeconds(), days * 86400);
  }
}

TEST(UtcDate, Formats) {
  UtcDate date{2024, 3, 9};
  EXPECT_EQ(date.ToCompact(), "20240309");
  EXPECT_EQ(date.ToIso(), "2024-03-09");
  EXPECT_LT((UtcDate{2024, 3, 9}), (UtcDate{2024, 3, 10}));
}

}  // namespace
}  // namespace assay
