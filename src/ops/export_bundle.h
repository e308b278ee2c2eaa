// assay export CLAIM --bundle FILE: the evidence bundle of a claim
// (record/evidence_bundle.h, docs/spec/claim.md): the claim, its model
// record, its reproductions and the signers' public keys, in one
// .intoto.jsonl file that `assay verify claim --bundle FILE` checks offline.
#pragma once

#include <string>

#include "claim/claim_status.h"
#include "ops/context.h"

namespace assay {

struct ExportBundleRequest {
  std::string claim;        // id or unique id prefix
  std::string bundle_path;  // the file to write (replaced atomically)
};

struct ExportedBundle {
  SignedClaim claim;
  std::string bundle_path;
  bool has_model_record = false;
  size_t keys = 0;  // signer keys the bundle names (from the trust file)
};

// Reads the context's ledger (never creating one). kNotFound for a claim it
// lacks; kInvalidInput when it lacks the claim's model record.
Result<ExportedBundle> ExportBundle(Context& context, const ExportBundleRequest& request);

}  // namespace assay
