// Which ledger a command uses (docs/spec/ledger.md): --ledger DIR, else
// $ASSAY_LEDGER, else the embedded default under $XDG_DATA_HOME, which is
// created on first use. A ledger named explicitly must exist ('assay init').
// Left for the commands not yet in the request -> result shape (diff,
// lineage, verify lfs and verify/model_source); the ledger commands open
// their ledger through src/ops (ops/publish.h: OpenLedger). Delete this file
// with its last user.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "ledger/ledger_index.h"
#include "ledger/ledger_store.h"
#include "sign/minisign_secret_key.h"
#include "status.h"

namespace assay::cli {

struct LedgerOptions {
  std::string path;  // --ledger; empty: environment, then the default
};

void AddLedgerOption(CLI::App& command, LedgerOptions& options);

std::string LedgerPath(const LedgerOptions& options);

// Opens the ledger, creating the default one if it does not exist yet.
Result<std::unique_ptr<LedgerStore>> OpenLedger(const LedgerOptions& options);

// The ledger's index (under the cache folder), brought up to the ledger's
// head; kCheckFailed when the ledger's history was rewritten since.
Result<std::unique_ptr<LedgerIndex>> OpenSyncedIndex(const LedgerStore& ledger);

}  // namespace assay::cli
