#include "sign/minisign_key.h"

#include <gtest/gtest.h>

#include "sign/base64.h"
#include "test_support.h"

namespace assay {
namespace {

// Made by `minisign -G -W` (minisign 0.11).
constexpr std::string_view kRealPublicKeyFile =
    "untrusted comment: minisign public key 6478672D87C83B1D\n"
    "RWQdO8iHLWd4ZDetf+92DyNq+5RV1lWvXhComtH1wvut41lPbTGpguwi\n";

TEST(MinisignPublicKey, ReadsWhatMinisignWrites) {
  Result<MinisignPublicKey> key = ParseMinisignPublicKeyFile(kRealPublicKeyFile);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(FormatMinisignKeyId(key->key_id), "6478672D87C83B1D");
  EXPECT_EQ(FormatMinisignPublicKeyFile(*key), kRealPublicKeyFile);
}

TEST(MinisignPublicKey, AcceptsCrlfAndTrailingBlankLines) {
  EXPECT_TRUE(
      ParseMinisignPublicKeyFile(
          "untrusted comment: x\r\nRWQdO8iHLWd4ZDetf+92DyNq+5RV1lWvXhComtH1wvut41lPbTGpguwi\r\n\n")
          .ok());
}

TEST(MinisignPublicKey, RejectsMalformedFilesWithTheReason) {
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {"", "public key file is truncated: expected 2 lines, found 0"},
      {"untrusted comment: minisign public key 6478672D87C83B1D\n",
       "public key file is truncated: expected 2 lines, found 1"},
      {"comment\nRWQdO8iHLWd4ZDetf+92DyNq+5RV1lWvXhComtH1wvut41lPbTGpguwi\n",
       "public key file: first line does not start with \"untrusted comment: \""},
      {std::string(kRealPublicKeyFile) + "extra\n",
       "public key file has unexpected text after line 2"},
      {"untrusted comment: x\nRWQdO8iHLWd4ZDetf+92DyNq+5RV1lWvXhComtH1wvut41lPbTGpgu\n",
       "not a minisign public key (expected base64 of 42 bytes)"},
      {"untrusted comment: x\n" + EncodeBase64(std::string("Xx") + std::string(40, 'k')) + "\n",
       "unsupported public key algorithm (expected \"Ed\")"},
      {"untrusted comment: x\rx\nRWQdO8iHLWd4ZDetf+92DyNq+5RV1lWvXhComtH1wvut41lPbTGpguwi\n",
       "public key file: line 1 holds a carriage return"},
  };
  for (const Case& c : cases) {
    Result<MinisignPublicKey> key = ParseMinisignPublicKeyFile(c.text);
    ASSERT_FALSE(key.ok()) << c.text;
    EXPECT_EQ(key.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(key.status().message(), c.message);
  }
}

TEST(MinisignPublicKey, EveryTruncationAndByteFlipIsCaught) {
  std::string line = "RWQdO8iHLWd4ZDetf+92DyNq+5RV1lWvXhComtH1wvut41lPbTGpguwi";
  for (size_t size = 0; size < line.size(); ++size) {
    EXPECT_FALSE(DecodeMinisignPublicKey(line.substr(0, size)).ok()) << size;
  }
  // A flipped base64 digit either breaks decoding or changes the key it decodes to.
  MinisignPublicKey original = *DecodeMinisignPublicKey(line);
  for (size_t i = 0; i < line.size(); ++i) {
    std::string flipped = line;
    flipped[i] = flipped[i] == 'A' ? 'B' : 'A';
    Result<MinisignPublicKey> key = DecodeMinisignPublicKey(flipped);
    EXPECT_TRUE(!key.ok() || key->key_id != original.key_id || key->key != original.key) << i;
  }
}

TEST(MinisignPublicKey, LoadNamesTheFile) {
  testing::ScratchDir dir;
  std::string good = dir.Write("good.pub", kRealPublicKeyFile);
  EXPECT_TRUE(LoadMinisignPublicKeyFile(LocalFileSystem(), good).ok());
  std::string bad = dir.Write("bad.pub", kRealPublicKeyFile.substr(0, 60));
  EXPECT_EQ(LoadMinisignPublicKeyFile(LocalFileSystem(), bad).status().message(),
            bad + ": not a minisign public key (expected base64 of 42 bytes)");
  EXPECT_EQ(LoadMinisignPublicKeyFile(LocalFileSystem(), dir.path() / "absent.pub").status().kind(),
            ErrorKind::kIo);
}

}  // namespace
}  // namespace assay
