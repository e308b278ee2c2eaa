// assay trust add | list | remove | export: the trust file
// (Context::paths.trust_file), the public keys assay accepts signatures
// from, by name and role (docs/spec/signing.md, The trust file;
// docs/usage.md). Every change rewrites the file atomically in its canonical
// form, in a private folder made when missing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ops/context.h"
#include "sign/trust_file.h"
#include "status.h"

namespace assay {

struct TrustAddRequest {
  std::string name;
  std::vector<std::string> roles;  // vendor, evaluator, witness, observer, host
  std::string key_file;            // the key's minisign .pub file, or
  std::string public_key;          // its one-line base64 (RWQ...)
  std::string valid_after;         // YYYYMMDD, or empty
  std::string valid_before;
};

struct TrustAdded {
  TrustEntry entry;  // as stored
  std::string trust_file;
  std::string validity_problem;  // why no signature by the key counts now, or ""
};

// kInvalidInput for an unknown role, a bad date, no key, or what
// TrustFile::Add refuses (naming the trust file). Warns when the key is not
// valid now.
Result<TrustAdded> TrustAdd(Context& context, const TrustAddRequest& request);

struct TrustListing {
  std::string trust_file;
  TrustFile trust;   // empty when the file does not exist yet
  int64_t now = 0;  // the time validity was judged at
};

Result<TrustListing> TrustList(Context& context);

struct TrustRemoved {
  std::string name;
  size_t removed = 0;
  std::string trust_file;
};

// kInvalidInput when no key has the name.
Result<TrustRemoved> TrustRemove(Context& context, const std::string& name);

struct TrustExportRequest {
  std::string output_path;  // empty: only returned; else replaced (a derived file)
};

struct TrustExported {
  std::string text;  // an ssh allowed_signers file
  std::string written_to;
};

// Warns when the trust file lists no keys.
Result<TrustExported> TrustExport(Context& context, const TrustExportRequest& request);

}  // namespace assay
