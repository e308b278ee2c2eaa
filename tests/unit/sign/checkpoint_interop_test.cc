// Interoperability of checkpoints with an independent verifier in Go
// (tests/independent/note_verify.go): golang.org/x/mod/sumdb/note opens the
// signed notes, golang.org/x/mod/sumdb/tlog checks the consistency proofs, and
// its own few lines check tlog-cosignature/v1. Debian's golang-go and
// golang-golang-x-mod-dev provide them (scripts/setup-debian.sh); a missing Go
// fails these tests, it never skips them.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "digest/merkle.h"
#include "digest/merkle_consistency.h"
#include "sign/base64.h"
#include "sign/checkpoint.h"
#include "sign/signed_note.h"
#include "test_support.h"

namespace assay {
namespace {

constexpr std::string_view kInteropOrigin = "ledger.example.org/interop";
constexpr std::string_view kInteropWitness = "witness.example.org/w1";
constexpr std::string_view kCommit = "0123456789abcdef0123456789abcdef01234567";

using Outcome = testing::CommandOutcome;

// The Go verifier, built offline (GO111MODULE=off finds golang.org/x/mod in
// Debian's /usr/share/gocode) beside this test binary under a name holding
// the SHA-256 of its source: ctest runs every test in a process of its own,
// and they all share one build until the source changes.
class GoNoteVerifier {
 public:
  static const GoNoteVerifier& Get() {
    static const GoNoteVerifier verifier;
    return verifier;
  }

  ::testing::AssertionResult Built() const {
    if (built_) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "cannot build tests/independent/note_verify.go (install golang-go and "
              "golang-golang-x-mod-dev: scripts/setup-debian.sh):\n"
           << build_output_;
  }

  Outcome Run(const std::vector<std::string>& args) const {
    std::string command = testing::ShellQuote(binary_);
    for (const std::string& arg : args) command += " " + testing::ShellQuote(arg);
    return testing::RunCommand(command);
  }

 private:
  GoNoteVerifier() {
    const std::string source = ASSAY_SOURCE_DIR "/tests/independent/note_verify.go";
    std::string source_digest = ToHex(Sha256::Of(testing::ReadFileOrDie(source))).substr(0, 16);
    std::filesystem::path test_binary = std::filesystem::read_symlink("/proc/self/exe");
    binary_ = (test_binary.parent_path() / ("note_verify-" + source_digest)).string();
    if (std::filesystem::exists(binary_)) {
      built_ = true;
      return;
    }
    // Built under a name of this process's own, then renamed: concurrent tests
    // never run a half-written binary.
    testing::ScratchDir go_cache;
    std::string partial = binary_ + ".partial-" + std::to_string(::getpid());
    std::string command = "cd " + testing::ShellQuote(go_cache.path().string()) +
                          " && env GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= "
                          "GOCACHE=" + testing::ShellQuote(go_cache.path().string()) + " go build -o " +
                          testing::ShellQuote(partial) + " " + testing::ShellQuote(source);
    built_ = testing::RunShell(command, &build_output_) == 0;
    std::error_code error;
    if (built_) std::filesystem::rename(partial, binary_, error);
    built_ = built_ && !error;
    if (error) build_output_ = error.message();
  }

  std::string binary_;
  std::string build_output_;
  bool built_ = false;
};

Ed25519SecretKey& LogKey() {
  static Ed25519SecretKey key = Ed25519SecretKey::Generate();
  return key;
}

std::string LogVerifierKey() { return FormatVerifierKey(kInteropOrigin, LogKey().public_key()).value(); }

std::vector<Sha256Digest> RecordLeafHashes(size_t count) {
  std::vector<Sha256Digest> leaves;
  for (size_t i = 0; i < count; ++i) {
    leaves.push_back(MerkleLeafHash(Sha256::Of("record " + std::to_string(i))));
  }
  return leaves;
}

std::string SignedCheckpoint(std::span<const Sha256Digest> leaves) {
  Checkpoint checkpoint{std::string(kInteropOrigin), leaves.size(), MerkleRoot(leaves),
                        {GitCommitExtension(kCommit).value()}};
  return SignNote(FormatCheckpoint(checkpoint).value(), kInteropOrigin, LogKey()).value();
}

std::string ProofLines(const std::vector<Sha256Digest>& proof) {
  std::string lines;
  for (const Sha256Digest& hash : proof) lines += EncodeBase64(hash) + "\n";
  return lines;
}

TEST(CheckpointInterop, GoOpensTheNotesAssaySignsAndRejectsTamperedOnes) {
  const GoNoteVerifier& go = GoNoteVerifier::Get();
  ASSERT_TRUE(go.Built());
  testing::ScratchDir dir;
  std::vector<Sha256Digest> leaves = RecordLeafHashes(7);
  std::string note = SignedCheckpoint(leaves);
  Outcome opened = go.Run({"note", LogVerifierKey(), dir.Write("ok", note)});
  EXPECT_EQ(opened.exit_code, 0) << opened.output;
  EXPECT_EQ(opened.output, "verified \"ledger.example.org/interop\"\n");

  // Each line of the text altered: size, root, extension line.
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"\n7\n", "\n8\n"}, {"=\n", "A\n"}, {"git-commit 0", "git-commit 1"}}) {
    std::string tampered = note;
    size_t at = tampered.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    tampered.replace(at, from.size(), to);
    Outcome rejected = go.Run({"note", LogVerifierKey(), dir.Write("tampered", tampered)});
    EXPECT_EQ(rejected.exit_code, 1) << from << ": " << rejected.output;
  }

  // A stranger's signature under the log's name is not the log's.
  Ed25519SecretKey stranger = Ed25519SecretKey::Generate();
  std::string forged = SignNote(ParseSignedNote(note)->text, kInteropOrigin, stranger).value();
  Outcome unknown = go.Run({"note", LogVerifierKey(), dir.Write("forged", forged)});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
  EXPECT_NE(unknown.output.find("no verifiable signatures"), std::string::npos) << unknown.output;
}

TEST(CheckpointInterop, GoVerifiesSignaturesAddedAfterOthers) {
  const GoNoteVerifier& go = GoNoteVerifier::Get();
  ASSERT_TRUE(go.Built());
  testing::ScratchDir dir;
  Ed25519SecretKey other = Ed25519SecretKey::Generate();
  std::string note = SignNote("text with\n\nblank lines\n", "other.example", other).value();
  note = AddNoteSignature(note, kInteropOrigin, LogKey()).value();
  Outcome opened = go.Run({"note", LogVerifierKey(), dir.Write("note", note)});
  EXPECT_EQ(opened.exit_code, 0) << opened.output;
  EXPECT_EQ(opened.output, "verified \"text with\"\n");
}

TEST(CheckpointInterop, GoChecksConsistencyProofsBetweenCheckpoints) {
  const GoNoteVerifier& go = GoNoteVerifier::Get();
  ASSERT_TRUE(go.Built());
  testing::ScratchDir dir;
  std::vector<Sha256Digest> leaves = RecordLeafHashes(13);
  for (size_t n : {1u, 2u, 5u, 8u, 13u}) {
    auto tree = std::span(leaves).first(n);
    std::string new_note = dir.Write("new", SignedCheckpoint(tree));
    for (size_t m = 0; m <= n; ++m) {
      std::string old_note = dir.Write("old", SignedCheckpoint(tree.first(m)));
      std::string proof = dir.Write("proof", ProofLines(MerkleConsistencyProof(tree, m)));
      Outcome checked = go.Run({"consistency", LogVerifierKey(), old_note, new_note, proof});
      EXPECT_EQ(checked.exit_code, 0) << m << " to " << n << ": " << checked.output;
    }
  }

  // A history rewritten under the old checkpoint: record 2 replaced.
  std::vector<Sha256Digest> rewritten = leaves;
  rewritten[2] = MerkleLeafHash(Sha256::Of("another record"));
  std::string old_note = dir.Write("old", SignedCheckpoint(std::span(leaves).first(5)));
  std::string new_note = dir.Write("new", SignedCheckpoint(rewritten));
  std::string proof = dir.Write("proof", ProofLines(MerkleConsistencyProof(rewritten, 5)));
  Outcome rejected = go.Run({"consistency", LogVerifierKey(), old_note, new_note, proof});
  EXPECT_EQ(rejected.exit_code, 1) << rejected.output;
  // Both sides agree: assay's verifier rejects it too.
  EXPECT_EQ(VerifyMerkleConsistency(5, 13, MerkleRoot(std::span(leaves).first(5)),
                                    MerkleRoot(rewritten), MerkleConsistencyProof(rewritten, 5))
                .kind(),
            ErrorKind::kCheckFailed);
}

TEST(CheckpointInterop, GoVerifiesCosignaturesAndRejectsTamperedOnes) {
  const GoNoteVerifier& go = GoNoteVerifier::Get();
  ASSERT_TRUE(go.Built());
  testing::ScratchDir dir;
  Ed25519SecretKey witness = Ed25519SecretKey::Generate();
  std::string witness_key =
      FormatVerifierKey(kInteropWitness, witness.public_key(), NoteSignatureType::kEd25519Cosignature)
          .value();
  std::string note = SignedCheckpoint(RecordLeafHashes(3));
  std::string cosigned = CosignCheckpoint(note, kInteropWitness, witness, 1712345678).value();

  Outcome verified = go.Run({"cosignature", witness_key, dir.Write("cosigned", cosigned)});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_EQ(verified.output, "cosigned 1712345678\n");
  // The log's signature still verifies beside the cosignature (an unknown key to it).
  Outcome opened = go.Run({"note", LogVerifierKey(), dir.Write("cosigned", cosigned)});
  EXPECT_EQ(opened.exit_code, 0) << opened.output;

  std::string tampered = cosigned;
  tampered.replace(tampered.find("\n3\n"), 3, "\n4\n");
  Outcome rejected = go.Run({"cosignature", witness_key, dir.Write("tampered", tampered)});
  EXPECT_EQ(rejected.exit_code, 1) << rejected.output;

  // The timestamp is signed: move it by one second.
  Result<SignedNote> parsed = ParseSignedNote(cosigned);
  ASSERT_TRUE(parsed.ok());
  parsed->signatures.back().bytes[7] ^= 1;
  Outcome retimed =
      go.Run({"cosignature", witness_key, dir.Write("retimed", FormatSignedNote(*parsed))});
  EXPECT_EQ(retimed.exit_code, 1) << retimed.output;
}

}  // namespace
}  // namespace assay
