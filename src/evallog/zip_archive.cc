#include "evallog/zip_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <unordered_set>
#include <vector>

#include "json/strict_json.h"

namespace assay {
namespace {

// libarchive's source callbacks over a RandomAccessFile.
struct Source {
  const RandomAccessFile* file = nullptr;
  uint64_t position = 0;
  std::vector<uint8_t> buffer = std::vector<uint8_t>(1 << 16);
  Status read_error;  // the file's own error, kept to report instead of libarchive's
};

la_ssize_t ReadCallback(struct archive* archive, void* data, const void** out) {
  auto* source = static_cast<Source*>(data);
  const uint64_t size = source->file->size();
  if (source->position >= size) return 0;
  const size_t count =
      static_cast<size_t>(std::min<uint64_t>(source->buffer.size(), size - source->position));
  Status status = source->file->ReadExactly(source->position, {source->buffer.data(), count});
  if (!status.ok()) {
    source->read_error = status;
    archive_set_error(archive, EIO, "read failed");
    return -1;
  }
  source->position += count;
  *out = source->buffer.data();
  return static_cast<la_ssize_t>(count);
}

la_int64_t SeekCallback(struct archive* /*archive*/, void* data, la_int64_t offset, int whence) {
  auto* source = static_cast<Source*>(data);
  const auto size = static_cast<la_int64_t>(source->file->size());
  la_int64_t base = whence == SEEK_SET   ? 0
                    : whence == SEEK_CUR ? static_cast<la_int64_t>(source->position)
                                         : size;
  la_int64_t target = 0;
  if (__builtin_add_overflow(base, offset, &target) || target < 0 || target > size) {
    return ARCHIVE_FATAL;
  }
  source->position = static_cast<uint64_t>(target);
  return target;
}

la_int64_t SkipCallback(struct archive* /*archive*/, void* data, la_int64_t request) {
  auto* source = static_cast<Source*>(data);
  if (request <= 0) return 0;
  const uint64_t skipped =
      std::min<uint64_t>(static_cast<uint64_t>(request), source->file->size() - source->position);
  source->position += skipped;
  return static_cast<la_int64_t>(skipped);
}

// Archive names as a loader would join them to a folder must stay inside it.
bool IsSafeMemberName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos) {
    return false;
  }
  size_t begin = 0;
  while (begin <= name.size()) {
    size_t end = std::min(name.find('/', begin), name.size());
    std::string_view component = name.substr(begin, end - begin);
    if (component == ".." || component == ".") return false;
    begin = end + 1;
  }
  return true;
}

struct ArchiveCloser {
  void operator()(struct archive* archive) const { archive_read_free(archive); }
};

}  // namespace

Status ForEachZipMember(const RandomAccessFile& file, const ZipLimits& limits,
                        const std::function<bool(std::string_view)>& wanted,
                        const std::function<Status(const std::string&, std::string)>& visit) {
  auto invalid = [&file](const std::string& problem) {
    return Status::InvalidInput(file.path() + ": " + problem);
  };
  std::unique_ptr<struct archive, ArchiveCloser> archive(archive_read_new());
  if (archive == nullptr) return Status::IoError(file.path() + ": out of memory opening the zip");
  Source source;
  source.file = &file;
  // The error of the file when a read failed, else libarchive's message.
  auto archive_error = [&](const char* doing) {
    if (!source.read_error.ok()) return source.read_error;
    // libarchive's messages may end in a newline; ours are one line.
    std::string message = archive_error_string(archive.get()) != nullptr
                              ? archive_error_string(archive.get())
                              : "unknown zip error";
    std::replace_if(
        message.begin(), message.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
    while (!message.empty() && message.back() == ' ') message.pop_back();
    return invalid(std::string(doing) + ": " + message);
  };
  archive_read_support_format_zip_seekable(archive.get());
  archive_read_set_callback_data(archive.get(), &source);
  archive_read_set_read_callback(archive.get(), ReadCallback);
  archive_read_set_seek_callback(archive.get(), SeekCallback);
  archive_read_set_skip_callback(archive.get(), SkipCallback);
  if (archive_read_open1(archive.get()) != ARCHIVE_OK) return archive_error("not a readable zip");

  std::unordered_set<std::string> names;
  uint64_t members = 0;
  uint64_t total_bytes = 0;
  std::vector<char> block(1 << 16);
  struct archive_entry* entry = nullptr;
  while (true) {
    int status = archive_read_next_header(archive.get(), &entry);
    if (status == ARCHIVE_EOF) break;
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) return archive_error("reading the zip");
    if (++members > limits.max_members) {
      return invalid("more than " + std::to_string(limits.max_members) + " zip members");
    }
    const char* raw_name = archive_entry_pathname(entry);
    if (raw_name == nullptr) return invalid("a zip member has no readable name");
    std::string name = raw_name;
    if (!IsSafeMemberName(name)) {
      return invalid("zip member name " + QuoteUntrusted(name) + " is not a safe relative path");
    }
    if (!names.insert(name).second) {
      return invalid("zip member " + QuoteUntrusted(name) + " appears twice");
    }
    if (archive_entry_filetype(entry) != AE_IFREG || !wanted(name)) continue;

    auto too_large = [&] {
      return invalid("zip member " + QuoteUntrusted(name) + " is larger than " +
                     std::to_string(limits.max_member_bytes) + " bytes");
    };
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0 &&
        static_cast<uint64_t>(archive_entry_size(entry)) > limits.max_member_bytes) {
      return too_large();
    }
    std::string bytes;
    while (true) {
      la_ssize_t count = archive_read_data(archive.get(), block.data(), block.size());
      if (count < 0) return archive_error(("reading zip member " + QuoteUntrusted(name)).c_str());
      if (count == 0) break;
      const auto added = static_cast<uint64_t>(count);
      if (bytes.size() + added > limits.max_member_bytes) return too_large();
      total_bytes += added;
      if (total_bytes > limits.max_total_bytes) {
        return invalid("zip members hold more than " + std::to_string(limits.max_total_bytes) +
                       " bytes uncompressed");
      }
      bytes.append(block.data(), static_cast<size_t>(count));
    }
    ASSAY_RETURN_IF_ERROR(visit(name, std::move(bytes)));
  }
  return Status::Ok();
}

}  // namespace assay
