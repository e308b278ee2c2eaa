// Interoperability with the real clients: minisign (Debian's minisign 0.11),
// OpenSSH's ssh-keygen (9.2) and an independent DSSE check in Python
// (dsse_verify.py with Debian's python3-cryptography). These tests are the
// proof that assay's files are the formats they claim to be, so a missing
// client fails them; it never skips them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>

#include "digest/sha256.h"
#include "sign/bytes.h"
#include "sign/dsse.h"
#include "sign/minisign_secret_key.h"
#include "sign/minisign_signature.h"
#include "sign/openssh_key.h"
#include "sign/sshsig.h"
#include "sign/trust_file.h"
#include "test_support.h"
#include "record/record_id.h"

namespace assay {
namespace {

using Outcome = testing::CommandOutcome;
using testing::RunCommand;

std::string Quote(const std::string& path) { return testing::ShellQuote(path); }

::testing::AssertionResult ClientInstalled(const std::string& name) {
  if (RunCommand("command -v " + name).exit_code == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << name << " is not installed, so interoperability cannot be checked (apt-get install it)";
}

// Writes a secret key file the way the CLI will: mode 0600, never through a std::string.
void WriteSecretKey(const std::string& path, const MinisignSecretKey& key,
                    const std::optional<MinisignKeyEncryption>& encryption) {
  Result<SecretBytes> file = EncodeMinisignSecretKeyFile(key, encryption);
  ASSERT_TRUE(file.ok()) << file.status().message();
  Status written = file->Read([&](std::span<const uint8_t> bytes) {
    return LocalFileSystem().WriteFileAtomically(path, AsText(bytes), 0600);
  });
  ASSERT_TRUE(written.ok()) << written.message();
}

// Signs `path` as `minisign -S` would and writes PATH.minisig.
void SignFile(const MinisignSecretKey& key, const std::string& path) {
  auto file = LocalFileSystem().OpenForRead(path);
  ASSERT_TRUE(file.ok());
  Result<Blake2b512Digest> prehash = PrehashFile(**file);
  ASSERT_TRUE(prehash.ok());
  Result<MinisignSignature> signature = SignMinisign(
      key, *prehash, "timestamp:1700000000\tfile:model.bin\thashed", "signed by assay");
  ASSERT_TRUE(signature.ok());
  ASSERT_TRUE(LocalFileSystem()
                  .WriteFileAtomically(path + ".minisig", FormatMinisignSignature(*signature))
                  .ok());
}

// Verifies PATH.minisig as assay's CLI will.
Status VerifyFile(const MinisignPublicKey& key, const std::string& path) {
  Result<MinisignSignature> signature =
      ParseMinisignSignature(testing::ReadFileOrDie(path + ".minisig"));
  if (!signature.ok()) return signature.status();
  auto file = LocalFileSystem().OpenForRead(path);
  if (!file.ok()) return file.status();
  return VerifyMinisignFile(key, *signature, **file);
}

Outcome MinisignVerify(const std::string& public_key_file, const std::string& path) {
  return RunCommand("minisign -V -p " + Quote(public_key_file) + " -m " + Quote(path));
}

TEST(MinisignInterop, MinisignVerifiesWhatAssaySigns) {
  ASSERT_TRUE(ClientInstalled("minisign"));
  testing::ScratchDir dir;
  MinisignSecretKey key = MinisignSecretKey::Generate();
  std::string public_key = dir.Write("assay.pub", FormatMinisignPublicKeyFile(key.public_key()));
  std::string model = dir.Write("model.bin", std::string(200000, 'w'));
  SignFile(key, model);

  Outcome verified = MinisignVerify(public_key, model);
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("Trusted comment: timestamp:1700000000\tfile:model.bin\thashed"),
            std::string::npos)
      << verified.output;

  dir.Write("model.bin", std::string(200000, 'w') + "x");
  Outcome tampered = MinisignVerify(public_key, model);
  EXPECT_EQ(tampered.exit_code, 1) << tampered.output;
}

TEST(MinisignInterop, AssayVerifiesWhatMinisignSigns) {
  ASSERT_TRUE(ClientInstalled("minisign"));
  testing::ScratchDir dir;
  std::string public_key = dir.path() / "m.pub";
  std::string secret_key = dir.path() / "m.key";
  Outcome generated =
      RunCommand("minisign -G -W -p " + Quote(public_key) + " -s " + Quote(secret_key));
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  Result<MinisignPublicKey> key = ParseMinisignPublicKeyFile(testing::ReadFileOrDie(public_key));
  ASSERT_TRUE(key.ok()) << key.status().message();

  std::string model = dir.Write("model.bin", "weights\n");
  Outcome signed_prehashed =
      RunCommand("minisign -S -s " + Quote(secret_key) + " -m " + Quote(model));
  ASSERT_EQ(signed_prehashed.exit_code, 0) << signed_prehashed.output;
  EXPECT_TRUE(VerifyFile(*key, model).ok());

  std::string legacy = dir.Write("legacy.bin", "weights\n");
  Outcome signed_legacy =
      RunCommand("minisign -S -l -s " + Quote(secret_key) + " -m " + Quote(legacy));
  ASSERT_EQ(signed_legacy.exit_code, 0) << signed_legacy.output;
  EXPECT_EQ(ParseMinisignSignature(testing::ReadFileOrDie(legacy + ".minisig"))->algorithm,
            MinisignAlgorithm::kLegacy);
  EXPECT_TRUE(VerifyFile(*key, legacy).ok());

  dir.Write("model.bin", "weightz\n");
  EXPECT_EQ(VerifyFile(*key, model).kind(), ErrorKind::kCheckFailed);

  // The unencrypted key minisign made signs in assay, and minisign accepts the result.
  Result<MinisignSecretKey> loaded = LoadMinisignSecretKey(LocalFileSystem(), secret_key, "");
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->key_id(), key->key_id);
  std::string other = dir.Write("other.bin", "more weights\n");
  SignFile(*loaded, other);
  Outcome verified = MinisignVerify(public_key, other);
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

// The one test that pays for minisign's default scrypt (about 1 GiB, seconds,
// twice: minisign encrypts, assay decrypts): the point is that assay reads a
// key minisign made with a password, exactly as it comes.
TEST(MinisignInterop, PasswordProtectedMinisignKeySignsInAssay) {
  ASSERT_TRUE(ClientInstalled("minisign"));
  testing::ScratchDir dir;
  std::string public_key = dir.path() / "m.pub";
  std::string secret_key = dir.path() / "m.key";
  // minisign reads the password twice from stdin when stdin is not a terminal.
  Outcome generated = RunCommand("printf 'sesame\\nsesame\\n' | minisign -G -p " +
                                 Quote(public_key) + " -s " + Quote(secret_key));
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  Result<SecretBytes> file = ReadMinisignSecretKeyFile(LocalFileSystem(), secret_key);
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE(*MinisignSecretKeyIsEncrypted(*file));

  Result<MinisignSecretKey> key = DecodeMinisignSecretKeyFile(*file, "sesame");
  ASSERT_TRUE(key.ok()) << key.status().message();
  std::string model = dir.Write("model.bin", "weights\n");
  SignFile(*key, model);
  Outcome verified = MinisignVerify(public_key, model);
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

TEST(MinisignInterop, MinisignSignsWithKeysAssayWrites) {
  ASSERT_TRUE(ClientInstalled("minisign"));
  testing::ScratchDir dir;
  MinisignSecretKey key = MinisignSecretKey::Generate();
  std::string model = dir.Write("model.bin", "weights\n");

  std::string plain = (dir.path() / "plain.key").string();
  WriteSecretKey(plain, key, std::nullopt);
  Outcome signed_plain = RunCommand("minisign -S -s " + Quote(plain) + " -m " + Quote(model));
  ASSERT_EQ(signed_plain.exit_code, 0) << signed_plain.output;
  EXPECT_TRUE(VerifyFile(key.public_key(), model).ok());

  // Small scrypt limits keep this fast; minisign uses the limits the file names.
  std::string encrypted = (dir.path() / "encrypted.key").string();
  WriteSecretKey(encrypted, key, MinisignKeyEncryption{"sesame", kTestScryptLimits});
  Outcome wrong =
      RunCommand("printf 'open\\n' | minisign -S -s " + Quote(encrypted) + " -m " + Quote(model));
  EXPECT_NE(wrong.exit_code, 0) << wrong.output;
  EXPECT_NE(wrong.output.find("Wrong password"), std::string::npos) << wrong.output;
  std::filesystem::remove(model + ".minisig");
  Outcome signed_encrypted =
      RunCommand("printf 'sesame\\n' | minisign -S -s " + Quote(encrypted) + " -m " + Quote(model));
  ASSERT_EQ(signed_encrypted.exit_code, 0) << signed_encrypted.output;
  EXPECT_TRUE(VerifyFile(key.public_key(), model).ok());
}

TEST(SshInterop, SshKeygenVerifiesWhatAssaySigns) {
  ASSERT_TRUE(ClientInstalled("ssh-keygen"));
  testing::ScratchDir dir;
  MinisignSecretKey key = MinisignSecretKey::Generate();
  TrustFile trust;
  ASSERT_TRUE(trust
                  .Add({"acme",
                        {TrustRole::kVendor},
                        key.public_key(),
                        UtcDate{2024, 1, 1},
                        UtcDate{2030, 1, 1}})
                  .ok());
  std::string allowed = dir.Write("allowed_signers", trust.ToAllowedSigners());
  std::string message =
      dir.Write("commit", "tree 0123\nauthor a <a@b> 1700000000 +0000\n\nrecord\n");
  Result<std::string> armored =
      SignSshsig(key.key(), kGitSshsigNamespace, testing::ReadFileOrDie(message));
  ASSERT_TRUE(armored.ok());
  std::string signature = dir.Write("commit.sig", *armored);

  auto verify = [&](const std::string& principal, const std::string& name_space,
                    const std::string& time) {
    return RunCommand("ssh-keygen -Y verify -f " + Quote(allowed) + " -I " + principal + " -n " +
                      name_space + " -s " + Quote(signature) + " -Overify-time=" + time + " < " +
                      Quote(message));
  };
  Outcome verified = verify("acme", "git", "20240601");
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find(SshFingerprint(key.key().public_key())), std::string::npos)
      << verified.output;
  EXPECT_NE(verify("acme", "file", "20240601").exit_code, 0);  // namespace not allowed
  EXPECT_NE(verify("acme", "git", "20231231").exit_code, 0);   // before valid-after
  EXPECT_NE(verify("acme", "git", "20300102").exit_code, 0);   // after valid-before
  EXPECT_NE(verify("mallory", "git", "20240601").exit_code, 0);

  std::string public_key =
      dir.Write("key.pub", FormatSshPublicKeyLine(key.key().public_key(), "acme") + "\n");
  Outcome fingerprint = RunCommand("ssh-keygen -l -f " + Quote(public_key));
  EXPECT_NE(fingerprint.output.find(SshFingerprint(key.key().public_key())), std::string::npos)
      << fingerprint.output;
}

TEST(SshInterop, AssayVerifiesWhatSshKeygenSigns) {
  ASSERT_TRUE(ClientInstalled("ssh-keygen"));
  testing::ScratchDir dir;
  std::string identity = (dir.path() / "id").string();
  Outcome generated = RunCommand("ssh-keygen -q -t ed25519 -N '' -C test -f " + Quote(identity));
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  Result<Ed25519PublicKey> key = ParseSshPublicKeyLine(testing::ReadFileOrDie(identity + ".pub"));
  ASSERT_TRUE(key.ok()) << key.status().message();
  std::vector<Ed25519PublicKey> keys = {*key};
  std::string message = dir.Write("msg", "signed by ssh-keygen\n");

  for (std::string hash : {"sha512", "sha256"}) {
    Outcome signed_message =
        RunCommand("ssh-keygen -Y sign -f " + Quote(identity) + " -n git -O hashalg=" + hash + " " +
                   Quote(message) + " < /dev/null");
    ASSERT_EQ(signed_message.exit_code, 0) << signed_message.output;
    std::string armored = testing::ReadFileOrDie(message + ".sig");
    std::filesystem::remove(message + ".sig");
    EXPECT_EQ(ParseSshsig(armored)->hash_algorithm, hash);
    Result<size_t> index = VerifySshsig(armored, "git", "signed by ssh-keygen\n", keys);
    EXPECT_TRUE(index.ok()) << hash << ": " << index.status().message();
    EXPECT_EQ(VerifySshsig(armored, "git", "signed by ssh-keygen!\n", keys).status().kind(),
              ErrorKind::kCheckFailed);
  }
}

TEST(DsseInterop, PythonVerifiesWhatAssaySigns) {
  ASSERT_TRUE(ClientInstalled("/usr/bin/python3"));
  testing::ScratchDir dir;
  MinisignSecretKey key = MinisignSecretKey::Generate();
  std::string statement = R"({"_type":"https://in-toto.io/Statement/v1","predicate":{"x":"é"}})";
  DsseEnvelope envelope = SignDsse(kInTotoPayloadType, statement, key.key());
  std::string path = dir.Write("record.intoto.json", SerializeDsseEnvelope(envelope));
  std::string checker = std::string(ASSAY_SOURCE_DIR) + "/tests/unit/sign/dsse_verify.py";
  std::string key_hex = ToHex(key.key().public_key().bytes());

  Outcome verified =
      RunCommand("/usr/bin/python3 " + Quote(checker) + " " + Quote(path) + " " + key_hex);
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_EQ(verified.output, RecordId(statement) + "\n");

  DsseEnvelope tampered = envelope;
  tampered.payload.back() = ']';
  dir.Write("record.intoto.json", SerializeDsseEnvelope(tampered));
  Outcome rejected =
      RunCommand("/usr/bin/python3 " + Quote(checker) + " " + Quote(path) + " " + key_hex);
  EXPECT_EQ(rejected.exit_code, 1) << rejected.output;
}

}  // namespace
}  // namespace assay
