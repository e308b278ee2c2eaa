#include "sign/checkpoint.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "digest/merkle.h"
#include "digest/merkle_consistency.h"
#include "sign/base64.h"
#include "sign/signed_note.h"
#include "test_support.h"

namespace assay {
namespace {

// docs/spec/checkpoint.md's worked example, built step by step.
constexpr std::string_view kOrigin = "ledger.example.org/acme-evals";
constexpr std::string_view kWitness = "witness.example.org/w1";
constexpr std::string_view kCommit3 = "8f1c7d6e5b4a39281706f5e4d3c2b1a098765432";
constexpr std::string_view kCommit5 = "d2a8e0c4b6f1930572e8a4c6b0d2f4e6a8c0e2f4";
constexpr uint64_t kCosignTime = 1700000000;

// The key whose seed is the 32 bytes first, first + 1, ..., first + 31.
Ed25519SecretKey SeedKey(uint8_t first) {
  std::array<uint8_t, kEd25519SeedSize> seed{};
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(first + i);
  return Ed25519SecretKey::FromSeed(seed);
}

// Record ids of the example: SHA-256 of "example record 1" ... "example record 5".
std::vector<Sha256Digest> ExampleLeafHashes() {
  std::vector<Sha256Digest> leaves;
  for (int i = 1; i <= 5; ++i) {
    Sha256Digest record_id = Sha256::Of("example record " + std::to_string(i));
    leaves.push_back(MerkleLeafHash(record_id));
  }
  return leaves;
}

Checkpoint ExampleCheckpoint(size_t size, std::string_view commit) {
  std::vector<Sha256Digest> leaves = ExampleLeafHashes();
  return Checkpoint{std::string(kOrigin), size, MerkleRoot(std::span(leaves).first(size)),
                    {GitCommitExtension(commit).value()}};
}

std::string SignedExample(size_t size, std::string_view commit) {
  return SignNote(FormatCheckpoint(ExampleCheckpoint(size, commit)).value(), kOrigin, SeedKey(0x00))
      .value();
}

// The exact bytes docs/spec/checkpoint.md shows.
constexpr std::string_view kExampleNote3 =
    "ledger.example.org/acme-evals\n"
    "3\n"
    "EcbH/yL91p14hr6z2zBqt93HqIAfM49VxhXhPe7ZyVs=\n"
    "git-commit 8f1c7d6e5b4a39281706f5e4d3c2b1a098765432\n"
    "\n"
    "— ledger.example.org/acme-evals 6uHDSo+auYcIzIbFGCR9B73hqiNwuN3xnzXj+DCsho19a9+WMY0Ic"
    "qxIs7IsKJwlMnMVg3rAD5o00zd9oPHvHCn/9wk=\n";
constexpr std::string_view kExampleText5 =
    "ledger.example.org/acme-evals\n"
    "5\n"
    "BA1Uu8x958Vpo1S7gaI1VaP4Rep1WwWMYBZdiu+jKbw=\n"
    "git-commit d2a8e0c4b6f1930572e8a4c6b0d2f4e6a8c0e2f4\n";
constexpr std::string_view kExampleLogLine5 =
    "— ledger.example.org/acme-evals 6uHDSqzU0FcGrgd3CCi/PutifHtYraTibOPYqXN+KA3m4ZK5O6Ub"
    "+RFmfTRS3CbnL5rdV0zQdmCN3UqoznxH/iG62wU=\n";
constexpr std::string_view kExampleCosignatureLine5 =
    "— witness.example.org/w1 88CAtgAAAABlU/EArFenTs3zwbbuyNU5Z3198LlwmsQgHlCH/HBTChRa6+u9"
    "ifRHQ2+wvyxzrQfpgX0lfsD0uPRuQF6mcy4DcnHhCQ==\n";
constexpr std::string_view kLogVerifierKey =
    "ledger.example.org/acme-evals+eae1c34a+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4";
constexpr std::string_view kWitnessVerifierKey =
    "witness.example.org/w1+f3c080b6+BCmsuuFBvMrwsi4alNNNC8c2HlJtC/4SyJeUvJMilm3X";

TEST(CheckpointExample, MatchesTheSpecByteForByte) {
  Ed25519SecretKey log = SeedKey(0x00);
  Ed25519SecretKey witness = SeedKey(0x20);
  std::string text5 = FormatCheckpoint(ExampleCheckpoint(5, kCommit5)).value();
  std::string note5 = SignedExample(5, kCommit5);
  std::string cosigned5 = CosignCheckpoint(note5, kWitness, witness, kCosignTime).value();

  EXPECT_EQ(SignedExample(3, kCommit3), kExampleNote3);
  EXPECT_EQ(text5, kExampleText5);
  EXPECT_EQ(note5, std::string(kExampleText5) + "\n" + std::string(kExampleLogLine5));
  EXPECT_EQ(cosigned5, note5 + std::string(kExampleCosignatureLine5));
  EXPECT_EQ(FormatVerifierKey(kOrigin, log.public_key()).value(), kLogVerifierKey);
  EXPECT_EQ(FormatVerifierKey(kWitness, witness.public_key(),
                              NoteSignatureType::kEd25519Cosignature)
                .value(),
            kWitnessVerifierKey);
  std::vector<std::string> proof;
  for (const Sha256Digest& hash : MerkleConsistencyProof(ExampleLeafHashes(), 3)) {
    proof.push_back(ToHex(hash));
  }
  EXPECT_EQ(proof, (std::vector<std::string>{
                       "3f5f21a20221203b19c55f81915cdae7e7b6a874525d0216ed9f8edc531f7e8b",
                       "803a13e6cec842e61e55576adbcc51310cbbb6157d2d43c9471a1c93c95dd1d7",
                       "c24948fbe08040169dde88ec7c0555ce98e70675130b6c8f9d985be3bb3e53cb",
                       "bf080338582a4fbc1a511034c7b60ce59ffafc4016ef754759e508686e026154"}));

  // The page shows these bytes; a change to either side fails here.
  std::string spec = testing::ReadFileOrDie(ASSAY_SOURCE_DIR "/docs/spec/checkpoint.md");
  for (const std::string& shown :
       {std::string(kExampleNote3), cosigned5, std::string(kLogVerifierKey),
        std::string(kWitnessVerifierKey), "cosignature/v1\ntime 1700000000\n" + text5}) {
    EXPECT_NE(spec.find(shown), std::string::npos) << "docs/spec/checkpoint.md lacks:\n" << shown;
  }
  for (const std::string& hash : proof) EXPECT_NE(spec.find(hash), std::string::npos) << hash;
}

TEST(CheckpointExample, VerifiesAsAReaderWould) {
  std::vector<NoteVerifierKey> logs = {ParseVerifierKey(kLogVerifierKey).value()};
  NoteVerifierKey witness = ParseVerifierKey(kWitnessVerifierKey).value();
  std::string cosigned5 = std::string(kExampleText5) + "\n" + std::string(kExampleLogLine5) +
                          std::string(kExampleCosignatureLine5);

  Result<VerifiedNote> note5 = VerifyNote(cosigned5, logs);
  ASSERT_TRUE(note5.ok()) << note5.status().message();
  Result<VerifiedNote> note3 = VerifyNote(kExampleNote3, logs);
  ASSERT_TRUE(note3.ok()) << note3.status().message();
  Checkpoint old_checkpoint = ParseCheckpoint(note3->text).value();
  Checkpoint new_checkpoint = ParseCheckpoint(note5->text).value();
  EXPECT_EQ(new_checkpoint, ExampleCheckpoint(5, kCommit5));
  EXPECT_EQ(CheckpointGitCommit(new_checkpoint).value(), std::string(kCommit5));
  EXPECT_EQ(VerifyCosignature(cosigned5, witness.name, witness.key).value(), kCosignTime);
  Status consistent = VerifyMerkleConsistency(
      old_checkpoint.size, new_checkpoint.size, old_checkpoint.root, new_checkpoint.root,
      MerkleConsistencyProof(ExampleLeafHashes(), old_checkpoint.size));
  EXPECT_TRUE(consistent.ok()) << consistent.message();
}

TEST(Checkpoint, FormatAndParseRoundTrip) {
  Checkpoint checkpoint{"example.com/log", 0, MerkleRoot({}), {}};
  std::string text = FormatCheckpoint(checkpoint).value();
  EXPECT_EQ(text, "example.com/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
  EXPECT_EQ(ParseCheckpoint(text).value(), checkpoint);

  checkpoint.size = kMaxCheckpointTreeSize;
  checkpoint.extensions = {"git-commit " + std::string(40, 'a'), "other extension — é"};
  text = FormatCheckpoint(checkpoint).value();
  EXPECT_EQ(ParseCheckpoint(text).value(), checkpoint);
  EXPECT_NE(text.find("\n9223372036854775807\n"), std::string::npos);
}

TEST(Checkpoint, FormatRefusesWhatCannotBeACheckpoint) {
  auto reason = [](Checkpoint checkpoint) {
    return FormatCheckpoint(checkpoint).status().message();
  };
  EXPECT_EQ(reason({"", 1, {}, {}}),
            "checkpoint origin \"\" is not a valid key name (non-empty, no spaces or '+')");
  EXPECT_EQ(reason({"a log", 1, {}, {}}),
            "checkpoint origin \"a log\" is not a valid key name (non-empty, no spaces or '+')");
  EXPECT_EQ(reason({"log", kMaxCheckpointTreeSize + 1, {}, {}}),
            "checkpoint tree size exceeds 2^63 - 1");
  EXPECT_EQ(reason({"log", 1, {}, {""}}), "checkpoint extension line is empty or holds a newline");
  EXPECT_EQ(reason({"log", 1, {}, {"a\nb"}}),
            "checkpoint extension line is empty or holds a newline");
  EXPECT_EQ(reason({"log", 1, {}, {"a\tb"}}), "note holds a control character");
}

TEST(Checkpoint, ParseIsStrictAndSaysWhy) {
  const std::string root = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  auto reason = [](const std::string& text) { return ParseCheckpoint(text).status().message(); };
  const std::string bad_size = "checkpoint tree size is not a decimal number without leading zeros";
  EXPECT_EQ(reason("log\n05\n" + root + "\n"), bad_size);
  EXPECT_EQ(reason("log\n+5\n" + root + "\n"), bad_size);
  EXPECT_EQ(reason("log\n-5\n" + root + "\n"), bad_size);
  EXPECT_EQ(reason("log\n 5\n" + root + "\n"), bad_size);
  EXPECT_EQ(reason("log\n5 \n" + root + "\n"), bad_size);
  EXPECT_EQ(reason("log\n0x5\n" + root + "\n"), bad_size);
  EXPECT_EQ(reason("log\n18446744073709551616\n" + root + "\n"), bad_size);
  EXPECT_EQ(reason("log\n9223372036854775808\n" + root + "\n"),
            "checkpoint tree size exceeds 2^63 - 1");
  const std::string bad_root = "checkpoint root hash is not base64 of 32 bytes";
  EXPECT_EQ(reason("log\n5\n" + root.substr(0, 43) + "\n"), bad_root);
  EXPECT_EQ(reason("log\n5\nAAAA\n"), bad_root);
  EXPECT_EQ(reason("log\n5\n" + std::string(64, '0') + "\n"), bad_root);
  EXPECT_EQ(reason("log\n5\n" + root + "\n\nextension\n"), "checkpoint line 4 is empty");
  EXPECT_EQ(reason("\n5\n" + root + "\n"), "checkpoint line 1 is empty");
  EXPECT_EQ(reason("log\n5\n"), "checkpoint has fewer than three lines (origin, size, root)");
  EXPECT_EQ(reason("log\n5\n" + root), "note text does not end with a newline");
  EXPECT_EQ(reason("log\r\n5\n" + root + "\n"), "note holds a control character");
  EXPECT_TRUE(ParseCheckpoint("log\n5\n" + root + "\nextension\n").ok());
  // Origins other than key names are read (tlog-checkpoint: clients must not assume a form).
  EXPECT_EQ(ParseCheckpoint("a log+1\n5\n" + root + "\n")->origin, "a log+1");
}

TEST(Checkpoint, GitCommitExtension) {
  const std::string id(40, 'c');
  EXPECT_EQ(GitCommitExtension(id).value(), "git-commit " + id);
  EXPECT_EQ(GitCommitExtension(std::string(40, 'C')).status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(GitCommitExtension(std::string(39, 'c')).status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(GitCommitExtension(std::string(64, 'c')).status().kind(), ErrorKind::kInvalidInput);

  Checkpoint checkpoint{"log", 1, {}, {"other", "git-commit " + id}};
  EXPECT_EQ(CheckpointGitCommit(checkpoint).value(), id);
  checkpoint.extensions = {"other"};
  EXPECT_EQ(CheckpointGitCommit(checkpoint).value(), std::nullopt);
  checkpoint.extensions = {"git-commit " + id, "git-commit " + id};
  EXPECT_EQ(CheckpointGitCommit(checkpoint).status().message(),
            "checkpoint has two git-commit lines");
  checkpoint.extensions = {"git-commit " + std::string(40, 'C')};
  EXPECT_EQ(CheckpointGitCommit(checkpoint).status().message(),
            "checkpoint git-commit line does not hold 40 lowercase hex digits");
}

TEST(Cosignature, VerifiesAndReturnsTheTime) {
  Ed25519SecretKey witness = Ed25519SecretKey::Generate();
  std::string note = SignedExample(5, kCommit5);
  std::string cosigned = CosignCheckpoint(note, kWitness, witness, 1234).value();
  EXPECT_TRUE(cosigned.starts_with(note));
  EXPECT_EQ(VerifyCosignature(cosigned, kWitness, witness.public_key()).value(), 1234u);

  // The log's signature still verifies: the cosignature is an unknown key to it.
  std::vector<NoteVerifierKey> logs = {ParseVerifierKey(kLogVerifierKey).value()};
  EXPECT_EQ(VerifyNote(cosigned, logs)->signers, std::vector<std::string>{std::string(kOrigin)});

  // Cosigning again replaces the earlier line.
  std::string again = CosignCheckpoint(cosigned, kWitness, witness, 5678).value();
  EXPECT_EQ(ParseSignedNote(again)->signatures.size(), 2u);
  EXPECT_EQ(VerifyCosignature(again, kWitness, witness.public_key()).value(), 5678u);
  // Two witnesses.
  Ed25519SecretKey second = Ed25519SecretKey::Generate();
  std::string both = CosignCheckpoint(again, "witness.example/w2", second, 9999).value();
  EXPECT_EQ(VerifyCosignature(both, kWitness, witness.public_key()).value(), 5678u);
  EXPECT_EQ(VerifyCosignature(both, "witness.example/w2", second.public_key()).value(), 9999u);
}

TEST(Cosignature, RejectsOtherKeysTamperingAndMalformedLines) {
  Ed25519SecretKey witness = Ed25519SecretKey::Generate();
  std::string cosigned =
      CosignCheckpoint(SignedExample(5, kCommit5), kWitness, witness, kCosignTime).value();

  Ed25519SecretKey other = Ed25519SecretKey::Generate();
  EXPECT_EQ(VerifyCosignature(cosigned, kWitness, other.public_key()).status().message(),
            "note has no cosignature by witness.example.org/w1");
  EXPECT_EQ(VerifyCosignature(cosigned, "witness.example.org/w2", witness.public_key())
                .status()
                .kind(),
            ErrorKind::kCheckFailed);
  // A plain note signature by the witness key is not a cosignature (its key id differs).
  std::string plain = AddNoteSignature(SignedExample(5, kCommit5), kWitness, witness).value();
  EXPECT_EQ(VerifyCosignature(plain, kWitness, witness.public_key()).status().kind(),
            ErrorKind::kCheckFailed);

  std::string tampered = cosigned;
  tampered.replace(tampered.find("\n5\n"), 3, "\n6\n");
  EXPECT_EQ(VerifyCosignature(tampered, kWitness, witness.public_key()).status().message(),
            "cosignature by witness.example.org/w1 does not verify");

  Result<SignedNote> parsed = ParseSignedNote(cosigned);
  ASSERT_TRUE(parsed.ok());
  SignedNote retimed = *parsed;
  retimed.signatures.back().bytes[7] ^= 1;
  EXPECT_EQ(VerifyCosignature(FormatSignedNote(retimed), kWitness, witness.public_key())
                .status()
                .message(),
            "cosignature by witness.example.org/w1 does not verify");
  SignedNote far_future = *parsed;
  far_future.signatures.back().bytes[0] = '\x80';
  EXPECT_EQ(VerifyCosignature(FormatSignedNote(far_future), kWitness, witness.public_key())
                .status()
                .message(),
            "cosignature by witness.example.org/w1 has a time above 2^63 - 1");
  SignedNote truncated = *parsed;
  truncated.signatures.back().bytes.pop_back();
  EXPECT_EQ(VerifyCosignature(FormatSignedNote(truncated), kWitness, witness.public_key())
                .status()
                .message(),
            "cosignature by witness.example.org/w1 has 71 bytes, not 72");
}

TEST(Cosignature, CosignsOnlyCheckpoints) {
  Ed25519SecretKey witness = Ed25519SecretKey::Generate();
  std::string not_a_checkpoint = SignNote("hello\n", "log", witness).value();
  EXPECT_EQ(CosignCheckpoint(not_a_checkpoint, kWitness, witness, 1).status().message(),
            "checkpoint has fewer than three lines (origin, size, root)");
  EXPECT_EQ(CosignCheckpoint(SignedExample(5, kCommit5), "a witness", witness, 1).status().kind(),
            ErrorKind::kInvalidInput);
  EXPECT_EQ(CosignCheckpoint(SignedExample(5, kCommit5), kWitness, witness, uint64_t{1} << 63)
                .status()
                .message(),
            "cosignature time exceeds 2^63 - 1");
  EXPECT_EQ(CosignCheckpoint(FormatCheckpoint(ExampleCheckpoint(5, kCommit5)).value(), kWitness,
                             witness, 1)
                .status()
                .kind(),
            ErrorKind::kInvalidInput);
}

}  // namespace
}  // namespace assay
