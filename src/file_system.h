// The file-access seam. Everything in src/ that touches the disk goes through a
// FileSystem, so tests can swap in one that fails reads (root ignores
// permissions, so a real unreadable file cannot be made in a test).
//
// Errors: a missing or unreadable path is kIo and names the path; reading past
// the end of a file is kIo too ("file changed while reading"), because callers
// check offsets against size() before they read.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace assay {

struct FileInfo {
  enum class Type { kRegular, kDirectory, kSymlink, kOther };
  Type type = Type::kOther;
  uint64_t size = 0;
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  uint32_t mode = 0;  // permission bits
};

// An open file read at explicit offsets; safe to read from several threads at once.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Fills `out` with the bytes at [offset, offset + out.size()).
  virtual Status ReadExactly(uint64_t offset, std::span<uint8_t> out) const = 0;
  // The size when the file was opened.
  virtual uint64_t size() const = 0;
  virtual const std::string& path() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) = 0;
  // Does not follow a final symlink.
  virtual Result<FileInfo> LinkStatus(const std::string& path) = 0;
  // Follows symlinks.
  virtual Result<FileInfo> FollowStatus(const std::string& path) = 0;
  // Entry names without "." and "..", in no particular order.
  virtual Result<std::vector<std::string>> ListDirectory(const std::string& path) = 0;
  virtual Result<std::string> ReadSymlink(const std::string& path) = 0;
  // The canonical absolute path, every symlink resolved.
  virtual Result<std::string> CanonicalPath(const std::string& path) = 0;
  // Writes through a temporary file in the same folder, fsyncs it, renames it
  // over `path` and fsyncs the folder: readers see the old bytes or the new, never a part.
  virtual assay::Status WriteFileAtomically(const std::string& path, std::string_view bytes,
                                     uint32_t mode = 0644) = 0;
  // The same, but refuses (kInvalidInput, "... already exists") when `path`
  // exists, checked atomically by link(2): for key files, never overwritten silently.
  virtual assay::Status WriteNewFileAtomically(const std::string& path, std::string_view bytes,
                                        uint32_t mode) = 0;
  virtual assay::Status CreateDirectories(const std::string& path) = 0;
  // Makes one folder, whose parent must exist, with exactly `mode` (the umask
  // does not apply). kIo "PATH: file exists" when anything is there already.
  virtual assay::Status CreateDirectory(const std::string& path, uint32_t mode) = 0;
  // Removes a file or a symlink (never a folder). kIo naming the path when
  // there is none or it cannot be removed.
  virtual assay::Status RemoveFile(const std::string& path) = 0;
};

// The real disk.
FileSystem& LocalFileSystem();

// Where a writer puts bytes, in order, as it makes them; and a writer of a
// file's content in pieces, for content too large to hold as one string.
using ByteSink = std::function<Status(std::string_view)>;
using ContentWriter = std::function<Status(const ByteSink&)>;

// A whole file written on the real disk beside its final path and synced,
// but put in place only by Publish: for outputs that must appear only once
// the step before them (a ledger append) has succeeded, and never be lost
// after it. Unless published, the temporary is removed when this is destroyed.
class StagedFile {
 public:
  // `replace`: Publish renames over an existing file. Otherwise Stage refuses
  // a path that exists (kInvalidInput "... already exists") and Publish
  // refuses one that appeared since, atomically (link(2)), as
  // WriteNewFileAtomically does. Errors name `path`.
  static Result<StagedFile> Stage(const std::string& path, std::string_view bytes, uint32_t mode, bool replace);
  // The same, with the content from `write`, which is given the file's bytes in order.
  static Result<StagedFile> StageWritten(const std::string& path, const ContentWriter& write, uint32_t mode,
                                         bool replace);
  StagedFile(StagedFile&& other) noexcept;
  StagedFile& operator=(StagedFile&&) = delete;
  ~StagedFile();

  Status Publish();
  const std::string& path() const { return path_; }

 private:
  StagedFile(std::string path, std::string temp, bool replace)
      : path_(std::move(path)), temp_(std::move(temp)), replace_(replace) {}
  std::string path_;
  std::string temp_;  // empty once published
  bool replace_;
};

// Bytes kept for the length of one command and then gone: in memory, or,
// for data too large to hold (a million transcript leaves before they are
// written in leaf order), in an unnamed file on the real disk (O_TMPFILE:
// never visible to anyone, removed by the kernel when closed, even after a
// crash). Appends are buffered; reads may follow appends at any time.
class ScratchFile {
 public:
  ScratchFile() = default;  // in memory
  // In `folder`; kIo naming the folder when no file can be made there.
  static Result<ScratchFile> OnDisk(const std::string& folder);
  ScratchFile(ScratchFile&& other) noexcept;
  ScratchFile& operator=(ScratchFile&& other) noexcept;
  ~ScratchFile();

  // kIo ("FOLDER: scratch file: no space left on device") when the disk refuses.
  Status Append(std::string_view bytes);
  // The `length` bytes at `offset` into `out` (replacing what it held).
  Status Read(uint64_t offset, size_t length, std::string& out) const;
  uint64_t size() const { return on_disk_ + pending_.size(); }

 private:
  Status Flush();
  int fd_ = -1;
  std::string folder_;
  uint64_t on_disk_ = 0;  // bytes written to fd_; the rest are in pending_
  std::string pending_;
};

// Reads a whole file, refusing one larger than `max_bytes` (kInvalidInput).
Result<std::string> ReadWholeFile(FileSystem& fs, const std::string& path, uint64_t max_bytes);

}  // namespace assay
