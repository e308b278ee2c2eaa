// A strict reader of Git LFS pointer files (git-lfs docs/spec.md, "The
// Pointer", and docs/extensions.md; the rules assay applies are in
// docs/spec/lfs-pointer.md). A clone made with GIT_LFS_SKIP_SMUDGE=1 holds
// such a pointer in place of each large file: the SHA-256 and size of the
// content, which is all an audit of a re-upload needs.
//
// The parser treats the text as hostile: under kMaxLfsPointerBytes, ASCII,
// LF line ends, keys in ascending order with `version` first, a known version
// URL, `oid sha256:<64 lowercase hex>`, a decimal `size`, and extension lines
// `ext-<digit>-<name> sha256:<hex>`; anything else is kInvalidInput saying
// which line is wrong. Like every parser over bytes it does not name the file:
// the caller adds the path with Status::WithContext.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "digest/sha256.h"
#include "status.h"

namespace assay {

// git-lfs never reads a larger blob as a pointer (its blobSizeCutoff); real
// pointers are about 130 bytes, a few more with extension lines.
inline constexpr uint64_t kMaxLfsPointerBytes = 1024;

// The version URLs of docs/spec.md: the current one, and the pre-release
// ("hawser") one that git-lfs still reads.
inline constexpr std::string_view kLfsSpecV1 = "https://git-lfs.github.com/spec/v1";
inline constexpr std::string_view kLfsSpecHawser = "https://hawser.github.com/spec/v1";

// An extension that transformed the content before it was stored
// (docs/extensions.md): `ext-<priority>-<name> sha256:<oid of its input>`.
struct LfsExtension {
  int priority = 0;  // 0-9, the order it ran in
  std::string name;
  Sha256Digest input_oid{};
};

struct LfsPointer {
  std::string version;  // one of the URLs above
  Sha256Digest oid{};   // SHA-256 of the stored object
  uint64_t size = 0;    // bytes of the stored object
  std::vector<LfsExtension> extensions;  // in priority order; usually none

  // The SHA-256 of the file as it is checked out: the oid, or, when
  // extensions transformed the content, the input of the first of them.
  const Sha256Digest& ContentDigest() const;
  // `size` is the checked-out file's size only when no extension ran.
  bool SizeIsContentSize() const { return extensions.empty(); }
};

// Whether `head` (the first bytes of a file, at least the first line if the
// file has one) claims to be a pointer: it starts with "version " and a
// git-lfs or hawser spec URL. A claim is then held to ParseLfsPointer, so a
// damaged pointer is reported rather than mistaken for the content. Reading
// kLfsPointerProbeBytes is enough.
bool LooksLikeLfsPointer(std::string_view head);
inline constexpr size_t kLfsPointerProbeBytes = 64;

// Parses a whole pointer file. kInvalidInput, naming the line, for anything
// the rules above do not allow.
Result<LfsPointer> ParseLfsPointer(std::string_view text);

// The pointer as git-lfs writes it (`git lfs pointer --file=F`): the format
// tests and docs compare against.
std::string FormatLfsPointer(const LfsPointer& pointer);

}  // namespace assay
