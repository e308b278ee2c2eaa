// assay key generate, also used by the demo to make its parties' keys.
#pragma once

#include "cli/key_store.h"
#include "status.h"

namespace assay::cli {

struct GenerateOptions {
  KeyOptions key;
  bool unencrypted = false;
  bool force = false;
  // Hidden: scrypt's smallest limits, so tests of encrypted keys take
  // milliseconds instead of seconds and 1 GiB. Never for a real key.
  bool weak_kdf_for_tests = false;
};

// Makes a key pair at SecretKeyPath(options.key) and its .pub, refusing to
// replace either without `force`, and prints the public half.
Status RunGenerate(const GenerateOptions& options);

}  // namespace assay::cli
