// assay attest model DIR: hash a model folder into a model record.
#pragma once

#include <optional>
#include <string>

#include "cli/record_signing.h"
#include "status.h"

namespace assay::cli {

struct AttestModelOptions {
  std::string folder;
  std::string name;  // default: the hub repo id, else the folder's name
  std::optional<std::string> revision;
  // -o (the record, or unsigned the statement), --json, the key, the ledger
  // and the trust file naming the commit's author.
  RecordOutputOptions out;
  bool sign = true;    // --unsigned: write the bare statement
  bool append = true;  // --no-ledger: write the record only where -o says
  bool use_cache = true;
  std::string cache_dir;  // default: cli/paths.h
  bool tensor_digests = true;
  unsigned threads = 0;
};

Status RunAttestModel(const AttestModelOptions& options);

}  // namespace assay::cli
