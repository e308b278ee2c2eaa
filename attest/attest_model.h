// assay attest model DIR: hash a model folder into a model record.
#pragma once

#include <optional>
#include <string>

#include "status.h"

namespace assay::cli {

struct AttestModelOptions {
  std::string folder;
  std::string name;  // default: the hub repo id, else the folder's name
  std::optional<std::string> revision;
  std::string output_path;  // -o: write the statement here
  bool json = false;        // print the statement on stdout instead of the summary
  bool use_cache = true;
  std::string cache_dir;  // default: cli/paths.h
  bool tensor_digests = true;
  unsigned threads = 0;
};

Status RunAttestModel(const AttestModelOptions& options);

}  // namespace assay::cli
