// Writes a small git repository of whole-tree commits through libgit2: what
// the demo uses as a model repository on the Hub (a pointer clone: weight
// files as Git LFS pointers), so `assay observe` reads a real repository
// without the git command.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "status.h"

namespace assay {

struct RepositoryFile {
  std::string name;  // at the top of the tree: no '/'
  std::string content;
};

struct RepositoryCommit {
  std::vector<RepositoryFile> files;  // the whole tree at this commit
  std::string message;
  std::string author_name, author_email;
  int64_t time = 0;  // Unix seconds, UTC: author and committer time
};

// Creates the repository in `folder` (which must not hold one) with branch
// main at the last of `commits`, each the child of the one before. kIo with
// libgit2's message when a step fails; kInvalidInput for a file name with '/'.
Status WriteRepository(const std::string& folder, const std::vector<RepositoryCommit>& commits);

}  // namespace assay
