#include "memory_file_system.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>

namespace assay::testing {
namespace {

constexpr int kMaxSymlinks = 40;                                  // Linux's MAXSYMLINKS
constexpr int64_t kInternalEpochNs = int64_t{1'704'067'200} * 1'000'000'000;  // 2024-01-01
constexpr uint64_t kDevice = 0x6d656d;                             // "mem"

Status Errno(const std::string& path, const char* reason) { return Status::IoError(path + ": " + reason); }

[[noreturn]] void Die(const std::string& what, const Status& status) {
  std::fprintf(stderr, "MemoryFileSystem: %s: %s\n", what.c_str(), status.message().c_str());
  std::abort();
}

// A path's components, empty ones dropped: "/a//b/" and "a/b" both give {a, b}.
std::deque<std::string> Components(std::string_view path) {
  std::deque<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

bool Matches(const std::string& path, const std::string& match) {
  if (match.empty() || path == match) return true;
  if (path.size() <= match.size() || !path.ends_with(match)) return false;
  return match.front() == '/' || path[path.size() - match.size() - 1] == '/';
}

// A regular file's bytes, shared by the inode and the files opened on it.
struct Content {
  std::mutex mutex;
  std::string bytes;  // the first bytes; the rest, up to size, read as zeros
  uint64_t size = 0;
};

}  // namespace

struct MemoryFileSystem::Node {
  FileInfo::Type type = FileInfo::Type::kOther;
  uint64_t inode = 0;
  uint32_t mode = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  std::shared_ptr<Content> content;                        // regular files
  std::string target;                                      // symlinks
  std::map<std::string, std::shared_ptr<Node>> children;  // folders
};

struct MemoryFileSystem::Resolved {
  std::shared_ptr<Node> parent;  // null for "/"
  std::string name;              // the last component ("" for "/")
  std::shared_ptr<Node> node;    // null when the last component is missing
  std::string canonical;         // absolute, every symlink before `name` resolved
};

struct MemoryFileSystem::StatsTable {
  std::mutex mutex;
  std::map<std::string, ReadStats> by_path;
};

namespace {

// Reads fail at or past `readable` (when set), and every read is reported to
// `record`; wraps a memory file and a pass-through one alike.
class InstrumentedFile final : public RandomAccessFile {
 public:
  using Recorder = std::function<void(uint64_t offset, uint64_t size)>;
  InstrumentedFile(std::unique_ptr<RandomAccessFile> inner, std::optional<uint64_t> readable, Recorder record)
      : inner_(std::move(inner)), readable_(readable), record_(std::move(record)) {}

  Status ReadExactly(uint64_t offset, std::span<uint8_t> out) const override {
    if (readable_ && !out.empty() && offset + out.size() > *readable_) {
      return Status::IoError(path() + ": input/output error");
    }
    ASSAY_RETURN_IF_ERROR(inner_->ReadExactly(offset, out));
    record_(offset, out.size());
    return Status::Ok();
  }
  uint64_t size() const override { return inner_->size(); }
  const std::string& path() const override { return inner_->path(); }

 private:
  std::unique_ptr<RandomAccessFile> inner_;
  std::optional<uint64_t> readable_;
  Recorder record_;
};

class MemoryFile final : public RandomAccessFile {
 public:
  MemoryFile(std::string path, std::shared_ptr<Content> content, uint64_t size)
      : path_(std::move(path)), content_(std::move(content)), size_(size) {}

  Status ReadExactly(uint64_t offset, std::span<uint8_t> out) const override {
    std::lock_guard<std::mutex> lock(content_->mutex);
    if (offset > content_->size || out.size() > content_->size - offset) {
      return Status::IoError(path_ + ": file changed while reading (shorter than expected)");
    }
    const std::string& bytes = content_->bytes;
    const uint64_t stored = offset < bytes.size() ? std::min<uint64_t>(out.size(), bytes.size() - offset) : 0;
    if (stored > 0) std::memcpy(out.data(), bytes.data() + offset, stored);
    std::fill(out.begin() + static_cast<std::ptrdiff_t>(stored), out.end(), uint8_t{0});
    return Status::Ok();
  }
  uint64_t size() const override { return size_; }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  std::shared_ptr<Content> content_;
  uint64_t size_;  // when opened
};

}  // namespace

MemoryFileSystem::MemoryFileSystem(Clock* clock)
    : clock_(clock), internal_now_ns_(kInternalEpochNs), stats_(std::make_shared<StatsTable>()) {
  root_ = NewNode(FileInfo::Type::kDirectory, 0755);
}

MemoryFileSystem::~MemoryFileSystem() = default;

int64_t MemoryFileSystem::Now() {
  if (clock_ != nullptr) return clock_->NowNanos();
  return internal_now_ns_ += 1'000'000;
}

std::shared_ptr<MemoryFileSystem::Node> MemoryFileSystem::NewNode(FileInfo::Type type, uint32_t mode) {
  auto node = std::make_shared<Node>();
  node->type = type;
  node->inode = next_inode_++;
  node->mode = mode & 07777;
  node->mtime_ns = node->ctime_ns = Now();
  return node;
}

const MemoryFileSystem::Fault* MemoryFileSystem::FindFault(Fault::Kind kind, const std::string& path) const {
  for (const Fault& fault : faults_) {
    if (fault.kind == kind && Matches(path, fault.match)) return &fault;
  }
  return nullptr;
}

FileSystem* MemoryFileSystem::PassThroughFor(const std::string& path) const {
  for (const auto& [root, real] : pass_through_) {
    if (root == "/" ? path.starts_with('/') : path == root || path.starts_with(root + "/")) return real;
  }
  return nullptr;
}

Result<MemoryFileSystem::Resolved> MemoryFileSystem::Resolve(const std::string& path, bool follow_last,
                                                             bool allow_missing_last) const {
  std::deque<std::string> pending = Components(path);
  std::vector<std::shared_ptr<Node>> folders = {root_};  // from "/" to the current folder
  std::vector<std::string> names;
  auto canonical = [&names](const std::string& last) {
    std::string text;
    for (const std::string& name : names) text += "/" + name;
    if (!last.empty()) text += "/" + last;
    return text.empty() ? std::string("/") : text;
  };
  int links = 0;
  while (!pending.empty()) {
    const std::string name = std::move(pending.front());
    pending.pop_front();
    if (name == ".") continue;
    if (name == "..") {
      if (folders.size() > 1) {
        folders.pop_back();
        names.pop_back();
      }
      continue;
    }
    const std::shared_ptr<Node> folder = folders.back();
    if (folder->type != FileInfo::Type::kDirectory) return Errno(path, "not a directory");
    const bool last = pending.empty();
    auto found = folder->children.find(name);
    if (found == folder->children.end()) {
      if (last && allow_missing_last) return Resolved{folder, name, nullptr, canonical(name)};
      return Errno(path, "no such file or directory");
    }
    std::shared_ptr<Node> node = found->second;
    if (node->type == FileInfo::Type::kSymlink && (!last || follow_last)) {
      if (++links > kMaxSymlinks) return Errno(path, "too many levels of symbolic links");
      std::deque<std::string> target = Components(node->target);
      pending.insert(pending.begin(), target.begin(), target.end());
      if (node->target.starts_with('/')) {
        folders.resize(1);
        names.clear();
      }
      continue;
    }
    if (last) return Resolved{folder, name, std::move(node), canonical(name)};
    folders.push_back(std::move(node));
    names.push_back(name);
  }
  // The path named a folder already walked into ("/", "a/..", "a/.").
  std::shared_ptr<Node> node = folders.back();
  std::string name = names.empty() ? std::string() : names.back();
  std::string text = canonical("");
  folders.pop_back();
  return Resolved{folders.empty() ? nullptr : folders.back(), name, std::move(node), text};
}

Status MemoryFileSystem::MakeDirectories(const std::string& path, uint32_t mode) {
  std::string prefix = path.starts_with('/') ? "" : ".";
  for (const std::string& name : Components(path)) {
    prefix += "/" + name;
    ASSAY_ASSIGN_OR_RETURN(Resolved at, Resolve(prefix, /*follow_last=*/true, /*allow_missing_last=*/true));
    if (at.node == nullptr) {
      at.parent->children[at.name] = NewNode(FileInfo::Type::kDirectory, mode);
      at.parent->mtime_ns = at.parent->ctime_ns = Now();
    } else if (at.node->type != FileInfo::Type::kDirectory) {
      return Errno(path, "not a directory");  // std::filesystem's word, even for the last component
    }
  }
  return Status::Ok();
}

std::shared_ptr<MemoryFileSystem::Node> MemoryFileSystem::NewFile(std::string_view bytes, uint64_t size,
                                                                  uint32_t mode) {
  std::shared_ptr<Node> node = NewNode(FileInfo::Type::kRegular, mode);
  node->content = std::make_shared<Content>();
  node->content->bytes = std::string(bytes);
  node->content->size = size;
  return node;
}

Status MemoryFileSystem::Put(const std::string& path, std::shared_ptr<Node> node, bool replace) {
  ASSAY_ASSIGN_OR_RETURN(Resolved at, Resolve(path, /*follow_last=*/false, /*allow_missing_last=*/true));
  if (at.parent == nullptr) return Errno(path, "is a directory");
  if (at.node != nullptr) {
    if (!replace) return Status::InvalidInput(path + ": already exists");
    if (at.node->type == FileInfo::Type::kDirectory) return Errno(path, "is a directory");
  }
  at.parent->children[at.name] = std::move(node);
  at.parent->mtime_ns = at.parent->ctime_ns = Now();
  return Status::Ok();
}

std::string MemoryFileSystem::MustPut(const std::string& path, const std::function<std::shared_ptr<Node>()>& make) {
  std::lock_guard<std::mutex> lock(mutex_);
  const size_t slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    if (Status made = MakeDirectories(path.substr(0, slash), 0755); !made.ok()) Die("adding " + path, made);
  }
  if (Status put = Put(path, make(), /*replace=*/true); !put.ok()) Die("adding " + path, put);
  return path;
}

Result<std::unique_ptr<RandomAccessFile>> MemoryFileSystem::OpenForRead(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FindFault(Fault::Kind::kOpen, path) != nullptr) return Errno(path, "input/output error");
  std::optional<uint64_t> readable;
  if (const Fault* fault = FindFault(Fault::Kind::kRead, path)) readable = fault->readable_bytes;
  std::unique_ptr<RandomAccessFile> file;
  if (FileSystem* real = PassThroughFor(path)) {
    ASSAY_ASSIGN_OR_RETURN(file, real->OpenForRead(path));
  } else {
    ASSAY_ASSIGN_OR_RETURN(Resolved at, Resolve(path, /*follow_last=*/true, /*allow_missing_last=*/false));
    if (at.node->type == FileInfo::Type::kDirectory) return Errno(path, "is a directory");
    std::lock_guard<std::mutex> content_lock(at.node->content->mutex);
    file = std::make_unique<MemoryFile>(path, at.node->content, at.node->content->size);
  }
  auto record = [stats = stats_, path](uint64_t offset, uint64_t size) {
    std::lock_guard<std::mutex> stats_lock(stats->mutex);
    ReadStats& entry = stats->by_path[path];
    entry.bytes_read += size;
    entry.read_to = std::max(entry.read_to, offset + size);
  };
  return std::unique_ptr<RandomAccessFile>(new InstrumentedFile(std::move(file), readable, std::move(record)));
}

FileInfo MemoryFileSystem::InfoOf(const Node& node) {
  FileInfo info;
  info.type = node.type;
  info.device = kDevice;
  info.inode = node.inode;
  info.mtime_ns = node.mtime_ns;
  info.ctime_ns = node.ctime_ns;
  info.mode = node.mode;
  if (node.type == FileInfo::Type::kRegular) {
    std::lock_guard<std::mutex> lock(node.content->mutex);
    info.size = node.content->size;
  } else if (node.type == FileInfo::Type::kSymlink) {
    info.size = node.target.size();
  } else {
    info.size = 4096;
  }
  return info;
}

Result<FileInfo> MemoryFileSystem::LinkStatus(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FileSystem* real = PassThroughFor(path)) return real->LinkStatus(path);
  ASSAY_ASSIGN_OR_RETURN(Resolved at, Resolve(path, /*follow_last=*/false, /*allow_missing_last=*/false));
  return InfoOf(*at.node);
}

Result<FileInfo> MemoryFileSystem::FollowStatus(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FileSystem* real = PassThroughFor(path)) return real->FollowStatus(path);
  ASSAY_ASSIGN_OR_RETURN(Resolved at, Resolve(path, /*follow_last=*/true, /*allow_missing_last=*/false));
  return InfoOf(*at.node);
}

Result<std::vector<std::string>> MemoryFileSystem::ListDirectory(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FileSystem* real = PassThroughFor(path)) return real->ListDirectory(path);
  ASSAY_ASSIGN_OR_RETURN(Resolved at, Resolve(path, /*follow_last=*/true, /*allow_missing_last=*/false));
  if (at.node->type != FileInfo::Type::kDirectory) return Errno(path, "not a directory");
  std::vector<std::string> names;
  for (auto it = at.node->children.rbegin(); it != at.node->children.rend(); ++it) names.push_back(it->first);
  return names;
}

Result<std::string> MemoryFileSystem::ReadSymlink(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FileSystem* real = PassThroughFor(path)) return real->ReadSymlink(path);
  ASSAY_ASSIGN_OR_RETURN(Resolved at, Resolve(path, /*follow_last=*/false, /*allow_missing_last=*/false));
  if (at.node->type != FileInfo::Type::kSymlink) return Errno(path, "invalid argument");
  return at.node->target;
}

Result<std::string> MemoryFileSystem::CanonicalPath(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FileSystem* real = PassThroughFor(path)) return real->CanonicalPath(path);
  ASSAY_ASSIGN_OR_RETURN(Resolved at, Resolve(path, /*follow_last=*/true, /*allow_missing_last=*/false));
  return at.canonical;
}

Status MemoryFileSystem::WriteAtomically(const std::string& path, std::string_view bytes, uint32_t mode,
                                         bool replace) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FindFault(Fault::Kind::kWrite, path) != nullptr) return Errno(path, "no space left on device");
  if (FileSystem* real = PassThroughFor(path)) {
    return replace ? real->WriteFileAtomically(path, bytes, mode) : real->WriteNewFileAtomically(path, bytes, mode);
  }
  return Put(path, NewFile(bytes, bytes.size(), mode), replace);
}

Status MemoryFileSystem::WriteFileAtomically(const std::string& path, std::string_view bytes, uint32_t mode) {
  return WriteAtomically(path, bytes, mode, /*replace=*/true);
}

Status MemoryFileSystem::WriteNewFileAtomically(const std::string& path, std::string_view bytes, uint32_t mode) {
  return WriteAtomically(path, bytes, mode, /*replace=*/false);
}

Status MemoryFileSystem::CreateDirectories(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FindFault(Fault::Kind::kWrite, path) != nullptr) return Errno(path, "no space left on device");
  if (FileSystem* real = PassThroughFor(path)) return real->CreateDirectories(path);
  return MakeDirectories(path, 0755);
}

Status MemoryFileSystem::CreateDirectory(const std::string& path, uint32_t mode) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FindFault(Fault::Kind::kWrite, path) != nullptr) return Errno(path, "no space left on device");
  if (FileSystem* real = PassThroughFor(path)) return real->CreateDirectory(path, mode);
  ASSAY_ASSIGN_OR_RETURN(Resolved at, Resolve(path, /*follow_last=*/false, /*allow_missing_last=*/true));
  if (at.parent == nullptr || at.node != nullptr) return Errno(path, "file exists");
  at.parent->children[at.name] = NewNode(FileInfo::Type::kDirectory, mode);
  at.parent->mtime_ns = at.parent->ctime_ns = Now();
  return Status::Ok();
}

Status MemoryFileSystem::RemoveFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FindFault(Fault::Kind::kWrite, path) != nullptr) return Errno(path, "read-only file system");
  if (FileSystem* real = PassThroughFor(path)) return real->RemoveFile(path);
  ASSAY_ASSIGN_OR_RETURN(Resolved at, Resolve(path, /*follow_last=*/false, /*allow_missing_last=*/false));
  if (at.parent == nullptr || at.node->type == FileInfo::Type::kDirectory) return Errno(path, "is a directory");
  at.parent->children.erase(at.name);
  at.parent->mtime_ns = at.parent->ctime_ns = Now();
  return Status::Ok();
}

std::string MemoryFileSystem::AddFile(const std::string& path, std::string_view bytes, uint32_t mode) {
  return MustPut(path, [&] { return NewFile(bytes, bytes.size(), mode); });
}

std::string MemoryFileSystem::AddSparseFile(const std::string& path, std::string_view bytes, uint64_t size) {
  if (size < bytes.size()) Die("adding " + path, Status::InvalidInput("a sparse file shorter than its bytes"));
  return MustPut(path, [&] { return NewFile(bytes, size, 0644); });
}

std::string MemoryFileSystem::AddDirectory(const std::string& path, uint32_t mode) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (Status made = MakeDirectories(path, mode); !made.ok()) Die("adding " + path, made);
  return path;
}

std::string MemoryFileSystem::AddSymlink(const std::string& path, const std::string& target) {
  return MustPut(path, [&] {
    std::shared_ptr<Node> node = NewNode(FileInfo::Type::kSymlink, 0777);
    node->target = target;
    return node;
  });
}

void MemoryFileSystem::OverwriteInPlace(const std::string& path, std::string_view bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result<Resolved> at = Resolve(path, /*follow_last=*/true, /*allow_missing_last=*/false);
  if (!at.ok()) Die("overwriting " + path, at.status());
  if (at->node->type != FileInfo::Type::kRegular) Die("overwriting " + path, Errno(path, "not a regular file"));
  {
    std::lock_guard<std::mutex> content_lock(at->node->content->mutex);
    at->node->content->bytes = std::string(bytes);
    at->node->content->size = bytes.size();
  }
  at->node->mtime_ns = at->node->ctime_ns = Now();
}

void MemoryFileSystem::Remove(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result<Resolved> at = Resolve(path, /*follow_last=*/false, /*allow_missing_last=*/false);
  if (!at.ok()) Die("removing " + path, at.status());
  if (at->parent == nullptr) Die("removing " + path, Errno(path, "device or resource busy"));
  at->parent->children.erase(at->name);
  at->parent->mtime_ns = at->parent->ctime_ns = Now();
}

std::optional<std::string> MemoryFileSystem::Contents(const std::string& path) {
  std::lock_guard<std::mutex> lock(mutex_);
  Result<Resolved> at = Resolve(path, /*follow_last=*/true, /*allow_missing_last=*/false);
  if (!at.ok() || at->node->type != FileInfo::Type::kRegular) return std::nullopt;
  std::lock_guard<std::mutex> content_lock(at->node->content->mutex);
  std::string bytes = at->node->content->bytes;
  bytes.resize(at->node->content->size, '\0');
  return bytes;
}

void MemoryFileSystem::FailOpens(std::string match) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back({Fault::Kind::kOpen, std::move(match), 0});
}

void MemoryFileSystem::FailReadsPast(std::string match, uint64_t readable_bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back({Fault::Kind::kRead, std::move(match), readable_bytes});
}

void MemoryFileSystem::FailWrites(std::string match) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back({Fault::Kind::kWrite, std::move(match), 0});
}

void MemoryFileSystem::ClearFaults() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
}

void MemoryFileSystem::PassThrough(std::string root, FileSystem& real) {
  std::lock_guard<std::mutex> lock(mutex_);
  while (root.size() > 1 && root.ends_with('/')) root.pop_back();
  pass_through_.emplace_back(std::move(root), &real);
}

MemoryFileSystem::ReadStats MemoryFileSystem::StatsOf(const std::string& path) {
  std::lock_guard<std::mutex> lock(stats_->mutex);
  auto found = stats_->by_path.find(path);
  return found == stats_->by_path.end() ? ReadStats() : found->second;
}

}  // namespace assay::testing
