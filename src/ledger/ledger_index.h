// The ledger's query index (DESIGN.md, Ledger; docs/spec/ledger-index.md): an
// SQLite file that answers "which records are about this model, this weights
// root, this benchmark, this signer" without walking git. It holds nothing
// that git does not: every row is derived from a record's envelope bytes
// (SummarizeRecord) and its place in ledger order, so `assay reindex` can
// always rebuild it, and Digest() shows that a rebuild gave the same index.
//
// Positions are dense: the records of an index are exactly positions 0 .. Count()-1
// of ledger order, and the index remembers the git head they come from.
//
// Thread safety: none; use one LedgerIndex per thread. Several processes may
// share one file: it runs in WAL mode and waits up to kBusyTimeoutMs for a lock.
// Every error names the index file (kIo) or the record at fault (kInvalidInput).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/record_summary.h"
#include "status.h"

namespace assay {

// One record as the ledger walk hands it over.
struct IndexedRecord {
  uint64_t position = 0;  // in ledger order, from 0
  std::string id;         // RecordId of the envelope's payload
  std::string commit;     // the git commit that brought the record in (hex)
  std::string envelope;   // the blob's bytes, exactly as stored
};

// A record's row: what every query answer starts with.
struct RecordEntry {
  uint64_t position = 0;
  std::string id;
  std::string commit;
  RecordKind kind = RecordKind::kOther;
  std::string predicate_type;
  // Set for a record that is not well formed (its envelope does not parse,
  // or its id is not its payload's): listed and marked, used for nothing.
  std::optional<std::string> problem;
};

struct ModelEntry {
  RecordEntry record;
  ModelSummary model;
};

struct ClaimEntry {
  RecordEntry record;
  ClaimSummary claim;
};

struct ReproductionEntry {
  RecordEntry record;
  ReproductionSummary reproduction;
};

// How ResolveModel matched (DESIGN.md, Records: the one resolution order).
struct ModelResolution {
  enum class Match { kNone, kRecordId, kWeightsRoot, kName };
  Match match = Match::kNone;
  std::vector<ModelEntry> models;  // newest first; empty exactly when kNone
};

class LedgerIndex {
 public:
  static constexpr int kSchemaVersion = 2;
  static constexpr int kBusyTimeoutMs = 5000;
  // Find and ResolveModel accept id prefixes of at least this many hex digits.
  static constexpr size_t kMinIdPrefix = 8;

  // Opens the index at `path`, creating the file and its folder if needed and
  // bringing an older schema up to kSchemaVersion. kIo, naming `path`, when it
  // cannot be opened, is not an SQLite database, is another program's
  // database, or has a newer schema than this assay reads (left untouched).
  static Result<std::unique_ptr<LedgerIndex>> Open(const std::string& path);

  ~LedgerIndex();
  LedgerIndex(const LedgerIndex&) = delete;
  LedgerIndex& operator=(const LedgerIndex&) = delete;

  // Adds `records` (in ledger order) and sets the head to `new_head`, in one
  // transaction: on any error nothing changes. A record already present at its
  // position is skipped (so a catch-up may repeat records); otherwise each
  // position must be the next one. When the index already holds records past
  // the batch's last one (another process caught up further), the head stays.
  // A record whose envelope SummarizeRecord refuses, or whose id is not
  // its payload's, is indexed with its problem (RecordEntry::problem) and no
  // other rows. kInvalidInput, naming the position, for a record whose id
  // already sits at another position, or whose position is taken or leaves a
  // gap; kIo for SQLite failures. `new_head` and each commit are hex object ids.
  Status Append(const std::vector<IndexedRecord>& records, const std::string& new_head);

  // The ledger commit the index reflects; nullopt for an empty index.
  Result<std::optional<std::string>> Head();
  // Removes every record and the head (for reindex), in one transaction.
  Status Clear();
  Result<uint64_t> Count();

  // Records newest first, skipping the `offset` newest.
  Result<std::vector<RecordEntry>> Log(size_t limit, size_t offset = 0);
  // The record with this id, or with the only id starting with this prefix
  // (kMinIdPrefix hex digits or more, either case); nullopt when none.
  // kInvalidInput for anything else, or for a prefix several ids share (the
  // message lists them).
  Result<std::optional<RecordEntry>> Find(std::string_view id_or_prefix);
  // The envelope bytes of the record with this exact id; nullopt when none.
  Result<std::optional<std::string>> Envelope(std::string_view id);

  // Every list below is newest first.
  // Model records with this name, and this revision when one is given.
  Result<std::vector<ModelEntry>> ModelsByName(std::string_view name,
                                               std::optional<std::string_view> revision);
  Result<std::vector<ModelEntry>> ModelsByWeightsRoot(std::string_view root_hex);
  Result<std::vector<ClaimEntry>> ClaimsByBenchmark(std::string_view benchmark_name);
  // Records with a signature whose DSSE keyid is `keyid` (an SSH fingerprint).
  Result<std::vector<RecordEntry>> RecordsBySignerKeyId(std::string_view keyid);
  // Every record of that predicate type (plans, which no table of their own
  // indexes), newest first: a scan of the records table.
  Result<std::vector<RecordEntry>> RecordsOfPredicateType(std::string_view predicate_type);
  // Claims about a model, given a model record id or a weights root: claims
  // that name it, and claims that name the other side of the same model
  // record (its weights roots, or the model records having that root).
  Result<std::vector<ClaimEntry>> ClaimsForModel(std::string_view model_record_or_root);
  // Claims about the hosted model PROVIDER/MODEL (a scan: endpoint claims
  // are few, and no index column is worth a schema upgrade for them).
  Result<std::vector<ClaimEntry>> ClaimsOfEndpoint(std::string_view provider, std::string_view model);
  Result<std::vector<ReproductionEntry>> ReproductionsOfClaim(std::string_view claim_id);

  // DESIGN.md's resolution order: a record id or unique id prefix (which must
  // then be a model record: kInvalidInput otherwise, or when ambiguous), then
  // a weights root (64 hex digits), then `name[@revision]` (split at the last '@').
  Result<ModelResolution> ResolveModel(std::string_view text);

  // Lowercase hex SHA-256 over the schema version, the head and every row of
  // every table in position order (docs/spec/ledger-index.md, "Digest"): two
  // indexes of the same ledger have the same digest.
  Result<std::string> Digest();

  const std::string& path() const;

 private:
  struct State;  // the database (sqlite/database.h)
  explicit LedgerIndex(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

// The schema in one place, exposed so that tests can hold it against
// schema/ledger-index.sql and exercise migrations with a made-up history.
struct LedgerIndexSchema {
  int version = 0;
  // What a new, empty index runs: the text of schema/ledger-index.sql.
  std::string_view create_sql;
  // upgrades[i] takes an index from version i + 1 to i + 2; so version - 1 of them.
  std::vector<std::string_view> upgrades;
};
const LedgerIndexSchema& CurrentLedgerIndexSchema();

// Opens the index file at `path` as Open does and brings it to `schema` in one
// transaction: creates it when it has no tables and user_version 0, runs the
// upgrades after its version otherwise. kIo, naming `path`, when it holds
// another program's tables or has a schema newer than `schema`. Exposed so
// that tests can migrate with a made-up schema; Open does the same with
// CurrentLedgerIndexSchema().
Status MigrateLedgerIndex(const std::string& path, const LedgerIndexSchema& schema);

}  // namespace assay
