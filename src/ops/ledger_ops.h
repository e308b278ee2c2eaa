// The ledger commands as operations (docs/spec/ledger.md, ledger-index.md,
// checkpoint.md): init, reindex, log, show, verify ledger, attest checkpoint
// and cosign, remote add, push and pull. Each takes the Context (which names
// the ledger, the cache holding its index, the trust file and the key) and a
// request, goes through the Ledger facade (src/ledger/ledger.h), and returns
// a plain result for src/render/ledger_render.h.
//
// Every command but init uses the ledger the context names; the embedded
// default one is made on first use (with a warning for anything repaired on
// the way), a ledger named by flag or environment must exist (kNotFound).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ledger/ledger.h"
#include "ledger/record_summary.h"
#include "ops/context.h"
#include "ops/revocation_ops.h"
#include "status.h"

namespace assay {

// assay init [DIR]
struct InitLedgerRequest {
  std::string dir;  // empty: the ledger the context names
};
struct InitializedLedger {
  std::string path;
};
Result<InitializedLedger> InitLedger(Context& context, const InitLedgerRequest& request);

// assay reindex: the index rebuilt from git alone, under the ledger lock.
struct ReindexedLedger {
  std::string ledger;
  uint64_t records = 0;
  std::string digest;
  // The digest of the index as it was (brought up to date), when it was
  // usable: equal to `digest` when the rebuild changed nothing.
  std::optional<std::string> before;
};
Result<ReindexedLedger> ReindexLedger(Context& context);

// assay log: newest first, or those of one model, weights root, benchmark or
// signer (the first of these that is set), at most `limit`. Each record is
// judged against the trust file in the role its kind requires.
struct LogRequest {
  size_t limit = 20;
  std::string model;  // NAME[@REVISION]
  std::string weights_root;
  std::string benchmark;
  std::string signer;  // a DSSE keyid (SHA256:...)
};
struct LogEntry {
  RecordEntry record;
  std::string headline;  // "model acme/tiny@v1", "claim mmlu", or the kind alone
  // Why the record does not count: "INVALID" (not well formed), "ALTERED"
  // (a signature by a key at hand does not verify) or "NOT COUNTED"; empty
  // when it counts. `reason` says the whole of it.
  std::string mark;
  std::string reason;
  std::optional<JudgedRevocation> withdrawn;  // the counting revocation that withdraws it

  bool counts() const { return mark.empty(); }
};
struct LedgerLog {
  std::vector<LogEntry> entries;
};
Result<LedgerLog> LogLedger(Context& context, const LogRequest& request);

// assay show ID: one record by id or unique id prefix (kNotFound when the
// ledger has none). With `statement` (--json) the record's statement itself,
// parsed: kCheckFailed for a record that is not well formed; otherwise its
// summary, or the problem that makes it not well formed.
struct ShowRequest {
  std::string id;
  bool statement = false;
};
struct ShownRecord {
  RecordEntry record;
  std::string headline;                     // as in the log; with `summary`
  std::optional<RecordSummary> summary;     // a well-formed record, without `statement`
  std::optional<nlohmann::json> statement;  // with `statement`
  std::optional<JudgedRevocation> withdrawn;  // the counting revocation that withdraws it (not with `statement`)
};
Result<ShownRecord> ShowRecord(Context& context, const ShowRequest& request);

// assay verify ledger [--checkpoint NOTE]: the append-only proof, then the
// index brought up to date (which catches a rewrite of a history this machine
// saw). A proof that fails is an error (kCheckFailed naming the first commit
// or record at fault). The checkpoint is checked after that: its failure is
// kept in the result, beside what the proof found.
struct VerifyLedgerRequest {
  std::string checkpoint;  // a checkpoint note the ledger must extend
};
struct CheckpointFinding {
  CheckedCheckpoint checked;
  std::vector<std::string> cosigners;  // "witness (as NAME)": trusted witnesses whose cosignature verifies
};
struct LedgerVerification {
  std::string ledger;
  LedgerReport report;
  std::optional<CheckpointFinding> checkpoint;  // when asked for and extended
  Status checkpoint_failure;                    // when asked for and not extended (names the note)
};
Result<LedgerVerification> VerifyLedgerHistory(Context& context, const VerifyLedgerRequest& request);
// What 'assay verify ledger' exits with: the checkpoint's failure, if any.
Status LedgerVerdict(const LedgerVerification& verification);

// assay attest checkpoint: the ledger's head, signed with the context's key
// as a C2SP checkpoint; written to `output` when given.
struct CheckpointRequest {
  std::string origin;  // default: assay.invalid/ledger/<key id>
  std::string output;
};
struct SignedCheckpoint {
  std::string note;
  std::string written;  // `output`, once written; "" when printed
};
Result<SignedCheckpoint> MakeCheckpoint(Context& context, const CheckpointRequest& request);

// assay attest cosign NOTE: as a witness (the context's key), countersigns a
// checkpoint the ledger extends and that extends the checkpoint of the same
// origin this witness cosigned last (kept under CONFIG/witness/), then
// remembers it.
struct CosignRequest {
  std::string checkpoint;    // the note's file
  std::string witness_name;  // default: assay.invalid/witness/<key id>
  std::string output;
};
Result<SignedCheckpoint> CosignCheckpoint(Context& context, const CosignRequest& request);

// assay remote add NAME URL | push [NAME] | pull [NAME]. An unknown name is
// kNotFound with a hint naming 'assay remote add'.
struct RemoteRequest {
  std::string name = "origin";
  std::string url;  // add only
};
struct AddedRemote {
  std::string name;
  std::string url;
};
Result<AddedRemote> AddRemote(Context& context, const RemoteRequest& request);

struct PushedLedger {
  std::string remote;
  std::optional<std::string> head;  // what was pushed; nullopt for a ledger with no records
};
Result<PushedLedger> PushToRemote(Context& context, const RemoteRequest& request);

// Pull verifies everything it fetched before the local ledger changes, and
// signs a merge commit with the context's key.
struct PulledLedger {
  std::string remote;
  PullOutcome outcome;
};
Result<PulledLedger> PullFromRemote(Context& context, const RemoteRequest& request);

}  // namespace assay
