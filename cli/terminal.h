// What the command layer knows about where its output goes: whether stderr
// is a terminal (progress is drawn only then), and whether colour is wanted.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "digest/file_hasher.h"

namespace assay::cli {

bool StderrIsTerminal();

// Draws "hashing 1.2 GiB of 4.0 GiB  1.35 GB/s  ETA 2s" on stderr a few times
// a second, only when stderr is a terminal; otherwise it counts silently.
class ProgressMeter final : public ProgressSink {
 public:
  explicit ProgressMeter(uint64_t total_bytes);
  ~ProgressMeter() override;  // clears the line
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  void AddHashedBytes(uint64_t bytes) override { done_ += bytes; }

 private:
  void Draw();

  const uint64_t total_;
  std::atomic<uint64_t> done_{0};
  const std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread drawer_;
};

// "1.50 GiB", "12.0 MiB", "512 B".
std::string HumanBytes(uint64_t bytes);

}  // namespace assay::cli
