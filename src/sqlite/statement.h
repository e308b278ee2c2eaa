// One use of a prepared SQLite statement: bind ?1, ?2, … in order, step
// through the rows, read the columns of the current row. When the use ends the
// statement is reset and its bindings cleared, so that its database can hand
// it out again (SqliteDatabase::Prepare keeps prepared statements).
//
// Ownership: a statement comes from an SqliteDatabase and must not outlive it.
// Bind copies the values it binds, so a temporary may be bound; BindBorrowed
// does not, for values that outlive the use.
// Thread safety: none, like the database it comes from.
// Errors: Bind and Step return kIo, "<database file>: <SQLite's message>".
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "status.h"

struct sqlite3_stmt;

namespace assay {

// Bytes to bind as a BLOB rather than as TEXT.
struct SqliteBlob {
  explicit SqliteBlob(std::string_view data) : bytes(data) {}
  explicit SqliteBlob(std::span<const uint8_t> data)
      : bytes(reinterpret_cast<const char*>(data.data()), data.size()) {}
  std::string_view bytes;
};

// The storage class of one value (SQLite's dynamic type, not the column's).
enum class SqliteType { kNull, kInteger, kReal, kText, kBlob };

class SqliteStatement {
 public:
  // `statement` is the prepared statement used; when `owned`, this use
  // finalizes it at its end. `in_use` (may be null) is cleared then, for the
  // database's cache. `database_path` names the file in errors.
  SqliteStatement(sqlite3_stmt* statement, bool owned, bool* in_use,
                  const std::string& database_path);
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  SqliteStatement& operator=(SqliteStatement&&) = delete;

  // Binds values to ?1, ?2, … in order: text (std::string, std::string_view,
  // const char*), SqliteBlob, any integer (bool too, as 0 or 1; unsigned
  // values as the signed 64-bit integer with the same bits), double, and
  // std::optional of any of these (nullopt binds NULL).
  template <typename... Values>
  Status Bind(const Values&... values) {
    return BindAll(/*copy=*/true, values...);
  }
  // Binds as Bind does, without copying text and blobs: every value must stay
  // alive until this use of the statement ends (as the arguments of
  // SqliteDatabase::Run and ForEachRow do). Saves a copy of each.
  template <typename... Values>
  Status BindBorrowed(const Values&... values) {
    return BindAll(/*copy=*/false, values...);
  }

  // True with a row to read, false when the statement is done.
  Result<bool> Step();
  // Steps once, for a statement run for its effect; a row it returns is ignored.
  Status Run();

  // The current row's columns, from 0. Valid after Step returned true, until
  // the next Step. A NULL reads as 0, 0.0 or "".
  int ColumnCount() const;
  SqliteType ColumnType(int column) const;
  bool IsNull(int column) const { return ColumnType(column) == SqliteType::kNull; }
  int64_t Integer(int column) const;
  uint64_t Unsigned(int column) const { return static_cast<uint64_t>(Integer(column)); }
  double Real(int column) const;
  // A TEXT or BLOB value's bytes, exactly as stored.
  std::string Bytes(int column) const;
  std::optional<std::string> OptionalBytes(int column) const;
  std::optional<double> OptionalReal(int column) const;

 private:
  Status Error() const;

  template <typename... Values>
  Status BindAll(bool copy, const Values&... values) {
    copy_ = copy;
    int index = 0;
    bool bound = true;
    ((bound = bound && BindOne(++index, values)), ...);
    return bound ? Status::Ok() : Error();
  }

  bool BindText(int index, std::string_view text);
  bool BindBlob(int index, std::string_view bytes);
  bool BindInteger(int index, int64_t value);
  bool BindReal(int index, double value);
  bool BindNull(int index);

  bool BindOne(int index, std::string_view text) { return BindText(index, text); }
  bool BindOne(int index, const std::string& text) { return BindText(index, text); }
  bool BindOne(int index, const char* text) { return BindText(index, text); }
  bool BindOne(int index, SqliteBlob blob) { return BindBlob(index, blob.bytes); }
  bool BindOne(int index, double value) { return BindReal(index, value); }
  template <std::integral T>
  bool BindOne(int index, T value) {
    return BindInteger(index, static_cast<int64_t>(value));
  }
  template <typename T>
  bool BindOne(int index, const std::optional<T>& value) {
    return value ? BindOne(index, *value) : BindNull(index);
  }

  sqlite3_stmt* statement_;
  bool owned_;
  bool* in_use_;
  const std::string* database_path_;
  bool copy_ = true;  // how the text and blobs being bound are bound
};

}  // namespace assay
