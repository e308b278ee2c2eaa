#include "record/plan_statement.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "json/canonical_json.h"
#include "json/strict_json.h"
#include "record/in_toto.h"

namespace assay {
namespace {

using json = nlohmann::json;

// The configuration fields a plan may fix, with the JSON type each takes:
// the fields a reproduction compares (claim/config_comparison.h).
bool ConfigValueFits(const std::string& field, const json& value) {
  if (field == "num_fewshot") return value.is_number_unsigned();
  if (field == "fewshot_as_multiturn") return value.is_boolean();
  if (field == "limit") return value.is_number() && value.get<double>() >= 0;
  if (field == "generation" || field == "dataset") return value.is_object();
  if (field == "prompt_template_sha256" || field == "chat_template_sha256" || field == "system_instruction_sha256" ||
      field == "task_hash") {
    return value.is_string() && Sha256FromHex(value.get<std::string>()).has_value() &&
           ToHex(*Sha256FromHex(value.get<std::string>())) == value.get<std::string>();
  }
  return false;
}

bool IsConfigField(const std::string& field) {
  for (const char* known : {"num_fewshot", "fewshot_as_multiturn", "limit", "generation", "dataset",
                            "prompt_template_sha256", "chat_template_sha256", "system_instruction_sha256", "task_hash"}) {
    if (field == known) return true;
  }
  return false;
}

Status OnlyKeys(const Fields& fields, std::initializer_list<std::string_view> keys) {
  for (const auto& [key, value] : fields.value().items()) {
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      return Status::InvalidInput(fields.path() + "." + key + ": not a field of a plan");
    }
  }
  return Status::Ok();
}

Result<PlannedBenchmark> ReadBenchmark(const Fields& fields, bool strict) {
  if (strict) ASSAY_RETURN_IF_ERROR(OnlyKeys(fields, {"name", "metrics", "evalConfig"}));
  PlannedBenchmark benchmark;
  ASSAY_ASSIGN_OR_RETURN(benchmark.name, fields.String("name"));
  if (benchmark.name.empty()) return Status::InvalidInput(fields.path() + ".name: empty");
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> metrics, fields.Array("metrics"));
  if (metrics.empty()) return Status::InvalidInput(fields.path() + ".metrics: a plan names at least one metric");
  for (const Fields& metric : metrics) {
    if (!metric.value().is_string() || metric.value().get<std::string>().empty()) {
      return Status::InvalidInput(metric.path() + ": expected a metric name");
    }
    const std::string name = metric.value().get<std::string>();
    if (std::find(benchmark.metrics.begin(), benchmark.metrics.end(), name) != benchmark.metrics.end()) {
      return Status::InvalidInput(metric.path() + ": " + name + " twice");
    }
    benchmark.metrics.push_back(name);
  }
  if (fields.Has("evalConfig")) {
    ASSAY_ASSIGN_OR_RETURN(Fields config, fields.Object("evalConfig"));
    for (const auto& [key, value] : config.value().items()) {
      if (ConfigValueFits(key, value)) {
        benchmark.config[key] = value;
      } else if (strict || IsConfigField(key)) {
        return Status::InvalidInput(config.path() + "." + key +
                                    ": not a configuration field a plan fixes, or not of its type (docs/spec/plan.md)");
      }
    }
  }
  return benchmark;
}

}  // namespace

const PlannedBenchmark* Plan::Find(const std::string& benchmark) const {
  for (const PlannedBenchmark& one : benchmarks) {
    if (one.name == benchmark) return &one;
  }
  return nullptr;
}

Result<Plan> ReadPlanPredicate(const Fields& predicate, bool strict) {
  if (!predicate.value().is_object()) return Status::InvalidInput(predicate.path() + ": expected an object");
  if (strict) ASSAY_RETURN_IF_ERROR(OnlyKeys(predicate, {"model", "benchmarks", "margin", "note"}));
  Plan plan;
  ASSAY_ASSIGN_OR_RETURN(Fields model, predicate.Object("model"));
  if (strict) ASSAY_RETURN_IF_ERROR(OnlyKeys(model, {"name", "revision"}));
  ASSAY_ASSIGN_OR_RETURN(plan.model_name, model.String("name"));
  if (plan.model_name.empty()) return Status::InvalidInput(model.path() + ".name: empty");
  if (model.Has("revision")) {
    ASSAY_ASSIGN_OR_RETURN(std::string revision, model.String("revision"));
    plan.revision = revision;
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> benchmarks, predicate.Array("benchmarks"));
  if (benchmarks.empty()) return Status::InvalidInput(predicate.path() + ".benchmarks: a plan names at least one");
  for (const Fields& fields : benchmarks) {
    ASSAY_ASSIGN_OR_RETURN(PlannedBenchmark benchmark, ReadBenchmark(fields, strict));
    if (plan.Find(benchmark.name) != nullptr) {
      return Status::InvalidInput(fields.path() + ".name: " + benchmark.name + " is planned twice");
    }
    plan.benchmarks.push_back(std::move(benchmark));
  }
  if (predicate.Has("margin")) {
    ASSAY_ASSIGN_OR_RETURN(double margin, predicate.Number("margin"));
    if (!std::isfinite(margin) || margin < 0) {
      return Status::InvalidInput(predicate.path() + ".margin: a finite number of points >= 0");
    }
    plan.margin = margin;
  }
  if (predicate.Has("note")) {
    ASSAY_ASSIGN_OR_RETURN(plan.note, predicate.String("note"));
  }
  return plan;
}

json PlanPredicate(const Plan& plan) {
  json model = {{"name", plan.model_name}};
  if (plan.revision) model["revision"] = *plan.revision;
  json benchmarks = json::array();
  for (const PlannedBenchmark& benchmark : plan.benchmarks) {
    json entry = {{"name", benchmark.name}, {"metrics", benchmark.metrics}};
    if (!benchmark.config.empty()) entry["evalConfig"] = benchmark.config;
    benchmarks.push_back(std::move(entry));
  }
  json predicate = {{"model", std::move(model)}, {"benchmarks", std::move(benchmarks)}};
  if (plan.margin) predicate["margin"] = NumberJson(*plan.margin);
  if (!plan.note.empty()) predicate["note"] = plan.note;
  return predicate;
}

json PlanStatement(const Plan& plan) {
  json predicate = PlanPredicate(plan);
  const std::string digest = CanonicalJsonSha256(predicate);
  return {{"_type", kInTotoStatementType},
          {"subject", json::array({{{"name", "plan"}, {"digest", {{"sha256", digest}}}}})},
          {"predicateType", kPlanPredicateType},
          {"predicate", std::move(predicate)}};
}

Result<Plan> ParsePlanStatement(std::string_view statement_bytes) {
  ASSAY_ASSIGN_OR_RETURN(json document, ParseStrictJson(statement_bytes));
  const Fields statement(document, "");
  ASSAY_ASSIGN_OR_RETURN(Fields predicate, StatementPredicate(statement, kPlanPredicateType, "a plan record"));
  // Members a later version may add are passed over (docs/spec/records.md,
  // rule 4); the subject still covers them, as it covers the whole predicate.
  ASSAY_ASSIGN_OR_RETURN(Plan plan, ReadPlanPredicate(predicate, /*strict=*/false));
  ASSAY_RETURN_IF_ERROR(CheckSubjects(statement, {{"plan", {"sha256", CanonicalJsonSha256(predicate.value())}}}));
  return plan;
}

}  // namespace assay
