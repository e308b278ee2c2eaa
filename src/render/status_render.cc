#include "render/status_render.h"

#include "claim/claim_text.h"
#include "claim/config_comparison.h"
#include "joined.h"
#include "json/canonical_json.h"
#include "record/points.h"
#include "render/plan_render.h"
#include "render/revocation_render.h"
#include "render/signers.h"
#include "render/text.h"
#include "utc_time.h"

namespace assay {
namespace {

using nlohmann::json;

json SignerList(const CheckedRecord& record) {
  json list = json::array();
  for (const RecordSigner& signer : record.signers) {
    if (signer.entry) list.push_back(DescribeSigner(*signer.entry));
  }
  return list;
}

json UploadJson(const Upload& upload) {
  return {{"record", upload.record_id}, {"name", UploadName(upload)}, {"weightsRoot", upload.weights_root}};
}

json MetricsJson(const std::vector<RecordedMetric>& recorded_metrics) {
  json metrics = json::array();
  for (const RecordedMetric& recorded : recorded_metrics) {
    metrics.push_back({{"name", recorded.metric.name},
                       {"value", NumberJson(recorded.metric.value)},
                       {"stderr", recorded.metric.stderr_value ? NumberJson(*recorded.metric.stderr_value) : json(nullptr)},
                       {"recomputed", recorded.recomputed}});
  }
  return metrics;
}

// One reproduction's verdicts on the run's scores ("" task) or a group task's,
// each saying whether it counts.
json VerdictsJson(const SignedClaim& claim, const SignedReproduction& reproduction, const std::string& task) {
  json verdicts = json::array();
  const std::vector<MetricVerdict>* on = reproduction.reproduction.VerdictsOn(task);
  for (const MetricVerdict& verdict : on ? *on : std::vector<MetricVerdict>()) {
    json entry = VerdictJson(verdict);
    std::optional<std::string> why = WhyNotCounted(claim, reproduction, verdict, task);
    entry["counted"] = !why.has_value();
    if (why) entry["notCounted"] = *why;
    verdicts.push_back(std::move(entry));
  }
  return verdicts;
}

json ClaimJson(const SignedClaim& claim, const Withdrawals& withdrawals) {
  json metrics = MetricsJson(claim.claim.eval.metrics);
  json reproductions = json::array();
  for (const SignedReproduction& reproduction : claim.reproductions) {
    json entry = {{"id", reproduction.record.id},
                  {"trusted", reproduction.record.counts()},
                  {"altered", reproduction.record.altered()},
                  {"signers", SignerList(reproduction.record)},
                  {"weightsMatch", reproduction.reproduction.weights_match},
                  {"verdicts", VerdictsJson(claim, reproduction, "")},
                  {"withdrawn", WithdrawnJson(withdrawals.Of(reproduction.record.id))}};
    if (reproduction.plan) entry["plan"] = PlanReportJson(*reproduction.plan);
    if (!reproduction.reproduction.task_verdicts.empty()) {
      entry["taskVerdicts"] = json::array();
      for (const TaskVerdicts& task : reproduction.reproduction.task_verdicts) {
        entry["taskVerdicts"].push_back({{"task", task.task}, {"verdicts", VerdictsJson(claim, reproduction, task.task)}});
      }
    }
    reproductions.push_back(std::move(entry));
  }
  const EvalSummary& eval = claim.claim.eval;
  json out = {{"id", claim.record.id},
              {"trusted", claim.record.counts()},
              {"signers", SignerList(claim.record)},
              {"benchmark", eval.benchmark},
              {"partial", eval.partial()},
              {"boundToWeights", claim.claim.binding.bound_to_weights()},
              {"metrics", std::move(metrics)},
              {"transcriptCommitted", eval.transcript.has_value()},
              {"reproductions", std::move(reproductions)},
              {"standing", ClaimStandingName(StandingOf(claim))},
              {"withdrawn", WithdrawnJson(withdrawals.Of(claim.record.id))}};
  if (!claim.claim.model_mismatch.empty()) out["logModelMismatch"] = claim.claim.model_mismatch;
  if (claim.plan) out["plan"] = PlanReportJson(*claim.plan);
  if (eval.is_group()) {
    out["tasks"] = json::array();
    for (const TaskSummary& task : eval.tasks) {
      out["tasks"].push_back({{"name", task.name}, {"metrics", MetricsJson(task.metrics)}});
    }
  }
  return out;
}

// One line of a claim's score table: a score and who signed it, or (metric
// empty, heading set) the name of a group's task. `note` goes on the line
// below: why a verdict does not count. `signer` is names only: a row's place
// gives its role (the first claims, the rest reproduce).
struct ScoreRow {
  std::string metric = "", score = "", diff = "", se = "", verdict = "", signer = "", heading = "", note = "";
};

// A cell `width` columns wide, padded on the right (left: on the left).
std::string Cell(const std::string& text, size_t width, bool left = false) {
  const std::string padding(DisplayWidth(text) < width ? width - DisplayWidth(text) : 0, ' ');
  return left ? padding + text : text + padding;
}

// The rows with each column as wide as its widest cell, so the table is no
// wider than what it shows (FitToWidth breaks what is still too long).
std::string ScoreTable(const std::vector<ScoreRow>& rows) {
  const ScoreRow header{"METRIC", "SCORE", "DIFF", "SE", "VERDICT", "SIGNED BY", "", ""};
  size_t widths[5] = {};
  auto widen = [&](const ScoreRow& row) {
    const std::string* cells[5] = {&row.metric, &row.score, &row.diff, &row.se, &row.verdict};
    for (size_t i = 0; i < 5; ++i) widths[i] = std::max(widths[i], DisplayWidth(Printable(*cells[i])));
  };
  widen(header);
  for (const ScoreRow& row : rows) {
    if (row.heading.empty()) widen(row);
  }
  auto line = [&](const ScoreRow& row) {
    return "  " + Cell(Printable(row.metric), widths[0]) + "  " + Cell(Printable(row.score), widths[1]) + "  " +
           Cell(row.diff, widths[2], true) + "  " + Cell(row.se, widths[3], true) + "  " +
           Cell(Printable(row.verdict), widths[4]) + "  " + Printable(row.signer);
  };
  std::string text = line(header) + "\n";
  for (const ScoreRow& row : rows) {
    if (!row.heading.empty()) {
      text += "  " + Printable(row.heading) + "\n";
      continue;
    }
    std::string shown = line(row);
    while (shown.ends_with(' ')) shown.pop_back();
    text += shown + "\n";
    if (!row.note.empty()) text += Format("      %s\n", row.note);
  }
  return text;
}

// One reproduction's rows on `metric` of the run ("" task) or of a group's task.
void AddReproductionRows(const SignedClaim& claim, const SignedReproduction& reproduction, const std::string& metric,
                         const std::string& task, std::vector<ScoreRow>& rows) {
  // The rerun's own metric: the claimed one, or the same under another filter.
  const std::vector<RecordedMetric>* their_metrics = reproduction.reproduction.eval.MetricsOf(task);
  const std::vector<MetricVerdict>* verdicts = reproduction.reproduction.VerdictsOn(task);
  if (their_metrics == nullptr || verdicts == nullptr) return;
  const RecordedMetric* counterpart = FindCounterpart(*their_metrics, metric);
  const EvalMetric* theirs = counterpart ? &counterpart->metric : nullptr;
  for (const MetricVerdict& verdict : *verdicts) {
    if (verdict.metric != metric) continue;
    ScoreRow row{.score = verdict.comparison && theirs ? FormatMetricValue(*theirs) : "-",
                 .verdict = VerdictWord(verdict.kind),
                 .signer = CountingSigners(reproduction.record, /*with_roles=*/false)};
    if (verdict.comparison) {
      row.diff = FormatPoints(verdict.comparison->difference_points);
      if (verdict.comparison->difference_in_stderrs) row.se = FormatPoints(*verdict.comparison->difference_in_stderrs);
    }
    if (std::optional<std::string> why = WhyNotCounted(claim, reproduction, verdict, task)) {
      row.note = "not counted: " + *why;
    }
    rows.push_back(std::move(row));
  }
}

// The claimed score's row, then every reproduction's on it.
void AddMetricRows(const SignedClaim& claim, const RecordedMetric& recorded, const std::string& task,
                   std::vector<ScoreRow>& rows) {
  rows.push_back({.metric = recorded.metric.name,
                  .score = FormatMetricValue(recorded.metric),
                  .verdict = recorded.recomputed ? "claimed" : "claimed, not recomputed",
                  .signer = CountingSigners(claim.record, /*with_roles=*/false)});
  for (const SignedReproduction& reproduction : claim.reproductions) {
    AddReproductionRows(claim, reproduction, recorded.metric.name, task, rows);
  }
}

// `served`: what a host said answered an endpoint claim's run; null for a claim about weights.
std::string ClaimRows(const SignedClaim& claim, const Withdrawals& withdrawals, const JudgedDeployment* served = nullptr) {
  const EvalSummary& eval = claim.claim.eval;
  std::string text = Format("\n%s\n  claim %.12s: %s%s\n", DescribeBenchmark(eval), claim.record.id,
                            ClaimStandingName(StandingOf(claim)), WithdrawnText(withdrawals.Of(claim.record.id)));
  if (served != nullptr) {
    text += Format("  run on %s/%s at %s (asserted by the run's log),\n"
                   "  while host %s said it served these weights (deployment %.16s)\n",
                   served->deployment.endpoint.provider, served->deployment.endpoint.model, FormatUtcTime(*eval.started),
                   served->host, served->record);
  }
  if (!claim.claim.model_mismatch.empty()) text += Format("  log model mismatch: %s\n", claim.claim.model_mismatch);
  if (claim.plan) text += Format("  %s\n", Printable(claim.plan->Describe()));
  for (const SignedReproduction& reproduction : claim.reproductions) {
    if (reproduction.plan) {
      text += Format("  reproduction %.12s: %s\n", reproduction.record.id, Printable(reproduction.plan->Describe()));
    }
    if (const JudgedRevocation* withdrawn = withdrawals.Of(reproduction.record.id)) {
      text += Format("  reproduction %.12s%s\n", reproduction.record.id, WithdrawnText(withdrawn));
    }
  }
  std::vector<ScoreRow> rows;
  for (const RecordedMetric& recorded : eval.metrics) AddMetricRows(claim, recorded, "", rows);
  // A group's tasks, folded under it, each with its own claimed scores and
  // each reproduction's verdicts on them.
  for (const TaskSummary& task : eval.tasks) {
    const uint64_t samples = task.metrics.empty() ? 0 : task.metrics.front().samples.value_or(0);
    rows.push_back({.heading = "task " + task.name + (samples > 0 ? ", " + Plural(samples, "sample") : "")});
    for (const RecordedMetric& recorded : task.metrics) AddMetricRows(claim, recorded, task.name, rows);
  }
  return text + ScoreTable(rows);
}

// "different model (mmd-permutation, p = 1.4e-09)".
std::string ComparisonFindingText(const Comparison& comparison) {
  std::string text(FindingText(ParseFindingName(comparison.finding).value_or(SameModelFinding::kInconclusive)));
  if (comparison.test) {
    text += " (" + *comparison.test + (comparison.p_value ? ", p = " + PValueText(*comparison.p_value) : "") + ")";
  }
  return text;
}

}  // namespace

std::string UploadName(const Upload& upload) {
  return upload.revision ? upload.name + " @ " + *upload.revision : upload.name;
}

std::string RenderText(const ModelStatus& status) {
  const ModelIdentity& identity = status.model.model->identity;
  const CheckedRecord& record = *status.model.record;
  std::string text = Format("model      %s%s\n", identity.name, identity.revision ? " @ " + *identity.revision : "");
  text += Format("record     %.16s, signed by %s\n", record.id, CountingSigners(record));
  if (const JudgedRevocation* withdrawn = status.withdrawals.Of(record.id)) {
    text += Format("          %s\n", WithdrawnText(withdrawn));
  }
  text += Format("weights    %s\n", status.weights_root.empty() ? "no weights root in the record" : status.weights_root);
  for (const Upload& upload : status.same_weights) {
    text += Format("  same weights       %s (record %.12s)\n", UploadName(upload), upload.record_id);
  }
  for (const Upload& upload : status.different_weights) {
    text += Format("  DIFFERENT WEIGHTS  %s (record %.12s, root %.16s): 'assay diff %.12s %.12s' says what changed\n",
                   UploadName(upload), upload.record_id, upload.weights_root, record.id, upload.record_id);
  }
  for (const JudgedDeployment& one : status.deployments) {
    text += Format("  served by          %s/%s from %s%s (asserted by host %s, deployment %.16s)%s",
                   Printable(one.deployment.endpoint.provider), Printable(one.deployment.endpoint.model), one.deployment.from,
                   one.ended.empty() ? ", still serving" : " until " + one.ended, Printable(one.host), one.record,
                   one.problem.empty() ? "" : " (NOT COUNTED: " + Printable(one.problem) + ")") +
            WithdrawnText(status.withdrawals.Of(one.record)) + "\n";
  }
  for (const JudgedComparison& one : status.comparisons) {
    const Comparison& comparison = one.comparison;
    text += Format("  endpoint test      %s/%s: %s (evaluator %s, comparison %.16s)%s", comparison.endpoint.provider,
                   comparison.endpoint.model, ComparisonFindingText(comparison), one.evaluator, one.record,
                   one.problem.empty() ? "" : " (NOT COUNTED: " + one.problem + ")") +
            WithdrawnText(status.withdrawals.Of(one.record)) + "\n";
  }
  if (status.claims.empty()) text += "\nno claims about these weights yet\n";
  for (const SignedClaim& claim : status.claims) text += ClaimRows(claim, status.withdrawals);
  if (!status.endpoint_claims.empty()) text += "\nendpoint claims, run while a host said it served these weights\n";
  for (const ServedClaim& served : status.endpoint_claims) {
    text += ClaimRows(served.claim, status.withdrawals, &served.served);
  }
  if (!status.unclaimed_plans.empty()) text += "\nplans no claim names yet\n";
  for (const UnclaimedPlan& plan : status.unclaimed_plans) {
    std::vector<std::string> benchmarks;
    for (const PlannedBenchmark& benchmark : plan.plan.benchmarks) benchmarks.push_back(DescribePlannedBenchmark(benchmark));
    text += Format("  plan %.16s by %s: %s\n", plan.id, Printable(plan.signer), Printable(Joined(benchmarks, ", ")));
  }
  return text;
}

json RenderJson(const ModelStatus& status) {
  const ModelIdentity& identity = status.model.model->identity;
  json out = {{"model",
               {{"record", status.model.record->id},
                {"name", identity.name},
                {"trusted", status.model.record->counts()},
                {"withdrawn", WithdrawnJson(status.withdrawals.Of(status.model.record->id))}}},
              {"weightsRoot", status.weights_root},
              {"sameWeights", json::array()},
              {"differentWeights", json::array()},
              {"claims", json::array()}};
  if (identity.revision) out["model"]["revision"] = *identity.revision;
  for (const Upload& upload : status.same_weights) out["sameWeights"].push_back(UploadJson(upload));
  for (const Upload& upload : status.different_weights) out["differentWeights"].push_back(UploadJson(upload));
  for (const SignedClaim& claim : status.claims) out["claims"].push_back(ClaimJson(claim, status.withdrawals));
  out["deployments"] = json::array();
  for (const JudgedDeployment& one : status.deployments) {
    json entry = {{"record", one.record},
                  {"endpoint", EndpointName(one.deployment.endpoint)},
                  {"modelRecord", one.deployment.model_record},
                  {"host", one.host},
                  {"from", one.deployment.from},
                  {"until", one.ended.empty() ? json() : json(one.ended)},
                  {"counted", one.problem.empty()},
                  {"withdrawn", WithdrawnJson(status.withdrawals.Of(one.record))}};
    if (!one.problem.empty()) entry["problem"] = one.problem;
    out["deployments"].push_back(std::move(entry));
  }
  out["endpointClaims"] = json::array();
  for (const ServedClaim& served : status.endpoint_claims) {
    const Endpoint& endpoint = served.served.deployment.endpoint;
    out["endpointClaims"].push_back({{"claim", ClaimJson(served.claim, status.withdrawals)},
                                     {"endpoint", EndpointName(endpoint)},
                                     {"runStarted", FormatUtcTime(*served.claim.claim.eval.started)},
                                     {"servedUnder", served.served.record}});
  }
  out["comparisons"] = json::array();
  for (const JudgedComparison& one : status.comparisons) {
    const Comparison& comparison = one.comparison;
    json entry = {{"record", one.record},
                  {"endpoint", EndpointName(comparison.endpoint)},
                  {"modelRecord", comparison.model.record},
                  {"evaluator", one.evaluator},
                  {"finding", comparison.finding},
                  {"test", comparison.test ? json(*comparison.test) : json()},
                  {"pValue", comparison.p_value ? json(*comparison.p_value) : json()},
                  {"reason", comparison.reason},
                  {"counted", one.problem.empty()},
                  {"withdrawn", WithdrawnJson(status.withdrawals.Of(one.record))}};
    if (!one.problem.empty()) entry["problem"] = one.problem;
    out["comparisons"].push_back(std::move(entry));
  }
  out["unclaimedPlans"] = json::array();
  for (const UnclaimedPlan& plan : status.unclaimed_plans) {
    json benchmarks = json::array();
    for (const PlannedBenchmark& benchmark : plan.plan.benchmarks) benchmarks.push_back(benchmark.name);
    out["unclaimedPlans"].push_back({{"id", plan.id}, {"signer", plan.signer}, {"benchmarks", std::move(benchmarks)}});
  }
  return out;
}

}  // namespace assay
