// Owning handles for libgit2 objects and the adapter from libgit2's error
// codes to Status (STYLE.md, habit 3: keep the library's own message).
#pragma once

#include <git2.h>

#include <memory>
#include <string>

#include "status.h"

namespace assay {

// Initialises libgit2 once per process.
void EnsureLibgit2();

// kIo with "context: libgit2's last error message" when `code` < 0, or
// kCheckFailed when the error is altered or damaged repository bytes (an
// object whose content does not hash to its id, or does not inflate).
Status GitStatus(int code, const std::string& context);

// The repository's folder, without a final slash: for messages.
std::string RepositoryName(git_repository* repository);

template <typename T, void (*Free)(T*)>
struct GitDeleter {
  void operator()(T* object) const { Free(object); }
};
template <typename T, void (*Free)(T*)>
using GitPtr = std::unique_ptr<T, GitDeleter<T, Free>>;

using GitRepository = GitPtr<git_repository, git_repository_free>;
using GitTree = GitPtr<git_tree, git_tree_free>;
using GitCommit = GitPtr<git_commit, git_commit_free>;
using GitTreeBuilder = GitPtr<git_treebuilder, git_treebuilder_free>;
using GitReference = GitPtr<git_reference, git_reference_free>;
using GitSignature = GitPtr<git_signature, git_signature_free>;
using GitBlob = GitPtr<git_blob, git_blob_free>;
using GitDiff = GitPtr<git_diff, git_diff_free>;
using GitRemote = GitPtr<git_remote, git_remote_free>;
using GitRevwalk = GitPtr<git_revwalk, git_revwalk_free>;

std::string OidHex(const git_oid& oid);

// A commit and its tree, kIo naming the ledger when they cannot be read.
Result<GitCommit> LookupCommit(git_repository* repository, const git_oid& id);
Result<GitTree> TreeOfCommit(const git_commit* commit);

}  // namespace assay
