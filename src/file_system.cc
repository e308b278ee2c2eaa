#include "file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace assay {
namespace {

Status ErrnoStatus(const std::string& path, int error) {
  std::string reason = std::strerror(error);
  // Our messages are lower-case ("no such file or directory"), as git's are.
  if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(reason[0])));
  return Status::IoError(path + ": " + reason);
}

FileInfo ToFileInfo(const struct stat& st) {
  FileInfo info;
  if (S_ISREG(st.st_mode)) {
    info.type = FileInfo::Type::kRegular;
  } else if (S_ISDIR(st.st_mode)) {
    info.type = FileInfo::Type::kDirectory;
  } else if (S_ISLNK(st.st_mode)) {
    info.type = FileInfo::Type::kSymlink;
  }
  info.size = static_cast<uint64_t>(st.st_size);
  info.device = static_cast<uint64_t>(st.st_dev);
  info.inode = static_cast<uint64_t>(st.st_ino);
  info.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  info.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
  info.mode = st.st_mode & 07777;
  return info;
}

class LocalFile final : public RandomAccessFile {
 public:
  LocalFile(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  ~LocalFile() override { ::close(fd_); }
  LocalFile(const LocalFile&) = delete;
  LocalFile& operator=(const LocalFile&) = delete;

  Status ReadExactly(uint64_t offset, std::span<uint8_t> out) const override {
    size_t done = 0;
    while (done < out.size()) {
      ssize_t n = ::pread(fd_, out.data() + done, out.size() - done,
                          static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus(path_, errno);
      }
      if (n == 0) return Status::IoError(path_ + ": file changed while reading (shorter than expected)");
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }
  uint64_t size() const override { return size_; }
  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  int fd_;
  uint64_t size_;
};

// Writes all of `bytes` to `fd`; 0, or -1 with errno set.
int WriteAll(int fd, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    done += static_cast<size_t>(n);
  }
  return 0;
}

Status FsyncPath(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, errno);
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  return rc == 0 ? Status::Ok() : ErrnoStatus(path, error);
}

// Writes what `write` gives to a new temporary file beside `path` and fsyncs
// it; returns the temporary's path.
Result<std::string> WriteTemporaryBeside(const std::string& path, const ContentWriter& write, uint32_t mode) {
  std::filesystem::path target(path);
  std::string folder = target.parent_path().empty() ? "." : target.parent_path().string();
  std::string temp = folder + "/." + target.filename().string() + ".tmp-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return ErrnoStatus(path, errno);
  auto fail = [&](int error) {
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    return ErrnoStatus(path, error);
  };
  if (::fchmod(fd, mode) != 0) return fail(errno);
  Status written = write([&](std::string_view bytes) {
    return WriteAll(fd, bytes) == 0 ? Status::Ok() : ErrnoStatus(path, errno);
  });
  if (!written.ok()) {
    ::close(fd);
    ::unlink(temp.c_str());
    return written;
  }
  if (::fsync(fd) != 0) return fail(errno);
  int closed = ::close(fd);
  fd = -1;
  if (closed != 0) return fail(errno);
  return temp;
}

Result<std::string> WriteTemporaryBeside(const std::string& path, std::string_view bytes, uint32_t mode) {
  return WriteTemporaryBeside(path, [bytes](const ByteSink& sink) { return sink(bytes); }, mode);
}

// Puts a synced temporary at `path`: renamed over it (replace) or linked to
// it, which fails if `path` exists; then fsyncs the folder. The temporary is
// gone afterwards, whatever happened.
Status PutInPlace(const std::string& temp, const std::string& path, bool replace) {
  std::filesystem::path target(path);
  std::string folder = target.parent_path().empty() ? "." : target.parent_path().string();
  if (replace) {
    if (::rename(temp.c_str(), path.c_str()) != 0) {
      int error = errno;
      ::unlink(temp.c_str());
      return ErrnoStatus(path, error);
    }
  } else {
    if (::link(temp.c_str(), path.c_str()) != 0) {
      int error = errno;
      ::unlink(temp.c_str());
      if (error == EEXIST) return Status::InvalidInput(path + ": already exists");
      return ErrnoStatus(path, error);
    }
    ::unlink(temp.c_str());
  }
  return FsyncPath(folder, O_RDONLY | O_DIRECTORY);
}

Status WriteThroughTemporary(const std::string& path, std::string_view bytes, uint32_t mode,
                             bool replace) {
  ASSAY_ASSIGN_OR_RETURN(std::string temp, WriteTemporaryBeside(path, bytes, mode));
  return PutInPlace(temp, path, replace);
}

class LocalFileSystem final : public FileSystem {
 public:
  Result<std::unique_ptr<RandomAccessFile>> OpenForRead(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(path, errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int error = errno;
      ::close(fd);
      return ErrnoStatus(path, error);
    }
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return Status::IoError(path + ": is a directory");
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return std::unique_ptr<RandomAccessFile>(
        new LocalFile(path, fd, static_cast<uint64_t>(st.st_size)));
  }

  Result<FileInfo> LinkStatus(const std::string& path) override {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) return ErrnoStatus(path, errno);
    return ToFileInfo(st);
  }

  Result<FileInfo> FollowStatus(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(path, errno);
    return ToFileInfo(st);
  }

  Result<std::vector<std::string>> ListDirectory(const std::string& path) override {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return ErrnoStatus(path, errno);
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent* entry = ::readdir(dir)) {
      std::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    int error = errno;
    ::closedir(dir);
    if (error != 0) return ErrnoStatus(path, error);
    return names;
  }

  Result<std::string> ReadSymlink(const std::string& path) override {
    std::string target(PATH_MAX, '\0');
    ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
    if (n < 0) return ErrnoStatus(path, errno);
    target.resize(static_cast<size_t>(n));
    return target;
  }

  Result<std::string> CanonicalPath(const std::string& path) override {
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (resolved == nullptr) return ErrnoStatus(path, errno);
    std::string result(resolved);
    ::free(resolved);
    return result;
  }

  assay::Status WriteFileAtomically(const std::string& path, std::string_view bytes,
                                    uint32_t mode) override {
    return WriteThroughTemporary(path, bytes, mode, /*replace=*/true);
  }

  assay::Status WriteNewFileAtomically(const std::string& path, std::string_view bytes,
                                       uint32_t mode) override {
    return WriteThroughTemporary(path, bytes, mode, /*replace=*/false);
  }

  assay::Status CreateDirectories(const std::string& path) override {
    std::error_code error;
    std::filesystem::create_directories(path, error);
    if (error) return Status::IoError(path + ": " + error.message());
    return Status::Ok();
  }

  assay::Status CreateDirectory(const std::string& path, uint32_t mode) override {
    if (::mkdir(path.c_str(), static_cast<mode_t>(mode)) != 0) return ErrnoStatus(path, errno);
    // mkdir(2) applies the umask; the mode asked for is the mode given.
    if (::chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) return ErrnoStatus(path, errno);
    return Status::Ok();
  }

  assay::Status RemoveFile(const std::string& path) override {
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::IoError(path + ": is a directory");
    if (::unlink(path.c_str()) != 0) return ErrnoStatus(path, errno);
    return Status::Ok();
  }
};

}  // namespace

Result<StagedFile> StagedFile::Stage(const std::string& path, std::string_view bytes, uint32_t mode, bool replace) {
  if (!replace && ::access(path.c_str(), F_OK) == 0) return Status::InvalidInput(path + ": already exists");
  ASSAY_ASSIGN_OR_RETURN(std::string temp, WriteTemporaryBeside(path, bytes, mode));
  return StagedFile(path, std::move(temp), replace);
}

Result<StagedFile> StagedFile::StageWritten(const std::string& path, const ContentWriter& write, uint32_t mode,
                                            bool replace) {
  if (!replace && ::access(path.c_str(), F_OK) == 0) return Status::InvalidInput(path + ": already exists");
  ASSAY_ASSIGN_OR_RETURN(std::string temp, WriteTemporaryBeside(path, write, mode));
  return StagedFile(path, std::move(temp), replace);
}

StagedFile::StagedFile(StagedFile&& other) noexcept
    : path_(std::move(other.path_)), temp_(std::exchange(other.temp_, std::string())), replace_(other.replace_) {}

StagedFile::~StagedFile() {
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

Status StagedFile::Publish() {
  if (temp_.empty()) return Status::IoError(path_ + ": already published");
  return PutInPlace(std::exchange(temp_, std::string()), path_, replace_);
}

Result<ScratchFile> ScratchFile::OnDisk(const std::string& folder) {
  ScratchFile scratch;
  scratch.folder_ = folder.empty() ? "." : folder;
  scratch.fd_ = ::open(scratch.folder_.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (scratch.fd_ < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    // A file system without O_TMPFILE: a named file, unlinked at once.
    std::string temp = scratch.folder_ + "/.assay-scratch-XXXXXX";
    scratch.fd_ = ::mkostemp(temp.data(), O_CLOEXEC);
    if (scratch.fd_ >= 0) ::unlink(temp.c_str());
  }
  if (scratch.fd_ < 0) return ErrnoStatus(scratch.folder_ + ": scratch file", errno);
  return scratch;
}

ScratchFile::ScratchFile(ScratchFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      folder_(std::move(other.folder_)),
      on_disk_(std::exchange(other.on_disk_, 0)),
      pending_(std::move(other.pending_)) {}

ScratchFile& ScratchFile::operator=(ScratchFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    folder_ = std::move(other.folder_);
    on_disk_ = std::exchange(other.on_disk_, 0);
    pending_ = std::move(other.pending_);
  }
  return *this;
}

ScratchFile::~ScratchFile() {
  if (fd_ >= 0) ::close(fd_);
}

Status ScratchFile::Flush() {
  if (WriteAll(fd_, pending_) != 0) return ErrnoStatus(folder_ + ": scratch file", errno);
  on_disk_ += pending_.size();
  pending_.clear();
  return Status::Ok();
}

Status ScratchFile::Append(std::string_view bytes) {
  constexpr size_t kFlushBytes = 4 << 20;
  pending_.append(bytes);
  return fd_ >= 0 && pending_.size() >= kFlushBytes ? Flush() : Status::Ok();
}

Status ScratchFile::Read(uint64_t offset, size_t length, std::string& out) const {
  if (offset > size() || length > size() - offset) return Status::IoError(folder_ + ": scratch file: read past its end");
  out.resize(length);
  size_t done = 0;
  while (offset + done < on_disk_ && done < length) {  // the part already on the disk
    const size_t want = static_cast<size_t>(std::min<uint64_t>(length - done, on_disk_ - (offset + done)));
    ssize_t n = ::pread(fd_, out.data() + done, want, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? ErrnoStatus(folder_ + ": scratch file", errno) : Status::IoError(folder_ + ": scratch file: shorter than written");
    done += static_cast<size_t>(n);
  }
  if (done < length) pending_.copy(out.data() + done, length - done, static_cast<size_t>(offset + done - on_disk_));
  return Status::Ok();
}

FileSystem& LocalFileSystem() {
  static class LocalFileSystem local;
  return local;
}

Result<std::string> ReadWholeFile(FileSystem& fs, const std::string& path, uint64_t max_bytes) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  if (file->size() > max_bytes) {
    return Status::InvalidInput(path + ": file is " + std::to_string(file->size()) +
                                " bytes, more than the limit of " + std::to_string(max_bytes));
  }
  std::string bytes(file->size(), '\0');
  ASSAY_RETURN_IF_ERROR(file->ReadExactly(
      0, std::span<uint8_t>(reinterpret_cast<uint8_t*>(bytes.data()), bytes.size())));
  return bytes;
}

}  // namespace assay
