#include "sign/minisign_secret_key.h"

#include <sodium.h>

#include <cstring>
#include <span>

#include "sign/base64.h"
#include "sign/bytes.h"
#include "sign/minisign_lines.h"
#include "sign/sodium_runtime.h"

namespace assay {
namespace {

// Offsets in the decoded key line (minisign.h SeckeyStruct).
constexpr size_t kKdfOffset = 2;
constexpr size_t kChecksumAlgorithmOffset = 4;
constexpr size_t kSaltOffset = 6;
constexpr size_t kOpslimitOffset = 38;
constexpr size_t kMemlimitOffset = 46;
constexpr size_t kKeyIdOffset = 54;  // the encrypted part starts here
constexpr size_t kSecretKeyOffset = 62;
constexpr size_t kChecksumOffset = 126;
constexpr size_t kBlobSize = 158;
constexpr size_t kSaltSize = 32;
constexpr size_t kChecksumSize = 32;

constexpr std::string_view kScrypt = "Sc";
constexpr std::string_view kNoKdf{"\0\0", 2};
constexpr std::string_view kBlake2b = "B2";

// minisign's own setting is the most a key may ask for: a hostile key file
// with libsodium's maximum limits would take minutes and gigabytes to unlock.
constexpr uint64_t kMaxMemlimit = kMinisignScryptLimits.memlimit;
constexpr uint64_t kMaxOpslimit = kMinisignScryptLimits.opslimit;
// A key file is a comment line (at most about 1 KiB for minisign) and 212 characters.
constexpr uint64_t kMaxFileSize = 16 * 1024;

bool FieldIs(std::span<const uint8_t> blob, size_t offset, std::string_view value) {
  return AsText(blob.subspan(offset, value.size())) == value;
}

uint64_t LoadU64LE(std::span<const uint8_t> blob, size_t offset) {
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i) value |= uint64_t{blob[offset + i]} << (8 * i);
  return value;
}

void StoreU64LE(std::span<uint8_t> blob, size_t offset, uint64_t value) {
  for (size_t i = 0; i < 8; ++i) blob[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}

// BLAKE2b-256 of "Ed" || key id || seed || public key (minisign seckey_compute_chk).
void ComputeChecksum(std::span<const uint8_t> blob, std::span<uint8_t, kChecksumSize> out) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kChecksumSize);
  crypto_generichash_update(&state, blob.data(), kSignatureAlgorithm.size());
  crypto_generichash_update(&state, blob.data() + kKeyIdOffset, kChecksumOffset - kKeyIdOffset);
  crypto_generichash_final(&state, out.data(), kChecksumSize);
  sodium_memzero(&state, sizeof state);
}

Status CheckLimits(uint64_t opslimit, uint64_t memlimit) {
  if (memlimit > kMaxMemlimit) {
    return Status::InvalidInput("the key asks scrypt for " + std::to_string(memlimit) +
                                " bytes of memory, more than minisign's " + std::to_string(kMaxMemlimit) +
                                "; refused before unlocking it (re-encrypt it with minisign -C)");
  }
  if (opslimit > kMaxOpslimit) {
    return Status::InvalidInput("the key asks scrypt for " + std::to_string(opslimit) +
                                " operations, more than minisign's " + std::to_string(kMaxOpslimit) +
                                "; refused before unlocking it (re-encrypt it with minisign -C)");
  }
  return Status::Ok();
}

// XORs the key id, secret key and checksum with the scrypt stream the
// passphrase and the blob's salt and limits give: it encrypts and decrypts.
Status XorWithScrypt(std::span<uint8_t> blob, std::string_view passphrase) {
  uint64_t opslimit = LoadU64LE(blob, kOpslimitOffset);
  uint64_t memlimit = LoadU64LE(blob, kMemlimitOffset);
  ASSAY_RETURN_IF_ERROR(CheckLimits(opslimit, memlimit));
  SecretBytes stream(kBlobSize - kKeyIdOffset);
  int rc = stream.Write([&](std::span<uint8_t> out) {
    return crypto_pwhash_scryptsalsa208sha256(out.data(), out.size(), passphrase.data(),
                                              passphrase.size(), blob.data() + kSaltOffset,
                                              opslimit, static_cast<size_t>(memlimit));
  });
  if (rc != 0) {
    return Status::IoError("scrypt key derivation failed (not enough memory for " +
                           std::to_string(memlimit) + " bytes?)");
  }
  stream.Read([&](std::span<const uint8_t> bytes) {
    for (size_t i = 0; i < bytes.size(); ++i) blob[kKeyIdOffset + i] ^= bytes[i];
  });
  return Status::Ok();
}

Result<bool> ParseHeader(std::span<const uint8_t> blob) {
  if (!FieldIs(blob, 0, kSignatureAlgorithm)) {
    return Status::InvalidInput("unsupported secret key algorithm (expected \"Ed\")");
  }
  if (!FieldIs(blob, kChecksumAlgorithmOffset, kBlake2b)) {
    return Status::InvalidInput("unsupported secret key checksum algorithm (expected \"B2\")");
  }
  if (FieldIs(blob, kKdfOffset, kScrypt)) {
    // Checked here, before any passphrase is asked for or any key derivation runs.
    ASSAY_RETURN_IF_ERROR(CheckLimits(LoadU64LE(blob, kOpslimitOffset), LoadU64LE(blob, kMemlimitOffset)));
    return true;
  }
  if (FieldIs(blob, kKdfOffset, kNoKdf)) return false;
  return Status::InvalidInput("unsupported secret key encryption (expected scrypt or none)");
}

Status CheckChecksum(std::span<const uint8_t> blob, bool encrypted) {
  std::array<uint8_t, kChecksumSize> expected{};
  ComputeChecksum(blob, expected);
  const uint8_t* stored = blob.data() + kChecksumOffset;
  bool matches = sodium_memcmp(expected.data(), stored, kChecksumSize) == 0;
  sodium_memzero(expected.data(), expected.size());
  if (matches) return Status::Ok();
  if (encrypted) return Status::InvalidInput("wrong passphrase or corrupted secret key");
  // minisign 0.11 leaves an unencrypted key's checksum zero.
  if (sodium_is_zero(stored, kChecksumSize)) return Status::Ok();
  return Status::InvalidInput("secret key is corrupted (checksum mismatch)");
}

// The decoded key line of `file`, in guarded memory.
Result<SecretBytes> DecodeKeyLine(const SecretBytes& file) {
  SecretBytes blob(kBlobSize);
  Status status = file.Read([&](std::span<const uint8_t> text) -> Status {
    ASSAY_ASSIGN_OR_RETURN(std::vector<std::string_view> lines,
                           SplitMinisignLines(AsText(text), 2, "secret key file"));
    return blob.Write([&](std::span<uint8_t> out) -> Status {
      if (DecodeBase64Into(lines[1], out).ok()) return Status::Ok();
      return Status::InvalidInput("secret key file: second line is not the base64 of " +
                                  std::to_string(kBlobSize) + " bytes");
    });
  });
  if (!status.ok()) return status;
  return blob;
}

}  // namespace

MinisignSecretKey MinisignSecretKey::Generate() {
  EnsureSodium();
  MinisignKeyId key_id{};
  randombytes_buf(key_id.data(), key_id.size());
  return MinisignSecretKey(key_id, Ed25519SecretKey::Generate());
}

Result<SecretBytes> ReadMinisignSecretKeyFile(FileSystem& fs, const std::string& path) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  if (file->size() > kMaxFileSize) {
    return Status::InvalidInput(path + ": file is " + std::to_string(file->size()) +
                                " bytes, too large for a minisign secret key");
  }
  SecretBytes text(static_cast<size_t>(file->size()));
  ASSAY_RETURN_IF_ERROR(
      text.Write([&](std::span<uint8_t> out) { return file->ReadExactly(0, out); }));
  return text;
}

Result<bool> MinisignSecretKeyIsEncrypted(const SecretBytes& file) {
  ASSAY_ASSIGN_OR_RETURN(SecretBytes blob, DecodeKeyLine(file));
  return blob.Read([](std::span<const uint8_t> bytes) { return ParseHeader(bytes); });
}

Result<MinisignSecretKey> DecodeMinisignSecretKeyFile(const SecretBytes& file,
                                                      std::string_view passphrase) {
  ASSAY_ASSIGN_OR_RETURN(SecretBytes blob, DecodeKeyLine(file));
  return blob.Write([&](std::span<uint8_t> bytes) -> Result<MinisignSecretKey> {
    ASSAY_ASSIGN_OR_RETURN(bool encrypted, ParseHeader(bytes));
    if (encrypted) ASSAY_RETURN_IF_ERROR(XorWithScrypt(bytes, passphrase));
    ASSAY_RETURN_IF_ERROR(CheckChecksum(bytes, encrypted));
    MinisignKeyId key_id{};
    std::memcpy(key_id.data(), bytes.data() + kKeyIdOffset, key_id.size());
    ASSAY_ASSIGN_OR_RETURN(Ed25519SecretKey key,
                           Ed25519SecretKey::FromSeedAndPublicKey(
                               bytes.subspan<kSecretKeyOffset, kEd25519SecretKeySize>()));
    return MinisignSecretKey(key_id, std::move(key));
  });
}

Result<MinisignSecretKey> LoadMinisignSecretKey(FileSystem& fs, const std::string& path,
                                                std::string_view passphrase) {
  ASSAY_ASSIGN_OR_RETURN(SecretBytes file, ReadMinisignSecretKeyFile(fs, path));
  Result<MinisignSecretKey> key = DecodeMinisignSecretKeyFile(file, passphrase);
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

Result<SecretBytes> EncodeMinisignSecretKeyFile(
    const MinisignSecretKey& key, const std::optional<MinisignKeyEncryption>& encryption,
    std::string_view untrusted_comment) {
  if (untrusted_comment.find_first_of("\r\n") != std::string_view::npos ||
      untrusted_comment.size() > kMaxUntrustedCommentSize) {
    return Status::InvalidInput("secret key comment must be one line of at most " +
                                std::to_string(kMaxUntrustedCommentSize) + " bytes");
  }
  if (encryption) {
    ASSAY_RETURN_IF_ERROR(CheckLimits(encryption->limits.opslimit, encryption->limits.memlimit));
  }
  EnsureSodium();
  SecretBytes blob(kBlobSize);  // zero: salt, limits and checksum stay zero without encryption
  Status status = blob.Write([&](std::span<uint8_t> bytes) -> Status {
    std::memcpy(bytes.data(), kSignatureAlgorithm.data(), 2);
    std::memcpy(bytes.data() + kKdfOffset, (encryption ? kScrypt : kNoKdf).data(), 2);
    std::memcpy(bytes.data() + kChecksumAlgorithmOffset, kBlake2b.data(), 2);
    std::memcpy(bytes.data() + kKeyIdOffset, key.key_id().data(), key.key_id().size());
    key.key().ReadSecretKey([&](std::span<const uint8_t> secret) {
      std::memcpy(bytes.data() + kSecretKeyOffset, secret.data(), secret.size());
    });
    if (!encryption) return Status::Ok();
    randombytes_buf(bytes.data() + kSaltOffset, kSaltSize);
    StoreU64LE(bytes, kOpslimitOffset, encryption->limits.opslimit);
    StoreU64LE(bytes, kMemlimitOffset, encryption->limits.memlimit);
    ComputeChecksum(bytes, bytes.subspan<kChecksumOffset, kChecksumSize>());
    return XorWithScrypt(bytes, encryption->passphrase);
  });
  if (!status.ok()) return status;

  std::string first_line =
      std::string(kUntrustedCommentPrefix) + std::string(untrusted_comment) + "\n";
  SecretBytes text(first_line.size() + Base64EncodedLength(kBlobSize) + 1);
  text.Write([&](std::span<uint8_t> out) {
    std::memcpy(out.data(), first_line.data(), first_line.size());
    blob.Read([&](std::span<const uint8_t> bytes) {
      EncodeBase64Into(bytes, out.subspan(first_line.size()));
    });
    out.back() = '\n';  // over the NUL libsodium wrote after the base64
  });
  return text;
}

}  // namespace assay
