#include "digest/hash_cache.h"
#include "digest/hash_cache_schema.h"

#include <time.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "sqlite/database.h"

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

// schema/hash-cache.sql, and how files of other versions are met. Every row
// can be computed again, so an older file is rebuilt, never migrated.
const SqliteSchema& CacheSchema() {
  static const SqliteSchema schema = [] {
    SqliteSchema s;
    s.application_id = kApplicationId;
    s.version = HashCache::kSchemaVersion;
    s.create_sql = kHashCacheSchemaSql;
    s.older = SqliteSchema::Older::kRebuild;
    s.not_ours = "not an assay hash cache (another program's database); not using it";
    s.newer = [](int64_t found, int64_t reads) {
      return "written by a newer assay (cache schema " + std::to_string(found) +
             ", this one reads " + std::to_string(reads) + "); not using it";
    };
    return s;
  }();
  return schema;
}

constexpr std::string_view kSelectFile =
    "SELECT device, inode, size, mtime_ns, ctime_ns, sha256 FROM file_stats WHERE path = ?1";
constexpr std::string_view kUpsertFile =
    "INSERT OR REPLACE INTO file_stats (path, device, inode, size, mtime_ns, ctime_ns, sha256) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kSelectContent =
    "SELECT payload FROM content WHERE sha256 = ?1 AND kind = ?2";
constexpr std::string_view kUpsertContent =
    "INSERT OR REPLACE INTO content (sha256, kind, payload) VALUES (?1, ?2, ?3)";

SqliteBlob AsBlob(const Sha256Digest& digest) { return SqliteBlob(std::span<const uint8_t>(digest)); }

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
  State(SqliteDatabase cache_database, Clock& cache_clock)
      : clock(cache_clock), database(std::move(cache_database)) {}

  // Call before buffering a store of about `bytes`.
  void CountPending(size_t bytes) {
    if (pending_files.empty() && pending_content.empty()) oldest_pending_ns = clock.NowNanos();
    pending_bytes += bytes;
  }
  Status WritePendingLocked();
  Status FlushLocked();
  Status FlushIfDueLocked();

  Clock& clock;
  std::mutex mutex;  // guards everything below
  SqliteDatabase database;
  std::unordered_map<std::string, FileEntry> pending_files;
  std::map<ContentKey, std::string> pending_content;
  size_t pending_bytes = 0;
  int64_t oldest_pending_ns = 0;
};

Status HashCache::State::WritePendingLocked() {
  for (const auto& [file_path, entry] : pending_files) {
    const FileInfo& info = entry.info;
    ASSAY_RETURN_IF_ERROR(database.Run(kUpsertFile, file_path, info.device, info.inode, info.size,
                                       info.mtime_ns, info.ctime_ns, AsBlob(entry.sha256)));
  }
  for (const auto& [key, payload] : pending_content) {
    ASSAY_RETURN_IF_ERROR(
        database.Run(kUpsertContent, AsBlob(key.first), key.second, SqliteBlob(payload)));
  }
  return Status::Ok();
}

Status HashCache::State::FlushLocked() {
  if (pending_files.empty() && pending_content.empty()) return Status::Ok();
  Status status = database.Transaction([&] { return WritePendingLocked(); });
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

std::string_view HashCacheSchemaSql() { return kHashCacheSchemaSql; }

HashCache::HashCache(std::unique_ptr<State> state) : state_(std::move(state)) {}

HashCache::~HashCache() {
  std::lock_guard<std::mutex> lock(state_->mutex);
  (void)state_->FlushLocked();
}

const std::string& HashCache::path() const { return state_->database.path(); }

int64_t HashCache::NowNanos() const { return state_->clock.NowNanos(); }

Result<std::unique_ptr<HashCache>> HashCache::Open(const std::string& path, Clock& clock) {
  ASSAY_ASSIGN_OR_RETURN(SqliteDatabase database,
                         SqliteDatabase::Open(path, CacheSchema(), kBusyTimeoutMs));
  return std::unique_ptr<HashCache>(
      new HashCache(std::make_unique<State>(std::move(database), clock)));
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

  MaybeDigest found;
  ASSAY_RETURN_IF_ERROR(s.database.ForFirstRow(
      kSelectFile,
      [&](const SqliteStatement& row) {
        FileInfo stored;
        stored.device = row.Unsigned(0);
        stored.inode = row.Unsigned(1);
        stored.size = row.Unsigned(2);
        stored.mtime_ns = row.Integer(3);
        stored.ctime_ns = row.Integer(4);
        std::string digest = row.Bytes(5);
        // The schema's CHECK keeps digests at 32 bytes; a hand-edited row is a miss.
        if (SameStatIdentity(stored, info) && digest.size() == Sha256Digest().size()) {
          found.emplace();
          std::copy(digest.begin(), digest.end(), found->begin());
        }
      },
      file_path));
  return found;
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

  MaybePayload payload;
  ASSAY_RETURN_IF_ERROR(s.database.ForFirstRow(
      kSelectContent, [&](const SqliteStatement& row) { payload = row.Bytes(0); }, AsBlob(sha256),
      kind));
  return payload;
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
