// The key, trust and signature operations (src/ops/key_ops.h, trust_ops.h,
// signature_ops.h) on the in-memory file system, with a scripted prompter.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>

#include "memory_file_system.h"
#include "ops/key_ops.h"
#include "ops/signature_ops.h"
#include "ops/trust_ops.h"
#include "ops_fixture.h"
#include "sign/minisign_secret_key.h"

namespace assay {
namespace {

using ::testing::HasSubstr;
using testing::MemoryFileSystem;
using testing::RecordingOutput;

// Answers each prompt with the next scripted line; none left: no terminal.
class ScriptedPrompter final : public Prompter {
 public:
  Result<SecretBytes> AskSecret(const std::string& prompt) override {
    prompts.push_back(prompt);
    if (answers.empty()) return Status::InvalidInput("no terminal to ask for the passphrase");
    std::string line = answers.front();
    answers.pop_front();
    return SecretBytes::CopyOf(std::span(reinterpret_cast<const uint8_t*>(line.data()), line.size()));
  }
  std::deque<std::string> answers;
  std::vector<std::string> prompts;
};

ExportPublicKeyRequest ExportOf(std::string key, std::string format = "minisign", std::string name = "",
                                std::string output = "") {
  return ExportPublicKeyRequest{std::move(key), std::move(format), std::move(name), std::move(output), false};
}

SignFileRequest SignOf(std::string file, std::optional<std::string> comment = std::nullopt, std::string output = "") {
  return SignFileRequest{std::move(file), std::move(comment), "", std::move(output), false};
}

VerifySignatureRequest VerifyOf(std::string file, std::string signature = "", std::string public_key = "",
                                bool allow_untrusted = false, std::string role = "") {
  return VerifySignatureRequest{std::move(file), std::move(signature), std::move(public_key), allow_untrusted,
                                std::move(role)};
}

class KeyOps : public ::testing::Test {
 protected:
  KeyOps() {
    Paths paths;
    paths.config_dir = "/home/u/.config/assay";
    paths.trust_file = paths.config_dir + "/trust";
    paths.key_file = paths.config_dir + "/assay.key";
    context_ = std::make_unique<Context>(Context{paths, fs_, clock_, keys_, output_});
  }

  // An unencrypted key at `path`, made by GenerateKey.
  MinisignPublicKey Generate(const std::string& path) {
    GenerateKeyRequest request;
    request.key_file = path;
    request.unencrypted = true;
    Result<GeneratedKey> generated = GenerateKey(*context_, request);
    EXPECT_TRUE(generated.ok()) << generated.status().message();
    return generated->summary.key;
  }

  Status Trust(const std::string& name, const std::string& pub, std::vector<std::string> roles) {
    TrustAddRequest request;
    request.name = name;
    request.key_file = pub;
    request.roles = std::move(roles);
    return TrustAdd(*context_, request).status();
  }

  FixedClock clock_{1'790'000'000'000'000'000};  // 2026-09-21
  MemoryFileSystem fs_{&clock_};
  RecordingOutput output_;
  ScriptedPrompter prompter_;
  MinisignKeyFiles keys_{fs_, PassphraseSources{"", std::nullopt, &prompter_}};
  std::unique_ptr<Context> context_;
};

TEST_F(KeyOps, GeneratesAnUnencryptedKeyInAPrivateFolder) {
  Result<GeneratedKey> generated = GenerateKey(*context_, GenerateKeyRequest{"", true, false, false});
  ASSERT_TRUE(generated.ok()) << generated.status().message();
  EXPECT_EQ(generated->summary.secret_key_file, "/home/u/.config/assay/assay.key");
  EXPECT_EQ(generated->summary.public_key_file, "/home/u/.config/assay/assay.pub");
  EXPECT_EQ(fs_.LinkStatus("/home/u/.config/assay")->mode & 0777, 0700u);
  EXPECT_EQ(fs_.LinkStatus("/home/u/.config/assay/assay.key")->mode & 0777, 0600u);
  EXPECT_EQ(fs_.LinkStatus("/home/u/.config/assay/assay.pub")->mode & 0777, 0644u);
  ASSERT_EQ(output_.warnings.size(), 1u);
  EXPECT_THAT(output_.warnings[0], HasSubstr("UNENCRYPTED"));
  EXPECT_TRUE(prompter_.prompts.empty());
  Result<const MinisignSecretKey*> unlocked = keys_.Unlock("/home/u/.config/assay/assay.key");
  ASSERT_TRUE(unlocked.ok());
  EXPECT_EQ((*unlocked)->public_key().key, generated->summary.key.key);

  Result<KeySummary> shown = ShowKey(*context_, ShowKeyRequest{});
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->key.key, generated->summary.key.key);
  EXPECT_EQ(shown->secret_key_file, "/home/u/.config/assay/assay.key");
  Result<KeySummary> bare = ShowKey(*context_, ShowKeyRequest{"/home/u/.config/assay/assay.pub"});
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->secret_key_file, "");  // a .pub names no secret key
}

TEST_F(KeyOps, RefusesToReplaceAKeyUnlessForced) {
  const MinisignPublicKey first = Generate("/k/a.key");
  Result<GeneratedKey> again = GenerateKey(*context_, GenerateKeyRequest{"/k/a.key", true, false, false});
  EXPECT_EQ(again.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(again.status().message(), HasSubstr("/k/a.key: already exists"));
  ASSERT_TRUE(fs_.RemoveFile("/k/a.key").ok());
  again = GenerateKey(*context_, GenerateKeyRequest{"/k/a.key", true, false, false});
  EXPECT_THAT(again.status().message(), HasSubstr("/k/a.pub: already exists"));  // the .pub alone blocks it too
  Result<GeneratedKey> forced = GenerateKey(*context_, GenerateKeyRequest{"/k/a.key", true, true, false});
  ASSERT_TRUE(forced.ok());
  EXPECT_FALSE(forced->summary.key.key == first.key);
}

TEST_F(KeyOps, EncryptsWithAPassphraseAskedTwice) {
  prompter_.answers = {"secret words", "other words"};
  Result<GeneratedKey> differ = GenerateKey(*context_, GenerateKeyRequest{"/k/e.key", false, false, true});
  EXPECT_EQ(differ.status().message(), "the two passphrases differ");
  EXPECT_FALSE(fs_.LinkStatus("/k").ok());  // nothing written, not even the folder

  prompter_.answers = {"secret words", "secret words"};
  Result<GeneratedKey> made = GenerateKey(*context_, GenerateKeyRequest{"/k/e.key", false, false, true});
  ASSERT_TRUE(made.ok()) << made.status().message();
  EXPECT_THAT(output_.warnings.back(), HasSubstr("smallest limits"));
  Result<SecretBytes> file = ReadMinisignSecretKeyFile(fs_, "/k/e.key");
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE(*MinisignSecretKeyIsEncrypted(*file));

  Result<GeneratedKey> weak_in_clear = GenerateKey(*context_, GenerateKeyRequest{"/k/w.key", true, false, true});
  EXPECT_EQ(weak_in_clear.status().kind(), ErrorKind::kInvalidInput);
}

TEST_F(KeyOps, LeavesNoSecretKeyWhenThePublicOneCannotBeWritten) {
  fs_.AddDirectory("/k");
  fs_.FailWrites("/k/a.pub");
  Result<GeneratedKey> failed = GenerateKey(*context_, GenerateKeyRequest{"/k/a.key", true, false, false});
  EXPECT_EQ(failed.status().kind(), ErrorKind::kIo);
  EXPECT_FALSE(fs_.LinkStatus("/k/a.key").ok());
}

TEST_F(KeyOps, ExportsThePublicKeyInThreeFormats) {
  const MinisignPublicKey key = Generate("/k/a.key");
  Result<ExportedPublicKey> minisign = ExportPublicKey(*context_, ExportOf("/k/a.key"));
  ASSERT_TRUE(minisign.ok());
  EXPECT_EQ(minisign->text, *fs_.Contents("/k/a.pub"));
  Result<ExportedPublicKey> ssh = ExportPublicKey(*context_, ExportOf("/k/a.pub", "ssh"));
  ASSERT_TRUE(ssh.ok());
  EXPECT_THAT(ssh->text, HasSubstr("ssh-ed25519 "));
  EXPECT_THAT(ssh->text, HasSubstr(SshCommentFor(key)));
  Result<ExportedPublicKey> nameless = ExportPublicKey(*context_, ExportOf("/k/a.key", "allowed-signers"));
  EXPECT_THAT(nameless.status().message(), HasSubstr("needs --name"));
  Result<ExportedPublicKey> bad_name =
      ExportPublicKey(*context_, ExportOf("/k/a.key", "allowed-signers", "two words"));
  EXPECT_EQ(bad_name.status().kind(), ErrorKind::kInvalidInput);
  ExportPublicKeyRequest to_file = ExportOf("/k/a.key", "allowed-signers", "alice", "/out/signers");
  fs_.AddDirectory("/out");
  Result<ExportedPublicKey> written = ExportPublicKey(*context_, to_file);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->written_to, "/out/signers");
  EXPECT_THAT(*fs_.Contents("/out/signers"), HasSubstr("alice "));
  EXPECT_THAT(ExportPublicKey(*context_, to_file).status().message(), HasSubstr("already exists"));
  Result<KeySummary> missing = ShowKey(*context_, ShowKeyRequest{"/nowhere/x.key"});
  EXPECT_EQ(missing.status().kind(), ErrorKind::kIo);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nowhere/x.pub: no public key here"));
}

TEST_F(KeyOps, AddsListsRemovesAndExportsTrustedKeys) {
  Generate("/k/a.key");
  Generate("/k/b.key");
  ASSERT_TRUE(Trust("alice", "/k/a.pub", {"vendor", "evaluator"}).ok());
  EXPECT_EQ(fs_.LinkStatus("/home/u/.config/assay")->mode & 0777, 0700u);
  EXPECT_EQ(Trust("alice2", "/k/a.pub", {"vendor"}).kind(), ErrorKind::kInvalidInput);  // the key is there already
  EXPECT_THAT(Trust("bob", "/k/b.pub", {"chef"}).message(), HasSubstr("unknown role 'chef'"));

  TrustAddRequest expired;
  expired.name = "bob";
  expired.key_file = "/k/b.pub";
  expired.roles = {"witness"};
  expired.valid_before = "20250101";
  const size_t warnings = output_.warnings.size();
  Result<TrustAdded> added = TrustAdd(*context_, expired);
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(added->validity_problem, "expired on 2025-01-01");
  ASSERT_EQ(output_.warnings.size(), warnings + 1);
  EXPECT_THAT(output_.warnings.back(), HasSubstr("no signature by this key counts now"));
  expired.valid_before = "20251399";
  EXPECT_THAT(TrustAdd(*context_, expired).status().message(), HasSubstr("--valid-before: invalid date"));

  Result<TrustListing> listing = TrustList(*context_);
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->trust.entries().size(), 2u);
  EXPECT_EQ(listing->trust.entries()[0].name, "alice");
  EXPECT_EQ(RoleList(listing->trust.entries()[0]), "vendor,evaluator");
  EXPECT_EQ(listing->now, 1'790'000'000);

  Result<TrustExported> exported = TrustExport(*context_, TrustExportRequest{"/home/u/signers"});
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(*fs_.Contents("/home/u/signers"), exported->text);
  EXPECT_THAT(exported->text, HasSubstr("alice "));

  EXPECT_EQ(TrustRemove(*context_, "carol").status().kind(), ErrorKind::kInvalidInput);
  Result<TrustRemoved> removed = TrustRemove(*context_, "bob");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->removed, 1u);
  EXPECT_EQ(TrustList(*context_)->trust.entries().size(), 1u);
}

TEST_F(KeyOps, ExportingAnEmptyTrustFileWarns) {
  Result<TrustExported> exported = TrustExport(*context_, TrustExportRequest{});
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(exported->written_to, "");
  ASSERT_EQ(output_.warnings.size(), 1u);
  EXPECT_THAT(output_.warnings[0], HasSubstr("lists no keys"));
  EXPECT_TRUE(TrustList(*context_)->trust.entries().empty());
}

TEST_F(KeyOps, SignsAndVerifiesADetachedSignature) {
  Generate("/home/u/.config/assay/assay.key");
  ASSERT_TRUE(Trust("alice", "/home/u/.config/assay/assay.pub", {"vendor"}).ok());
  fs_.AddFile("/data/report.txt", "the report\n");
  Result<SignedFile> signed_file = SignFile(*context_, SignOf("/data/report.txt"));
  ASSERT_TRUE(signed_file.ok()) << signed_file.status().message();
  EXPECT_EQ(signed_file->signature_file, "/data/report.txt.minisig");
  EXPECT_EQ(signed_file->signature.trusted_comment, "timestamp:1790000000\tfile:report.txt\thashed");
  EXPECT_THAT(SignFile(*context_, SignOf("/data/report.txt")).status().message(),
              HasSubstr("already exists"));

  Result<SignatureVerification> good = VerifySignature(*context_, VerifyOf("/data/report.txt"));
  ASSERT_TRUE(good.ok()) << good.status().message();
  ASSERT_TRUE(good->signer.has_value());
  EXPECT_EQ(good->signer->name, "alice");
  EXPECT_EQ(good->signature_file, "/data/report.txt.minisig");

  VerifySignatureRequest as_witness = VerifyOf("/data/report.txt", "", "", false, "witness");
  Result<SignatureVerification> wrong_role = VerifySignature(*context_, as_witness);
  EXPECT_EQ(wrong_role.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(wrong_role.status().message(), HasSubstr("does not count: key not trusted as witness"));

  clock_.Set(int64_t{1'900'000'000} * 1'000'000'000);
  fs_.OverwriteInPlace("/data/report.txt", "the report, altered\n");
  Result<SignatureVerification> altered = VerifySignature(*context_, VerifyOf("/data/report.txt"));
  EXPECT_FALSE(altered.ok());
  EXPECT_THAT(altered.status().message(), HasSubstr("/data/report.txt"));
}

TEST_F(KeyOps, AnUntrustedKeyCountsOnlyWhenAllowed) {
  Generate("/home/u/.config/assay/assay.key");
  fs_.AddFile("/data/f", "bytes");
  ASSERT_TRUE(SignFile(*context_, SignOf("/data/f", "mine", "/data/f.sig")).ok());

  Result<SignatureVerification> unknown = VerifySignature(*context_, VerifyOf("/data/f", "/data/f.sig"));
  EXPECT_EQ(unknown.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_THAT(unknown.status().message(), HasSubstr("which is not in the trust file"));
  VerifySignatureRequest named = VerifyOf("/data/f", "/data/f.sig", "/home/u/.config/assay/assay.pub");
  EXPECT_THAT(VerifySignature(*context_, named).status().message(), HasSubstr("add --allow-untrusted"));
  named.allow_untrusted = true;
  Result<SignatureVerification> allowed = VerifySignature(*context_, named);
  ASSERT_TRUE(allowed.ok()) << allowed.status().message();
  EXPECT_FALSE(allowed->signer.has_value());
  EXPECT_EQ(allowed->signature.trusted_comment, "mine");
  ASSERT_FALSE(output_.warnings.empty());
  EXPECT_THAT(output_.warnings.back(), HasSubstr("UNTRUSTED KEY"));

  fs_.AddFile("/data/bad.sig", "not a signature\n");
  Result<SignatureVerification> malformed = VerifySignature(*context_, VerifyOf("/data/f", "/data/bad.sig"));
  EXPECT_EQ(malformed.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_THAT(malformed.status().message(), HasSubstr("/data/bad.sig"));
}

}  // namespace
}  // namespace assay
