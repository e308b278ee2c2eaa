// Where things live, worked out once in main from the flags and the
// environment (DESIGN.md, Keys and trust; docs/usage.md, Defaults), each
// overridable by a flag and an environment variable:
//   hash cache, indexes  --cache-dir, else $ASSAY_CACHE_DIR, else $XDG_CACHE_HOME/assay, else ~/.cache/assay
//   keys, trust          $ASSAY_CONFIG_DIR, else $XDG_CONFIG_HOME/assay, else ~/.config/assay (CONFIG)
//   signing key          --key, else $ASSAY_KEY, else CONFIG/assay.key
//   trust file           --trust, else $ASSAY_TRUST_FILE, else CONFIG/trust
//   ledger               --ledger, else $ASSAY_LEDGER, else $XDG_DATA_HOME/assay/ledger (made on first use)
// A passphrase comes from --passphrase-file, else $ASSAY_PASSPHRASE, else the terminal.
// This is the only code that reads the environment.
#pragma once

#include <string>

#include "ops/context.h"
#include "ops/key_ring.h"

namespace assay::cli {

// The flags that mean the same on every command that takes them.
struct CommonFlags {
  std::string ledger;           // --ledger DIR
  bool no_ledger = false;       // --no-ledger
  std::string trust;            // --trust FILE
  std::string cache_dir;        // --cache-dir DIR
  std::string key;              // --key FILE
  std::string passphrase_file;  // --passphrase-file FILE
  bool json = false;            // --json
  std::string output;           // -o, --output FILE
};

// The variable's value; empty when it is unset.
std::string FromEnvironment(const char* name);

Paths ResolvePaths(const CommonFlags& flags);
PassphraseSources ResolvePassphraseSources(const CommonFlags& flags, Prompter* prompter);

}  // namespace assay::cli
