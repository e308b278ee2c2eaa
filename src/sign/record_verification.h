// Verifying a record: a DSSE envelope around an in-toto statement (DESIGN.md,
// Records), checked against the trust file. A signature counts when a trusted
// key made it and that key may act in the required role at the given time; a
// key outside the trust file counts only when the caller lists it as allowed
// (the --allow-untrusted path), and is then reported as untrusted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sign/dsse.h"
#include "sign/trust_file.h"
#include "status.h"

namespace assay {

struct RecordSigner {
  Ed25519PublicKey key;
  std::string fingerprint;            // SHA256:..., the DSSE keyid
  const TrustEntry* entry = nullptr;  // null for an allowed untrusted key
};

struct VerifiedRecord {
  std::string payload;  // the exact statement bytes that were signed
  std::string id;       // hex SHA-256 of payload
  std::vector<RecordSigner> signers;  // at least one
  // Signatures that verified but did not count, each saying why
  // ("'acme' (key ...) is not trusted as evaluator").
  std::vector<std::string> refused;
};

struct RecordPolicy {
  std::optional<TrustRole> required_role;  // none: any role
  int64_t now_unix_seconds = 0;
  std::vector<Ed25519PublicKey> allowed_untrusted_keys;
};

// kInvalidInput for an envelope that does not parse or has another payload
// type; kCheckFailed when no signature counts, saying why for each.
Result<VerifiedRecord> VerifyRecord(std::string_view envelope_json, const TrustFile& trust,
                                    const RecordPolicy& policy);

}  // namespace assay
