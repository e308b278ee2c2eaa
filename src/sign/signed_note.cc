#include "sign/signed_note.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "digest/sha256.h"
#include "sign/base64.h"
#include "sign/bytes.h"
#include "utf8.h"

namespace assay {
namespace {

// U+2014 EM DASH in UTF-8, then a space: the start of every signature line.
constexpr std::string_view kSignatureLinePrefix = "\xE2\x80\x94 ";

// Go's unicode.IsSpace (the Unicode White_Space property), which
// golang.org/x/mod/sumdb/note applies to key names.
bool IsUnicodeSpace(uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// Calls visit(code point) for each code point of `text`, which must be valid UTF-8.
template <typename F>
bool AllCodePoints(std::string_view text, F&& visit) {
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<uint8_t>(text[i]);
    size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    uint32_t c = length == 1 ? lead : lead & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) c = c << 6 | (static_cast<uint8_t>(text[i + k]) & 0x3F);
    if (!visit(c)) return false;
    i += length;
  }
  return true;
}

// Valid UTF-8 without ASCII control characters other than newline (signed-note, "Format").
Status CheckNoteCharacters(std::string_view text) {
  if (!IsValidUtf8(text)) return Status::InvalidInput("note is not valid UTF-8");
  for (char c : text) {
    if (static_cast<uint8_t>(c) < 0x20 && c != '\n') {
      return Status::InvalidInput("note holds a control character");
    }
  }
  return Status::Ok();
}

Status CheckKeyName(std::string_view name) {
  if (IsValidNoteKeyName(name)) return Status::Ok();
  return Status::InvalidInput("invalid key name \"" + std::string(name) +
                              "\": it must be non-empty, without spaces or '+'");
}

std::string KeyIdBytes(uint32_t key_id) {
  return {static_cast<char>(key_id >> 24), static_cast<char>(key_id >> 16),
          static_cast<char>(key_id >> 8), static_cast<char>(key_id)};
}

uint32_t ReadKeyId(std::string_view bytes) {
  uint32_t key_id = 0;
  for (size_t i = 0; i < 4; ++i) key_id = key_id << 8 | static_cast<uint8_t>(bytes[i]);
  return key_id;
}

std::string KeyIdHex(uint32_t key_id) {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", key_id);
  return hex;
}

Result<NoteSignature> ParseSignatureLine(std::string_view line) {
  if (!line.starts_with(kSignatureLinePrefix)) {
    return Status::InvalidInput("note signature line does not start with an em dash and a space");
  }
  line.remove_prefix(kSignatureLinePrefix.size());
  size_t space = line.find(' ');
  if (space == std::string_view::npos) {
    return Status::InvalidInput("note signature line has no signature after the key name");
  }
  NoteSignature signature;
  signature.name = line.substr(0, space);
  if (!IsValidNoteKeyName(signature.name)) {
    return Status::InvalidInput("note signature line has an invalid key name");
  }
  Result<std::string> bytes = DecodeBase64(line.substr(space + 1));
  // Four bytes of key id and at least one of signature (Go's note.Open wants as much).
  if (!bytes.ok() || bytes->size() < 5) {
    return Status::InvalidInput("note signature by " + signature.name +
                                " is not base64 of a key id and a signature");
  }
  signature.key_id = ReadKeyId(*bytes);
  signature.bytes = bytes->substr(4);
  return signature;
}

// Signs the note's text as `name` and formats the note with that signature added.
Result<std::string> AddSignature(SignedNote note, std::string_view name,
                                 const Ed25519SecretKey& key) {
  ASSAY_RETURN_IF_ERROR(CheckKeyName(name));
  Ed25519Signature signature = key.Sign(note.text);
  PutNoteSignature(note, {std::string(name),
                          NoteKeyId(name, NoteSignatureType::kEd25519, key.public_key().bytes()),
                          std::string(AsText(signature))});
  std::string signed_note = FormatSignedNote(note);
  if (signed_note.size() > kMaxSignedNoteSize || note.signatures.size() > kMaxNoteSignatures) {
    return Status::InvalidInput("signed note would exceed the limits on size or signatures");
  }
  return signed_note;
}

Ed25519Signature ToEd25519Signature(std::string_view bytes) {
  Ed25519Signature signature{};
  std::copy(bytes.begin(), bytes.end(), signature.begin());
  return signature;
}

}  // namespace

bool IsValidNoteKeyName(std::string_view name) {
  return !name.empty() && IsValidUtf8(name) &&
         AllCodePoints(name, [](uint32_t c) { return c != '+' && !IsUnicodeSpace(c); });
}

Status CheckNoteText(std::string_view text) {
  if (text.size() > kMaxSignedNoteSize) {
    return Status::InvalidInput("note text exceeds " + std::to_string(kMaxSignedNoteSize) +
                                " bytes");
  }
  if (!text.ends_with('\n')) return Status::InvalidInput("note text does not end with a newline");
  return CheckNoteCharacters(text);
}

uint32_t NoteKeyId(std::string_view name, NoteSignatureType type,
                   std::span<const uint8_t> public_key) {
  Sha256 hasher;
  hasher.Update(name);
  const uint8_t separator_and_type[2] = {'\n', static_cast<uint8_t>(type)};
  hasher.Update(separator_and_type);
  hasher.Update(public_key);
  Sha256Digest digest = hasher.Finish();
  return ReadKeyId(AsText(digest));
}

Result<SignedNote> ParseSignedNote(std::string_view note) {
  if (note.size() > kMaxSignedNoteSize) {
    return Status::InvalidInput("note exceeds " + std::to_string(kMaxSignedNoteSize) + " bytes");
  }
  ASSAY_RETURN_IF_ERROR(CheckNoteCharacters(note));
  size_t blank = note.rfind("\n\n");
  if (blank == std::string_view::npos) {
    return Status::InvalidInput("note has no blank line before its signatures");
  }
  SignedNote parsed;
  parsed.text = note.substr(0, blank + 1);
  std::string_view lines = note.substr(blank + 2);
  if (lines.empty()) return Status::InvalidInput("note has no signature lines");
  if (!lines.ends_with('\n')) {
    return Status::InvalidInput("note's last signature line does not end with a newline");
  }
  while (!lines.empty()) {
    if (parsed.signatures.size() == kMaxNoteSignatures) {
      return Status::InvalidInput("note has more than " + std::to_string(kMaxNoteSignatures) +
                                  " signatures");
    }
    size_t end = lines.find('\n');
    ASSAY_ASSIGN_OR_RETURN(NoteSignature signature, ParseSignatureLine(lines.substr(0, end)));
    parsed.signatures.push_back(std::move(signature));
    lines.remove_prefix(end + 1);
  }
  return parsed;
}

std::string FormatSignedNote(const SignedNote& note) {
  std::string out = note.text + "\n";
  for (const NoteSignature& signature : note.signatures) {
    out += kSignatureLinePrefix;
    out += signature.name;
    out += ' ';
    out += EncodeBase64(KeyIdBytes(signature.key_id) + signature.bytes);
    out += '\n';
  }
  return out;
}

void PutNoteSignature(SignedNote& note, NoteSignature signature) {
  std::erase_if(note.signatures, [&](const NoteSignature& existing) {
    return existing.name == signature.name && existing.key_id == signature.key_id;
  });
  note.signatures.push_back(std::move(signature));
}

uint32_t NoteVerifierKey::key_id() const { return NoteKeyId(name, type, key.bytes()); }

Result<std::string> FormatVerifierKey(std::string_view name, const Ed25519PublicKey& key,
                                      NoteSignatureType type) {
  ASSAY_RETURN_IF_ERROR(CheckKeyName(name));
  std::string typed_key(1, static_cast<char>(type));
  typed_key += AsText(key.bytes());
  return std::string(name) + "+" + KeyIdHex(NoteKeyId(name, type, key.bytes())) + "+" +
         EncodeBase64(typed_key);
}

Result<NoteVerifierKey> ParseVerifierKey(std::string_view text) {
  // name "+" hex8 "+" base64; the base64 may itself hold '+', the name may not.
  size_t first = text.find('+');
  size_t second = first == std::string_view::npos ? first : text.find('+', first + 1);
  if (second == std::string_view::npos) {
    return Status::InvalidInput("verifier key is not name+keyid+key");
  }
  std::string_view name = text.substr(0, first);
  std::string_view id_hex = text.substr(first + 1, second - first - 1);
  if (!IsValidNoteKeyName(name)) return Status::InvalidInput("verifier key has an invalid name");
  uint32_t key_id = 0;
  auto [end, error] = std::from_chars(id_hex.data(), id_hex.data() + id_hex.size(), key_id, 16);
  if (id_hex.size() != 8 || error != std::errc() || end != id_hex.data() + id_hex.size()) {
    return Status::InvalidInput("verifier key id is not 8 hex digits");
  }
  Result<std::string> typed_key = DecodeBase64(text.substr(second + 1));
  if (!typed_key.ok() || typed_key->size() != 33) {
    return Status::InvalidInput("verifier key is not base64 of a type byte and an Ed25519 key");
  }
  auto type = static_cast<NoteSignatureType>((*typed_key)[0]);
  if (type != NoteSignatureType::kEd25519 && type != NoteSignatureType::kEd25519Cosignature) {
    return Status::InvalidInput("verifier key has unsupported signature type " +
                                std::to_string(static_cast<int>((*typed_key)[0] & 0xFF)));
  }
  std::array<uint8_t, 32> key_bytes{};
  std::copy(typed_key->begin() + 1, typed_key->end(), key_bytes.begin());
  NoteVerifierKey key{std::string(name), type, Ed25519PublicKey(key_bytes)};
  if (key_id != key.key_id()) {
    return Status::InvalidInput("verifier key id does not match its name and key");
  }
  return key;
}

Result<std::string> SignNote(std::string_view text, std::string_view name,
                             const Ed25519SecretKey& key) {
  ASSAY_RETURN_IF_ERROR(CheckNoteText(text));
  return AddSignature(SignedNote{std::string(text), {}}, name, key);
}

Result<std::string> AddNoteSignature(std::string_view note, std::string_view name,
                                     const Ed25519SecretKey& key) {
  ASSAY_ASSIGN_OR_RETURN(SignedNote parsed, ParseSignedNote(note));
  return AddSignature(std::move(parsed), name, key);
}

Result<VerifiedNote> VerifyNote(std::string_view note, std::span<const NoteVerifierKey> verifiers) {
  std::vector<uint32_t> key_ids;
  for (const NoteVerifierKey& verifier : verifiers) {
    if (verifier.type != NoteSignatureType::kEd25519) {
      return Status::InvalidInput("verifier key " + verifier.name +
                                  " is a cosignature key, not a note signing key");
    }
    uint32_t key_id = verifier.key_id();
    for (size_t i = 0; i < key_ids.size(); ++i) {
      if (key_ids[i] == key_id && verifiers[i].name == verifier.name &&
          verifiers[i].key != verifier.key) {
        return Status::InvalidInput("two verifier keys share the name " + verifier.name +
                                    " and key id " + KeyIdHex(key_id));
      }
    }
    key_ids.push_back(key_id);
  }

  ASSAY_ASSIGN_OR_RETURN(SignedNote parsed, ParseSignedNote(note));
  VerifiedNote verified{parsed.text, {}};
  for (const NoteSignature& signature : parsed.signatures) {
    for (size_t i = 0; i < verifiers.size(); ++i) {
      // Lines by unknown keys are ignored, even when name or id (not both) match.
      if (verifiers[i].name != signature.name || key_ids[i] != signature.key_id) continue;
      if (signature.bytes.size() != sizeof(Ed25519Signature) ||
          !verifiers[i].key.Verify(parsed.text, ToEd25519Signature(signature.bytes))) {
        return Status::CheckFailed("note signature by " + signature.name + " does not verify");
      }
      if (std::find(verified.signers.begin(), verified.signers.end(), signature.name) ==
          verified.signers.end()) {
        verified.signers.push_back(signature.name);
      }
      break;
    }
  }
  if (verified.signers.empty()) {
    return Status::CheckFailed("note has no signature by a known key");
  }
  return verified;
}

}  // namespace assay
