#include "sqlite/database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "raw_database.h"
#include "test_support.h"

namespace assay {
namespace {

using testing::RawDatabase;
using ::testing::HasSubstr;

constexpr int kBusyTimeoutMs = 1000;

const SqliteSchema& ItemsSchema() {
  static const SqliteSchema schema = [] {
    SqliteSchema s;
    s.application_id = 0x4954454d;  // "ITEM"
    s.version = 1;
    s.create_sql =
        "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
        "CREATE TABLE parts (item INTEGER NOT NULL REFERENCES items (id), part TEXT);";
    return s;
  }();
  return schema;
}

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  SqliteDatabase OpenOrDie(int busy_timeout_ms = kBusyTimeoutMs) {
    Result<SqliteDatabase> opened = SqliteDatabase::Open(path_, ItemsSchema(), busy_timeout_ms);
    if (!opened.ok()) {
      ADD_FAILURE() << opened.status().message();
      std::abort();
    }
    return std::move(*opened);
  }
  std::vector<std::string> Names(SqliteDatabase& database) {
    std::vector<std::string> names;
    Status read = database.ForEachRow("SELECT name FROM items ORDER BY id", [&](const SqliteStatement& row) {
      names.push_back(row.Bytes(0));
    });
    EXPECT_TRUE(read.ok()) << read.message();
    return names;
  }

  testing::ScratchDir dir_;
  std::string path_ = (dir_.path() / "items.sqlite").string();
};

TEST_F(SqliteDatabaseTest, OpensInWalModeWithForeignKeys) {
  SqliteDatabase database = OpenOrDie();
  EXPECT_EQ(database.path(), path_);
  EXPECT_EQ(*database.QueryInteger("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(*database.QueryInteger("PRAGMA synchronous"), 1);  // NORMAL
  EXPECT_EQ(RawDatabase(path_).Text("PRAGMA journal_mode"), "wal");
  Status orphan = database.Run("INSERT INTO parts (item, part) VALUES (?1, ?2)", 42, "wheel");
  EXPECT_EQ(orphan.kind(), ErrorKind::kIo);
  EXPECT_EQ(orphan.message(), path_ + ": FOREIGN KEY constraint failed");
}

TEST_F(SqliteDatabaseTest, TransactionCommits) {
  SqliteDatabase database = OpenOrDie();
  Status committed = database.Transaction([&] {
    ASSAY_RETURN_IF_ERROR(database.Run("INSERT INTO items (name) VALUES (?1)", "a"));
    return database.Run("INSERT INTO items (name) VALUES (?1)", "b");
  });
  ASSERT_TRUE(committed.ok()) << committed.message();
  EXPECT_EQ(RawDatabase(path_).Text("SELECT group_concat(name) FROM items"), "a,b");
}

TEST_F(SqliteDatabaseTest, TransactionRollsBackWhenTheBodyFails) {
  SqliteDatabase database = OpenOrDie();
  Status failed = database.Transaction([&] {
    ASSAY_RETURN_IF_ERROR(database.Run("INSERT INTO items (name) VALUES (?1)", "a"));
    return Status::InvalidInput("the body's own reason");
  });
  EXPECT_EQ(failed.kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(failed.message(), "the body's own reason");
  EXPECT_TRUE(Names(database).empty());

  // A failing statement mid-way undoes the ones before it.
  failed = database.Transaction([&] {
    ASSAY_RETURN_IF_ERROR(database.Run("INSERT INTO items (name) VALUES (?1)", "b"));
    return database.Run("INSERT INTO items (name) VALUES (?1)", "b");
  });
  EXPECT_EQ(failed.kind(), ErrorKind::kIo);
  EXPECT_EQ(failed.message(), path_ + ": UNIQUE constraint failed: items.name");
  EXPECT_TRUE(Names(database).empty());

  // And the database is usable afterwards: no transaction was left open.
  ASSERT_TRUE(database.Transaction([&] { return database.Run("INSERT INTO items (name) VALUES ('c')"); }).ok());
  EXPECT_EQ(Names(database), std::vector<std::string>{"c"});
}

TEST_F(SqliteDatabaseTest, TransactionsDoNotNest) {
  SqliteDatabase database = OpenOrDie();
  Status nested = database.Transaction([&] { return database.Transaction([] { return Status::Ok(); }); });
  EXPECT_EQ(nested.message(), path_ + ": cannot start a transaction within a transaction");
  EXPECT_TRUE(database.Transaction([] { return Status::Ok(); }).ok());
}

// A writer waits up to the busy timeout for another writer's lock, then fails.
TEST_F(SqliteDatabaseTest, WaitsForALockThenFailsNamingTheFile) {
  SqliteDatabase holder = OpenOrDie();
  SqliteDatabase waiter = OpenOrDie(/*busy_timeout_ms=*/50);
  Status waited = holder.Transaction([&] {
    ASSAY_RETURN_IF_ERROR(holder.Run("INSERT INTO items (name) VALUES ('held')"));
    Status second = waiter.Transaction([&] { return waiter.Run("INSERT INTO items (name) VALUES ('w')"); });
    EXPECT_EQ(second.kind(), ErrorKind::kIo);
    EXPECT_EQ(second.message(), path_ + ": database is locked");
    // WAL: a reader sees the last commit while the writer works.
    EXPECT_TRUE(Names(waiter).empty());
    return Status::Ok();
  });
  ASSERT_TRUE(waited.ok()) << waited.message();
  EXPECT_EQ(Names(waiter), std::vector<std::string>{"held"});
}

TEST_F(SqliteDatabaseTest, PreparedStatementsAreKeptAndMayNest) {
  SqliteDatabase database = OpenOrDie();
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(database.Run("INSERT INTO items (name) VALUES (?1)", name).ok());
  }
  // The same text, used inside its own use: each use steps on its own.
  constexpr std::string_view kAll = "SELECT name FROM items ORDER BY id";
  std::vector<std::string> pairs;
  Status read = database.ForEachRow(kAll, [&](const SqliteStatement& outer) {
    Status inner = database.ForEachRow(kAll, [&](const SqliteStatement& row) {
      pairs.push_back(outer.Bytes(0) + row.Bytes(0));
    });
    EXPECT_TRUE(inner.ok()) << inner.message();
  });
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(pairs, (std::vector<std::string>{"aa", "ab", "ac", "ba", "bb", "bc", "ca", "cb", "cc"}));

  // A use that stops early leaves the kept statement reset, with no bindings.
  {
    Result<SqliteStatement> first = database.Prepare("SELECT name FROM items WHERE id >= ?1 ORDER BY id");
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(first->Bind(2).ok());
    ASSERT_TRUE(*first->Step());
    EXPECT_EQ(first->Bytes(0), "b");
  }
  Result<SqliteStatement> again = database.Prepare("SELECT name FROM items WHERE id >= ?1 ORDER BY id");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again->Step());  // ?1 is NULL now: no row
}

TEST_F(SqliteDatabaseTest, ForFirstRowReadsOneRowAtMost) {
  SqliteDatabase database = OpenOrDie();
  ASSERT_TRUE(database.Exec("INSERT INTO items (name) VALUES ('a'), ('b')").ok());
  std::vector<std::string> seen;
  auto collect = [&](const SqliteStatement& row) { seen.push_back(row.Bytes(0)); };
  ASSERT_TRUE(database.ForFirstRow("SELECT name FROM items ORDER BY id", collect).ok());
  EXPECT_EQ(seen, std::vector<std::string>{"a"});
  ASSERT_TRUE(database.ForFirstRow("SELECT name FROM items WHERE name = ?1", collect, "none").ok());
  EXPECT_EQ(seen, std::vector<std::string>{"a"});
  EXPECT_EQ(database.ForFirstRow("SELECT missing FROM items", collect).message(),
            path_ + ": no such column: missing");
}

TEST_F(SqliteDatabaseTest, MovingTheDatabaseKeepsAStatementInUse) {
  SqliteDatabase database = OpenOrDie();
  ASSERT_TRUE(database.Run("INSERT INTO items (name) VALUES ('a')").ok());
  std::optional<SqliteDatabase> moved;
  {
    Result<SqliteStatement> statement = database.Prepare("SELECT name FROM items");
    ASSERT_TRUE(statement.ok());
    moved.emplace(std::move(database));
    ASSERT_TRUE(*statement->Step());
    EXPECT_EQ(statement->Bytes(0), "a");
  }  // the statement ends before the database it came from
  EXPECT_EQ(moved->path(), path_);
  EXPECT_EQ(*moved->QueryInteger("SELECT count(*) FROM items"), 1);
}

TEST_F(SqliteDatabaseTest, ErrorsNameTheFile) {
  SqliteDatabase database = OpenOrDie();
  EXPECT_EQ(database.Exec("SELEC 1").message(), path_ + ": near \"SELEC\": syntax error");
  EXPECT_EQ(database.Prepare("SELECT * FROM nowhere").status().message(), path_ + ": no such table: nowhere");
  EXPECT_EQ(database.QueryInteger("SELECT id FROM items").status().message(),
            path_ + ": no answer to SELECT id FROM items");
  EXPECT_EQ(database.Run("INSERT INTO items (name) VALUES (?1)", std::optional<std::string>()).message(),
            path_ + ": NOT NULL constraint failed: items.name");
}

// Prepare takes exactly one statement: the rest of a longer text would be
// ignored without a word.
TEST_F(SqliteDatabaseTest, PrepareTakesOneStatement) {
  SqliteDatabase database = OpenOrDie();
  EXPECT_THAT(database.Prepare("SELECT 1; SELECT 2").status().message(),
              HasSubstr(path_ + ": not one SQL statement"));
  EXPECT_THAT(database.Prepare("  ").status().message(), HasSubstr(path_ + ": not one SQL statement"));
  EXPECT_TRUE(database.Prepare("SELECT 1;").ok());
  EXPECT_TRUE(database.Exec("INSERT INTO items (name) VALUES ('a'); INSERT INTO items (name) VALUES ('b')").ok());
  EXPECT_EQ(Names(database), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace assay
