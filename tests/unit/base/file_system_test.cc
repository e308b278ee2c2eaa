#include "file_system.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "test_support.h"

namespace assay {
namespace {

using ::testing::HasSubstr;

size_t EntriesIn(const std::filesystem::path& dir) {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

TEST(FileSystem, WriteFileAtomicallyReplacesAndLeavesNoTemporary) {
  testing::ScratchDir dir;
  std::string path = (dir.path() / "out.json").string();
  ASSERT_TRUE(LocalFileSystem().WriteFileAtomically(path, "one").ok());
  ASSERT_TRUE(LocalFileSystem().WriteFileAtomically(path, "two", 0600).ok());
  EXPECT_EQ(testing::ReadFileOrDie(path), "two");
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(EntriesIn(dir.path()), 1u);
}

TEST(FileSystem, WriteNewFileRefusesToOverwrite) {
  testing::ScratchDir dir;
  std::string path = dir.Write("key", "original");
  Status status = LocalFileSystem().WriteNewFileAtomically(path, "new", 0600);
  EXPECT_EQ(status.kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(status.message(), HasSubstr("key: already exists"));
  EXPECT_EQ(testing::ReadFileOrDie(path), "original");
  EXPECT_EQ(EntriesIn(dir.path()), 1u);
  ASSERT_TRUE(LocalFileSystem().WriteNewFileAtomically((dir.path() / "fresh").string(), "x", 0600).ok());
}

TEST(FileSystem, MissingFileIsAnIoErrorNamingIt) {
  Result<std::string> read = ReadWholeFile(LocalFileSystem(), "/nonexistent/file", 100);
  EXPECT_EQ(read.status().kind(), ErrorKind::kIo);
  EXPECT_EQ(read.status().message(), "/nonexistent/file: no such file or directory");
}

TEST(FileSystem, ReadWholeFileRefusesOversizedFiles) {
  testing::ScratchDir dir;
  std::string path = dir.Write("big", std::string(101, 'x'));
  Result<std::string> read = ReadWholeFile(LocalFileSystem(), path, 100);
  EXPECT_EQ(read.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(read.status().message(), HasSubstr("more than the limit of 100"));
}

TEST(ScratchFile, ReadsBackWhatWasAppendedInMemoryAndOnDiskAcrossItsBuffer) {
  testing::ScratchDir dir;
  Result<ScratchFile> on_disk = ScratchFile::OnDisk(dir.path().string());
  ASSERT_TRUE(on_disk.ok()) << on_disk.status().message();
  ScratchFile in_memory;
  std::string expected;
  for (int i = 0; i < 3000; ++i) {  // about 10 MiB: past the 4 MiB buffer twice
    const std::string piece = std::to_string(i) + std::string(3500, static_cast<char>('a' + i % 26));
    ASSERT_TRUE(on_disk->Append(piece).ok());
    ASSERT_TRUE(in_memory.Append(piece).ok());
    expected += piece;
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));  // it has no name
  for (ScratchFile* scratch : {&*on_disk, &in_memory}) {
    EXPECT_EQ(scratch->size(), expected.size());
    std::string out;
    for (uint64_t offset : {uint64_t{0}, uint64_t{4} << 20, (uint64_t{8} << 20) - 10, expected.size() - 100}) {
      ASSERT_TRUE(scratch->Read(offset, 100, out).ok());
      EXPECT_EQ(out, expected.substr(offset, 100)) << offset;
    }
    EXPECT_EQ(scratch->Read(expected.size() - 10, 11, out).kind(), ErrorKind::kIo);
  }
}

TEST(ScratchFile, NamesTheFolderWhereNoneCanBeMade) {
  Result<ScratchFile> refused = ScratchFile::OnDisk("/nonexistent/folder");
  EXPECT_EQ(refused.status().kind(), ErrorKind::kIo);
  EXPECT_THAT(refused.status().message(), HasSubstr("/nonexistent/folder: scratch file: no such file or directory"));
}

TEST(StagedFile, StagesWrittenContentAndLeavesNothingWhenTheWriterFails) {
  testing::ScratchDir dir;
  const std::string path = (dir.path() / "opening.jsonl").string();
  Result<StagedFile> failed = StagedFile::StageWritten(
      path,
      [](const ByteSink& write) {
        if (Status first = write("one\n"); !first.ok()) return first;
        return Status::IoError("the source went away");
      },
      0600, /*replace=*/false);
  EXPECT_EQ(failed.status().message(), "the source went away");
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  Result<StagedFile> staged = StagedFile::StageWritten(
      path,
      [](const ByteSink& write) {
        for (const char* piece : {"one\n", "two\n"}) {
          if (Status status = write(piece); !status.ok()) return status;
        }
        return Status::Ok();
      },
      0600, /*replace=*/false);
  ASSERT_TRUE(staged.ok()) << staged.status().message();
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE(staged->Publish().ok());
  EXPECT_EQ(testing::ReadFileOrDie(path), "one\ntwo\n");
  EXPECT_EQ(EntriesIn(dir.path()), 1u);
}

}  // namespace
}  // namespace assay
