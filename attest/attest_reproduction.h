// assay attest reproduction: an evaluator's countersignature (attest_reproduction.cc).
#pragma once

#include <string>
#include <vector>

#include "claim/verdict.h"
#include "cli/record_signing.h"
#include "status.h"

namespace assay::cli {

struct AttestReproductionOptions {
  std::string claim;
  std::vector<std::string> logs;
  std::string weights_dir;   // the evaluator's download, hashed now
  std::string weights_root;  // or the root an earlier `verify model` printed
  std::string claim_transcript;  // the vendor's transcript opening, when published
  std::string task;
  double margin = kDefaultMarginPoints;
  std::string transcript_out;
  bool force = false;
  RecordOutputOptions out;
};

Status RunAttestReproduction(const AttestReproductionOptions& options);

}  // namespace assay::cli
