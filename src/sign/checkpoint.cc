#include "sign/checkpoint.h"

#include <algorithm>
#include <charconv>

#include "sign/base64.h"
#include "sign/bytes.h"
#include "sign/signed_note.h"

namespace assay {
namespace {

constexpr std::string_view kGitCommitPrefix = "git-commit ";
constexpr size_t kGitCommitIdLength = 40;
// tlog-cosignature: timestamp (u64 big-endian) || Ed25519 signature.
constexpr size_t kCosignatureSize = 8 + sizeof(Ed25519Signature);
// tlog-cosignature: a timestamp "MUST NOT exceed 2^63 - 1".
constexpr uint64_t kMaxCosignatureTime = (uint64_t{1} << 63) - 1;

// The next line of `text` without its newline; `text` keeps the rest.
// Precondition: `text` ends with a newline.
std::string_view TakeLine(std::string_view& text) {
  size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end + 1);
  return line;
}

Result<uint64_t> ParseTreeSize(std::string_view line) {
  uint64_t size = 0;
  auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), size);
  bool decimal = !line.empty() && error == std::errc() && end == line.data() + line.size() &&
                 (line[0] != '0' || line.size() == 1);
  if (!decimal) {
    return Status::InvalidInput(
        "checkpoint tree size is not a decimal number without leading zeros");
  }
  if (size > kMaxCheckpointTreeSize) {
    return Status::InvalidInput("checkpoint tree size exceeds 2^63 - 1");
  }
  return size;
}

bool IsGitCommitId(std::string_view id) {
  return id.size() == kGitCommitIdLength && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The message a cosignature/v1 signs: a header line, a time line, then the
// whole checkpoint text (tlog-cosignature, "Ed25519 signed message").
std::string CosignedMessage(std::string_view checkpoint_text, uint64_t unix_time) {
  return "cosignature/v1\ntime " + std::to_string(unix_time) + "\n" + std::string(checkpoint_text);
}

uint32_t CosignerKeyId(std::string_view witness_name, const Ed25519PublicKey& key) {
  return NoteKeyId(witness_name, NoteSignatureType::kEd25519Cosignature, key.bytes());
}

// A signed note whose text is a checkpoint.
Result<SignedNote> ParseCheckpointNote(std::string_view note) {
  ASSAY_ASSIGN_OR_RETURN(SignedNote parsed, ParseSignedNote(note));
  ASSAY_RETURN_IF_ERROR(ParseCheckpoint(parsed.text).status());
  return parsed;
}

}  // namespace

Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint) {
  if (!IsValidNoteKeyName(checkpoint.origin)) {
    return Status::InvalidInput("checkpoint origin \"" + checkpoint.origin +
                                "\" is not a valid key name (non-empty, no spaces or '+')");
  }
  if (checkpoint.size > kMaxCheckpointTreeSize) {
    return Status::InvalidInput("checkpoint tree size exceeds 2^63 - 1");
  }
  std::string text = checkpoint.origin + "\n" + std::to_string(checkpoint.size) + "\n" +
                     EncodeBase64(checkpoint.root) + "\n";
  for (const std::string& line : checkpoint.extensions) {
    if (line.empty() || line.find('\n') != std::string::npos) {
      return Status::InvalidInput("checkpoint extension line is empty or holds a newline");
    }
    text += line + "\n";
  }
  // The note rules: UTF-8, no control characters, within the size limit.
  ASSAY_RETURN_IF_ERROR(CheckNoteText(text));
  return text;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  ASSAY_RETURN_IF_ERROR(CheckNoteText(text));
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    std::string_view line = TakeLine(rest);
    if (line.empty()) {
      return Status::InvalidInput("checkpoint line " + std::to_string(lines.size() + 1) +
                                  " is empty");
    }
    lines.push_back(line);
  }
  if (lines.size() < 3) {
    return Status::InvalidInput("checkpoint has fewer than three lines (origin, size, root)");
  }
  Checkpoint checkpoint;
  checkpoint.origin = lines[0];
  ASSAY_ASSIGN_OR_RETURN(checkpoint.size, ParseTreeSize(lines[1]));
  Result<std::string> root = DecodeBase64(lines[2]);
  if (!root.ok() || root->size() != checkpoint.root.size()) {
    return Status::InvalidInput("checkpoint root hash is not base64 of 32 bytes");
  }
  std::copy(root->begin(), root->end(), checkpoint.root.begin());
  checkpoint.extensions.assign(lines.begin() + 3, lines.end());
  return checkpoint;
}

Result<std::string> GitCommitExtension(std::string_view commit_id) {
  if (!IsGitCommitId(commit_id)) {
    return Status::InvalidInput("git commit id \"" + std::string(commit_id) +
                                "\" is not 40 lowercase hex digits");
  }
  return std::string(kGitCommitPrefix) + std::string(commit_id);
}

Result<std::optional<std::string>> CheckpointGitCommit(const Checkpoint& checkpoint) {
  std::optional<std::string> commit;
  for (std::string_view line : checkpoint.extensions) {
    if (!line.starts_with(kGitCommitPrefix)) continue;
    if (commit) return Status::InvalidInput("checkpoint has two git-commit lines");
    std::string_view id = line.substr(kGitCommitPrefix.size());
    if (!IsGitCommitId(id)) {
      return Status::InvalidInput(
          "checkpoint git-commit line does not hold 40 lowercase hex digits");
    }
    commit = std::string(id);
  }
  return commit;
}

Result<std::string> CosignCheckpoint(std::string_view note, std::string_view witness_name,
                                     const Ed25519SecretKey& key, uint64_t unix_time) {
  if (!IsValidNoteKeyName(witness_name)) {
    return Status::InvalidInput("invalid witness name \"" + std::string(witness_name) +
                                "\": it must be non-empty, without spaces or '+'");
  }
  if (unix_time > kMaxCosignatureTime) {
    return Status::InvalidInput("cosignature time exceeds 2^63 - 1");
  }
  ASSAY_ASSIGN_OR_RETURN(SignedNote parsed, ParseCheckpointNote(note));
  Ed25519Signature signature = key.Sign(CosignedMessage(parsed.text, unix_time));
  std::string bytes;
  for (int shift = 56; shift >= 0; shift -= 8) bytes += static_cast<char>(unix_time >> shift);
  bytes += AsText(signature);
  PutNoteSignature(parsed, {std::string(witness_name),
                            CosignerKeyId(witness_name, key.public_key()), std::move(bytes)});
  if (parsed.signatures.size() > kMaxNoteSignatures) {
    return Status::InvalidInput("note already has " + std::to_string(kMaxNoteSignatures) +
                                " signatures");
  }
  std::string cosigned = FormatSignedNote(parsed);
  if (cosigned.size() > kMaxSignedNoteSize) {
    return Status::InvalidInput("cosigned note would exceed " + std::to_string(kMaxSignedNoteSize) +
                                " bytes");
  }
  return cosigned;
}

Result<uint64_t> VerifyCosignature(std::string_view note, std::string_view witness_name,
                                   const Ed25519PublicKey& key) {
  ASSAY_ASSIGN_OR_RETURN(SignedNote parsed, ParseCheckpointNote(note));
  const uint32_t key_id = CosignerKeyId(witness_name, key);
  std::optional<uint64_t> latest;
  for (const NoteSignature& line : parsed.signatures) {
    if (line.name != witness_name || line.key_id != key_id) continue;
    if (line.bytes.size() != kCosignatureSize) {
      return Status::CheckFailed("cosignature by " + line.name + " has " +
                                 std::to_string(line.bytes.size()) + " bytes, not " +
                                 std::to_string(kCosignatureSize));
    }
    uint64_t time = 0;
    for (size_t i = 0; i < 8; ++i) time = time << 8 | static_cast<uint8_t>(line.bytes[i]);
    if (time > kMaxCosignatureTime) {
      return Status::CheckFailed("cosignature by " + line.name + " has a time above 2^63 - 1");
    }
    Ed25519Signature signature{};
    std::copy(line.bytes.begin() + 8, line.bytes.end(), signature.begin());
    if (!key.Verify(CosignedMessage(parsed.text, time), signature)) {
      return Status::CheckFailed("cosignature by " + line.name + " does not verify");
    }
    latest = std::max(latest.value_or(0), time);
  }
  if (!latest) {
    return Status::CheckFailed("note has no cosignature by " + std::string(witness_name));
  }
  return *latest;
}

}  // namespace assay
