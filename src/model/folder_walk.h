// Lists the files of a model folder (DESIGN.md, Model folders): every file,
// hidden ones too, as relative POSIX paths sorted bytewise; git metadata and
// tool caches skipped and reported; a symlink that leaves the folder refused,
// except in a Hugging Face cache snapshot, whose links into the repo's blobs/
// are followed and whose repo id and revision are recorded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "file_system.h"
#include "status.h"

namespace assay {

struct ModelFileRef {
  std::string relative_path;  // "shards/model-00001-of-00002.safetensors"
  std::string read_path;      // what to open: the file, or the blob a cache link points to
  FileInfo info;              // of read_path (symlinks followed)
  bool hidden = false;        // a component of relative_path starts with '.'
  // In a Hugging Face cache snapshot: the name of the blob the link points to.
  // LFS blobs are named by their SHA-256 (64 hex digits), which the manifest checks.
  std::optional<std::string> hub_blob_name;
};

struct SkippedEntry {
  std::string relative_path;
  std::string reason;
};

// A Hugging Face cache snapshot: models--ORG--NAME/snapshots/REVISION.
struct HubSource {
  std::string repo_id;   // "ORG/NAME"
  std::string revision;  // the snapshot folder's name: the commit hash
};

struct FolderListing {
  std::string root;  // canonical absolute path of the folder
  std::vector<ModelFileRef> files;
  std::vector<SkippedEntry> skipped;
  std::optional<HubSource> hub_source;
};

// Errors: kIo when the folder or an entry cannot be read; kInvalidInput for a
// symlink leaving the folder (or the cache repo), a symlink to a folder, or a
// special file (fifo, socket, device), each naming the relative path.
Result<FolderListing> ListModelFolder(FileSystem& fs, const std::string& folder);

// The cache repo a snapshot folder belongs to, from its canonical path; nullopt
// when `canonical_folder` is not models--ORG--NAME/snapshots/REVISION.
std::optional<HubSource> HubSourceOfSnapshot(const std::string& canonical_folder);

}  // namespace assay
