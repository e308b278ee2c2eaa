#include "sqlite/schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "raw_database.h"
#include "sqlite/database.h"
#include "test_support.h"

namespace assay {
namespace {

using testing::RawDatabase;
using ::testing::HasSubstr;

constexpr int64_t kTestApplicationId = 0x54455354;  // "TEST"
constexpr int kSchemaBusyTimeoutMs = 1000;

// Version 1 of a made-up schema, and the steps that take it to 2 and 3.
constexpr std::string_view kCreateVersion1 = "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);";
constexpr std::string_view kUpgrades[] = {
    "ALTER TABLE notes ADD COLUMN author TEXT;",                                // 1 -> 2
    "CREATE TABLE tags (note INTEGER REFERENCES notes (id), tag TEXT NOT NULL);",  // 2 -> 3
};
constexpr std::string_view kCreateVersion3 =
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT, author TEXT);"
    "CREATE TABLE tags (note INTEGER REFERENCES notes (id), tag TEXT NOT NULL);";

std::string NewerWording(int64_t found, int64_t reads) {
  return "notes schema " + std::to_string(found) + " is newer than " + std::to_string(reads);
}

SqliteSchema NotesSchema(int64_t version) {
  SqliteSchema schema;
  schema.application_id = kTestApplicationId;
  schema.version = version;
  schema.create_sql = version == 1 ? kCreateVersion1 : kCreateVersion3;
  schema.upgrades = std::span<const std::string_view>(kUpgrades, static_cast<size_t>(version - 1));
  schema.not_ours = "not a notes file";
  schema.newer = &NewerWording;
  return schema;
}

class SqliteSchemaTest : public ::testing::Test {
 protected:
  std::string PathOf(const std::string& name) const { return (dir_.path() / name).string(); }

  Result<SqliteDatabase> Open(const std::string& path, const SqliteSchema& schema) {
    return SqliteDatabase::Open(path, schema, kSchemaBusyTimeoutMs);
  }
  void OpenOrFail(const std::string& path, const SqliteSchema& schema) {
    Result<SqliteDatabase> opened = Open(path, schema);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
  }

  testing::ScratchDir dir_;
};

TEST_F(SqliteSchemaTest, CreatesAMissingFileWithItsFolder) {
  const std::string path = PathOf("a/b/notes.sqlite");
  OpenOrFail(path, NotesSchema(3));
  RawDatabase raw(path);
  EXPECT_EQ(raw.Text("PRAGMA application_id"), std::to_string(kTestApplicationId));
  EXPECT_EQ(raw.Text("PRAGMA user_version"), "3");
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.Text("SELECT count(*) FROM sqlite_master WHERE name IN ('notes', 'tags')"), "2");
}

// An empty file, and an SQLite file with a header but no tables: both version 0.
TEST_F(SqliteSchemaTest, CreatesVersionZeroFiles) {
  const std::string empty = dir_.Write("empty.sqlite", "");
  const std::string headed = PathOf("headed.sqlite");
  RawDatabase(headed).Exec("VACUUM");
  for (const std::string& path : {empty, headed}) {
    OpenOrFail(path, NotesSchema(1));
    EXPECT_EQ(RawDatabase(path).Text("PRAGMA user_version"), "1") << path;
  }
}

TEST_F(SqliteSchemaTest, UpgradesEachOlderVersionStepByStepKeepingRows) {
  const std::string from1 = PathOf("from1.sqlite");
  const std::string from2 = PathOf("from2.sqlite");
  OpenOrFail(from1, NotesSchema(1));
  OpenOrFail(from2, NotesSchema(1));
  RawDatabase(from1).Exec("INSERT INTO notes (text) VALUES ('kept')");
  OpenOrFail(from2, NotesSchema(2));
  RawDatabase(from2).Exec("INSERT INTO notes (text, author) VALUES ('kept', 'ann')");
  for (const std::string& path : {from1, from2}) {
    OpenOrFail(path, NotesSchema(3));
    RawDatabase raw(path);
    EXPECT_EQ(raw.Text("PRAGMA user_version"), "3") << path;
    EXPECT_EQ(raw.Text("SELECT text FROM notes"), "kept") << path;
    EXPECT_EQ(raw.Text("SELECT count(*) FROM tags"), "0") << path;
  }
  EXPECT_EQ(RawDatabase(from2).Text("SELECT author FROM notes"), "ann");
}

TEST_F(SqliteSchemaTest, ReopeningACurrentFileKeepsItsRows) {
  const std::string path = PathOf("notes.sqlite");
  OpenOrFail(path, NotesSchema(3));
  RawDatabase(path).Exec("INSERT INTO notes (text) VALUES ('x')");
  OpenOrFail(path, NotesSchema(3));
  RawDatabase raw(path);
  EXPECT_EQ(raw.Text("SELECT text FROM notes"), "x");
  EXPECT_EQ(raw.Text("PRAGMA user_version"), "3");
}

// An upgrade runs in one transaction: when its second step fails, its first
// is undone too, and the file keeps its version.
TEST_F(SqliteSchemaTest, AFailedUpgradeChangesNothing) {
  const std::string path = PathOf("notes.sqlite");
  OpenOrFail(path, NotesSchema(1));
  const std::string_view broken[] = {kUpgrades[0], "CREATE TABLE notes (id INTEGER);"};
  SqliteSchema schema = NotesSchema(3);
  schema.upgrades = broken;
  Result<SqliteDatabase> opened = Open(path, schema);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(opened.status().message(), path + ": table notes already exists");
  RawDatabase raw(path);
  EXPECT_EQ(raw.Text("PRAGMA user_version"), "1");
  EXPECT_EQ(raw.Text("SELECT count(*) FROM pragma_table_info('notes') WHERE name = 'author'"), "0");
}

TEST_F(SqliteSchemaTest, AMissingUpgradeStepIsAnError) {
  const std::string path = PathOf("notes.sqlite");
  OpenOrFail(path, NotesSchema(1));
  SqliteSchema schema = NotesSchema(3);
  schema.upgrades = schema.upgrades.first(1);
  Result<SqliteDatabase> opened = Open(path, schema);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().message(), path + ": no upgrade from schema 2");
  EXPECT_EQ(RawDatabase(path).Text("PRAGMA user_version"), "1");
}

TEST_F(SqliteSchemaTest, RefusesAnotherProgramsDatabaseUntouched) {
  const std::string path = PathOf("other.sqlite");
  RawDatabase(path).Exec("CREATE TABLE accounts (name TEXT); INSERT INTO accounts VALUES ('a')");
  for (SqliteSchema::Older older : {SqliteSchema::Older::kUpgrade, SqliteSchema::Older::kRebuild}) {
    SqliteSchema schema = NotesSchema(3);
    schema.older = older;
    Result<SqliteDatabase> opened = Open(path, schema);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().kind(), ErrorKind::kIo);
    EXPECT_EQ(opened.status().message(), path + ": not a notes file");
  }
  // Another application id, even on a file without tables, is another program's.
  const std::string stamped = PathOf("stamped.sqlite");
  RawDatabase(stamped).Exec("PRAGMA application_id = 7");
  EXPECT_EQ(Open(stamped, NotesSchema(3)).status().message(), stamped + ": not a notes file");

  RawDatabase raw(path);
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "delete");
  EXPECT_EQ(raw.Text("PRAGMA application_id"), "0");
  EXPECT_EQ(raw.Text("SELECT name FROM accounts"), "a");
  EXPECT_EQ(raw.Text("SELECT count(*) FROM sqlite_master"), "1");
}

// Our application id at version 0 is not a file we wrote (the two are stamped
// together): refused when upgrading, rebuilt when the schema is a cache's.
TEST_F(SqliteSchemaTest, OurIdAtVersionZero) {
  const std::string path = PathOf("notes.sqlite");
  OpenOrFail(path, NotesSchema(3));
  RawDatabase(path).Exec("INSERT INTO notes (text) VALUES ('x'); PRAGMA user_version = 0");
  EXPECT_EQ(Open(path, NotesSchema(3)).status().message(), path + ": not a notes file");
  SqliteSchema cache = NotesSchema(3);
  cache.older = SqliteSchema::Older::kRebuild;
  OpenOrFail(path, cache);
  EXPECT_EQ(RawDatabase(path).Text("SELECT count(*) FROM notes"), "0");
}

TEST_F(SqliteSchemaTest, RefusesANewerSchemaUntouched) {
  const std::string path = PathOf("notes.sqlite");
  OpenOrFail(path, NotesSchema(3));
  RawDatabase(path).Exec("INSERT INTO notes (text) VALUES ('x'); PRAGMA journal_mode = DELETE");
  for (SqliteSchema::Older older : {SqliteSchema::Older::kUpgrade, SqliteSchema::Older::kRebuild}) {
    SqliteSchema schema = NotesSchema(2);
    schema.older = older;
    Result<SqliteDatabase> opened = Open(path, schema);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().kind(), ErrorKind::kIo);
    EXPECT_EQ(opened.status().message(), path + ": notes schema 3 is newer than 2");
  }
  RawDatabase raw(path);
  EXPECT_EQ(raw.Text("PRAGMA user_version"), "3");
  EXPECT_EQ(raw.Text("PRAGMA journal_mode"), "delete");
  EXPECT_EQ(raw.Text("SELECT text FROM notes"), "x");
}

TEST_F(SqliteSchemaTest, DefaultWordingOfRefusals) {
  SqliteSchema schema = NotesSchema(1);
  schema.not_ours = {};
  schema.newer = nullptr;
  const std::string other = PathOf("other.sqlite");
  RawDatabase(other).Exec("CREATE TABLE accounts (name TEXT)");
  EXPECT_EQ(Open(other, schema).status().message(),
            other + ": not an assay database (another program's)");
  const std::string newer = PathOf("newer.sqlite");
  OpenOrFail(newer, NotesSchema(3));
  EXPECT_EQ(Open(newer, schema).status().message(),
            newer + ": schema 3 is newer than this assay reads (1)");
}

// A cache's older file is dropped whole, views and tables that refer to each
// other too, and created again.
TEST_F(SqliteSchemaTest, RebuildsAnOlderCache) {
  const std::string path = PathOf("cache.sqlite");
  OpenOrFail(path, NotesSchema(3));
  RawDatabase(path).Exec(
      "INSERT INTO notes (text) VALUES ('x'); INSERT INTO tags VALUES (1, 't');"
      "CREATE VIEW \"tagged \"\"notes\"\"\" AS SELECT * FROM notes JOIN tags ON note = id;"
      "CREATE TABLE leftover (a TEXT); PRAGMA user_version = 2");
  SqliteSchema cache = NotesSchema(3);
  cache.older = SqliteSchema::Older::kRebuild;
  cache.upgrades = {};
  OpenOrFail(path, cache);
  RawDatabase raw(path);
  EXPECT_EQ(raw.Text("PRAGMA user_version"), "3");
  EXPECT_EQ(raw.Text("SELECT count(*) FROM notes"), "0");
  EXPECT_EQ(raw.Text("SELECT count(*) FROM tags"), "0");
  EXPECT_EQ(raw.Text("SELECT group_concat(name) FROM sqlite_master"), "notes,tags");
}

TEST_F(SqliteSchemaTest, AFileThatIsNotSqliteIsAnErrorNamingIt) {
  const std::string garbage(4096, 'x');
  const std::string path = dir_.Write("garbage.sqlite", garbage);
  Result<SqliteDatabase> opened = Open(path, NotesSchema(1));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(opened.status().message(), path + ": file is not a database");
  EXPECT_EQ(testing::ReadFileOrDie(path), garbage);
}

TEST_F(SqliteSchemaTest, AnUnopenablePathIsAnErrorNamingIt) {
  const std::string folder = PathOf("folder");
  std::filesystem::create_directory(folder);
  Result<SqliteDatabase> opened = Open(folder, NotesSchema(1));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().kind(), ErrorKind::kIo);
  EXPECT_THAT(opened.status().message(), HasSubstr(folder));
}

}  // namespace
}  // namespace assay
