#include "clock.h"

#include <time.h>

namespace assay {
namespace {

class RealTime final : public Clock {
 public:
  int64_t NowNanos() override {
    struct timespec now;
    ::clock_gettime(CLOCK_REALTIME, &now);  // cannot fail for CLOCK_REALTIME
    return static_cast<int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
  }
};

}  // namespace

Clock& RealTimeClock() {
  static RealTime clock;
  return clock;
}

}  // namespace assay
