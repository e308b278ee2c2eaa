#include "sign/trust_file.h"

#include <gtest/gtest.h>

#include "sign/openssh_key.h"

namespace assay {
namespace {

MinisignPublicKey TrustedKey(uint8_t fill) {
  std::array<uint8_t, 32> seed{};
  seed.fill(fill);
  return MinisignPublicKey{MinisignKeyId{fill, 0, 0, 0, 0, 0, 0, 0},
                           Ed25519SecretKey::FromSeed(seed).public_key()};
}

std::string KeyText(uint8_t fill) { return EncodeMinisignPublicKey(TrustedKey(fill)); }

constexpr int64_t kJan1st2024 = 1704067200;

TEST(TrustFile, ParsesAndSerializesCanonically) {
  std::string text = "# our keys\n\n";
  text += "  zeta\twitness " + KeyText(3) + "\n";
  text += "acme evaluator,vendor " + KeyText(1) + " valid-before=20251231 valid-after=20240101\r\n";
  text += "acme vendor " + KeyText(2) + "   \n";
  Result<TrustFile> file = TrustFile::Parse(text);
  ASSERT_TRUE(file.ok()) << file.status().message();
  ASSERT_EQ(file->entries().size(), 3u);
  const TrustEntry& first = file->entries()[0];
  EXPECT_EQ(first.name, "acme");
  EXPECT_TRUE(first.HasRole(TrustRole::kVendor));
  EXPECT_FALSE(first.HasRole(TrustRole::kWitness));
  std::string canonical = file->Serialize();
  // Within a name, entries sort by public key bytes; roles and options take a fixed order.
  std::string expected = "acme vendor " + KeyText(2) + "\n";
  expected +=
      "acme vendor,evaluator " + KeyText(1) + " valid-after=20240101 valid-before=20251231\n";
  expected += "zeta witness " + KeyText(3) + "\n";
  EXPECT_EQ(canonical.substr(canonical.find('\n') + 1), expected);
  // Canonical text is a fixed point.
  EXPECT_EQ(TrustFile::Parse(canonical)->Serialize(), canonical);
  EXPECT_TRUE(TrustFile::Parse("")->entries().empty());
}

TEST(TrustFile, ParseErrorsNameTheLine) {
  std::string key = KeyText(1);
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {"acme vendor\n",
       "line 1: expected NAME ROLES KEY [valid-after=YYYYMMDD] [valid-before=YYYYMMDD]"},
      {"# c\nacme auditor " + key,
       "line 2: unknown role 'auditor' (expected vendor, evaluator, witness, observer or host)"},
      {"acme vendor,,witness " + key,
       "line 1: unknown role '' (expected vendor, evaluator, witness, observer or host)"},
      {"acme vendor,vendor " + key, "line 1: role 'vendor' is listed twice"},
      {"acme vendor RWQ" + key.substr(3, 20),
       "line 1: key: not a minisign public key (expected base64 of 42 bytes)"},
      {"acme vendor " + key + " valid-after=20240230",
       "line 1: invalid date in 'valid-after=20240230' (expected YYYYMMDD, a real date from 1970)"},
      {"acme vendor " + key + " valid-after=20240101 valid-after=20240102",
       "line 1: valid-after is given twice"},
      {"acme vendor " + key + " valid-before=20240101 valid-after=20240101",
       "line 1: valid-after 20240101 is not earlier than valid-before 20240101"},
      {"acme vendor " + key + " expires=2025",
       "line 1: unknown option 'expires=2025' (expected valid-after= or valid-before=)"},
      {"ac*me vendor " + key,
       "line 1: invalid name 'ac*me' (1-64 of A-Z a-z 0-9 . _ @ + -, starting with a letter or "
       "digit)"},
      {"-acme vendor " + key,
       "line 1: invalid name '-acme' (1-64 of A-Z a-z 0-9 . _ @ + -, starting with a letter or "
       "digit)"},
      {"acme vendor " + key + "\n\nother witness " + key,
       "line 3: key 0000000000000001 is already trusted as 'acme'"},
  };
  for (const Case& c : cases) {
    Result<TrustFile> file = TrustFile::Parse(c.text);
    ASSERT_FALSE(file.ok()) << c.text;
    EXPECT_EQ(file.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(file.status().message(), c.message);
  }
}

TEST(TrustFile, AddAndRemove) {
  TrustFile file;
  ASSERT_TRUE(file.Add({"bob", {TrustRole::kEvaluator}, TrustedKey(1), std::nullopt, std::nullopt}).ok());
  ASSERT_TRUE(file.Add({"alice", {TrustRole::kVendor}, TrustedKey(2), std::nullopt, std::nullopt}).ok());
  ASSERT_TRUE(file.Add({"alice", {TrustRole::kVendor}, TrustedKey(3), std::nullopt, std::nullopt}).ok());
  EXPECT_EQ(file.entries()[0].name, "alice");
  EXPECT_EQ(file.Add({"carol", {}, TrustedKey(4), std::nullopt, std::nullopt}).message(),
            "no role given for 'carol'");
  EXPECT_EQ(file.Find(TrustedKey(1).key)->name, "bob");
  EXPECT_EQ(file.Find(TrustedKey(9).key), nullptr);
  EXPECT_TRUE(file.RemoveKey(TrustedKey(1).key));
  EXPECT_FALSE(file.RemoveKey(TrustedKey(1).key));
  EXPECT_EQ(file.RemoveName("alice"), 2u);
  EXPECT_TRUE(file.entries().empty());
}

TEST(TrustFile, AuthorizeChecksKeyRoleAndDates) {
  TrustFile file;
  ASSERT_TRUE(
      file.Add({"acme", {TrustRole::kVendor}, TrustedKey(1), UtcDate{2024, 1, 1}, UtcDate{2025, 1, 1}})
          .ok());
  ASSERT_TRUE(file.Add({"lab",
                        {TrustRole::kEvaluator, TrustRole::kWitness},
                        TrustedKey(2),
                        std::nullopt,
                        std::nullopt})
                  .ok());

  Result<const TrustEntry*> ok = file.Authorize(TrustedKey(1).key, TrustRole::kVendor, kJan1st2024);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ((*ok)->name, "acme");
  EXPECT_TRUE(file.Authorize(TrustedKey(2).key, TrustRole::kWitness, 0).ok());

  Result<const TrustEntry*> unknown = file.Authorize(TrustedKey(3).key, TrustRole::kVendor, kJan1st2024);
  EXPECT_EQ(unknown.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(unknown.status().message(),
            "key " + SshFingerprint(TrustedKey(3).key) + " is not in the trust file");

  Result<const TrustEntry*> role = file.Authorize(TrustedKey(1).key, TrustRole::kWitness, kJan1st2024);
  EXPECT_EQ(role.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(role.status().message(), "'acme' (key 0000000000000001) is not trusted as witness");

  Result<const TrustEntry*> early = file.Authorize(TrustedKey(1).key, TrustRole::kVendor, kJan1st2024 - 1);
  EXPECT_EQ(early.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(early.status().message(),
            "'acme' (key 0000000000000001) is trusted from 2024-01-01 until 2025-01-01, not at "
            "2023-12-31T23:59:59Z");
  // valid-before is inclusive at its first instant, as in ssh-keygen.
  int64_t jan1st2025 = (UtcDate{2025, 1, 1}).ToUnixSeconds();
  EXPECT_TRUE(file.Authorize(TrustedKey(1).key, TrustRole::kVendor, jan1st2025).ok());
  EXPECT_FALSE(file.Authorize(TrustedKey(1).key, TrustRole::kVendor, jan1st2025 + 1).ok());
}

TEST(TrustFile, ExportsAllowedSigners) {
  TrustFile file;
  ASSERT_TRUE(
      file.Add({"acme", {TrustRole::kVendor}, TrustedKey(1), UtcDate{2024, 1, 1}, std::nullopt}).ok());
  ASSERT_TRUE(file.Add({"lab", {TrustRole::kWitness}, TrustedKey(2), std::nullopt, std::nullopt}).ok());
  std::string expected = "# allowed_signers generated by assay from its trust file\n";
  expected += "acme namespaces=\"git\",valid-after=\"20240101Z\" " +
              FormatSshPublicKeyLine(TrustedKey(1).key, "") + "\n";
  expected += "lab namespaces=\"git\" " + FormatSshPublicKeyLine(TrustedKey(2).key, "") + "\n";
  EXPECT_EQ(file.ToAllowedSigners(), expected);
}

}  // namespace
}  // namespace assay
