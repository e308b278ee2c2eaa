// A plan record (docs/spec/plan.md): what a vendor or an evaluator will run,
// signed before running it: the model, each benchmark with the metrics it
// will report and the configuration fields it will use, and the margin a
// reproduction will judge by. A claim or a reproduction names the plan it
// followed (`plan`, claim/v2 and reproduction/v2); `assay status` and
// `assay verify claim` say whether the run did.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/record_fields.h"
#include "status.h"

namespace assay {

struct PlannedBenchmark {
  std::string name;                  // an lm-eval task or group, an Inspect task
  std::vector<std::string> metrics;  // the metric keys it will report ("acc,none"); at least one
  // The configuration fields of docs/verdicts.md, "Comparing
  // configurations", that the run will use: only those it fixes.
  nlohmann::json config = nlohmann::json::object();
};

struct Plan {
  std::string model_name;                // "acme/widget"
  std::optional<std::string> revision;   // the upload it is about, when fixed
  std::vector<PlannedBenchmark> benchmarks;
  std::optional<double> margin;          // points; a reproduction's plan fixes it
  std::string note;                      // free text ("" when none)

  const PlannedBenchmark* Find(const std::string& benchmark) const;
};

// The predicate of a plan as a plan file gives it and the record keeps it;
// kInvalidInput naming the field for anything else (a benchmark listed twice,
// a field of the wrong type) and, `strict` (a plan file someone is about to
// sign), for any key the plan does not define. A record is read with
// `strict` false: members a later version adds are passed over.
Result<Plan> ReadPlanPredicate(const Fields& predicate, bool strict = true);
nlohmann::json PlanPredicate(const Plan& plan);

// The statement: its one subject "plan" is the SHA-256 of the predicate's
// canonical JSON, so a plan's content names it before it is signed.
nlohmann::json PlanStatement(const Plan& plan);
Result<Plan> ParsePlanStatement(std::string_view statement_bytes);

}  // namespace assay
