#include "ledger/repository_writer.h"

#include <gtest/gtest.h>

#include "ledger/hub_history.h"
#include "test_support.h"

namespace assay {
namespace {

using testing::ScratchDir;

constexpr char kPointer[] =
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 12345\n";

TEST(RepositoryWriter, WritesCommitsThatTheHubReaderReadsBack) {
  ScratchDir dir;
  const std::string folder = (dir.path() / "repo").string();
  const RepositoryCommit first{{{"config.json", "{}\n"}, {"model.safetensors", kPointer}}, "v1", "Acme", "a@acme.example", 1767258000};
  RepositoryCommit second = first;
  second.files[0].content = "{\"layers\": 2}\n";
  second.message = "config only";
  second.time = first.time + 3600;
  ASSERT_TRUE(WriteRepository(folder, {first, second}).ok());
  Result<HubHistory> history = ReadHubHistory(folder, "");
  ASSERT_TRUE(history.ok()) << history.status().message();
  ASSERT_EQ(history->revisions.size(), 2u);
  EXPECT_EQ(history->revisions[0].message, "v1");
  EXPECT_EQ(history->revisions[1].time, first.time + 3600);
  EXPECT_EQ(history->revisions[1].author, "Acme <a@acme.example>");
  EXPECT_EQ(history->revisions[1].parents, std::vector<std::string>{history->revisions[0].commit});
  ASSERT_EQ(history->revisions[1].files.size(), 2u);
  EXPECT_EQ(history->revisions[1].files[1].lfs_oid, "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393");
}

TEST(RepositoryWriter, RefusesANameWithAFolder) {
  ScratchDir dir;
  const Status written = WriteRepository((dir.path() / "repo").string(), {{{{"weights/a.bin", "x"}}, "m", "A", "a@b", 0}});
  EXPECT_EQ(written.kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(written.message().find("'weights/a.bin'"), std::string::npos) << written.message();
}

}  // namespace
}  // namespace assay
