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

}  // namespace
}  // namespace assay
