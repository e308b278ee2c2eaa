// Human and JSON renderers of plans (ops/plan_ops.h): a signed plan, and a
// plan report as status and verify show it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ops/plan_ops.h"

namespace assay {

std::string RenderText(const AttestedPlan& attested);
std::string RenderJson(const AttestedPlan& attested);  // the signed record

// "mmlu (acc,none; num_fewshot 5)": one planned benchmark.
std::string DescribePlannedBenchmark(const PlannedBenchmark& benchmark);

// {"id", "problem"} or {"id", "signer", "followed", "deviations", "unrecorded", "registration"}.
nlohmann::json PlanReportJson(const PlanReport& report);

}  // namespace assay
