// Fitting human output to the terminal's 80 columns (src/render/text.h).
#include <gtest/gtest.h>

#include "render/text.h"

namespace assay {
namespace {

TEST(FitToWidth, LeavesShortLinesAsTheyAre) {
  EXPECT_EQ(FitToWidth("a  b\n\nc\n", 10), "a  b\n\nc\n");
  EXPECT_EQ(FitToWidth("no line end", 80), "no line end");
}

TEST(FitToWidth, BreaksALongLineUnderItsValueColumn) {
  EXPECT_EQ(FitToWidth("label    one two three four five six seven eight nine\n", 40),
            "label    one two three four five six\n         seven eight nine\n");
  EXPECT_EQ(FitToWidth("  ok   verdict  acc REPRODUCED here and more\n", 40),
            "  ok   verdict  acc REPRODUCED here and\n                more\n");
}

TEST(FitToWidth, WithoutAValueColumnIndentsFourPastTheLine) {
  EXPECT_EQ(FitToWidth("  one two three four five\n", 14), "  one two\n      three\n      four\n      five\n");
}

TEST(FitToWidth, CountsCharactersNotBytes) {
  EXPECT_EQ(FitToWidth("0.8 ± 0.01 x\n", 12), "0.8 ± 0.01 x\n");
  EXPECT_EQ(DisplayWidth("0.8 ± 0.01"), 10u);
}

TEST(FitToWidth, KeepsQuotedCommandsWholeAndLongWordsAlone) {
  EXPECT_EQ(FitToWidth("see 'assay diff a b' now\n", 12), "see\n    'assay diff a b'\n    now\n");
  EXPECT_EQ(FitToWidth("the host's own words here\n", 12), "the host's\n    own\n    words\n    here\n");
  EXPECT_EQ(FitToWidth("a 0123456789abcdef b\n", 10), "a\n    0123456789abcdef\n    b\n");
}

TEST(FitToWidth, LeavesShellContinuationsAndUnbreakableLinesWhole) {
  EXPECT_EQ(FitToWidth("assay verify claim a b c d \\\n    --ledger e f g h\n", 10),
            "assay verify claim a b c d \\\n    --ledger e f g h\n");
  EXPECT_EQ(FitToWidth("0123456789abcdef\n", 8), "0123456789abcdef\n");
}

// A record's text may make a line of megabytes: fitting it stays linear.
TEST(FitToWidth, FitsAMegabyteLineInTime) {
  std::string line;
  for (int i = 0; i < 200'000; ++i) line += "word ";
  const std::string fitted = FitToWidth(line + "\n");
  EXPECT_EQ(fitted.find("\n"), 79u);  // "word word ...": 16 words less the last space
  for (size_t begin = 0, end; (end = fitted.find('\n', begin)) != std::string::npos; begin = end + 1) {
    ASSERT_LE(end - begin, 80u);
  }
}

TEST(ShellLines, BreaksACommandOutsideQuotesWithContinuations) {
  EXPECT_EQ(ShellLines("assay status 'a b c' --ledger /l", 2, 20), "  assay status \\\n      'a b c' \\\n      --ledger /l\n");
  EXPECT_EQ(ShellLines("assay log", 2), "  assay log\n");
  // A flag stays with its value.
  EXPECT_EQ(ShellLines("assay status m --ledger /l --json", 0, 20), "assay status m \\\n    --ledger /l \\\n    --json\n");
}

}  // namespace
}  // namespace assay
