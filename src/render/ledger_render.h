// Human and JSON renderers of the ledger operations' results
// (ops/ledger_ops.h). The JSON shapes are schema/cli/log.schema.json and
// show.schema.json (the record's in-toto statement itself).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ops/ledger_ops.h"

namespace assay {

// "ledger     PATH"
std::string RenderText(const InitializedLedger& initialized);
// The record count, the new digest, and whether the previous one was identical.
std::string RenderText(const ReindexedLedger& reindexed);

// A line per record: position, id, commit, what it is, and its marks. Ids
// and commits are cut to 16 and 12 hex digits (enough for any command to
// take) unless `long_ids`; so is the commit an observation names.
std::string RenderText(const LedgerLog& log, bool long_ids = false);
nlohmann::json RenderJson(const LedgerLog& log);

// The record's id, position, kind, signatures and subjects; or, for one that
// is not well formed, the problem.
std::string RenderText(const ShownRecord& shown);
// The statement (ShowRequest::statement).
nlohmann::json RenderJson(const ShownRecord& shown);

// The ledger, its head, counts and what was proven; then the checkpoint's
// signers and cosigners when one was checked and is extended.
std::string RenderText(const LedgerVerification& verification);

// The note itself, or "written to PATH".
std::string RenderText(const SignedCheckpoint& checkpoint);

std::string RenderText(const AddedRemote& added);
std::string RenderText(const PushedLedger& pushed);
std::string RenderText(const PulledLedger& pulled);

}  // namespace assay
