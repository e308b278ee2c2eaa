// Ledger checkpoints: the note text of c2sp.org/tlog-checkpoint v1.0.0, assay's
// one extension line, and Ed25519 witness cosignatures of c2sp.org/tlog-cosignature
// (cosignature/v1). docs/spec/checkpoint.md gives the bytes and a worked example.
//
// A checkpoint text is
//   origin "\n" decimal tree size "\n" base64(root hash) "\n" extension lines
// and assay writes one extension line, "git-commit " + 40 lowercase hex digits,
// naming the ledger commit whose records the tree holds. All functions are
// thread-safe; checkpoint and note texts are treated as hostile input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digest/sha256.h"
#include "sign/ed25519_key.h"
#include "status.h"

namespace assay {

struct Checkpoint {
  std::string origin;                   // the log's identity, also its key name
  uint64_t size = 0;                    // number of leaves
  Sha256Digest root{};                  // RFC 6962 root over those leaves
  std::vector<std::string> extensions;  // opaque non-empty lines, without newlines

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// The largest tree size a checkpoint may state: Go's tlog counts in int64.
inline constexpr uint64_t kMaxCheckpointTreeSize = (uint64_t{1} << 63) - 1;

// The note text of `checkpoint`. kInvalidInput when the origin is not a valid
// key name (assay's log signs under its origin), an extension line is empty or
// holds a control character, or the size exceeds kMaxCheckpointTreeSize.
Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint);

// Parses a checkpoint note text (the text of a signed note, after it has been
// verified). Strict: at least three lines, every line non-empty and ending in a
// newline, a decimal size without leading zeros, a padded standard base64 root
// of exactly 32 bytes. kInvalidInput otherwise.
Result<Checkpoint> ParseCheckpoint(std::string_view text);

// The extension line "git-commit <commit id>". kInvalidInput unless `commit_id`
// is 40 lowercase hex digits (a SHA-1 git object id, as libgit2 formats it).
Result<std::string> GitCommitExtension(std::string_view commit_id);
// The commit id of the checkpoint's one git-commit line; nullopt when it has
// none. kInvalidInput when it has two or a malformed one.
Result<std::optional<std::string>> CheckpointGitCommit(const Checkpoint& checkpoint);

// `note` (a signed checkpoint note) with a cosignature/v1 line by the witness
// `witness_name` for time `unix_time` added, replacing an earlier one by the
// same key. The caller verifies the log's signature and the tree's consistency
// first: that is what the cosignature asserts. kInvalidInput for a malformed
// note, a text that is not a checkpoint, a bad name or a time above 2^63 - 1.
Result<std::string> CosignCheckpoint(std::string_view note, std::string_view witness_name,
                                     const Ed25519SecretKey& key, uint64_t unix_time);

// Verifies the cosignature of the witness `witness_name` with `key` on `note`
// and returns its time (seconds since the epoch; the caller may reject times in
// the future). Every line by that key must verify; the latest time is returned.
// kCheckFailed when there is none, or one is malformed or does not verify;
// kInvalidInput for a malformed note or a text that is not a checkpoint.
Result<uint64_t> VerifyCosignature(std::string_view note, std::string_view witness_name,
                                   const Ed25519PublicKey& key);

}  // namespace assay
