#include "record/comparison_statement.h"

#include <algorithm>
#include <array>

#include "json/record_fields.h"
#include "json/strict_json.h"
#include "record/in_toto.h"

namespace assay {
namespace {

using json = nlohmann::json;

// The spellings of claim/same_model_verdict.h (an area above this one).
constexpr std::array<std::string_view, 3> kFindings = {"same", "different", "inconclusive"};
constexpr std::array<std::string_view, 3> kDecodings = {"greedy", "sampled", "unknown"};

// A word of `words`, or kInvalidInput naming the field and the words.
Result<std::string> OneOf(const Fields& fields, const std::string& key, const std::array<std::string_view, 3>& words) {
  ASSAY_ASSIGN_OR_RETURN(std::string word, fields.String(key));
  if (std::find(words.begin(), words.end(), word) != words.end()) return word;
  return Status::InvalidInput(fields.path() + "." + key + ": '" + word + "' is not " + std::string(words[0]) + ", " +
                              std::string(words[1]) + " or " + std::string(words[2]));
}

json RunJson(const ComparedRun& run) {
  json out = {{"transcriptRoot", run.transcript_root}, {"samples", run.samples}, {"format", run.format}};
  if (!run.record.empty()) out["record"] = run.record;
  return out;
}

Result<ComparedRun> ReadRun(const Fields& predicate, const std::string& key) {
  ASSAY_ASSIGN_OR_RETURN(Fields fields, predicate.Object(key));
  ComparedRun run;
  ASSAY_ASSIGN_OR_RETURN(Sha256Digest root, fields.Digest("transcriptRoot"));
  run.transcript_root = ToHex(root);
  ASSAY_ASSIGN_OR_RETURN(run.samples, fields.Unsigned("samples"));
  ASSAY_ASSIGN_OR_RETURN(run.format, fields.String("format"));
  if (fields.Has("record")) {
    ASSAY_ASSIGN_OR_RETURN(Sha256Digest record, fields.Digest("record"));
    run.record = ToHex(record);
  }
  return run;
}

Result<std::optional<double>> OptionalFraction(const Fields& fields, const std::string& key) {
  if (!fields.Has(key)) return std::optional<double>();
  ASSAY_ASSIGN_OR_RETURN(double value, fields.Number(key));
  if (!(value >= 0 && value <= 1)) return Status::InvalidInput(fields.path() + "." + key + ": expected 0 to 1");
  return std::optional<double>(value);
}

}  // namespace

json ComparisonStatement(const Comparison& comparison) {
  json test = {{"decoding", comparison.decoding}, {"prompts", comparison.prompts}};
  if (comparison.test) test["name"] = *comparison.test;
  const std::pair<const char*, const std::optional<double>*> numbers[] = {
      {"statistic", &comparison.statistic}, {"pValue", &comparison.p_value},         {"low", &comparison.low},
      {"high", &comparison.high},           {"baselineRate", &comparison.baseline_rate}, {"pooled", &comparison.pooled}};
  for (const auto& [key, value] : numbers) {
    if (*value) test[key] = **value;
  }
  json predicate = {{"endpoint", EndpointJson(comparison.endpoint)},
                    {"model", ModelRecordRefJson(comparison.model)},
                    {"weightsRun", RunJson(comparison.weights_run)},
                    {"endpointRun", RunJson(comparison.endpoint_run)},
                    {"compared", comparison.compared},
                    {"exactMatchRate", comparison.exact_match_rate},
                    {"test", std::move(test)},
                    {"finding", comparison.finding},
                    {"reason", comparison.reason}};
  if (comparison.baseline_run) predicate["baselineRun"] = RunJson(*comparison.baseline_run);
  return {{"_type", kInTotoStatementType},
          {"subject", ModelRecordSubject(comparison.model.record)},
          {"predicateType", kComparisonPredicateType},
          {"predicate", std::move(predicate)}};
}

Result<Comparison> ParseComparisonStatement(std::string_view statement_bytes) {
  ASSAY_ASSIGN_OR_RETURN(json document, ParseStrictJson(statement_bytes));
  const Fields statement(document, "");
  ASSAY_ASSIGN_OR_RETURN(Fields predicate, StatementPredicate(statement, kComparisonPredicateType, "a comparison record"));
  Comparison comparison;
  ASSAY_ASSIGN_OR_RETURN(comparison.endpoint, ReadEndpoint(predicate));
  ASSAY_ASSIGN_OR_RETURN(Fields model, predicate.Object("model"));
  ASSAY_ASSIGN_OR_RETURN(comparison.model, ReadModelRecordRef(model));
  ASSAY_ASSIGN_OR_RETURN(comparison.weights_run, ReadRun(predicate, "weightsRun"));
  ASSAY_ASSIGN_OR_RETURN(comparison.endpoint_run, ReadRun(predicate, "endpointRun"));
  if (predicate.Has("baselineRun")) {
    ASSAY_ASSIGN_OR_RETURN(comparison.baseline_run, ReadRun(predicate, "baselineRun"));
  }
  ASSAY_ASSIGN_OR_RETURN(comparison.compared, predicate.Unsigned("compared"));
  ASSAY_ASSIGN_OR_RETURN(std::optional<double> rate, OptionalFraction(predicate, "exactMatchRate"));
  if (!rate) return Status::InvalidInput(predicate.path() + ".exactMatchRate: missing");
  comparison.exact_match_rate = *rate;
  ASSAY_ASSIGN_OR_RETURN(comparison.finding, OneOf(predicate, "finding", kFindings));
  ASSAY_ASSIGN_OR_RETURN(comparison.reason, predicate.String("reason"));
  ASSAY_ASSIGN_OR_RETURN(Fields test, predicate.Object("test"));
  if (test.Has("name")) {
    ASSAY_ASSIGN_OR_RETURN(comparison.test, test.String("name"));
  }
  ASSAY_ASSIGN_OR_RETURN(comparison.decoding, OneOf(test, "decoding", kDecodings));
  ASSAY_ASSIGN_OR_RETURN(comparison.prompts, test.Unsigned("prompts"));
  if (test.Has("statistic")) {
    ASSAY_ASSIGN_OR_RETURN(comparison.statistic, test.Number("statistic"));
  }
  ASSAY_ASSIGN_OR_RETURN(comparison.p_value, OptionalFraction(test, "pValue"));
  ASSAY_ASSIGN_OR_RETURN(comparison.low, OptionalFraction(test, "low"));
  ASSAY_ASSIGN_OR_RETURN(comparison.high, OptionalFraction(test, "high"));
  ASSAY_ASSIGN_OR_RETURN(comparison.baseline_rate, OptionalFraction(test, "baselineRate"));
  if (test.Has("pooled")) {
    ASSAY_ASSIGN_OR_RETURN(comparison.pooled, test.Number("pooled"));
  }
  if (comparison.finding != "inconclusive" && !comparison.test) {
    return Status::InvalidInput(test.path() + ".name: missing, and only a test gives a finding other than inconclusive");
  }
  ASSAY_RETURN_IF_ERROR(CheckSubjects(statement, {{"model-record", {"sha256", comparison.model.record}}}));
  return comparison;
}

}  // namespace assay
