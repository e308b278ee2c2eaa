// One in-memory FileSystem for every test (STYLE.md: disk access behind an
// interface with an in-memory fake), so a test needs neither a scratch folder
// nor a hand-rolled fake to make a disk fail.
//
// It holds folders, regular files and symlinks under "/"; a relative path is
// taken from "/". Paths resolve as the kernel resolves them: symlinks are
// followed (at most 40), ".." is physical, a missing entry is "no such file or
// directory", a file in the middle of a path is "not a directory". Every error
// is kIo "PATH: reason" in the words of strerror(3), lower-cased, as
// LocalFileSystem() says them; WriteNewFileAtomically's refusal is
// kInvalidInput "PATH: already exists", as there.
//
// Stat identity behaves as on a disk: every entry has its own inode; an atomic
// write puts a new inode at the path (an open file keeps reading the old
// bytes, as after rename(2)); OverwriteInPlace keeps the inode and changes the
// bytes under open files. mtime and ctime are the clock's time of the last
// change (a FixedClock that is not advanced gives equal stamps, the racy case
// a hash cache must handle). ListDirectory returns names in reverse name
// order, so code that forgets to sort them shows it.
//
// Faults. A `match` is a whole path, or its last components ("config.json"
// matches "/m/config.json", not "/m/myconfig.json"); "" matches every path.
//   FailOpens:     OpenForRead fails with "input/output error".
//   FailReadsPast: opening succeeds; a read of any byte at or past
//                  `readable_bytes` fails with "input/output error".
//   FailWrites:    atomic writes, CreateDirectories, CreateDirectory and
//                  RemoveFile fail with "no space left on device" (RemoveFile:
//                  "read-only file system"), changing nothing.
// PassThrough(root) serves `root` and everything under it from another
// FileSystem (the real disk by default), with the faults still applied: for
// tests whose fixtures are written by code that only writes to disk. A
// pass-through root is not listed in its in-memory parent.
//
// Thread safety: every member may be called from several threads at once;
// open files may be read from several threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "clock.h"
#include "file_system.h"

namespace assay::testing {

class MemoryFileSystem final : public FileSystem {
 public:
  // Stamps come from `clock` when given (it must outlive this); otherwise
  // from an internal clock that starts at 2024-01-01 and advances 1 ms per change.
  explicit MemoryFileSystem(Clock* clock = nullptr);
  ~MemoryFileSystem() override;
  MemoryFileSystem(const MemoryFileSystem&) = delete;
  MemoryFileSystem& operator=(const MemoryFileSystem&) = delete;

  // FileSystem.
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override;
  Result<FileInfo> LinkStatus(const std::string& path) override;
  Result<FileInfo> FollowStatus(const std::string& path) override;
  Result<std::vector<std::string>> ListDirectory(const std::string& path) override;
  Result<std::string> ReadSymlink(const std::string& path) override;
  Result<std::string> CanonicalPath(const std::string& path) override;
  Status WriteFileAtomically(const std::string& path, std::string_view bytes, uint32_t mode = 0644) override;
  Status WriteNewFileAtomically(const std::string& path, std::string_view bytes, uint32_t mode) override;
  Status CreateDirectories(const std::string& path) override;
  Status CreateDirectory(const std::string& path, uint32_t mode) override;
  Status RemoveFile(const std::string& path) override;

  // Set-up, creating missing parent folders; they abort the test binary on a
  // path that cannot be made (a bug in the test, not a case to handle). Each
  // returns `path`, for chaining into the call under test.
  // A file of `bytes`, or a sparse one of `size` bytes (>= bytes.size())
  // whose bytes past `bytes` read as zeros: a huge file that takes no memory.
  std::string AddFile(const std::string& path, std::string_view bytes, uint32_t mode = 0644);
  std::string AddSparseFile(const std::string& path, std::string_view bytes, uint64_t size);
  std::string AddDirectory(const std::string& path, uint32_t mode = 0755);
  std::string AddSymlink(const std::string& path, const std::string& target);
  // Replaces a regular file's bytes keeping its inode (as `>` in a shell):
  // open files see the new bytes, and a read past the new end fails.
  void OverwriteInPlace(const std::string& path, std::string_view bytes);
  // Removes a file, symlink or folder tree (aborts when absent).
  void Remove(const std::string& path);

  // The bytes of the regular file at `path` (symlinks followed), or nullopt.
  std::optional<std::string> Contents(const std::string& path);

  // Faults (see the header comment). They apply from the next call on.
  void FailOpens(std::string match);
  void FailReadsPast(std::string match, uint64_t readable_bytes);
  void FailWrites(std::string match);
  void ClearFaults();
  void PassThrough(std::string root, FileSystem& real = LocalFileSystem());

  // Bytes read so far from files opened at `path` (as opened, unresolved),
  // and the furthest offset any read reached: how far a parser looked.
  struct ReadStats {
    uint64_t bytes_read = 0;
    uint64_t read_to = 0;
  };
  ReadStats StatsOf(const std::string& path);

 private:
  struct Node;  // an inode: folder, file or symlink
  struct Fault {
    enum class Kind { kOpen, kRead, kWrite } kind;
    std::string match;
    uint64_t readable_bytes = 0;
  };
  struct Resolved;

  // The private members expect mutex_ held.
  int64_t Now();
  std::shared_ptr<Node> NewNode(FileInfo::Type type, uint32_t mode);
  const Fault* FindFault(Fault::Kind kind, const std::string& path) const;
  FileSystem* PassThroughFor(const std::string& path) const;
  Result<Resolved> Resolve(const std::string& path, bool follow_last, bool allow_missing_last) const;
  Status MakeDirectories(const std::string& path, uint32_t mode);
  std::shared_ptr<Node> NewFile(std::string_view bytes, uint64_t size, uint32_t mode);
  Status Put(const std::string& path, std::shared_ptr<Node> node, bool replace);
  Status WriteAtomically(const std::string& path, std::string_view bytes, uint32_t mode, bool replace);
  // Takes mutex_ itself: makes the parents, then puts make()'s node at `path`.
  std::string MustPut(const std::string& path, const std::function<std::shared_ptr<Node>()>& make);
  static FileInfo InfoOf(const Node& node);

  Clock* clock_;
  int64_t internal_now_ns_;
  uint64_t next_inode_ = 2;
  std::shared_ptr<Node> root_;
  std::vector<Fault> faults_;
  std::vector<std::pair<std::string, FileSystem*>> pass_through_;
  struct StatsTable;  // shared with open files, which may outlive this
  std::shared_ptr<StatsTable> stats_;
  mutable std::mutex mutex_;
};

}  // namespace assay::testing
