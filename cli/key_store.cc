#include "cli/key_store.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "cli/environment.h"

namespace assay::cli {
namespace {

// Passphrases longer than this are refused rather than truncated.
constexpr size_t kMaxPassphraseBytes = 1024;

// Strips one line end ("\n" or "\r\n"), as minisign does with what it reads.
size_t WithoutLineEnd(const uint8_t* bytes, size_t size) {
  if (size > 0 && bytes[size - 1] == '\n') --size;
  if (size > 0 && bytes[size - 1] == '\r') --size;
  return size;
}

SecretBytes CopyWithoutLineEnd(std::span<const uint8_t> bytes) {
  return SecretBytes::CopyOf(bytes.first(WithoutLineEnd(bytes.data(), bytes.size())));
}

Result<SecretBytes> PassphraseFromFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(path + ": cannot read the passphrase file (" + std::strerror(errno) + ")");
  SecretBytes buffer(kMaxPassphraseBytes + 1);
  ssize_t length = buffer.Write([&](std::span<uint8_t> out) { return ::read(fd, out.data(), out.size()); });
  ::close(fd);
  if (length < 0) return Status::IoError(path + ": cannot read the passphrase file");
  if (static_cast<size_t>(length) > kMaxPassphraseBytes) {
    return Status::InvalidInput(path + ": passphrase file is longer than 1024 bytes");
  }
  return buffer.Read([&](std::span<const uint8_t> bytes) {
    return CopyWithoutLineEnd(bytes.first(static_cast<size_t>(length)));
  });
}

// Reads one line from the terminal with echo off; nullopt-like error when there is none.
Result<SecretBytes> PromptOnTerminal(const char* prompt) {
  int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (tty < 0) {
    return Status::InvalidInput(
        "no passphrase: set ASSAY_PASSPHRASE or pass --passphrase-file FILE (there is no terminal to ask on)");
  }
  (void)!::write(tty, prompt, std::strlen(prompt));
  struct termios saved;
  bool restore = ::tcgetattr(tty, &saved) == 0;
  if (restore) {
    struct termios silent = saved;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(tty, TCSAFLUSH, &silent);
  }
  SecretBytes line(kMaxPassphraseBytes + 1);
  size_t length = line.Write([&](std::span<uint8_t> out) {
    size_t used = 0;
    char c = 0;
    while (used < out.size() && ::read(tty, &c, 1) == 1 && c != '\n') out[used++] = static_cast<uint8_t>(c);
    c = 0;
    return used;
  });
  if (restore) ::tcsetattr(tty, TCSAFLUSH, &saved);
  (void)!::write(tty, "\n", 1);
  ::close(tty);
  if (length > kMaxPassphraseBytes) return Status::InvalidInput("passphrase is longer than 1024 bytes");
  return line.Read([&](std::span<const uint8_t> bytes) { return CopyWithoutLineEnd(bytes.first(length)); });
}

bool SameBytes(const SecretBytes& a, const SecretBytes& b) {
  if (a.size() != b.size()) return false;
  return a.Read([&](std::span<const uint8_t> x) {
    return b.Read([&](std::span<const uint8_t> y) { return std::memcmp(x.data(), y.data(), x.size()) == 0; });
  });
}

}  // namespace

void AddKeyOptions(CLI::App& command, KeyOptions& options) {
  command.add_option("--key", options.key_path, "secret key file (env ASSAY_KEY; default CONFIG/assay.key)");
  command.add_option("--passphrase-file", options.passphrase_file,
                     "read the key's passphrase from this file (else env ASSAY_PASSPHRASE, else a prompt)");
}

std::string SecretKeyPath(const KeyOptions& options) {
  if (!options.key_path.empty()) return options.key_path;
  if (std::string path = FromEnvironment("ASSAY_KEY"); !path.empty()) return path;
  return DefaultConfigDir() + "/assay.key";
}

std::string PublicKeyPathFor(const std::string& secret_key_path) {
  const std::string suffix = ".key";
  if (secret_key_path.size() > suffix.size() && secret_key_path.ends_with(suffix)) {
    return secret_key_path.substr(0, secret_key_path.size() - suffix.size()) + ".pub";
  }
  return secret_key_path + ".pub";
}

std::string TrustFilePath(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  if (std::string path = FromEnvironment("ASSAY_TRUST_FILE"); !path.empty()) return path;
  return DefaultConfigDir() + "/trust";
}

Result<SecretBytes> ObtainPassphrase(const KeyOptions& options, bool confirm) {
  if (!options.passphrase_file.empty()) return PassphraseFromFile(options.passphrase_file);
  if (const char* value = std::getenv("ASSAY_PASSPHRASE"); value != nullptr) {
    return SecretBytes::CopyOf(std::span(reinterpret_cast<const uint8_t*>(value), std::strlen(value)));
  }
  ASSAY_ASSIGN_OR_RETURN(SecretBytes first, PromptOnTerminal("passphrase: "));
  if (!confirm) return first;
  if (first.size() == 0) return Status::InvalidInput("empty passphrase; use --unencrypted for a throwaway key");
  ASSAY_ASSIGN_OR_RETURN(SecretBytes second, PromptOnTerminal("passphrase again: "));
  if (!SameBytes(first, second)) return Status::InvalidInput("the two passphrases differ");
  return first;
}

Result<MinisignSecretKey> LoadSigningKey(const KeyOptions& options) {
  const std::string path = SecretKeyPath(options);
  Result<SecretBytes> file = ReadMinisignSecretKeyFile(LocalFileSystem(), path);
  if (!file.ok()) {
    if (file.status().kind() == ErrorKind::kIo && ::access(path.c_str(), F_OK) != 0) {
      return Status::IoError(path + ": no secret key here; run 'assay key generate' or pass --key FILE");
    }
    return file.status();
  }
  Result<bool> encrypted = MinisignSecretKeyIsEncrypted(*file);
  if (!encrypted.ok()) return encrypted.status().WithContext(path);
  SecretBytes passphrase(0);
  if (*encrypted) {
    ASSAY_ASSIGN_OR_RETURN(passphrase, ObtainPassphrase(options, /*confirm=*/false));
  }
  Result<MinisignSecretKey> key = passphrase.Read([&](std::span<const uint8_t> bytes) {
    return DecodeMinisignSecretKeyFile(
        *file, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  });
  if (!key.ok()) return key.status().WithContext(path);
  return key;
}

Result<TrustFile> LoadTrustFile(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) return TrustFile();
  ASSAY_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(LocalFileSystem(), path, 16u << 20));
  Result<TrustFile> trust = TrustFile::Parse(text);
  if (!trust.ok()) return trust.status().WithContext(path);
  return trust;
}

}  // namespace assay::cli
