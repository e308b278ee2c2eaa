#include "sign/minisign_signature.h"

#include <gtest/gtest.h>

#include "sign/bytes.h"
#include "test_support.h"

namespace assay {
namespace {

MinisignSecretKey MinisignKey(uint8_t fill, uint8_t id) {
  std::array<uint8_t, 32> seed{};
  seed.fill(fill);
  return MinisignSecretKey(MinisignKeyId{id, 0, 0, 0, 0, 0, 0, 0xAB},
                           Ed25519SecretKey::FromSeed(seed));
}

MinisignSignature Sign(const MinisignSecretKey& key, std::string_view message,
                       std::string_view trusted = "timestamp:1\tfile:m") {
  MinisignPrehasher hasher;
  hasher.Update(message);
  Result<MinisignSignature> signature = SignMinisign(key, hasher.Finish(), trusted, "untrusted");
  EXPECT_TRUE(signature.ok()) << signature.status().message();
  return *signature;
}

TEST(MinisignSignature, SignsAndVerifies) {
  MinisignSecretKey key = MinisignKey(1, 1);
  MinisignSignature signature = Sign(key, "weights");
  EXPECT_TRUE(VerifyMinisign(key.public_key(), signature, "weights").ok());
  Result<MinisignSignature> parsed = ParseMinisignSignature(FormatMinisignSignature(signature));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->trusted_comment, "timestamp:1\tfile:m");
  EXPECT_EQ(parsed->untrusted_comment, "untrusted");
  EXPECT_TRUE(VerifyMinisign(key.public_key(), *parsed, "weights").ok());
}

TEST(MinisignSignature, TamperingIsReportedPrecisely) {
  MinisignSecretKey key = MinisignKey(1, 1);
  MinisignSignature signature = Sign(key, "weights");

  Status changed_file = VerifyMinisign(key.public_key(), signature, "weightS");
  EXPECT_EQ(changed_file.kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(changed_file.message(), "signature verification failed");

  MinisignSignature changed_comment = signature;
  changed_comment.trusted_comment = "timestamp:2\tfile:m";
  EXPECT_EQ(VerifyMinisign(key.public_key(), changed_comment, "weights").message(),
            "trusted comment signature verification failed");

  // The untrusted comment is not signed, as its name says.
  MinisignSignature changed_untrusted = signature;
  changed_untrusted.untrusted_comment = "anything";
  EXPECT_TRUE(VerifyMinisign(key.public_key(), changed_untrusted, "weights").ok());
}

TEST(MinisignSignature, KeyIdMismatchNamesBothIds) {
  MinisignSignature signature = Sign(MinisignKey(1, 1), "weights");
  Status status = VerifyMinisign(MinisignKey(2, 2).public_key(), signature, "weights");
  EXPECT_EQ(status.kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(status.message(),
            "signature was made by key AB00000000000001, not by public key AB00000000000002");
  // Same key id, other key: the signature itself fails.
  EXPECT_EQ(VerifyMinisign(MinisignKey(2, 1).public_key(), signature, "weights").message(),
            "signature verification failed");
}

TEST(MinisignSignature, VerifiesLegacySignatures) {
  MinisignSecretKey key = MinisignKey(3, 3);
  MinisignSignature legacy = Sign(key, "x");
  legacy.algorithm = MinisignAlgorithm::kLegacy;
  legacy.signature = key.key().Sign(std::string_view("raw file"));
  legacy.global_signature =
      key.key().Sign(std::string(AsText(legacy.signature)) + legacy.trusted_comment);
  Result<MinisignSignature> parsed = ParseMinisignSignature(FormatMinisignSignature(legacy));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->algorithm, MinisignAlgorithm::kLegacy);
  EXPECT_TRUE(VerifyMinisign(key.public_key(), *parsed, "raw file").ok());
  EXPECT_FALSE(VerifyMinisign(key.public_key(), *parsed, "raw filE").ok());
  EXPECT_EQ(VerifyMinisignPrehashed(key.public_key(), *parsed, Blake2b512Digest{}).kind(),
            ErrorKind::kInvalidInput);
}

TEST(MinisignSignature, FilesAreStreamedInChunks) {
  testing::ScratchDir dir;
  std::string content(3 * 1024 * 1024 + 17, '\0');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>(i * 7 % 251);
  std::string path = dir.Write("model.bin", content);
  MinisignSecretKey key = MinisignKey(4, 4);
  MinisignSignature signature = Sign(key, content);
  auto file = LocalFileSystem().OpenForRead(path);
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE(VerifyMinisignFile(key.public_key(), signature, **file).ok());

  MinisignPrehasher hasher;
  hasher.Update(content);
  EXPECT_EQ(*PrehashFile(**file), hasher.Finish());

  std::string empty = dir.Write("empty", "");
  auto empty_file = LocalFileSystem().OpenForRead(empty);
  EXPECT_TRUE(VerifyMinisignFile(key.public_key(), Sign(key, ""), **empty_file).ok());
}

TEST(MinisignSignature, CommentsMustBeOneLineAndBounded) {
  MinisignSecretKey key = MinisignKey(5, 5);
  Blake2b512Digest prehash{};
  EXPECT_EQ(SignMinisign(key, prehash, "a\nb", "").status().message(),
            "trusted comment must be one line");
  EXPECT_EQ(SignMinisign(key, prehash, "", "a\rb").status().message(),
            "untrusted comment must be one line");
  EXPECT_EQ(SignMinisign(key, prehash, std::string(8174, 'x'), "").status().message(),
            "trusted comment is longer than 8173 bytes");
  EXPECT_TRUE(SignMinisign(key, prehash, std::string(8173, 'x'), std::string(1003, 'y')).ok());
}

TEST(MinisignSignature, RejectsMalformedFilesWithTheReason) {
  std::string good = FormatMinisignSignature(Sign(MinisignKey(6, 6), "m"));
  std::vector<std::string> lines;
  for (size_t start = 0; start < good.size();) {
    size_t end = good.find('\n', start);
    lines.push_back(good.substr(start, end - start));
    start = end + 1;
  }
  auto join = [](std::vector<std::string> parts) {
    std::string text;
    for (const std::string& part : parts) text += part + "\n";
    return text;
  };
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {join({lines[0], lines[1], lines[2]}), "signature is truncated: expected 4 lines, found 3"},
      {join({"comment", lines[1], lines[2], lines[3]}),
       "signature: first line does not start with \"untrusted comment: \""},
      {join({lines[0], lines[1].substr(0, 50), lines[2], lines[3]}),
       "signature: second line is not the base64 of 74 bytes"},
      {join({lines[0], "RXg" + lines[1].substr(3), lines[2], lines[3]}),
       "signature: unsupported algorithm (expected \"ED\" or \"Ed\")"},
      {join({lines[0], lines[1], "comment: x", lines[3]}),
       "signature: third line does not start with \"trusted comment: \""},
      {join({lines[0], lines[1], lines[2], lines[3].substr(1)}),
       "signature: fourth line is not the base64 of 64 bytes"},
      {join({lines[0], lines[1], lines[2], lines[3], "more"}),
       "signature has unexpected text after line 4"},
  };
  for (const Case& c : cases) {
    Result<MinisignSignature> parsed = ParseMinisignSignature(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(parsed.status().message(), c.message);
  }
  // CRLF line ends, as after a trip through Windows, still verify.
  std::string crlf;
  for (const std::string& line : lines) crlf += line + "\r\n";
  ASSERT_TRUE(ParseMinisignSignature(crlf).ok());
  EXPECT_TRUE(VerifyMinisign(MinisignKey(6, 6).public_key(), *ParseMinisignSignature(crlf), "m").ok());
}

}  // namespace
}  // namespace assay
