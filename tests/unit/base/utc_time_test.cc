// ISO 8601 instants as eval logs write them, and the UTC form records keep.
#include "utc_time.h"

#include <gtest/gtest.h>

namespace assay {
namespace {

TEST(UtcTime, FormatsAndParsesTheFormsLogsWrite) {
  EXPECT_EQ(FormatUtcTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtcTime(1783526520), "2026-07-08T16:02:00Z");  // the real lm-eval run's "date", floored
  EXPECT_EQ(FormatUtcTime(951782400), "2000-02-29T00:00:00Z");
  EXPECT_EQ(ParseIsoTime("2026-07-08T16:02:00Z"), 1783526520);
  EXPECT_EQ(ParseIsoTime("2024-11-05T13:31:45-05:00"), ParseIsoTime("2024-11-05T18:31:45Z"));  // Inspect's eval.created
  EXPECT_EQ(ParseIsoTime("2024-11-05 18:31:45.912345+00:00"), ParseIsoTime("2024-11-05T18:31:45Z"));
  EXPECT_EQ(ParseIsoTime("1969-12-31T23:59:59Z"), -1);
  EXPECT_EQ(FormatUtcTime(-1), "1969-12-31T23:59:59Z");
  for (int64_t t : {int64_t{0}, int64_t{86399}, int64_t{1772600767}, int64_t{4102444800}}) {
    EXPECT_EQ(ParseIsoTime(FormatUtcTime(t)), t);
  }
}

TEST(UtcTime, RefusesWhatNamesNoInstant) {
  for (const char* text : {"", "2026-07-08", "2026-07-08T16:02:00", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                           "2026-07-08T24:00:00Z", "2026-07-08T16:02:00.Z", "2026-07-08T16:02:00+0500",
                           "2026-07-08T16:02:00Zjunk", "2026/07/08T16:02:00Z", "20x6-07-08T16:02:00Z"}) {
    EXPECT_EQ(ParseIsoTime(text), std::nullopt) << text;
  }
}

}  // namespace
}  // namespace assay
