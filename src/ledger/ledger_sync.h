// Sharing a ledger through any git remote (file paths and file:// in tests;
// ssh and https through libgit2's transports). Ledgers of different parties
// merge without conflicts because records never change: the party that pulls
// verifies every new record and commit first, then signs the merge commit.
#pragma once

#include <string>

#include "digest/file_hasher.h"
#include "ledger/ledger_store.h"
#include "sign/trust_file.h"
#include "status.h"

namespace assay {

// kInvalidInput for a bad name or a name already in use.
Status AddLedgerRemote(LedgerStore& ledger, const std::string& name, const std::string& url);

// Push and pull name a remote the ledger has: kNotFound otherwise, with a
// hint naming 'assay remote add'.
//
// Pushes the ledger branch, only when that extends the remote's own ledger
// order (its head is on our first-parent chain); kInvalidInput otherwise, as
// the remote's owner must pull from us instead (docs/spec/ledger.md, Sharing).
Status PushLedger(LedgerStore& ledger, const std::string& remote);

struct PullOutcome {
  enum class Kind { kUpToDate, kFastForward, kMerged } kind = Kind::kUpToDate;
  std::string head;           // the local head afterwards
  uint64_t new_records = 0;   // records the local ledger did not have
};

// Fetches the remote's ledger branch and, before anything local changes:
// refuses a remote whose branch no longer holds what we fetched from it
// before (history rewritten, e.g. a force push), and verifies the fetched
// history as `assay verify ledger` does. Then nothing, when we hold every
// record they have; a fast-forward, when our head is on their first-parent
// chain (our order stays a prefix); or a merge commit (ours first, theirs
// second) signed by `signer`, so each party's ledger order only grows. The caller holds
// the LedgerLock. kCheckFailed for a rewritten or untrustworthy remote.
Result<PullOutcome> PullLedger(LedgerStore& ledger, const std::string& remote, const TrustFile& trust,
                               const CommitSigner& signer, int64_t unix_time, ProgressSink* progress = nullptr);

}  // namespace assay
