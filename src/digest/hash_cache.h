// The hash cache: remembers each file's SHA-256 by its stat identity, and the
// caller's per-file results by SHA-256, so re-attesting an unchanged model
// folder costs one stat per file instead of a read of every byte.
// docs/spec/hash-cache.md defines the keys, the racy-timestamp rule and when
// verification ignores the cache.
//
// The cache is an optimisation and never a reason to fail: every error this
// class reports (from Open, a lookup, a store or a flush) means "carry on
// without the cache". The intended use is
//
//   std::unique_ptr<HashCache> cache;  // null: hash every file
//   if (auto opened = HashCache::Open(path); opened.ok()) {
//     cache = std::move(*opened);
//   } else {
//     warn about opened.status() and go on with no cache
//   }
//
// and a lookup that fails counts as a miss.
//
// Thread safety: every method may be called from several threads at once (an
// internal mutex guards the SQLite handle). Several processes may share one
// cache file: it runs in WAL mode and waits up to kBusyTimeoutMs for a lock.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "clock.h"
#include "digest/sha256.h"
#include "file_system.h"
#include "status.h"

namespace assay {

// The racy-timestamp rule (docs/spec/hash-cache.md, "Racy timestamps"): a file
// whose mtime or ctime is not older than `stat_time_ns` minus RacyWindowNanos
// could be rewritten, after we read it, without its stamps changing, so its
// digest must not be remembered. `stat_time_ns` is the clock's time taken
// before the file was stat'ed and read.
bool IsRacy(const FileInfo& info, int64_t stat_time_ns);

// How close to the stat time a stamp may be before it is racy: one tick of the
// kernel's coarse clock (which stamps files), or 2 s when a stamp is a whole
// second (a file system that keeps whole seconds, FAT keeps even ones), plus a
// 10 ms safety margin.
int64_t RacyWindowNanos(const FileInfo& info);

// What a new cache file runs: the text of schema/hash-cache.sql, compiled in
// (exposed so that a test can hold the two together).
std::string_view HashCacheSchemaSql();

class HashCache {
 public:
  static constexpr int kSchemaVersion = 1;
  static constexpr int kBusyTimeoutMs = 5000;

  enum class StoreOutcome {
    kStored,       // remembered (visible to this object now, to others after a flush)
    kSkippedRacy,  // not remembered: the file is hashed again next time
  };

  // Opens the cache file at `path`, creating it and its folder if needed.
  // kIo, naming `path`, when the file cannot be opened, is not an SQLite
  // database, belongs to some other program, or was written by a newer schema
  // than kSchemaVersion (it is left untouched for that newer assay). An older
  // schema is dropped and rebuilt: it is only a cache. `clock` decides when
  // buffered stores are old enough to write; it must outlive the cache.
  static Result<std::unique_ptr<HashCache>> Open(const std::string& path, Clock& clock);

  // The cache's clock now: the time a caller takes before it stats the files
  // it will Store (the racy rule above).
  int64_t NowNanos() const;

  // Writes what is still buffered; a failure then is lost (call Flush to see it).
  ~HashCache();
  HashCache(const HashCache&) = delete;
  HashCache& operator=(const HashCache&) = delete;

  // The SHA-256 remembered for `file_path`, or nullopt unless device, inode,
  // size, mtime and ctime all equal `info`'s. `file_path` is only a key; pass
  // the canonical absolute path so every way of naming a file shares one entry.
  Result<std::optional<Sha256Digest>> Lookup(const std::string& file_path, const FileInfo& info);

  // Remembers `sha256` for the file that `info` describes, unless IsRacy(info,
  // stat_time_ns). Stores are buffered and written in one transaction by
  // Flush, which runs by itself when the buffer is large or a second old.
  Result<StoreOutcome> Store(const std::string& file_path, const FileInfo& info,
                             const Sha256Digest& sha256, int64_t stat_time_ns);

  // The caller's result for the file whose bytes hash to `sha256`, or nullopt
  // when none was stored under `kind`. `kind` names the payload's format and
  // version (e.g. "tensor-table/v1"): changing it orphans older payloads.
  Result<std::optional<std::string>> LookupContent(const Sha256Digest& sha256,
                                                   std::string_view kind);
  // Remembers `payload` (opaque to the cache) for `sha256` and `kind`.
  // Content keyed by digest never goes stale, so there is no racy rule here.
  Status StoreContent(const Sha256Digest& sha256, std::string_view kind, std::string_view payload);

  // Writes buffered stores in one transaction. On failure they are dropped
  // (those files are hashed again next time) and the error is returned.
  Status Flush();

  // The cache file's path, as given to Open.
  const std::string& path() const;

 private:
  struct State;  // the database and the buffered stores
  explicit HashCache(std::unique_ptr<State> state);

  std::unique_ptr<State> state_;
};

}  // namespace assay
