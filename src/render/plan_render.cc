#include "render/plan_render.h"

#include "joined.h"
#include "record/points.h"
#include "render/model_render.h"
#include "render/text.h"

namespace assay {

std::string DescribePlannedBenchmark(const PlannedBenchmark& benchmark) {
  std::vector<std::string> parts = {Joined(benchmark.metrics, ", ")};
  for (const auto& [field, value] : benchmark.config.items()) {
    parts.push_back(field + " " + (value.is_string() ? value.get<std::string>() : value.dump()));
  }
  return benchmark.name + " (" + Joined(parts, "; ") + ")";
}

std::string RenderText(const AttestedPlan& attested) {
  const Plan& plan = attested.plan;
  std::string text = Format("plan       %s\n", attested.published.id);
  text += Format("model      %s%s\n", plan.model_name, plan.revision ? " @ " + *plan.revision : "");
  for (const PlannedBenchmark& benchmark : plan.benchmarks) {
    text += Format("benchmark  %s\n", DescribePlannedBenchmark(benchmark));
  }
  if (plan.margin) text += Format("margin     %s points\n", FormatNumber(*plan.margin));
  if (!plan.note.empty()) text += Format("note       %s\n", plan.note);
  text += "next       before you run: 'assay attest checkpoint', and a witness cosigns it, so the plan's time is vouched for\n";
  return text + RenderPublication(attested.published);
}

std::string RenderJson(const AttestedPlan& attested) { return attested.published.record + "\n"; }

nlohmann::json PlanReportJson(const PlanReport& report) {
  nlohmann::json out = {{"id", report.plan_id}};
  if (!report.problem.empty()) {
    out["problem"] = report.problem;
    return out;
  }
  out["signer"] = report.signer;
  out["followed"] = report.following->followed();
  out["deviations"] = report.following->deviations;
  out["unrecorded"] = report.following->unrecorded;
  out["registration"] = report.registration;
  return out;
}

}  // namespace assay
