// Default locations (DESIGN.md, Keys and trust; docs/configuration.md), each
// overridable by a flag and an environment variable:
//   hash cache   $ASSAY_CACHE_DIR, else $XDG_CACHE_HOME/assay, else ~/.cache/assay
//   keys, trust  $ASSAY_CONFIG_DIR, else $XDG_CONFIG_HOME/assay, else ~/.config/assay
//   ledger       $ASSAY_LEDGER, else $XDG_DATA_HOME/assay/ledger, else ~/.local/share/assay/ledger
#pragma once

#include <string>

namespace assay::cli {

std::string DefaultCacheDir();
std::string DefaultConfigDir();
std::string DefaultLedgerDir();

}  // namespace assay::cli
