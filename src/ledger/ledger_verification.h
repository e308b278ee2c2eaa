// The append-only proof (issue "The git-backed ledger", item 5): walks the
// whole history and checks that every commit only adds records at their
// content-addressed paths, that every record's signature verifies with a
// trusted key and its id matches its path, and that every commit carries an
// SSH signature (namespace "git") by a trusted key valid at its commit time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "digest/file_hasher.h"
#include "ledger/ledger_store.h"
#include "sign/trust_file.h"
#include "status.h"

namespace assay {

struct LedgerReport {
  std::string head;                 // empty for a ledger with no records
  uint64_t commits = 0;
  std::vector<std::string> record_ids;  // in ledger order
};

// kCheckFailed naming the first commit or record that breaks a rule;
// kIo for a repository that cannot be read.
// Keys are checked at each commit's time, so records and commits made while a
// key was valid stay valid after it expires.
// `head` (default: the current head) lets pull check fetched history before
// it is merged.
// `progress`, when given, is told each record and each commit checked.
Result<LedgerReport> VerifyLedger(const LedgerStore& ledger, const TrustFile& trust,
                                  std::optional<std::string> head = std::nullopt, ProgressSink* progress = nullptr);

// The key that signed `commit` (hex), checked against the trust file at the
// commit's time: kCheckFailed when unsigned, badly signed or untrusted.
Result<const TrustEntry*> VerifyCommitSignature(const LedgerStore& ledger, const std::string& commit,
                                                const TrustFile& trust);

}  // namespace assay
