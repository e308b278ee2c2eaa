// Turning an evaluator's own run into a reproduction of a claim (issue 5,
// item 5): the weights the evaluator observed decide first (another root is
// "different weights", and no score is compared); then each claimed metric is
// compared with the evaluator's by the Verdicts rules, pairing samples with
// the claim's revealed transcript when the evaluator has it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "record/claim_statement.h"
#include "record/reproduction_statement.h"
#include "claim/transcript.h"
#include "claim/transcript_builder.h"
#include "evallog/eval_run.h"
#include "status.h"

namespace assay {

struct ReproductionDraftOptions {
  double margin = kDefaultMarginPoints;
  bool force = false;  // sign although the evaluator's own transcript does not support its scores
  // --accept-difference FIELD=REASON: compare despite these differences of configuration.
  std::vector<AcceptedDifference> accepted;
  std::function<TranscriptSalt()> new_salt = RandomSalt;
  std::string plan;  // --plan: the plan record the rerun followed (its id)
};

struct ReproductionDraft {
  Reproduction reproduction;
  std::optional<CommittedTranscript> transcript;  // the evaluator's, when their run has samples
  std::vector<std::string> objections;   // as ClaimDraft's, for the evaluator's own scores
  std::vector<std::string> notes;        // claimed metrics the run lacks, and the like
};

// `claimed_samples`: the claim's transcript samples (from its opening), or
// empty: then only the aggregates tier is open. `observed_root`: hex root the
// evaluator hashed (with its format), empty for an endpoint claim.
// The configurations are compared first (claim/config_comparison.h): a
// difference no accepted one names makes every score verdict "not
// comparable", naming the differences, with the numbers still recorded; an
// accepted one lets the verdicts stand, saying so; fields one log leaves out
// are named in each verdict's reason.
// kInvalidInput when the run shares no metric with the claim, an accepted
// difference names a field the runs do not differ in, or an observed root is
// missing for a claim bound to weights; kCheckFailed for objections without
// force.
Result<ReproductionDraft> DraftReproduction(const std::string& claim_id, const Claim& claim,
                                            const std::vector<EvalSample>& claimed_samples, const EvalRun& run,
                                            const std::string& observed_root, const std::string& observed_format,
                                            const ReproductionDraftOptions& options);
// The same for samples held as ids, digests and scores only: the claim's
// scanned from its opening (ScanTranscriptOpening with digests, in id
// order), the rerun's taken by a TranscriptBuilder keeping digests as they
// were read. A group is compared one task's samples at a time.
Result<ReproductionDraft> DraftReproduction(const std::string& claim_id, const Claim& claim, const ScoredSamples& claimed,
                                            const EvalRun& run, CommittedSamples rerun, const std::string& observed_root,
                                            const std::string& observed_format, const ReproductionDraftOptions& options);

}  // namespace assay
