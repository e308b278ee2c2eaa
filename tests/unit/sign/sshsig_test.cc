#include "sign/sshsig.h"

#include <gtest/gtest.h>

#include "digest/sha256.h"
#include "seeded_key.h"
#include "sign/base64.h"
#include "sign/bytes.h"
#include "sign/openssh_key.h"
#include "sign/ssh_wire.h"

namespace assay {
namespace {

using sign_testing::SeededKey;

// Made by `ssh-keygen -Y sign -n git` (OpenSSH 9.2) over "msg\n" with the key
// "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMWsVvHBC2nHFWaOWqDwKMfR5dUZmrFwyb1Bc2wRd5q4".
constexpr std::string_view kRealSignature =
    "-----BEGIN SSH SIGNATURE-----\n"
    "U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgxaxW8cELaccVZo5aoPAox9Hl1R\n"
    "masXDJvUFzbBF3mrgAAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5\n"
    "AAAAQFF2OCCXl74zXrSo6AvFwtmq7vi6oiKmzr6wfN5jnzutVxs2NAq7yfkvl9J4GDF624\n"
    "WFrkID5sb0Rjn+eB1shAI=\n"
    "-----END SSH SIGNATURE-----\n";

Ed25519PublicKey RealKey() {
  return *ParseSshPublicKeyLine(
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMWsVvHBC2nHFWaOWqDwKMfR5dUZmrFwyb1Bc2wRd5q4");
}

// Rebuilds an armored signature from its blob, to test blob-level faults.
std::string Rearmor(std::string_view blob) {
  std::string encoded = EncodeBase64(blob);
  return "-----BEGIN SSH SIGNATURE-----\n" + encoded + "\n-----END SSH SIGNATURE-----\n";
}

std::string BlobOf(std::string_view armored) {
  std::string encoded;
  for (char c : armored.substr(30, armored.find("-----END") - 30)) {
    if (c != '\n') encoded.push_back(c);
  }
  return *DecodeBase64(encoded);
}

TEST(Sshsig, VerifiesARealSignature) {
  std::vector<Ed25519PublicKey> keys = {SeededKey(1).public_key(), RealKey()};
  Result<size_t> index = VerifySshsig(kRealSignature, "git", "msg\n", keys);
  ASSERT_TRUE(index.ok()) << index.status().message();
  EXPECT_EQ(*index, 1u);
  Result<SshSignature> parsed = ParseSshsig(kRealSignature);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->sig_namespace, "git");
  EXPECT_EQ(parsed->hash_algorithm, "sha512");
}

TEST(Sshsig, SignedThenVerified) {
  Ed25519SecretKey key = SeededKey(2);
  Result<std::string> armored = SignSshsig(key, "assay", "commit bytes");
  ASSERT_TRUE(armored.ok());
  for (size_t start = armored->find('\n') + 1, end;
       (end = armored->find('\n', start)) != std::string::npos; start = end + 1) {
    EXPECT_LE(end - start, 70u);
  }
  EXPECT_TRUE(VerifySshsig(*armored, "assay", "commit bytes", std::vector{key.public_key()}).ok());
}

TEST(Sshsig, FailuresSayWhy) {
  std::vector<Ed25519PublicKey> keys = {RealKey()};
  Result<size_t> tampered = VerifySshsig(kRealSignature, "git", "msg!\n", keys);
  EXPECT_EQ(tampered.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(tampered.status().message(), "ssh signature verification failed");

  Result<size_t> other_namespace = VerifySshsig(kRealSignature, "file", "msg\n", keys);
  EXPECT_EQ(other_namespace.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(other_namespace.status().message(), "ssh signature is for namespace 'git', not 'file'");

  Result<size_t> unknown =
      VerifySshsig(kRealSignature, "git", "msg\n", std::vector{SeededKey(1).public_key()});
  EXPECT_EQ(unknown.status().kind(), ErrorKind::kCheckFailed);
  EXPECT_EQ(unknown.status().message(),
            "ssh signature was made by an unknown key "
            "SHA256:Kw8mfdxpLc+k8xmc5sq/i0PAk7Nj1DnwIrfsjwPkbHw");

  EXPECT_EQ(SignSshsig(SeededKey(1), "", "m").status().kind(), ErrorKind::kInvalidInput);
}

TEST(Sshsig, AcceptsSha256Signatures) {
  // The blob of a sha256 signature, built by hand as PROTOCOL.sshsig defines it.
  Ed25519SecretKey key = SeededKey(3);
  std::string digest(AsText(Sha256::Of(std::string_view("data"))));
  std::string signed_data = "SSHSIG";
  for (std::string_view field : {std::string_view("git"), std::string_view(),
                                 std::string_view("sha256"), std::string_view(digest)}) {
    AppendSshString(signed_data, field);
  }
  Ed25519Signature signature = key.Sign(signed_data);
  std::string signature_blob;
  AppendSshString(signature_blob, "ssh-ed25519");
  AppendSshString(signature_blob, AsText(signature));
  std::string blob = "SSHSIG";
  AppendSshU32(blob, 1);
  AppendSshString(blob, SshPublicKeyBlob(key.public_key()));
  AppendSshString(blob, "git");
  AppendSshString(blob, "");
  AppendSshString(blob, "sha256");
  AppendSshString(blob, signature_blob);
  EXPECT_TRUE(VerifySshsig(Rearmor(blob), "git", "data", std::vector{key.public_key()}).ok());
}

TEST(Sshsig, RejectsMalformedSignaturesWithTheReason) {
  std::string blob = BlobOf(kRealSignature);
  std::string version_two = blob;
  version_two[9] = 2;
  std::string md5 = blob;
  md5.replace(md5.find("sha512"), 6, "md5xyz");
  std::string trailing = blob + "x";
  struct Case {
    std::string armored;
    std::string message;
  } cases[] = {
      {"", "ssh signature does not start with \"-----BEGIN SSH SIGNATURE-----\""},
      {std::string(kRealSignature.substr(0, 100)),
       "ssh signature has no \"-----END SSH SIGNATURE-----\" line"},
      {std::string(kRealSignature) + "junk\n", "ssh signature has text after its end line"},
      {"-----BEGIN SSH SIGNATURE-----\n!!!!\n-----END SSH SIGNATURE-----\n",
       "ssh signature is not valid base64"},
      {Rearmor("NOTSIG\0\0\0\1"), "not an ssh signature (no SSHSIG preamble)"},
      {Rearmor(version_two), "unsupported ssh signature version 2"},
      {Rearmor(md5), "unsupported ssh signature hash 'md5xyz' (expected sha512 or sha256)"},
      {Rearmor(trailing), "malformed ssh signature blob"},
      {Rearmor(blob.substr(0, blob.size() - 1)), "malformed ssh signature blob"},
  };
  for (const Case& c : cases) {
    Result<SshSignature> parsed = ParseSshsig(c.armored);
    ASSERT_FALSE(parsed.ok()) << c.armored;
    EXPECT_EQ(parsed.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_EQ(parsed.status().message(), c.message);
  }
  // CRLF armor (a signature that passed through Windows) still parses.
  std::string crlf;
  for (char c : kRealSignature) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  EXPECT_TRUE(VerifySshsig(crlf, "git", "msg\n", std::vector{RealKey()}).ok());
}

}  // namespace
}  // namespace assay
