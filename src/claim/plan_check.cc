#include "claim/plan_check.h"

#include <algorithm>

#include "claim/config_comparison.h"
#include "joined.h"
#include "record/points.h"

namespace assay {

std::string PlanFollowing::Describe() const {
  std::string text = followed() ? "followed" : "NOT FOLLOWED: " + Joined(deviations, "; ");
  if (!unrecorded.empty()) text += "; not recorded in the log: " + Joined(unrecorded, ", ");
  return text;
}

std::string PlanReport::Describe() const {
  std::string text = "plan " + plan_id.substr(0, 16);
  if (!problem.empty()) return text + ": " + problem;
  return text + " by " + signer + ": " + following->Describe() + "; " + registration;
}

PlanFollowing CheckPlanFollowed(const Plan& plan, const PlannedRun& run) {
  PlanFollowing following;
  std::vector<std::string>& deviations = following.deviations;
  if (run.model_name != plan.model_name) deviations.push_back("model " + plan.model_name + " vs " + run.model_name);
  if (plan.revision && *plan.revision != run.model_revision) {
    deviations.push_back("revision " + *plan.revision + " vs " + (run.model_revision.empty() ? "none" : run.model_revision));
  }
  const EvalSummary& eval = *run.eval;
  const PlannedBenchmark* planned = plan.Find(eval.benchmark);
  if (planned == nullptr) {
    deviations.push_back("benchmark " + eval.benchmark + " is not in the plan");
    return following;
  }
  // Exactly the planned metrics: reporting more, or fewer, is what a plan
  // is there to rule out.
  for (const std::string& metric : planned->metrics) {
    if (eval.FindMetric(metric) == nullptr) deviations.push_back("planned metric " + metric + " is not reported");
  }
  for (const RecordedMetric& metric : eval.metrics) {
    const std::string& name = metric.metric.name;
    if (std::find(planned->metrics.begin(), planned->metrics.end(), name) == planned->metrics.end()) {
      deviations.push_back("metric " + name + " was not planned");
    }
  }
  const ConfigComparison configuration = CompareWithPlannedConfig(planned->config, eval);
  for (const ConfigDifference& difference : configuration.differences) deviations.push_back(difference.Describe());
  following.unrecorded = configuration.unknown;
  if (plan.margin && run.margin && *plan.margin != *run.margin) {
    deviations.push_back("margin " + FormatNumber(*plan.margin) + " vs " + FormatNumber(*run.margin));
  }
  return following;
}

}  // namespace assay
