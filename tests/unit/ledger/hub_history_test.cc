#include "ledger/hub_history.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace assay {
namespace {

using testing::ScratchDir;

TEST(HubHistory, AModelRepositoryUrlNamesItsSource) {
  for (const char* url : {"https://huggingface.co/acme/widget", "https://huggingface.co/acme/widget.git",
                          "https://huggingface.co/acme/widget/", "https://hf.co/acme/widget"}) {
    EXPECT_EQ(HubSourceOfUrl(url), "hf:acme/widget") << url;
  }
  // Anything else is named by its URL: other hosts, datasets, spaces, a bare organisation.
  for (const char* url : {"https://example.org/acme/widget.git", "https://huggingface.co/datasets/acme/questions",
                          "https://huggingface.co/spaces/acme/demo", "https://huggingface.co/acme",
                          "https://huggingface.co/acme/widget/tree/main", "/srv/git/widget"}) {
    EXPECT_EQ(HubSourceOfUrl(url), url) << url;
  }
}

TEST(HubHistory, AFolderThatIsNotACheckoutIsRefusedNamingIt) {
  ScratchDir dir;
  const std::string folder = dir.path().string();
  Result<HubHistory> history = ReadHubHistory(folder, "");
  ASSERT_FALSE(history.ok());
  EXPECT_EQ(history.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(history.status().message().rfind(folder + ": not a git checkout", 0), 0u) << history.status().message();
}

}  // namespace
}  // namespace assay
