#include "evallog/json_lines.h"

#include <algorithm>
#include <string>
#include <vector>

namespace assay {

std::string DescribeLineLimit(uint64_t max_line_bytes) {
  constexpr uint64_t kMiB = uint64_t{1} << 20;
  if (max_line_bytes >= kMiB && max_line_bytes % kMiB == 0) return std::to_string(max_line_bytes / kMiB) + " MiB";
  return std::to_string(max_line_bytes) + " bytes";
}

Status ForEachLine(const RandomAccessFile& file, uint64_t max_line_bytes,
                   const std::function<Status(uint64_t, std::string_view)>& visit) {
  constexpr uint64_t kChunkBytes = 4 << 20;
  std::vector<uint8_t> chunk;
  std::string partial;  // the start of a line that continues in the next chunk
  uint64_t line_number = 0;
  auto too_long = [&] {
    return Status::InvalidInput(file.path() + ": line " + std::to_string(line_number + 1) + " is longer than " +
                                DescribeLineLimit(max_line_bytes));
  };
  for (uint64_t offset = 0; offset < file.size();) {
    chunk.resize(static_cast<size_t>(std::min(kChunkBytes, file.size() - offset)));
    ASSAY_RETURN_IF_ERROR(file.ReadExactly(offset, chunk));
    offset += chunk.size();
    std::string_view text(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    for (size_t newline; (newline = text.find('\n')) != std::string_view::npos;) {
      std::string_view line = text.substr(0, newline);
      if (!partial.empty()) {
        if (partial.size() + line.size() > max_line_bytes) return too_long();
        partial.append(line);
        line = partial;
      }
      if (line.size() > max_line_bytes) return too_long();
      ASSAY_RETURN_IF_ERROR(visit(++line_number, line));
      partial.clear();
      text.remove_prefix(newline + 1);
    }
    if (partial.size() + text.size() > max_line_bytes) return too_long();
    partial.append(text);
  }
  if (!partial.empty()) ASSAY_RETURN_IF_ERROR(visit(++line_number, partial));
  return Status::Ok();
}

}  // namespace assay
