// Whether a claim or a reproduction followed the plan it names (issue
// "Real eval runs", item 5; docs/spec/plan.md): the same model, a benchmark
// the plan lists, exactly the planned metrics, every configuration field the
// plan fixes set as planned, and for a reproduction the planned margin. Pure:
// the plan and the run's record in, the finding out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "record/eval_summary.h"
#include "record/plan_statement.h"

namespace assay {

struct PlanFollowing {
  // "num_fewshot 5 vs 0", "metric acc_norm,none was not planned",
  // "planned metric f1,none is not reported", "margin 2 vs 1".
  std::vector<std::string> deviations;
  std::vector<std::string> unrecorded;  // fields the plan fixes that the run's log does not record
  bool followed() const { return deviations.empty(); }
  // "followed", or "NOT FOLLOWED: DEVIATIONS", then "; not recorded: FIELDS" when some are.
  std::string Describe() const;
};

// What the run was about: the model's name and revision (a claim's binding;
// an endpoint claim's PROVIDER/MODEL), its eval summary, and for a
// reproduction its margin.
struct PlannedRun {
  std::string model_name;
  std::string model_revision;
  const EvalSummary* eval = nullptr;
  std::optional<double> margin;
};

PlanFollowing CheckPlanFollowed(const Plan& plan, const PlannedRun& run);

// A claim's or reproduction's plan as read back from the ledger.
struct PlanReport {
  std::string plan_id;
  // Why the plan could not be judged ("not in the ledger", "not a plan
  // record", "altered after signing"); "" when `following` is set.
  std::string problem;
  std::string signer;  // its counted signer's trust-file name, or "UNTRUSTED signer"
  std::optional<PlanFollowing> following;
  // Only a time someone other than the planner vouches for shows that a plan
  // came before its run; assay has none yet.
  std::string registration = "registration time not witnessed";

  bool followed() const { return problem.empty() && following && following->followed(); }
  // "plan 3f2a9c1d04e7b811 by acme: followed; registration time not witnessed".
  std::string Describe() const;
};

}  // namespace assay
