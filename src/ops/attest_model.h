// assay attest model DIR: hash a model folder into a model record, sign it and
// publish it (ops/publish.h). docs/usage.md, "attest model".
#pragma once

#include <optional>
#include <string>

#include "ops/context.h"
#include "ops/publish.h"
#include "record/model_statement.h"

namespace assay {

struct AttestModelRequest {
  std::string folder;
  std::string name;                     // empty: the hub repo id, else the folder's name
  std::optional<std::string> revision;  // default: a hub cache snapshot's commit
  bool sign = true;                     // false (--unsigned): the bare statement
  bool append = true;                   // false (--no-ledger)
  bool use_cache = true;                // the hash cache answers unchanged files
  bool tensor_digests = true;           // false (--no-tensors): file digests only
  unsigned threads = 0;                 // 0: one per core
  std::string output_path;              // -o
};

struct AttestedModel {
  ModelManifest manifest;
  ModelIdentity identity;
  PublishedRecord published;
  double seconds = 0;      // hashing, wall time
  bool cache_used = false;
};

// Checks the request and that the folder is there, then unlocks the key (so
// a wrong passphrase fails before the long hashing), hashes, signs and
// publishes. A name or revision holding a control character is kInvalidInput.
Result<AttestedModel> AttestModel(Context& context, const AttestModelRequest& request);

// kInvalidInput when text a user gives for a record (`flag` names where it
// came from: "--name") holds a control character: what a record says is
// shown on terminals, and must not be able to forge a line there.
Status CheckRecordText(const char* flag, const std::string& value);

}  // namespace assay
