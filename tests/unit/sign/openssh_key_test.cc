#include "sign/openssh_key.h"

#include <gtest/gtest.h>

#include "sign/base64.h"
#include "sign/ssh_wire.h"

namespace assay {
namespace {

// Made by `ssh-keygen -t ed25519` (OpenSSH 9.2); `ssh-keygen -l` printed
// SHA256:Kw8mfdxpLc+k8xmc5sq/i0PAk7Nj1DnwIrfsjwPkbHw for it.
constexpr std::string_view kRealPublicKeyLine =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMWsVvHBC2nHFWaOWqDwKMfR5dUZmrFwyb1Bc2wRd5q4 test\n";

TEST(OpensshKey, ReadsARealPublicKeyLine) {
  Result<Ed25519PublicKey> key = ParseSshPublicKeyLine(kRealPublicKeyLine);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(SshFingerprint(*key), "SHA256:Kw8mfdxpLc+k8xmc5sq/i0PAk7Nj1DnwIrfsjwPkbHw");
  EXPECT_EQ(FormatSshPublicKeyLine(*key, "test") + "\n", kRealPublicKeyLine);
  EXPECT_TRUE(ParseSshPublicKeyLine(FormatSshPublicKeyLine(*key, "")).ok());
}

TEST(OpensshKey, RejectsOtherKeysAndMalformedLines) {
  struct Case {
    std::string line;
    std::string message;
  } cases[] = {
      {"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ x",
       "unsupported ssh key type 'ssh-rsa' (expected ssh-ed25519)"},
      {"ssh-ed25519", "not an ssh public key line (expected \"ssh-ed25519 AAAA...\")"},
      {"ssh-ed25519 AAAA!", "ssh public key is not valid base64"},
      {"ssh-ed25519 " + EncodeBase64(std::string("\0\0\0\x07ssh-rsa", 11)),
       "unsupported ssh key type (expected ssh-ed25519)"},
      {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMWsVvHBC2nHFWaOWqDwKMfR5dUZmrFwyb1Bc2wRd5q4AAAA",
       "malformed ssh-ed25519 public key blob"},
      {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", "malformed ssh-ed25519 public key blob"},
      {"ssh-ed25519 AAAA\nssh-ed25519 AAAA", "ssh public key must be one line"},
  };
  for (const Case& c : cases) {
    Result<Ed25519PublicKey> key = ParseSshPublicKeyLine(c.line);
    ASSERT_FALSE(key.ok()) << c.line;
    EXPECT_EQ(key.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(key.status().message(), c.message);
  }
}

TEST(OpensshKey, AllowedSignersLines) {
  Ed25519PublicKey key = *ParseSshPublicKeyLine(kRealPublicKeyLine);
  std::string key_text = FormatSshPublicKeyLine(key, "");
  EXPECT_EQ(FormatAllowedSignersLine("alice", {}, key), "alice " + key_text);
  AllowedSignerOptions options{{"git", "file"}, UtcDate{2024, 1, 1}, UtcDate{2025, 6, 30}};
  EXPECT_EQ(FormatAllowedSignersLine("alice", options, key),
            "alice namespaces=\"git,file\",valid-after=\"20240101Z\",valid-before=\"20250630Z\" " +
                key_text);
}

TEST(SshWire, ReaderIsBoundsChecked) {
  std::string bytes;
  AppendSshString(bytes, "abc");
  AppendSshU32(bytes, 0x01020304);
  SshWireReader reader(bytes);
  std::string_view text;
  uint32_t number = 0;
  ASSERT_TRUE(reader.ReadString(text));
  EXPECT_EQ(text, "abc");
  ASSERT_TRUE(reader.ReadU32(number));
  EXPECT_EQ(number, 0x01020304u);
  EXPECT_TRUE(reader.AtEnd());
  EXPECT_FALSE(reader.ReadU32(number));

  SshWireReader lying(
      std::string_view("\xff\xff\xff\xff"
                       "abc",
                       7));
  EXPECT_FALSE(lying.ReadString(text));
  EXPECT_TRUE(lying.AtEnd());
}

}  // namespace
}  // namespace assay
