// assay status MODEL: claims, reproductions and verdicts about a model (status.cc).
#pragma once

#include <string>
#include <vector>

#include "cli/ledger_options.h"
#include "status.h"

namespace assay::cli {

struct StatusOptions {
  std::string model;
  LedgerOptions ledger;
  std::string trust_path;
  bool json = false;
};

Status RunStatus(const StatusOptions& options);

}  // namespace assay::cli
