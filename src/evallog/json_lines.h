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
inline constexpr uint64_t kParallelLinesMinBytes = uint64_t{256} << 10;

// ForEachLine split in two, so that the costly part runs on every core:
// `parse(line_number, line)` turns each line into a Row, on any thread and in
// any order (it must not touch shared state); `accept(line_number, row)` then
// takes the rows on the calling thread, in file order, while the next batch
// of lines is parsed. An invalid-input error from either is returned as
// "PATH: line N: ..."; the first error in file order stops the reading (rows
// before it are accepted, none after it).
template <typename Row>
Status ForEachParsedLine(const RandomAccessFile& file, uint64_t max_line_bytes,
                         const std::function<Result<Row>(uint64_t, std::string_view)>& parse,
                         const std::function<Status(uint64_t, Row)>& accept) {
  constexpr size_t kBatchLines = 512;
  constexpr size_t kBatchBytes = 4 << 20;
  auto at_line = [&file](uint64_t line_number, const Status& status) {
    if (status.kind() != ErrorKind::kInvalidInput) return status;
    return status.WithContext(file.path() + ": line " + std::to_string(line_number));
  };

  // Two batches at a time: while the pool parses one, this thread reads the
  // next and accepts the one before, so the in-order part overlaps the
  // parsing instead of leaving the other cores idle.
  struct Batch {
    uint64_t first_line = 1;
    std::vector<std::string> lines;
    std::vector<std::optional<Result<Row>>> rows;
    std::unique_ptr<std::latch> parsed;  // null when parsed on this thread
  };
  Batch reading;
  std::optional<Batch> parsing;
  size_t reading_bytes = 0;
  auto parse_range = [&parse](Batch& batch, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) batch.rows[i].emplace(parse(batch.first_line + i, batch.lines[i]));
  };
  // Declared after what its tasks use, so that on any return it finishes
  // them before those are gone.
  std::unique_ptr<ThreadPool> pool;
  if (file.size() >= kParallelLinesMinBytes) pool = std::make_unique<ThreadPool>();

  auto accept_parsed = [&]() -> Status {
    if (!parsing) return Status::Ok();
    if (parsing->parsed) parsing->parsed->wait();
    Batch batch = std::move(*parsing);
    parsing.reset();
    for (size_t i = 0; i < batch.rows.size(); ++i) {
      Result<Row>& row = *batch.rows[i];
      if (!row.ok()) return at_line(batch.first_line + i, row.status());
      Status accepted = accept(batch.first_line + i, std::move(row).value());
      if (!accepted.ok()) return at_line(batch.first_line + i, accepted);
    }
    return Status::Ok();
  };
  auto start_parsing = [&]() -> Status {
    ASSAY_RETURN_IF_ERROR(accept_parsed());  // at most two batches are held
    const uint64_t next_line = reading.first_line + reading.lines.size();
    Batch& posted = parsing.emplace(std::move(reading));
    reading = Batch{.first_line = next_line, .lines = {}, .rows = {}, .parsed = nullptr};
    reading_bytes = 0;
    const size_t size = posted.lines.size();
    posted.rows.resize(size);
    if (!pool) {
      parse_range(posted, 0, size);
      return Status::Ok();
    }
    const size_t tasks = std::min<size_t>(pool->size(), size);
    posted.parsed = std::make_unique<std::latch>(static_cast<std::ptrdiff_t>(tasks));
    for (size_t t = 0; t < tasks; ++t) {
      pool->Post([&posted, &parse_range, begin = size * t / tasks, end = size * (t + 1) / tasks] {
        parse_range(posted, begin, end);
        posted.parsed->count_down();
      });
    }
    return Status::Ok();
  };

  bool rows_failed = false;
  const Status read = ForEachLine(file, max_line_bytes, [&](uint64_t, std::string_view line) {
    reading.lines.emplace_back(line);
    reading_bytes += line.size();
    if (reading.lines.size() < kBatchLines && reading_bytes < kBatchBytes) return Status::Ok();
    Status started = start_parsing();
    rows_failed = !started.ok();
    return started;
  });
  if (rows_failed) return read;
  // The lines read before whatever ended the reading (the end of the file, a
  // line too long, a failed read) come before it: their errors first.
  if (!reading.lines.empty()) ASSAY_RETURN_IF_ERROR(start_parsing());
  ASSAY_RETURN_IF_ERROR(accept_parsed());
  return read;
}

}  // namespace assay
