#include "digest/hash_cache.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "sqlite/raw_database.h"
#include "test_support.h"

namespace assay {
namespace {

using ::assay::testing::ScratchDir;

constexpr int64_t kSecond = 1000000000;

FileInfo StatOrDie(const std::string& path) {
  Result<FileInfo> info = LocalFileSystem().FollowStatus(path);
  if (!info.ok()) std::abort();
  return *info;
}

void SetMtimeOrDie(const std::string& path, int64_t mtime_ns) {
  struct timespec times[2];
  times[0].tv_sec = 0;
  times[0].tv_nsec = UTIME_OMIT;
  times[1].tv_sec = mtime_ns / kSecond;
  times[1].tv_nsec = mtime_ns % kSecond;
  if (::utimensat(AT_FDCWD, path.c_str(), times, 0) != 0) std::abort();
}

// A stat time long after the file's last change: as if the file were stat'ed
// by a later run, so the racy rule lets it be stored.
int64_t SettledStatTime(const FileInfo& info) {
  return std::max(info.mtime_ns, info.ctime_ns) + 10 * kSecond;
}

// Sleeps past the racy window, so the next change gets a new stamp.
void WaitOneStampTick(const FileInfo& info) {
  std::this_thread::sleep_for(std::chrono::nanoseconds(RacyWindowNanos(info)));
}

// Runs one statement on the cache file through a second, raw connection.
void RawSqlOrDie(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) std::abort();
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  if (rc != SQLITE_OK) std::abort();
}

class HashCacheTest : public ::testing::Test {
 protected:
  std::unique_ptr<HashCache> OpenOrDie() {
    Result<std::unique_ptr<HashCache>> cache = HashCache::Open(cache_path_, clock_);
    EXPECT_TRUE(cache.ok()) << cache.status().message();
    if (!cache.ok()) std::abort();
    return std::move(*cache);
  }

  // Writes `bytes` to model_path_, stores their digest as a settled file's
  // and returns its stat.
  FileInfo WriteAndStore(HashCache& cache, const std::string& bytes) {
    scratch_.Write("model.safetensors", bytes);
    FileInfo info = StatOrDie(model_path_);
    Result<HashCache::StoreOutcome> stored =
        cache.Store(model_path_, info, Sha256::Of(bytes), SettledStatTime(info));
    EXPECT_TRUE(stored.ok()) << stored.status().message();
    EXPECT_EQ(*stored, HashCache::StoreOutcome::kStored);
    return info;
  }

  std::optional<Sha256Digest> LookupOrDie(HashCache& cache, const std::string& path) {
    Result<std::optional<Sha256Digest>> found = cache.Lookup(path, StatOrDie(path));
    EXPECT_TRUE(found.ok()) << found.status().message();
    return found.ok() ? *found : std::nullopt;
  }

  ScratchDir scratch_;
  FixedClock clock_{1700000000 * kSecond};
  std::string cache_path_ = (scratch_.path() / "cache" / "hash-cache.sqlite3").string();
  std::string model_path_ = (scratch_.path() / "model.safetensors").string();
};

TEST_F(HashCacheTest, HitOnUnchangedFile) {
  auto cache = OpenOrDie();
  WriteAndStore(*cache, "weights v1");
  EXPECT_EQ(LookupOrDie(*cache, model_path_), Sha256::Of(std::string_view("weights v1")));
  // Once written to the file, too.
  ASSERT_TRUE(cache->Flush().ok());
  EXPECT_EQ(LookupOrDie(*cache, model_path_), Sha256::Of(std::string_view("weights v1")));
}

TEST_F(HashCacheTest, MissAfterSameSizeRewrite) {
  auto cache = OpenOrDie();
  FileInfo before = WriteAndStore(*cache, "weights v1");
  ASSERT_TRUE(cache->Flush().ok());
  scratch_.Write("model.safetensors", "weights v2");
  // A later write gets a later stamp; pin it so the test does not depend on
  // the coarse clock having ticked.
  SetMtimeOrDie(model_path_, before.mtime_ns + kSecond);
  FileInfo after = StatOrDie(model_path_);
  ASSERT_EQ(after.size, before.size);
  EXPECT_EQ(LookupOrDie(*cache, model_path_), std::nullopt);
}

TEST_F(HashCacheTest, MissAfterTouch) {
  auto cache = OpenOrDie();
  FileInfo before = WriteAndStore(*cache, "weights");
  SetMtimeOrDie(model_path_, before.mtime_ns - kSecond);
  EXPECT_EQ(LookupOrDie(*cache, model_path_), std::nullopt);
}

TEST_F(HashCacheTest, MissAfterChmodChangesCtime) {
  auto cache = OpenOrDie();
  FileInfo before = WriteAndStore(*cache, "weights");
  WaitOneStampTick(before);
  ASSERT_EQ(::chmod(model_path_.c_str(), 0600), 0);
  FileInfo after = StatOrDie(model_path_);
  ASSERT_EQ(after.mtime_ns, before.mtime_ns);
  ASSERT_NE(after.ctime_ns, before.ctime_ns);
  EXPECT_EQ(LookupOrDie(*cache, model_path_), std::nullopt);
}

TEST_F(HashCacheTest, MissOnReplacedFile) {
  auto cache = OpenOrDie();
  FileInfo before = WriteAndStore(*cache, "weights");
  // Same bytes and mtime, written elsewhere and renamed over: a new inode.
  std::string replacement = scratch_.Write("replacement", "weights");
  SetMtimeOrDie(replacement, before.mtime_ns);
  std::filesystem::rename(replacement, model_path_);
  ASSERT_NE(StatOrDie(model_path_).inode, before.inode);
  EXPECT_EQ(LookupOrDie(*cache, model_path_), std::nullopt);
}

TEST_F(HashCacheTest, EveryStatFieldIsChecked) {
  auto cache = OpenOrDie();
  FileInfo info{FileInfo::Type::kRegular, 10, 1, 2, 5 * kSecond + 1, 5 * kSecond + 2, 0644};
  Sha256Digest digest = Sha256::Of(std::string_view("x"));
  ASSERT_TRUE(cache->Store("/m/a", info, digest, 60 * kSecond).ok());
  ASSERT_TRUE(cache->Flush().ok());
  EXPECT_EQ(*cache->Lookup("/m/a", info), digest);
  EXPECT_EQ(*cache->Lookup("/m/b", info), std::nullopt);  // the path is the key
  std::vector<FileInfo> changed(5, info);
  changed[0].device += 1;
  changed[1].inode += 1;
  changed[2].size += 1;
  changed[3].mtime_ns += 1;
  changed[4].ctime_ns += 1;
  for (const FileInfo& other : changed) EXPECT_EQ(*cache->Lookup("/m/a", other), std::nullopt);
  FileInfo permissions_only = info;
  permissions_only.mode = 0600;  // not part of the identity (ctime covers chmod)
  EXPECT_EQ(*cache->Lookup("/m/a", permissions_only), digest);
}

TEST_F(HashCacheTest, RacyEntryIsNotStored) {
  auto cache = OpenOrDie();
  scratch_.Write("model.safetensors", "weights");
  FileInfo info = StatOrDie(model_path_);
  Sha256Digest digest = Sha256::Of(std::string_view("weights"));
  // Stat'ed in the very tick it was written: a same-tick rewrite could keep the stamps.
  Result<HashCache::StoreOutcome> racy = cache->Store(model_path_, info, digest, info.mtime_ns);
  ASSERT_TRUE(racy.ok());
  EXPECT_EQ(*racy, HashCache::StoreOutcome::kSkippedRacy);
  ASSERT_TRUE(cache->Flush().ok());
  EXPECT_EQ(LookupOrDie(*cache, model_path_), std::nullopt);
  // Hashed again by a later run, it is old enough to keep.
  Result<HashCache::StoreOutcome> later =
      cache->Store(model_path_, info, digest, SettledStatTime(info));
  EXPECT_EQ(*later, HashCache::StoreOutcome::kStored);
  EXPECT_EQ(LookupOrDie(*cache, model_path_), digest);
}

TEST(RacyRule, WindowBoundaries) {
  FileInfo info;
  info.mtime_ns = 100 * kSecond + 123;
  info.ctime_ns = 100 * kSecond + 456;
  int64_t window = RacyWindowNanos(info);
  EXPECT_GE(window, 10000000);  // the safety margin alone is 10 ms
  EXPECT_LT(window, kSecond);
  // Racy unless both stamps are strictly older than stat time minus the window.
  EXPECT_TRUE(IsRacy(info, info.ctime_ns + window));
  EXPECT_FALSE(IsRacy(info, info.ctime_ns + window + 1));
  FileInfo future_mtime = info;
  future_mtime.mtime_ns = 200 * kSecond + 1;
  EXPECT_TRUE(IsRacy(future_mtime, 150 * kSecond));
}

TEST(RacyRule, WholeSecondStampsGetAWiderWindow) {
  FileInfo coarse;  // a file system that keeps whole seconds (FAT: even ones)
  coarse.mtime_ns = 100 * kSecond;
  coarse.ctime_ns = 100 * kSecond;
  EXPECT_GT(RacyWindowNanos(coarse), 2 * kSecond);
  EXPECT_TRUE(IsRacy(coarse, 101 * kSecond + 500000000));
  EXPECT_FALSE(IsRacy(coarse, 103 * kSecond));
}

TEST_F(HashCacheTest, ContentPayloadRoundTripAndKind) {
  auto cache = OpenOrDie();
  Sha256Digest digest = Sha256::Of(std::string_view("weights"));
  std::string payload = std::string("{\"tensors\":[]}") + '\0' + "\xff binary tail";
  ASSERT_TRUE(cache->StoreContent(digest, "tensor-table/v1", payload).ok());
  ASSERT_TRUE(cache->StoreContent(digest, "empty/v1", "").ok());
  for (int flushed = 0; flushed < 2; ++flushed) {
    EXPECT_EQ(*cache->LookupContent(digest, "tensor-table/v1"), payload);
    EXPECT_EQ(*cache->LookupContent(digest, "empty/v1"), std::string());
    EXPECT_EQ(*cache->LookupContent(digest, "tensor-table/v2"), std::nullopt);
    EXPECT_EQ(*cache->LookupContent(Sha256::Of(std::string_view("other")), "tensor-table/v1"),
              std::nullopt);
    ASSERT_TRUE(cache->Flush().ok());
  }
  ASSERT_TRUE(cache->StoreContent(digest, "tensor-table/v1", "replaced").ok());
  EXPECT_EQ(*cache->LookupContent(digest, "tensor-table/v1"), "replaced");
}

TEST_F(HashCacheTest, PersistsAcrossReopen) {
  Sha256Digest digest = Sha256::Of(std::string_view("weights"));
  {
    auto cache = OpenOrDie();
    WriteAndStore(*cache, "weights");
    ASSERT_TRUE(cache->StoreContent(digest, "tensor-table/v1", "[1,2]").ok());
  }  // the destructor flushes
  auto reopened = OpenOrDie();
  EXPECT_EQ(LookupOrDie(*reopened, model_path_), digest);
  EXPECT_EQ(*reopened->LookupContent(digest, "tensor-table/v1"), "[1,2]");
}

TEST_F(HashCacheTest, StoresAreBufferedUntilFlushOrAge) {
  auto writer = OpenOrDie();
  auto reader = OpenOrDie();  // another connection, as another process would have
  FileInfo info{FileInfo::Type::kRegular, 10, 1, 2, 5 * kSecond + 1, 5 * kSecond + 2, 0644};
  Sha256Digest digest = Sha256::Of(std::string_view("x"));
  ASSERT_TRUE(writer->Store("/m/a", info, digest, 60 * kSecond).ok());
  EXPECT_EQ(*writer->Lookup("/m/a", info), digest);  // visible at once to its writer
  EXPECT_EQ(*reader->Lookup("/m/a", info), std::nullopt);
  clock_.Advance(2 * kSecond);  // the buffer is now over a second old
  ASSERT_TRUE(writer->Store("/m/b", info, digest, 60 * kSecond).ok());
  EXPECT_EQ(*reader->Lookup("/m/a", info), digest);
  EXPECT_EQ(*reader->Lookup("/m/b", info), digest);
}

// schema/hash-cache.sql is what a new cache runs: the text, and the tables
// a new cache file ends up with.
TEST_F(HashCacheTest, SchemaFileIsTheSchemaTheCodeRuns) {
  const std::string file = testing::ReadFileOrDie(ASSAY_SOURCE_DIR "/schema/hash-cache.sql");
  EXPECT_EQ(HashCacheSchemaSql(), file);
  OpenOrDie();
  const std::string by_hand = (scratch_.path() / "by-hand.sqlite3").string();
  RawSqlOrDie(by_hand, file + "PRAGMA user_version = " + std::to_string(HashCache::kSchemaVersion));
  const std::string tables_and_version =
      "SELECT group_concat(sql, ';') || ' @' || (SELECT user_version FROM pragma_user_version) "
      "FROM (SELECT sql FROM sqlite_master ORDER BY name)";
  EXPECT_EQ(testing::RawDatabase(cache_path_).Text(tables_and_version),
            testing::RawDatabase(by_hand).Text(tables_and_version));
}

TEST_F(HashCacheTest, CreatesParentFolder) {
  cache_path_ = (scratch_.path() / "a" / "b" / "c.sqlite3").string();
  OpenOrDie();
  EXPECT_TRUE(std::filesystem::is_regular_file(cache_path_));
}

TEST_F(HashCacheTest, GarbageFileIsAnErrorNotACrash) {
  std::string garbage(4096, '\x5a');
  cache_path_ = scratch_.Write("garbage.sqlite3", garbage);
  Result<std::unique_ptr<HashCache>> cache = HashCache::Open(cache_path_, clock_);
  ASSERT_FALSE(cache.ok());
  EXPECT_EQ(cache.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(cache.status().message(), cache_path_ + ": file is not a database");
  EXPECT_EQ(testing::ReadFileOrDie(cache_path_), garbage);  // left as it was
}

TEST_F(HashCacheTest, ForeignDatabaseIsRefusedAndLeftAlone) {
  cache_path_ = (scratch_.path() / "index.sqlite3").string();
  RawSqlOrDie(cache_path_, "CREATE TABLE records (id TEXT)");
  Result<std::unique_ptr<HashCache>> cache = HashCache::Open(cache_path_, clock_);
  ASSERT_FALSE(cache.ok());
  EXPECT_EQ(cache.status().message(),
            cache_path_ + ": not an assay hash cache (another program's database); not using it");
  RawSqlOrDie(cache_path_, "SELECT id FROM records");  // still there
}

TEST_F(HashCacheTest, NewerSchemaIsNotUsedAndLeftAlone) {
  OpenOrDie();
  RawSqlOrDie(cache_path_, "PRAGMA user_version = 99");
  Result<std::unique_ptr<HashCache>> cache = HashCache::Open(cache_path_, clock_);
  ASSERT_FALSE(cache.ok());
  EXPECT_EQ(cache.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(cache.status().message(),
            cache_path_ + ": written by a newer assay (cache schema 99, this one reads 1); "
                          "not using it");
  RawSqlOrDie(cache_path_, "PRAGMA user_version = 1");  // what a matching assay would find
  OpenOrDie();
}

TEST_F(HashCacheTest, OlderSchemaIsRebuilt) {
  {
    auto cache = OpenOrDie();
    WriteAndStore(*cache, "weights");
  }
  RawSqlOrDie(cache_path_, "PRAGMA user_version = 0");
  auto rebuilt = OpenOrDie();
  EXPECT_EQ(LookupOrDie(*rebuilt, model_path_), std::nullopt);
  WriteAndStore(*rebuilt, "weights");
  EXPECT_EQ(LookupOrDie(*rebuilt, model_path_), Sha256::Of(std::string_view("weights")));
}

TEST_F(HashCacheTest, ConcurrentLookupAndStore) {
  auto cache = OpenOrDie();
  constexpr int kThreads = 4;
  constexpr int kFilesPerThread = 300;  // crosses the row limit that forces a flush
  auto info_for = [](int thread, int file) {
    return FileInfo{FileInfo::Type::kRegular, static_cast<uint64_t>(file), 7,
                    static_cast<uint64_t>(thread), kSecond + 1, kSecond + 2, 0644};
  };
  auto path_for = [](int thread, int file) {
    return "/m/" + std::to_string(thread) + "/" + std::to_string(file);
  };
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int f = 0; f < kFilesPerThread; ++f) {
        Sha256Digest digest = Sha256::Of(path_for(t, f));
        if (!cache->Store(path_for(t, f), info_for(t, f), digest, 60 * kSecond).ok()) ++failures[t];
        if (!cache->StoreContent(digest, "k", path_for(t, f)).ok()) ++failures[t];
        Result<std::optional<Sha256Digest>> found = cache->Lookup(path_for(t, f), info_for(t, f));
        if (!found.ok() || *found != digest) ++failures[t];
        if (f > 0 && !cache->Lookup(path_for(t, f - 1), info_for(t, f - 1)).ok()) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, std::vector<int>(kThreads, 0));
  ASSERT_TRUE(cache->Flush().ok());
  auto reopened = OpenOrDie();
  for (int t = 0; t < kThreads; ++t) {
    for (int f = 0; f < kFilesPerThread; ++f) {
      Sha256Digest digest = Sha256::Of(path_for(t, f));
      ASSERT_EQ(*reopened->Lookup(path_for(t, f), info_for(t, f)), digest);
      ASSERT_EQ(*reopened->LookupContent(digest, "k"), path_for(t, f));
    }
  }
}

}  // namespace
}  // namespace assay
