// The clock seam. Code in src/ that needs the time asks a Clock, so tests can
// pin it (DESIGN.md's habit 4: every side effect sits behind a small interface).
#pragma once

#include <atomic>
#include <cstdint>

namespace assay {

class Clock {
 public:
  virtual ~Clock() = default;
  // Nanoseconds since the Unix epoch, in the same time base as file stamps
  // (FileInfo::mtime_ns and ctime_ns), so the two can be compared.
  virtual int64_t NowNanos() = 0;
};

// The real wall clock (CLOCK_REALTIME); safe to call from any thread.
Clock& RealTimeClock();

// A clock that says what it is told; for tests. Thread-safe.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t now_ns) : now_ns_(now_ns) {}
  int64_t NowNanos() override { return now_ns_.load(); }
  void Set(int64_t now_ns) { now_ns_.store(now_ns); }
  void Advance(int64_t delta_ns) { now_ns_.fetch_add(delta_ns); }

 private:
  std::atomic<int64_t> now_ns_;
};

}  // namespace assay
