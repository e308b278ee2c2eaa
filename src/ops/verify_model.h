// assay verify model RECORD [DIR]: checks a model record's signature against
// the trust file and, given a folder, rehashes it and says exactly which files
// and tensors differ from the record (docs/usage.md, "verify model").
#pragma once

#include <optional>
#include <string>

#include "model/manifest_diff.h"
#include "ops/context.h"
#include "ops/model_reference.h"

namespace assay {

struct VerifyModelRequest {
  std::string record;  // a record file, or a ledger reference
  std::string folder;  // empty: the signature only
  bool allow_unsigned = false;
  std::string untrusted_public_key;  // a minisign .pub counted though outside the trust file
  bool use_cache = false;             // trust the hash cache instead of rehashing every byte
};

struct ModelVerification {
  ResolvedModel record;                // its `record` holds the signers that counted
  std::string folder;                  // as given; empty when none
  std::optional<ManifestDiff> differences;  // record vs folder, when a folder was given

  // The folder was given and matches the record.
  bool folder_matches() const { return differences && differences->empty(); }
};

// kCheckFailed when the record's signature does not count; a folder that
// differs is a result (VerdictOf says no), not an error.
Result<ModelVerification> VerifyModel(Context& context, const VerifyModelRequest& request);

// What the command exits with: kCheckFailed when the folder differs.
Status VerdictOf(const ModelVerification& verification);

}  // namespace assay
