// assay attest reproduction CLAIM LOG...: an evaluator's countersignature.
// The evaluator says which weights they ran (a folder hashed now, or the root
// `assay verify model` printed), gives their own eval logs and, for paired
// evidence, the vendor's transcript opening; the verdict per metric is
// computed (docs/verdicts.md), signed with the evaluator's key and appended
// to the ledger.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ops/context.h"
#include "ops/publish.h"
#include "record/claim_statement.h"
#include "record/reproduction_statement.h"

namespace assay {

struct AttestReproductionRequest {
  std::string claim;  // the claim's id or unique id prefix
  std::vector<std::string> logs;
  std::string weights_dir;       // the evaluator's download, hashed now (no cache)
  std::string weights_root;      // or the root an earlier `verify model` printed
  std::string claim_transcript;  // the vendor's transcript opening, when published
  std::string task;
  double margin = kDefaultMarginPoints;
  std::string transcript_out;  // empty: reproduction-<id prefix>.transcript.jsonl
  bool force = false;          // sign although the evaluator's transcript does not support its scores
  // --accept-difference FIELD=REASON, as given: compare despite a difference of configuration.
  std::vector<std::string> accepted_differences;
  std::string plan;            // --plan: the plan record the rerun followed (id or prefix)
  std::string output_path;     // -o
};

struct AttestedReproduction {
  std::string claim_id;
  Claim claim;
  std::string observed_root;  // hex; empty for an endpoint claim
  Reproduction reproduction;
  PublishedRecord published;
  std::optional<std::string> transcript_file;  // the evaluator's opening, when their run has samples
};

// kInvalidInput for both --weights and --weights-root, a malformed root, a
// run sharing no metric with the claim, or weights missing for a claim bound
// to them; kNotFound for an unknown claim; kCheckFailed for a claim
// transcript that is not the one the claim commits to, or objections to the
// evaluator's own scores without force. A claim whose signer does not count
// as a vendor is warned about, as are the draft's notes.
Result<AttestedReproduction> AttestReproduction(Context& context, const AttestReproductionRequest& request);

}  // namespace assay
