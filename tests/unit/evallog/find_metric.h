// The metric of a run by name, for the eval log readers' tests.
#pragma once

#include <string>

#include "evallog/eval_run.h"

namespace assay::evallog_testing {

inline const EvalMetric* FindMetric(const EvalRun& run, const std::string& name) {
  for (const EvalMetric& metric : run.metrics) {
    if (metric.name == name) return &metric;
  }
  return nullptr;
}

}  // namespace assay::evallog_testing
