// Where keys and the trust file live, and how a secret key is unlocked
// (DESIGN.md, Keys and trust; docs/usage.md). Defaults, each overridable:
//   secret key   --key FILE, else $ASSAY_KEY, else CONFIG/assay.key
//   public key   the secret key's path with ".key" replaced by ".pub" (or ".pub" appended)
//   trust file   --trust FILE, else $ASSAY_TRUST_FILE, else CONFIG/trust
// where CONFIG is cli/paths.h's DefaultConfigDir(). A passphrase comes from
// --passphrase-file FILE, else $ASSAY_PASSPHRASE, else a prompt on the terminal.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "sign/minisign_secret_key.h"
#include "sign/secret_bytes.h"
#include "sign/trust_file.h"
#include "status.h"

namespace assay::cli {

struct KeyOptions {
  std::string key_path;         // empty: the default
  std::string passphrase_file;  // empty: environment, then the terminal
};

// Adds --key and --passphrase-file to a command.
void AddKeyOptions(CLI::App& command, KeyOptions& options);

std::string SecretKeyPath(const KeyOptions& options);
std::string PublicKeyPathFor(const std::string& secret_key_path);
std::string TrustFilePath(const std::string& flag_value);

// The passphrase, without its line end. With `confirm` (key generation) a
// terminal prompt asks twice and refuses a mismatch or an empty passphrase.
// kInvalidInput when there is no file, no environment variable and no terminal.
Result<SecretBytes> ObtainPassphrase(const KeyOptions& options, bool confirm);

// Loads the secret key, asking for a passphrase only when it is encrypted.
// Errors name the key file; a wrong passphrase says so.
Result<MinisignSecretKey> LoadSigningKey(const KeyOptions& options);

// The trust file, or an empty one when it does not exist yet; errors name the file.
Result<TrustFile> LoadTrustFile(const std::string& path);

}  // namespace assay::cli
