// assay trust add, also used by the demo to trust its parties' keys.
#pragma once

#include <string>
#include <vector>

#include "status.h"

namespace assay::cli {

struct TrustAddOptions {
  std::string trust_path;
  std::string name;
  std::vector<std::string> roles;
  std::string key_file;
  std::string public_key;
  std::string valid_after;
  std::string valid_before;
};

// Adds a key with a name and roles to the trust file, creating the file.
Status RunTrustAdd(const TrustAddOptions& options);

}  // namespace assay::cli
