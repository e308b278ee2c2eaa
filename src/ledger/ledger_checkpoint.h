// Checkpoints of a ledger (docs/spec/checkpoint.md): a C2SP signed note
// naming the record count, the RFC 6962 root over the record ids in ledger
// order, and the git commit it describes; and the checks that a ledger
// extends one, and that a witness may cosign a newer one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ledger/ledger_store.h"
#include "sign/checkpoint.h"
#include "sign/trust_file.h"
#include "status.h"

namespace assay {

// The leaf hashes of the ledger's records in ledger order, up to `head`
// (default: the current head). Leaf i is the raw 32-byte id of record i.
Result<std::vector<Sha256Digest>> RecordLeafHashes(const LedgerStore& ledger,
                                                   std::optional<std::string> head = std::nullopt);

// A checkpoint of the ledger's current head, signed by `key` as `origin`.
// kInvalidInput for an empty ledger or a bad origin.
Result<std::string> MakeLedgerCheckpoint(const LedgerStore& ledger, const std::string& origin,
                                         const Ed25519SecretKey& key);

struct CheckedCheckpoint {
  Checkpoint checkpoint;
  std::string commit;                // from its git-commit line
  std::vector<std::string> signers;  // trust-file names whose log signature verified
};

// Checks that `note` is a checkpoint signed (as its origin) by a trusted key,
// that the commit it names is the ledger's head or an ancestor of it, and that
// the ledger's first `size` records have its root. kCheckFailed, saying which,
// when the ledger does not extend it (history rewritten, records removed).
Result<CheckedCheckpoint> CheckLedgerExtends(const LedgerStore& ledger, std::string_view note,
                                             const TrustFile& trust);

// A witness's cosignature: checks `note` as CheckLedgerExtends does and, given
// the checkpoint this witness cosigned before, that it is a prefix of the new
// one (no shrinking, its commit an ancestor, its root the root of the first
// records); then returns `note` with the witness's cosignature added.
Result<std::string> CosignLedgerCheckpoint(const LedgerStore& ledger, std::string_view note,
                                           const std::optional<std::string>& previous_note,
                                           const TrustFile& trust, const std::string& witness_name,
                                           const Ed25519SecretKey& key, uint64_t unix_time);

// A cosignature on a checkpoint by a witness of the trust file.
struct TrustedCosignature {
  std::string witness;  // the trust file's name for it
  std::string as;       // the name it signed as
  uint64_t time = 0;    // the cosignature's time, seconds since the epoch
};
// Every cosignature on `note` that verifies with the key of a witness of
// `trust`; none for a note that does not parse.
std::vector<TrustedCosignature> TrustedCosignatures(std::string_view note, const TrustFile& trust);

}  // namespace assay
