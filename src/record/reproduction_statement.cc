#include "record/reproduction_statement.h"

#include <algorithm>

#include "json/canonical_json.h"
#include "record/in_toto.h"
#include "json/strict_json.h"

namespace assay {
namespace {

using json = nlohmann::json;

json OptionalNumber(const std::optional<double>& value) { return value ? NumberJson(*value) : json(nullptr); }

Result<std::optional<double>> ReadOptionalNumber(const Fields& fields, const std::string& key) {
  if (!fields.Has(key)) return Status::InvalidInput(fields.path() + "." + key + ": missing");
  if (fields.value()[key].is_null()) return std::optional<double>();
  ASSAY_ASSIGN_OR_RETURN(double value, fields.Number(key));
  return std::optional<double>(value);
}

Result<ScoreComparison> ReadComparison(const Fields& fields) {
  ScoreComparison comparison;
  ASSAY_ASSIGN_OR_RETURN(std::string tier, fields.String("tier"));
  std::optional<EvidenceTier> parsed_tier = ParseEvidenceTier(tier);
  if (!parsed_tier) return Status::InvalidInput(fields.path() + ".tier: unknown tier \"" + tier + "\"");
  comparison.tier = *parsed_tier;
  ASSAY_ASSIGN_OR_RETURN(std::string scale, fields.String("scale"));
  std::optional<PointScale> parsed_scale = ParsePointScale(scale);
  if (!parsed_scale) return Status::InvalidInput(fields.path() + ".scale: unknown scale \"" + scale + "\"");
  comparison.scale = *parsed_scale;
  ASSAY_ASSIGN_OR_RETURN(comparison.higher_is_better, fields.Bool("higherIsBetter"));
  ASSAY_ASSIGN_OR_RETURN(comparison.claimed_points, fields.Number("claimedPoints"));
  ASSAY_ASSIGN_OR_RETURN(comparison.reproduced_points, fields.Number("reproducedPoints"));
  ASSAY_ASSIGN_OR_RETURN(comparison.difference_points, fields.Number("differencePoints"));
  ASSAY_ASSIGN_OR_RETURN(comparison.low, ReadOptionalNumber(fields, "intervalLow"));
  ASSAY_ASSIGN_OR_RETURN(comparison.high, ReadOptionalNumber(fields, "intervalHigh"));
  if (comparison.low.has_value() != comparison.high.has_value()) {
    return Status::InvalidInput(fields.path() + ": an interval needs both ends or neither");
  }
  ASSAY_ASSIGN_OR_RETURN(comparison.difference_in_stderrs, ReadOptionalNumber(fields, "differenceInStderrs"));
  ASSAY_ASSIGN_OR_RETURN(comparison.paired_samples, fields.Unsigned("pairedSamples"));
  return comparison;
}

json DifferenceJson(const ConfigDifference& difference) {
  json out = {{"field", difference.field}, {"claimed", difference.claimed}, {"reproduced", difference.reproduced}};
  if (!difference.task.empty()) out["task"] = difference.task;
  return out;
}

// Verdicts as a record lists them; a "different weights" verdict, and only
// it, goes with weights that do not match.
Result<std::vector<MetricVerdict>> ReadVerdicts(const Fields& fields, const std::string& key, bool weights_match,
                                                bool v2) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> entries, fields.Array(key));
  std::vector<MetricVerdict> verdicts;
  for (const Fields& entry : entries) {
    ASSAY_ASSIGN_OR_RETURN(MetricVerdict verdict, ReadVerdict(entry));
    if ((verdict.kind == VerdictKind::kDifferentWeights) == weights_match) {
      return Status::InvalidInput(entry.path() + ": verdict \"" + std::string(VerdictKindName(verdict.kind)) +
                                  "\" contradicts weightsMatch");
    }
    if (verdict.kind == VerdictKind::kNotComparable && !v2) {
      return Status::InvalidInput(entry.path() + ".verdict: \"not comparable\" is a verdict of version 2");
    }
    verdicts.push_back(std::move(verdict));
  }
  return verdicts;
}

// A group reproduction's verdicts per task, each task one of the group's, once.
Status ReadTaskVerdicts(const Fields& predicate, Reproduction& reproduction) {
  if (!predicate.Has("taskVerdicts")) return Status::Ok();
  if (!reproduction.eval.is_group()) return Status::InvalidInput(predicate.path() + ".taskVerdicts: only a group has tasks");
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> entries, predicate.Array("taskVerdicts"));
  for (const Fields& entry : entries) {
    TaskVerdicts task;
    ASSAY_ASSIGN_OR_RETURN(task.task, entry.String("task"));
    const bool known = std::any_of(reproduction.eval.tasks.begin(), reproduction.eval.tasks.end(),
                                   [&](const TaskSummary& one) { return one.name == task.task; });
    const bool repeated = std::any_of(reproduction.task_verdicts.begin(), reproduction.task_verdicts.end(),
                                      [&](const TaskVerdicts& one) { return one.task == task.task; });
    if (!known || repeated) return Status::InvalidInput(entry.path() + ".task: not one of the group's tasks, or a second entry");
    ASSAY_ASSIGN_OR_RETURN(task.verdicts, ReadVerdicts(entry, "verdicts", reproduction.weights_match, true));
    reproduction.task_verdicts.push_back(std::move(task));
  }
  return Status::Ok();
}

// The v2 fields: comparability and acceptedDifferences.
Status ReadComparability(const Fields& predicate, Reproduction& reproduction) {
  if (predicate.Has("comparability")) {
    ASSAY_ASSIGN_OR_RETURN(Fields comparability, predicate.Object("comparability"));
    ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> differences, comparability.Array("differences"));
    for (const Fields& fields : differences) {
      ConfigDifference difference;
      ASSAY_ASSIGN_OR_RETURN(difference.field, fields.String("field"));
      ASSAY_ASSIGN_OR_RETURN(difference.claimed, fields.String("claimed"));
      ASSAY_ASSIGN_OR_RETURN(difference.reproduced, fields.String("reproduced"));
      if (fields.Has("task")) {
        ASSAY_ASSIGN_OR_RETURN(difference.task, fields.String("task"));
      }
      reproduction.differences.push_back(std::move(difference));
    }
    ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> unknown, comparability.Array("unknown"));
    for (const Fields& field : unknown) {
      if (!field.value().is_string()) return Status::InvalidInput(field.path() + ": expected a field name");
      reproduction.unknown_fields.push_back(field.value().get<std::string>());
    }
  }
  if (predicate.Has("acceptedDifferences")) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> accepted, predicate.Array("acceptedDifferences"));
    for (const Fields& fields : accepted) {
      AcceptedDifference one;
      ASSAY_ASSIGN_OR_RETURN(one.field, fields.String("field"));
      ASSAY_ASSIGN_OR_RETURN(one.reason, fields.String("reason"));
      const bool differs = std::any_of(reproduction.differences.begin(), reproduction.differences.end(),
                                       [&](const ConfigDifference& difference) { return difference.field == one.field; });
      if (!differs || one.reason.empty()) {
        return Status::InvalidInput(fields.path() + ": accepts a difference the record does not list, or gives no reason");
      }
      reproduction.accepted.push_back(std::move(one));
    }
  }
  if (!reproduction.is_v2()) {
    return Status::InvalidInput(predicate.path() + ": a version 2 reproduction records its comparability, a group or a plan");
  }
  return Status::Ok();
}

}  // namespace

bool Reproduction::is_v2() const {
  const bool not_comparable = std::any_of(verdicts.begin(), verdicts.end(), [](const MetricVerdict& verdict) {
    return verdict.kind == VerdictKind::kNotComparable;
  });
  return not_comparable || eval.is_group() || !plan.empty() || !differences.empty() || !unknown_fields.empty() || !accepted.empty();
}

const std::vector<MetricVerdict>* Reproduction::VerdictsOn(const std::string& task) const {
  if (task.empty()) return &verdicts;
  for (const TaskVerdicts& one : task_verdicts) {
    if (one.task == task) return &one.verdicts;
  }
  return nullptr;
}

json VerdictJson(const MetricVerdict& verdict) {
  json out = {{"metric", verdict.metric},
              {"verdict", VerdictKindName(verdict.kind)},
              {"margin", verdict.margin},
              {"reason", verdict.reason}};
  if (const std::optional<ScoreComparison>& comparison = verdict.comparison) {
    out["tier"] = EvidenceTierName(comparison->tier);
    out["scale"] = PointScaleName(comparison->scale);
    out["higherIsBetter"] = comparison->higher_is_better;
    out["claimedPoints"] = NumberJson(comparison->claimed_points);
    out["reproducedPoints"] = NumberJson(comparison->reproduced_points);
    out["differencePoints"] = NumberJson(comparison->difference_points);
    out["intervalLow"] = OptionalNumber(comparison->low);
    out["intervalHigh"] = OptionalNumber(comparison->high);
    out["differenceInStderrs"] = OptionalNumber(comparison->difference_in_stderrs);
    out["pairedSamples"] = comparison->paired_samples;
  }
  return out;
}

Result<MetricVerdict> ReadVerdict(const Fields& fields) {
  MetricVerdict verdict;
  ASSAY_ASSIGN_OR_RETURN(verdict.metric, fields.String("metric"));
  ASSAY_ASSIGN_OR_RETURN(std::string kind, fields.String("verdict"));
  std::optional<VerdictKind> parsed = ParseVerdictKind(kind);
  if (!parsed) return Status::InvalidInput(fields.path() + ".verdict: unknown verdict \"" + kind + "\"");
  verdict.kind = *parsed;
  ASSAY_ASSIGN_OR_RETURN(verdict.margin, fields.Number("margin"));
  ASSAY_ASSIGN_OR_RETURN(verdict.reason, fields.String("reason"));
  // A different-weights verdict carries no numbers; every other carries them.
  if (verdict.kind == VerdictKind::kDifferentWeights) {
    if (fields.Has("tier")) return Status::InvalidInput(fields.path() + ": a different-weights verdict compares no scores");
    return verdict;
  }
  ASSAY_ASSIGN_OR_RETURN(verdict.comparison, ReadComparison(fields));
  return verdict;
}

json ReproductionStatement(const Reproduction& reproduction) {
  json predicate = {{"claim", reproduction.claim_id}, {"weightsMatch", reproduction.weights_match},
                    {"margin", reproduction.margin}};
  if (!reproduction.observed_weights_root.empty()) {
    predicate["weightsRoot"] = reproduction.observed_weights_root;
    predicate["weightsFormat"] = reproduction.weights_format;
  }
  WriteEvalSummary(reproduction.eval, predicate);
  json verdicts = json::array();
  for (const MetricVerdict& verdict : reproduction.verdicts) verdicts.push_back(VerdictJson(verdict));
  predicate["verdicts"] = std::move(verdicts);
  if (!reproduction.task_verdicts.empty()) {
    predicate["taskVerdicts"] = json::array();
    for (const TaskVerdicts& task : reproduction.task_verdicts) {
      json entry = {{"task", task.task}, {"verdicts", json::array()}};
      for (const MetricVerdict& verdict : task.verdicts) entry["verdicts"].push_back(VerdictJson(verdict));
      predicate["taskVerdicts"].push_back(std::move(entry));
    }
  }
  if (!reproduction.differences.empty() || !reproduction.unknown_fields.empty()) {
    json differences = json::array();
    for (const ConfigDifference& difference : reproduction.differences) differences.push_back(DifferenceJson(difference));
    predicate["comparability"] = {{"differences", std::move(differences)}, {"unknown", reproduction.unknown_fields}};
  }
  if (!reproduction.plan.empty()) predicate["plan"] = reproduction.plan;
  if (!reproduction.accepted.empty()) {
    predicate["acceptedDifferences"] = json::array();
    for (const AcceptedDifference& one : reproduction.accepted) {
      predicate["acceptedDifferences"].push_back({{"field", one.field}, {"reason", one.reason}});
    }
  }
  return {{"_type", kInTotoStatementType},
          {"subject", json::array({{{"name", "claim"}, {"digest", {{"sha256", reproduction.claim_id}}}}})},
          {"predicateType", reproduction.is_v2() ? kReproductionV2PredicateType : kReproductionPredicateType},
          {"predicate", std::move(predicate)}};
}

Result<Reproduction> ParseReproductionStatement(std::string_view statement_bytes) {
  ASSAY_ASSIGN_OR_RETURN(json document, ParseStrictJson(statement_bytes));
  const Fields statement(document, "");
  ASSAY_ASSIGN_OR_RETURN(std::string type, statement.String("predicateType"));
  const bool v2 = type == kReproductionV2PredicateType;
  ASSAY_ASSIGN_OR_RETURN(Fields predicate,
                         StatementPredicate(statement, v2 ? kReproductionV2PredicateType : kReproductionPredicateType,
                                            "a reproduction record"));
  Reproduction reproduction;
  ASSAY_ASSIGN_OR_RETURN(Sha256Digest claim, predicate.Digest("claim"));
  reproduction.claim_id = ToHex(claim);
  ASSAY_ASSIGN_OR_RETURN(reproduction.weights_match, predicate.Bool("weightsMatch"));
  ASSAY_ASSIGN_OR_RETURN(reproduction.margin, predicate.Number("margin"));
  if (predicate.Has("weightsRoot")) {
    ASSAY_ASSIGN_OR_RETURN(Sha256Digest root, predicate.Digest("weightsRoot"));
    reproduction.observed_weights_root = ToHex(root);
    ASSAY_ASSIGN_OR_RETURN(reproduction.weights_format, predicate.String("weightsFormat"));
  }
  // A group's reproduction summarizes its run as a v2 claim does; a v2
  // reproduction of one task, as v1.
  const json& benchmark = predicate.value().contains("benchmark") ? predicate.value()["benchmark"] : json();
  const bool v2_summary = v2 && benchmark.is_object() && benchmark.contains("kind");
  ASSAY_ASSIGN_OR_RETURN(reproduction.eval, ReadEvalSummary(predicate, v2_summary));
  ASSAY_ASSIGN_OR_RETURN(reproduction.verdicts, ReadVerdicts(predicate, "verdicts", reproduction.weights_match, v2));
  if (v2) {
    if (predicate.Has("plan")) {
      ASSAY_ASSIGN_OR_RETURN(Sha256Digest plan, predicate.Digest("plan"));
      reproduction.plan = ToHex(plan);
    }
    ASSAY_RETURN_IF_ERROR(ReadTaskVerdicts(predicate, reproduction));
    ASSAY_RETURN_IF_ERROR(ReadComparability(predicate, reproduction));
  } else {
    for (const char* key : {"comparability", "acceptedDifferences", "taskVerdicts", "plan"}) {
      if (predicate.Has(key)) return Status::InvalidInput(predicate.path() + "." + key + ": not a field of version 1");
    }
  }
  ASSAY_RETURN_IF_ERROR(CheckSubjects(statement, {{"claim", {"sha256", reproduction.claim_id}}}));
  return reproduction;
}

}  // namespace assay
