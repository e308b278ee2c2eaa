// The SQLite adapter (DESIGN.md, Dependencies: SQLite keeps the hash cache and
// the ledger's query index): one connection to one of assay's SQLite files,
// opened the way every such file is used, with SQLite's failures turned into
// Status values.
//
// Open leaves a file that is not ours, or is newer than we read, untouched;
// a file it accepts runs in WAL mode with synchronous=NORMAL (readers and one
// writer from several processes overlap; a crash or power cut can lose the
// last commits, never corrupt the file), waits up to the busy timeout for a
// lock, and enforces foreign keys.
//
// Ownership: the database owns the connection and the statements it has
// prepared; statements it hands out must not outlive it. Moving a database
// does not disturb statements in use.
// Thread safety: none; one thread at a time (a caller that shares one
// database between threads holds its own mutex around every use).
// Errors: every one is kIo and names the file: "<path>: <SQLite's message>".
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "sqlite/schema.h"
#include "sqlite/statement.h"
#include "status.h"

namespace assay {

class SqliteDatabase {
 public:
  // Opens the file at `path`, creating it and its folder if needed, and
  // brings it to `schema` (MigrateSchema). `busy_timeout_ms` is how long a
  // statement waits for a lock another connection holds before it fails.
  static Result<SqliteDatabase> Open(const std::string& path, const SqliteSchema& schema,
                                     int busy_timeout_ms);

  ~SqliteDatabase();
  SqliteDatabase(SqliteDatabase&&) noexcept;
  SqliteDatabase& operator=(SqliteDatabase&&) noexcept;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // The path given to Open.
  const std::string& path() const;

  // Runs `sql`, one or more statements that take no parameters, for their effect.
  Status Exec(std::string_view sql);
  // The first column of the first row of `sql` (e.g. a PRAGMA); kIo when it has no row.
  Result<int64_t> QueryInteger(std::string_view sql);

  // A use of the statement for `sql`, prepared on first use and kept until
  // the database closes. While that statement is in use, another Prepare of
  // the same text gets a statement of its own, so uses may nest.
  Result<SqliteStatement> Prepare(std::string_view sql);

  // Prepares `sql`, binds `values` (not copied: they outlive the call) and steps once.
  template <typename... Values>
  Status Run(std::string_view sql, const Values&... values) {
    ASSAY_ASSIGN_OR_RETURN(SqliteStatement statement, Prepare(sql));
    ASSAY_RETURN_IF_ERROR(statement.BindBorrowed(values...));
    return statement.Run();
  }

  // Calls on_row(const SqliteStatement&) for each row of `sql` bound to `values`.
  template <typename OnRow, typename... Values>
  Status ForEachRow(std::string_view sql, OnRow&& on_row, const Values&... values) {
    ASSAY_ASSIGN_OR_RETURN(SqliteStatement statement, Prepare(sql));
    ASSAY_RETURN_IF_ERROR(statement.BindBorrowed(values...));
    while (true) {
      ASSAY_ASSIGN_OR_RETURN(bool row, statement.Step());
      if (!row) return Status::Ok();
      on_row(static_cast<const SqliteStatement&>(statement));
    }
  }

  // Calls on_row for the first row only, when there is one: for a query of
  // at most one row (by a unique key), it spares the step that finds the end.
  template <typename OnRow, typename... Values>
  Status ForFirstRow(std::string_view sql, OnRow&& on_row, const Values&... values) {
    ASSAY_ASSIGN_OR_RETURN(SqliteStatement statement, Prepare(sql));
    ASSAY_RETURN_IF_ERROR(statement.BindBorrowed(values...));
    ASSAY_ASSIGN_OR_RETURN(bool row, statement.Step());
    if (row) on_row(static_cast<const SqliteStatement&>(statement));
    return Status::Ok();
  }

  // Runs `body` (returning Status) between BEGIN IMMEDIATE and COMMIT. The
  // write lock is taken first (waiting up to the busy timeout), so a
  // transaction does not fail halfway for another writer's lock. When `body`
  // or COMMIT fails, everything `body` did is rolled back and the error
  // returned. Transactions do not nest.
  template <typename Body>
  Status Transaction(Body&& body) {
    ASSAY_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status status = std::forward<Body>(body)();
    if (status.ok()) status = Exec("COMMIT");
    if (!status.ok()) RollBack();
    return status;
  }

 private:
  struct Connection;  // the sqlite3 handle, its path and its statements
  explicit SqliteDatabase(std::unique_ptr<Connection> connection);

  // Ends the open transaction, if any, undoing it.
  void RollBack();

  std::unique_ptr<Connection> connection_;
};

}  // namespace assay
