// The reproduction record's in-toto Statement v1 and v2 (DESIGN.md, Records:
// reproduction; docs/spec/claim.md): an evaluator's countersignature of a
// claim, as a record of its own whose subject is the claim's id. It holds the
// weights root the evaluator observed, the evaluator's own eval summary
// (numbers, transcript root), and a verdict per claimed metric with the
// evidence tier, interval and margin used (record/verdict_types.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "record/eval_summary.h"
#include "record/verdict_types.h"
#include "status.h"

namespace assay {

// A group reproduction's verdicts on one of the group's tasks (reproduction/v2).
struct TaskVerdicts {
  std::string task;
  std::vector<MetricVerdict> verdicts;  // one per metric of the claim's task compared
};

struct Reproduction {
  std::string claim_id;
  // The root the evaluator hashed from their own download, and its format;
  // empty for a claim about an endpoint.
  std::string observed_weights_root;
  std::string weights_format;
  bool weights_match = true;  // the observed root is the claim's (always true for an endpoint)
  EvalSummary eval;
  double margin = kDefaultMarginPoints;
  std::vector<MetricVerdict> verdicts;  // one per claimed metric compared (a group's: its own scores)
  std::vector<TaskVerdicts> task_verdicts;  // a group's: per task compared, in the claim's task order
  // Like with like (reproduction/v2): where the two runs' configurations
  // differ, the fields only one log records, and the differences the
  // evaluator accepted, with why. Any of them, a group or a plan makes the record a v2 one.
  std::vector<ConfigDifference> differences;
  std::vector<std::string> unknown_fields;
  std::vector<AcceptedDifference> accepted;
  std::string plan;  // the id of the plan record the rerun followed (v2; "" when none)

  bool is_v2() const;
  // The verdicts on the run's own scores ("" task), or on a group's task;
  // null when it has none on that task.
  const std::vector<MetricVerdict>* VerdictsOn(const std::string& task) const;
};

nlohmann::json ReproductionStatement(const Reproduction& reproduction);
// kInvalidInput naming the field for anything that is not a well-formed
// reproduction statement.
Result<Reproduction> ParseReproductionStatement(std::string_view statement_bytes);

// A verdict as the record writes it, and back.
nlohmann::json VerdictJson(const MetricVerdict& verdict);
Result<MetricVerdict> ReadVerdict(const Fields& fields);

}  // namespace assay
