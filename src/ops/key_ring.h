// The signer's keys, behind an interface (DESIGN.md, Keys and trust): today
// minisign secret key files on disk, unlocked with a passphrase; an agent or a
// hardware key could implement KeyRing later. Passphrases come, in order, from
// a file the user names, from the environment (read by main, never here), or
// from a Prompter, whose terminal implementation lives in cli/.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "file_system.h"
#include "sign/minisign_secret_key.h"
#include "sign/secret_bytes.h"
#include "status.h"

namespace assay {

// Asks the person at the terminal for a secret.
class Prompter {
 public:
  virtual ~Prompter() = default;
  // The line typed, without its line end. kInvalidInput when there is nobody
  // to ask (no terminal).
  virtual Result<SecretBytes> AskSecret(const std::string& prompt) = 0;
};

// Where a passphrase comes from, first found first.
struct PassphraseSources {
  std::string file;                        // --passphrase-file
  std::optional<SecretBytes> environment;  // $ASSAY_PASSPHRASE, as main read it
  Prompter* prompter = nullptr;            // the terminal; null: none
};

class KeyRing {
 public:
  virtual ~KeyRing() = default;
  // The secret key at `path`, unlocked, asking for a passphrase only when it
  // is encrypted; unlocked once per process (minisign's scrypt takes seconds),
  // the same object for every later call. Errors name the file; a missing key
  // says how to make one.
  virtual Result<const MinisignSecretKey*> Unlock(const std::string& path) = 0;
  // A passphrase for a new key: from the sources, or asked twice at the
  // prompt (an empty one or two that differ are refused).
  virtual Result<SecretBytes> NewPassphrase() = 0;
};

// Minisign key files read through `fs`. Not thread-safe.
class MinisignKeyFiles final : public KeyRing {
 public:
  MinisignKeyFiles(FileSystem& fs, PassphraseSources sources) : fs_(fs), sources_(std::move(sources)) {}

  Result<const MinisignSecretKey*> Unlock(const std::string& path) override;
  Result<SecretBytes> NewPassphrase() override;

 private:
  Result<SecretBytes> Passphrase(bool confirm);

  FileSystem& fs_;
  PassphraseSources sources_;
  std::map<std::string, std::unique_ptr<MinisignSecretKey>> unlocked_;
};

// The public key file beside a secret key file: ".key" replaced by ".pub", or ".pub" appended.
std::string PublicKeyPathFor(const std::string& secret_key_path);

}  // namespace assay
