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
  return {{"field", difference.field}, {"claimed", difference.claimed}, {"reproduced", difference.reproduced}};
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
    return Status::InvalidInput(predicate.path() + ": a version 2 reproduction records its comparability");
  }
  return Status::Ok();
}

}  // namespace

bool Reproduction::is_v2() const {
  const bool not_comparable = std::any_of(verdicts.begin(), verdicts.end(), [](const MetricVerdict& verdict) {
    return verdict.kind == VerdictKind::kNotComparable;
  });
  return not_comparable || !differences.empty() || !unknown_fields.empty() || !accepted.empty();
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
  if (!reproduction.differences.empty() || !reproduction.unknown_fields.empty()) {
    json differences = json::array();
    for (const ConfigDifference& difference : reproduction.differences) differences.push_back(DifferenceJson(difference));
    predicate["comparability"] = {{"differences", std::move(differences)}, {"unknown", reproduction.unknown_fields}};
  }
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
  ASSAY_ASSIGN_OR_RETURN(reproduction.eval, ReadEvalSummary(predicate));
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> verdicts, predicate.Array("verdicts"));
  for (const Fields& fields : verdicts) {
    ASSAY_ASSIGN_OR_RETURN(MetricVerdict verdict, ReadVerdict(fields));
    // "Different weights" and a score comparison exclude each other.
    if ((verdict.kind == VerdictKind::kDifferentWeights) == reproduction.weights_match) {
      return Status::InvalidInput(fields.path() + ": verdict \"" + std::string(VerdictKindName(verdict.kind)) +
                                  "\" contradicts weightsMatch");
    }
    if (verdict.kind == VerdictKind::kNotComparable && !v2) {
      return Status::InvalidInput(fields.path() + ".verdict: \"not comparable\" is a verdict of version 2");
    }
    reproduction.verdicts.push_back(std::move(verdict));
  }
  if (v2) {
    ASSAY_RETURN_IF_ERROR(ReadComparability(predicate, reproduction));
  } else {
    for (const char* key : {"comparability", "acceptedDifferences"}) {
      if (predicate.Has(key)) return Status::InvalidInput(predicate.path() + "." + key + ": not a field of version 1");
    }
  }
  ASSAY_RETURN_IF_ERROR(CheckSubjects(statement, {{"claim", {"sha256", reproduction.claim_id}}}));
  return reproduction;
}

}  // namespace assay
