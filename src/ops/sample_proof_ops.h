// assay prove sample CLAIM SAMPLE_ID --transcript OPENING reveals one sample
// of a committed transcript with its inclusion proof; assay verify sample
// PROOF checks one against the transcript root the signed claim commits to
// (docs/spec/transcript-root.md, Sample proofs). A held-out benchmark can be
// revealed this way one sample at a time.
#pragma once

#include <string>

#include "claim/claim_status.h"
#include "claim/sample_proof.h"
#include "ops/context.h"

namespace assay {

struct ProveSampleRequest {
  std::string claim;       // id or unique id prefix
  std::string sample_id;   // as the transcript names it
  std::string transcript;  // the claim's transcript opening
  std::string output_path;  // -o; empty: the proof is only returned
};

struct ProvedSample {
  SampleProof proof;
  std::string text;     // the proof file's bytes (docs/spec/transcript-root.md)
  std::string written;  // the -o file once written, else ""
};

// kNotFound for a claim the ledger lacks; kInvalidInput for a claim with no
// transcript, an opening whose root is not the claim's, or an unknown sample.
Result<ProvedSample> ProveClaimSample(Context& context, const ProveSampleRequest& request);

struct SampleVerification {
  SampleProof proof;
  SignedClaim claim;  // its signature counts (a vendor's)
};

// kInvalidInput for a malformed proof (naming the file); kCheckFailed when
// the claim's signature does not count or the sample or its path was
// altered (naming the file): a proof that does not hold is never a result.
Result<SampleVerification> VerifySample(Context& context, const std::string& proof_path);

}  // namespace assay
