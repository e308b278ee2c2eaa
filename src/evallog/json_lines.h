// Reading a file line by line (JSON Lines: lm-evaluation-harness samples
// files, assay's JSONL transcripts) through the FileSystem seam, in chunks, so
// a file of any size costs memory for its longest line (or one batch) only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digest/thread_pool.h"
#include "file_system.h"
#include "status.h"

namespace assay {

// "16 MiB" for a limit of whole mebibytes, else "N bytes": how line-limit errors name it.
std::string DescribeLineLimit(uint64_t max_line_bytes);

// Calls `visit(line_number, line)` for each line in order, numbered from 1,
// without its "\n". A final line without "\n" is a line; a final "\n" does not
// start one. The view is valid during the call only. A line longer than
// `max_line_bytes` is kInvalidInput ("PATH: line 7 is longer than 16 MiB");
// read failures are kIo as the file reports them; an error from `visit` stops
// the reading and is returned as it is.
Status ForEachLine(const RandomAccessFile& file, uint64_t max_line_bytes,
                   const std::function<Status(uint64_t, std::string_view)>& visit);

// Files at least this large are parsed on every core (ForEachParsedLine).
inline constexpr uint64_t kParallelLinesMinBytes = uint64_t{4} << 20;

// ForEachLine split in two, so that the costly part runs on every core:
// `parse(line_number, line)` turns each line into a Row, on any thread and in
// any order (it must not touch shared state); `accept(line_number, row)` then
// takes the rows on the calling thread, in file order. An invalid-input error
// from either is returned as "PATH: line N: ..."; the first error in file
// order stops the reading.
template <typename Row>
Status ForEachParsedLine(const RandomAccessFile& file, uint64_t max_line_bytes,
                         const std::function<Result<Row>(uint64_t, std::string_view)>& parse,
                         const std::function<Status(uint64_t, Row)>& accept) {
  constexpr size_t kBatchLines = 4096;
  constexpr size_t kBatchBytes = 16 << 20;
  std::unique_ptr<ThreadPool> pool;
  if (file.size() >= kParallelLinesMinBytes) pool = std::make_unique<ThreadPool>();
  auto at_line = [&file](uint64_t line_number, const Status& status) {
    if (status.kind() != ErrorKind::kInvalidInput) return status;
    return status.WithContext(file.path() + ": line " + std::to_string(line_number));
  };

  std::vector<std::string> lines;
  uint64_t first_line = 1;
  size_t batch_bytes = 0;
  auto flush = [&]() -> Status {
    std::vector<std::optional<Result<Row>>> rows(lines.size());
    auto parse_range = [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) rows[i].emplace(parse(first_line + i, lines[i]));
    };
    const size_t tasks = pool ? std::min<size_t>(pool->size(), lines.size()) : 1;
    if (tasks <= 1) {
      parse_range(0, lines.size());
    } else {
      std::latch done(static_cast<std::ptrdiff_t>(tasks));
      for (size_t t = 0; t < tasks; ++t) {
        pool->Post([&, t] {
          parse_range(lines.size() * t / tasks, lines.size() * (t + 1) / tasks);
          done.count_down();
        });
      }
      done.wait();
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      Result<Row>& row = *rows[i];
      if (!row.ok()) return at_line(first_line + i, row.status());
      Status accepted = accept(first_line + i, std::move(row).value());
      if (!accepted.ok()) return at_line(first_line + i, accepted);
    }
    first_line += lines.size();
    lines.clear();
    batch_bytes = 0;
    return Status::Ok();
  };
  ASSAY_RETURN_IF_ERROR(ForEachLine(file, max_line_bytes, [&](uint64_t, std::string_view line) {
    lines.emplace_back(line);
    batch_bytes += line.size();
    return lines.size() >= kBatchLines || batch_bytes >= kBatchBytes ? flush() : Status::Ok();
  }));
  return flush();
}

}  // namespace assay
