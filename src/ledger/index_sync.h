// Keeps a ledger's SQLite index in step with its git history (docs/spec/ledger.md,
// "The index"). The index remembers the head it reflects, which is also the
// head this machine last saw: a ledger whose history no longer holds that head
// was rewritten, and syncing refuses it until `assay reindex` is run on purpose.
#pragma once

#include <memory>
#include <string>

#include "ledger/ledger_index.h"
#include "ledger/ledger_store.h"
#include "status.h"

namespace assay {

// <cache_dir>/index/<first 16 hex of SHA-256(canonical ledger path)>.sqlite3
std::string LedgerIndexPath(const std::string& cache_dir, const std::string& ledger_path);

// Brings the index up to the ledger's head: nothing when it is there already,
// the missing records when it lags (a crash between the ref update and the
// index write leaves it so). kCheckFailed when the head it reflects is no
// longer in the ledger's history.
Status SyncIndex(const LedgerStore& ledger, LedgerIndex& index);

// Clears the index and rebuilds it from the git history alone.
Status RebuildIndex(const LedgerStore& ledger, LedgerIndex& index);

}  // namespace assay
