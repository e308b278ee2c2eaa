// assay attest claim LOG... (--model MODEL | --endpoint PROVIDER/MODEL): a
// vendor's signed score claim, bound to the weights of a model record in the
// ledger, or to a hosted model, marked as not bound to weights. The score
// must follow from the transcript, which the claim commits to; the samples
// and salts go to a transcript opening the vendor keeps (docs/spec/claim.md,
// docs/usage.md "Claims and reproductions").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "claim/transcript.h"
#include "ops/context.h"
#include "ops/publish.h"
#include "record/claim_statement.h"

namespace assay {

struct AttestClaimRequest {
  std::vector<std::string> logs;
  std::string model;     // a model reference in the ledger (ops/model_reference.h)
  std::string endpoint;  // or PROVIDER/MODEL, for a hosted model
  std::string task;      // the task of a log that holds several
  std::vector<std::string> metrics;  // empty: every metric of the run
  std::string transcript_out;        // empty: claim-<id prefix>.transcript.jsonl
  bool force = false;                // sign a score the transcript does not support; the record says so
  std::string output_path;           // -o
};

struct AttestedClaim {
  Claim claim;
  PublishedRecord published;
  std::optional<std::string> transcript_file;  // the opening, when the run has samples
};

// Reads the run, resolves the model in the context's ledger (a record that
// does not count as a vendor's is warned about), drafts the claim
// (claim/claim_draft.h), unlocks the key and publishes the claim with its
// transcript opening (mode 0600, never over an existing file), which is put
// in place only once the claim is in the ledger: a failed append writes
// nothing. kInvalidInput for a request naming neither or both of model and
// endpoint, a bad endpoint, a run with no metric or a model record without
// a weights root; kNotFound for an unknown model; kCheckFailed for a score
// the transcript does not support (without force).
Result<AttestedClaim> AttestClaim(Context& context, const AttestClaimRequest& request);

// How a new claim or reproduction ("claim", "reproduction") is published:
// signed by `key`, with its transcript opening when the run has one
// (`transcript_out`, or "<kind>-<first 16 hex of id>.transcript.jsonl"; mode
// 0600, since it holds the salts, and never over an existing file), each
// objection signed over with --force warned about first.
struct EvalRecordOutputs {
  std::string kind;
  std::string transcript_out;
  std::string output_path;  // -o
};
struct PublishedEvalRecord {
  PublishedRecord published;
  std::optional<std::string> transcript_file;  // where the opening went
};
Result<PublishedEvalRecord> PublishEvalRecord(Context& context, const std::string& statement, const MinisignSecretKey& key,
                                              const std::optional<Transcript>& transcript,
                                              const std::vector<std::string>& objections,
                                              const EvalRecordOutputs& outputs);

}  // namespace assay
