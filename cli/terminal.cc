#include "cli/terminal.h"

#include <unistd.h>

#include <cstdio>
#include <string>

namespace assay::cli {

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string HumanBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.2f %s", value, kUnits[unit]);
  return text;
}

ProgressMeter::ProgressMeter(uint64_t total_bytes)
    : total_(total_bytes), start_(std::chrono::steady_clock::now()) {
  if (StderrIsTerminal()) drawer_ = std::thread([this] { Draw(); });
}

ProgressMeter::~ProgressMeter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  if (drawer_.joinable()) {
    drawer_.join();
    std::fprintf(stderr, "\r\033[K");
  }
}

void ProgressMeter::Draw() {
  std::unique_lock lock(mutex_);
  while (!stop_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; })) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    uint64_t done = done_;
    double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    double eta = rate > 0 ? static_cast<double>(total_ - std::min(done, total_)) / rate : 0;
    std::fprintf(stderr, "\r\033[Khashing %s of %s  %.2f GB/s  ETA %.0fs", HumanBytes(done).c_str(),
                 HumanBytes(total_).c_str(), rate / 1e9, eta);
    std::fflush(stderr);
  }
}

}  // namespace assay::cli
