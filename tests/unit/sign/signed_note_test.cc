#include "sign/signed_note.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sign/base64.h"
#include "sign/bytes.h"

namespace assay {
namespace {

// golang.org/x/mod/sumdb/note's test key (note_test.go): the signer key
// "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALV..." holds 0x01 || seed.
Ed25519SecretKey PeterNeumannKey() {
  std::string typed_seed = *DecodeBase64("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz");
  return Ed25519SecretKey::FromSeed(AsBytes(typed_seed).subspan(1).first<kEd25519SeedSize>());
}

constexpr std::string_view kPeterNeumannText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
// What Go's note.Sign writes for that text and key.
constexpr std::string_view kPeterNeumannSignatureLine =
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZ"
    "SNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

NoteVerifierKey VerifierOf(std::string_view name, const Ed25519SecretKey& key) {
  return NoteVerifierKey{std::string(name), NoteSignatureType::kEd25519, key.public_key()};
}

// The same note signed by `key` as `name`, for tests that assert one outcome.
std::string Signed(std::string_view text, std::string_view name, const Ed25519SecretKey& key) {
  Result<std::string> note = SignNote(text, name, key);
  EXPECT_TRUE(note.ok()) << note.status().message();
  return note.ok() ? *note : std::string();
}

TEST(SignedNote, MatchesGoNoteSignVector) {
  Ed25519SecretKey key = PeterNeumannKey();
  EXPECT_EQ(Signed(kPeterNeumannText, "PeterNeumann", key),
            std::string(kPeterNeumannText) + "\n" + std::string(kPeterNeumannSignatureLine));
  EXPECT_EQ(FormatVerifierKey("PeterNeumann", key.public_key()).value(),
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  EXPECT_EQ(NoteKeyId("PeterNeumann", NoteSignatureType::kEd25519, key.public_key().bytes()),
            0xc74f20a3u);
}

TEST(SignedNote, ParsesTheSpecExampleAtItsLastBlankLine) {
  // c2sp.org/signed-note's example: its text holds a blank line of its own.
  const std::string note =
      "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n"
      "\n— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJ"
      "KONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";
  Result<SignedNote> parsed = ParseSignedNote(note);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->text,
            "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito "
            "sera.\n");
  ASSERT_EQ(parsed->signatures.size(), 1u);
  EXPECT_EQ(parsed->signatures[0].name, "quasimodo.example/salvatore");
  EXPECT_EQ(parsed->signatures[0].key_id, 0x367ba04bu);
  EXPECT_EQ(parsed->signatures[0].bytes.size(), 64u);
  EXPECT_EQ(FormatSignedNote(*parsed), note);
}

TEST(SignedNote, VerifiesKnownKeysAndIgnoresUnknownOnes) {
  Ed25519SecretKey log = Ed25519SecretKey::Generate();
  Ed25519SecretKey stranger = Ed25519SecretKey::Generate();
  std::string note = Signed("log.example/a\n1\n", "log.example/a", log);
  note = AddNoteSignature(note, "stranger.example", stranger).value();
  // A stranger's line under the log's name (the id differs) is ignored too.
  note = AddNoteSignature(note, "log.example/a", stranger).value();

  std::vector<NoteVerifierKey> verifiers = {VerifierOf("log.example/a", log)};
  Result<VerifiedNote> verified = VerifyNote(note, verifiers);
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->text, "log.example/a\n1\n");
  EXPECT_EQ(verified->signers, std::vector<std::string>{"log.example/a"});

  // The same key under another name is another key.
  std::vector<NoteVerifierKey> renamed = {VerifierOf("log.example/b", log)};
  EXPECT_EQ(VerifyNote(note, renamed).status().message(), "note has no signature by a known key");
  EXPECT_EQ(VerifyNote(note, {}).status().kind(), ErrorKind::kCheckFailed);
}

TEST(SignedNote, AddingSignaturesKeepsOrderAndReplacesTheSameKey) {
  Ed25519SecretKey first = Ed25519SecretKey::Generate();
  Ed25519SecretKey second = Ed25519SecretKey::Generate();
  std::string note = Signed("text\n", "first", first);
  std::string both = AddNoteSignature(note, "second", second).value();
  EXPECT_TRUE(both.starts_with(note));
  EXPECT_EQ(ParseSignedNote(both)->signatures.size(), 2u);
  // Ed25519 is deterministic: signing again by the same key moves its line last.
  std::string again = AddNoteSignature(both, "first", first).value();
  Result<SignedNote> parsed = ParseSignedNote(again);
  ASSERT_EQ(parsed->signatures.size(), 2u);
  EXPECT_EQ(parsed->signatures[0].name, "second");
  EXPECT_EQ(parsed->signatures[1].name, "first");

  std::vector<NoteVerifierKey> verifiers = {VerifierOf("second", second),
                                            VerifierOf("first", first)};
  EXPECT_EQ(VerifyNote(again, verifiers)->signers, (std::vector<std::string>{"second", "first"}));
}

TEST(SignedNote, AnyChangeToTheTextOrAKnownSignatureIsRejected) {
  Ed25519SecretKey key = Ed25519SecretKey::Generate();
  std::string note = Signed("log.example\n5\n", "log.example", key);
  std::vector<NoteVerifierKey> verifiers = {VerifierOf("log.example", key)};
  ASSERT_TRUE(VerifyNote(note, verifiers).ok());

  std::string altered_text = note;
  altered_text[note.find('5')] = '6';
  EXPECT_EQ(VerifyNote(altered_text, verifiers).status().message(),
            "note signature by log.example does not verify");

  // Flip a bit in the signature's last base64 character that carries a full 6 bits.
  std::string altered_signature = note;
  size_t last = altered_signature.rfind('=') - 2;
  altered_signature[last] = altered_signature[last] == 'A' ? 'B' : 'A';
  EXPECT_EQ(VerifyNote(altered_signature, verifiers).status().kind(), ErrorKind::kCheckFailed);

  // A known key's bad signature rejects the note even beside a good one.
  Ed25519SecretKey other = Ed25519SecretKey::Generate();
  std::string two = AddNoteSignature(altered_signature, "other", other).value();
  verifiers.push_back(VerifierOf("other", other));
  EXPECT_EQ(VerifyNote(two, verifiers).status().kind(), ErrorKind::kCheckFailed);
}

TEST(SignedNote, RejectsMalformedNotesWithTheReason) {
  std::string sig(kPeterNeumannSignatureLine);
  sig.pop_back();  // the line without its newline
  auto reason = [](const std::string& note) { return ParseSignedNote(note).status().message(); };
  EXPECT_EQ(reason("text\n" + sig + "\n"), "note has no blank line before its signatures");
  EXPECT_EQ(reason("text\n\n" + sig), "note's last signature line does not end with a newline");
  EXPECT_EQ(reason("text\n\n"), "note has no signature lines");
  EXPECT_EQ(reason("text\n\n- PeterNeumann AAAAAAAA\n"),
            "note signature line does not start with an em dash and a space");
  EXPECT_EQ(reason("text\n\n—PeterNeumann AAAAAAAA\n"),
            "note signature line does not start with an em dash and a space");
  EXPECT_EQ(reason("text\n\n— PeterNeumann\n"),
            "note signature line has no signature after the key name");
  EXPECT_EQ(reason("text\n\n— Peter+Neumann AAAAAAAA\n"),
            "note signature line has an invalid key name");
  EXPECT_EQ(reason("text\n\n—  AAAAAAAA\n"), "note signature line has an invalid key name");
  EXPECT_EQ(reason("text\n\n— PeterNeumann AAAAAA==\n"),
            "note signature by PeterNeumann is not base64 of a key id and a signature");
  EXPECT_EQ(reason("text\n\n— PeterNeumann AAAA AAAA\n"),
            "note signature by PeterNeumann is not base64 of a key id and a signature");
  EXPECT_EQ(reason("text\r\n\n" + sig + "\n"), "note holds a control character");
  EXPECT_EQ(reason("tab\there\n\n" + sig + "\n"), "note holds a control character");
  EXPECT_EQ(reason("\xff\n\n" + sig + "\n"), "note is not valid UTF-8");
  EXPECT_EQ(reason(std::string(kMaxSignedNoteSize, 'a') + "\n\n" + sig + "\n"),
            "note exceeds 262144 bytes");
  EXPECT_EQ(ParseSignedNote("text\n\n" + sig + "\n").status().kind(), ErrorKind::kOk);
}

TEST(SignedNote, LimitsTheNumberOfSignatures) {
  std::string note = "text\n\n";
  for (size_t i = 0; i < kMaxNoteSignatures; ++i) note += kPeterNeumannSignatureLine;
  EXPECT_TRUE(ParseSignedNote(note).ok());
  EXPECT_EQ(ParseSignedNote(note + std::string(kPeterNeumannSignatureLine)).status().message(),
            "note has more than 100 signatures");
}

TEST(SignedNote, KeyNamesExcludeUnicodeSpacesAndPlus) {
  EXPECT_TRUE(IsValidNoteKeyName("example.com/log42"));
  EXPECT_TRUE(IsValidNoteKeyName("ünïcödé/名前"));
  EXPECT_FALSE(IsValidNoteKeyName(""));
  EXPECT_FALSE(IsValidNoteKeyName("a+b"));
  EXPECT_FALSE(IsValidNoteKeyName("a b"));
  EXPECT_FALSE(IsValidNoteKeyName("a\tb"));
  EXPECT_FALSE(IsValidNoteKeyName("a\xc2\xa0" "b"));      // U+00A0 no-break space
  EXPECT_FALSE(IsValidNoteKeyName("a\xe3\x80\x80" "b"));  // U+3000 ideographic space
  EXPECT_FALSE(IsValidNoteKeyName("a\xe2\x80\xa8" "b"));  // U+2028 line separator
  EXPECT_FALSE(IsValidNoteKeyName("\xc0\xaf"));           // overlong '/'
}

TEST(SignedNote, SignNoteChecksTextAndName) {
  Ed25519SecretKey key = Ed25519SecretKey::Generate();
  EXPECT_EQ(SignNote("no newline", "k", key).status().message(),
            "note text does not end with a newline");
  EXPECT_EQ(SignNote("", "k", key).status().message(), "note text does not end with a newline");
  EXPECT_EQ(SignNote("a\rb\n", "k", key).status().message(), "note holds a control character");
  EXPECT_EQ(SignNote("text\n", "a b", key).status().kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(SignNote(std::string(kMaxSignedNoteSize, '\n'), "k", key).status().kind(),
            ErrorKind::kInvalidInput);
  // A text may hold blank lines, even at its end: the note splits at its last one.
  std::string note = Signed("a\n\nb\n\n", "k", key);
  std::vector<NoteVerifierKey> verifiers = {VerifierOf("k", key)};
  EXPECT_EQ(VerifyNote(note, verifiers)->text, "a\n\nb\n\n");
}

TEST(NoteVerifierKey, RoundTripsAndChecksItsKeyId) {
  Ed25519SecretKey key = Ed25519SecretKey::Generate();
  for (NoteSignatureType type :
       {NoteSignatureType::kEd25519, NoteSignatureType::kEd25519Cosignature}) {
    std::string text = FormatVerifierKey("witness.example/w1", key.public_key(), type).value();
    Result<NoteVerifierKey> parsed = ParseVerifierKey(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_EQ(parsed->name, "witness.example/w1");
    EXPECT_EQ(parsed->type, type);
    EXPECT_EQ(parsed->key, key.public_key());
  }
  // The type enters the key id: one key gives two verifier keys.
  EXPECT_NE(ParseVerifierKey(FormatVerifierKey("w", key.public_key()).value())->key_id(),
            ParseVerifierKey(FormatVerifierKey("w", key.public_key(),
                                               NoteSignatureType::kEd25519Cosignature)
                                 .value())
                ->key_id());
  EXPECT_EQ(FormatVerifierKey("a+b", key.public_key()).status().kind(), ErrorKind::kInvalidInput);
}

TEST(NoteVerifierKey, RejectsMalformedKeysWithTheReason) {
  auto reason = [](std::string_view text) { return ParseVerifierKey(text).status().message(); };
  // Go's own bad keys (note_test.go): a wrong key id, a wrong length, an unknown type.
  EXPECT_EQ(reason("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
            "verifier key id does not match its name and key");
  EXPECT_EQ(reason("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="),
            "verifier key is not base64 of a type byte and an Ed25519 key");
  EXPECT_EQ(reason("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
            "verifier key has unsupported signature type 101");
  EXPECT_EQ(reason("PeterNeumann+c74f20a3"), "verifier key is not name+keyid+key");
  EXPECT_EQ(reason("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
            "verifier key has an invalid name");
  EXPECT_EQ(reason("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
            "verifier key id is not 8 hex digits");
  EXPECT_EQ(reason("PeterNeumann+c74f20ag+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
            "verifier key id is not 8 hex digits");
  EXPECT_TRUE(ParseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
                  .ok());
}

TEST(NoteVerifierKey, VerifyNoteRefusesCosignatureKeysAndAmbiguousKeys) {
  Ed25519SecretKey key = Ed25519SecretKey::Generate();
  std::string note = Signed("text\n", "k", key);
  std::vector<NoteVerifierKey> cosigner = {
      NoteVerifierKey{"k", NoteSignatureType::kEd25519Cosignature, key.public_key()}};
  EXPECT_EQ(VerifyNote(note, cosigner).status().kind(), ErrorKind::kInvalidInput);
  // The same key listed twice is harmless.
  std::vector<NoteVerifierKey> twice = {VerifierOf("k", key), VerifierOf("k", key)};
  EXPECT_TRUE(VerifyNote(note, twice).ok());
}

}  // namespace
}  // namespace assay
