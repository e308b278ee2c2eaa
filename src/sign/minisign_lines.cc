#include "sign/minisign_lines.h"

#include <string>

namespace assay {

Result<std::vector<std::string_view>> SplitMinisignLines(std::string_view text, size_t count,
                                                         std::string_view what) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) {
      return Status::InvalidInput(std::string(what) + ": line " + std::to_string(lines.size() + 1) +
                                  " holds a carriage return");
    }
    lines.push_back(line);
  }
  while (!lines.empty() && lines.back().find_first_not_of(" \t") == std::string_view::npos) {
    lines.pop_back();
  }
  if (lines.size() < count) {
    return Status::InvalidInput(std::string(what) + " is truncated: expected " +
                                std::to_string(count) + " lines, found " +
                                std::to_string(lines.size()));
  }
  if (lines.size() > count) {
    return Status::InvalidInput(std::string(what) + " has unexpected text after line " +
                                std::to_string(count));
  }
  if (!lines[0].starts_with(kUntrustedCommentPrefix)) {
    return Status::InvalidInput(std::string(what) + ": first line does not start with \"" +
                                std::string(kUntrustedCommentPrefix) + "\"");
  }
  if (lines[0].size() > kUntrustedCommentPrefix.size() + kMaxUntrustedCommentSize) {
    return Status::InvalidInput(std::string(what) + ": untrusted comment is longer than " +
                                std::to_string(kMaxUntrustedCommentSize) + " bytes");
  }
  return lines;
}

}  // namespace assay
