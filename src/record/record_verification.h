// Verifying a record: a DSSE envelope around an in-toto statement (DESIGN.md,
// Records), checked against the trust file. A signature counts when a trusted
// key made it and that key may act in the required role at the given time; a
// key outside the trust file counts only when the caller lists it as allowed
// (the --allow-untrusted path), and is then reported as untrusted.
//
// JudgeRecord tells the three outcomes apart that a reader must treat
// differently (issue "a forged bundle"):
//   counts       a signature that counts verifies over the record's bytes;
//   not counted  a signature verifies, but its key may not act in the role,
//                or no key at hand is the one its keyid names: the record is
//                listed as such and used for nothing, and it fails nothing
//                (anyone can add a stranger's record to a bundle or a ledger);
//   altered      the signature names a key at hand and does not verify with
//                it: the bytes were changed after signing. A failed check.
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
  // Keys a signature may be checked with that never count: the keys an
  // evidence bundle carries. Null: none. Must outlive the call.
  const TrustFile* known_keys = nullptr;
};

// kInvalidInput for an envelope that does not parse or has another payload
// type; kCheckFailed when no signature counts, saying why for each.
Result<VerifiedRecord> VerifyRecord(std::string_view envelope_json, const TrustFile& trust,
                                    const RecordPolicy& policy);

enum class RecordStanding { kCounts, kNotCounted, kAltered };

// "counts", "not counted", "altered after signing".
std::string_view RecordStandingName(RecordStanding standing);

struct RecordJudgement {
  RecordStanding standing = RecordStanding::kNotCounted;
  // The statement bytes: verified unless kAltered (then the envelope's own,
  // unauthenticated, for display only).
  std::string payload;
  std::string id;                     // hex SHA-256 of payload
  std::vector<RecordSigner> signers;  // those that count; empty unless kCounts
  std::vector<std::string> refused;   // signatures that verified but did not count, and why
  std::string problem;                // one line: why it does not count, unless kCounts
  bool counts() const { return standing == RecordStanding::kCounts; }
};

// kInvalidInput for an envelope that does not parse or has another payload
// type; every other outcome is a judgement.
Result<RecordJudgement> JudgeRecord(std::string_view envelope_json, const TrustFile& trust,
                                    const RecordPolicy& policy);

}  // namespace assay
