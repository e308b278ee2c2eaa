// What one of assay's SQLite files holds, and how a file written by another
// version of assay is brought to it. A file is marked as ours by PRAGMA
// application_id and carries its schema version in PRAGMA user_version; both
// are written in the transaction that creates or upgrades the tables.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "status.h"

namespace assay {

class SqliteDatabase;

// Views the texts it names: they must outlive every use of the schema.
struct SqliteSchema {
  int64_t application_id = 0;  // marks the file as ours; not 0
  int64_t version = 0;         // the user_version this code reads and writes; 1 or more
  // What a new database runs: no tables, application_id 0 and user_version 0
  // (an empty or a missing file).
  std::string_view create_sql;

  // How a file of ours at an older version becomes current.
  enum class Older {
    // upgrades[v - 1] takes version v to v + 1, run in turn from the file's
    // version; a file of ours at version 0 is not one we wrote.
    kUpgrade,
    // Every table and view is dropped and create_sql run again: for a cache,
    // whose rows can always be computed again.
    kRebuild,
  };
  Older older = Older::kUpgrade;
  std::span<const std::string_view> upgrades;  // kUpgrade: version - 1 of them

  // The refusals, as the user reads them after "<file>: ". `not_ours`: the
  // file holds tables under another application_id (another program's);
  // empty words it "not an assay database (another program's)".
  std::string_view not_ours;
  // A file at version `found`, newer than `reads` (this schema's version);
  // null words it "schema <found> is newer than this assay reads (<reads>)".
  std::string (*newer)(int64_t found, int64_t reads) = nullptr;
};

// Brings `database` to `schema` in one BEGIN IMMEDIATE transaction, so that
// two processes opening one new file take turns, and a failure changes
// nothing. kIo, naming the file, for a file that holds another program's
// tables (not_ours) or has a newer version (newer), both left untouched, or
// when SQLite fails. SqliteDatabase::Open calls it.
Status MigrateSchema(SqliteDatabase& database, const SqliteSchema& schema);

}  // namespace assay
