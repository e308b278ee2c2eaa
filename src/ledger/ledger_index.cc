#include "ledger/ledger_index.h"
#include "ledger/ledger_index_schema.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>
#include <utility>

#include "digest/sha256.h"
#include "sqlite/database.h"

namespace assay {
namespace {

// Marks the file as a ledger index ("ASLI"), so a path that names some other
// SQLite database is refused rather than written into.
constexpr int64_t kApplicationId = 0x41534c49;

// schema/ledger-index.sql, compiled in at build time (ledger/ledger_index_schema.h
// is generated from it by CMake: the .sql file is the one source of truth).
constexpr const char* kSchemaSql = kLedgerIndexSchemaSql;

// The tables and the order their rows are hashed in by Digest (every table, by
// its primary key, so by position first).
constexpr std::pair<const char*, const char*> kTablesInDigestOrder[] = {
    {"meta", "key"},
    {"records", "position"},
    {"envelopes", "position"},
    {"subjects", "position, ordinal"},
    {"signatures", "position, ordinal"},
    {"models", "position"},
    {"weights_roots", "position, ordinal"},
    {"claims", "position"},
    {"claim_metrics", "position, ordinal"},
    {"reproductions", "position"},
    {"verdicts", "position, ordinal"},
};

// Columns every entry starts with; `r` is the records table.
#define ASSAY_RECORD_COLUMNS "r.position, r.id, r.git_commit, r.kind, r.predicate_type, r.problem"
constexpr int kRecordColumnCount = 6;

// Schema upgrades, in order: kUpgrades[i] takes version i + 1 to i + 2.
constexpr std::string_view kUpgrades[] = {
    // 1 -> 2: a record that is not well formed is indexed and marked.
    "ALTER TABLE records ADD COLUMN problem TEXT;",
};

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A git object id: SHA-1 (40 hex digits) or SHA-256 (64) repositories.
bool IsGitObjectId(std::string_view text) {
  return (text.size() == 40 || text.size() == 64) && IsLowerHex(text);
}

// The columns of ASSAY_RECORD_COLUMNS, from `first`.
RecordEntry RecordAt(const SqliteStatement& row, int first) {
  RecordEntry entry;
  entry.position = row.Unsigned(first);
  entry.id = row.Bytes(first + 1);
  entry.commit = row.Bytes(first + 2);
  entry.kind = RecordKindFromName(row.Bytes(first + 3)).value_or(RecordKind::kOther);
  entry.predicate_type = row.Bytes(first + 4);
  entry.problem = row.OptionalBytes(first + 5);
  return entry;
}

std::string NewerWording(int64_t found, int64_t reads) {
  return "index schema " + std::to_string(found) + " is newer than this assay reads (" +
         std::to_string(reads) + "); use a newer assay, or delete the file and run assay reindex";
}

SqliteSchema AsSqliteSchema(const LedgerIndexSchema& schema) {
  SqliteSchema sqlite;
  sqlite.application_id = kApplicationId;
  sqlite.version = schema.version;
  sqlite.create_sql = schema.create_sql;
  sqlite.older = SqliteSchema::Older::kUpgrade;
  sqlite.upgrades = schema.upgrades;
  sqlite.not_ours = "not an assay ledger index (another program's database)";
  sqlite.newer = &NewerWording;
  return sqlite;
}

Result<SqliteDatabase> OpenDatabase(const std::string& path, const LedgerIndexSchema& schema) {
  return SqliteDatabase::Open(path, AsSqliteSchema(schema), LedgerIndex::kBusyTimeoutMs);
}

// Feeds one SQLite value to the digest, typed and length-prefixed so that no
// two different tables hash alike (docs/spec/ledger-index.md, "Digest").
void HashTagged(Sha256& hash, char tag, std::string_view bytes) {
  uint8_t header[9] = {static_cast<uint8_t>(tag)};
  uint64_t size = bytes.size();
  for (int i = 0; i < 8; ++i) header[8 - i] = static_cast<uint8_t>(size >> (8 * i));
  hash.Update(std::span<const uint8_t>(header, sizeof header));
  hash.Update(bytes);
}

std::string BigEndian64(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[7 - i] = static_cast<char>(value >> (8 * i));
  return out;
}

void HashColumn(Sha256& hash, const SqliteStatement& row, int column) {
  switch (row.ColumnType(column)) {
    case SqliteType::kNull: HashTagged(hash, 'N', ""); break;
    case SqliteType::kInteger: HashTagged(hash, 'I', BigEndian64(row.Unsigned(column))); break;
    case SqliteType::kReal: {
      double value = row.Real(column);
      uint64_t bits = 0;
      static_assert(sizeof bits == sizeof value);
      std::memcpy(&bits, &value, sizeof bits);
      HashTagged(hash, 'R', BigEndian64(bits));
      break;
    }
    case SqliteType::kText: HashTagged(hash, 'T', row.Bytes(column)); break;
    case SqliteType::kBlob: HashTagged(hash, 'B', row.Bytes(column)); break;
  }
}

}  // namespace

const LedgerIndexSchema& CurrentLedgerIndexSchema() {
  static const LedgerIndexSchema schema{LedgerIndex::kSchemaVersion, kSchemaSql,
                                        std::vector<std::string_view>(std::begin(kUpgrades), std::end(kUpgrades))};
  return schema;
}

Status MigrateLedgerIndex(const std::string& path, const LedgerIndexSchema& schema) {
  return OpenDatabase(path, schema).status();
}

struct LedgerIndex::State {
  explicit State(SqliteDatabase index_database) : db(std::move(index_database)) {}

  // The first column of every row, as positions.
  template <typename... Values>
  Result<std::vector<int64_t>> SelectPositions(std::string_view sql, const Values&... values) {
    std::vector<int64_t> positions;
    ASSAY_RETURN_IF_ERROR(db.ForEachRow(
        sql, [&](const SqliteStatement& row) { positions.push_back(row.Integer(0)); }, values...));
    return positions;
  }
  // Rows that start with ASSAY_RECORD_COLUMNS.
  template <typename... Values>
  Result<std::vector<RecordEntry>> SelectRecords(std::string_view sql, const Values&... values) {
    std::vector<RecordEntry> records;
    ASSAY_RETURN_IF_ERROR(db.ForEachRow(
        sql, [&](const SqliteStatement& row) { records.push_back(RecordAt(row, 0)); }, values...));
    return records;
  }
  // One entry per position, loaded by `load`, in the positions' order.
  template <typename Entry>
  Result<std::vector<Entry>> LoadAll(const std::vector<int64_t>& positions,
                                     Result<Entry> (State::*load)(int64_t)) {
    std::vector<Entry> entries;
    entries.reserve(positions.size());
    for (int64_t position : positions) {
      ASSAY_ASSIGN_OR_RETURN(Entry entry, (this->*load)(position));
      entries.push_back(std::move(entry));
    }
    return entries;
  }
  Status Missing(const char* what, int64_t position) const {
    return Status::IoError(db.path() + ": index is inconsistent: no " + what + " at position " +
                           std::to_string(position) + "; run assay reindex");
  }

  Result<uint64_t> Count();
  Status Insert(const IndexedRecord& record, const RecordSummary& summary, const std::optional<std::string>& problem);
  Status AppendOne(const IndexedRecord& record, const RecordSummary& summary, const std::optional<std::string>& problem,
                   uint64_t& next);
  Result<std::vector<RecordEntry>> IdsWithPrefix(const std::string& prefix, size_t limit);
  Result<ModelEntry> LoadModel(int64_t position);
  Result<ClaimEntry> LoadClaim(int64_t position);
  Result<ReproductionEntry> LoadReproduction(int64_t position);

  SqliteDatabase db;
};

Result<uint64_t> LedgerIndex::State::Count() {
  uint64_t count = 0;
  // Positions are dense, so this is the count, found in the key's B-tree at once.
  ASSAY_RETURN_IF_ERROR(db.ForFirstRow("SELECT coalesce(max(position) + 1, 0) FROM records",
                                      [&](const SqliteStatement& row) { count = row.Unsigned(0); }));
  return count;
}

Status LedgerIndex::State::Insert(const IndexedRecord& record, const RecordSummary& summary,
                                  const std::optional<std::string>& problem) {
  const int64_t position = static_cast<int64_t>(record.position);
  ASSAY_RETURN_IF_ERROR(db.Run(
      "INSERT INTO records (position, id, git_commit, kind, predicate_type, problem) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
      position, summary.id, record.commit, RecordKindName(summary.kind), summary.predicate_type, problem));
  ASSAY_RETURN_IF_ERROR(db.Run("INSERT INTO envelopes (position, envelope) VALUES (?1, ?2)", position,
                            SqliteBlob(record.envelope)));
  for (size_t i = 0; i < summary.subjects.size(); ++i) {
    const SubjectDigest& subject = summary.subjects[i];
    ASSAY_RETURN_IF_ERROR(db.Run(
        "INSERT INTO subjects (position, ordinal, name, algorithm, digest) "
        "VALUES (?1, ?2, ?3, ?4, ?5)",
        position, i, subject.name, subject.algorithm, subject.digest));
  }
  for (size_t i = 0; i < summary.signature_keyids.size(); ++i) {
    ASSAY_RETURN_IF_ERROR(
        db.Run("INSERT INTO signatures (position, ordinal, keyid) VALUES (?1, ?2, ?3)", position, i,
            summary.signature_keyids[i]));
  }
  if (const std::optional<ModelSummary>& model = summary.model) {
    ASSAY_RETURN_IF_ERROR(db.Run(
        "INSERT INTO models (position, name, revision, hub_repo_id, hub_revision, tensor_count, "
        "total_bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        position, model->name, model->revision, model->hub_repo_id, model->hub_revision,
        model->tensor_count, model->total_bytes));
    for (size_t i = 0; i < model->weights_roots.size(); ++i) {
      const WeightsRootSummary& root = model->weights_roots[i];
      ASSAY_RETURN_IF_ERROR(db.Run(
          "INSERT INTO weights_roots (position, ordinal, format, root, tensor_count) "
          "VALUES (?1, ?2, ?3, ?4, ?5)",
          position, i, root.format, root.root, root.tensor_count));
    }
  }
  if (const std::optional<ClaimSummary>& claim = summary.claim) {
    ASSAY_RETURN_IF_ERROR(db.Run(
        "INSERT INTO claims (position, model_record, weights_root, benchmark_name, "
        "benchmark_version, harness_name, harness_version, endpoint, endpoint_provider, "
        "endpoint_model) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        position, claim->model_record, claim->weights_root, claim->benchmark_name,
        claim->benchmark_version, claim->harness_name, claim->harness_version, claim->endpoint,
        claim->endpoint_provider, claim->endpoint_model));
    for (size_t i = 0; i < claim->metrics.size(); ++i) {
      const ClaimMetric& metric = claim->metrics[i];
      ASSAY_RETURN_IF_ERROR(db.Run(
          "INSERT INTO claim_metrics (position, ordinal, name, value, stderr) "
          "VALUES (?1, ?2, ?3, ?4, ?5)",
          position, i, metric.name, metric.value, metric.standard_error));
    }
  }
  if (const std::optional<ReproductionSummary>& reproduction = summary.reproduction) {
    ASSAY_RETURN_IF_ERROR(
        db.Run("INSERT INTO reproductions (position, claim, weights_root) VALUES (?1, ?2, ?3)",
            position, reproduction->claim, reproduction->weights_root_observed));
    for (size_t i = 0; i < reproduction->verdicts.size(); ++i) {
      const IndexedVerdict& verdict = reproduction->verdicts[i];
      ASSAY_RETURN_IF_ERROR(db.Run(
          "INSERT INTO verdicts (position, ordinal, metric, verdict) VALUES (?1, ?2, ?3, ?4)",
          position, i, verdict.metric, verdict.verdict));
    }
  }
  return Status::Ok();
}

// `next` is the first free position; it moves on when the record is added.
Status LedgerIndex::State::AppendOne(const IndexedRecord& record, const RecordSummary& summary,
                                     const std::optional<std::string>& problem, uint64_t& next) {
  const std::string where = "record at position " + std::to_string(record.position);
  std::optional<std::string> holder;
  ASSAY_RETURN_IF_ERROR(db.ForFirstRow(
      "SELECT id FROM records WHERE position = ?1",
      [&](const SqliteStatement& row) { holder = row.Bytes(0); }, record.position));
  if (holder == record.id) return Status::Ok();  // indexed before: a repeated catch-up
  if (holder) return Status::InvalidInput(where + ": the position holds record " + *holder);

  std::optional<uint64_t> elsewhere;
  ASSAY_RETURN_IF_ERROR(db.ForFirstRow(
      "SELECT position FROM records WHERE id = ?1",
      [&](const SqliteStatement& row) { elsewhere = row.Unsigned(0); }, record.id));
  if (elsewhere) {
    return Status::InvalidInput(where + ": record " + record.id + " is already at position " +
                                std::to_string(*elsewhere));
  }
  if (record.position != next) {
    return Status::InvalidInput(where + ": leaves a gap, the next position is " +
                                std::to_string(next));
  }
  ASSAY_RETURN_IF_ERROR(Insert(record, summary, problem));
  ++next;
  return Status::Ok();
}

Result<std::vector<RecordEntry>> LedgerIndex::State::IdsWithPrefix(const std::string& prefix,
                                                                   size_t limit) {
  // Ids are lowercase hex, so every id starting with `prefix` sorts in
  // [prefix, prefix + "g"): a range over the id's unique index.
  return SelectRecords("SELECT " ASSAY_RECORD_COLUMNS " FROM records r "
                       "WHERE r.id >= ?1 AND r.id < ?2 ORDER BY r.id LIMIT ?3",
                       prefix, prefix + "g", limit);
}

Result<ModelEntry> LedgerIndex::State::LoadModel(int64_t position) {
  std::optional<ModelEntry> entry;
  ASSAY_RETURN_IF_ERROR(db.ForFirstRow(
      "SELECT " ASSAY_RECORD_COLUMNS ", m.name, m.revision, m.hub_repo_id, m.hub_revision, "
      "m.tensor_count, m.total_bytes FROM records r JOIN models m ON m.position = r.position "
      "WHERE r.position = ?1",
      [&](const SqliteStatement& row) {
        constexpr int c = kRecordColumnCount;
        ModelSummary model{row.Bytes(c), row.OptionalBytes(c + 1), row.OptionalBytes(c + 2),
                           row.OptionalBytes(c + 3), {}, row.Unsigned(c + 4), row.Unsigned(c + 5)};
        entry = ModelEntry{RecordAt(row, 0), std::move(model)};
      },
      position));
  if (!entry) return Missing("model", position);
  ASSAY_RETURN_IF_ERROR(db.ForEachRow(
      "SELECT format, root, tensor_count FROM weights_roots WHERE position = ?1 ORDER BY ordinal",
      [&](const SqliteStatement& row) {
        entry->model.weights_roots.push_back({row.Bytes(0), row.Bytes(1), row.Unsigned(2)});
      },
      position));
  return std::move(*entry);
}

Result<ClaimEntry> LedgerIndex::State::LoadClaim(int64_t position) {
  std::optional<ClaimEntry> entry;
  ASSAY_RETURN_IF_ERROR(db.ForFirstRow(
      "SELECT " ASSAY_RECORD_COLUMNS ", c.model_record, c.weights_root, c.benchmark_name, "
      "c.benchmark_version, c.harness_name, c.harness_version, c.endpoint, c.endpoint_provider, "
      "c.endpoint_model FROM records r JOIN claims c ON c.position = r.position "
      "WHERE r.position = ?1",
      [&](const SqliteStatement& row) {
        constexpr int c = kRecordColumnCount;
        ClaimSummary claim;
        claim.model_record = row.OptionalBytes(c);
        claim.weights_root = row.OptionalBytes(c + 1);
        claim.benchmark_name = row.OptionalBytes(c + 2);
        claim.benchmark_version = row.OptionalBytes(c + 3);
        claim.harness_name = row.OptionalBytes(c + 4);
        claim.harness_version = row.OptionalBytes(c + 5);
        claim.endpoint = row.Integer(c + 6) != 0;
        claim.endpoint_provider = row.OptionalBytes(c + 7);
        claim.endpoint_model = row.OptionalBytes(c + 8);
        entry = ClaimEntry{RecordAt(row, 0), std::move(claim)};
      },
      position));
  if (!entry) return Missing("claim", position);
  ASSAY_RETURN_IF_ERROR(db.ForEachRow(
      "SELECT name, value, stderr FROM claim_metrics WHERE position = ?1 ORDER BY ordinal",
      [&](const SqliteStatement& row) {
        entry->claim.metrics.push_back({row.Bytes(0), row.OptionalReal(1), row.OptionalReal(2)});
      },
      position));
  return std::move(*entry);
}

Result<ReproductionEntry> LedgerIndex::State::LoadReproduction(int64_t position) {
  std::optional<ReproductionEntry> entry;
  ASSAY_RETURN_IF_ERROR(db.ForFirstRow(
      "SELECT " ASSAY_RECORD_COLUMNS ", p.claim, p.weights_root FROM records r "
      "JOIN reproductions p ON p.position = r.position WHERE r.position = ?1",
      [&](const SqliteStatement& row) {
        constexpr int c = kRecordColumnCount;
        entry = ReproductionEntry{RecordAt(row, 0),
                                  {row.OptionalBytes(c), row.OptionalBytes(c + 1), {}}};
      },
      position));
  if (!entry) return Missing("reproduction", position);
  ASSAY_RETURN_IF_ERROR(db.ForEachRow(
      "SELECT metric, verdict FROM verdicts WHERE position = ?1 ORDER BY ordinal",
      [&](const SqliteStatement& row) {
        entry->reproduction.verdicts.push_back({row.Bytes(0), row.Bytes(1)});
      },
      position));
  return std::move(*entry);
}

LedgerIndex::LedgerIndex(std::unique_ptr<State> state) : state_(std::move(state)) {}
LedgerIndex::~LedgerIndex() = default;

const std::string& LedgerIndex::path() const { return state_->db.path(); }

Result<std::unique_ptr<LedgerIndex>> LedgerIndex::Open(const std::string& path) {
  // WAL with synchronous=NORMAL (sqlite/database.h): a power cut may lose the
  // last commits, never corrupt; the index records the head it reflects and
  // catches up from git (docs/spec/ledger.md).
  ASSAY_ASSIGN_OR_RETURN(SqliteDatabase db, OpenDatabase(path, CurrentLedgerIndexSchema()));
  // Up to 64 MiB of pages, allocated as they are read: at 100,000 records
  // everything but the envelopes stays in memory while a query runs.
  ASSAY_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size = -65536"));
  return std::unique_ptr<LedgerIndex>(new LedgerIndex(std::make_unique<State>(std::move(db))));
}

Status LedgerIndex::Append(const std::vector<IndexedRecord>& records, const std::string& new_head) {
  if (!IsGitObjectId(new_head)) {
    return Status::InvalidInput("head '" + new_head + "' is not a git object id");
  }
  // Everything is read before the transaction starts. A record that is not
  // well formed is kept with its problem and nothing else about it, so one
  // bad blob in the ledger does not hide every other record.
  std::vector<RecordSummary> summaries;
  std::vector<std::optional<std::string>> problems;
  summaries.reserve(records.size());
  for (const IndexedRecord& record : records) {
    const std::string where = "record at position " + std::to_string(record.position);
    if (!IsGitObjectId(record.commit)) {
      return Status::InvalidInput(where + ": commit '" + record.commit +
                                  "' is not a git object id");
    }
    Result<RecordSummary> summary = SummarizeRecord(record.envelope);
    std::optional<std::string> problem;
    if (!summary.ok()) {
      problem = summary.status().message();
    } else if (summary->id != record.id) {
      problem = "its id " + record.id + " is not the SHA-256 of its payload (" + summary->id + ")";
    }
    if (problem) {
      RecordSummary invalid;
      invalid.id = record.id;
      summary = std::move(invalid);
    }
    summaries.push_back(std::move(*summary));
    problems.push_back(std::move(problem));
  }
  State& s = *state_;
  return s.db.Transaction([&]() -> Status {
    ASSAY_ASSIGN_OR_RETURN(uint64_t next, s.Count());
    for (size_t i = 0; i < records.size(); ++i) {
      ASSAY_RETURN_IF_ERROR(s.AppendOne(records[i], summaries[i], problems[i], next));
    }
    // Another process may have caught up further than this batch reaches: its
    // head describes the index, and moving back to ours would misdescribe it.
    if (!records.empty() && records.back().position + 1 < next) return Status::Ok();
    return s.db.Run("INSERT OR REPLACE INTO meta (key, value) VALUES ('head', ?1)", new_head);
  });
}

Result<std::optional<std::string>> LedgerIndex::Head() {
  std::optional<std::string> head;
  ASSAY_RETURN_IF_ERROR(state_->db.ForFirstRow(
      "SELECT value FROM meta WHERE key = 'head'",
      [&](const SqliteStatement& row) { head = row.Bytes(0); }));
  return head;
}

Status LedgerIndex::Clear() {
  State& s = *state_;
  return s.db.Transaction([&]() -> Status {
    // The digest order lists every table after the one it refers to, so
    // deleting in reverse keeps the foreign keys satisfied.
    for (auto table = std::rbegin(kTablesInDigestOrder); table != std::rend(kTablesInDigestOrder);
         ++table) {
      std::string sql = std::string("DELETE FROM ") + table->first;
      ASSAY_RETURN_IF_ERROR(s.db.Exec(sql));
    }
    return Status::Ok();
  });
}

Result<uint64_t> LedgerIndex::Count() { return state_->Count(); }

Result<std::vector<RecordEntry>> LedgerIndex::Log(size_t limit, size_t offset) {
  // SQLite's LIMIT and OFFSET are signed 64-bit; larger values mean "all".
  constexpr size_t kMax = static_cast<size_t>(std::numeric_limits<int64_t>::max());
  // Positions are dense, so skipping is a range on the key, not a scan.
  return state_->SelectRecords("SELECT " ASSAY_RECORD_COLUMNS " FROM records r "
                               "WHERE r.position < (SELECT coalesce(max(position) + 1, 0) FROM records) - ?2 "
                               "ORDER BY r.position DESC LIMIT ?1",
                               std::min(limit, kMax), std::min(offset, kMax));
}

Result<std::optional<RecordEntry>> LedgerIndex::Find(std::string_view id_or_prefix) {
  // How many candidates an ambiguity error lists.
  constexpr size_t kCandidatesListed = 10;
  std::string prefix = Lowercase(id_or_prefix);
  if (prefix.size() < kMinIdPrefix || prefix.size() > 64 || !IsLowerHex(prefix)) {
    return Status::InvalidInput("'" + std::string(id_or_prefix) + "' is not a record id or a " +
                                "prefix of " + std::to_string(kMinIdPrefix) +
                                " or more hex digits");
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<RecordEntry> candidates,
                         state_->IdsWithPrefix(prefix, kCandidatesListed + 1));
  if (candidates.empty()) return std::optional<RecordEntry>();
  if (candidates.size() == 1) return std::optional<RecordEntry>(std::move(candidates[0]));
  std::string message = "record id prefix " + prefix + " is ambiguous:";
  for (size_t i = 0; i < candidates.size() && i < kCandidatesListed; ++i) {
    message += (i == 0 ? " " : ", ") + candidates[i].id + " (" +
               std::string(RecordKindName(candidates[i].kind)) + ")";
  }
  if (candidates.size() > kCandidatesListed) message += ", and more";
  return Status::InvalidInput(message);
}

Result<std::optional<std::string>> LedgerIndex::Envelope(std::string_view id) {
  std::optional<std::string> envelope;
  ASSAY_RETURN_IF_ERROR(state_->db.ForFirstRow(
      "SELECT e.envelope FROM records r JOIN envelopes e ON e.position = r.position WHERE r.id = ?1",
      [&](const SqliteStatement& row) { envelope = row.Bytes(0); }, Lowercase(id)));
  return envelope;
}

Result<std::vector<ModelEntry>> LedgerIndex::ModelsByName(std::string_view name,
                                                          std::optional<std::string_view> revision) {
  State& s = *state_;
  ASSAY_ASSIGN_OR_RETURN(
      std::vector<int64_t> positions,
      revision ? s.SelectPositions("SELECT position FROM models WHERE name = ?1 AND revision = ?2 "
                                   "ORDER BY position DESC",
                                   name, *revision)
               : s.SelectPositions("SELECT position FROM models WHERE name = ?1 "
                                   "ORDER BY position DESC",
                                   name));
  return s.LoadAll(positions, &State::LoadModel);
}

Result<std::vector<ModelEntry>> LedgerIndex::ModelsByWeightsRoot(std::string_view root_hex) {
  State& s = *state_;
  ASSAY_ASSIGN_OR_RETURN(std::vector<int64_t> positions,
                         s.SelectPositions("SELECT DISTINCT position FROM weights_roots "
                                           "WHERE root = ?1 ORDER BY position DESC",
                                           Lowercase(root_hex)));
  return s.LoadAll(positions, &State::LoadModel);
}

Result<std::vector<ClaimEntry>> LedgerIndex::ClaimsByBenchmark(std::string_view benchmark_name) {
  State& s = *state_;
  ASSAY_ASSIGN_OR_RETURN(std::vector<int64_t> positions,
                         s.SelectPositions("SELECT position FROM claims WHERE benchmark_name = ?1 "
                                           "ORDER BY position DESC",
                                           benchmark_name));
  return s.LoadAll(positions, &State::LoadClaim);
}

Result<std::vector<RecordEntry>> LedgerIndex::RecordsBySignerKeyId(std::string_view keyid) {
  return state_->SelectRecords("SELECT DISTINCT " ASSAY_RECORD_COLUMNS " FROM signatures s "
                               "JOIN records r ON r.position = s.position WHERE s.keyid = ?1 "
                               "ORDER BY r.position DESC",
                               keyid);
}

Result<std::vector<RecordEntry>> LedgerIndex::RecordsOfPredicateType(std::string_view predicate_type) {
  return state_->SelectRecords("SELECT " ASSAY_RECORD_COLUMNS " FROM records r WHERE r.predicate_type = ?1 "
                               "AND r.problem IS NULL ORDER BY r.position DESC",
                               predicate_type);
}

Result<std::vector<ClaimEntry>> LedgerIndex::ClaimsForModel(std::string_view model_record_or_root) {
  State& s = *state_;
  // Four indexed lookups: claims naming it directly as a model record or as a
  // weights root, then through the model records that carry it.
  ASSAY_ASSIGN_OR_RETURN(
      std::vector<int64_t> positions,
      s.SelectPositions(
          "SELECT position FROM claims WHERE model_record = ?1 "
          "UNION SELECT position FROM claims WHERE weights_root = ?1 "
          "UNION SELECT c.position FROM records m JOIN weights_roots w ON w.position = m.position "
          "JOIN claims c ON c.weights_root = w.root WHERE m.id = ?1 "
          "UNION SELECT c.position FROM weights_roots w JOIN records m ON m.position = w.position "
          "JOIN claims c ON c.model_record = m.id WHERE w.root = ?1 "
          "ORDER BY 1 DESC",
          Lowercase(model_record_or_root)));
  return s.LoadAll(positions, &State::LoadClaim);
}

Result<std::vector<ClaimEntry>> LedgerIndex::ClaimsOfEndpoint(std::string_view provider, std::string_view model) {
  State& s = *state_;
  ASSAY_ASSIGN_OR_RETURN(std::vector<int64_t> positions,
                         s.SelectPositions("SELECT position FROM claims WHERE endpoint_provider = ?1 "
                                           "AND endpoint_model = ?2 ORDER BY position DESC",
                                           provider, model));
  return s.LoadAll(positions, &State::LoadClaim);
}

Result<std::vector<ReproductionEntry>> LedgerIndex::ReproductionsOfClaim(std::string_view claim_id) {
  State& s = *state_;
  ASSAY_ASSIGN_OR_RETURN(std::vector<int64_t> positions,
                         s.SelectPositions("SELECT position FROM reproductions WHERE claim = ?1 "
                                           "ORDER BY position DESC",
                                           Lowercase(claim_id)));
  return s.LoadAll(positions, &State::LoadReproduction);
}

Result<ModelResolution> LedgerIndex::ResolveModel(std::string_view text) {
  using Match = ModelResolution::Match;
  const std::string lower = Lowercase(text);
  const bool hex = lower.size() >= kMinIdPrefix && lower.size() <= 64 && IsLowerHex(lower);
  if (hex) {
    ASSAY_ASSIGN_OR_RETURN(std::optional<RecordEntry> record, Find(lower));
    if (record) {
      if (record->kind != RecordKind::kModel) {
        return Status::InvalidInput("record " + record->id + " is a " +
                                    std::string(RecordKindName(record->kind)) +
                                    " record, not a model record");
      }
      ASSAY_ASSIGN_OR_RETURN(ModelEntry model, state_->LoadModel(static_cast<int64_t>(record->position)));
      return ModelResolution{Match::kRecordId, {std::move(model)}};
    }
  }
  if (hex && lower.size() == 64) {
    ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> models, ModelsByWeightsRoot(lower));
    if (!models.empty()) return ModelResolution{Match::kWeightsRoot, std::move(models)};
  }
  std::string_view name = text;
  std::optional<std::string_view> revision;
  if (size_t at = text.rfind('@'); at != std::string_view::npos && at > 0 && at + 1 < text.size()) {
    name = text.substr(0, at);
    revision = text.substr(at + 1);
  }
  ASSAY_ASSIGN_OR_RETURN(std::vector<ModelEntry> models, ModelsByName(name, revision));
  if (models.empty()) return ModelResolution{};
  return ModelResolution{Match::kName, std::move(models)};
}

Result<std::string> LedgerIndex::Digest() {
  State& s = *state_;
  Sha256 hash;
  HashTagged(hash, 'V', "assay-ledger-index/" + std::to_string(kSchemaVersion));
  // One transaction, so a concurrent append cannot land between two tables.
  Status read = s.db.Transaction([&]() -> Status {
    for (const auto& [table, order] : kTablesInDigestOrder) {
      HashTagged(hash, 'S', table);
      std::string sql = std::string("SELECT * FROM ") + table + " ORDER BY " + order;
      ASSAY_RETURN_IF_ERROR(s.db.ForEachRow(sql, [&](const SqliteStatement& row) {
        for (int column = 0; column < row.ColumnCount(); ++column) HashColumn(hash, row, column);
      }));
    }
    return Status::Ok();
  });
  ASSAY_RETURN_IF_ERROR(read);
  return ToHex(hash.Finish());
}

}  // namespace assay
