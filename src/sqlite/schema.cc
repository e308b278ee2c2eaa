#include "sqlite/schema.h"

#include <utility>
#include <vector>

#include "sqlite/database.h"

namespace assay {
namespace {

Status Refusal(const SqliteDatabase& database, std::string_view message) {
  return Status::IoError(database.path() + ": " + std::string(message));
}

std::string QuotedName(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Drops every table and view of the file (SQLite's own sqlite_* tables cannot
// be dropped, and are not ours).
Status DropEverything(SqliteDatabase& database) {
  std::vector<std::pair<std::string, std::string>> objects;  // type, name
  ASSAY_RETURN_IF_ERROR(database.ForEachRow(
      "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'table') "
      "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type DESC",
      [&](const SqliteStatement& row) { objects.emplace_back(row.Bytes(0), row.Bytes(1)); }));
  // Foreign keys between the tables are checked at COMMIT, by when none is left.
  ASSAY_RETURN_IF_ERROR(database.Exec("PRAGMA defer_foreign_keys = ON"));
  for (const auto& [type, name] : objects) {
    ASSAY_RETURN_IF_ERROR(database.Exec((type == "view" ? "DROP VIEW " : "DROP TABLE ") +
                                        QuotedName(name)));
  }
  return Status::Ok();
}

Status MigrateInTransaction(SqliteDatabase& database, const SqliteSchema& schema) {
  using Older = SqliteSchema::Older;
  ASSAY_ASSIGN_OR_RETURN(int64_t application_id, database.QueryInteger("PRAGMA application_id"));
  ASSAY_ASSIGN_OR_RETURN(int64_t version, database.QueryInteger("PRAGMA user_version"));
  ASSAY_ASSIGN_OR_RETURN(int64_t objects, database.QueryInteger("SELECT count(*) FROM sqlite_master"));
  const bool fresh = application_id == 0 && version == 0 && objects == 0;
  // The stamp is written with the tables, so a file of ours at version 0 was
  // stamped by hand; only a cache, rebuilt anyway, takes it.
  const bool ours = application_id == schema.application_id &&
                    (version >= 1 || schema.older == Older::kRebuild);
  if (!fresh && !ours) {
    return Refusal(database, schema.not_ours.empty()
                                 ? std::string_view("not an assay database (another program's)")
                                 : schema.not_ours);
  }
  if (version == schema.version) return Status::Ok();
  if (version > schema.version) {
    return Refusal(database, schema.newer != nullptr
                                 ? schema.newer(version, schema.version)
                                 : "schema " + std::to_string(version) +
                                       " is newer than this assay reads (" +
                                       std::to_string(schema.version) + ")");
  }
  if (fresh || schema.older == Older::kRebuild) {
    if (!fresh) ASSAY_RETURN_IF_ERROR(DropEverything(database));
    ASSAY_RETURN_IF_ERROR(database.Exec(schema.create_sql));
  } else {
    for (int64_t from = version; from < schema.version; ++from) {
      const size_t step = static_cast<size_t>(from - 1);
      if (step >= schema.upgrades.size()) {
        return Refusal(database, "no upgrade from schema " + std::to_string(from));
      }
      ASSAY_RETURN_IF_ERROR(database.Exec(schema.upgrades[step]));
    }
  }
  return database.Exec("PRAGMA application_id = " + std::to_string(schema.application_id) +
                       "; PRAGMA user_version = " + std::to_string(schema.version));
}

}  // namespace

Status MigrateSchema(SqliteDatabase& database, const SqliteSchema& schema) {
  return database.Transaction([&] { return MigrateInTransaction(database, schema); });
}

}  // namespace assay
