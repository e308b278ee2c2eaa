// Comparisons (docs/spec/comparison.md): `assay attest comparison` signs, as
// an evaluator, the finding of compare-transcripts (claim/same_model_verdict.h)
// on an endpoint's transcript against a model record's weights run; readers
// (status) list them beside the endpoint, each judged: it counts only in the
// role evaluator.
#pragma once

#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ops/audit_ops.h"
#include "ops/context.h"
#include "ops/publish.h"
#include "record/comparison_statement.h"
#include "sign/trust_file.h"

namespace assay {

struct AttestComparisonRequest {
  // Side A is the published weights' run, side B the endpoint's; a baseline
  // is a second run of the weights.
  CompareTranscriptsRequest sides;
  std::string endpoint;  // PROVIDER/MODEL, whose answers side B holds
  std::string model;     // the model record whose weights side A ran: id or prefix, weights root, NAME@REVISION
  // The claims or reproductions that committed to each side's transcript
  // (id or prefix); "" when none did. A side named so is given as the
  // transcript opening that record wrote.
  std::string weights_record, endpoint_record, baseline_record;
  // Where the openings of sides given as logs go ("" for the working folder).
  std::string openings_folder;
  std::string output_path;
};

struct AttestedComparison {
  Comparison comparison;
  TranscriptsComparison transcripts;
  // Per run (weights, endpoint, baseline when given) the opening written for
  // it, "" for a side that was an opening already.
  std::vector<std::string> openings;
  PublishedRecord published;
};

// Checks the flags, finds the model record and the named records, and
// compares the transcripts before the key is unlocked: kInvalidInput for a
// bad flag or a side whose transcript root is not the one its record
// committed to (naming both); kNotFound for no such record. Warns when the
// signer is not an evaluator in the trust file (it will not count).
Result<AttestedComparison> AttestComparison(Context& context, const AttestComparisonRequest& request);

struct JudgedComparison {
  std::string record;
  Comparison comparison;
  std::string evaluator;  // the signer's trust-file name, or "UNTRUSTED signer"
  std::string problem;    // why it does not count; "" when it does
};

// Every comparison of the ledger naming one of `model_records`, judged, oldest first.
Result<std::vector<JudgedComparison>> ComparisonsOfModels(Context& context, Ledger& ledger, const TrustFile& trust,
                                                          const std::vector<std::string>& model_records);

}  // namespace assay
