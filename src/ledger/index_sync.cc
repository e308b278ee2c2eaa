#include "ledger/index_sync.h"

#include <filesystem>

#include "digest/sha256.h"

namespace assay {
namespace {

// Adds the ledger's records from position `from` on, in batches.
Status AppendFrom(const LedgerStore& ledger, LedgerIndex& index, uint64_t from, const std::string& head) {
  constexpr size_t kBatch = 1000;
  std::vector<IndexedRecord> batch;
  ASSAY_RETURN_IF_ERROR(ledger.ForEachRecord(
      [&](const LedgerEntry& entry) -> Status {
        if (entry.position < from) return Status::Ok();
        batch.push_back({entry.position, entry.record_id, entry.commit, entry.envelope});
        if (batch.size() < kBatch) return Status::Ok();
        Status status = index.Append(batch, head);
        batch.clear();
        return status;
      },
      head));
  return index.Append(batch, head);
}

}  // namespace

std::string LedgerIndexPath(const std::string& cache_dir, const std::string& ledger_path) {
  std::error_code error;
  std::string canonical = std::filesystem::weakly_canonical(ledger_path, error).string();
  if (error) canonical = ledger_path;
  return cache_dir + "/index/" + ToHex(Sha256::Of(canonical)).substr(0, 16) + ".sqlite3";
}

Status SyncIndex(const LedgerStore& ledger, LedgerIndex& index) {
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> head, ledger.Head());
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> seen, index.Head());
  if (seen == head) return Status::Ok();
  if (!head) {
    return Status::CheckFailed(ledger.path() + ": history rewritten: the ledger is empty, but this machine saw head " +
                               *seen + "; run 'assay reindex' to accept the new history");
  }
  if (seen) {
    Result<bool> kept = ledger.IsOnFirstParentChain(*seen, *head);
    if (!kept.ok() || !*kept) {
      return Status::CheckFailed(ledger.path() + ": history rewritten: head " + *seen +
                                 ", seen here before, is no longer in the ledger; run 'assay reindex' only if "
                                 "you accept the new history");
    }
  }
  ASSAY_ASSIGN_OR_RETURN(uint64_t count, index.Count());
  return AppendFrom(ledger, index, count, *head);
}

Status RebuildIndex(const LedgerStore& ledger, LedgerIndex& index) {
  ASSAY_RETURN_IF_ERROR(index.Clear());
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> head, ledger.Head());
  if (!head) return Status::Ok();
  return AppendFrom(ledger, index, 0, *head);
}

}  // namespace assay
