#include "ops/key_ring.h"

#include <cstring>

namespace assay {
namespace {

// Passphrases longer than this are refused rather than truncated.
constexpr size_t kMaxPassphraseBytes = 1024;

// Strips one line end ("\n" or "\r\n"), as minisign does with what it reads.
SecretBytes CopyWithoutLineEnd(std::span<const uint8_t> bytes) {
  size_t size = bytes.size();
  if (size > 0 && bytes[size - 1] == '\n') --size;
  if (size > 0 && bytes[size - 1] == '\r') --size;
  return SecretBytes::CopyOf(bytes.first(size));
}

bool SameBytes(const SecretBytes& a, const SecretBytes& b) {
  if (a.size() != b.size()) return false;
  return a.Read([&](std::span<const uint8_t> x) {
    return b.Read([&](std::span<const uint8_t> y) { return std::memcmp(x.data(), y.data(), x.size()) == 0; });
  });
}

Result<SecretBytes> PassphraseFromFile(FileSystem& fs, const std::string& path) {
  ASSAY_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, fs.OpenForRead(path));
  if (file->size() > kMaxPassphraseBytes + 2) {
    return Status::InvalidInput(path + ": passphrase file is longer than 1024 bytes");
  }
  SecretBytes buffer(static_cast<size_t>(file->size()));
  ASSAY_RETURN_IF_ERROR(buffer.Write([&](std::span<uint8_t> out) { return file->ReadExactly(0, out); }));
  SecretBytes passphrase = buffer.Read([](std::span<const uint8_t> bytes) { return CopyWithoutLineEnd(bytes); });
  if (passphrase.size() > kMaxPassphraseBytes) {
    return Status::InvalidInput(path + ": passphrase file is longer than 1024 bytes");
  }
  return passphrase;
}

Result<SecretBytes> Asked(Prompter& prompter, const std::string& prompt) {
  ASSAY_ASSIGN_OR_RETURN(SecretBytes line, prompter.AskSecret(prompt));
  if (line.size() > kMaxPassphraseBytes) return Status::InvalidInput("passphrase is longer than 1024 bytes");
  return line;
}

}  // namespace

Result<SecretBytes> MinisignKeyFiles::Passphrase(bool confirm) {
  if (!sources_.file.empty()) return PassphraseFromFile(fs_, sources_.file);
  if (sources_.environment) {
    return sources_.environment->Read([](std::span<const uint8_t> bytes) { return SecretBytes::CopyOf(bytes); });
  }
  if (sources_.prompter == nullptr) {
    return Status::InvalidInput("the key is encrypted and there is no terminal to ask for its passphrase")
        .WithHint("pass --passphrase-file FILE or set ASSAY_PASSPHRASE");
  }
  ASSAY_ASSIGN_OR_RETURN(SecretBytes first, Asked(*sources_.prompter, "passphrase: "));
  if (!confirm) return first;
  if (first.size() == 0) return Status::InvalidInput("empty passphrase; use --unencrypted for a throwaway key");
  ASSAY_ASSIGN_OR_RETURN(SecretBytes second, Asked(*sources_.prompter, "passphrase again: "));
  if (!SameBytes(first, second)) return Status::InvalidInput("the two passphrases differ");
  return first;
}

Result<SecretBytes> MinisignKeyFiles::NewPassphrase() { return Passphrase(/*confirm=*/true); }

Result<const MinisignSecretKey*> MinisignKeyFiles::Unlock(const std::string& path) {
  if (auto found = unlocked_.find(path); found != unlocked_.end()) return found->second.get();
  if (!fs_.LinkStatus(path).ok()) {
    return Status::IoError(path + ": no secret key here")
        .WithHint("run 'assay key generate', or pass --key FILE");
  }
  ASSAY_ASSIGN_OR_RETURN(SecretBytes file, ReadMinisignSecretKeyFile(fs_, path));
  Result<bool> encrypted = MinisignSecretKeyIsEncrypted(file);
  if (!encrypted.ok()) return encrypted.status().WithContext(path);
  SecretBytes passphrase(0);
  if (*encrypted) {
    ASSAY_ASSIGN_OR_RETURN(passphrase, Passphrase(/*confirm=*/false));
  }
  Result<MinisignSecretKey> key = passphrase.Read([&](std::span<const uint8_t> bytes) {
    return DecodeMinisignSecretKeyFile(file, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  });
  if (!key.ok()) return key.status().WithContext(path);
  auto [slot, inserted] = unlocked_.emplace(path, std::make_unique<MinisignSecretKey>(std::move(*key)));
  return slot->second.get();
}

std::string PublicKeyPathFor(const std::string& secret_key_path) {
  const std::string suffix = ".key";
  if (secret_key_path.size() > suffix.size() && secret_key_path.ends_with(suffix)) {
    return secret_key_path.substr(0, secret_key_path.size() - suffix.size()) + ".pub";
  }
  return secret_key_path + ".pub";
}

}  // namespace assay
