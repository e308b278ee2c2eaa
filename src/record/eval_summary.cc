#include "record/eval_summary.h"

#include <cmath>

#include "json/canonical_json.h"

namespace assay {
namespace {

using json = nlohmann::json;

json MetricJson(const RecordedMetric& recorded) {
  const EvalMetric& metric = recorded.metric;
  json out = {{"name", metric.name},
              {"value", NumberJson(metric.value)},
              {"stderr", metric.stderr_value ? NumberJson(*metric.stderr_value) : json(nullptr)},
              {"direction", !metric.higher_is_better ? "unknown" : *metric.higher_is_better ? "higher" : "lower"},
              {"aggregation", metric.aggregation},
              {"recomputed", recorded.recomputed}};
  if (!metric.per_sample_key.empty()) out["perSampleKey"] = metric.per_sample_key;
  if (recorded.samples) out["samples"] = *recorded.samples;
  if (!recorded.recomputed) out["notRecomputable"] = recorded.not_recomputable;
  return out;
}

Result<RecordedMetric> ReadMetric(const Fields& fields) {
  RecordedMetric recorded;
  EvalMetric& metric = recorded.metric;
  ASSAY_ASSIGN_OR_RETURN(metric.name, fields.String("name"));
  ASSAY_ASSIGN_OR_RETURN(metric.value, fields.Number("value"));
  if (!fields.Has("stderr")) return Status::InvalidInput(fields.path() + ".stderr: missing");
  if (!fields.value()["stderr"].is_null()) {
    ASSAY_ASSIGN_OR_RETURN(metric.stderr_value, fields.Number("stderr"));
  }
  ASSAY_ASSIGN_OR_RETURN(std::string direction, fields.String("direction"));
  if (direction == "higher") {
    metric.higher_is_better = true;
  } else if (direction == "lower") {
    metric.higher_is_better = false;
  } else if (direction != "unknown") {
    return Status::InvalidInput(fields.path() + ".direction: expected \"higher\", \"lower\" or \"unknown\"");
  }
  ASSAY_ASSIGN_OR_RETURN(metric.aggregation, fields.String("aggregation"));
  if (fields.Has("perSampleKey")) {
    ASSAY_ASSIGN_OR_RETURN(metric.per_sample_key, fields.String("perSampleKey"));
  }
  if (fields.Has("samples")) {
    ASSAY_ASSIGN_OR_RETURN(recorded.samples, fields.Unsigned("samples"));
  }
  ASSAY_ASSIGN_OR_RETURN(recorded.recomputed, fields.Bool("recomputed"));
  if (!recorded.recomputed) {
    ASSAY_ASSIGN_OR_RETURN(recorded.not_recomputable, fields.String("notRecomputable"));
  }
  return recorded;
}

// Optional string fields are written only when known, and read back as "".
void PutIfKnown(json& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}
Status GetIfPresent(const Fields& fields, const char* key, std::string& value) {
  if (!fields.Has(key)) return Status::Ok();
  ASSAY_ASSIGN_OR_RETURN(value, fields.String(key));
  return Status::Ok();
}

}  // namespace

const RecordedMetric* EvalSummary::FindMetric(const std::string& name) const {
  for (const RecordedMetric& recorded : metrics) {
    if (recorded.metric.name == name) return &recorded;
  }
  return nullptr;
}

EvalSummary SummarizeRun(const EvalRun& run) {
  EvalSummary summary;
  summary.benchmark = run.benchmark;
  summary.benchmark_version = run.benchmark_version;
  summary.samples_used = run.samples_used;
  summary.samples_total = run.samples_total;
  summary.harness = run.harness;
  summary.harness_version = run.harness_version;
  summary.harness_commit = run.harness_commit;
  summary.config = run.config;
  summary.log_model_name = run.model_name;
  summary.log_model_revision = run.model_revision;
  summary.log_model_source = run.model_source;
  for (const EvalMetric& metric : run.metrics) {
    RecordedMetric recorded;
    recorded.metric = metric;
    summary.metrics.push_back(std::move(recorded));
  }
  return summary;
}

void WriteEvalSummary(const EvalSummary& summary, json& predicate) {
  json benchmark = {{"name", summary.benchmark}, {"partial", summary.partial()}};
  PutIfKnown(benchmark, "version", summary.benchmark_version);
  if (summary.samples_used) benchmark["samplesUsed"] = *summary.samples_used;
  if (summary.samples_total) benchmark["samplesTotal"] = *summary.samples_total;
  json harness = {{"name", summary.harness}};
  PutIfKnown(harness, "version", summary.harness_version);
  PutIfKnown(harness, "commit", summary.harness_commit);
  json metrics = json::array();
  for (const RecordedMetric& metric : summary.metrics) metrics.push_back(MetricJson(metric));
  json log_model = json::object();
  PutIfKnown(log_model, "name", summary.log_model_name);
  PutIfKnown(log_model, "revision", summary.log_model_revision);
  PutIfKnown(log_model, "source", summary.log_model_source);
  predicate["benchmark"] = std::move(benchmark);
  predicate["harness"] = std::move(harness);
  predicate["evalConfig"] = summary.config;
  predicate["metrics"] = std::move(metrics);
  predicate["logModel"] = std::move(log_model);
  if (summary.transcript) {
    const TranscriptCommitment& transcript = *summary.transcript;
    predicate["transcript"] = {{"root", transcript.root},
                               {"samples", transcript.samples},
                               {"format", transcript.format},
                               {"harnessHashRows", transcript.harness_hash_rows}};
  }
}

Result<EvalSummary> ReadEvalSummary(const Fields& predicate) {
  EvalSummary summary;
  ASSAY_ASSIGN_OR_RETURN(Fields benchmark, predicate.Object("benchmark"));
  ASSAY_ASSIGN_OR_RETURN(summary.benchmark, benchmark.String("name"));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(benchmark, "version", summary.benchmark_version));
  if (benchmark.Has("samplesUsed")) {
    ASSAY_ASSIGN_OR_RETURN(summary.samples_used, benchmark.Unsigned("samplesUsed"));
  }
  if (benchmark.Has("samplesTotal")) {
    ASSAY_ASSIGN_OR_RETURN(summary.samples_total, benchmark.Unsigned("samplesTotal"));
  }
  ASSAY_ASSIGN_OR_RETURN(bool partial, benchmark.Bool("partial"));
  if (partial != summary.partial()) {
    return Status::InvalidInput(benchmark.path() + ".partial: disagrees with samplesUsed and samplesTotal");
  }
  ASSAY_ASSIGN_OR_RETURN(Fields harness, predicate.Object("harness"));
  ASSAY_ASSIGN_OR_RETURN(summary.harness, harness.String("name"));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(harness, "version", summary.harness_version));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(harness, "commit", summary.harness_commit));
  ASSAY_ASSIGN_OR_RETURN(Fields config, predicate.Object("evalConfig"));
  summary.config = config.value();
  ASSAY_ASSIGN_OR_RETURN(std::vector<Fields> metrics, predicate.Array("metrics"));
  for (const Fields& metric : metrics) {
    ASSAY_ASSIGN_OR_RETURN(RecordedMetric recorded, ReadMetric(metric));
    summary.metrics.push_back(std::move(recorded));
  }
  ASSAY_ASSIGN_OR_RETURN(Fields log_model, predicate.Object("logModel"));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(log_model, "name", summary.log_model_name));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(log_model, "revision", summary.log_model_revision));
  ASSAY_RETURN_IF_ERROR(GetIfPresent(log_model, "source", summary.log_model_source));
  if (predicate.Has("transcript")) {
    ASSAY_ASSIGN_OR_RETURN(Fields transcript_fields, predicate.Object("transcript"));
    TranscriptCommitment transcript;
    ASSAY_ASSIGN_OR_RETURN(Sha256Digest root, transcript_fields.Digest("root"));
    transcript.root = ToHex(root);
    ASSAY_ASSIGN_OR_RETURN(transcript.samples, transcript_fields.Unsigned("samples"));
    ASSAY_ASSIGN_OR_RETURN(transcript.format, transcript_fields.String("format"));
    ASSAY_ASSIGN_OR_RETURN(transcript.harness_hash_rows, transcript_fields.Unsigned("harnessHashRows"));
    summary.transcript = std::move(transcript);
  }
  return summary;
}

}  // namespace assay
