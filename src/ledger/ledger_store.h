// The git side of the ledger (docs/spec/ledger.md): a bare repository, written
// only through libgit2, whose branch refs/heads/ledger gains one signed commit
// per record, each adding one envelope at records/ab/cd/<id>.json.
//
// Thread safety: one LedgerStore per thread. Appends from several processes
// are serialised by LedgerLock; Append itself also refuses to move the ref
// unless it still points where it did (a compare-and-swap).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ledger/git_handle.h"
#include "sign/ed25519_key.h"
#include "status.h"

namespace assay {

inline constexpr char kLedgerBranch[] = "refs/heads/ledger";

// Who signs a commit: the appending party (DESIGN.md: the author is the signer).
struct CommitSigner {
  const Ed25519SecretKey* key = nullptr;
  std::string name;    // trust-file name, or "assay"
  std::string key_id;  // minisign key id, for the email <key_id>@assay.invalid
};

// One record in ledger order.
struct LedgerEntry {
  uint64_t position = 0;
  std::string record_id;
  std::string commit;       // the commit that added it
  int64_t commit_time = 0;  // its committer time, Unix seconds
  std::string envelope;     // the stored bytes
};

// The path of a record in the tree: records/ab/cd/<id>.json.
std::string RecordPath(std::string_view record_id);

class LedgerStore {
 public:
  // Creates a new ledger at `path` (a bare repository whose HEAD is the ledger
  // branch), atomically: it is built in a temporary sibling and renamed into
  // place, so a kill or a full disk leaves no ledger or a whole one. An
  // existing ledger is opened as it is; a folder that an interrupted init
  // left (an empty git skeleton) is replaced; any other existing repository
  // or non-empty folder is kInvalidInput. What it cleaned up on the way is
  // added to `repairs`, for a warning.
  static Result<std::unique_ptr<LedgerStore>> Init(const std::string& path,
                                                   std::vector<std::string>* repairs = nullptr);
  // kIo "no ledger at PATH" when there is none.
  static Result<std::unique_ptr<LedgerStore>> Open(const std::string& path);

  struct Appended {
    std::string record_id;
    std::string commit;          // the new commit, or the one that already holds it
    bool already_present = false;
    std::string stored;          // the blob's bytes: the envelope and one newline
  };
  // Adds the envelope (a DSSE envelope of an in-toto statement; kInvalidInput
  // otherwise) in one signed commit. The caller holds the LedgerLock. A record
  // already in the ledger is not added again.
  Result<Appended> Append(std::string_view envelope, const CommitSigner& signer, int64_t unix_time);

  // Removes what a writer killed mid-append leaves, which the caller, holding
  // the LedgerLock, knows no live writer owns: libgit2's lock files (a stale
  // refs/heads/ledger.lock would otherwise refuse every later append) and its
  // temporary object and pack files. Returns one line per thing removed, for
  // a warning.
  Result<std::vector<std::string>> RemoveStaleWriterFiles();

  // The head commit, or nullopt for a ledger with no records yet.
  Result<std::optional<std::string>> Head() const;
  // The stored envelope of a record, or nullopt.
  Result<std::optional<std::string>> ReadRecord(std::string_view record_id) const;

  // Every record in ledger order (docs/spec/ledger.md) from the first commit to
  // `head` (default: the current head). kCheckFailed when a commit does
  // anything but add records at well-formed paths, naming the commit: readers
  // never build on a rewritten ledger.
  Status ForEachRecord(const std::function<Status(const LedgerEntry&)>& visit,
                       std::optional<std::string> head = std::nullopt) const;

  const std::string& path() const { return path_; }
  git_repository* repository() const { return repository_.get(); }

  // Appends sync to disk before they return (the default). The ledger
  // benchmark turns this off to build 100,000-record ledgers in minutes; it
  // measures synced appends separately.
  void set_sync_writes(bool sync) { sync_writes_ = sync; }

  // Whether `ancestor` is `head` or one of its first parents, transitively:
  // then the ledger order up to `ancestor` is a prefix of the order up to
  // `head` (docs/spec/ledger.md, Ledger order). Plain git ancestry is not
  // enough: a merge's second parent keeps its records but not their order.
  Result<bool> IsOnFirstParentChain(const std::string& ancestor, const std::string& head) const;

  // kCheckFailed, naming `what`, unless `after` holds everything `before`
  // holds and adds only records at their content-addressed paths; returns
  // how many it adds. Either tree may be null (empty).
  Result<size_t> CheckOnlyAddsRecords(const git_tree* before, const git_tree* after, const std::string& what) const;

  // Writes a commit of `tree` with `parents`, signed by `signer` (SSHSIG in
  // the gpgsig header), without moving any ref.
  Result<git_oid> CommitSigned(const git_tree* tree, std::span<const git_commit*> parents,
                               const std::string& message, const CommitSigner& signer, int64_t unix_time);
  // Moves the ledger branch to `commit_id` if it still points at
  // `expected_head` (null: if it does not exist yet), durably.
  Status MoveHead(const git_oid& commit_id, const git_oid* expected_head, const std::string& log_message);

 private:
  LedgerStore(std::string path, GitRepository repository)
      : path_(std::move(path)), repository_(std::move(repository)) {}

  std::string path_;
  GitRepository repository_;
  bool sync_writes_ = true;
};

// An exclusive lock on a ledger (flock on <ledger>/assay.lock), so two
// processes appending at once take turns. Released when destroyed.
class LedgerLock {
 public:
  // Waits up to `timeout_ms`; kIo "ledger is locked by another process" after.
  static Result<LedgerLock> Acquire(const std::string& ledger_path, int timeout_ms = 30000);
  LedgerLock(LedgerLock&& other) noexcept;
  LedgerLock& operator=(LedgerLock&&) = delete;
  ~LedgerLock();

 private:
  explicit LedgerLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace assay
