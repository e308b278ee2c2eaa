#include "evallog/json_lines.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace assay {
namespace {

// Lines "0" to "count - 1", as many bytes as the parallel reading needs and
// many batches of it.
std::string NumberLines(size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += std::to_string(i) + std::string(600, ' ') + "\n";
  return text;
}

constexpr size_t kLines = 5000;  // about 3 MiB: parsed on every core, in 10 batches or more

struct NumbersRead {
  Status status;
  std::vector<uint64_t> accepted;  // the numbers, in the order accept saw them
};

NumbersRead ReadNumberLines(const std::string& path, uint64_t max_line_bytes, uint64_t bad_parse_line = 0,
                 uint64_t bad_accept_line = 0) {
  std::unique_ptr<RandomAccessFile> file = std::move(LocalFileSystem().OpenForRead(path).value());
  NumbersRead result;
  result.status = ForEachParsedLine<uint64_t>(
      *file, max_line_bytes,
      [&](uint64_t line_number, std::string_view line) -> Result<uint64_t> {
        if (line_number == bad_parse_line) return Status::InvalidInput("cannot parse");
        return std::stoull(std::string(line));
      },
      [&](uint64_t line_number, uint64_t value) {
        if (line_number == bad_accept_line) return Status::InvalidInput("cannot accept");
        result.accepted.push_back(value);
        return Status::Ok();
      });
  return result;
}

TEST(ForEachParsedLine, AcceptsEveryRowInFileOrder) {
  ScratchDir dir;
  const std::string path = dir.Write("lines", NumberLines(kLines));
  const NumbersRead result = ReadNumberLines(path, 1 << 20);
  ASSERT_TRUE(result.status.ok()) << result.status.message();
  ASSERT_EQ(result.accepted.size(), kLines);
  for (size_t i = 0; i < kLines; ++i) ASSERT_EQ(result.accepted[i], i);
}

TEST(ForEachParsedLine, TheFirstErrorInFileOrderStopsTheReading) {
  ScratchDir dir;
  std::string text = NumberLines(kLines);
  const std::string path = dir.Write("lines", text);
  // A parse error: the rows before it are accepted, none after.
  NumbersRead result = ReadNumberLines(path, 1 << 20, /*bad_parse_line=*/3001);
  EXPECT_EQ(result.status.message(), path + ": line 3001: cannot parse");
  EXPECT_EQ(result.accepted.size(), 3000u);
  // An accept error, the same.
  result = ReadNumberLines(path, 1 << 20, 0, /*bad_accept_line=*/4500);
  EXPECT_EQ(result.status.message(), path + ": line 4500: cannot accept");
  EXPECT_EQ(result.accepted.size(), 4499u);
  // A parse error in a batch still being parsed comes before a line too
  // long that the reading meets in the next batch.
  const std::string long_line = dir.Write("long", text + std::string(5000, '9') + "\n");
  result = ReadNumberLines(long_line, 4096, /*bad_parse_line=*/kLines - 1);
  EXPECT_EQ(result.status.message(), long_line + ": line " + std::to_string(kLines - 1) + ": cannot parse");
  // Without it, the long line is the error, after every row before it.
  result = ReadNumberLines(long_line, 4096);
  EXPECT_EQ(result.status.message(), long_line + ": line " + std::to_string(kLines + 1) + " is longer than 4096 bytes");
  EXPECT_EQ(result.accepted.size(), kLines);
}

}  // namespace
}  // namespace assay
