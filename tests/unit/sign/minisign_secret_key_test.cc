#include "sign/minisign_secret_key.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <numeric>

#include "digest/sha256.h"
#include "sign/base64.h"
#include "sign/bytes.h"
#include "test_support.h"

namespace assay {
namespace {

std::array<uint8_t, 32> Seed() {
  std::array<uint8_t, 32> seed{};
  std::iota(seed.begin(), seed.end(), 100);
  return seed;
}

MinisignSecretKey TestKey() {
  return MinisignSecretKey(MinisignKeyId{9, 8, 7, 6, 5, 4, 3, 2},
                           Ed25519SecretKey::FromSeed(Seed()));
}

std::string FileText(const SecretBytes& file) {
  return file.Read([](std::span<const uint8_t> bytes) { return std::string(AsText(bytes)); });
}

Result<MinisignSecretKey> Decode(std::string_view text, std::string_view passphrase = "") {
  return DecodeMinisignSecretKeyFile(SecretBytes::CopyOf(AsBytes(text)), passphrase);
}

std::string Encode(const std::optional<MinisignKeyEncryption>& encryption) {
  Result<SecretBytes> file = EncodeMinisignSecretKeyFile(TestKey(), encryption);
  if (!file.ok()) ADD_FAILURE() << file.status().message();
  return FileText(*file);
}

// The decoded key line, to edit fields, and back into a file.
std::string Blob(std::string_view text) {
  return *DecodeBase64(text.substr(text.find('\n') + 1, 212));
}
std::string FileOf(std::string_view blob) {
  return "untrusted comment: minisign encrypted secret key\n" + EncodeBase64(blob) + "\n";
}

// No error may echo key material: neither the seed nor the base64 of the key line.
void ExpectNoSecretIn(const Status& status, std::string_view file_text) {
  std::string seed_hex = ToHex(Seed());
  EXPECT_EQ(status.message().find(seed_hex.substr(0, 16)), std::string::npos);
  std::string key_line(file_text.substr(file_text.find('\n') + 1, 212));
  for (size_t i = 0; i + 16 <= key_line.size(); i += 16) {
    EXPECT_EQ(status.message().find(key_line.substr(i, 16)), std::string::npos) << status.message();
  }
}

TEST(MinisignSecretKey, UnencryptedRoundTripsAsMinisignWritesIt) {
  std::string text = Encode(std::nullopt);
  std::string blob = Blob(text);
  EXPECT_EQ(blob.substr(0, 6), std::string("Ed\0\0B2", 6));
  EXPECT_EQ(blob.substr(6, 48), std::string(48, '\0'));  // salt and limits
  EXPECT_EQ(blob.substr(126), std::string(32, '\0'));    // checksum, as minisign 0.11 leaves it
  EXPECT_FALSE(*MinisignSecretKeyIsEncrypted(SecretBytes::CopyOf(AsBytes(text))));
  Result<MinisignSecretKey> key = Decode(text);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->key_id(), TestKey().key_id());
  EXPECT_EQ(key->key().public_key(), TestKey().key().public_key());
}

TEST(MinisignSecretKey, UnencryptedWithACorrectChecksumIsAccepted) {
  // Other minisign implementations fill in an unencrypted key's checksum:
  // BLAKE2b-256 of "Ed" || key id || seed || public key.
  std::string blob = Blob(Encode(std::nullopt));
  std::string covered = blob.substr(0, 2) + blob.substr(54, 72);
  crypto_generichash(reinterpret_cast<uint8_t*>(blob.data()) + 126, 32, AsBytes(covered).data(),
                     covered.size(), nullptr, 0);
  ASSERT_NE(blob.substr(126), std::string(32, '\0'));
  EXPECT_TRUE(Decode(FileOf(blob)).ok());
}

TEST(MinisignSecretKey, EncryptedRoundTripsWithTheRightPassphraseOnly) {
  std::string text = Encode(MinisignKeyEncryption{"correct horse", kTestScryptLimits});
  std::string blob = Blob(text);
  EXPECT_EQ(blob.substr(0, 6), "EdScB2");
  EXPECT_TRUE(*MinisignSecretKeyIsEncrypted(SecretBytes::CopyOf(AsBytes(text))));
  Result<MinisignSecretKey> key = Decode(text, "correct horse");
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->public_key().key, TestKey().public_key().key);

  Result<MinisignSecretKey> wrong = Decode(text, "correct horsf");
  EXPECT_EQ(wrong.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(wrong.status().message(), "wrong passphrase or corrupted secret key");
  ExpectNoSecretIn(wrong.status(), text);
}

TEST(MinisignSecretKey, FlippedBytesAreCaughtWithTheReason) {
  std::string blob = Blob(Encode(std::nullopt));
  struct Case {
    size_t offset;
    std::string message;
  } cases[] = {
      {0, "unsupported secret key algorithm (expected \"Ed\")"},
      {2, "unsupported secret key encryption (expected scrypt or none)"},
      {4, "unsupported secret key checksum algorithm (expected \"B2\")"},
      {70, "secret key is corrupted: its public half does not match its seed"},   // seed
      {100, "secret key is corrupted: its public half does not match its seed"},  // public half
      {130, "secret key is corrupted (checksum mismatch)"},
  };
  for (const Case& c : cases) {
    std::string flipped = blob;
    flipped[c.offset] ^= 0x20;
    std::string text = FileOf(flipped);
    Result<MinisignSecretKey> key = Decode(text);
    ASSERT_FALSE(key.ok()) << c.offset;
    EXPECT_EQ(key.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(key.status().message(), c.message);
    ExpectNoSecretIn(key.status(), text);
  }
}

TEST(MinisignSecretKey, FlippedEncryptedBytesReadAsWrongPassphrase) {
  std::string blob = Blob(Encode(MinisignKeyEncryption{"pw", kTestScryptLimits}));
  for (size_t offset : {10, 60, 80, 140}) {  // salt, key id, seed, checksum
    std::string flipped = blob;
    flipped[offset] ^= 1;
    EXPECT_EQ(Decode(FileOf(flipped), "pw").status().message(),
              "wrong passphrase or corrupted secret key")
        << offset;
  }
}

TEST(MinisignSecretKey, TruncatedAndGarbledFiles) {
  std::string text = Encode(std::nullopt);
  for (size_t size : {size_t{0}, size_t{10}, size_t{60}, text.size() - 5}) {
    Result<MinisignSecretKey> key = Decode(text.substr(0, size));
    ASSERT_FALSE(key.ok()) << size;
    EXPECT_EQ(key.status().kind(), ErrorKind::kInvalidInput);
    ExpectNoSecretIn(key.status(), text);
  }
  EXPECT_EQ(Decode(text.substr(0, 30)).status().message(),
            "secret key file is truncated: expected 2 lines, found 1");
  EXPECT_EQ(Decode(text.substr(0, text.size() - 5)).status().message(),
            "secret key file: second line is not the base64 of 158 bytes");
  std::string garbled = text;
  garbled[80] = '*';
  EXPECT_EQ(Decode(garbled).status().message(),
            "secret key file: second line is not the base64 of 158 bytes");
}

// A key file sets its own scrypt limits: one that asks for more than minisign
// itself uses is refused by reading its header, before a passphrase is asked
// for or any key derivation runs (so the test is instant, with limits that
// would otherwise take minutes and gigabytes).
TEST(MinisignSecretKey, RefusesHostileScryptLimitsBeforeDerivingAnything) {
  const std::string good = Blob(Encode(MinisignKeyEncryption{"pw", kTestScryptLimits}));
  struct Case {
    size_t offset;    // 38: opslimit, 46: memlimit (u64 LE)
    uint64_t value;
    std::string message;
  } cases[] = {
      {46, uint64_t{1} << 32,
       "the key asks scrypt for 4294967296 bytes of memory, more than minisign's 1073741824; refused before "
       "unlocking it (re-encrypt it with minisign -C)"},
      {46, kMinisignScryptLimits.memlimit + 1,
       "the key asks scrypt for 1073741825 bytes of memory, more than minisign's 1073741824; refused before "
       "unlocking it (re-encrypt it with minisign -C)"},
      {38, (uint64_t{1} << 32) - 1,
       "the key asks scrypt for 4294967295 operations, more than minisign's 33554432; refused before unlocking "
       "it (re-encrypt it with minisign -C)"},
  };
  for (const Case& c : cases) {
    std::string blob = good;
    for (size_t i = 0; i < 8; ++i) blob[c.offset + i] = static_cast<char>((c.value >> (8 * i)) & 0xff);
    Result<bool> encrypted = MinisignSecretKeyIsEncrypted(SecretBytes::CopyOf(AsBytes(FileOf(blob))));
    EXPECT_EQ(encrypted.status().kind(), ErrorKind::kInvalidInput) << c.value;
    EXPECT_EQ(encrypted.status().message(), c.message);
    Result<MinisignSecretKey> key = Decode(FileOf(blob), "pw");
    EXPECT_EQ(key.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(key.status().message(), c.message);
  }
  // minisign's own limits are still read (and not derived here: no passphrase is tried).
  std::string at_limit = good;
  for (size_t i = 0; i < 8; ++i) {
    at_limit[38 + i] = static_cast<char>((kMinisignScryptLimits.opslimit >> (8 * i)) & 0xff);
    at_limit[46 + i] = static_cast<char>((kMinisignScryptLimits.memlimit >> (8 * i)) & 0xff);
  }
  EXPECT_TRUE(*MinisignSecretKeyIsEncrypted(SecretBytes::CopyOf(AsBytes(FileOf(at_limit)))));
}

TEST(MinisignSecretKey, EncodeRefusesMultiLineComments) {
  Result<SecretBytes> file = EncodeMinisignSecretKeyFile(TestKey(), std::nullopt, "a\nb");
  EXPECT_EQ(file.status().kind(), ErrorKind::kInvalidInput);
}

TEST(MinisignSecretKey, LoadNamesTheFile) {
  testing::ScratchDir dir;
  std::string text = Encode(std::nullopt);
  std::string path = dir.Write("minisign.key", text);
  Result<MinisignSecretKey> key = LoadMinisignSecretKey(LocalFileSystem(), path, "");
  ASSERT_TRUE(key.ok()) << key.status().message();

  std::string truncated = dir.Write("truncated.key", text.substr(0, 100));
  Result<MinisignSecretKey> bad = LoadMinisignSecretKey(LocalFileSystem(), truncated, "");
  EXPECT_EQ(bad.status().message(),
            truncated + ": secret key file: second line is not the base64 of 158 bytes");

  Result<MinisignSecretKey> missing =
      LoadMinisignSecretKey(LocalFileSystem(), dir.path().string() + "/absent.key", "");
  EXPECT_EQ(missing.status().kind(), ErrorKind::kIo);

  std::string huge = dir.Write("huge.key", std::string(20000, 'a'));
  EXPECT_EQ(LoadMinisignSecretKey(LocalFileSystem(), huge, "").status().message(),
            huge + ": file is 20000 bytes, too large for a minisign secret key");
}

TEST(MinisignSecretKey, GenerateMakesDistinctKeys) {
  MinisignSecretKey a = MinisignSecretKey::Generate();
  MinisignSecretKey b = MinisignSecretKey::Generate();
  EXPECT_NE(a.key_id(), b.key_id());
  EXPECT_NE(a.key().public_key(), b.key().public_key());
}

}  // namespace
}  // namespace assay
