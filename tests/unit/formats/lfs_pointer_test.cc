#include "formats/lfs_pointer.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace assay {
namespace {

// The example of git-lfs docs/spec.md, "The Pointer".
constexpr char kOid[] = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
const std::string kSpecExample =
    std::string("version https://git-lfs.github.com/spec/v1\noid sha256:") + kOid + "\nsize 12345\n";

std::string ErrorOf(std::string_view text) {
  Result<LfsPointer> pointer = ParseLfsPointer(text);
  EXPECT_FALSE(pointer.ok()) << text;
  if (pointer.ok()) return "";
  EXPECT_EQ(pointer.status().kind(), ErrorKind::kInvalidInput);
  return pointer.status().message();
}

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(LfsPointer, ParsesTheSpecExample) {
  Result<LfsPointer> pointer = ParseLfsPointer(kSpecExample);
  ASSERT_TRUE(pointer.ok()) << pointer.status().message();
  EXPECT_EQ(pointer->version, kLfsSpecV1);
  EXPECT_EQ(ToHex(pointer->oid), kOid);
  EXPECT_EQ(pointer->size, 12345u);
  EXPECT_TRUE(pointer->extensions.empty());
  EXPECT_EQ(ToHex(pointer->ContentDigest()), kOid);
  EXPECT_TRUE(pointer->SizeIsContentSize());
  EXPECT_EQ(FormatLfsPointer(*pointer), kSpecExample);
}

TEST(LfsPointer, ReadsThePreReleaseHawserVersion) {
  Result<LfsPointer> pointer =
      ParseLfsPointer(Replace(kSpecExample, "git-lfs.github.com", "hawser.github.com"));
  ASSERT_TRUE(pointer.ok()) << pointer.status().message();
  EXPECT_EQ(pointer->version, kLfsSpecHawser);
}

TEST(LfsPointer, ExtensionsGiveTheContentDigest) {
  // docs/extensions.md: ext-0-foo holds the oid of the original content.
  const std::string original(64, 'a'), after_foo(64, 'b');
  std::string text = "version https://git-lfs.github.com/spec/v1\next-0-foo sha256:" + original +
                     "\next-1-bar sha256:" + after_foo + "\noid sha256:" + kOid + "\nsize 123\n";
  Result<LfsPointer> pointer = ParseLfsPointer(text);
  ASSERT_TRUE(pointer.ok()) << pointer.status().message();
  ASSERT_EQ(pointer->extensions.size(), 2u);
  EXPECT_EQ(pointer->extensions[0].name, "foo");
  EXPECT_EQ(pointer->extensions[1].priority, 1);
  EXPECT_EQ(ToHex(pointer->ContentDigest()), original);
  EXPECT_FALSE(pointer->SizeIsContentSize());
  EXPECT_EQ(FormatLfsPointer(*pointer), text);
}

TEST(LfsPointer, SizeZeroAndLargeSizes) {
  EXPECT_TRUE(ParseLfsPointer(Replace(kSpecExample, "size 12345", "size 0")).ok());
  Result<LfsPointer> big = ParseLfsPointer(Replace(kSpecExample, "size 12345", "size 141107497984"));
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->size, 141107497984u);
}

TEST(LfsPointer, LooksLikeAPointer) {
  EXPECT_TRUE(LooksLikeLfsPointer(kSpecExample));
  EXPECT_TRUE(LooksLikeLfsPointer(kSpecExample.substr(0, kLfsPointerProbeBytes)));
  EXPECT_TRUE(LooksLikeLfsPointer("version https://git-lfs.github.com/spec/v2\n"));  // a claim, held to the parser
  EXPECT_TRUE(LooksLikeLfsPointer("version https://hawser.github.com/spec/v1\r\n"));
  EXPECT_FALSE(LooksLikeLfsPointer("{\"architectures\": [\"LlamaForCausalLM\"]}"));
  EXPECT_FALSE(LooksLikeLfsPointer(std::string("\x10\0\0\0\0\0\0\0{\"w\"", 12)));
  EXPECT_FALSE(LooksLikeLfsPointer("version 1.2.3\n"));
  EXPECT_FALSE(LooksLikeLfsPointer(""));
}

// Garbage of every kind a checkout can hold: each refused with the reason.
TEST(LfsPointer, WrongVersion) {
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "spec/v1", "spec/v2")),
            "line 1: unknown pointer version \"https://git-lfs.github.com/spec/v2\"");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "https", "HTTPS")),  // simple string comparison, case-sensitive
            "line 1: unknown pointer version \"HTTPS://git-lfs.github.com/spec/v1\"");
}

TEST(LfsPointer, VersionMustComeFirst) {
  std::string text = std::string("oid sha256:") + kOid + "\nversion https://git-lfs.github.com/spec/v1\nsize 1\n";
  EXPECT_EQ(ErrorOf(text), "line 1: the first key must be version, not \"oid\"");
}

TEST(LfsPointer, UppercaseHex) {
  std::string upper = kOid;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, kOid, upper)), "line 2: oid must be sha256: and 64 lowercase hex digits");
}

TEST(LfsPointer, BadOids) {
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "sha256:", "sha1:")), "line 2: oid must be sha256: and 64 lowercase hex digits");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "2393\n", "239\n")), "line 2: oid must be sha256: and 64 lowercase hex digits");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "2393\n", "239g\n")), "line 2: oid must be sha256: and 64 lowercase hex digits");
}

TEST(LfsPointer, MissingSizeOrOid) {
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "size 12345\n", "")), "no size line");
  std::string no_oid = "version https://git-lfs.github.com/spec/v1\nsize 12345\n";
  EXPECT_EQ(ErrorOf(no_oid), "no oid line");
}

TEST(LfsPointer, BadSizes) {
  for (std::string_view size : {"-1", "+5", "012", "1e6", "12 345", "99999999999999999999"}) {
    EXPECT_NE(ErrorOf(Replace(kSpecExample, "12345", size)), "") << size;
  }
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "12345", "012")), "line 3: size \"012\" is not a byte count");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "12345", "9223372036854775808")),
            "line 3: size \"9223372036854775808\" is not a byte count");
}

TEST(LfsPointer, CrlfLineEnds) {
  std::string crlf;
  for (char c : kSpecExample) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_EQ(ErrorOf(crlf), "line 1: carriage return: pointer lines end in a line feed alone");
}

TEST(LfsPointer, Oversized) {
  std::string big = kSpecExample + std::string(2000, 'x');
  EXPECT_EQ(ErrorOf(big), std::to_string(big.size()) + " bytes, more than a git-lfs pointer's 1024");
}

TEST(LfsPointer, Binary) {
  std::string binary = kSpecExample;
  binary[50] = '\0';
  EXPECT_EQ(ErrorOf(binary), "line 2: byte 0x00 is not text: not a git-lfs pointer");
  std::string high = "version https://git-lfs.github.com/spec/v1\n\xff\xfe\n";
  EXPECT_EQ(ErrorOf(high), "line 2: byte 0xff is not text: not a git-lfs pointer");
}

TEST(LfsPointer, LineStructure) {
  EXPECT_EQ(ErrorOf(kSpecExample.substr(0, kSpecExample.size() - 1)), "line 3: does not end with a line feed");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "size 12345", "size  12345")),
            "line 3: expected one space between key and a value without spaces");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "size 12345\n", "size 12345\n\n")), "line 4: expected \"key value\"");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "size", "Size")), "line 3: key \"Size\" has characters outside [a-z0-9.-]");
  EXPECT_EQ(ErrorOf(""), "empty, not a git-lfs pointer");
}

TEST(LfsPointer, KeysSortedAndKnown) {
  std::string swapped = std::string("version https://git-lfs.github.com/spec/v1\nsize 12345\noid sha256:") + kOid + "\n";
  EXPECT_EQ(ErrorOf(swapped), "line 3: key \"oid\" out of order (keys are sorted after version)");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "size 12345\n", "size 12345\nsize 12345\n")), "line 4: key \"size\" repeated");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "size 12345\n", "size 12345\nx-note hello\n")), "line 4: unknown key \"x-note\"");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "oid ", "ext-0-foo sha256:" + std::string(64, 'a') + "\next-0-bar sha256:" +
                                                   std::string(64, 'b') + "\noid ")),
            "line 3: key \"ext-0-bar\" out of order (keys are sorted after version)");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "oid ", "ext-0-bar sha256:" + std::string(64, 'a') + "\next-0-foo sha256:" +
                                                   std::string(64, 'b') + "\noid ")),
            "line 3: extension priority 0 repeated");
  EXPECT_EQ(ErrorOf(Replace(kSpecExample, "oid ", "ext-0-foo md5:abc\noid ")),
            "line 2: ext-0-foo must be sha256: and 64 lowercase hex digits");
}

}  // namespace
}  // namespace assay
