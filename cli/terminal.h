// The terminal, which only the command line talks to: warnings and progress
// on stderr (progress drawn only when stderr is a terminal), and the
// passphrase prompt with echo off.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "ops/context.h"
#include "ops/key_ring.h"

namespace assay::cli {

bool StderrIsTerminal();

// Draws "hashing 1.2 GiB of 4.0 GiB  1.35 GB/s  ETA 2s" (or, counting items,
// "verifying 120 of 400 revisions  85/s  ETA 3s") on stderr a few times a
// second, only when stderr is a terminal; otherwise it counts silently.
class ProgressMeter final : public ProgressSink {
 public:
  // `noun`: what is counted; "" for bytes.
  ProgressMeter(std::string what, uint64_t total_bytes, std::string noun = "");
  ~ProgressMeter() override;  // clears the line
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  void SetTotal(uint64_t bytes) override { total_ = bytes; }
  void AddHashedBytes(uint64_t bytes) override { done_ += bytes; }

 private:
  void Draw();

  const std::string what_;
  const std::string noun_;
  std::atomic<uint64_t> total_;
  std::atomic<uint64_t> done_{0};
  const std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread drawer_;
};

// Warnings as "assay: warning: ..." lines (control characters escaped), and
// progress meters, on stderr.
class TerminalOutput final : public Output {
 public:
  void Warn(const std::string& message) override;
  std::unique_ptr<ProgressSink> Progress(std::string_view what, uint64_t total) override;
  std::unique_ptr<ProgressSink> ProgressOf(std::string_view what, std::string_view noun, uint64_t total) override;
};

// Reads a line from /dev/tty with echo off; kInvalidInput when there is no terminal.
class TerminalPrompter final : public Prompter {
 public:
  Result<SecretBytes> AskSecret(const std::string& prompt) override;
};

}  // namespace assay::cli
