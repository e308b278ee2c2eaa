// The one record judge (DESIGN.md, Records; Keys and trust): reads a record,
// a DSSE envelope around an in-toto statement or, where allowed, a bare
// statement, and says what its signatures are worth against the trust file.
// A signature counts when a trusted key made it and that key may act in the
// required role at the given time; a key outside the trust file counts only
// when the caller lists it as allowed (the --allow-untrusted path), and is
// then reported as untrusted. The outcomes a reader must treat apart:
//   counts       a signature that counts verifies over the record's bytes;
//   not counted  a signature verifies, but its key may not act in the role,
//                or no key at hand is the one its keyid names: the record is
//                listed as such and used for nothing, and it fails nothing
//                (anyone can add a stranger's record to a bundle or a ledger);
//   altered      the signature names a key at hand and does not verify with
//                it: the bytes were changed after signing. A failed check;
//   unsigned     a bare statement, read only when the policy allows it.
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
  std::string fingerprint;          // SHA256:..., the DSSE keyid
  std::optional<TrustEntry> entry;  // its trust-file entry; none for an allowed untrusted key
};

struct RecordPolicy {
  std::optional<TrustRole> required_role;  // none: any role
  int64_t now_unix_seconds = 0;            // when the keys are judged
  std::vector<Ed25519PublicKey> allowed_untrusted_keys;
  // Keys a signature may be checked with that never count: the keys an
  // evidence bundle carries. Null: none. Must outlive the call.
  const TrustFile* known_keys = nullptr;
  bool allow_unsigned = false;  // a bare statement is read, as kUnsigned
};

enum class RecordStanding { kCounts, kNotCounted, kAltered, kUnsigned };

// "counts", "not counted", "altered after signing", "unsigned".
std::string_view RecordStandingName(RecordStanding standing);

struct CheckedRecord {
  RecordStanding standing = RecordStanding::kNotCounted;
  // The statement bytes: verified when kCounts, the envelope's own
  // (unauthenticated: for display, never for a decision) otherwise.
  std::string payload;
  std::string id;                     // RecordId(payload)
  std::vector<RecordSigner> signers;  // those that count; empty unless kCounts
  std::vector<std::string> refused;   // signatures that verified but did not count, and why
  std::string problem;                // one line: why it does not count, unless kCounts

  bool counts() const { return standing == RecordStanding::kCounts; }
  bool altered() const { return standing == RecordStanding::kAltered; }
};

// "acme (vendor), bob (evaluator)" (or "acme, bob" without roles): the
// signers that count, or `none` when no signer counts. The one way status,
// the report and messages name them.
std::string CountingSignerNames(const CheckedRecord& record, const std::string& none, bool with_roles = true);

// kInvalidInput for bytes that are neither an envelope nor (when allowed) a
// bare statement, or an envelope of another payload type; every other
// outcome is a judgement. A bare statement the policy does not allow is
// kCheckFailed, saying how to allow it.
Result<CheckedRecord> CheckRecord(std::string_view bytes, const TrustFile& trust, const RecordPolicy& policy);

// The statement bytes of a record that counts: kCheckFailed with its problem
// otherwise. For readers that refuse to go on without a trusted record.
Result<CheckedRecord> RequireCounts(Result<CheckedRecord> checked);

}  // namespace assay
