#include "claim/plan_check.h"

#include <algorithm>

#include "claim/config_comparison.h"
#include "joined.h"
#include "record/points.h"
#include "utc_time.h"

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

const WitnessedCheckpoint* EarliestCovering(const std::vector<WitnessedCheckpoint>& checkpoints, uint64_t position) {
  const WitnessedCheckpoint* earliest = nullptr;
  for (const WitnessedCheckpoint& checkpoint : checkpoints) {
    if (checkpoint.size <= position) continue;
    if (earliest == nullptr || checkpoint.time < earliest->time) earliest = &checkpoint;
  }
  return earliest;
}

void JudgeRegistration(PlanReport& report, const std::vector<WitnessedCheckpoint>& checkpoints) {
  if (!report.position) return;
  const WitnessedCheckpoint* earliest = EarliestCovering(checkpoints, *report.position);
  report.registered_late = false;
  if (earliest == nullptr) {
    report.registration = checkpoints.empty() ? "registration time not witnessed"
                                              : "registration time not witnessed (no cosigned checkpoint given covers it)";
    return;
  }
  const std::string witnessed = earliest->witness + " cosigned a checkpoint covering it at " + FormatUtcTime(earliest->time);
  if (!report.run_started) {
    report.registration = "witnessed: " + witnessed + "; the run's log records no start time";
  } else if (earliest->time < *report.run_started) {
    report.registration = "registered before the run: " + witnessed + "; the run started at " +
                          FormatUtcTime(*report.run_started);
  } else {
    report.registered_late = true;
    report.registration = "NOT REGISTERED BEFORE THE RUN: the earliest witnessed time is " + witnessed +
                          ", and the run started at " + FormatUtcTime(*report.run_started);
  }
}

}  // namespace assay
