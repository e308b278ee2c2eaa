#include "claim/verdict.h"
#include "claim/reproduction_draft.h"

#include "claim/claim_draft.h"
#include "claim/config_comparison.h"

namespace assay {
namespace {

const EvalMetric* FindRunMetric(const EvalRun& run, const std::string& name) {
  for (const EvalMetric& metric : run.metrics) {
    if (metric.name == name) return &metric;
  }
  return nullptr;
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
  for (const RecordedMetric& claimed : claim.eval.metrics) {
    const EvalMetric* mine = FindRunMetric(run, claimed.metric.name);
    if (mine == nullptr) {
      draft.notes.push_back("your log has no metric '" + claimed.metric.name + "': not compared");
      continue;
    }
    RecordedMetric recorded;
    recorded.metric = *mine;
    reproduction.eval.metrics.push_back(std::move(recorded));
    reproduction.verdicts.push_back(
        reproduction.weights_match
            ? CompareMetric(claimed.metric, claimed_samples, *mine, run.samples, verdict_options)
            : DifferentWeightsVerdict(claimed.metric.name, binding.weights_root, observed_root, verdict_options));
  }
  if (reproduction.verdicts.empty()) {
    return Status::InvalidInput("your log (" + run.benchmark + ") has none of the claimed metrics: " +
                                ExplainMetricMismatch(claim.eval, SummarizeRun(run)));
  }
  const ConfigComparison configuration = CompareConfigurations(claim.eval, SummarizeRun(run));
  if (!configuration.comparable()) {
    draft.notes.push_back("the runs' configurations differ (" + configuration.DifferencesLine() +
                          "): these verdicts compare runs that did not measure the same thing");
  }
  if (!configuration.unknown.empty()) draft.notes.push_back(configuration.UnknownLine());
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
