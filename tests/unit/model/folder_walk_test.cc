#include "model/folder_walk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "test_support.h"

namespace assay {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Paths(const FolderListing& listing) {
  std::vector<std::string> paths;
  for (const ModelFileRef& file : listing.files) paths.push_back(file.relative_path);
  return paths;
}

TEST(FolderWalk, ListsEveryFileSortedWithHiddenOnesAndSkipsToolFolders) {
  testing::ScratchDir dir;
  dir.Write("b.txt", "b");
  dir.Write("a/z.bin", "z");
  dir.Write("a.txt", "a");
  dir.Write(".gitattributes", "*.safetensors filter=lfs");
  dir.Write(".git/HEAD", "ref: refs/heads/main");
  dir.Write(".cache/huggingface/download/x", "meta");
  dir.Write("sub/__pycache__/m.pyc", "pyc");
  Result<FolderListing> listing = ListModelFolder(LocalFileSystem(), dir.path().string());
  ASSERT_TRUE(listing.ok()) << listing.status().message();
  // Bytewise order of whole paths: '.' < '/' < 'a', so "a.txt" comes before "a/z.bin".
  EXPECT_THAT(Paths(*listing), ElementsAre(".gitattributes", "a.txt", "a/z.bin", "b.txt"));
  EXPECT_TRUE(listing->files[0].hidden);
  EXPECT_FALSE(listing->files[1].hidden);
  ASSERT_EQ(listing->skipped.size(), 3u);
  EXPECT_EQ(listing->skipped[0].relative_path, ".cache");
  EXPECT_EQ(listing->skipped[1].relative_path, ".git");
  EXPECT_EQ(listing->skipped[2].relative_path, "sub/__pycache__");
  EXPECT_FALSE(listing->hub_source.has_value());
}

TEST(FolderWalk, FollowsASymlinkInsideAndRefusesOneThatLeaves) {
  testing::ScratchDir dir;
  dir.Write("model/real.bin", "r");
  dir.Write("outside.bin", "o");
  std::filesystem::create_symlink("real.bin", dir.path() / "model/link.bin");
  Result<FolderListing> inside = ListModelFolder(LocalFileSystem(), (dir.path() / "model").string());
  ASSERT_TRUE(inside.ok());
  EXPECT_THAT(Paths(*inside), ElementsAre("link.bin", "real.bin"));

  std::filesystem::create_symlink("../outside.bin", dir.path() / "model/escape.bin");
  Result<FolderListing> escaping = ListModelFolder(LocalFileSystem(), (dir.path() / "model").string());
  EXPECT_EQ(escaping.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(escaping.status().message(), HasSubstr("escape.bin: symlink leaves the model folder"));
}

TEST(FolderWalk, RefusesSymlinkedFoldersAndSpecialFiles) {
  testing::ScratchDir dir;
  dir.Write("m/sub/x", "x");
  std::filesystem::create_directory_symlink("sub", dir.path() / "m/alias");
  Result<FolderListing> linked = ListModelFolder(LocalFileSystem(), (dir.path() / "m").string());
  EXPECT_THAT(linked.status().message(), HasSubstr("alias: symlink to something other than a file"));

  dir.Write("f/x", "x");
  ASSERT_EQ(::mkfifo((dir.path() / "f/pipe").c_str(), 0600), 0);
  Result<FolderListing> fifo = ListModelFolder(LocalFileSystem(), (dir.path() / "f").string());
  EXPECT_EQ(fifo.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(fifo.status().message(), HasSubstr("pipe: not a regular file"));
}

TEST(FolderWalk, RefusesFileNamesThatAreNotUtf8) {
  testing::ScratchDir dir;
  dir.Write("m/bad\xff.bin", "x");
  Result<FolderListing> listing = ListModelFolder(LocalFileSystem(), (dir.path() / "m").string());
  EXPECT_EQ(listing.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(listing.status().message(), HasSubstr("not valid UTF-8"));
}

TEST(FolderWalk, MissingFolderIsAnIoError) {
  Result<FolderListing> listing = ListModelFolder(LocalFileSystem(), "/nonexistent/model");
  EXPECT_EQ(listing.status().kind(), ErrorKind::kIo);
  EXPECT_THAT(listing.status().message(), HasSubstr("/nonexistent/model"));
}

TEST(FolderWalk, HuggingFaceSnapshotLinksIntoBlobsAreFollowedAndRecorded) {
  testing::ScratchDir dir;
  const std::string repo = "hub/models--acme--tiny-llama";
  const std::string revision = "0123456789abcdef0123456789abcdef01234567";
  dir.Write(repo + "/blobs/abc", "weights");
  std::filesystem::create_directories(dir.path() / repo / "snapshots" / revision);
  std::filesystem::create_symlink("../../blobs/abc", dir.path() / repo / "snapshots" / revision / "w.bin");
  Result<FolderListing> listing =
      ListModelFolder(LocalFileSystem(), (dir.path() / repo / "snapshots" / revision).string());
  ASSERT_TRUE(listing.ok()) << listing.status().message();
  ASSERT_TRUE(listing->hub_source.has_value());
  EXPECT_EQ(listing->hub_source->repo_id, "acme/tiny-llama");
  EXPECT_EQ(listing->hub_source->revision, revision);
  ASSERT_EQ(listing->files.size(), 1u);
  EXPECT_EQ(listing->files[0].relative_path, "w.bin");
  EXPECT_EQ(listing->files[0].hub_blob_name, "abc");
}

TEST(FolderWalk, HubSourceNeedsTheWholeCacheLayout) {
  EXPECT_FALSE(HubSourceOfSnapshot("/x/models--a--b/refs/main").has_value());
  EXPECT_FALSE(HubSourceOfSnapshot("/x/datasets--a--b/snapshots/r").has_value());
  EXPECT_EQ(HubSourceOfSnapshot("/x/models--gpt2/snapshots/r")->repo_id, "gpt2");
}

}  // namespace
}  // namespace assay
