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

#include "claim/transcript_builder.h"
#include "ops/context.h"
#include "ops/publish.h"
#include "record/claim_statement.h"

namespace assay {

struct AttestClaimRequest {
  std::vector<std::string> logs;
  std::string model;     // a model reference in the ledger (ops/model_reference.h)
  std::string endpoint;  // or PROVIDER/MODEL, for a hosted model
  // The tasks (or groups) to claim of a log that holds several, one claim
  // each; empty: the one the samples given name, or the only one.
  std::vector<std::string> tasks;
  bool all = false;                  // one claim per top-level benchmark of the run (each group, each task in none)
  bool again = false;                // sign although this signer already claimed the benchmark of these same files
  std::vector<std::string> metrics;  // empty: every metric of the run
  std::string transcript_out;        // empty: claim-<id prefix>.transcript.jsonl
  bool force = false;                // sign a score the transcript does not support; the record says so
  std::string plan;                  // --plan: the plan record the run followed (id or prefix)
  std::string derive_group_score;    // --derive-group-score RULE, for a group whose log gives no score
  std::string output_path;           // -o
};

struct AttestedClaim {
  Claim claim;
  PublishedRecord published;
  std::optional<std::string> transcript_file;  // the opening, when the run has samples
};

// What one `assay attest claim` signed: one claim per benchmark, in the run's order.
struct AttestedClaims {
  std::vector<AttestedClaim> claims;
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
//
// Several benchmarks (--all, or several tasks) are each read and drafted,
// and every one checked, before the key is unlocked; all are appended under
// one hold of the ledger lock, or none. With a plan, every benchmark must be
// one the plan names (kInvalidInput otherwise); whether the run followed it
// is for status and verify to say. A benchmark this signer already
// claimed from the same files (the same log digests) is kCheckFailed naming
// the existing claims, and nothing is signed, unless `again`.
Result<AttestedClaims> AttestClaims(Context& context, const AttestClaimRequest& request);
// The one claim of a request naming at most one task.
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
// Where a record's transcript leaves wait before its opening is written
// (TranscriptBuilder): the folder of --transcript-out, or "."; checked to be
// a folder first, so that a mistyped --transcript-out is named (kInvalidInput)
// before any log is read.
Result<std::string> ScratchFolderFor(Context& context, const std::string& transcript_out);

// The transcript opening to write beside a record, and its name; none
// without a transcript. The file is written from `transcript`, which must
// live until it is published.
std::vector<OutputFile> TranscriptOpeningFile(const std::string& statement, const std::optional<CommittedTranscript>& transcript,
                                              const EvalRecordOutputs& outputs, std::optional<std::string>& name);
Result<PublishedEvalRecord> PublishEvalRecord(Context& context, const std::string& statement, const MinisignSecretKey& key,
                                              const std::optional<CommittedTranscript>& transcript,
                                              const std::vector<std::string>& objections,
                                              const EvalRecordOutputs& outputs);

// --endpoint PROVIDER/MODEL (attest claim, attest deployment); kInvalidInput
// naming the flag otherwise.
Result<Endpoint> ParseEndpoint(const std::string& text);

}  // namespace assay
