// Shared test helpers: scratch folders, byte builders and the realdata location.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace assay::testing {

// ../shared/realdata, or "" when it is absent (tests then GTEST_SKIP).
std::string RealDataDir();

#define ASSAY_REQUIRE_REALDATA()                                              \
  do {                                                                        \
    if (::assay::testing::RealDataDir().empty())                              \
      GTEST_SKIP() << "../shared/realdata is absent; real-file test skipped"; \
  } while (false)

// A fresh folder under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Writes `bytes` to path()/relative, creating folders on the way; returns the full path.
  std::string Write(const std::string& relative, std::string_view bytes) const;

 private:
  std::filesystem::path path_;
};

std::string ReadFileOrDie(const std::string& path);

// Runs `command` with /bin/sh; returns its wait status (0 on success) and,
// when `output` is given, fills it with the command's stdout and stderr.
int RunShell(const std::string& command, std::string* output = nullptr);

// What a command did: its exit code (-1 if it did not exit) and its stdout and stderr.
struct CommandOutcome {
  int exit_code = -1;
  std::string output;
};
CommandOutcome RunCommand(const std::string& command);

// `text` in single quotes for /bin/sh (it must not hold a single quote).
std::string ShellQuote(std::string_view text);

// Little-endian integer appenders for building binary fixtures.
void AppendU32LE(std::string& out, uint32_t value);
void AppendU64LE(std::string& out, uint64_t value);

}  // namespace assay::testing
