// A Hugging Face style git checkout cloned without its LFS content
// (GIT_LFS_SKIP_SMUDGE=1): large files are pointer files holding the content's
// SHA-256 and size (src/formats/lfs_pointer.h), small files such as
// config.json are there for real. Read as a list of files with SHA-256 and
// size, it can be held against a model record's file table without
// downloading a byte of weights (DESIGN.md, INTEROP.md: Git LFS and Hugging
// Face). What it cannot give is tensors, and so a weights root: those need
// the bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "file_system.h"
#include "model/folder_walk.h"
#include "model/model_manifest.h"
#include "status.h"

namespace assay {

struct CheckoutFile {
  std::string path;  // relative, POSIX
  Sha256Digest sha256{};  // of the content: the pointer's (ContentDigest), or hashed
  // Bytes of the content; absent for a pointer whose LFS extensions
  // transformed the content, whose `size` is the stored object's.
  std::optional<uint64_t> size;
  bool pointer = false;  // a pointer file stood in for the content
  bool hidden = false;   // a component of the path starts with '.'
};

struct LfsCheckout {
  std::string folder;  // as the caller named it
  std::vector<CheckoutFile> files;   // sorted by path
  std::vector<SkippedEntry> skipped;  // .git and tool caches

  size_t PointerCount() const;
};

// Does the listed folder hold at least one file that claims to be an LFS
// pointer (LooksLikeLfsPointer)? Reads the first bytes of each file. A folder
// with any pointer is a pointer checkout: hashing it as a model would take a
// pointer's text for the content. kIo for read failures.
Result<bool> HoldsLfsPointers(FileSystem& fs, const FolderListing& listing);

// Reads every file of `folder` (the same walk as a model folder: .git skipped,
// symlinks kept inside): a pointer is parsed, any other file is hashed, so a
// checkout with some files smudged and some not reads as it is. kInvalidInput,
// naming the file, for a file that claims to be a pointer and is not a valid
// one; kIo for read failures.
Result<LfsCheckout> ReadLfsCheckout(FileSystem& fs, const std::string& folder);

// The checkout as a manifest without tensors (has_tensor_digests false, no
// weights roots, no tensor tables), so it can be diffed against any other side.
ModelManifest ManifestOfCheckout(const LfsCheckout& checkout);

// A file that changes what the model computes: a pointer, weights of any
// format (by name, opaque ones too), a shard index, or a config or tokenizer
// file (IsConfigFile). README.md, LICENSE or .gitattributes are not.
bool ChangesTheModel(const std::string& relative_path);

// How one file of the checkout compares with the record.
enum class LfsFileState {
  kSame,
  kChanged,      // the SHA-256 differs
  kSizeDiffers,  // same SHA-256, another size: a pointer that contradicts itself
  kAdded,        // in the checkout, not in the record
  kRemoved,      // in the record, not in the checkout
};
std::string_view LfsFileStateName(LfsFileState state);  // "same", "changed", "size differs", "added", "removed"

struct LfsFileCheck {
  std::string path;
  LfsFileState state = LfsFileState::kSame;
  bool pointer = false;         // the checkout holds a pointer for it
  bool changes_model = false;   // ChangesTheModel(path), or a pointer
  std::optional<Sha256Digest> record_sha256, checkout_sha256;
  std::optional<uint64_t> record_size, checkout_size;
};

struct LfsAudit {
  std::vector<LfsFileCheck> files;  // every file of either side, sorted by path

  size_t Count(LfsFileState state) const;
  // A file that changes the model is not the same: `assay verify lfs` exits 1.
  bool ModelChanged() const;
};

LfsAudit AuditLfsCheckout(const LfsCheckout& checkout, const ModelManifest& record);

}  // namespace assay
