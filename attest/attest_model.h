// assay attest model DIR: hash a model folder into a model record.
#pragma once

#include <optional>
#include <string>

#include "cli/key_store.h"
#include "cli/ledger_options.h"
#include "status.h"

namespace assay::cli {

struct AttestModelOptions {
  std::string folder;
  std::string name;  // default: the hub repo id, else the folder's name
  std::optional<std::string> revision;
  std::string output_path;  // -o: write the record (or, unsigned, the statement) here
  bool json = false;        // print the record on stdout instead of the summary
  bool sign = true;         // --unsigned: write the bare statement
  KeyOptions key;
  LedgerOptions ledger;
  bool append = true;  // --no-ledger: write the record only where -o says
  std::string trust_path;  // names the commit's author when the key is trusted
  bool use_cache = true;
  std::string cache_dir;  // default: cli/paths.h
  bool tensor_digests = true;
  unsigned threads = 0;
};

Status RunAttestModel(const AttestModelOptions& options);

}  // namespace assay::cli
