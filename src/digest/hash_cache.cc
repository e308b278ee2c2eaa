#include "digest/hash_cache.h"

#include <sqlite3.h>
#include <time.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace assay {
namespace {

constexpr int64_t kNanosPerSecond = 1000000000;

// docs/spec/hash-cache.md, "Racy timestamps".
constexpr int64_t kRacySafetyMarginNs = 10000000;          // 10 ms
constexpr int64_t kWholeSecondGranularityNs = 2 * kNanosPerSecond;  // FAT keeps even seconds
constexpr int64_t kFallbackTickNs = 10000000;               // one jiffy at HZ=100, the slowest

// Marks the file as ours ("ASSY"), so a path that names some other SQLite
// database is refused rather than rebuilt.
constexpr int64_t kApplicationId = 0x41535359;

// Buffered stores are written when any of these is reached (or on Flush).
constexpr size_t kFlushRows = 512;
constexpr size_t kFlushBytes = size_t{16} << 20;
constexpr int64_t kFlushAgeNs = kNanosPerSecond;

// The kernel stamps files from its coarse clock, which lags the real one by
// up to one tick.
int64_t CoarseClockTickNanos() {
  static const int64_t tick = [] {
#ifdef CLOCK_REALTIME_COARSE
    struct timespec resolution;
    if (::clock_getres(CLOCK_REALTIME_COARSE, &resolution) == 0) {
      return static_cast<int64_t>(resolution.tv_sec) * kNanosPerSecond + resolution.tv_nsec;
    }
#endif
    return kFallbackTickNs;
  }();
  return tick;
}

// Paths and kinds are TEXT (SQLite keeps and compares their bytes as given,
// UTF-8 or not); digests and payloads are BLOBs.
constexpr char kSchemaSql[] = R"sql(
DROP TABLE IF EXISTS file_stats;
DROP TABLE IF EXISTS content;
CREATE TABLE file_stats (
  path TEXT PRIMARY KEY NOT NULL,
  device INTEGER NOT NULL,
  inode INTEGER NOT NULL,
  size INTEGER NOT NULL,
  mtime_ns INTEGER NOT NULL,
  ctime_ns INTEGER NOT NULL,
  sha256 BLOB NOT NULL CHECK (length(sha256) = 32)
);
CREATE TABLE content (
  sha256 BLOB NOT NULL CHECK (length(sha256) = 32),
  kind TEXT NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (sha256, kind)
);
)sql";

struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// Resets a prepared statement when one use of it ends.
class StatementUse {
 public:
  explicit StatementUse(sqlite3_stmt* statement) : statement_(statement) {}
  ~StatementUse() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;

 private:
  sqlite3_stmt* statement_;
};

// Binding helpers: text, integers and blobs, bound to ?1, ?2, … in order.
struct Blob {
  const void* data;
  size_t size;
};
Blob AsBlob(const Sha256Digest& digest) { return {digest.data(), digest.size()}; }

int BindOne(sqlite3_stmt* statement, int index, std::string_view text) {
  return sqlite3_bind_text64(statement, index, text.empty() ? "" : text.data(), text.size(),
                             SQLITE_STATIC, SQLITE_UTF8);
}
int BindOne(sqlite3_stmt* statement, int index, int64_t value) {
  return sqlite3_bind_int64(statement, index, value);
}
int BindOne(sqlite3_stmt* statement, int index, Blob blob) {
  return sqlite3_bind_blob64(statement, index, blob.size == 0 ? "" : blob.data, blob.size,
                             SQLITE_STATIC);
}
// Returns the first failure's code, or SQLITE_OK.
template <typename... Values>
int BindAll(sqlite3_stmt* statement, const Values&... values) {
  int index = 0;
  int rc = SQLITE_OK;
  ((rc = rc == SQLITE_OK ? BindOne(statement, ++index, values) : rc), ...);
  return rc;
}

std::string ColumnBytes(sqlite3_stmt* statement, int column) {
  const void* data = sqlite3_column_blob(statement, column);
  int size = sqlite3_column_bytes(statement, column);
  return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

struct FileEntry {
  FileInfo info;
  Sha256Digest sha256;
};

// The stat identity of docs/spec/hash-cache.md: all five must match.
bool SameStatIdentity(const FileInfo& a, const FileInfo& b) {
  return a.device == b.device && a.inode == b.inode && a.size == b.size &&
         a.mtime_ns == b.mtime_ns && a.ctime_ns == b.ctime_ns;
}

using ContentKey = std::pair<Sha256Digest, std::string>;

}  // namespace

bool IsRacy(const FileInfo& info, int64_t stat_time_ns) {
  int64_t cutoff = stat_time_ns - RacyWindowNanos(info);
  return info.mtime_ns >= cutoff || info.ctime_ns >= cutoff;
}

int64_t RacyWindowNanos(const FileInfo& info) {
  bool whole_seconds = info.mtime_ns % kNanosPerSecond == 0 || info.ctime_ns % kNanosPerSecond == 0;
  return (whole_seconds ? kWholeSecondGranularityNs : CoarseClockTickNanos()) + kRacySafetyMarginNs;
}

struct HashCache::State {
  State(std::string cache_path, Clock& cache_clock) : path(std::move(cache_path)), clock(cache_clock) {}
  ~State() {
    select_file.reset();
    upsert_file.reset();
    select_content.reset();
    upsert_content.reset();
    sqlite3_close_v2(db);
  }

  // "<cache path>: <sqlite's message>".
  Status SqliteError() const { return Status::IoError(path + ": " + sqlite3_errmsg(db)); }
  Status Exec(const char* sql) {
    return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK ? Status::Ok()
                                                                          : SqliteError();
  }
  Status Prepare(const char* sql, Statement& out) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) return SqliteError();
    out.reset(statement);
    return Status::Ok();
  }
  // Runs an INSERT (already bound) to completion.
  Status StepToDone(sqlite3_stmt* statement) {
    return sqlite3_step(statement) == SQLITE_DONE ? Status::Ok() : SqliteError();
  }
  Result<int64_t> QueryInteger(const char* sql);
  Status CheckOrCreateSchema();
  // Call before buffering a store of about `bytes`.
  void CountPending(size_t bytes) {
    if (pending_files.empty() && pending_content.empty()) oldest_pending_ns = clock.NowNanos();
    pending_bytes += bytes;
  }
  Status FlushLocked();
  Status FlushIfDueLocked();

  const std::string path;
  Clock& clock;
  sqlite3* db = nullptr;
  Statement select_file, upsert_file, select_content, upsert_content;

  std::mutex mutex;  // guards everything below and every use of `db`
  std::unordered_map<std::string, FileEntry> pending_files;
  std::map<ContentKey, std::string> pending_content;
  size_t pending_bytes = 0;
  int64_t oldest_pending_ns = 0;
};

Result<int64_t> HashCache::State::QueryInteger(const char* sql) {
  Statement statement;
  ASSAY_RETURN_IF_ERROR(Prepare(sql, statement));
  if (sqlite3_step(statement.get()) != SQLITE_ROW) return SqliteError();
  return static_cast<int64_t>(sqlite3_column_int64(statement.get(), 0));
}

// Runs inside BEGIN IMMEDIATE, so two processes creating one cache take turns.
Status HashCache::State::CheckOrCreateSchema() {
  ASSAY_ASSIGN_OR_RETURN(int64_t application_id, QueryInteger("PRAGMA application_id"));
  ASSAY_ASSIGN_OR_RETURN(int64_t version, QueryInteger("PRAGMA user_version"));
  ASSAY_ASSIGN_OR_RETURN(int64_t objects, QueryInteger("SELECT count(*) FROM sqlite_master"));
  bool fresh = application_id == 0 && objects == 0;
  if (application_id != kApplicationId && !fresh) {
    return Status::IoError(path + ": not an assay hash cache (another program's database); not using it");
  }
  if (version == kSchemaVersion) return Status::Ok();
  if (version > kSchemaVersion) {
    return Status::IoError(path + ": written by a newer assay (cache schema " +
                           std::to_string(version) + ", this one reads " +
                           std::to_string(kSchemaVersion) + "); not using it");
  }
  // New, or an older schema: it is only a cache, so rebuild rather than migrate.
  ASSAY_RETURN_IF_ERROR(Exec(kSchemaSql));
  std::string stamp = "PRAGMA application_id = " + std::to_string(kApplicationId) +
                      "; PRAGMA user_version = " + std::to_string(kSchemaVersion);
  return Exec(stamp.c_str());
}

Status HashCache::State::FlushLocked() {
  if (pending_files.empty() && pending_content.empty()) return Status::Ok();
  auto write_all = [&]() -> Status {
    ASSAY_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    for (const auto& [file_path, entry] : pending_files) {
      StatementUse use(upsert_file.get());
      const FileInfo& info = entry.info;
      if (BindAll(upsert_file.get(), std::string_view(file_path),
                  static_cast<int64_t>(info.device), static_cast<int64_t>(info.inode),
                  static_cast<int64_t>(info.size), info.mtime_ns, info.ctime_ns,
                  AsBlob(entry.sha256)) != SQLITE_OK) {
        return SqliteError();
      }
      ASSAY_RETURN_IF_ERROR(StepToDone(upsert_file.get()));
    }
    for (const auto& [key, payload] : pending_content) {
      StatementUse use(upsert_content.get());
      if (BindAll(upsert_content.get(), AsBlob(key.first), std::string_view(key.second),
                  Blob{payload.data(), payload.size()}) != SQLITE_OK) {
        return SqliteError();
      }
      ASSAY_RETURN_IF_ERROR(StepToDone(upsert_content.get()));
    }
    return Exec("COMMIT");
  };
  Status status = write_all();
  if (!status.ok()) (void)Exec("ROLLBACK");  // fails harmlessly when BEGIN did
  pending_files.clear();
  pending_content.clear();
  pending_bytes = 0;
  return status;
}

Status HashCache::State::FlushIfDueLocked() {
  size_t rows = pending_files.size() + pending_content.size();
  if (rows >= kFlushRows || pending_bytes >= kFlushBytes ||
      clock.NowNanos() - oldest_pending_ns >= kFlushAgeNs) {
    return FlushLocked();
  }
  return Status::Ok();
}

HashCache::HashCache(std::unique_ptr<State> state) : state_(std::move(state)) {}

HashCache::~HashCache() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  (void)state_->FlushLocked();
}

const std::string& HashCache::path() const { return state_->path; }

Result<std::unique_ptr<HashCache>> HashCache::Open(const std::string& path, Clock& clock) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (!folder.empty()) ASSAY_RETURN_IF_ERROR(LocalFileSystem().CreateDirectories(folder));

  auto state = std::make_unique<State>(path, clock);
  // The handle is kept even when opening fails: it carries the message, and
  // ~State closes it. Our mutex serializes use, so SQLite's own is not needed.
  int rc = sqlite3_open_v2(path.c_str(), &state->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) return state->SqliteError();
  sqlite3_busy_timeout(state->db, kBusyTimeoutMs);
  // WAL lets readers and one writer from several processes overlap; with it,
  // synchronous=NORMAL syncs at checkpoints rather than at every commit, which
  // is enough for a cache (a crash can lose recent entries, never corrupt it).
  ASSAY_RETURN_IF_ERROR(state->Exec("PRAGMA journal_mode = WAL"));
  ASSAY_RETURN_IF_ERROR(state->Exec("PRAGMA synchronous = NORMAL"));

  ASSAY_RETURN_IF_ERROR(state->Exec("BEGIN IMMEDIATE"));
  Status schema = state->CheckOrCreateSchema();
  if (!schema.ok()) {
    (void)state->Exec("ROLLBACK");
    return schema;
  }
  ASSAY_RETURN_IF_ERROR(state->Exec("COMMIT"));

  ASSAY_RETURN_IF_ERROR(state->Prepare(
      "SELECT device, inode, size, mtime_ns, ctime_ns, sha256 FROM file_stats WHERE path = ?1",
      state->select_file));
  ASSAY_RETURN_IF_ERROR(state->Prepare(
      "INSERT OR REPLACE INTO file_stats (path, device, inode, size, mtime_ns, ctime_ns, sha256) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      state->upsert_file));
  ASSAY_RETURN_IF_ERROR(state->Prepare(
      "SELECT payload FROM content WHERE sha256 = ?1 AND kind = ?2", state->select_content));
  ASSAY_RETURN_IF_ERROR(state->Prepare(
      "INSERT OR REPLACE INTO content (sha256, kind, payload) VALUES (?1, ?2, ?3)",
      state->upsert_content));
  return std::unique_ptr<HashCache>(new HashCache(std::move(state)));
}

Result<std::optional<Sha256Digest>> HashCache::Lookup(const std::string& file_path,
                                                      const FileInfo& info) {
  using MaybeDigest = std::optional<Sha256Digest>;
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mutex);
  if (auto pending = s.pending_files.find(file_path); pending != s.pending_files.end()) {
    const FileEntry& entry = pending->second;
    return SameStatIdentity(entry.info, info) ? MaybeDigest(entry.sha256) : MaybeDigest();
  }

  sqlite3_stmt* select = s.select_file.get();
  StatementUse use(select);
  if (BindAll(select, std::string_view(file_path)) != SQLITE_OK) return s.SqliteError();
  int rc = sqlite3_step(select);
  if (rc == SQLITE_DONE) return MaybeDigest();
  if (rc != SQLITE_ROW) return s.SqliteError();
  FileInfo stored;
  stored.device = static_cast<uint64_t>(sqlite3_column_int64(select, 0));
  stored.inode = static_cast<uint64_t>(sqlite3_column_int64(select, 1));
  stored.size = static_cast<uint64_t>(sqlite3_column_int64(select, 2));
  stored.mtime_ns = sqlite3_column_int64(select, 3);
  stored.ctime_ns = sqlite3_column_int64(select, 4);
  std::string digest = ColumnBytes(select, 5);
  // The schema's CHECK keeps digests at 32 bytes; a hand-edited row is a miss.
  if (!SameStatIdentity(stored, info) || digest.size() != Sha256Digest().size()) {
    return MaybeDigest();
  }
  Sha256Digest sha256;
  std::copy(digest.begin(), digest.end(), sha256.begin());
  return MaybeDigest(sha256);
}

Result<HashCache::StoreOutcome> HashCache::Store(const std::string& file_path,
                                                 const FileInfo& info, const Sha256Digest& sha256,
                                                 int64_t stat_time_ns) {
  if (IsRacy(info, stat_time_ns)) return StoreOutcome::kSkippedRacy;
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mutex);
  s.CountPending(file_path.size() + sizeof(FileEntry));
  s.pending_files.insert_or_assign(file_path, FileEntry{info, sha256});
  ASSAY_RETURN_IF_ERROR(s.FlushIfDueLocked());
  return StoreOutcome::kStored;
}

Result<std::optional<std::string>> HashCache::LookupContent(const Sha256Digest& sha256,
                                                            std::string_view kind) {
  using MaybePayload = std::optional<std::string>;
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mutex);
  if (auto pending = s.pending_content.find(ContentKey(sha256, kind));
      pending != s.pending_content.end()) {
    return MaybePayload(pending->second);
  }

  sqlite3_stmt* select = s.select_content.get();
  StatementUse use(select);
  if (BindAll(select, AsBlob(sha256), kind) != SQLITE_OK) return s.SqliteError();
  int rc = sqlite3_step(select);
  if (rc == SQLITE_DONE) return MaybePayload();
  if (rc != SQLITE_ROW) return s.SqliteError();
  return MaybePayload(ColumnBytes(select, 0));
}

Status HashCache::StoreContent(const Sha256Digest& sha256, std::string_view kind,
                               std::string_view payload) {
  State& s = *state_;
  std::lock_guard<std::mutex> lock(s.mutex);
  s.CountPending(sizeof(Sha256Digest) + kind.size() + payload.size());
  s.pending_content.insert_or_assign(ContentKey(sha256, kind), std::string(payload));
  return s.FlushIfDueLocked();
}

Status HashCache::Flush() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->FlushLocked();
}

}  // namespace assay
