// assay attest claim: a vendor's signed score claim (attest_claim.cc).
#pragma once

#include <string>
#include <vector>

#include "cli/record_signing.h"
#include "status.h"

namespace assay::cli {

struct AttestClaimOptions {
  std::vector<std::string> logs;
  std::string model;     // ledger reference to a model record
  std::string endpoint;  // PROVIDER/MODEL, for a hosted model
  std::string task;
  std::vector<std::string> metrics;
  std::string transcript_out;  // default: claim-<id prefix>.transcript.jsonl
  bool force = false;
  RecordOutputOptions out;
};

// The new claim's id.
Result<std::string> RunAttestClaim(const AttestClaimOptions& options);

}  // namespace assay::cli
