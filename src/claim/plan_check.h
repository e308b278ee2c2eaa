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

// A checkpoint of the ledger that the ledger extends, cosigned by a trusted
// witness at `time`: a time someone other than the planner vouches for.
struct WitnessedCheckpoint {
  std::string file;
  uint64_t size = 0;  // records it covers: positions 0 .. size-1
  std::string witness;
  int64_t time = 0;
};

// Of `checkpoints`, the one cosigned earliest that covers ledger position
// `position`: the earliest time a witness vouches the record was there. Null
// for none.
const WitnessedCheckpoint* EarliestCovering(const std::vector<WitnessedCheckpoint>& checkpoints, uint64_t position);

// A claim's or reproduction's plan as read back from the ledger.
struct PlanReport {
  std::string plan_id;
  // Why the plan could not be judged ("not in the ledger", "not a plan
  // record", "altered after signing"); "" when `following` is set.
  std::string problem;
  std::string signer;  // its counted signer's trust-file name, or "UNTRUSTED signer"
  std::optional<PlanFollowing> following;
  std::optional<uint64_t> position;    // the plan's place in the ledger
  std::optional<int64_t> run_started;  // as the run's record gives it
  // Only a time someone other than the planner vouches for shows that a plan
  // came before its run (JudgeRegistration).
  std::string registration = "registration time not witnessed";
  bool registered_late = false;  // witnessed only after the run started

  // The run followed the plan, and nothing shows the plan came after it.
  bool followed() const { return problem.empty() && following && following->followed() && !registered_late; }
  // "plan 3f2a9c1d04e7b811 by acme: followed; registration time not witnessed".
  std::string Describe() const;
};

// Sets the report's registration from the earliest cosignature on a
// checkpoint that covers the plan: before the run's start ("registered
// before the run: W cosigned a checkpoint covering it at T; the run started
// at S"), after it (registered_late), or, when the run's log records no
// start, the witnessed time alone. Without one: "registration time not
// witnessed".
void JudgeRegistration(PlanReport& report, const std::vector<WitnessedCheckpoint>& checkpoints);

}  // namespace assay
