#include "render/claim_render.h"

#include "claim/claim_text.h"
#include "render/model_render.h"
#include "render/signers.h"
#include "render/text.h"

namespace assay {
namespace {

using nlohmann::json;

std::string BindingLine(const ClaimBinding& binding) {
  return Format("%-10s %s\n", binding.endpoint ? "endpoint" : "model", DescribeBinding(binding));
}

// What a check found, with the signer it counted for.
std::string CheckDetail(const ClaimCheck& check) {
  if (!check.signer || !check.signer->entry) return check.detail;
  return check.detail + " signed by " + DescribeSigner(*check.signer->entry);
}

std::string_view CheckMark(CheckOutcome outcome) {
  switch (outcome) {
    case CheckOutcome::kPass:
      return "ok";
    case CheckOutcome::kFail:
      return "FAIL";
    case CheckOutcome::kNotCounted:
      break;
  }
  return "--";
}

// "acc,none 0.525 ± 0.08 (recomputed from 40 samples)", with the group rule when it has one.
std::string MetricLine(const char* label, const std::string& task, const RecordedMetric& recorded) {
  std::string how = recorded.recomputed ? "recomputed from " + std::to_string(recorded.samples.value_or(0)) + " samples"
                                        : "not recomputed: " + recorded.not_recomputable;
  if (!recorded.rule.empty()) how += "; group rule " + recorded.rule;
  if (recorded.derived) how += "; DERIVED by assay: the log gives no group score";
  return Format("%-10s %s%s %s (%s)\n", label, task.empty() ? "" : task + " ", recorded.metric.name,
                FormatMetricValue(recorded.metric), how);
}

}  // namespace

std::string RenderEvalSummary(const EvalSummary& eval) {
  std::string text = Format("benchmark  %s\n", DescribeBenchmark(eval));
  std::string harness = eval.harness;
  if (!eval.harness_version.empty()) harness += " " + eval.harness_version;
  if (!eval.harness_commit.empty()) harness += " (commit " + eval.harness_commit + ")";
  text += Format("harness    %s\n", harness);
  if (eval.is_group() && eval.metrics.empty()) text += "metric     no group score in the log\n";
  for (const RecordedMetric& recorded : eval.metrics) text += MetricLine("metric", "", recorded);
  for (const TaskSummary& task : eval.tasks) {
    for (const RecordedMetric& recorded : task.metrics) text += MetricLine("task", task.name, recorded);
  }
  if (eval.transcript) {
    text += Format("transcript root %s over %llu samples\n", eval.transcript->root,
                   static_cast<unsigned long long>(eval.transcript->samples));
  }
  return text;
}

std::string RenderClaimSummary(const Claim& claim) {
  std::string text = BindingLine(claim.binding) + RenderEvalSummary(claim.eval);
  if (!claim.eval.log_model_name.empty()) {
    std::string log = claim.eval.log_model_name;
    if (!claim.eval.log_model_revision.empty()) log += " @ " + claim.eval.log_model_revision;
    text += Format("log model  %s%s\n", log, claim.model_mismatch.empty() ? "" : "  MISMATCH");
  }
  if (!claim.model_mismatch.empty()) text += Format("mismatch   %s\n", claim.model_mismatch);
  return text;
}

std::string RenderVerdictLine(const MetricVerdict& verdict, const std::string& task) {
  std::string text = Format("verdict    %s%s %s: %s\n", task.empty() ? "" : "task " + task + " ", verdict.metric,
                            VerdictWord(verdict.kind), DescribeComparison(verdict));
  if (verdict.comparison && !verdict.reason.empty()) text += Format("because    %s\n", verdict.reason);
  return text;
}

std::string RenderText(const AttestedClaim& attested) {
  std::string text = Format("claim      %s\n", attested.published.id) + RenderClaimSummary(attested.claim);
  if (attested.transcript_file) {
    text += Format("transcript %s (samples and salts: keep it to reveal samples or let others recompute)\n",
                   *attested.transcript_file);
  }
  return text + RenderPublication(attested.published);
}

std::string RenderJson(const AttestedClaim& attested) { return attested.published.record; }

std::string RenderText(const AttestedClaims& attested) {
  if (attested.claims.size() == 1) return RenderText(attested.claims.front());
  std::string text;
  size_t scores = 0, recomputed = 0;
  for (const AttestedClaim& claim : attested.claims) {
    const EvalSummary& eval = claim.claim.eval;
    size_t mine = 0, mine_recomputed = 0;
    auto count = [&](const std::vector<RecordedMetric>& metrics) {
      for (const RecordedMetric& metric : metrics) {
        ++mine;
        mine_recomputed += metric.recomputed;
      }
    };
    count(eval.metrics);
    for (const TaskSummary& task : eval.tasks) count(task.metrics);
    scores += mine;
    recomputed += mine_recomputed;
    std::string what = eval.is_group() ? Format("group of %zu tasks", eval.tasks.size()) : std::string("task");
    text += Format("claim      %s %s (%s): %zu scores, %zu recomputed%s\n", claim.published.id.substr(0, 16),
                   eval.benchmark, what, mine, mine_recomputed,
                   claim.transcript_file ? ", opening " + *claim.transcript_file : std::string());
  }
  const PublishedRecord& last = attested.claims.back().published;
  text += Format("signed     %zu claims, %zu scores (%zu recomputed from their samples), by key %s %s\n",
                 attested.claims.size(), scores, recomputed, last.key_id, last.fingerprint);
  if (last.appended) {
    text += Format("ledger     appended in %s (%s)\n", last.appended->commit.substr(0, 12), last.ledger);
  }
  return text;
}

std::string RenderJson(const AttestedClaims& attested) {
  std::string lines;
  for (const AttestedClaim& claim : attested.claims) lines += RenderJson(claim) + "\n";
  return lines;
}

std::string RenderText(const AttestedReproduction& attested) {
  const Reproduction& reproduction = attested.reproduction;
  std::string text = Format("reproduction %s\n", attested.published.id);
  text += Format("of claim   %s\n", attested.claim_id) + BindingLine(attested.claim.binding);
  if (attested.claim.binding.bound_to_weights()) {
    text += Format("weights    %s %s\n", attested.observed_root,
                   reproduction.weights_match ? "(the claim's weights)" : "DIFFERENT WEIGHTS from the claim's");
  }
  text += RenderEvalSummary(reproduction.eval);
  for (const MetricVerdict& verdict : reproduction.verdicts) text += RenderVerdictLine(verdict);
  for (const TaskVerdicts& task : reproduction.task_verdicts) {
    for (const MetricVerdict& verdict : task.verdicts) text += RenderVerdictLine(verdict, task.task);
  }
  if (attested.transcript_file) text += Format("transcript %s (your samples and salts)\n", *attested.transcript_file);
  return text + RenderPublication(attested.published);
}

std::string RenderJson(const AttestedReproduction& attested) { return attested.published.record; }

std::string RenderText(const ClaimVerification& verification) {
  std::string text = Format("claim      %s\n", verification.claim.record.id);
  text += RenderClaimSummary(verification.claim.claim) + "\n";
  for (const ClaimCheck& check : verification.checks) {
    // Two spaces at least after the check's name, so a long line's later lines start under its detail.
    text += Format("%-4s %-12s  %s\n", CheckMark(check.outcome), check.check, CheckDetail(check));
  }
  return text;
}

json RenderJson(const ClaimVerification& verification) {
  json checks = json::array();
  for (const ClaimCheck& check : verification.checks) {
    json entry = {{"check", check.check},
                  {"ok", check.outcome != CheckOutcome::kFail},
                  {"outcome", CheckOutcomeName(check.outcome)},
                  {"detail", CheckDetail(check)}};
    if (check.signer) entry["signer"] = RecordSignerJson(*check.signer);
    checks.push_back(std::move(entry));
  }
  return {{"claim", verification.claim.record.id}, {"ok", verification.ok()}, {"checks", std::move(checks)}};
}

}  // namespace assay
