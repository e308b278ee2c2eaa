#include "claim/verdict.h"
#include "claim/reproduction_draft.h"

#include "claim/claim_draft.h"
#include "claim/config_comparison.h"

#include <algorithm>

namespace assay {
namespace {

// What the comparison of configurations does to a verdict on the claim's
// weights: "not comparable" while a difference is not accepted; otherwise the
// verdict stands, its reason naming what was accepted and what is unknown.
void ApplyComparability(const Reproduction& reproduction, MetricVerdict& verdict) {
  if (verdict.kind == VerdictKind::kDifferentWeights) return;
  ConfigComparison configuration{reproduction.differences, reproduction.unknown_fields};
  const std::vector<ConfigDifference> unaccepted = configuration.Unaccepted(reproduction.accepted);
  if (!unaccepted.empty()) {
    verdict.kind = VerdictKind::kNotComparable;
    verdict.reason = "the runs did not measure the same thing: " +
                     ConfigComparison{unaccepted, {}}.DifferencesLine() + " (the numbers alone: " + verdict.reason + ")";
  } else if (!reproduction.accepted.empty()) {
    for (const AcceptedDifference& one : reproduction.accepted) {
      verdict.reason += "; compared despite " + one.field + " (accepted: " + one.reason + ")";
    }
  }
  if (!configuration.unknown.empty()) verdict.reason += "; " + configuration.UnknownLine();
}

}  // namespace

Result<ReproductionDraft> DraftReproduction(const std::string& claim_id, const Claim& claim,
                                            const std::vector<EvalSample>& claimed_samples, const EvalRun& run,
                                            const std::string& observed_root, const std::string& observed_format,
                                            const ReproductionDraftOptions& options) {
  ASSAY_RETURN_IF_ERROR(CheckMargin(options.margin));
  const ClaimBinding& binding = claim.binding;
  if (binding.bound_to_weights() && observed_root.empty()) {
    return Status::InvalidInput("the claim is bound to weights: say which weights you ran (--weights DIR or --weights-root HEX)");
  }
  if (claim.eval.is_group() || run.is_group()) {
    return Status::InvalidInput("group " + (claim.eval.is_group() ? claim.eval.benchmark : run.benchmark) +
                                ": reproductions of a group (reproduction/v2, docs/spec/claim-v2.md) are not written "
                                "yet; reproduce a claim of one of its tasks");
  }
  ReproductionDraft draft;
  Reproduction& reproduction = draft.reproduction;
  reproduction.claim_id = claim_id;
  reproduction.margin = options.margin;
  reproduction.observed_weights_root = observed_root;
  reproduction.weights_format = observed_format;
  reproduction.weights_match = !binding.bound_to_weights() ||
                               (observed_root == binding.weights_root && observed_format == binding.weights_format);

  // The evaluator's own numbers are recorded like a claim's: the metrics the
  // claim names, recomputed from the evaluator's transcript.
  reproduction.eval = SummarizeRun(run);
  reproduction.eval.metrics.clear();
  reproduction.eval.logs.clear();  // reproduction/v1 names no files (v2 will)
  const VerdictOptions verdict_options{.margin = options.margin};
  const EvalSummary rerun = SummarizeRun(run);
  for (const RecordedMetric& claimed : claim.eval.metrics) {
    const RecordedMetric* counterpart = FindCounterpart(rerun, claimed.metric.name);
    if (counterpart == nullptr) {
      draft.notes.push_back("your log has no metric '" + claimed.metric.name + "': not compared");
      continue;
    }
    const EvalMetric* mine = &counterpart->metric;
    if (reproduction.eval.FindMetric(mine->name) == nullptr) reproduction.eval.metrics.push_back(*counterpart);
    reproduction.verdicts.push_back(
        reproduction.weights_match
            ? CompareMetric(claimed.metric, claimed_samples, *mine, run.samples, verdict_options)
            : DifferentWeightsVerdict(claimed.metric.name, binding.weights_root, observed_root, verdict_options));
  }
  if (reproduction.verdicts.empty()) {
    return Status::InvalidInput("your log (" + run.benchmark + ") has none of the claimed metrics: " +
                                ExplainMetricMismatch(claim.eval, SummarizeRun(run)));
  }
  // Compared from the two records as they will be signed, so that a verifier recomputes the same.
  const ConfigComparison configuration = CompareConfigurations(claim.eval, reproduction.eval);
  for (const AcceptedDifference& one : options.accepted) {
    if (one.reason.empty()) return Status::InvalidInput("--accept-difference " + one.field + ": give the reason after '='");
    if (std::none_of(configuration.differences.begin(), configuration.differences.end(),
                     [&](const ConfigDifference& difference) { return difference.field == one.field; })) {
      return Status::InvalidInput("--accept-difference " + one.field + ": the runs do not differ in " + one.field +
                                  (configuration.comparable() ? " (they differ in nothing that changes scores)"
                                                              : " (they differ in: " + configuration.DifferencesLine() + ")"));
    }
  }
  reproduction.differences = configuration.differences;
  reproduction.unknown_fields = configuration.unknown;
  reproduction.accepted = options.accepted;
  for (MetricVerdict& verdict : reproduction.verdicts) ApplyComparability(reproduction, verdict);
  for (const std::string& problem : run.hash_check.problems) {
    draft.objections.push_back("your transcript fails " + run.harness + "'s own hashes: " + problem);
  }
  const std::vector<std::string> unsupported = RecordRecomputation(reproduction.eval.metrics, run.samples);
  draft.objections.insert(draft.objections.end(), unsupported.begin(), unsupported.end());
  ASSAY_RETURN_IF_ERROR(SettleObjections(draft.objections, run.hash_check.ok(), options.force, reproduction.eval));
  ASSAY_ASSIGN_OR_RETURN(draft.transcript, CommitRunTranscript(run, reproduction.eval, options.new_salt));
  return draft;
}

}  // namespace assay
