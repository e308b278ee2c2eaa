#include "test_support.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace assay::testing {

std::string RealDataDir() {
  std::filesystem::path dir(ASSAY_REALDATA_DIR);
  return std::filesystem::is_directory(dir / "weights") ? dir.string() : std::string();
}

ScratchDir::ScratchDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "assay-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ScratchDir::Write(const std::string& relative, std::string_view bytes) const {
  std::filesystem::path full = path_ / relative;
  std::filesystem::create_directories(full.parent_path());
  std::ofstream out(full, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) std::abort();
  return full.string();
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) std::abort();
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

int RunShell(const std::string& command, std::string* output) {
  std::string text;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  int status = ::pclose(pipe);
  if (output != nullptr) *output = text;
  return status;
}

CommandOutcome RunCommand(const std::string& command) {
  CommandOutcome outcome;
  int status = RunShell(command, &outcome.output);
  outcome.exit_code = status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

std::string ShellQuote(std::string_view text) { return "'" + std::string(text) + "'"; }

void AppendU32LE(std::string& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

void AppendU64LE(std::string& out, uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(value >> (8 * i)));
}

}  // namespace assay::testing
