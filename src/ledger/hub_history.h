// The history of a model repository's git checkout, read through libgit2
// (docs/spec/observation.md): a Hugging Face repo cloned with
// GIT_LFS_SKIP_SMUDGE=1 holds every revision, its weight files as Git LFS
// pointers. Per revision: the commit, its parents, the committer's time, the
// author, the message, and every file of its tree with the pointer's oid and
// size, or, for a file kept in git, its SHA-256. No weight bytes are read.
// (In the ledger area because that is where libgit2 is linked.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "digest/file_hasher.h"
#include "record/observation_statement.h"
#include "status.h"

namespace assay {

struct HubRevision {
  std::string commit;                // lowercase hex
  std::vector<std::string> parents;  // lowercase hex
  int64_t time = 0;                  // the committer's, Unix seconds
  std::string author;                // "Name <email>"
  std::string message;               // at most kMaxObservedMessageBytes
  bool message_truncated = false;
  std::vector<ObservedFile> files;  // sorted by path
};

struct HubHistory {
  std::string folder;      // the checkout, as named
  std::string origin_url;  // remote "origin"'s URL; "" when it has none
  std::string head;        // the commit walked from
  std::vector<HubRevision> revisions;  // every commit reachable from head, oldest first
};

// A file kept in git (not a pointer) larger than this is refused: model
// repositories keep large files in LFS, and libgit2 reads a blob whole.
inline constexpr uint64_t kMaxObservedBlobBytes = uint64_t{256} << 20;

// The history reachable from `rev` ("" for HEAD: the checked-out branch).
// kInvalidInput naming the folder when it is not a git repository or `rev`
// names no commit there, naming the revision and file for a path that is not
// UTF-8, a tree of more than kMaxObservedFiles files, or a blob too large;
// the author and message keep their valid UTF-8, each other byte U+FFFD.
// `progress`, when given, is told each revision read.
Result<HubHistory> ReadHubHistory(const std::string& folder, const std::string& rev, ProgressSink* progress = nullptr);

// The source a remote URL names: "hf:ORG/NAME" for a model repository on
// huggingface.co (https://huggingface.co/ORG/NAME, with or without ".git"
// or a final "/"; hf.co too), else the URL as it is.
std::string HubSourceOfUrl(const std::string& url);

}  // namespace assay
