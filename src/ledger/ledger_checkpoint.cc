#include "ledger/ledger_checkpoint.h"

#include "digest/merkle.h"
#include "sign/signed_note.h"

namespace assay {
namespace {

// Every trusted key, as a possible signer of the log named `origin`.
std::vector<NoteVerifierKey> LogVerifiers(const TrustFile& trust, const std::string& origin) {
  std::vector<NoteVerifierKey> verifiers;
  for (const TrustEntry& entry : trust.entries()) {
    verifiers.push_back(NoteVerifierKey{origin, NoteSignatureType::kEd25519, entry.key.key});
  }
  return verifiers;
}

// Parses and verifies the log signature, naming the trusted signers.
Result<CheckedCheckpoint> ParseSignedCheckpoint(std::string_view note, const TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(SignedNote parsed, ParseSignedNote(note));
  ASSAY_ASSIGN_OR_RETURN(Checkpoint unverified, ParseCheckpoint(parsed.text));
  std::vector<NoteVerifierKey> verifiers = LogVerifiers(trust, unverified.origin);
  Result<VerifiedNote> verified = VerifyNote(note, verifiers);
  if (!verified.ok()) {
    if (verified.status().kind() != ErrorKind::kCheckFailed) return verified.status();
    return Status::CheckFailed("checkpoint of " + unverified.origin + " is not signed by a trusted key: " +
                               verified.status().message());
  }
  CheckedCheckpoint checked;
  ASSAY_ASSIGN_OR_RETURN(checked.checkpoint, ParseCheckpoint(verified->text));  // only verified bytes from here
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> commit, CheckpointGitCommit(checked.checkpoint));
  if (!commit) return Status::InvalidInput("checkpoint has no git-commit line: it is not a ledger checkpoint");
  checked.commit = *commit;
  // The note names only the key name (the origin) each verifier shares: ask each key.
  for (const TrustEntry& entry : trust.entries()) {
    NoteVerifierKey one{unverified.origin, NoteSignatureType::kEd25519, entry.key.key};
    if (VerifyNote(note, std::span(&one, 1)).ok()) checked.signers.push_back(entry.name);
  }
  return checked;
}

// The ledger's records at `commit` are exactly `checkpoint`'s size and root.
// With `commit` on the head's first-parent chain, they are the head's first
// records in the same order.
Status CheckRootAtCommit(const LedgerStore& ledger, const Checkpoint& checkpoint, const std::string& commit) {
  ASSAY_ASSIGN_OR_RETURN(std::vector<Sha256Digest> leaves, RecordLeafHashes(ledger, commit));
  if (leaves.size() != checkpoint.size || MerkleRoot(leaves) != checkpoint.root) {
    return Status::CheckFailed("the ledger's records at commit " + commit + " are not the " +
                               std::to_string(checkpoint.size) + " records the checkpoint commits to");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Sha256Digest>> RecordLeafHashes(const LedgerStore& ledger, std::optional<std::string> head) {
  std::vector<Sha256Digest> leaves;
  ASSAY_RETURN_IF_ERROR(ledger.ForEachRecord(
      [&](const LedgerEntry& entry) {
        std::optional<Sha256Digest> id = Sha256FromHex(entry.record_id);
        leaves.push_back(MerkleLeafHash(std::span<const uint8_t>(id->data(), id->size())));
        return Status::Ok();
      },
      std::move(head)));
  return leaves;
}

Result<std::string> MakeLedgerCheckpoint(const LedgerStore& ledger, const std::string& origin,
                                         const Ed25519SecretKey& key) {
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> head, ledger.Head());
  if (!head) return Status::InvalidInput(ledger.path() + ": the ledger has no records to checkpoint");
  ASSAY_ASSIGN_OR_RETURN(std::vector<Sha256Digest> leaves, RecordLeafHashes(ledger, *head));
  Checkpoint checkpoint;
  checkpoint.origin = origin;
  checkpoint.size = leaves.size();
  checkpoint.root = MerkleRoot(leaves);
  ASSAY_ASSIGN_OR_RETURN(std::string extension, GitCommitExtension(*head));
  checkpoint.extensions.push_back(extension);
  ASSAY_ASSIGN_OR_RETURN(std::string text, FormatCheckpoint(checkpoint));
  return SignNote(text, origin, key);
}

Result<CheckedCheckpoint> CheckLedgerExtends(const LedgerStore& ledger, std::string_view note,
                                             const TrustFile& trust) {
  ASSAY_ASSIGN_OR_RETURN(CheckedCheckpoint checked, ParseSignedCheckpoint(note, trust));
  ASSAY_ASSIGN_OR_RETURN(std::optional<std::string> head, ledger.Head());
  ASSAY_ASSIGN_OR_RETURN(bool extends, head ? ledger.IsOnFirstParentChain(checked.commit, *head) : Result<bool>(false));
  if (!extends) {
    return Status::CheckFailed("history rewritten: the checkpoint's commit " + checked.commit +
                               " is no longer in the ledger's history");
  }
  ASSAY_RETURN_IF_ERROR(CheckRootAtCommit(ledger, checked.checkpoint, checked.commit));
  return checked;
}

Result<std::string> CosignLedgerCheckpoint(const LedgerStore& ledger, std::string_view note,
                                           const std::optional<std::string>& previous_note,
                                           const TrustFile& trust, const std::string& witness_name,
                                           const Ed25519SecretKey& key, uint64_t unix_time) {
  ASSAY_ASSIGN_OR_RETURN(CheckedCheckpoint current, CheckLedgerExtends(ledger, note, trust));
  if (previous_note) {
    ASSAY_ASSIGN_OR_RETURN(CheckedCheckpoint previous, ParseSignedCheckpoint(*previous_note, trust));
    if (previous.checkpoint.origin != current.checkpoint.origin) {
      return Status::InvalidInput("the previous checkpoint is of another log (" + previous.checkpoint.origin + ")");
    }
    if (previous.checkpoint.size > current.checkpoint.size) {
      return Status::CheckFailed("the log shrank from " + std::to_string(previous.checkpoint.size) + " to " +
                                 std::to_string(current.checkpoint.size) + " records");
    }
    ASSAY_ASSIGN_OR_RETURN(bool extends, ledger.IsOnFirstParentChain(previous.commit, current.commit));
    if (!extends) {
      return Status::CheckFailed("history rewritten: the commit " + previous.commit +
                                 " this witness cosigned is not an ancestor of " + current.commit);
    }
    ASSAY_RETURN_IF_ERROR(CheckRootAtCommit(ledger, previous.checkpoint, previous.commit));
  }
  return CosignCheckpoint(note, witness_name, key, unix_time);
}

std::vector<TrustedCosignature> TrustedCosignatures(std::string_view note, const TrustFile& trust) {
  std::vector<TrustedCosignature> found;
  Result<SignedNote> parsed = ParseSignedNote(note);
  if (!parsed.ok()) return found;
  for (const NoteSignature& signature : parsed->signatures) {
    for (const TrustEntry& entry : trust.entries()) {
      if (!entry.HasRole(TrustRole::kWitness)) continue;
      Result<uint64_t> time = VerifyCosignature(note, signature.name, entry.key.key);
      if (time.ok()) found.push_back({entry.name, signature.name, *time});
    }
  }
  return found;
}

}  // namespace assay
