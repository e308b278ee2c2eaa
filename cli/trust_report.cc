#include "cli/trust_report.h"

#include "clock.h"

namespace assay::cli {

int64_t NowUnixSeconds() { return RealTimeClock().NowNanos() / 1'000'000'000; }

}  // namespace assay::cli
