// C2SP signed notes (c2sp.org/signed-note v1.0.0), the envelope of ledger
// checkpoints: a UTF-8 text ending in a newline, a blank line, then one or
// more signature lines
//   "— " key-name " " base64(4-byte big-endian key id || signature) "\n"
// ("—" is U+2014). The text is what is signed, up to and including its final
// newline; the note splits at its last blank line. Keys are Ed25519, in the
// verifier-key text form of golang.org/x/mod/sumdb/note, so Go's note.Open
// verifies what SignNote writes (tests/independent/note_verify.go checks it).
//
// Notes are hostile input: at most kMaxSignedNoteSize bytes and
// kMaxNoteSignatures signature lines (the spec asks verifiers for a limit and
// at least 16; Go's verifier stops at 100). All functions are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sign/ed25519_key.h"
#include "status.h"

namespace assay {

inline constexpr size_t kMaxSignedNoteSize = 256 * 1024;
inline constexpr size_t kMaxNoteSignatures = 100;

// The signature-type byte that enters a key id (signed-note, "Signature types").
enum class NoteSignatureType : uint8_t {
  kEd25519 = 0x01,             // Ed25519 over the note text
  kEd25519Cosignature = 0x04,  // a timestamped witness cosignature (tlog-cosignature v1)
};

// One signature line.
struct NoteSignature {
  std::string name;
  uint32_t key_id = 0;
  std::string bytes;  // after the key id; a cosignature's are timestamp || signature
};

struct SignedNote {
  std::string text;                       // ends with its final newline
  std::vector<NoteSignature> signatures;  // in the note's order; never empty once parsed
};

// Non-empty UTF-8 without Unicode white space or '+' (signed-note, "Format").
bool IsValidNoteKeyName(std::string_view name);

// kInvalidInput unless `text` can be signed as a note's text: it ends in a
// newline, is valid UTF-8 without control characters other than the newline,
// and fits within kMaxSignedNoteSize.
Status CheckNoteText(std::string_view text);

// The first four bytes, big-endian, of SHA-256(name || "\n" || type || public key).
uint32_t NoteKeyId(std::string_view name, NoteSignatureType type,
                   std::span<const uint8_t> public_key);

// The structure of a signed note; no signature is checked. kInvalidInput when
// it is not a well-formed note or exceeds the limits.
Result<SignedNote> ParseSignedNote(std::string_view note);

// The bytes of `note`, which holds a valid text and names (as ParseSignedNote returns).
std::string FormatSignedNote(const SignedNote& note);

// Appends `signature` after the note's other signatures, first removing any
// line by the same key (name and key id): signing again replaces, as Go's
// note.Sign does.
void PutNoteSignature(SignedNote& note, NoteSignature signature);

// A public key a verifier is configured with: a key name, an Ed25519 public
// key and the signature type it is used for. Its text form is the "vkey" of
// golang.org/x/mod/sumdb/note (and of tlog-cosignature for type 0x04):
//   name "+" 8 lowercase hex digits of the key id "+" base64(type || public key)
struct NoteVerifierKey {
  std::string name;
  NoteSignatureType type = NoteSignatureType::kEd25519;
  Ed25519PublicKey key;

  uint32_t key_id() const;
};

// kInvalidInput when `name` is not a valid key name.
Result<std::string> FormatVerifierKey(std::string_view name, const Ed25519PublicKey& key,
                                      NoteSignatureType type = NoteSignatureType::kEd25519);
// kInvalidInput unless `text` is a verifier key of a type above whose key id
// matches its name and key.
Result<NoteVerifierKey> ParseVerifierKey(std::string_view text);

// A signed note of `text` (see CheckNoteText) with one Ed25519 signature by
// `key` under the key name `name`. kInvalidInput for a bad text or name.
Result<std::string> SignNote(std::string_view text, std::string_view name,
                             const Ed25519SecretKey& key);
// `note` with one more signature, by `key` as `name`, over its text (see
// PutNoteSignature). kInvalidInput for a malformed note, a bad name, or a note
// that would exceed the limits.
Result<std::string> AddNoteSignature(std::string_view note, std::string_view name,
                                     const Ed25519SecretKey& key);

struct VerifiedNote {
  std::string text;                  // the signed text, to be used only after verification
  std::vector<std::string> signers;  // names of the verifiers whose signatures verified
};

// Verifies `note` against note keys (type 0x01) as signed-note requires:
// signature lines whose name and key id match no verifier are ignored; every
// line that matches one must verify; at least one must. kCheckFailed when a
// known key's signature does not verify or none is present; kInvalidInput for
// a malformed note, a cosignature key among `verifiers`, or two verifiers
// sharing a name and key id.
Result<VerifiedNote> VerifyNote(std::string_view note, std::span<const NoteVerifierKey> verifiers);

}  // namespace assay
