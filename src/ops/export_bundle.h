// assay export CLAIM --bundle FILE: the evidence bundle of a claim
// (record/evidence_bundle.h, docs/spec/claim.md): the claim, its model
// record, its reproductions, the plans they name, the revocations that
// withdraw any of them and the signers' public keys, in one
// .intoto.jsonl file that `assay verify claim --bundle FILE` checks offline.
#pragma once

#include <string>

#include "claim/claim_status.h"
#include "ops/context.h"
#include "ops/revocation_ops.h"

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
  // The counting revocations of the bundled records, bundled too: a
  // withdrawn claim travels marked (verify claim --bundle fails it).
  std::vector<JudgedRevocation> withdrawn;
};

// Reads the context's ledger (never creating one). kNotFound for a claim it
// lacks; kInvalidInput when it lacks the claim's model record.
Result<ExportedBundle> ExportBundle(Context& context, const ExportBundleRequest& request);

}  // namespace assay
