#include "sqlite/statement.h"

#include <sqlite3.h>

#include <utility>

namespace assay {

SqliteStatement::SqliteStatement(sqlite3_stmt* statement, bool owned, bool* in_use,
                                 const std::string& database_path)
    : statement_(statement), owned_(owned), in_use_(in_use), database_path_(&database_path) {}

SqliteStatement::~SqliteStatement() {
  if (statement_ == nullptr) return;  // moved from
  if (owned_) {
    sqlite3_finalize(statement_);
    return;
  }
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  if (in_use_ != nullptr) *in_use_ = false;
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)),
      owned_(other.owned_),
      in_use_(std::exchange(other.in_use_, nullptr)),
      database_path_(other.database_path_),
      copy_(other.copy_) {}

Status SqliteStatement::Error() const {
  return Status::IoError(*database_path_ + ": " + sqlite3_errmsg(sqlite3_db_handle(statement_)));
}

Result<bool> SqliteStatement::Step() {
  int rc = sqlite3_step(statement_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error();
}

Status SqliteStatement::Run() {
  ASSAY_ASSIGN_OR_RETURN(bool row, Step());
  (void)row;
  return Status::Ok();
}

// An empty text or blob is bound from "", never from a null pointer, which
// SQLite would bind as NULL. SQLITE_STATIC has SQLite read the caller's bytes
// where they are (the destructor's clear_bindings drops the pointer).
bool SqliteStatement::BindText(int index, std::string_view text) {
  return sqlite3_bind_text64(statement_, index, text.empty() ? "" : text.data(), text.size(),
                             copy_ ? SQLITE_TRANSIENT : SQLITE_STATIC, SQLITE_UTF8) == SQLITE_OK;
}

bool SqliteStatement::BindBlob(int index, std::string_view bytes) {
  return sqlite3_bind_blob64(statement_, index, bytes.empty() ? "" : bytes.data(), bytes.size(),
                             copy_ ? SQLITE_TRANSIENT : SQLITE_STATIC) == SQLITE_OK;
}

bool SqliteStatement::BindInteger(int index, int64_t value) {
  return sqlite3_bind_int64(statement_, index, static_cast<sqlite3_int64>(value)) == SQLITE_OK;
}

bool SqliteStatement::BindReal(int index, double value) {
  return sqlite3_bind_double(statement_, index, value) == SQLITE_OK;
}

bool SqliteStatement::BindNull(int index) {
  return sqlite3_bind_null(statement_, index) == SQLITE_OK;
}

int SqliteStatement::ColumnCount() const { return sqlite3_column_count(statement_); }

SqliteType SqliteStatement::ColumnType(int column) const {
  switch (sqlite3_column_type(statement_, column)) {
    case SQLITE_INTEGER: return SqliteType::kInteger;
    case SQLITE_FLOAT: return SqliteType::kReal;
    case SQLITE_TEXT: return SqliteType::kText;
    case SQLITE_BLOB: return SqliteType::kBlob;
    default: return SqliteType::kNull;
  }
}

int64_t SqliteStatement::Integer(int column) const {
  return static_cast<int64_t>(sqlite3_column_int64(statement_, column));
}

double SqliteStatement::Real(int column) const { return sqlite3_column_double(statement_, column); }

std::string SqliteStatement::Bytes(int column) const {
  // sqlite3_column_blob returns TEXT's bytes unconverted; the size is asked after it.
  const void* data = sqlite3_column_blob(statement_, column);
  int size = sqlite3_column_bytes(statement_, column);
  return data == nullptr ? std::string() : std::string(static_cast<const char*>(data), size);
}

std::optional<std::string> SqliteStatement::OptionalBytes(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Bytes(column);
}

std::optional<double> SqliteStatement::OptionalReal(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Real(column);
}

}  // namespace assay
