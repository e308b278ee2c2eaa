// The flags that let a record count though the trust file would not have it,
// the same on every command that checks a model record (verify model, verify
// lfs): --allow-untrusted with --public-key-file PUB, and --allow-unsigned.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "status.h"

namespace assay::cli {

struct AllowanceFlags {
  bool allow_untrusted = false;
  std::string public_key_file;  // with --allow-untrusted: the signer's .pub
  bool allow_unsigned = false;
};

// `unsigned_help` says what --allow-unsigned lets the command do.
inline void AddAllowanceFlags(CLI::App* command, AllowanceFlags& flags, const std::string& unsigned_help) {
  command->add_flag("--allow-untrusted", flags.allow_untrusted, "accept a signer outside the trust file");
  command->add_option("--public-key-file", flags.public_key_file, "with --allow-untrusted: the signer's .pub");
  command->add_flag("--allow-unsigned", flags.allow_unsigned, unsigned_help);
}

// The .pub whose key counts though outside the trust file: empty unless
// --allow-untrusted. kInvalidInput for --allow-untrusted without a key.
inline Result<std::string> AllowedUntrustedKey(const AllowanceFlags& flags) {
  if (!flags.allow_untrusted) return std::string();
  if (flags.public_key_file.empty()) {
    return Status::InvalidInput("--allow-untrusted needs --public-key-file PUB: the key to check the signature with");
  }
  return flags.public_key_file;
}

}  // namespace assay::cli
