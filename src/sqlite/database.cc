#include "sqlite/database.h"

#include <sqlite3.h>

#include <filesystem>
#include <limits>
#include <map>

#include "file_system.h"

namespace assay {
namespace {

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using PreparedStatement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n;") == std::string_view::npos;
}

}  // namespace

struct SqliteDatabase::Connection {
  struct CachedStatement {
    PreparedStatement statement;
    bool in_use = false;
  };

  explicit Connection(std::string database_path) : path(std::move(database_path)) {}
  ~Connection() {
    statements.clear();  // finalized before the connection closes
    sqlite3_close_v2(db);
  }

  Status Error() const { return Status::IoError(path + ": " + sqlite3_errmsg(db)); }

  // Prepares the one statement `sql` holds.
  Result<PreparedStatement> PrepareOne(std::string_view sql, unsigned flags) const {
    if (sql.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
      return Status::IoError(path + ": statement too long");
    }
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), flags, &raw, &tail) !=
        SQLITE_OK) {
      return Error();
    }
    PreparedStatement statement(raw);
    // Prepare would ignore all but the first statement; Exec runs several.
    size_t used = static_cast<size_t>(tail - sql.data());
    if (statement == nullptr || !IsBlank(sql.substr(used))) {
      return Status::IoError(path + ": not one SQL statement: " + std::string(sql));
    }
    return statement;
  }

  const std::string path;
  sqlite3* db = nullptr;
  // Keyed by the SQL text; std::less<> finds a string_view without a copy.
  std::map<std::string, CachedStatement, std::less<>> statements;
};

SqliteDatabase::SqliteDatabase(std::unique_ptr<Connection> connection)
    : connection_(std::move(connection)) {}
SqliteDatabase::~SqliteDatabase() = default;
SqliteDatabase::SqliteDatabase(SqliteDatabase&&) noexcept = default;
SqliteDatabase& SqliteDatabase::operator=(SqliteDatabase&&) noexcept = default;

Result<SqliteDatabase> SqliteDatabase::Open(const std::string& path, const SqliteSchema& schema,
                                            int busy_timeout_ms) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  if (!folder.empty()) ASSAY_RETURN_IF_ERROR(LocalFileSystem().CreateDirectories(folder));

  auto connection = std::make_unique<Connection>(path);
  // The handle is kept even when opening fails: it carries the message, and
  // ~Connection closes it. One thread at a time uses a database (the
  // header's promise), so SQLite's own mutex is not needed.
  if (sqlite3_open_v2(path.c_str(), &connection->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return connection->Error();
  }
  sqlite3_busy_timeout(connection->db, busy_timeout_ms);
  SqliteDatabase database(std::move(connection));
  // A setting of the connection, which cannot change inside a transaction.
  ASSAY_RETURN_IF_ERROR(database.Exec("PRAGMA foreign_keys = ON"));
  // The schema is checked before anything is written, so that a file that is
  // not ours, or is newer, is left as it was: even its journal mode.
  ASSAY_RETURN_IF_ERROR(MigrateSchema(database, schema));
  ASSAY_RETURN_IF_ERROR(database.Exec("PRAGMA journal_mode = WAL"));
  ASSAY_RETURN_IF_ERROR(database.Exec("PRAGMA synchronous = NORMAL"));
  return database;
}

const std::string& SqliteDatabase::path() const { return connection_->path; }

Status SqliteDatabase::Exec(std::string_view sql) {
  const std::string terminated(sql);  // sqlite3_exec reads up to a NUL
  if (sqlite3_exec(connection_->db, terminated.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return connection_->Error();
  }
  return Status::Ok();
}

Result<int64_t> SqliteDatabase::QueryInteger(std::string_view sql) {
  ASSAY_ASSIGN_OR_RETURN(PreparedStatement prepared, connection_->PrepareOne(sql, 0));
  SqliteStatement statement(prepared.release(), /*owned=*/true, nullptr, connection_->path);
  ASSAY_ASSIGN_OR_RETURN(bool row, statement.Step());
  if (!row) return Status::IoError(connection_->path + ": no answer to " + std::string(sql));
  return statement.Integer(0);
}

Result<SqliteStatement> SqliteDatabase::Prepare(std::string_view sql) {
  Connection& c = *connection_;
  auto found = c.statements.find(sql);
  if (found != c.statements.end()) {
    Connection::CachedStatement& cached = found->second;
    if (!cached.in_use) {
      cached.in_use = true;
      return SqliteStatement(cached.statement.get(), /*owned=*/false, &cached.in_use, c.path);
    }
    // A nested use of a statement already in use gets one of its own.
    ASSAY_ASSIGN_OR_RETURN(PreparedStatement own, c.PrepareOne(sql, 0));
    return SqliteStatement(own.release(), /*owned=*/true, nullptr, c.path);
  }
  ASSAY_ASSIGN_OR_RETURN(PreparedStatement prepared, c.PrepareOne(sql, SQLITE_PREPARE_PERSISTENT));
  Connection::CachedStatement& cached =
      c.statements.emplace(std::string(sql), Connection::CachedStatement{std::move(prepared)})
          .first->second;
  cached.in_use = true;
  return SqliteStatement(cached.statement.get(), /*owned=*/false, &cached.in_use, c.path);
}

void SqliteDatabase::RollBack() {
  // After a failed COMMIT SQLite may already have rolled back by itself.
  if (sqlite3_get_autocommit(connection_->db) == 0) (void)Exec("ROLLBACK");
}

}  // namespace assay
