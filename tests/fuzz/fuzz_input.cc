#include "fuzz_input.h"

#include <cstdlib>

namespace assay::fuzz {

std::unique_ptr<testing::MemoryFileSystem> FileSystemWith(const std::string& path, std::string_view input) {
  auto fs = std::make_unique<testing::MemoryFileSystem>();
  const size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    if (!fs->CreateDirectories(path.substr(0, slash)).ok()) std::abort();
  }
  fs->AddFile(path, input);
  return fs;
}

namespace {

// An open file that owns its file system, so the bytes live as long as it.
class HeldFile final : public RandomAccessFile {
 public:
  HeldFile(std::unique_ptr<testing::MemoryFileSystem> fs, std::unique_ptr<RandomAccessFile> file)
      : fs_(std::move(fs)), file_(std::move(file)) {}
  Status ReadExactly(uint64_t offset, std::span<uint8_t> out) const override { return file_->ReadExactly(offset, out); }
  uint64_t size() const override { return file_->size(); }
  const std::string& path() const override { return file_->path(); }

 private:
  std::unique_ptr<testing::MemoryFileSystem> fs_;
  std::unique_ptr<RandomAccessFile> file_;
};

}  // namespace

std::unique_ptr<RandomAccessFile> FileOf(const std::string& path, std::string_view input) {
  std::unique_ptr<testing::MemoryFileSystem> fs = FileSystemWith(path, input);
  Result<std::unique_ptr<RandomAccessFile>> file = fs->OpenForRead(path);
  if (!file.ok()) std::abort();
  return std::make_unique<HeldFile>(std::move(fs), std::move(*file));
}

std::vector<std::string_view> Pieces(std::string_view input, size_t parts) {
  constexpr std::string_view kCut = "\n----8<----\n";
  std::vector<std::string_view> pieces;
  while (pieces.size() + 1 < parts) {
    const size_t cut = input.find(kCut);
    if (cut == std::string_view::npos) break;
    pieces.push_back(input.substr(0, cut));
    input.remove_prefix(cut + kCut.size());
  }
  pieces.push_back(input);
  return pieces;
}

}  // namespace assay::fuzz
