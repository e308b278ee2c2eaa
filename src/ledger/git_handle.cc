#include "ledger/git_handle.h"

#include <mutex>

namespace assay {

void EnsureLibgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // libgit2's own fsync option syncs every object and ref file one by one
    // (about eight syncs an append); LedgerStore::Append makes the same
    // guarantee with one syncfs before the ref moves and one fsync after.
    git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 0);
  });
}

Status GitStatus(int code, const std::string& context) {
  if (code >= 0) return Status::Ok();
  const git_error* error = git_error_last();
  std::string message = error != nullptr && error->message != nullptr ? error->message : "";
  // libgit2 sometimes sets an empty reason (a lock file it could not take,
  // for one); an error never goes out without one.
  if (message.empty()) message = "libgit2 error " + std::to_string(code) + ", no reason given";
  // Bytes that do not hash to their object id, or do not inflate, were
  // altered on disk: a check that says no, not an environment failure.
  // libgit2 1.5 reports a damaged loose object by its hash (EMISMATCH), its
  // zlib stream (class ZLIB), or, for a damaged zlib or object header,
  // "failed to inflate ..." (class ODB) and "failed to parse loose object"
  // (class OBJECT).
  const bool damaged =
      code == GIT_EMISMATCH ||
      (error != nullptr &&
       (error->klass == GIT_ERROR_ZLIB ||
        (error->klass == GIT_ERROR_ODB && message.find("inflate") != std::string::npos) ||
        (error->klass == GIT_ERROR_OBJECT && message.find("failed to parse") != std::string::npos)));
  if (damaged) {
    return Status::CheckFailed(context + ": " + message +
                               " (the repository's bytes were altered or damaged; restore it from a copy)");
  }
  return Status::IoError(context + ": " + message);
}

std::string OidHex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

std::string RepositoryName(git_repository* repository) {
  std::string path = git_repository_path(repository);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

Result<GitCommit> LookupCommit(git_repository* repository, const git_oid& id) {
  git_commit* raw = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_commit_lookup(&raw, repository, &id),
                                  RepositoryName(repository) + ": ledger commit " + OidHex(id)));
  return GitCommit(raw);
}

Result<GitTree> TreeOfCommit(const git_commit* commit) {
  git_tree* raw = nullptr;
  ASSAY_RETURN_IF_ERROR(GitStatus(git_commit_tree(&raw, commit), RepositoryName(git_commit_owner(commit)) +
                                                                      ": tree of ledger commit " +
                                                                      OidHex(*git_commit_id(commit))));
  return GitTree(raw);
}

}  // namespace assay
